import { compareOids, NO_SUCH_INSTANCE, NO_SUCH_OBJECT, type MibProvider, type Oid, type SnmpValue, type VarBind } from '../snmp/index.js';

export interface DynamicScalar {
  /** The object's OID; its one instance is `oid.0`. */
  readonly oid: Oid;
  /** Computed per request: sysUpTime cannot sit in a view built once. */
  readonly value: () => SnmpValue;
}

/** A handful of scalars whose values are computed when asked. */
export class ScalarProvider implements MibProvider {
  private readonly scalars: readonly (DynamicScalar & { readonly instance: Oid })[];

  constructor(scalars: readonly DynamicScalar[]) {
    this.scalars = scalars.map((s) => ({ ...s, instance: [...s.oid, 0] })).sort((a, b) => compareOids(a.oid, b.oid));
  }

  get(oid: Oid): SnmpValue {
    for (const s of this.scalars) {
      if (compareOids(s.instance, oid) === 0) return s.value();
      if (oid.length > s.oid.length && compareOids(oid.slice(0, s.oid.length), s.oid) === 0) return NO_SUCH_INSTANCE;
    }
    return NO_SUCH_OBJECT;
  }

  getNext(start: Oid, include: boolean, end?: Oid): VarBind | undefined {
    for (const s of this.scalars) {
      const c = compareOids(s.instance, start);
      if (c > 0 || (include && c === 0)) {
        if (end !== undefined && end.length > 0 && compareOids(s.instance, end) >= 0) return undefined;
        return { oid: s.instance, value: s.value() };
      }
    }
    return undefined;
  }
}
