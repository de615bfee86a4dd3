/**
 * The driver raises a slave's link failure count a moment before it marks the
 * slave down, and a bond is read file by file: one read can catch the new
 * count beside the old status, which looks like a flap. A read whose diff
 * tells an inferred flap is not trusted at once: the same scope is read
 * again a little later, and that second read is diffed against the same
 * previous snapshot.
 */
import type { BondingEvent } from '../bonding/index.js';
import type { TimerHandle, Timers } from '../support/index.js';

/** Delay of the second look at an inferred flap. */
export const CONFIRM_FLAP_MS = 50;

export class FlapConfirmation {
  /** Scopes whose last read implied a flap, waiting for their second look. */
  private readonly confirming = new Set<string>();
  private readonly timers_ = new Set<TimerHandle>();
  private stopped = false;

  constructor(
    private readonly timers: Timers,
    private readonly reread: (scope: string) => void,
  ) {}

  /**
   * True when these events may be told now; false when a second look was
   * scheduled instead (the read must then be set aside).
   */
  accept(scope: string, events: readonly BondingEvent[]): boolean {
    const inferred = events.some((e) => (e.type === 'slaveLinkDown' || e.type === 'slaveLinkUp') && e.inferred);
    if (!inferred || this.confirming.has(scope) || this.stopped) {
      this.confirming.delete(scope);
      return true;
    }
    this.confirming.add(scope);
    const timer = this.timers.setTimeout(() => {
      this.timers_.delete(timer);
      if (!this.stopped) this.reread(scope);
    }, CONFIRM_FLAP_MS);
    this.timers_.add(timer);
    return false;
  }

  /** A read that changed nothing needs no confirmation any more. */
  settled(scope: string): void {
    this.confirming.delete(scope);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers_) this.timers.clearTimeout(t);
    this.timers_.clear();
  }
}
