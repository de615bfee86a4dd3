import { describe, expect, it } from 'vitest';
import { SettleWatch, settleTime } from '../../src/runtime/settle-watch.js';
import { bond } from '../bonding/snapshot-builder.js';
import { ManualTimers } from '../support/manual-timers.js';

describe('SettleWatch', () => {
  it('the driver may take two monitor ticks plus the longer delay', () => {
    expect(settleTime(bond('bond0', 2, [], { miimon: 100, updelay: 200, downdelay: 300 }))).toBe(500);
    expect(settleTime(bond('bond7', 3, [], { miimon: 0, arpInterval: 1000 }))).toBe(2000);
    expect(settleTime(bond('bond9', 4, [], { miimon: undefined, arpInterval: undefined }))).toBe(200);
  });

  it('re-reads every half monitor interval until the driver must have decided, then stops', async () => {
    const timers = new ManualTimers();
    const reads: number[] = [];
    const watch = new SettleWatch(timers, () => reads.push(timers.now()), 50);
    watch.watch(bond('bond0', 2, [], { miimon: 100, downdelay: 200 }));
    await timers.advance(1000);
    // Every 50 ms up to 400 ms (100 + 200 + 100), the margin's 50 ms more, and no further.
    expect(reads).toEqual([50, 100, 150, 200, 250, 300, 350, 400, 450]);
    expect(timers.pending).toBe(0);
  });

  it('a new event restarts the watch; a slow monitor is looked at every 500 ms at most', async () => {
    const timers = new ManualTimers();
    const reads: number[] = [];
    const watch = new SettleWatch(timers, () => reads.push(timers.now()), 0);
    const arp = bond('bond7', 3, [], { miimon: 0, arpInterval: 2000 });
    watch.watch(arp);
    await timers.advance(600);
    watch.watch(arp);
    await timers.advance(5000);
    expect(reads).toEqual([500, 1100, 1600, 2100, 2600, 3100, 3600, 4100, 4600]);
  });

  it('stops for good', async () => {
    const timers = new ManualTimers();
    let reads = 0;
    const watch = new SettleWatch(timers, () => reads++);
    watch.watch(bond('bond0', 2, [], { miimon: 100 }));
    watch.stop();
    watch.watch(bond('bond1', 3, [], { miimon: 100 }));
    await timers.advance(1000);
    expect(reads).toBe(0);
  });
});
