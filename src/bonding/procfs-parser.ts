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
import type { Bond, BondMiiStatus, BondMode, LacpPduDetails, ReadWarning, Slave, SlaveMiiStatus } from './types.js';
import { quote } from './parse-result.js';

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
  readonly adSystemPriority: number | undefined;
  readonly activeAggregator: ProcActiveAggregator | undefined;
  readonly slaves: readonly ProcSlave[];
};

export interface ProcParseResult {
  readonly bond: ProcBond;
  readonly warnings: readonly ReadWarning[];
}

const MODE_DESCRIPTIONS: ReadonlyMap<string, BondMode> = new Map([
  ['load balancing (round-robin)', 'balance-rr'],
  ['fault-tolerance (active-backup)', 'active-backup'],
  ['load balancing (xor)', 'balance-xor'],
  ['fault-tolerance (broadcast)', 'broadcast'],
  ['IEEE 802.3ad Dynamic link aggregation', '802.3ad'],
  ['transmit load balancing', 'balance-tlb'],
  ['adaptive load balancing', 'balance-alb'],
]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Block = 'none' | 'activeAggregator' | 'actorPdu' | 'partnerPdu';

/** Thrown inside a value handler only; caught per line and turned into a warning. */
class BadValue extends Error {}

const int = (v: string): number => {
  if (!/^-?\d+$/.test(v)) throw new BadValue(`not an integer: ${quote(v)}`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new BadValue(`integer out of range: ${quote(v)}`);
  return n;
};
const count = (v: string): number => {
  const n = int(v);
  if (n < 0) throw new BadValue(`negative: ${n}`);
  return n;
};
const mac = (v: string): string => {
  if (!/^[0-9a-f]{2}(?::[0-9a-f]{2})+$/i.test(v)) throw new BadValue(`not a hardware address: ${quote(v)}`);
  return v.toLowerCase();
};
const word = (v: string): string => {
  if (!/^\S+$/.test(v)) throw new BadValue(`not a single word: ${quote(v)}`);
  return v;
};
const noneOr = (v: string): string | undefined => (v === 'None' || v === '' ? undefined : word(v));
const list = (v: string): readonly string[] => {
  const items = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = items.find((a) => !/^[0-9a-f.:]+$/i.test(a));
  if (bad !== undefined) throw new BadValue(`not an address: ${quote(bad)}`);
  return items;
};
const slaveMii = (v: string): SlaveMiiStatus => {
  if (v === 'up' || v === 'down' || v === 'going down' || v === 'going back') return v;
  throw new BadValue(`unknown MII status: ${quote(v)}`);
};
const bondMii = (v: string): BondMiiStatus => {
  if (v === 'up' || v === 'down') return v;
  throw new BadValue(`unknown MII status: ${quote(v)}`);
};
/** "layer3+4 (1)" -> "layer3+4". */
const named = (v: string): string => {
  const m = /^(\S+)(?: \(\d+\))?$/.exec(v);
  if (!m?.[1]) throw new BadValue(`not "name (value)": ${quote(v)}`);
  return m[1];
};
const speed = (v: string): number | undefined => {
  if (v === 'Unknown') return undefined;
  const m = /^(-?\d+) Mbps$/.exec(v);
  if (!m?.[1]) throw new BadValue(`not "N Mbps": ${quote(v)}`);
  const n = int(m[1]);
  return n < 0 || n === 65535 ? undefined : n;
};
const optionalCount = (v: string): number | undefined => (v === 'N/A' ? undefined : count(v));
const onOff = (v: string): string => {
  if (v === 'on' || v === 'off') return v;
  throw new BadValue(`not on/off: ${quote(v)}`);
};
const rate = (v: string): string => {
  if (v === 'fast' || v === 'slow') return v;
  throw new BadValue(`not fast/slow: ${quote(v)}`);
};

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
    const m = /^(.*?)(?: \(fail_over_mac (\S+)\))?$/.exec(v);
    const mode = m?.[1] === undefined ? undefined : MODE_DESCRIPTIONS.get(m[1]);
    if (mode === undefined) throw new BadValue(`unknown bonding mode: ${quote(v)}`);
    b.mode = mode;
    // Printed only when fail_over_mac is not "none"; its absence is not proof (old kernels lack it).
    b.failOverMac = m?.[2];
  }],
  ['Transmit Hash Policy', (b, v) => { b.xmitHashPolicy = named(v); }],
  ['Primary Slave', (b, v) => {
    const m = /^(\S+)(?: \(primary_reselect (\S+)\))?$/.exec(v);
    if (!m?.[1]) throw new BadValue(`not a primary slave: ${quote(v)}`);
    b.primary = noneOr(m[1]);
    b.primaryReselect = m[2];
  }],
  ['Currently Active Slave', (b, v) => { b.activeSlave = noneOr(v); }],
  ['MII Status', (b, v) => { b.miiStatus = bondMii(v); }],
  ['MII Polling Interval (ms)', (b, v) => { b.miimon = count(v); }],
  ['Up Delay (ms)', (b, v) => { b.updelay = count(v); }],
  ['Down Delay (ms)', (b, v) => { b.downdelay = count(v); }],
  ['Peer Notification Delay (ms)', (b, v) => { b.peerNotifDelay = count(v); }],
  ['ARP Polling Interval (ms)', (b, v) => { b.arpInterval = count(v); }],
  ['ARP Missed Max', (b, v) => { b.arpMissedMax = count(v); }],
  ['ARP IP target/s (n.n.n.n form)', (b, v) => { b.arpIpTarget = list(v); }],
  ['NS IPv6 target/s (xx::xx form)', (b, v) => { b.nsIp6Target = list(v); }],
  ['LACP active', (b, v) => { b.lacpActive = onOff(v); }],
  ['LACP rate', (b, v) => { b.lacpRate = rate(v); }],
  ['Min links', (b, v) => { b.minLinks = count(v); }],
  ['Aggregator selection policy (ad_select)', (b, v) => { b.adSelect = word(v); }],
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
  ['MII Status', (s, v) => { s.miiStatus = slaveMii(v); }],
  ['Speed', (s, v) => { s.speedMbps = speed(v); }],
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
  ['port state', (p, v) => {
    const n = count(v);
    if (n > 255) throw new BadValue(`port state out of range: ${n}`);
    p.portState = n;
  }],
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
        slave = newSlave(word(value));
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
