import type { Bond } from '../bonding/types.js';

/**
 * What the agent itself has seen of a bond's failovers; the kernel keeps no
 * such count. Keyed by `bondKey`, so a bond deleted and created again (new
 * ifindex) starts from zero.
 */
export interface FailoverRecord {
  readonly count: number;
  /** Local monotonic time (ms) of the last failover; it becomes a TimeStamp on the serving agent's clock. */
  readonly lastAt: number;
}

export type FailoverRecords = ReadonlyMap<string, FailoverRecord>;

export const bondKey = (bond: Pick<Bond, 'name' | 'ifIndex'>): string => `${bond.name}#${bond.ifIndex ?? '?'}`;
