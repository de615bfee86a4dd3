/** Retry delays that double from a first delay up to a ceiling, with optional jitter. */
export interface BackoffOptions {
  /** First delay after a failure, ms. */
  readonly initialMs: number;
  /** Ceiling, ms. */
  readonly maxMs: number;
  /** Fraction (0..1) taken off at random, so many clients do not retry in step. */
  readonly jitter: number;
}

/** Delay before attempt `attempt` (1-based): doubling from initialMs, capped at maxMs. */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exp = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(exp * (1 - options.jitter * random()));
}
