/**
 * snmpEngineBoots and snmpEngineTime (RFC 3414 2.2) of the embedded agent,
 * which is the authoritative engine of its responses and of its v3
 * notifications. A receiver drops a v3 notification whose boots is lower, or
 * whose time lags more than 150 s behind, what it saw before; the agent
 * refuses a request whose boots is not its own or whose time is more than
 * 150 s off (time-window.ts). Boots must therefore grow at every start:
 * engine-state.ts keeps it in a state file, and falls back to
 * `bootsFromWallClock` where it cannot.
 */
export interface EngineClock {
  readonly boots: number;
  /** Seconds since the agent started. */
  time(): number;
}

/** RFC 3414 2.2.2: boots and time stop at 2^31 - 1; at that boots every authenticated request is refused. */
export const MAX_ENGINE_VALUE = 2 ** 31 - 1;

const EPOCH_2020_MS = Date.UTC(2020, 0, 1);

/**
 * Boots without a state file: the seconds since 2020-01-01, which grows with
 * every restart (restarts more than a second apart, a clock that does not go
 * back) and stays below 2^31 - 1 until 2088.
 */
export function bootsFromWallClock(wallMs: number = Date.now()): number {
  return Math.min(Math.max(Math.floor((wallMs - EPOCH_2020_MS) / 1000), 1), MAX_ENGINE_VALUE);
}

/** `boots` as given; time counted on `now` (milliseconds, monotonic; injectable for tests) from this call. */
export function engineClock(boots: number, now: () => number = () => performance.now()): EngineClock {
  const started = now();
  return {
    boots: Math.min(Math.max(Math.floor(boots), 0), MAX_ENGINE_VALUE),
    time: () => Math.min(Math.floor((now() - started) / 1000), MAX_ENGINE_VALUE),
  };
}
