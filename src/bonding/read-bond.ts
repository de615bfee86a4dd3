/**
 * One bond: its sysfs attributes, its slaves' attributes, and /proc/net/bonding/<bond> for what
 * sysfs does not give. sysfs wins where both speak (it is the stable ABI and readable without
 * privileges); procfs fills in where the sysfs file is absent, empty or unreadable.
 */
import { join } from 'node:path';
import { isGone, listDirectory, readText } from './file-access.js';
import { parseText, WarningSink } from './attribute-reader.js';
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
  parseWord,
  isInterfaceName,
} from './sysfs-values.js';
import type { Parsed } from './parse-result.js';
import type { Bond, ReadWarning, Roots, Slave } from './types.js';

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
  private readonly read = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly present: ReadonlySet<string> | undefined,
    private readonly sink: WarningSink,
  ) {}

  get<T>(name: string, parse: (raw: string) => Parsed<T>): T | undefined {
    if (this.present !== undefined && !this.present.has(name)) return undefined;
    // Plain concatenation: path.join's normalising showed up in profiles at 30,000 files a read.
    const file = `${this.dir}/${name}`;
    const result = readText(file);
    if ('code' in result) {
      this.sink.failure(file, result);
      return undefined;
    }
    this.read.add(name);
    return parseText(file, result.text, parse, this.sink);
  }

  /** The file was there and readable: for attributes never hidden, empty then means "none". */
  wasRead(name: string): boolean {
    return this.read.has(name);
  }

  /** Nothing could be read at all. */
  get empty(): boolean {
    return this.read.size === 0;
  }
}

function readProc(roots: Roots, name: string, sink: WarningSink): ProcBond | undefined {
  const file = join(roots.procfs, 'net', 'bonding', name);
  const result = readText(file);
  if ('code' in result) {
    sink.failure(file, result);
    return undefined;
  }
  const { bond, warnings } = parseProcBonding(result.text, file);
  for (const w of warnings) sink.add(w);
  return bond;
}

/** Slave names: sysfs `slaves`, else procfs, else the bond's `lower_*` / `slave_*` entries. */
function slaveNames(
  fromSysfs: readonly string[] | undefined,
  proc: ProcBond | undefined,
  bondDir: string,
): readonly string[] {
  if (fromSysfs !== undefined) return fromSysfs;
  if (proc !== undefined) return proc.slaves.map((s) => s.name);
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
  bondQueueIds: ReadonlyMap<string, number> | undefined,
  lacp: boolean,
  sink: WarningSink,
): Slave | undefined {
  const { link, gone } = readLink(netDir, name, sink);
  // Not listed first: a readdir per slave cost as much as three of its attribute reads.
  const files = new DirectoryReader(`${netDir}/${name}/bonding_slave`, undefined, sink);
  const slave: Slave = {
    ...link,
    speedMbps: link.speedMbps ?? proc?.speedMbps,
    duplex: link.duplex ?? proc?.duplex,
    state: files.get('state', parseSlaveState),
    miiStatus: files.get('mii_status', parseSlaveMiiStatus) ?? proc?.miiStatus,
    linkFailureCount: files.get('link_failure_count', parseCount) ?? proc?.linkFailureCount,
    permHwAddr: files.get('perm_hwaddr', parseMac) ?? proc?.permHwAddr,
    queueId: files.get('queue_id', parseCount) ?? bondQueueIds?.get(name) ?? proc?.queueId,
    // Outside 802.3ad these print N/A: not read at all.
    aggregatorId: (lacp ? files.get('ad_aggregator_id', parseOptionalCount) : undefined) ?? proc?.aggregatorId,
    adActorOperPortState:
      (lacp ? files.get('ad_actor_oper_port_state', parsePortState) : undefined) ?? proc?.actorLacpPdu?.portState,
    adPartnerOperPortState:
      (lacp ? files.get('ad_partner_oper_port_state', parsePortState) : undefined) ?? proc?.partnerLacpPdu?.portState,
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

/** The bond's sysfs `bonding/` attributes that map one to one, with their parsers. */
function readBondAttributes(f: DirectoryReader) {
  const mode = f.get('mode', parseMode);
  // Outside 802.3ad the kernel prints these empty: skipping them changes no value and saves reads.
  const lacp = mode === undefined || mode === '802.3ad';
  const ad = <T>(name: string, parse: (raw: string) => Parsed<T>): T | undefined => (lacp ? f.get(name, parse) : undefined);
  return {
    mode,
    activeSlave: f.get('active_slave', parseWord),
    primary: f.get('primary', parseWord),
    primaryReselect: f.get('primary_reselect', parseNamed),
    miiStatus: f.get('mii_status', parseBondMiiStatus),
    miimon: f.get('miimon', parseCount),
    updelay: f.get('updelay', parseCount),
    downdelay: f.get('downdelay', parseCount),
    peerNotifDelay: f.get('peer_notif_delay', parseCount),
    useCarrier: f.get('use_carrier', parseFlag),
    arpInterval: f.get('arp_interval', parseCount),
    arpIpTarget: f.get('arp_ip_target', parseAddressList),
    nsIp6Target: f.get('ns_ip6_target', parseAddressList),
    arpValidate: f.get('arp_validate', parseNamed),
    arpAllTargets: f.get('arp_all_targets', parseNamed),
    arpMissedMax: f.get('arp_missed_max', parseCount),
    failOverMac: f.get('fail_over_mac', parseNamed),
    xmitHashPolicy: f.get('xmit_hash_policy', parseNamed),
    lacpActive: f.get('lacp_active', parseNamed),
    lacpRate: f.get('lacp_rate', parseNamed),
    adSelect: f.get('ad_select', parseNamed),
    minLinks: f.get('min_links', parseCount),
    adAggregator: ad('ad_aggregator', parseCount),
    adNumPorts: ad('ad_num_ports', parseCount),
    adActorKey: ad('ad_actor_key', parseCount),
    adPartnerKey: ad('ad_partner_key', parseCount),
    adPartnerMac: ad('ad_partner_mac', parseMac),
    adActorSysPrio: ad('ad_actor_sys_prio', parseCount),
    adActorSystem: ad('ad_actor_system', parseMac),
    adUserPortKey: ad('ad_user_port_key', parseCount),
    allSlavesActive: f.get('all_slaves_active', parseFlag),
    numGratArp: f.get('num_grat_arp', parseCount),
    numUnsolNa: f.get('num_unsol_na', parseCount),
    packetsPerSlave: f.get('packets_per_slave', parseCount),
    tlbDynamicLb: f.get('tlb_dynamic_lb', parseFlag),
    resendIgmp: f.get('resend_igmp', parseCount),
    lpInterval: f.get('lp_interval', parseInteger),
  };
}

/** Synchronous core of readBond: no yielding inside one bond keeps its picture coherent. */
export function readBondNow(roots: Roots, name: string, sink: WarningSink): Bond | undefined {
  const netDir = join(roots.sysfs, 'class', 'net');
  if (!isInterfaceName(name)) {
    sink.add({ file: join(netDir, 'bonding_masters'), message: `not an interface name: ${JSON.stringify(name)}` });
    return undefined;
  }
  const bondDir = join(netDir, name);
  const bondingDir = join(bondDir, 'bonding');
  const listing = listDirectory(bondingDir);
  if (isGone(listing)) return undefined;
  const present = new Set('names' in listing ? listing.names : []);
  const files = new DirectoryReader(bondingDir, present, sink);
  const { link } = readLink(netDir, name, sink);
  const sys = readBondAttributes(files);
  const slavesFromSysfs = files.get('slaves', parseNameList);
  const queueIds = files.get('queue_id', parseQueueIds);
  const proc = readProc(roots, name, sink);
  const lacp = (sys.mode ?? proc?.mode ?? '802.3ad') === '802.3ad';

  const slaves: Slave[] = [];
  for (const slaveName of slaveNames(slavesFromSysfs, proc, bondDir)) {
    const procSlave = proc?.slaves.find((s) => s.name === slaveName);
    const slave = isInterfaceName(slaveName) ? readSlave(netDir, slaveName, procSlave, queueIds, lacp, sink) : undefined;
    if (slave) slaves.push(slave);
  }
  const aggregator = proc?.activeAggregator;
  // Empty is the kernel saying "none" for these (they are never hidden from the unprivileged);
  // procfs, read a moment later, must not contradict it.
  const sysfsSays = <T>(file: string, fromSysfs: T | undefined, fromProcfs: T | undefined): T | undefined =>
    files.wasRead(file) ? fromSysfs : fromProcfs;
  // sysfs prints 0 for "no active aggregator" in 802.3ad mode.
  const noActiveAggregator = sys.adAggregator === 0;
  const adAggregator = noActiveAggregator ? undefined : sys.adAggregator;
  // Deleted while being read: what was read of it is half a picture (its
  // slaves released, its ifindex gone), not a state it was ever in.
  if (link.ifIndex === undefined && isGone(listDirectory(bondingDir))) return undefined;
  return {
    ...link,
    ...sys,
    mode: sys.mode ?? proc?.mode,
    slaves,
    activeSlave: sysfsSays('active_slave', sys.activeSlave, proc?.activeSlave),
    primary: sysfsSays('primary', sys.primary, proc?.primary),
    primaryReselect: sys.primaryReselect ?? proc?.primaryReselect,
    miiStatus: sys.miiStatus ?? proc?.miiStatus,
    miimon: sys.miimon ?? proc?.miimon,
    updelay: sys.updelay ?? proc?.updelay,
    downdelay: sys.downdelay ?? proc?.downdelay,
    peerNotifDelay: sys.peerNotifDelay ?? proc?.peerNotifDelay,
    arpInterval: sys.arpInterval ?? proc?.arpInterval,
    arpIpTarget: sysfsSays('arp_ip_target', sys.arpIpTarget, proc?.arpIpTarget),
    nsIp6Target: sysfsSays('ns_ip6_target', sys.nsIp6Target, proc?.nsIp6Target),
    arpMissedMax: sys.arpMissedMax ?? proc?.arpMissedMax,
    failOverMac: sys.failOverMac ?? proc?.failOverMac,
    xmitHashPolicy: sys.xmitHashPolicy ?? proc?.xmitHashPolicy,
    lacpActive: sys.lacpActive ?? proc?.lacpActive,
    lacpRate: sys.lacpRate ?? proc?.lacpRate,
    adSelect: sys.adSelect ?? proc?.adSelect,
    minLinks: sys.minLinks ?? proc?.minLinks,
    adAggregator: noActiveAggregator ? undefined : (adAggregator ?? aggregator?.aggregatorId),
    adNumPorts: sys.adNumPorts ?? aggregator?.numPorts,
    adActorKey: sys.adActorKey ?? aggregator?.actorKey,
    adPartnerKey: sys.adPartnerKey ?? aggregator?.partnerKey,
    adPartnerMac: sys.adPartnerMac ?? aggregator?.partnerMacAddress,
    adActorSysPrio: sys.adActorSysPrio ?? proc?.adSystemPriority,
    adSystemMacAddress: proc?.adSystemMacAddress,
    hasActiveAggregator: noActiveAggregator ? false : (proc?.hasActiveAggregator ?? (adAggregator !== undefined ? true : undefined)),
    driverVersion: proc?.driverVersion,
    driverDate: proc?.driverDate,
  };
}
