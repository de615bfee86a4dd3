/**
 * The client calls of the `net-snmp` package that the check uses, added to
 * the declarations in src/standalone/net-snmp.d.ts (interfaces merge).
 */
declare module 'net-snmp' {
  export interface Session {
    get(oids: string[], callback: (error: Error | null, varbinds?: Varbind[]) => void): void;
    getBulk(
      oids: string[],
      nonRepeaters: number,
      maxRepetitions: number,
      callback: (error: Error | null, varbinds?: (Varbind | Varbind[])[]) => void,
    ): void;
  }
  export function isVarbindError(varbind: Varbind): boolean;
}
