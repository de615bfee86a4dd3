import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Starts Net-SNMP's snmpd (AgentX master) and snmptrapd in a private temp dir,
// on loopback UDP ports and a unix socket, and runs the command-line tools.
// Every process is stopped by PID.

export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitUntil(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      try {
        process.kill(child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 3000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    try {
      process.kill(child.pid!, signal);
    } catch {
      clearTimeout(t);
      resolve();
    }
  });
}

export interface SnmpdOptions {
  /** Extra snmpd.conf lines. */
  readonly conf?: readonly string[];
}

export class Snmpd {
  readonly dir: string;
  readonly socketPath: string;
  readonly logPath: string;
  port = 0;
  private child: ChildProcess | undefined;

  constructor(private readonly options: SnmpdOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'agentx-snmpd-'));
    this.socketPath = join(this.dir, 'agentx.sock');
    this.logPath = join(this.dir, 'snmpd.log');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get target(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.port === 0) this.port = await freeUdpPort();
    const conf = [
      'master agentx',
      `agentXSocket unix:${this.socketPath}`,
      'agentXPerms 0660 0770',
      'agentXTimeout 5',
      'agentXRetries 0',
      'rocommunity public 127.0.0.1',
      'rwcommunity private 127.0.0.1',
      ...(this.options.conf ?? []),
    ];
    const confPath = join(this.dir, 'snmpd.conf');
    writeFileSync(confPath, conf.join('\n') + '\n');
    const log = openSync(this.logPath, 'a');
    this.child = spawn(
      'snmpd',
      ['-f', '-Lo', '-C', '-c', confPath, '-p', join(this.dir, 'snmpd.pid'), `udp:127.0.0.1:${this.port}`],
      { stdio: ['ignore', log, log], env: { ...process.env, SNMP_PERSISTENT_DIR: join(this.dir, 'persist'), MIBS: '', MIBDIRS: join(this.dir, 'no-mibs') } },
    );
    closeSync(log);
    const child = this.child;
    await waitUntil(() => existsSync(this.socketPath) || child.exitCode !== null, 10_000, 'the snmpd AgentX socket');
    if (child.exitCode !== null) throw new Error(`snmpd exited with ${child.exitCode}: ${this.log().slice(-2000)}`);
    await waitUntil(() => this.log().includes('NET-SNMP version'), 10_000, 'snmpd to start');
  }

  log(): string {
    return existsSync(this.logPath) ? readFileSync(this.logPath, 'utf8') : '';
  }

  /** kill -9: no Close, no cleanup, the socket file stays behind. */
  async kill9(): Promise<void> {
    await stopChild(this.child, 'SIGKILL');
  }

  async stop(): Promise<void> {
    await stopChild(this.child);
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class Snmptrapd {
  readonly dir: string;
  readonly outPath: string;
  port = 0;
  private child: ChildProcess | undefined;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'agentx-snmptrapd-'));
    this.outPath = join(this.dir, 'traps.log');
  }

  async start(): Promise<void> {
    this.port = await freeUdpPort();
    const confPath = join(this.dir, 'snmptrapd.conf');
    writeFileSync(confPath, 'disableAuthorization yes\n');
    const out = openSync(this.outPath, 'a');
    // One line per notification: "TRAP <oid> = <value>\t<oid> = <value>..." with numeric OIDs.
    this.child = spawn(
      'snmptrapd',
      ['-f', '-Lo', '-On', '-C', '-c', confPath, '-p', join(this.dir, 'snmptrapd.pid'), '-F', 'TRAP %v\\n', `udp:127.0.0.1:${this.port}`],
      { stdio: ['ignore', out, out], env: { ...process.env, SNMP_PERSISTENT_DIR: join(this.dir, 'persist'), MIBS: '', MIBDIRS: join(this.dir, 'no-mibs') } },
    );
    closeSync(out);
    const child = this.child;
    await waitUntil(() => this.output().includes('NET-SNMP version') || child.exitCode !== null, 10_000, 'snmptrapd to start');
    if (child.exitCode !== null) throw new Error(`snmptrapd exited with ${child.exitCode}: ${this.output()}`);
  }

  output(): string {
    return existsSync(this.outPath) ? readFileSync(this.outPath, 'utf8') : '';
  }

  traps(): string[] {
    return this.output()
      .split('\n')
      .filter((l) => l.startsWith('TRAP '));
  }

  async waitForTrap(match: (line: string) => boolean, timeoutMs = 10_000): Promise<string> {
    await waitUntil(() => this.traps().some(match), timeoutMs, 'a notification at snmptrapd');
    return this.traps().find(match)!;
  }

  async dispose(): Promise<void> {
    await stopChild(this.child);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs snmpget/snmpwalk/... with numeric output and no MIB loading. */
export function snmpTool(tool: string, args: readonly string[], timeoutMs = 20_000): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(tool, ['-m', '', '-On', ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
