/**
 * How often the periodic check looks and how often it reads everything:
 * the fingerprints (one /proc/net/bonding read per bond) every poll, every
 * second by default; everything about every 2 minutes whatever the poll
 * interval (every 30 s without link events).
 */
import { describe, expect, it } from 'vitest';
import type { Fingerprints } from '../../src/bonding/index.js';
import { DEFAULT_POLL_INTERVAL_MS, FULL_READ_INTERVAL_MS, FULL_READ_INTERVAL_WITHOUT_LINK_EVENTS_MS, Poller } from '../../src/runtime/poller.js';
import { ManualTimers } from '../support/manual-timers.js';

function run(intervalMs: number, seconds: number, change?: { atMs: number; bond: string }, fullReadIntervalMs?: number) {
  const timers = new ManualTimers();
  const looks: number[] = [];
  const full: number[] = [];
  const bonds: string[] = [];
  const prints = (): Fingerprints => {
    looks.push(timers.now());
    const changed = change !== undefined && timers.now() >= change.atMs;
    return new Map([
      ['bond0', 1],
      ['bond1', changed ? 3 : 2],
    ]);
  };
  const poller = new Poller({
    timers,
    intervalMs,
    ...(fullReadIntervalMs !== undefined ? { fullReadIntervalMs } : {}),
    fingerprints: prints,
    requestFull: () => full.push(timers.now()),
    requestBond: (name) => bonds.push(`${name}@${timers.now()}`),
  });
  poller.start();
  return { timers, looks, full, bonds, poller, done: timers.advance(seconds * 1000).then(() => poller.stop()) };
}

describe('the periodic check, by default', () => {
  it('looks at the fingerprints every second and reads everything every 2 minutes', async () => {
    expect(DEFAULT_POLL_INTERVAL_MS).toBe(1000);
    expect(FULL_READ_INTERVAL_MS).toBe(120_000);
    const r = run(DEFAULT_POLL_INTERVAL_MS, 250);
    await r.done;
    expect(r.looks).toHaveLength(250);
    expect(r.looks.slice(0, 3)).toEqual([1000, 2000, 3000]);
    // The first look has nothing to compare with: everything; then every 120th.
    expect(r.full).toEqual([1000, 120_000, 240_000]);
    expect(r.bonds).toEqual([]);
  });

  it('a bond whose /proc/net/bonding file changed is read at the next look, within a second', async () => {
    const r = run(DEFAULT_POLL_INTERVAL_MS, 10, { atMs: 4_300, bond: 'bond1' });
    await r.done;
    expect(r.bonds).toEqual(['bond1@5000']);
  });
});

describe('--poll-interval', () => {
  it.each([
    [5_000, 24, [5_000, 120_000, 240_000]],
    [400, 300, [400, 120_000, 240_000]],
    [150_000, 1, [150_000]],
  ])('every %i ms: everything every %i polls, still about every 2 minutes', async (intervalMs, every, fullAt) => {
    const r = run(intervalMs, 250);
    expect(r.poller.fullReadEvery).toBe(every);
    await r.done;
    expect(r.full).toEqual(fullAt);
  });
});

describe('--no-link-events', () => {
  it.each([
    [1_000, 30, [1_000, 30_000, 60_000, 90_000]],
    [5_000, 6, [5_000, 30_000, 60_000, 90_000]],
    [45_000, 1, [45_000, 90_000]],
  ])('every %i ms: everything every %i polls, about every 30 s', async (intervalMs, every, fullAt) => {
    expect(FULL_READ_INTERVAL_WITHOUT_LINK_EVENTS_MS).toBe(30_000);
    const r = run(intervalMs, 95, undefined, FULL_READ_INTERVAL_WITHOUT_LINK_EVENTS_MS);
    expect(r.poller.fullReadEvery).toBe(every);
    await r.done;
    expect(r.full).toEqual(fullAt);
  });
});
