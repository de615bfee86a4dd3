import { describe, expect, it } from 'vitest';
import type { BondingEvent } from '../../src/bonding/index.js';
import { CONFIRM_FLAP_MS, FlapConfirmation } from '../../src/runtime/flap-confirmation.js';
import { ManualTimers } from '../support/manual-timers.js';

const flap = (inferred: boolean): BondingEvent => ({
  type: 'slaveLinkDown',
  bond: { name: 'bond0', ifIndex: 2 },
  slave: { name: 'eth0', ifIndex: 4 },
  miiStatus: 'down',
  oldMiiStatus: 'up',
  newMiiStatus: 'up',
  oldLinkFailureCount: 1,
  newLinkFailureCount: 2,
  state: 'active',
  inferred,
});

describe('FlapConfirmation', () => {
  it('tells real transitions at once', () => {
    const c = new FlapConfirmation(new ManualTimers(), () => undefined);
    expect(c.accept('bond0', [flap(false)])).toBe(true);
    expect(c.accept('bond0', [])).toBe(true);
  });

  it('sets an inferred flap aside, looks again 50 ms later, and tells what the second look shows', async () => {
    const timers = new ManualTimers();
    const rereads: [string, number][] = [];
    const c = new FlapConfirmation(timers, (scope) => rereads.push([scope, timers.now()]));
    expect(c.accept('bond0', [flap(true)])).toBe(false);
    await timers.advance(100);
    expect(rereads).toEqual([['bond0', CONFIRM_FLAP_MS]]);
    // The second look still implies the flap: now it is told.
    expect(c.accept('bond0', [flap(true)])).toBe(true);
    // And the next one is looked at twice again.
    expect(c.accept('bond0', [flap(true)])).toBe(false);
  });

  it('a read that changed nothing ends the wait; scopes are apart', async () => {
    const timers = new ManualTimers();
    const c = new FlapConfirmation(timers, () => undefined);
    expect(c.accept('full', [flap(true)])).toBe(false);
    expect(c.accept('bond0', [flap(true)])).toBe(false);
    c.settled('full');
    expect(c.accept('full', [flap(true)])).toBe(false);
    expect(c.accept('bond0', [flap(true)])).toBe(true);
  });

  it('once stopped, schedules nothing and holds nothing back', async () => {
    const timers = new ManualTimers();
    let rereads = 0;
    const c = new FlapConfirmation(timers, () => rereads++);
    expect(c.accept('bond0', [flap(true)])).toBe(false);
    c.stop();
    await timers.advance(100);
    expect(rereads).toBe(0);
    expect(c.accept('bond1', [flap(true)])).toBe(true);
  });
});
