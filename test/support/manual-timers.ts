import type { TimerHandle, Timers } from '../../src/support/index.js';

interface Scheduled {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/**
 * Timers a test drives: nothing fires until `advance` moves the clock, and
 * then every timer due fires in order of its due time, with the clock at that
 * time. Between timers, pending promise jobs (and I/O the code awaits, with
 * `settle`) get their turn, as they would on the real event loop.
 */
export class ManualTimers implements Timers {
  private clock = 0;
  private nextId = 1;
  private readonly scheduled = new Map<number, Scheduled>();
  /** Every delay asked for, in order. */
  readonly delays: number[] = [];

  constructor(
    /** Awaited after each timer fires: by default, the promise jobs queued so far. */
    private readonly settle: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve)),
  ) {}

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.delays.push(ms);
    this.scheduled.set(id, { id, at: this.clock + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.scheduled.delete(handle as number);
  }

  now(): number {
    return this.clock;
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.scheduled.size;
  }

  /** Moves the clock `ms` forward, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.clock + ms;
    for (;;) {
      await this.settle();
      const due = [...this.scheduled.values()].filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.scheduled.delete(due.id);
      this.clock = due.at;
      due.fn();
    }
    this.clock = end;
    await this.settle();
  }
}
