/**
 * The master goes away at every step of setting up a session: before and
 * after answering the Open, and each Register. Whatever the step, nothing
 * may reject unhandled (Node ends the process on that), and the next
 * connection opens and registers everything.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentXSession } from '../../src/agentx/index.js';
import type { AgentXPdu } from '../../src/agentx/index.js';
import { snmp, type Oid } from '../../src/snmp/index.js';
import { ArrayProvider } from './array-provider.js';
import { FakeMaster } from './fake-master.js';

const SUBTREES: Oid[] = [
  [1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 1],
  [1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 2],
  [1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 3],
];
const provider = new ArrayProvider([{ oid: [...SUBTREES[0]!, 1, 0], value: snmp.integer(1) }]);

/** Steps of a setup: the Open, then each Register, each dropped before or after its answer. */
const STEPS = ['Open', 'Register', 'Register', 'Register'].flatMap((type, i) =>
  (['before', 'after'] as const).map((when) => ({ type, nth: i + 1, when })),
);

describe('the master drops the connection at every step of Open and Register', () => {
  let master: FakeMaster;
  let session: AgentXSession | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);

  beforeEach(async () => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
    master = new FakeMaster();
    await master.listen();
  });

  afterEach(async () => {
    await session?.stop();
    session = undefined;
    await master.dispose();
    process.off('unhandledRejection', onUnhandled);
  });

  for (const step of STEPS) {
    it(`${step.when} the answer to PDU ${step.nth} (${step.type}): no unhandled rejection, all registered at the next connection`, async () => {
      let dropped = false;
      master.dropOn = (pdu: AgentXPdu, nth: number) => {
        if (dropped || nth !== step.nth) return undefined;
        expect(pdu.type).toBe(step.type);
        dropped = true;
        return step.when;
      };
      session = new AgentXSession({ provider, master: master.path, backoff: { initialMs: 10, maxMs: 20 }, requestTimeoutMs: 1000, pingIntervalMs: 0 });
      const outcomes = SUBTREES.map((subtree) => session!.register(subtree).then(() => 'accepted', (e: Error) => e.message));
      // Open on the second connection (dropping after the last answer lets the first open for a moment).
      const connected = new Promise<void>((resolve) => session!.on('connected', () => master.connections === 2 && resolve()));
      session.start();
      await connected;
      expect(dropped).toBe(true);
      expect(master.connections).toBe(2);
      // The second connection registered all three, and every register() settled as accepted.
      const lastOpen = master.received.map((p) => p.type).lastIndexOf('Open');
      const second = master.received.slice(lastOpen);
      expect(second.filter((p) => p.type === 'Register').map((p) => (p.type === 'Register' ? p.subtree : []))).toEqual(SUBTREES);
      expect(await Promise.all(outcomes)).toEqual(['accepted', 'accepted', 'accepted']);
      // Let any stray rejection surface.
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    });
  }

  it('a registration added while open, then the connection drops mid-Register: registered at the next connection', async () => {
    session = new AgentXSession({ provider, master: master.path, backoff: { initialMs: 10, maxMs: 20 }, requestTimeoutMs: 1000, pingIntervalMs: 0 });
    const connected = new Promise<void>((resolve) => session!.once('connected', () => resolve()));
    session.start();
    await connected;
    master.dropOn = (pdu) => (pdu.type === 'Register' ? 'before' : undefined);
    const reconnected = new Promise<void>((resolve) => session!.once('connected', () => resolve()));
    const late = session.register(SUBTREES[1]!);
    await master.waitFor((p) => p.type === 'Register');
    master.dropOn = undefined;
    await reconnected;
    await late;
    expect(master.count('Register')).toBe(2);
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
  });
});
