import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { daemonEnv, findBinary } from './binaries.js';
import { freeUdpPort } from '../../src/net/free-port.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import { snmpCmd } from './snmp-cmd.js';

export interface SnmpdOptions {
  /** In snmpd's agentXSocket syntax; default `unix:<dir>/agentx.sock`. */
  readonly agentxSocket?: string;
  /** More snmpd.conf lines, appended as they are. */
  readonly extraConf?: string | readonly string[];
  /** Adds `trap2sink 127.0.0.1:<port> <community>`. */
  readonly trapSink?: { readonly port: number; readonly community?: string };
  /** snmpd's wait for a subagent's answer (agentXTimeout). Default 2 s. */
  readonly agentXTimeoutSeconds?: number;
  /** agentXRetries. Default 1. */
  readonly agentXRetries?: number;
  /** Bound on waiting until snmpd answers. Default 15 s. */
  readonly startTimeoutMs?: number;
}

export interface RunningSnmpd {
  readonly port: number;
  /** `127.0.0.1:<port>`, what the command-line tools take as agent. */
  readonly target: string;
  /** The master's AgentX address in snmpd syntax, e.g. `unix:/tmp/…/agentx.sock`. */
  readonly agentxSocket: string;
  readonly dir: string;
  /** Read-only community (`public`) and read-write community (`private`, to see a SET reach a subagent). */
  readonly community: string;
  readonly writeCommunity: string;
  readonly pid: number;
  isRunning(): boolean;
  /** snmpd's log file so far, for failure messages. */
  log(): string;
  /** SIGTERM (SIGKILL after a bound), then removes the directory. */
  stop(): Promise<void>;
  /** SIGKILL; the directory stays for `restart`. */
  kill9(): Promise<void>;
  /** Stops snmpd if running and starts it again on the same port and socket. */
  restart(): Promise<void>;
}

const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';

/**
 * Starts Debian's snmpd as a master agent in a fresh temp directory: its own
 * config only (-C -c), every file it writes kept in that directory, listening
 * on a loopback UDP port only, and waits until it answers.
 */
/**
 * Launches a daemon on a free loopback UDP port: the port can be taken between our probe and
 * the daemon's bind, so up to 5 ports are tried while its log says exactly that. `reset` clears
 * the log between attempts; `giveUp` cleans up when it fails for good.
 */
export async function onFreeUdpPort(
  launch: (port: number) => Promise<ManagedProcess>,
  log: () => string,
  reset: () => void,
  giveUp: () => void,
): Promise<{ port: number; proc: ManagedProcess }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeUdpPort();
    try {
      return { port, proc: await launch(port) };
    } catch (err) {
      if (attempt >= 5 || !/Error opening specified endpoint|Address already in use/.test(log())) {
        giveUp();
        throw err;
      }
      reset();
    }
  }
}

export async function startSnmpd(options: SnmpdOptions = {}): Promise<RunningSnmpd> {
  const dir = mkdtempSync(join(tmpdir(), 'snmpd-'));
  mkdirSync(join(dir, 'persist'));
  const agentxSocket = options.agentxSocket ?? `unix:${join(dir, 'agentx.sock')}`;
  const conf = join(dir, 'snmpd.conf');
  const logFile = join(dir, 'snmpd.log');
  writeFileSync(conf, config(agentxSocket, options));
  const binary = findBinary('snmpd');
  const timeoutMs = options.startTimeoutMs ?? 15_000;

  const launch = async (port: number): Promise<ManagedProcess> => {
    // -f: stay in the foreground (we own the PID); -C: no system config files;
    // -m "": load no MIB files (numeric OIDs only, no warnings); no -D.
    const args = ['-f', '-C', '-c', conf, '-m', '', '-Lf', logFile, '-p', join(dir, 'snmpd.pid'), `udp:127.0.0.1:${port}`];
    const proc = await spawnManaged(binary, args, daemonEnv(dir));
    await waitUntilAnswering(proc, port, agentxSocket, timeoutMs, () => readLog(logFile));
    return proc;
  };

  const { port, proc } = await onFreeUdpPort(launch, () => readLog(logFile), () => rmSync(logFile, { force: true }), () =>
    rmSync(dir, { recursive: true, force: true }),
  );

  let current: ManagedProcess = proc;
  let stopped = false;
  return {
    port,
    target: `127.0.0.1:${port}`,
    agentxSocket,
    dir,
    community: 'public',
    writeCommunity: 'private',
    get pid() {
      return current.pid;
    },
    isRunning: () => current.isRunning(),
    log: () => readLog(logFile),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await current.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    kill9: () => current.kill9(),
    restart: async () => {
      if (stopped) throw new Error('snmpd was stopped for good; start a new one');
      await current.stop();
      // A SIGKILLed master leaves its socket behind.
      if (agentxSocket.startsWith('unix:')) rmSync(agentxSocket.slice('unix:'.length), { force: true });
      current = await launch(port);
    },
  };
}

function config(agentxSocket: string, options: SnmpdOptions): string {
  const lines = [
    'master agentx',
    `agentXSocket ${agentxSocket}`,
    'agentXPerms 0660 0770',
    `agentXTimeout ${options.agentXTimeoutSeconds ?? 2}`,
    `agentXRetries ${options.agentXRetries ?? 1}`,
    'rocommunity public 127.0.0.1',
    'rwcommunity private 127.0.0.1',
    'dontLogTCPWrappersConnects yes',
  ];
  if (options.trapSink !== undefined) {
    lines.push(`trap2sink 127.0.0.1:${options.trapSink.port} ${options.trapSink.community ?? 'public'}`);
  }
  const extra = options.extraConf;
  if (extra !== undefined) lines.push(...(typeof extra === 'string' ? [extra] : extra));
  return `${lines.join('\n')}\n`;
}

async function waitUntilAnswering(
  proc: ManagedProcess,
  port: number,
  agentxSocket: string,
  timeoutMs: number,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const socketPath = agentxSocket.startsWith('unix:') ? agentxSocket.slice('unix:'.length) : undefined;
  while (Date.now() < deadline) {
    if (!proc.isRunning()) {
      throw new Error(`snmpd exited with ${await proc.exited} before answering\n${proc.output()}${log()}`);
    }
    const socketReady = socketPath === undefined || existsSync(socketPath);
    if (socketReady) {
      const r = await snmpCmd('snmpget', ['-v2c', '-c', 'public', '-On', '-t', '0.5', '-r', '0', `127.0.0.1:${port}`, SYS_UPTIME]);
      if (r.code === 0) return;
    } else {
      await sleep(50);
    }
  }
  await proc.kill9();
  throw new Error(`snmpd on 127.0.0.1:${port} did not answer within ${timeoutMs} ms\n${proc.output()}${log()}`);
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
