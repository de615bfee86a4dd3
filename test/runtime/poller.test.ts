import { describe, expect, it } from 'vitest';
import type { Fingerprints } from '../../src/bonding/index.js';
import { Poller } from '../../src/runtime/poller.js';
import { ManualTimers } from '../support/manual-timers.js';

function setup(prints: () => Fingerprints | undefined, fullReadEvery = 6) {
  const timers = new ManualTimers();
  const asked: string[] = [];
  const poller = new Poller({
    timers,
    intervalMs: 1000,
    fullReadEvery,
    fingerprints: prints,
    requestFull: () => asked.push(`full@${timers.now()}`),
    requestBond: (name) => asked.push(`${name}@${timers.now()}`),
  });
  return { timers, asked, poller };
}

describe('Poller', () => {
  it('reads everything first, then only the bonds whose /proc/net/bonding changed', async () => {
    let prints = new Map([['bond0', 1], ['bond1', 2]]);
    const { timers, asked, poller } = setup(() => prints);
    poller.start();
    await timers.advance(1000);
    await timers.advance(1000);
    prints = new Map([['bond0', 1], ['bond1', 3]]);
    await timers.advance(1000);
    expect(asked).toEqual(['full@1000', 'bond1@3000']);
  });

  it('reads everything when the list of bonds changes or cannot be read, and every Nth poll', async () => {
    let prints: Fingerprints | undefined = new Map([['bond0', 1]]);
    const { timers, asked, poller } = setup(() => prints, 3);
    poller.start();
    await timers.advance(1000); // first: nothing to compare with
    prints = new Map([['bond0', 1], ['bond1', 2]]);
    await timers.advance(1000); // a new bond
    await timers.advance(1000); // the third poll
    prints = undefined;
    await timers.advance(1000); // unreadable
    prints = new Map([['bond1', 2], ['bond0', 1]]);
    await timers.advance(1000); // after unreadable: nothing to compare with
    await timers.advance(1000); // sixth poll
    await timers.advance(1000); // nothing changed
    expect(asked).toEqual(['full@1000', 'full@2000', 'full@3000', 'full@4000', 'full@5000', 'full@6000']);
  });

  it('stops', async () => {
    const { timers, asked, poller } = setup(() => new Map());
    poller.start();
    poller.stop();
    await timers.advance(10_000);
    expect(asked).toEqual([]);
    expect(timers.pending).toBe(0);
  });
});
