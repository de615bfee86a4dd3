import { MAX_ENGINE_VALUE, type EngineClock } from './engine-clock.js';

/** RFC 3414 3.2 step 7a: the time window, in seconds either side of our snmpEngineTime. */
export const TIME_WINDOW_SECONDS = 150;

/** The msgAuthoritativeEngineBoots and msgAuthoritativeEngineTime a request claims for this engine. */
export interface ClaimedEngineTime {
  readonly boots: number;
  readonly time: number;
}

/**
 * RFC 3414 3.2 step 7a, for an authenticated message of which this engine is
 * the authoritative one: outside the time window when our boots is
 * 2^31 - 1, when the message's boots is not ours, or when its time is more
 * than 150 s from ours (either way). A replayed request fails this as soon
 * as the agent has restarted (boots grew) or 150 s have passed.
 */
export function inTimeWindow(claimed: ClaimedEngineTime, ours: EngineClock): boolean {
  if (ours.boots >= MAX_ENGINE_VALUE) return false;
  if (claimed.boots !== ours.boots) return false;
  return Math.abs(claimed.time - ours.time()) <= TIME_WINDOW_SECONDS;
}
