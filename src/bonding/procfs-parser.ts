/**
 * Pure parser for /proc/net/bonding/<bond>. It knows every format bond_procfs.c has printed
 * since 2.6: the dated `v3.7.1 (April 27, 2011)` header, `Slave queue ID` before or after
 * `Aggregator ID`, no churn or `Peer Notification Delay` lines on old kernels, and the 802.3ad
 * sections the kernel leaves out when the reader lacks CAP_NET_ADMIN.
 *
 * Unknown `Key: value` lines are skipped silently (newer kernels add lines); lines that fit no
 * shape at all, and known keys with values that do not parse, become warnings with the line
 * number. It never throws.
 */
import type { Bond, LacpPduDetails, ReadWarning, Slave } from './types.js';
import { quote, type Parsed } from './parse-result.js';
import {
  parseAddressList,
  parseBondMiiStatus,
  parseCount,
  parseLacpRate,
  parseMac,
  parseModeDescription,
  parseNamed,
  parseOnOff,
  parseOptionalCount,
  parsePortState,
  parseSlaveMiiStatus,
  parseSlaveOrNone,
  parseSpeed,
  parseWord,
} from './values.js';

export interface ProcActiveAggregator {
  readonly aggregatorId: number | undefined;
  readonly numPorts: number | undefined;
  readonly actorKey: number | undefined;
  readonly partnerKey: number | undefined;
  readonly partnerMacAddress: string | undefined;
}

/** What a slave's block shows: the same fields, in the same words, as the snapshot's Slave. */
export type ProcSlave = Pick<
  Slave,
  | 'name'
  | 'miiStatus'
  | 'speedMbps'
  | 'duplex'
  | 'linkFailureCount'
  | 'permHwAddr'
  | 'queueId'
  | 'aggregatorId'
  | 'actorChurnState'
  | 'partnerChurnState'
  | 'actorChurnedCount'
  | 'partnerChurnedCount'
  | 'actorLacpPdu'
  | 'partnerLacpPdu'
>;

/** What the bond's header shows, named as in the snapshot's Bond, plus what only procfs has. */
export type ProcBond = Pick<
  Bond,
  | 'driverVersion'
  | 'driverDate'
  | 'mode'
  | 'failOverMac'
  | 'xmitHashPolicy'
  | 'primary'
  | 'primaryReselect'
  | 'activeSlave'
  | 'miiStatus'
  | 'miimon'
  | 'updelay'
  | 'downdelay'
  | 'peerNotifDelay'
  | 'arpInterval'
  | 'arpMissedMax'
  | 'arpIpTarget'
  | 'nsIp6Target'
  | 'lacpActive'
  | 'lacpRate'
  | 'minLinks'
  | 'adSelect'
  | 'adSystemMacAddress'
  /** `true` with `Active Aggregator Info:`, `false` with `bond X has no active aggregator`. */
  | 'hasActiveAggregator'
> & {
  /**
   * procfs printed "None" for the active slave / the primary: an answer, not a gap. Asking sysfs
   * instead could meet a slave made active since, beside a slave list from before it.
   */
  readonly noActiveSlave: boolean;
  readonly noPrimary: boolean;
  readonly adSystemPriority: number | undefined;
  readonly activeAggregator: ProcActiveAggregator | undefined;
  readonly slaves: readonly ProcSlave[];
};

export interface ProcParseResult {
  readonly bond: ProcBond;
  readonly warnings: readonly ReadWarning[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Block = 'none' | 'activeAggregator' | 'actorPdu' | 'partnerPdu';

/** Thrown inside a value handler only; caught per line and turned into a warning. */
class BadValue extends Error {}

/** The value a parser from values.ts gave, or a BadValue with its reason. */
const need =
  <T>(parse: (text: string) => Parsed<T>) =>
  (text: string): T | undefined => {
    const r = parse(text);
    if (!r.ok) throw new BadValue(r.problem);
    return r.value;
  };

const count = need(parseCount);
const optionalCount = need(parseOptionalCount);
const mac = need(parseMac);
const word = need(parseWord);
const named = need(parseNamed);
const portState = need(parsePortState);

function newSlave(name: string): Mutable<ProcSlave> {
  return {
    name,
    miiStatus: undefined,
    speedMbps: undefined,
    duplex: undefined,
    linkFailureCount: undefined,
    permHwAddr: undefined,
    queueId: undefined,
    aggregatorId: undefined,
    actorChurnState: undefined,
    partnerChurnState: undefined,
    actorChurnedCount: undefined,
    partnerChurnedCount: undefined,
    actorLacpPdu: undefined,
    partnerLacpPdu: undefined,
  };
}

function newBond(): Mutable<ProcBond> {
  return {
    driverVersion: undefined,
    driverDate: undefined,
    mode: undefined,
    failOverMac: undefined,
    xmitHashPolicy: undefined,
    primary: undefined,
    primaryReselect: undefined,
    activeSlave: undefined,
    noActiveSlave: false,
    noPrimary: false,
    miiStatus: undefined,
    miimon: undefined,
    updelay: undefined,
    downdelay: undefined,
    peerNotifDelay: undefined,
    arpInterval: undefined,
    arpMissedMax: undefined,
    arpIpTarget: undefined,
    nsIp6Target: undefined,
    lacpActive: undefined,
    lacpRate: undefined,
    minLinks: undefined,
    adSelect: undefined,
    adSystemPriority: undefined,
    adSystemMacAddress: undefined,
    hasActiveAggregator: undefined,
    activeAggregator: undefined,
    slaves: [],
  };
}

const emptyPdu = (): Mutable<LacpPduDetails> => ({
  systemPriority: undefined,
  systemMacAddress: undefined,
  portKey: undefined,
  portPriority: undefined,
  portNumber: undefined,
  portState: undefined,
});

type Handler<T> = (target: Mutable<T>, value: string) => void;

const BOND_KEYS: ReadonlyMap<string, Handler<ProcBond>> = new Map<string, Handler<ProcBond>>([
  ['Ethernet Channel Bonding Driver', (b, v) => {
    const m = /^v?(\S+)(?: \((.+)\))?$/.exec(v);
    if (!m?.[1]) throw new BadValue(`not a driver version: ${quote(v)}`);
    b.driverVersion = m[1];
    b.driverDate = m[2];
  }],
  ['Bonding Mode', (b, v) => {
    const described = need(parseModeDescription)(v);
    b.mode = described?.mode;
    b.failOverMac = described?.failOverMac;
  }],
  ['Transmit Hash Policy', (b, v) => { b.xmitHashPolicy = named(v); }],
  ['Primary Slave', (b, v) => {
    const m = /^(\S+)(?: \(primary_reselect (\S+)\))?$/.exec(v);
    if (!m?.[1]) throw new BadValue(`not a primary slave: ${quote(v)}`);
    b.primary = need(parseSlaveOrNone)(m[1]);
    b.noPrimary = m[1] === 'None';
    b.primaryReselect = m[2];
  }],
  ['Currently Active Slave', (b, v) => {
    b.activeSlave = need(parseSlaveOrNone)(v);
    b.noActiveSlave = v.trim() === 'None';
  }],
  ['MII Status', (b, v) => { b.miiStatus = need(parseBondMiiStatus)(v); }],
  ['MII Polling Interval (ms)', (b, v) => { b.miimon = count(v); }],
  ['Up Delay (ms)', (b, v) => { b.updelay = count(v); }],
  ['Down Delay (ms)', (b, v) => { b.downdelay = count(v); }],
  ['Peer Notification Delay (ms)', (b, v) => { b.peerNotifDelay = count(v); }],
  ['ARP Polling Interval (ms)', (b, v) => { b.arpInterval = count(v); }],
  ['ARP Missed Max', (b, v) => { b.arpMissedMax = count(v); }],
  ['ARP IP target/s (n.n.n.n form)', (b, v) => { b.arpIpTarget = need(parseAddressList)(v); }],
  ['NS IPv6 target/s (xx::xx form)', (b, v) => { b.nsIp6Target = need(parseAddressList)(v); }],
  ['LACP active', (b, v) => { b.lacpActive = need(parseOnOff)(v); }],
  ['LACP rate', (b, v) => { b.lacpRate = need(parseLacpRate)(v); }],
  ['Min links', (b, v) => { b.minLinks = count(v); }],
  ['Aggregator selection policy (ad_select)', (b, v) => { b.adSelect = named(v); }],
  ['System priority', (b, v) => { b.adSystemPriority = count(v); }],
  ['System MAC address', (b, v) => { b.adSystemMacAddress = mac(v); }],
]);

const AGGREGATOR_KEYS: ReadonlyMap<string, Handler<ProcActiveAggregator>> = new Map<string, Handler<ProcActiveAggregator>>([
  ['Aggregator ID', (a, v) => { a.aggregatorId = count(v); }],
  ['Number of ports', (a, v) => { a.numPorts = count(v); }],
  ['Actor Key', (a, v) => { a.actorKey = count(v); }],
  ['Partner Key', (a, v) => { a.partnerKey = count(v); }],
  ['Partner Mac Address', (a, v) => { a.partnerMacAddress = mac(v); }],
]);

const SLAVE_KEYS: ReadonlyMap<string, Handler<ProcSlave>> = new Map<string, Handler<ProcSlave>>([
  ['MII Status', (s, v) => { s.miiStatus = need(parseSlaveMiiStatus)(v); }],
  ['Speed', (s, v) => { s.speedMbps = need(parseSpeed)(v); }],
  ['Duplex', (s, v) => { s.duplex = word(v); }],
  ['Link Failure Count', (s, v) => { s.linkFailureCount = count(v); }],
  ['Permanent HW addr', (s, v) => { s.permHwAddr = mac(v); }],
  ['Slave queue ID', (s, v) => { s.queueId = count(v); }],
  ['Aggregator ID', (s, v) => { s.aggregatorId = optionalCount(v); }],
  ['Actor Churn State', (s, v) => { s.actorChurnState = word(v); }],
  ['Partner Churn State', (s, v) => { s.partnerChurnState = word(v); }],
  ['Actor Churned Count', (s, v) => { s.actorChurnedCount = count(v); }],
  ['Partner Churned Count', (s, v) => { s.partnerChurnedCount = count(v); }],
]);

const PDU_KEYS: ReadonlyMap<string, Handler<LacpPduDetails>> = new Map<string, Handler<LacpPduDetails>>([
  ['system priority', (p, v) => { p.systemPriority = count(v); }],
  ['system mac address', (p, v) => { p.systemMacAddress = mac(v); }],
  ['port key', (p, v) => { p.portKey = count(v); }],
  ['oper key', (p, v) => { p.portKey = count(v); }],
  ['port priority', (p, v) => { p.portPriority = count(v); }],
  ['port number', (p, v) => { p.portNumber = count(v); }],
  ['port state', (p, v) => { p.portState = portState(v); }],
]);

/** Split "Key: value" (or "Key:" with nothing after); `undefined` when the line has no such shape. */
function splitKeyValue(text: string): { key: string; value: string } | undefined {
  const at = text.indexOf(': ');
  if (at > 0) return { key: text.slice(0, at), value: text.slice(at + 2).trim() };
  if (text.endsWith(':') && text.length > 1) return { key: text.slice(0, -1), value: '' };
  return undefined;
}

const NO_ACTIVE_AGGREGATOR = /^bond \S+ has no active aggregator$/;

/**
 * Parse the text of /proc/net/bonding/<bond>. `file` names the file in warnings.
 */
export function parseProcBonding(text: string, file: string): ProcParseResult {
  const warnings: ReadWarning[] = [];
  const bond = newBond();
  const slaves: ProcSlave[] = [];
  let slave: Mutable<ProcSlave> | undefined;
  let block: Block = 'none';
  let aggregator: Mutable<ProcActiveAggregator> | undefined;
  let pdu: Mutable<LacpPduDetails> | undefined;

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const warn = (message: string): void => {
      warnings.push({ file, line: i + 1, message });
    };
    const trimmed = raw.trim();
    if (trimmed === '') {
      block = 'none';
      continue;
    }
    // Indented (a tab or spaces): the line belongs to the block above it.
    const first = raw.charCodeAt(0);
    if (first !== 9 && first !== 32) block = 'none';

    try {
      if (trimmed === '802.3ad info') continue;
      if (trimmed.startsWith('bond ') && NO_ACTIVE_AGGREGATOR.test(trimmed)) {
        bond.hasActiveAggregator = false;
        continue;
      }
      const kv = splitKeyValue(trimmed);
      if (kv === undefined) {
        warn(`unrecognised line: ${quote(trimmed)}`);
        continue;
      }
      const { key, value } = kv;

      if (block === 'activeAggregator' && aggregator) {
        AGGREGATOR_KEYS.get(key)?.(aggregator, value);
        continue;
      }
      if ((block === 'actorPdu' || block === 'partnerPdu') && pdu) {
        PDU_KEYS.get(key)?.(pdu, value);
        continue;
      }
      if (key === 'Slave Interface') {
        const name = word(value);
        if (name === undefined) throw new BadValue('a slave without a name');
        slave = newSlave(name);
        slaves.push(slave);
        continue;
      }
      if (key === 'Active Aggregator Info' && value === '') {
        aggregator = {
          aggregatorId: undefined,
          numPorts: undefined,
          actorKey: undefined,
          partnerKey: undefined,
          partnerMacAddress: undefined,
        };
        bond.activeAggregator = aggregator;
        bond.hasActiveAggregator = true;
        block = 'activeAggregator';
        continue;
      }
      if ((key === 'details actor lacp pdu' || key === 'details partner lacp pdu') && value === '') {
        if (!slave) {
          warn(`LACP details outside a slave section`);
          continue;
        }
        pdu = emptyPdu();
        if (key === 'details actor lacp pdu') {
          slave.actorLacpPdu = pdu;
          block = 'actorPdu';
        } else {
          slave.partnerLacpPdu = pdu;
          block = 'partnerPdu';
        }
        continue;
      }
      if (slave) SLAVE_KEYS.get(key)?.(slave, value);
      else BOND_KEYS.get(key)?.(bond, value);
    } catch (err) {
      if (!(err instanceof BadValue)) throw err;
      warn(err.message);
    }
  }
  bond.slaves = slaves;
  return { bond, warnings };
}
