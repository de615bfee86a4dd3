import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentXSession, CloseReason, SNMP_TRAP_OID_0, SYS_UP_TIME_0, DEFAULT_BACKOFF, encodePdu, type AgentXSessionOptions } from '../../src/agentx/index.js';
import { backoffDelay, type Timers } from '../../src/support/index.js';
import { snmp, type Oid } from '../../src/snmp/index.js';
import { ArrayProvider } from './array-provider.js';
import { FakeMaster } from './fake-master.js';
import { hex } from './hex.js';

/** Like events.once, without rejecting on 'error' (protocol errors are expected here). */
const next = (s: AgentXSession, event: 'connected' | 'disconnected' | 'registrationFailed'): Promise<void> =>
  new Promise((resolve) => s.once(event, () => resolve()));

const SUBTREE: Oid = [1, 3, 6, 1, 4, 1, 8072, 9999, 9999];
const providerA = new ArrayProvider([{ oid: [...SUBTREE, 1, 0], value: snmp.integer(1) }]);
const providerB = new ArrayProvider([{ oid: [...SUBTREE, 1, 0], value: snmp.integer(2) }]);

describe('AgentXSession with a scripted master', () => {
  let master: FakeMaster;
  let session: AgentXSession | undefined;

  const make = (o: Partial<AgentXSessionOptions> = {}): AgentXSession => {
    session = new AgentXSession({
      provider: providerA,
      master: master.path,
      backoff: { initialMs: 20, maxMs: 100 },
      requestTimeoutMs: 300,
      pingIntervalMs: 0,
      ...o,
    });
    return session;
  };

  beforeEach(async () => {
    master = new FakeMaster();
    await master.listen();
  });

  afterEach(async () => {
    await session?.stop();
    session = undefined;
    await master.dispose();
  });

  it('opens, registers, and answers from whichever provider it holds', async () => {
    const s = make({ description: 'unit', openTimeoutSeconds: 3 });
    const registered = s.register(SUBTREE, { priority: 50 });
    s.start();
    await next(s, 'connected');
    await registered;
    const open = master.received[0]!;
    expect(open).toMatchObject({ type: 'Open', sessionId: 0, timeout: 3, description: new TextEncoder().encode('unit') });
    expect(master.received[1]).toMatchObject({ type: 'Register', sessionId: 42, subtree: SUBTREE, priority: 50 });
    expect(s.sessionId).toBe(42);

    const get = { type: 'Get', sessionId: 42, transactionId: 5, packetId: 900, ranges: [{ start: [...SUBTREE, 1, 0], include: false, end: [] }] } as const;
    expect(await master.request(get)).toMatchObject({ varbinds: [{ value: snmp.integer(1) }] });
    s.setProvider(providerB);
    expect(await master.request({ ...get, packetId: 901 })).toMatchObject({ varbinds: [{ value: snmp.integer(2) }] });
    expect(s.counters.requestsAnswered).toBe(2);
  });

  it('answers a request on a session id that is not ours with notOpen', async () => {
    const s = make();
    s.start();
    await next(s, 'connected');
    const res = await master.request({ type: 'Get', sessionId: 7, transactionId: 1, packetId: 5, ranges: [{ start: SUBTREE, include: false, end: [] }] });
    expect(res).toMatchObject({ type: 'Response', error: 257 });
  });

  it('pings while open', async () => {
    const s = make({ pingIntervalMs: 20 });
    s.start();
    await next(s, 'connected');
    await master.waitFor((p, i) => p.type === 'Ping' && i > 3);
    expect(master.count('Ping')).toBeGreaterThanOrEqual(3);
  });

  it('a ping without an answer times out, closes with reasonTimeouts and reconnects', async () => {
    master.answerPings = false;
    const s = make({ pingIntervalMs: 20, requestTimeoutMs: 100 });
    s.start();
    await next(s, 'connected');
    await next(s, 'disconnected');
    await master.waitFor((p) => p.type === 'Close');
    expect(master.received.find((p) => p.type === 'Close')).toMatchObject({ reason: CloseReason.timeouts });
    await next(s, 'connected');
    expect(s.counters.requestTimeouts).toBeGreaterThanOrEqual(1);
    expect(master.connections).toBeGreaterThanOrEqual(2);
  });

  it('garbage from the master is a protocol error: Close(parseError), reconnect, re-register', async () => {
    const s = make();
    const errors: Error[] = [];
    s.on('error', (e) => errors.push(e));
    s.register(SUBTREE);
    s.start();
    await next(s, 'connected');
    master.sendRaw(hex('ff ff ff ff 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00'));
    await next(s, 'disconnected');
    await next(s, 'connected');
    expect(s.counters.protocolErrors).toBe(1);
    expect(errors[0]?.name).toBe('AgentXDecodeError');
    expect(master.received.find((p) => p.type === 'Close')).toMatchObject({ reason: CloseReason.parseError });
    expect(master.count('Register')).toBe(2);
  });

  it('an oversized PDU is refused at its header and the session starts over', async () => {
    const s = make({ maxPayloadLength: 64 });
    s.start();
    await next(s, 'connected');
    master.sendRaw(hex('01 05 10 00  00 00 00 2a  00 00 00 01  00 00 00 01  00 00 01 00'));
    await next(s, 'disconnected');
    await next(s, 'connected');
    expect(s.counters.protocolErrors).toBe(1);
  });

  it('a Close from the master leads to a new session', async () => {
    const s = make();
    s.start();
    await next(s, 'connected');
    master.sendRaw(hex('01 02 10 00  00 00 00 2a  00 00 00 00  00 00 00 00  00 00 00 04  06 00 00 00'));
    await next(s, 'disconnected');
    await next(s, 'connected');
    expect(master.count('Open')).toBe(2);
  });

  it('a refused registration rejects register() and emits registrationFailed, the session stays up', async () => {
    master.registerError = 263;
    const s = make();
    const failed = next(s, 'registrationFailed');
    const connected = next(s, 'connected');
    const p = s.register(SUBTREE);
    s.start();
    await expect(p).rejects.toMatchObject({ name: 'AgentXRequestError', errorCode: 263 });
    await failed;
    await connected;
    expect(s.isOpen).toBe(true);
  });

  it('queues notifications while the master is away, counts the overflow, delivers the rest in order', async () => {
    await master.close();
    const s = make({ maxQueuedNotifications: 3 });
    const dropped: number[] = [];
    s.on('notificationDropped', (e) => dropped.push(e.totalDropped));
    s.start();
    for (let i = 1; i <= 5; i++) s.notify([...SUBTREE, 0, i], [{ oid: [...SUBTREE, 1, 0], value: snmp.integer(i) }]);
    expect(s.counters.notificationsQueued).toBe(3);
    expect(s.counters.notificationsDropped).toBe(2);
    expect(dropped).toEqual([1, 2]);
    await master.listen();
    await next(s, 'connected');
    await master.waitFor((p) => p.type === 'Notify' && master.count('Notify') === 3);
    const notifies = master.received.filter((p) => p.type === 'Notify');
    expect(notifies.map((n) => (n.type === 'Notify' ? n.varbinds[0]!.value : undefined))).toEqual([3, 4, 5].map((i) => snmp.oid([...SUBTREE, 0, i])));
    const first = notifies[0]!;
    if (first.type !== 'Notify') throw new Error('unreachable');
    // Raised before this master's clock started (it says it is 10 ms old): no time on its clock
    // exists for them, so sysUpTime.0 is left for the master to add (RFC 2741 6.2.10).
    expect(first.varbinds[0]!.oid).toEqual(SNMP_TRAP_OID_0);
    expect(first.varbinds[1]).toEqual({ oid: [...SUBTREE, 1, 0], value: snmp.integer(3) });
    await expect.poll(() => s.counters.notificationsSent).toBe(3);
    expect(s.counters.notificationsQueued).toBe(0);
  });

  it('stop() sends Close(reasonShutdown) and does not reconnect', async () => {
    const s = make();
    s.start();
    await next(s, 'connected');
    await s.stop('shutdown');
    expect(master.received.at(-1)).toMatchObject({ type: 'Close', reason: CloseReason.shutdown });
    await new Promise((r) => setTimeout(r, 150));
    expect(master.connections).toBe(1);
  });
});

describe('reconnect backoff', () => {
  it('doubles from 250 ms to a 30 s ceiling, minus up to 20 % jitter', () => {
    expect([1, 2, 3, 4, 8, 20].map((a) => backoffDelay(a, DEFAULT_BACKOFF, () => 0))).toEqual([250, 500, 1000, 2000, 30000, 30000]);
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 1)).toBe(200);
  });

  it('the session waits the backoff between attempts (driven by injected timers)', async () => {
    const delays: number[] = [];
    const queue: (() => void)[] = [];
    const timers: Timers = {
      setTimeout: (fn, ms) => {
        delays.push(ms);
        queue.push(fn);
        return queue.length;
      },
      clearTimeout: () => {},
      now: () => 0,
    };
    // Over TCP (a port nobody listens on): a unix-socket master is retried at most 500 ms apart (master-wait.test.ts).
    const s = new AgentXSession({ provider: providerA, master: 'tcp:127.0.0.1:1', timers, random: () => 0 });
    s.start();
    for (let i = 0; i < 9; i++) {
      while (delays.length <= i) await new Promise((r) => setTimeout(r, 2));
      queue[i]!();
    }
    expect(delays.slice(0, 9)).toEqual([250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(s.counters.connectAttempts).toBeGreaterThanOrEqual(9);
    await s.stop();
  });
});

describe('registrations made while the session is being set up', () => {
  it('are sent in the same session, not only after a reconnect', async () => {
    const master = new FakeMaster();
    await master.listen();
    master.registerDelayMs = 100;
    const s = new AgentXSession({ provider: providerA, master: master.path, pingIntervalMs: 0 });
    try {
      const first = s.register(SUBTREE);
      s.start();
      // Wait until the first Register is on the wire, then add another one.
      await master.waitFor((p) => p.type === 'Register');
      const second = s.register([1, 3, 6, 1, 4, 1, 8072, 9999, 9998]);
      expect(s.isOpen).toBe(false);
      await Promise.all([first, second]);
      expect(master.count('Register')).toBe(2);
      expect(master.connections).toBe(1);
    } finally {
      await s.stop();
      await master.dispose();
    }
  });
});

describe('clock and byte order', () => {
  it("stamps notifications with the master's sysUpTime (from its Responses and the injected clock), and answers a little-endian request", async () => {
    const master = new FakeMaster();
    await master.listen();
    let now = 1_000;
    const timers: Timers = {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      now: () => now,
    };
    const s = new AgentXSession({ provider: providerA, master: master.path, pingIntervalMs: 0, timers });
    try {
      const connected = next(s, 'connected');
      s.start();
      await connected;
      // The master said res.sysUpTime 1 (10 ms) when it answered the Open.
      expect(s.uptimeOrigin()).toBe(1_000 - 10);
      now += 123_456; // ms later: 12345 hundredths more
      s.notify([...SUBTREE, 0, 1]);
      const notify = await master.waitFor((p) => p.type === 'Notify');
      expect(notify.type === 'Notify' && notify.varbinds[0]).toEqual({ oid: SYS_UP_TIME_0, value: snmp.timeTicks(12346) });

      const before = master.received.length;
      master.sendRaw(
        encodePdu(
          { type: 'GetNext', sessionId: 42, transactionId: 1, packetId: 77, ranges: [{ start: SUBTREE, include: false, end: [] }] },
          { littleEndian: true },
        ),
      );
      const res = await master.waitFor((p, i) => i >= before && p.type === 'Response' && p.packetId === 77);
      expect(res).toMatchObject({ type: 'Response', error: 0, varbinds: [{ oid: [...SUBTREE, 1, 0], value: snmp.integer(1) }] });
    } finally {
      await s.stop();
      await master.dispose();
    }
  });
});

describe("the master's clock and sysORTable", () => {
  it('learns where the master started, sees it restart, and dates notifications raised after the restart on the new clock', async () => {
    const master = new FakeMaster();
    await master.listen();
    let now = 50_000;
    const timers: Timers = {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      now: () => now,
    };
    master.sysUpTime = 2_000; // 20 s old
    const s = new AgentXSession({ provider: providerA, master: master.path, pingIntervalMs: 0, timers, backoff: { initialMs: 5, maxMs: 10 } });
    const clocks: number[] = [];
    s.on('clockChanged', (e) => clocks.push(e.origin));
    try {
      const first = next(s, 'connected');
      s.start();
      await first;
      expect(clocks).toEqual([30_000]);
      expect(s.masterUptimeTicks()).toBe(2_000);
      // A notification raised 5 s before the master restarts, delivered after.
      await master.close();
      await next(s, 'disconnected');
      now += 5_000;
      s.notify([...SUBTREE, 0, 1], [], now);
      now += 5_000;
      master.sysUpTime = 100; // restarted 1 s ago
      const again = next(s, 'connected');
      await master.listen();
      await again;
      expect(clocks).toEqual([30_000, 59_000]);
      s.notify([...SUBTREE, 0, 2], [], now);
      await master.waitFor((p) => p.type === 'Notify' && master.count('Notify') === 2);
      const [before, after] = master.received.filter((p) => p.type === 'Notify');
      // Before the restart: no time on the new clock exists; after: 1 s on it.
      expect(before?.type === 'Notify' && before.varbinds[0]!.oid).toEqual(SNMP_TRAP_OID_0);
      expect(after?.type === 'Notify' && after.varbinds[0]).toEqual({ oid: SYS_UP_TIME_0, value: snmp.timeTicks(100) });
      // A reconnect to the same master (its clock goes on) is not a restart.
      master.sysUpTime = 150;
      now += 500;
      await master.close();
      const third = next(s, 'connected');
      await master.listen();
      await third;
      expect(clocks).toEqual([30_000, 59_000]);
    } finally {
      await s.stop();
      await master.dispose();
    }
  });

  it('announces its capabilities after registering, on every connection, and removes them when it stops', async () => {
    const master = new FakeMaster();
    await master.listen();
    const s = new AgentXSession({ provider: providerA, master: master.path, pingIntervalMs: 0, backoff: { initialMs: 5, maxMs: 10 } });
    try {
      s.register(SUBTREE);
      s.addAgentCaps([1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 8023], 'LINUX-BONDING-MIB');
      const first = next(s, 'connected');
      s.start();
      await first;
      expect(master.received.map((p) => p.type)).toEqual(['Open', 'Register', 'AddAgentCaps']);
      const caps = master.received[2]!;
      expect(caps.type === 'AddAgentCaps' && [caps.id, new TextDecoder().decode(caps.description)]).toEqual([[1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 8023], 'LINUX-BONDING-MIB']);
      await master.close();
      const again = next(s, 'connected');
      await master.listen();
      await again;
      expect(master.count('AddAgentCaps')).toBe(2);
      await s.stop();
      expect(master.received.slice(-2).map((p) => p.type)).toEqual(['RemoveAgentCaps', 'Close']);
    } finally {
      await s.stop();
      await master.dispose();
    }
  });
});
