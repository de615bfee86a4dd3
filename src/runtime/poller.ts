/**
 * The periodic check behind link events, for what rtnetlink does not
 * announce (an 802.3ad aggregator change, an ARP monitor's verdict on a
 * backup slave). Reading every attribute of every bond costs a few hundred
 * file reads per bond, so a poll looks at the fingerprints (the list of bonds
 * and each /proc/net/bonding file: one read per bond) and re-reads only the
 * bonds whose file changed; that is cheap enough to do every second. Every
 * `fullReadIntervalMs` a poll reads everything regardless, for what neither
 * link events nor procfs tell: a safety net every 2 minutes where link events
 * are followed, every 30 s where they are not (then it alone sees interfaces
 * stacked or unstacked: a VLAN made on a bond).
 */
import { changedBonds, type Fingerprints } from '../bonding/index.js';
import type { TimerHandle, Timers } from '../support/index.js';

/** The period of the check, unless told otherwise (`--poll-interval`). */
export const DEFAULT_POLL_INTERVAL_MS = 1000;
/** How often everything is read regardless of the fingerprints, following link events. */
export const FULL_READ_INTERVAL_MS = 120_000;
/** The same without link events (`--no-link-events`). */
export const FULL_READ_INTERVAL_WITHOUT_LINK_EVENTS_MS = 30_000;

export interface PollerOptions {
  readonly timers: Timers;
  readonly intervalMs: number;
  /** How often everything is read, ms (default FULL_READ_INTERVAL_MS): every Nth poll, N = this / intervalMs rounded, at least 1. */
  readonly fullReadIntervalMs?: number;
  /** Every how many polls everything is read; overrides fullReadIntervalMs. */
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
  /** Every how many polls everything is read. */
  readonly fullReadEvery: number;

  constructor(private readonly opts: PollerOptions) {
    this.fullReadEvery = opts.fullReadEvery ?? Math.max(1, Math.round((opts.fullReadIntervalMs ?? FULL_READ_INTERVAL_MS) / opts.intervalMs));
  }

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
    if (this.polls % this.fullReadEvery === 0 || changed === 'all') {
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
