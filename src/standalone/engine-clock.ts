/**
 * snmpEngineBoots and snmpEngineTime (RFC 3414 2.2) of the embedded agent,
 * which is the authoritative engine of its responses and of its v3
 * notifications. A receiver drops a v3 notification whose boots is lower, or
 * whose time lags more than 150 s behind, what it saw before; net-snmp always
 * sends 0 and 0, which a receiver accepts for its first 150 s only.
 *
 * There is no state kept across restarts, so boots is taken from the clock:
 * the seconds since 2020-01-01 at start, which grows with every restart
 * (restarts more than a second apart, a clock that does not go back) and
 * stays below 2^31 - 1 until 2088.
 */
export interface EngineClock {
  readonly boots: number;
  /** Seconds since the agent started. */
  time(): number;
}

const EPOCH_2020_MS = Date.UTC(2020, 0, 1);
const MAX = 2 ** 31 - 1;

export function engineClock(wallMs: number = Date.now(), now: () => number = () => performance.now()): EngineClock {
  const started = now();
  return {
    boots: Math.min(Math.max(Math.floor((wallMs - EPOCH_2020_MS) / 1000), 1), MAX),
    time: () => Math.min(Math.floor((now() - started) / 1000), MAX),
  };
}
