/**
 * The bonding driver's state as the kernel shows it in sysfs and procfs.
 *
 * `undefined` always means "the kernel did not say" (attribute absent on this kernel, unreadable
 * without privileges, empty, or malformed — in the last case a warning is recorded).
 */

/** Bonding modes, in the kernel's own names (sysfs `mode`). */
export const BOND_MODES = [
  'balance-rr',
  'active-backup',
  'balance-xor',
  'broadcast',
  '802.3ad',
  'balance-tlb',
  'balance-alb',
] as const;
export type BondMode = (typeof BOND_MODES)[number];

/** A slave's link as the bonding driver sees it (`bonding_slave/mii_status`). */
export type SlaveMiiStatus = 'up' | 'down' | 'going down' | 'going back';

/** The bond's own MII status (`bonding/mii_status`). */
export type BondMiiStatus = 'up' | 'down';

/** `bonding_slave/state`. */
export type SlaveState = 'active' | 'backup';

/** Something the reader could not make sense of; the rest of the snapshot is still produced. */
export interface ReadWarning {
  readonly file: string;
  /** 1-based line number inside `file`, when the problem is on one line. */
  readonly line?: number;
  readonly message: string;
}

/** Generic per-interface attributes under `/sys/class/net/<if>/`. */
export interface LinkAttributes {
  readonly name: string;
  /**
   * The kernel's ifindex (`/sys/class/net/<if>/ifindex`), the same number IF-MIB uses.
   * `undefined` when it could not be read: the interface is still reported, consumers that
   * need an index (the SNMP tables) skip it.
   */
  readonly ifIndex: number | undefined;
  readonly operState: string | undefined;
  readonly carrier: boolean | undefined;
  /** `speed`; the kernel's -1 (SPEED_UNKNOWN) and procfs's `Speed: Unknown` are `undefined`. */
  readonly speedMbps: number | undefined;
  /** `full`, `half` or `unknown`: the kernel's word. */
  readonly duplex: string | undefined;
  readonly address: string | undefined;
  readonly mtu: number | undefined;
  /** `ifalias`; an empty alias is `undefined`. */
  readonly ifAlias: string | undefined;
}

/** One side of a slave's LACPDU details (procfs `details actor/partner lacp pdu:`, privileged). */
export interface LacpPduDetails {
  readonly systemPriority: number | undefined;
  readonly systemMacAddress: string | undefined;
  /** The actor's `port key` or the partner's `oper key`. */
  readonly portKey: number | undefined;
  readonly portPriority: number | undefined;
  readonly portNumber: number | undefined;
  /** The LACP port state octet; see `decodeLacpPortState`. */
  readonly portState: number | undefined;
}

export interface Slave extends LinkAttributes {
  readonly state: SlaveState | undefined;
  readonly miiStatus: SlaveMiiStatus | undefined;
  readonly linkFailureCount: number | undefined;
  readonly permHwAddr: string | undefined;
  readonly queueId: number | undefined;
  /** 802.3ad aggregator this port is attached to; `N/A` (not 802.3ad, or no aggregator) is `undefined`. */
  readonly aggregatorId: number | undefined;
  readonly adActorOperPortState: number | undefined;
  readonly adPartnerOperPortState: number | undefined;
  /** procfs `Actor Churn State` (`monitoring`, `none`, `churned`): the kernel's word. */
  readonly actorChurnState: string | undefined;
  readonly partnerChurnState: string | undefined;
  readonly actorChurnedCount: number | undefined;
  readonly partnerChurnedCount: number | undefined;
  readonly actorLacpPdu: LacpPduDetails | undefined;
  readonly partnerLacpPdu: LacpPduDetails | undefined;
}

/**
 * A bond. Each sysfs attribute under `bonding/` appears under its camelCased file name; enumerated
 * attributes such as `xmit_hash_policy` ("layer3+4 1") keep the kernel's name ("layer3+4").
 * Times are in the kernel's units: milliseconds for miimon, updelay, downdelay, peerNotifDelay and
 * arpInterval; seconds for lpInterval.
 */
export interface Bond extends LinkAttributes {
  readonly mode: BondMode | undefined;
  readonly slaves: readonly Slave[];
  /** Name of the current active slave; `undefined` when there is none or the kernel did not say. */
  readonly activeSlave: string | undefined;
  readonly primary: string | undefined;
  readonly primaryReselect: string | undefined;
  readonly miiStatus: BondMiiStatus | undefined;
  readonly miimon: number | undefined;
  readonly updelay: number | undefined;
  readonly downdelay: number | undefined;
  readonly peerNotifDelay: number | undefined;
  readonly useCarrier: boolean | undefined;
  readonly arpInterval: number | undefined;
  readonly arpIpTarget: readonly string[] | undefined;
  /** procfs `NS IPv6 target/s` (or sysfs `ns_ip6_target` where the kernel has it). */
  readonly nsIp6Target: readonly string[] | undefined;
  readonly arpValidate: string | undefined;
  readonly arpAllTargets: string | undefined;
  readonly arpMissedMax: number | undefined;
  readonly failOverMac: string | undefined;
  readonly xmitHashPolicy: string | undefined;
  readonly lacpActive: string | undefined;
  readonly lacpRate: string | undefined;
  readonly adSelect: string | undefined;
  readonly minLinks: number | undefined;
  /** Active aggregator ID (sysfs `ad_aggregator`, else procfs `Active Aggregator Info`). */
  readonly adAggregator: number | undefined;
  readonly adNumPorts: number | undefined;
  readonly adActorKey: number | undefined;
  readonly adPartnerKey: number | undefined;
  readonly adPartnerMac: string | undefined;
  readonly adActorSysPrio: number | undefined;
  /** The configured `ad_actor_system` (00:00:00:00:00:00 = use the bond's address). */
  readonly adActorSystem: string | undefined;
  readonly adUserPortKey: number | undefined;
  /** procfs `System MAC address`: the LACP system ID actually in use. */
  readonly adSystemMacAddress: string | undefined;
  /** false when procfs says `bond X has no active aggregator`. */
  readonly hasActiveAggregator: boolean | undefined;
  readonly allSlavesActive: boolean | undefined;
  readonly numGratArp: number | undefined;
  readonly numUnsolNa: number | undefined;
  readonly packetsPerSlave: number | undefined;
  readonly tlbDynamicLb: boolean | undefined;
  readonly resendIgmp: number | undefined;
  readonly lpInterval: number | undefined;
  /** From the procfs header: `6.1.0-56-amd64`, `3.7.1`. */
  readonly driverVersion: string | undefined;
  /** The release date old drivers printed after the version: `April 27, 2011`. */
  readonly driverDate: string | undefined;
}

/**
 * Any interface in /sys/class/net and what it is stacked on: a bond over its
 * slaves, a VLAN over a bond, a bridge over its ports. IF-MIB's ifStackTable
 * is made of these, for every interface, not bonds only.
 */
export interface NetInterface {
  readonly name: string;
  readonly ifIndex: number | undefined;
  /** ARPHRD type (sysfs `type`): 1 Ethernet, 772 loopback, ... */
  readonly type: number | undefined;
  readonly operState: string | undefined;
  /** The interfaces directly below (sysfs `lower_<name>`; a bond's `slave_<name>` on old kernels). */
  readonly lowers: readonly string[];
  /** The interfaces directly above (sysfs `upper_<name>`; the `master` link on old kernels). */
  readonly uppers: readonly string[];
}

export interface BondingSnapshot {
  /** In `bonding_masters` order. */
  readonly bonds: readonly Bond[];
  /** Every interface, in ifindex order; empty when only bonds were asked for. */
  readonly interfaces: readonly NetInterface[];
  readonly warnings: readonly ReadWarning[];
}

/** Where to find the kernel's files: `/sys` and `/proc` on a host, a fixture tree in tests. */
export interface Roots {
  readonly sysfs: string;
  readonly procfs: string;
}

export const DEFAULT_ROOTS: Roots = { sysfs: '/sys', procfs: '/proc' };
