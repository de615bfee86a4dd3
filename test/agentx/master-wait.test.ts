/**
 * Waiting for a master that is away (src/agentx/master-wait.ts and the
 * connection's use of it): on a unix socket, retries at most 500 ms apart
 * whatever the outage, and an attempt the moment the socket is made again;
 * over TCP, the backoff. Time is injected; the socket directory's watch is
 * real (inotify) where it is under test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentXSession, DEFAULT_BACKOFF, parseMasterAddress, type MasterAddress } from '../../src/agentx/index.js';
import { MasterConnection } from '../../src/agentx/connection.js';
import { QUICK_RETRIES, QUICK_RETRY_MS, UNIX_RETRY_MAX_MS, retryDelayFor, watchUnixSocket, type WatchMaster } from '../../src/agentx/master-wait.js';
import { snmp } from '../../src/snmp/index.js';
import { silentLogger } from '../../src/support/index.js';
import { ManualTimers } from '../support/manual-timers.js';
import { ArrayProvider } from './array-provider.js';
import { FakeMaster } from './fake-master.js';

const provider = new ArrayProvider([{ oid: [1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 1, 1, 0], value: snmp.integer(1) }]);
const SUBTREE = [1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 1];

/** Resolves when `check` holds, polled in real time (for real I/O: sockets, inotify). */
async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('retry delays', () => {
  const unix = parseMasterAddress('unix:/var/agentx/master');
  const tcp = parseMasterAddress('tcp:192.0.2.1:705');
  const noJitter = () => 0;

  it('over TCP: the backoff, 250 ms doubling to 30 s', () => {
    const delay = retryDelayFor(tcp, DEFAULT_BACKOFF, noJitter);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(delay)).toEqual([250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it(`on a unix socket: the same, but never more than ${UNIX_RETRY_MAX_MS} ms, whatever the attempt`, () => {
    const delay = retryDelayFor(unix, DEFAULT_BACKOFF, noJitter);
    expect([1, 2, 3, 4, 8, 20, 1000].map(delay)).toEqual([250, 500, 500, 500, 500, 500, 500]);
    // A smaller backoff (tests use one) is kept as it is.
    expect([1, 2, 3].map(retryDelayFor(unix, { initialMs: 10, maxMs: 20, jitter: 0 }))).toEqual([10, 20, 20]);
  });
});

describe('watchUnixSocket (the socket directory, watched for real)', () => {
  let dir: string;
  const servers: net.Server[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agentx-watch-'));
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
    rmSync(dir, { recursive: true, force: true });
  });
  const listen = async (path: string) => {
    const server = net.createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
  };

  it('tells when a socket by that name is made, not other files nor a plain file by that name', async () => {
    const path = join(dir, 'master');
    let calls = 0;
    const w = watchUnixSocket({ kind: 'unix', path }, () => calls++);
    expect(w).toBeDefined();
    try {
      writeFileSync(join(dir, 'other'), 'x');
      await listen(join(dir, 'other.sock'));
      writeFileSync(path, 'not a socket');
      // Events of those have had time to arrive (they do within a millisecond or so): none counted.
      await new Promise((r) => setTimeout(r, 200));
      expect(calls).toBe(0);
      rmSync(path);
      await listen(path);
      await until(() => calls > 0, 'the watch to see the socket');
    } finally {
      w?.close();
    }
  });

  it('says nothing after close', async () => {
    const path = join(dir, 'master');
    let calls = 0;
    watchUnixSocket({ kind: 'unix', path }, () => calls++)!.close();
    await listen(path);
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(0);
  });

  it('watches nothing for a TCP master or a directory that does not exist', () => {
    expect(watchUnixSocket(parseMasterAddress('tcp:127.0.0.1:705'), () => undefined)).toBeUndefined();
    expect(watchUnixSocket({ kind: 'unix', path: join(dir, 'missing', 'master') }, () => undefined)).toBeUndefined();
  });

  it('a directory made after a failed watch is watched at the next attempt', async () => {
    const sub = join(dir, 'agentx');
    const path = join(sub, 'master');
    expect(watchUnixSocket({ kind: 'unix', path }, () => undefined)).toBeUndefined();
    mkdirSync(sub);
    let calls = 0;
    const w = watchUnixSocket({ kind: 'unix', path }, () => calls++);
    try {
      await listen(path);
      await until(() => calls > 0, 'the watch to see the socket');
    } finally {
      w?.close();
    }
  });
});

/** A socket whose connection is refused, as a master's socket nobody listens on yet. */
function refused(): net.Socket {
  const socket = new net.Socket();
  process.nextTick(() => socket.emit('error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })));
  return socket;
}

describe('MasterConnection with a watch (injected time, injected watch)', () => {
  const address: MasterAddress = { kind: 'unix', path: '/nonexistent/master' };

  function setup(retryMs = UNIX_RETRY_MAX_MS) {
    const timers = new ManualTimers();
    const watches: { appeared: () => void; closed: boolean }[] = [];
    const watchMaster: WatchMaster = (_address, appeared) => {
      const w = { appeared, closed: false };
      watches.push(w);
      return { close: () => void (w.closed = true) };
    };
    let attempts = 0;
    const connection = new MasterConnection({
      address,
      connect: () => {
        attempts++;
        return refused();
      },
      timers,
      logger: silentLogger,
      retryDelay: () => retryMs,
      maxPayloadLength: 65536,
      watchMaster,
      handlers: { connected: () => undefined, pdu: () => undefined, lost: () => undefined, failed: () => undefined, timedOut: () => undefined },
    });
    return { timers, watches, connection, attempts: () => attempts, open: () => watches.filter((w) => !w.closed) };
  }

  it('attempts at once when the socket appears, then every 20 ms for a moment if refused, then the usual delay', async () => {
    const { timers, watches, connection, attempts, open } = setup();
    connection.start();
    await timers.advance(0);
    expect(attempts()).toBe(1);
    expect(timers.delays).toEqual([UNIX_RETRY_MAX_MS]);
    expect(open()).toHaveLength(1);

    watches.at(-1)!.appeared();
    expect(attempts()).toBe(2); // now, with the clock where it was
    expect(timers.now()).toBe(0);
    await timers.advance(QUICK_RETRY_MS * QUICK_RETRIES);
    expect(attempts()).toBe(2 + QUICK_RETRIES);
    expect(timers.delays).toEqual([UNIX_RETRY_MAX_MS, ...Array<number>(QUICK_RETRIES).fill(QUICK_RETRY_MS), UNIX_RETRY_MAX_MS]);
    // One watch at a time, each attempt's failure setting up a fresh one.
    expect(open()).toHaveLength(1);
    connection.stop();
    expect(open()).toHaveLength(0);
  });

  it('the socket appearing during an attempt that is then refused: the next attempt comes after 20 ms, not the usual delay', async () => {
    const { timers, watches, connection, attempts } = setup(10_000);
    connection.start();
    await timers.advance(0);
    watches.at(-1)!.appeared(); // attempt 2 is under way
    expect(attempts()).toBe(2);
    watches.at(-1)!.appeared(); // while it is: remembered
    await timers.advance(0);
    expect(timers.delays).toEqual([10_000, QUICK_RETRY_MS]);
  });

  it('stopped: the watch is closed and an event starts nothing', async () => {
    const { timers, watches, connection, attempts, open } = setup();
    connection.start();
    await timers.advance(0);
    connection.stop();
    expect(open()).toHaveLength(0);
    watches.at(-1)!.appeared();
    await timers.advance(10_000);
    expect(attempts()).toBe(1);
  });
});

describe('a session whose unix-socket master goes away (injected time, real socket and watch)', () => {
  let master: FakeMaster;
  let session: AgentXSession | undefined;
  beforeEach(async () => {
    master = new FakeMaster();
    await master.listen();
  });
  afterEach(async () => {
    await session?.stop();
    session = undefined;
    await master.dispose();
  });

  it(`retries at most ${UNIX_RETRY_MAX_MS} ms apart through a two-minute outage, and is back the moment the socket is made again, no timer needed`, async () => {
    // Between two timers, real time passes for the I/O of each attempt (a refused connect).
    const timers = new ManualTimers(() => new Promise((r) => setTimeout(r, 3)));
    session = new AgentXSession({ provider, master: master.path, timers, pingIntervalMs: 0, random: () => 0, logger: silentLogger });
    let opened = 0;
    session.on('connected', () => opened++);
    void session.register(SUBTREE);
    session.start();
    await until(() => opened === 1, 'the first session');

    await master.close(); // the socket file goes with the listener
    await until(() => !session!.isOpen, 'the session to notice');
    const from = timers.delays.length;
    const attemptsBefore = session.counters.connectAttempts;
    await timers.advance(120_000);
    const waits = timers.delays.slice(from);
    expect(Math.max(...waits)).toBe(UNIX_RETRY_MAX_MS);
    expect(session.counters.connectAttempts - attemptsBefore).toBeGreaterThanOrEqual(120_000 / UNIX_RETRY_MAX_MS - 1);

    // The master is back: the watch sees its socket, and the session opens and registers with the clock standing still.
    const clock = timers.now();
    const registers = master.count('Register');
    await master.listen();
    await until(() => opened === 2, 'the session to open again');
    await until(() => master.count('Register') === registers + 1, 'the registration');
    expect(timers.now()).toBe(clock);
  });

  it('over TCP the backoff is kept: the waits grow to 30 s', async () => {
    // A port nobody listens on: take one, and let it go.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const timers = new ManualTimers(() => new Promise((r) => setTimeout(r, 3)));
    session = new AgentXSession({ provider, master: `tcp:127.0.0.1:${port}`, timers, pingIntervalMs: 0, random: () => 0, logger: silentLogger });
    session.start();
    await timers.advance(120_000);
    expect(timers.delays.slice(0, 9)).toEqual([250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });
});
