/**
 * The periodic check behind link events. Reading every attribute of every
 * bond costs a few hundred file reads per bond, so most polls first look at
 * the fingerprints (the list of bonds and each /proc/net/bonding file) and
 * re-read only the bonds whose file changed; every `fullReadEvery`-th poll
 * reads everything regardless, for what only sysfs shows.
 */
import { changedBonds, type Fingerprints } from '../bonding/index.js';
import type { TimerHandle, Timers } from '../support/index.js';

export interface PollerOptions {
  readonly timers: Timers;
  readonly intervalMs: number;
  /** Every how many polls everything is read (default 6). */
  readonly fullReadEvery?: number;
  readonly fingerprints: () => Fingerprints | undefined;
  readonly requestFull: () => void;
  readonly requestBond: (name: string) => void;
}

export class Poller {
  private timer: TimerHandle | undefined;
  private polls = 0;
  private previous: Fingerprints | undefined;
  private stopped = true;

  constructor(private readonly opts: PollerOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.opts.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One check, now. */
  poll(): void {
    this.polls++;
    const next = this.opts.fingerprints();
    const changed = changedBonds(this.previous, next);
    this.previous = next;
    if (this.polls % (this.opts.fullReadEvery ?? 6) === 0 || changed === 'all') {
      this.opts.requestFull();
      return;
    }
    for (const name of changed) this.opts.requestBond(name);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.opts.timers.setTimeout(() => {
      this.timer = undefined;
      this.poll();
      this.schedule();
    }, this.opts.intervalMs);
  }
}
