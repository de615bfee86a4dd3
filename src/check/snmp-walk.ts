/**
 * Remote mode's one conversation with an agent: a GET of bondCount.0 (is the
 * MIB there at all?), then GetBulk over the few LINUX-BONDING-MIB columns the
 * check reads, all columns advanced together until each leaves its column.
 * Nothing outside LINUX-BONDING-MIB is asked for.
 */
import type { RemoteTarget } from './target.js';
import { BOND_COUNT, WALKED_COLUMNS, type WalkedVarBind } from './from-walk.js';

/** Varbinds asked for per GetBulk (spread over the columns still being walked). */
const VARBINDS_PER_REQUEST = 100;

export class SnmpCheckError extends Error {}

export interface WalkResult {
  readonly bondCount: number;
  readonly varbinds: readonly WalkedVarBind[];
  readonly requests: number;
}

/** a < b for dotted OIDs, compared numerically. */
export function oidBefore(a: string, b: string): boolean {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return x.length < y.length;
}

/**
 * Walks `target`. `signal` aborts it (the check's deadline): the session is
 * closed and the promise rejects with the signal's reason. `answered` is
 * called for each response.
 */
export async function walkBondingMib(
  target: RemoteTarget,
  requestTimeoutMs: number,
  signal: AbortSignal,
  answered: () => void = () => undefined,
): Promise<WalkResult> {
  const snmp = (await import('net-snmp')).default;
  const options = {
    port: target.port,
    transport: target.transport,
    timeout: requestTimeoutMs,
    retries: 2,
    version: target.auth.version === '2c' ? snmp.Version2c : snmp.Version3,
  };
  let session: import('net-snmp').Session;
  if (target.auth.version === '2c') {
    session = snmp.createSession(target.host, target.auth.community, options);
  } else {
    const { user, auth, priv } = target.auth;
    session = snmp.createV3Session(
      target.host,
      {
        name: user,
        level: priv ? snmp.SecurityLevel.authPriv : auth ? snmp.SecurityLevel.authNoPriv : snmp.SecurityLevel.noAuthNoPriv,
        ...(auth ? { authProtocol: snmp.AuthProtocols[auth.protocol], authKey: auth.key } : {}),
        ...(priv ? { privProtocol: snmp.PrivProtocols[priv.protocol], privKey: priv.key } : {}),
      },
      options,
    );
  }

  let failSession: (err: Error) => void = () => undefined;
  const broken = new Promise<never>((_, reject) => (failSession = reject));
  broken.catch(() => undefined);
  // A malformed datagram makes the session emit 'error': without a listener that would throw.
  session.on('error', (err) => failSession(err instanceof Error ? err : new Error(String(err))));
  const aborted = new Promise<never>((_, reject) => {
    const stop = () => reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  aborted.catch(() => undefined);
  let requests = 0;
  const call = <T>(send: (done: (error: Error | null, result?: T) => void) => void): Promise<T> => {
    requests++;
    const answer = new Promise<T>((resolve, reject) =>
      send((error, result) => {
        if (error) return reject(error);
        answered();
        return result === undefined ? reject(new SnmpCheckError('empty response')) : resolve(result);
      }),
    );
    return Promise.race([answer, broken, aborted]);
  };

  try {
    const [count] = await call<import('net-snmp').Varbind[]>((done) => session.get([BOND_COUNT], done));
    if (count === undefined || snmp.isVarbindError(count) || typeof count.value !== 'number') {
      throw new SnmpCheckError('the agent serves no LINUX-BONDING-MIB (bondCount.0 is missing): is bonding-agentx running, and in its view?');
    }
    const varbinds: WalkedVarBind[] = [];
    let cursors = WALKED_COLUMNS.map((column) => ({ column, next: column }));
    while (cursors.length > 0) {
      const repetitions = Math.max(1, Math.floor(VARBINDS_PER_REQUEST / cursors.length));
      const answer = await call<(import('net-snmp').Varbind | import('net-snmp').Varbind[])[]>((done) =>
        session.getBulk(cursors.map((c) => c.next), 0, repetitions, done),
      );
      const still: typeof cursors = [];
      let progressed = false;
      cursors.forEach((cursor, i) => {
        const entry = answer[i];
        const list = entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
        let done = false;
        for (const vb of list) {
          if (snmp.isVarbindError(vb) || !vb.oid.startsWith(`${cursor.column}.`)) {
            done = true;
            break;
          }
          if (!oidBefore(cursor.next, vb.oid)) throw new SnmpCheckError(`the agent answered out of order (${vb.oid} after ${cursor.next})`);
          varbinds.push({ oid: vb.oid, value: Buffer.isBuffer(vb.value) ? vb.value.toString('utf8') : Number(vb.value) });
          cursor.next = vb.oid;
          progressed = true;
        }
        if (!done) still.push(cursor);
      });
      if (!progressed && still.length > 0) throw new SnmpCheckError('the agent answered GetBulk with no varbinds');
      cursors = still;
    }
    return { bondCount: count.value, varbinds, requests };
  } finally {
    session.close();
  }
}
