/**
 * One bond: /proc/net/bonding/<bond> first, then sysfs for what procfs did not say.
 *
 * procfs comes first because the kernel writes it in one pass under RCU: a slave's MII status,
 * failure count, speed and aggregator in it belong together. Read from separate sysfs files,
 * the same fields can straddle a decision of the driver ("going down" beside the count it has
 * just raised). It is also one read where sysfs takes one per field. sysfs is read for every
 * field procfs left out (this kernel does not print it, the mode does not use it, the reader
 * lacks CAP_NET_ADMIN, the line was malformed) and for what only sysfs has (ifindex, operstate,
 * carrier, mtu, address, ifalias, a slave's state, most settings).
 */
import { join } from 'node:path';
import { isGone, listDirectory, readAttributeText, readText } from './file-access.js';
import { parseFileText, WarningSink } from './attribute-reader.js';
import { parseProcBonding, type ProcBond, type ProcSlave } from './procfs-parser.js';
import { readLink } from './read-link.js';
import {
  parseAddressList,
  parseBondMiiStatus,
  parseCount,
  parseFlag,
  parseInteger,
  parseMac,
  parseMode,
  parseNamed,
  parseNameList,
  parseOptionalCount,
  parsePortState,
  parseQueueIds,
  parseSlaveMiiStatus,
  parseSlaveState,
  parseString,
  isInterfaceName,
  activeAggregator,
} from './values.js';
import type { Parsed } from './parse-result.js';
import type { Bond, BondMode, LinkAttributes, ReadWarning, Roots, Slave } from './types.js';

export interface BondRead {
  /** `undefined` when the bond does not exist (or vanished while being read). */
  readonly bond: Bond | undefined;
  readonly warnings: readonly ReadWarning[];
}

/**
 * Reads attribute files of one directory. With a listing, only the files it names are opened
 * (older kernels lack many bond attributes, and a failed open costs an exception); without
 * one, every file is tried (a slave's bonding_slave/ is complete on every kernel that has it).
 */
class DirectoryReader {
  private anyRead = false;

  constructor(
    private readonly dir: string,
    private readonly present: ReadonlySet<string> | undefined,
    private readonly sink: WarningSink,
  ) {}

  get<T>(name: string, parse: (raw: string) => Parsed<T>): T | undefined {
    if (this.present !== undefined && !this.present.has(name)) return undefined;
    // Plain concatenation: path.join's normalising showed up in profiles at 30,000 files a read.
    const file = `${this.dir}/${name}`;
    const result = readAttributeText(file);
    if ('code' in result) {
      this.sink.failure(file, result);
      return undefined;
    }
    this.anyRead = true;
    return parseFileText(file, result.text, parse, this.sink);
  }

  /** What procfs said, or else what the file says. */
  or<T>(fromProcfs: T | undefined, name: string, parse: (raw: string) => Parsed<T>): T | undefined {
    return fromProcfs !== undefined ? fromProcfs : this.get(name, parse);
  }

  /** Nothing could be read at all. */
  get empty(): boolean {
    return !this.anyRead;
  }
}

function readProc(roots: Roots, name: string, sink: WarningSink): ProcBond | undefined {
  const file = join(roots.procfs, 'net', 'bonding', name);
  const result = readText(file);
  if ('code' in result) {
    // EIO: the bond was deleted while its file was open (procfs answers so for a removed entry);
    // the caller sees it gone. Anything else is worth a warning.
    if (result.code !== 'EIO') sink.failure(file, result);
    return undefined;
  }
  const { bond, warnings } = parseProcBonding(result.text, file);
  for (const w of warnings) sink.add(w);
  // Without its header lines it is not the driver's file (truncated, garbled): its empty slave
  // list would say "no slaves". Everything then comes from sysfs.
  return bond.driverVersion !== undefined || bond.mode !== undefined ? bond : undefined;
}

/** Slave names: procfs, else sysfs `slaves`, else the bond's `lower_*` / `slave_*` entries. */
function slaveNames(proc: ProcBond | undefined, files: DirectoryReader, bondDir: string): readonly string[] {
  if (proc !== undefined) return proc.slaves.map((s) => s.name);
  const fromSysfs = files.get('slaves', parseNameList);
  if (fromSysfs !== undefined) return fromSysfs;
  const listing = listDirectory(bondDir);
  if (!('names' in listing)) return [];
  const names: string[] = [];
  for (const entry of listing.names) {
    const m = /^(?:lower|slave)_(.+)$/.exec(entry);
    if (m?.[1] !== undefined && !names.includes(m[1])) names.push(m[1]);
  }
  return names;
}

function readSlave(
  netDir: string,
  name: string,
  proc: ProcSlave | undefined,
  bondQueueId: () => number | undefined,
  lacp: boolean,
  sink: WarningSink,
): Slave | undefined {
  // procfs's speed and duplex are the driver's own (what the bond's speed and ad_select use).
  const { link, gone } = readLink(netDir, name, sink, { speedMbps: proc?.speedMbps, duplex: proc?.duplex });
  // Not listed first: a readdir per slave cost as much as three of its attribute reads.
  const files = new DirectoryReader(`${netDir}/${name}/bonding_slave`, undefined, sink);
  // Written out rather than spread: a spread made building the snapshot cost as much as reading it.
  const slave: Slave = {
    name: link.name,
    ifIndex: link.ifIndex,
    operState: link.operState,
    carrier: link.carrier,
    speedMbps: link.speedMbps,
    duplex: link.duplex,
    address: link.address,
    mtu: link.mtu,
    ifAlias: link.ifAlias,
    state: files.get('state', parseSlaveState),
    miiStatus: files.or(proc?.miiStatus, 'mii_status', parseSlaveMiiStatus),
    linkFailureCount: files.or(proc?.linkFailureCount, 'link_failure_count', parseCount),
    permHwAddr: files.or(proc?.permHwAddr, 'perm_hwaddr', parseMac),
    queueId: proc?.queueId ?? bondQueueId() ?? files.get('queue_id', parseCount),
    // Outside 802.3ad these print N/A: not read at all.
    aggregatorId: lacp ? files.or(proc?.aggregatorId, 'ad_aggregator_id', parseOptionalCount) : proc?.aggregatorId,
    // In procfs only for a reader with CAP_NET_ADMIN; sysfs shows them to anyone.
    adActorOperPortState: lacp ? files.or(proc?.actorLacpPdu?.portState, 'ad_actor_oper_port_state', parsePortState) : undefined,
    adPartnerOperPortState: lacp
      ? files.or(proc?.partnerLacpPdu?.portState, 'ad_partner_oper_port_state', parsePortState)
      : undefined,
    actorChurnState: proc?.actorChurnState,
    partnerChurnState: proc?.partnerChurnState,
    actorChurnedCount: proc?.actorChurnedCount,
    partnerChurnedCount: proc?.partnerChurnedCount,
    actorLacpPdu: proc?.actorLacpPdu,
    partnerLacpPdu: proc?.partnerLacpPdu,
  };
  // No ifindex and no bonding_slave attribute: the interface was deleted while we read.
  return gone && files.empty ? undefined : slave;
}

/**
 * The bond: its settings and state from procfs where it spoke, its sysfs `bonding/` file
 * otherwise. Written out as one literal: spreading the parts made building the snapshot cost as
 * much as reading it.
 */
function bondOf(
  link: LinkAttributes,
  mode: BondMode | undefined,
  slaves: readonly Slave[],
  f: DirectoryReader,
  proc: ProcBond | undefined,
): Bond {
  // Outside 802.3ad the kernel prints these empty: skipping them changes no value and saves reads.
  const lacp = mode === undefined || mode === '802.3ad';
  const ad = <T>(name: string, parse: (raw: string) => Parsed<T>, fromProcfs?: T): T | undefined =>
    lacp ? f.or(fromProcfs, name, parse) : undefined;
  // The active aggregator's numbers come together from procfs (one pass) or each from sysfs.
  const aggregator = proc?.activeAggregator;
  const fromProcfs = lacp ? aggregator?.aggregatorId : undefined;
  const active = activeAggregator(proc?.hasActiveAggregator, fromProcfs, fromProcfs === undefined ? ad('ad_aggregator', parseCount) : undefined);
  return {
    name: link.name,
    ifIndex: link.ifIndex,
    operState: link.operState,
    carrier: link.carrier,
    speedMbps: link.speedMbps,
    duplex: link.duplex,
    address: link.address,
    mtu: link.mtu,
    ifAlias: link.ifAlias,
    mode,
    slaves,
    // procfs's "None" is its answer: sysfs, read later, may already show a slave made active since.
    activeSlave: proc?.noActiveSlave === true ? undefined : f.or(proc?.activeSlave, 'active_slave', parseString),
    primary: proc?.noPrimary === true ? undefined : f.or(proc?.primary, 'primary', parseString),
    primaryReselect: f.or(proc?.primaryReselect, 'primary_reselect', parseNamed),
    miiStatus: f.or(proc?.miiStatus, 'mii_status', parseBondMiiStatus),
    miimon: f.or(proc?.miimon, 'miimon', parseCount),
    updelay: f.or(proc?.updelay, 'updelay', parseCount),
    downdelay: f.or(proc?.downdelay, 'downdelay', parseCount),
    peerNotifDelay: f.or(proc?.peerNotifDelay, 'peer_notif_delay', parseCount),
    useCarrier: f.get('use_carrier', parseFlag),
    arpInterval: f.or(proc?.arpInterval, 'arp_interval', parseCount),
    arpIpTarget: f.or(proc?.arpIpTarget, 'arp_ip_target', parseAddressList),
    nsIp6Target: f.or(proc?.nsIp6Target, 'ns_ip6_target', parseAddressList),
    arpValidate: f.get('arp_validate', parseNamed),
    arpAllTargets: f.get('arp_all_targets', parseNamed),
    arpMissedMax: f.or(proc?.arpMissedMax, 'arp_missed_max', parseCount),
    failOverMac: f.or(proc?.failOverMac, 'fail_over_mac', parseNamed),
    xmitHashPolicy: f.or(proc?.xmitHashPolicy, 'xmit_hash_policy', parseNamed),
    lacpActive: f.or(proc?.lacpActive, 'lacp_active', parseNamed),
    lacpRate: f.or(proc?.lacpRate, 'lacp_rate', parseNamed),
    adSelect: f.or(proc?.adSelect, 'ad_select', parseNamed),
    minLinks: f.or(proc?.minLinks, 'min_links', parseCount),
    adAggregator: active.adAggregator,
    adNumPorts: ad('ad_num_ports', parseCount, aggregator?.numPorts),
    adActorKey: ad('ad_actor_key', parseCount, aggregator?.actorKey),
    adPartnerKey: ad('ad_partner_key', parseCount, aggregator?.partnerKey),
    adPartnerMac: ad('ad_partner_mac', parseMac, aggregator?.partnerMacAddress),
    adActorSysPrio: ad('ad_actor_sys_prio', parseCount, proc?.adSystemPriority),
    adActorSystem: ad('ad_actor_system', parseMac),
    adUserPortKey: ad('ad_user_port_key', parseCount),
    allSlavesActive: f.get('all_slaves_active', parseFlag),
    numGratArp: f.get('num_grat_arp', parseCount),
    numUnsolNa: f.get('num_unsol_na', parseCount),
    packetsPerSlave: f.get('packets_per_slave', parseCount),
    tlbDynamicLb: f.get('tlb_dynamic_lb', parseFlag),
    resendIgmp: f.get('resend_igmp', parseCount),
    lpInterval: f.get('lp_interval', parseInteger),
    adSystemMacAddress: proc?.adSystemMacAddress,
    hasActiveAggregator: active.hasActiveAggregator,
    driverVersion: proc?.driverVersion,
    driverDate: proc?.driverDate,
  };
}

/**
 * The attribute files a bond's `bonding/` directory has. They depend on the driver, not on the
 * bond, so a full read lists one bond's directory and uses the listing for every bond: one
 * readdir per bond cost as much as a dozen attribute reads.
 */
export class BondAttributeNames {
  private names: ReadonlySet<string> | undefined;

  /** The listing, taken from `bondingDir` the first time one can be taken. */
  of(bondingDir: string): ReadonlySet<string> | undefined {
    if (this.names === undefined) {
      const listing = listDirectory(bondingDir);
      if ('names' in listing) this.names = new Set(listing.names);
    }
    return this.names;
  }
}

/** Synchronous core of readBond: no yielding inside one bond keeps its picture coherent. */
export function readBondNow(
  roots: Roots,
  name: string,
  sink: WarningSink,
  attributeNames: BondAttributeNames = new BondAttributeNames(),
): Bond | undefined {
  const netDir = join(roots.sysfs, 'class', 'net');
  if (!isInterfaceName(name)) {
    sink.add({ file: join(netDir, 'bonding_masters'), message: `not an interface name: ${JSON.stringify(name)}` });
    return undefined;
  }
  const bondDir = join(netDir, name);
  const bondingDir = join(bondDir, 'bonding');
  const present = attributeNames.of(bondingDir);
  // Neither listed nor ever listable: not (or no longer) a bond.
  if (present === undefined && isGone(listDirectory(bondingDir))) return undefined;
  const files = new DirectoryReader(bondingDir, present, sink);
  const proc = readProc(roots, name, sink);
  const { link } = readLink(netDir, name, sink);
  const mode = files.or(proc?.mode, 'mode', parseMode);
  const lacp = (mode ?? '802.3ad') === '802.3ad';
  let queueIds: ReadonlyMap<string, number> | undefined | null = null;
  // Read only if some slave's procfs block lacks its queue ID (kernels before 2.6.34).
  const bondQueueId = (slaveName: string) => {
    if (queueIds === null) queueIds = files.get('queue_id', parseQueueIds);
    return queueIds?.get(slaveName);
  };

  const slaves: Slave[] = [];
  for (const slaveName of slaveNames(proc, files, bondDir)) {
    const procSlave = proc?.slaves.find((s) => s.name === slaveName);
    const slave = isInterfaceName(slaveName)
      ? readSlave(netDir, slaveName, procSlave, () => bondQueueId(slaveName), lacp, sink)
      : undefined;
    if (slave) slaves.push(slave);
  }
  const bond = bondOf(link, mode, slaves, files, proc);
  // Deleted while being read: what was read of it is half a picture (its
  // slaves released, its ifindex gone), not a state it was ever in.
  if (link.ifIndex === undefined && isGone(listDirectory(bondingDir))) return undefined;
  return bond;
}
