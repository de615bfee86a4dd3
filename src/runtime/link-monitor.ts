import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { backoffDelay, systemTimers, type Logger, type TimerHandle, type Timers } from '../support/index.js';
import { parseIpMonitorLine, type LinkEvent } from './ip-monitor-line.js';

export interface LinkMonitorOptions {
  /** The command to run; `ip -o monitor link` by default. */
  readonly command?: readonly string[];
  readonly onEvent: (event: LinkEvent) => void;
  readonly logger: Logger;
  /** Restart delay bounds after the monitor exits unexpectedly. */
  readonly minRestartMs?: number;
  readonly maxRestartMs?: number;
  readonly timers?: Timers;
}

/**
 * Follows rtnetlink link notifications through iproute2's `ip monitor`.
 *
 * Why a child process and not a netlink socket of our own: Node has no
 * netlink sockets without a native addon, and iproute2 is on every host that
 * has bonds; its one-line output (`-o`) is stable and carries the interface,
 * its index and its master, which is all we need to know which bond to
 * re-read. The monitor only says "look now": the state itself is always read
 * from sysfs/procfs, so a missed or misparsed line costs latency, never
 * correctness (the periodic full read is the safety net).
 */
export class LinkMonitor {
  private child: ChildProcess | undefined;
  private stopped = true;
  private restartTimer: TimerHandle | undefined;
  /** Restarts since the monitor last stayed up for a while. */
  private failures = 0;
  private spawnedAt: number | undefined;
  private readonly command: readonly string[];
  private readonly minRestartMs: number;
  private readonly maxRestartMs: number;
  private readonly timers: Timers;

  constructor(private readonly opts: LinkMonitorOptions) {
    this.command = opts.command ?? ['ip', '-o', 'monitor', 'link'];
    this.minRestartMs = opts.minRestartMs ?? 1000;
    this.maxRestartMs = opts.maxRestartMs ?? 60_000;
    this.timers = opts.timers ?? systemTimers;
  }

  start(): void {
    this.stopped = false;
    this.spawnMonitor();
  }

  stop(): void {
    this.stopped = true;
    if (this.restartTimer !== undefined) this.timers.clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }

  private spawnMonitor(): void {
    const [cmd, ...args] = this.command;
    const { logger } = this.opts;
    let child: ChildProcess;
    try {
      child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      this.onExit(err instanceof Error ? err.message : String(err));
      return;
    }
    this.child = child;
    let failed = false;
    child.once('spawn', () => {
      logger.info({ command: this.command.join(' ') }, 'following link changes through rtnetlink');
      this.spawnedAt = this.timers.now();
    });
    child.once('error', (err) => {
      failed = true;
      if (this.child === child) this.child = undefined;
      this.onExit(err.message);
    });
    // 'close', not 'exit': the streams are done by then, so every line the
    // monitor printed is told before it is said to have stopped and restarted.
    child.once('close', (code, signal) => {
      if (failed) return;
      if (this.child === child) this.child = undefined;
      this.onExit(`exited with ${signal ?? `code ${code}`}`);
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = parseIpMonitorLine(line);
      if (event) this.opts.onEvent(event);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      logger.warn({ command: this.command.join(' '), stderr: line }, 'link monitor said');
    });
  }

  private onExit(reason: string): void {
    if (this.stopped) return;
    // Only a monitor that stayed up for a while earns a fresh backoff; one
    // that dies at once must not be restarted in a tight loop.
    if (this.spawnedAt !== undefined && this.timers.now() - this.spawnedAt >= this.maxRestartMs) this.failures = 0;
    this.spawnedAt = undefined;
    this.failures++;
    const delay = backoffDelay(this.failures, { initialMs: this.minRestartMs, maxMs: this.maxRestartMs, jitter: 0 });
    this.opts.logger.warn(
      { command: this.command.join(' '), reason, retryInMs: delay },
      'link monitor stopped; changes are seen by periodic reads until it is back',
    );
    this.restartTimer = this.timers.setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.stopped) this.spawnMonitor();
    }, delay);
  }
}
