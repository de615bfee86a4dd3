/**
 * What the check judges: the few facts per bond that its rules need, the same
 * whether they were read from this host's sysfs/procfs or walked over SNMP
 * from LINUX-BONDING-MIB. `undefined` means the source did not say.
 */
import type { BondMiiStatus, BondMode, SlaveMiiStatus, SlaveState } from '../bonding/types.js';

export interface CheckSlave {
  readonly name: string;
  readonly miiStatus: SlaveMiiStatus | undefined;
  readonly state: SlaveState | undefined;
  /** The driver's count of this slave's link failures (never reset while the bond lives). */
  readonly linkFailureCount: number | undefined;
  readonly speedMbps: number | undefined;
  /** 802.3ad: the aggregator this slave is attached to; undefined outside 802.3ad or when it has none. */
  readonly aggregatorId: number | undefined;
}

export interface CheckBond {
  readonly name: string;
  readonly mode: BondMode | undefined;
  readonly miiStatus: BondMiiStatus | undefined;
  readonly activeSlave: string | undefined;
  readonly primary: string | undefined;
  /** 802.3ad: the bond's active aggregator; undefined when it has none or the source hides it. */
  readonly activeAggregator: number | undefined;
  /** Failovers the agent saw (remote: bondFailoverCount); undefined where nobody counts them (local). */
  readonly failoverCount: number | undefined;
  readonly slaves: readonly CheckSlave[];
}

export interface CheckInput {
  readonly bonds: readonly CheckBond[];
  /** Problems met while reading (a malformed kernel file): shown, never judged. */
  readonly notes: readonly string[];
}
