/**
 * RFC 3414 3.2 step 7a, the time window, and the engine clock it is checked
 * against, on injected clocks: what a replayed request meets 150 s later in
 * the same agent, without waiting 150 s.
 */
import { describe, expect, it } from 'vitest';
import { bootsFromWallClock, engineClock, MAX_ENGINE_VALUE } from '../../src/standalone/engine-clock.js';
import { inTimeWindow, TIME_WINDOW_SECONDS } from '../../src/standalone/time-window.js';

describe('engineClock', () => {
  it('keeps the boots it is given; time counts whole seconds on the injected clock', () => {
    let now = 1000;
    const clock = engineClock(42, () => now);
    expect(clock.boots).toBe(42);
    expect(clock.time()).toBe(0);
    now += 2999;
    expect(clock.time()).toBe(2);
    expect(engineClock(MAX_ENGINE_VALUE + 5).boots).toBe(MAX_ENGINE_VALUE);
  });

  it('bootsFromWallClock grows one per second of wall clock, from 1, and stops at 2^31-1', () => {
    expect(bootsFromWallClock(Date.UTC(2026, 0, 1, 0, 0, 5)) - bootsFromWallClock(Date.UTC(2026, 0, 1))).toBe(5);
    expect(bootsFromWallClock(Date.UTC(2019, 0, 1))).toBe(1);
    expect(bootsFromWallClock(Date.UTC(2200, 0, 1))).toBe(2 ** 31 - 1);
  });
});

describe('inTimeWindow (RFC 3414 3.2 step 7a)', () => {
  let now = 0;
  const ours = engineClock(7, () => now);
  const at = (seconds: number) => {
    now = seconds * 1000;
  };

  it('accepts our boots with a time up to 150 s either side of ours, and nothing else', () => {
    at(1000);
    expect(TIME_WINDOW_SECONDS).toBe(150);
    expect(inTimeWindow({ boots: 7, time: 1000 }, ours)).toBe(true);
    expect(inTimeWindow({ boots: 7, time: 850 }, ours)).toBe(true);
    expect(inTimeWindow({ boots: 7, time: 1150 }, ours)).toBe(true);
    expect(inTimeWindow({ boots: 7, time: 849 }, ours)).toBe(false);
    expect(inTimeWindow({ boots: 7, time: 1151 }, ours)).toBe(false);
    expect(inTimeWindow({ boots: 6, time: 1000 }, ours)).toBe(false);
    expect(inTimeWindow({ boots: 8, time: 1000 }, ours)).toBe(false);
    expect(inTimeWindow({ boots: 0, time: 0 }, ours)).toBe(false);
  });

  it('a request taken at some time is refused once our clock is more than 150 s past it', () => {
    at(20);
    const captured = { boots: ours.boots, time: ours.time() };
    expect(inTimeWindow(captured, ours)).toBe(true);
    at(170);
    expect(inTimeWindow(captured, ours)).toBe(true);
    at(171);
    expect(inTimeWindow(captured, ours)).toBe(false);
  });

  it('refuses everything once boots is 2^31-1, even the right boots and time', () => {
    const stuck = engineClock(MAX_ENGINE_VALUE, () => 0);
    expect(inTimeWindow({ boots: MAX_ENGINE_VALUE, time: 0 }, stuck)).toBe(false);
  });
});
