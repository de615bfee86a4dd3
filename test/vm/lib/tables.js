// What a walk of LINUX-BONDING-MIB must show for a kernel state, column by
// column, in the tools' numeric rendering; and the differences between that
// and what the agent served.

const MIB = '1.3.6.1.4.1.8072.9999.9999.8023';
const BOND_COUNT = `${MIB}.1.1.2.0`;
const BOND_ENTRY = `${MIB}.1.2.1`;
const SLAVE_ENTRY = `${MIB}.1.3.1`;

/** The columns compared, by sub-identifier: those the kernel states directly. */
const BOND_COLUMNS = {
  bondName: 2,
  bondMode: 3,
  bondMiiStatus: 4,
  bondActiveSlaveIfIndex: 5,
  bondActiveSlaveName: 6,
  bondSlaveCount: 9,
  bondSlavesUp: 10,
  bondAdAggregatorId: 26,
};
const SLAVE_COLUMNS = {
  bondSlaveName: 2,
  bondSlaveState: 3,
  bondSlaveMiiStatus: 4,
  bondSlaveLinkFailureCount: 7,
  bondSlaveAdAggregatorId: 10,
};
const COLUMN_NAMES = new Map([
  ...Object.entries(BOND_COLUMNS).map(([name, c]) => /** @type {[string, string]} */ ([`${BOND_ENTRY}.${c}`, name])),
  ...Object.entries(SLAVE_COLUMNS).map(([name, c]) => /** @type {[string, string]} */ ([`${SLAVE_ENTRY}.${c}`, name])),
]);

/** BondLinkStatus and BondSlaveState, as the MIB numbers them. */
const LINK_STATUS = /** @type {Record<string, number>} */ ({ up: 1, down: 2, 'going down': 3, 'going back': 4 });
const SLAVE_STATE = /** @type {Record<string, number>} */ ({ active: 1, backup: 2 });

/**
 * @typedef {import('./snmp.js').Varbind} Varbind
 * @typedef {import('./kernel-state.js').KernelBond} KernelBond
 */

/** @param {string} s @returns {Varbind} */
const str = (s) => (s === '' ? { type: '', value: '' } : { type: 'STRING', value: s });
/** @param {number} n @returns {Varbind} */
const int = (n) => ({ type: 'INTEGER', value: String(n) });
/** @param {number} n @returns {Varbind} */
const gauge = (n) => ({ type: 'Gauge32', value: String(n) });
/** @param {number} n @returns {Varbind} */
const counter = (n) => ({ type: 'Counter32', value: String(n) });

/**
 * @param {Record<string, number>} table
 * @param {string} word
 * @param {string} what
 */
function numbered(table, word, what) {
  const n = table[word];
  if (n === undefined) throw new Error(`the kernel says ${what} "${word}", which the MIB has no value for`);
  return n;
}

/**
 * @param {readonly KernelBond[]} bonds
 * @returns {Map<string, Varbind>} instance OID -> value, for the compared columns
 */
export function expectedRows(bonds) {
  /** @type {Map<string, Varbind>} */
  const rows = new Map();
  rows.set(BOND_COUNT, gauge(bonds.length));
  for (const bond of bonds) {
    const b = bond.ifIndex;
    const at = (/** @type {number} */ column) => `${BOND_ENTRY}.${column}.${b}`;
    const active = bond.slaves.find((s) => s.name === bond.activeSlave);
    if (bond.activeSlave !== '' && active === undefined) throw new Error(`${bond.name}: active slave ${bond.activeSlave} is not a slave`);
    rows.set(at(BOND_COLUMNS.bondName), str(bond.name));
    rows.set(at(BOND_COLUMNS.bondMode), int(bond.modeNumber));
    rows.set(at(BOND_COLUMNS.bondMiiStatus), int(numbered(LINK_STATUS, bond.miiStatus, `${bond.name} MII status`)));
    rows.set(at(BOND_COLUMNS.bondActiveSlaveIfIndex), int(active?.ifIndex ?? 0));
    rows.set(at(BOND_COLUMNS.bondActiveSlaveName), str(bond.activeSlave));
    rows.set(at(BOND_COLUMNS.bondSlaveCount), gauge(bond.slaves.length));
    rows.set(at(BOND_COLUMNS.bondSlavesUp), gauge(bond.slaves.filter((s) => s.miiStatus === 'up').length));
    if (bond.aggregatorId !== undefined) rows.set(at(BOND_COLUMNS.bondAdAggregatorId), int(bond.aggregatorId));
    for (const slave of bond.slaves) {
      const s = (/** @type {number} */ column) => `${SLAVE_ENTRY}.${column}.${b}.${slave.ifIndex}`;
      rows.set(s(SLAVE_COLUMNS.bondSlaveName), str(slave.name));
      rows.set(s(SLAVE_COLUMNS.bondSlaveState), int(numbered(SLAVE_STATE, slave.state, `${slave.name} state`)));
      rows.set(s(SLAVE_COLUMNS.bondSlaveMiiStatus), int(numbered(LINK_STATUS, slave.miiStatus, `${slave.name} MII status`)));
      rows.set(s(SLAVE_COLUMNS.bondSlaveLinkFailureCount), counter(slave.linkFailureCount));
      if (slave.aggregatorId !== undefined) rows.set(s(SLAVE_COLUMNS.bondSlaveAdAggregatorId), int(slave.aggregatorId));
    }
  }
  return rows;
}

/** For walkColumns: bondCount (a GetNext from the object gives its instance) and the compared columns. */
export const COMPARED_SCALARS = [BOND_COUNT.replace(/\.0$/, '')];
export const COMPARED_COLUMNS = [...COLUMN_NAMES.keys()];
/** Every column of both tables (LINUX-BONDING-MIB: bondEntry 2..35, bondSlaveEntry 2..18). */
export const ALL_COLUMNS = [
  ...Array.from({ length: 34 }, (_, i) => `${BOND_ENTRY}.${i + 2}`),
  ...Array.from({ length: 17 }, (_, i) => `${SLAVE_ENTRY}.${i + 2}`),
];

/** @param {string} oid @returns {string} columnName.index, for messages */
function readable(oid) {
  if (oid === BOND_COUNT) return 'bondCount.0';
  for (const [prefix, name] of COLUMN_NAMES) if (oid.startsWith(`${prefix}.`)) return `${name}.${oid.slice(prefix.length + 1)}`;
  return oid;
}

/** @param {Varbind | undefined} v */
const show = (v) => (v === undefined ? 'absent' : v.type === '' ? '""' : `${v.type}: ${v.value}`);

/**
 * Every compared instance whose served value differs from the kernel's,
 * plus instances of those columns the kernel has no row for.
 * @param {ReadonlyMap<string, Varbind>} walked
 * @param {ReadonlyMap<string, Varbind>} expected
 * @returns {string[]} one line per difference
 */
export function differences(walked, expected) {
  const out = [];
  for (const [oid, want] of expected) {
    const got = walked.get(oid);
    if (got === undefined || got.type !== want.type || got.value !== want.value) {
      out.push(`${readable(oid)}: kernel ${show(want)}, agent ${show(got)}`);
    }
  }
  for (const [oid, got] of walked) {
    if (expected.has(oid)) continue;
    if ([...COLUMN_NAMES.keys()].some((prefix) => oid.startsWith(`${prefix}.`))) {
      out.push(`${readable(oid)}: kernel absent, agent ${show(got)}`);
    }
  }
  return out;
}

/**
 * The agent's own indexes from a walk: bond ifIndex -> name, and slave
 * ifIndex -> name (with its bond's ifIndex).
 * @param {ReadonlyMap<string, Varbind>} walked
 */
export function servedIndexes(walked) {
  /** @type {Map<number, string>} */
  const bonds = new Map();
  /** @type {Map<number, { name: string, bond: number }>} */
  const slaves = new Map();
  for (const [oid, v] of walked) {
    if (oid.startsWith(`${BOND_ENTRY}.${BOND_COLUMNS.bondName}.`)) {
      bonds.set(Number(oid.slice(`${BOND_ENTRY}.${BOND_COLUMNS.bondName}.`.length)), v.value);
    } else if (oid.startsWith(`${SLAVE_ENTRY}.${SLAVE_COLUMNS.bondSlaveName}.`)) {
      const [b = '', s = ''] = oid.slice(`${SLAVE_ENTRY}.${SLAVE_COLUMNS.bondSlaveName}.`.length).split('.');
      slaves.set(Number(s), { name: v.value, bond: Number(b) });
    }
  }
  return { bonds, slaves };
}

/**
 * The bond modes the walk serves, as the kernel numbers them.
 * @param {ReadonlyMap<string, Varbind>} walked
 * @returns {Set<number>}
 */
export function servedModes(walked) {
  const prefix = `${BOND_ENTRY}.${BOND_COLUMNS.bondMode}.`;
  return new Set([...walked].filter(([oid]) => oid.startsWith(prefix)).map(([, v]) => Number(v.value)));
}
