// What IF-MIB's ifStackTable and IEEE8023-LAG-MIB must show for the running
// kernel, worked out here from sysfs and procfs without any of the agent's
// code: the stacking from the `lower_<if>`/`upper_<if>` entries of every
// interface in /sys/class/net (RFC 2863: a row `higher.lower` per relation,
// `0.<if>` for an interface with nothing above it, `<if>.0` for one with
// nothing below, every status active(1)); the aggregators from each 802.3ad
// bond's active aggregator (sysfs `ad_aggregator`, procfs "Active Aggregator
// Info") and each slave's (`ad_aggregator_id`, procfs "Aggregator ID"),
// which kernel-state.js reads and cross-checks. The walk is read with -Ox:
// PortList and MAC values are octets, which the tools would otherwise print
// as text whenever the bytes happen to be printable.
import { readdirSync } from 'node:fs';
import { readKernelFile } from './net.js';

export const IF_STACK_STATUS = '1.3.6.1.2.1.31.1.2.1.3';
export const LAG_MIB = '1.2.840.10006.300.43';
const AGG_ENTRY = `${LAG_MIB}.1.1.1.1`;
const AGG_MAC = `${AGG_ENTRY}.2`;
const AGG_AGGREGATE_OR_INDIVIDUAL = `${AGG_ENTRY}.5`;
const AGG_PORT_LIST_PORTS = `${LAG_MIB}.1.1.2.1.1`;
const PORT_ENTRY = `${LAG_MIB}.1.2.1.1`;
const PORT_SELECTED = `${PORT_ENTRY}.12`;
const PORT_ATTACHED = `${PORT_ENTRY}.13`;
export const SYS_OR_ID = '1.3.6.1.2.1.1.9.1.2';
export const SYS_OR_DESCR = '1.3.6.1.2.1.1.9.1.3';
export const LINUX_BONDING_MIB = '1.3.6.1.4.1.8072.9999.9999.8023';

/** For walkColumns: ifStackStatus, and the whole LAG-MIB subtree (a few dozen values), side by side. */
export const STANDARD_WALK = [IF_STACK_STATUS, LAG_MIB];

/** The columns compared, by prefix, with their names for messages. */
const COMPARED = new Map([
  [IF_STACK_STATUS, 'ifStackStatus'],
  [AGG_MAC, 'dot3adAggMACAddress'],
  [AGG_AGGREGATE_OR_INDIVIDUAL, 'dot3adAggAggregateOrIndividual'],
  [AGG_PORT_LIST_PORTS, 'dot3adAggPortListPorts'],
  [PORT_SELECTED, 'dot3adAggPortSelectedAggID'],
  [PORT_ATTACHED, 'dot3adAggPortAttachedAggID'],
]);

/**
 * @typedef {import('./snmp.js').Varbind} Varbind
 * @typedef {import('./kernel-state.js').KernelBond} KernelBond
 * @typedef {{ readonly name: string, readonly ifIndex: number, readonly lowers: readonly string[],
 *   readonly uppers: readonly string[] }} KernelInterface
 */

/** The kernel was caught between two changes: a relation seen from one side only, an interface gone mid-read. */
class Unsettled extends Error {}

/** @param {string} dir @returns {string[]} */
function list(dir) {
  try {
    return readdirSync(dir);
  } catch {
    throw new Unsettled(`${dir} vanished`);
  }
}

/**
 * Every interface of this network namespace with what its sysfs directory
 * says is below and above it; re-read (bounded) until every relation is seen
 * from both of its sides.
 * @returns {KernelInterface[]}
 */
export function readKernelInterfaces() {
  const NET = '/sys/class/net';
  let last;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const interfaces = list(NET)
        .filter((n) => n !== 'bonding_masters')
        .map((name) => {
          const entries = list(`${NET}/${name}`);
          const after = (/** @type {string} */ prefix) => entries.filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length));
          const ifIndex = Number(readKernelFile(`${NET}/${name}/ifindex`)?.trim());
          if (!Number.isInteger(ifIndex) || ifIndex <= 0) throw new Unsettled(`${name}: no ifindex`);
          return { name, ifIndex, lowers: after('lower_'), uppers: after('upper_') };
        });
      const byName = new Map(interfaces.map((i) => [i.name, i]));
      for (const i of interfaces) {
        for (const l of i.lowers) if (!byName.get(l)?.uppers.includes(i.name)) throw new Unsettled(`${i.name} has lower_${l}, ${l} no upper_${i.name}`);
        for (const u of i.uppers) if (!byName.get(u)?.lowers.includes(i.name)) throw new Unsettled(`${i.name} has upper_${u}, ${u} no lower_${i.name}`);
      }
      return interfaces;
    } catch (err) {
      if (!(err instanceof Unsettled)) throw err;
      last = err;
    }
  }
  throw last ?? new Error('unreachable');
}

/** @param {string} name @returns {string} the interface's MAC address in sysfs, lower case with colons ('gone' if it went) */
export function macOf(name) {
  return readKernelFile(`/sys/class/net/${name}/address`)?.trim().toLowerCase() ?? 'gone';
}

/** @param {readonly KernelInterface[]} interfaces @returns {string[]} ifStackStatus instances, `higher.lower` */
export function stackRows(interfaces) {
  const index = new Map(interfaces.map((i) => [i.name, i.ifIndex]));
  /** @type {Set<string>} */
  const rows = new Set();
  for (const i of interfaces) for (const l of i.lowers) rows.add(`${i.ifIndex}.${index.get(l)}`);
  const hasHigher = new Set(interfaces.filter((i) => i.uppers.length > 0).map((i) => i.ifIndex));
  const hasLower = new Set(interfaces.filter((i) => i.lowers.length > 0).map((i) => i.ifIndex));
  for (const i of interfaces) {
    if (!hasHigher.has(i.ifIndex)) rows.add(`0.${i.ifIndex}`);
    if (!hasLower.has(i.ifIndex)) rows.add(`${i.ifIndex}.0`);
  }
  return [...rows];
}

/**
 * The compared values for a kernel state, in a form that compares with ===:
 * instance OID -> canonical text (see canonical()).
 * @param {readonly KernelInterface[]} interfaces
 * @param {readonly KernelBond[]} bonds
 * @param {ReadonlyMap<string, string>} macs bond name -> MAC address
 * @returns {Map<string, string>}
 */
export function expectedStandardRows(interfaces, bonds, macs) {
  /** @type {Map<string, string>} */
  const rows = new Map();
  for (const r of stackRows(interfaces)) rows.set(`${IF_STACK_STATUS}.${r}`, 'INTEGER 1');
  for (const bond of bonds.filter((b) => b.mode === '802.3ad')) {
    const b = bond.ifIndex;
    rows.set(`${AGG_MAC}.${b}`, `MAC ${macs.get(bond.name)}`);
    rows.set(`${AGG_AGGREGATE_OR_INDIVIDUAL}.${b}`, 'INTEGER 1');
    // Only the active aggregator has an ifIndex (the bond's): a slave elsewhere is attached to nothing.
    const inActive = bond.slaves.filter((s) => bond.aggregatorId !== undefined && s.aggregatorId === bond.aggregatorId);
    rows.set(`${AGG_PORT_LIST_PORTS}.${b}`, `PORTS ${inActive.map((s) => s.ifIndex).sort((x, y) => x - y).join(',')}`);
    for (const s of bond.slaves) {
      const agg = inActive.includes(s) ? b : 0;
      rows.set(`${PORT_SELECTED}.${s.ifIndex}`, `INTEGER ${agg}`);
      rows.set(`${PORT_ATTACHED}.${s.ifIndex}`, `INTEGER ${agg}`);
    }
  }
  return rows;
}

/** @param {string} hex "00 C0 1A" as the tools print octets with -Ox @returns {number[]} */
const octets = (hex) => hex.split(/\s+/).filter(Boolean).map((h) => Number.parseInt(h, 16));

/**
 * A PortList's members (RFC 2674 / Q-BRIDGE-MIB: the port with ifIndex n is
 * bit 0x80 >> ((n-1) % 8) of octet (n-1)/8).
 * @param {readonly number[]} bytes
 * @returns {number[]}
 */
export function portListMembers(bytes) {
  /** @type {number[]} */
  const members = [];
  bytes.forEach((octet, i) => {
    for (let bit = 0; bit < 8; bit++) if (octet & (0x80 >> bit)) members.push(i * 8 + bit + 1);
  });
  return members;
}

/**
 * A served value in the same canonical text as expectedStandardRows.
 * @param {string} column the compared column's OID
 * @param {Varbind} v as walked with -Ox
 * @returns {string}
 */
function canonical(column, v) {
  const bytes = v.type === 'Hex-STRING' ? octets(v.value) : v.type === '' ? [] : undefined;
  if (column === AGG_MAC) return bytes === undefined ? `${v.type} ${v.value}` : `MAC ${bytes.map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
  if (column === AGG_PORT_LIST_PORTS) return bytes === undefined ? `${v.type} ${v.value}` : `PORTS ${portListMembers(bytes).join(',')}`;
  return `${v.type} ${v.value}`;
}

/** @param {string} oid @returns {string | undefined} the compared column it belongs to */
const columnOf = (oid) => [...COMPARED.keys()].find((c) => oid.startsWith(`${c}.`));

/** @param {string} oid */
const readable = (oid) => {
  const c = columnOf(oid);
  return c === undefined ? oid : `${COMPARED.get(c)}.${oid.slice(c.length + 1)}`;
};

/**
 * Every compared instance whose served value differs from the kernel's, and
 * instances of those columns the kernel has no row for.
 * @param {ReadonlyMap<string, Varbind>} walked
 * @param {ReadonlyMap<string, string>} expected
 * @returns {string[]}
 */
export function standardDifferences(walked, expected) {
  const out = [];
  for (const [oid, want] of expected) {
    const v = walked.get(oid);
    const column = columnOf(oid) ?? '';
    const got = v === undefined ? 'absent' : canonical(column, v);
    if (got !== want) out.push(`${readable(oid)}: kernel ${want}, agent ${got}`);
  }
  for (const [oid, v] of walked) {
    const column = columnOf(oid);
    if (column !== undefined && !expected.has(oid)) out.push(`${readable(oid)}: kernel absent, agent ${canonical(column, v)}`);
  }
  return out;
}

/** @param {string} hexOrText a -Ox rendering of a DisplayString @returns {string} */
export function textOf(hexOrText) {
  return Buffer.from(octets(hexOrText)).toString('utf8');
}

/**
 * sysORTable, as snmpd serves it from our AgentX AddAgentCaps: the entries
 * for LINUX-BONDING-MIB's MODULE-IDENTITY and IEEE8023-LAG-MIB, described.
 * @param {ReadonlyMap<string, Varbind>} walked sysORID and sysORDescr, walked with -Ox
 * @returns {{ found: Map<string, string>, missing: string[] }} found: our OIDs -> their description
 */
export function ourSysOrEntries(walked) {
  /** @type {Map<string, string>} */
  const found = new Map();
  for (const [oid, v] of walked) {
    if (!oid.startsWith(`${SYS_OR_ID}.`) || v.type !== 'OID') continue;
    const id = v.value.replace(/^\./, '');
    if (id !== LINUX_BONDING_MIB && id !== LAG_MIB) continue;
    const descr = walked.get(`${SYS_OR_DESCR}.${oid.slice(SYS_OR_ID.length + 1)}`);
    found.set(id, descr === undefined ? '' : descr.type === 'Hex-STRING' ? textOf(descr.value) : descr.value);
  }
  return { found, missing: [LINUX_BONDING_MIB, LAG_MIB].filter((id) => !found.has(id)) };
}
