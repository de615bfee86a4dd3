/**
 * After a link event the carrier change comes first; the driver's verdict
 * (the slave down, the failover) follows at its next link monitor tick, after
 * updelay/downdelay. Not every verdict is announced on rtnetlink, so the bond
 * is read again every half monitor interval until the longest the driver may
 * take: the verdict is seen within about half a tick of the kernel's own.
 * One bond's read is about a millisecond; a new event restarts the watch.
 */
import type { Bond } from '../bonding/index.js';
import type { TimerHandle, Timers } from '../support/index.js';

/** How long the driver may take to act on a carrier change. */
export function settleTime(bond: Bond): number {
  const monitor = bond.miimon || bond.arpInterval || 100;
  return monitor + Math.max(bond.updelay ?? 0, bond.downdelay ?? 0) + monitor;
}

export class SettleWatch {
  private readonly watching = new Map<string, TimerHandle>();
  private stopped = false;

  constructor(
    private readonly timers: Timers,
    private readonly reread: (bond: string) => void,
    /** Margin after the settle time. */
    private readonly marginMs = 50,
  ) {}

  watch(bond: Bond): void {
    if (this.stopped) return;
    this.cancel(bond.name);
    const monitor = bond.miimon || bond.arpInterval || 100;
    const step = Math.min(500, Math.max(25, monitor / 2));
    const until = this.timers.now() + settleTime(bond) + this.marginMs;
    const tick = (): void => {
      this.watching.delete(bond.name);
      if (this.stopped) return;
      this.reread(bond.name);
      const left = until - this.timers.now();
      if (left > 0) this.watching.set(bond.name, this.timers.setTimeout(tick, Math.min(step, left)));
    };
    this.watching.set(bond.name, this.timers.setTimeout(tick, step));
  }

  stop(): void {
    this.stopped = true;
    for (const name of [...this.watching.keys()]) this.cancel(name);
  }

  private cancel(name: string): void {
    const timer = this.watching.get(name);
    if (timer !== undefined) this.timers.clearTimeout(timer);
    this.watching.delete(name);
  }
}
