// LINUX-BONDING-MIB notifications as the scenario speaks of them: a tuple
// (name, bond, slave), where "slave" of bondActiveSlaveChanged is
// "previous->current" and bond-level notifications have none. Expected
// lists are matched in order, exactly: nothing missing, nothing extra,
// nothing twice. An entry may be optional where the kernel passes through a
// real intermediate state that a read may or may not catch. Membership
// notifications (bondSlaveAdded/Removed, bondCreated/Deleted) carry the slave
// count after the change or the bond's mode: an expected entry that states
// them (slaveCount, mode, and the bond's and slave's ifIndex) matches only a
// notification that carries those values.

const MIB = '1.3.6.1.4.1.8072.9999.9999.8023';
export const NOTIFICATION_PREFIX = `${MIB}.0.`;
const BOND_NAME = `${MIB}.1.2.1.2.`;
const BOND_MODE = `${MIB}.1.2.1.3.`;
const BOND_SLAVE_COUNT = `${MIB}.1.2.1.9.`;
const BOND_ACTIVE_NAME = `${MIB}.1.2.1.6.`;
const SLAVE_NAME = `${MIB}.1.3.1.2.`;
const SLAVE_MII_STATUS = `${MIB}.1.3.1.4.`;
const SLAVE_LINK_FAILURES = `${MIB}.1.3.1.7.`;
const PREVIOUS_ACTIVE_NAME = `${MIB}.1.4.1.0`;
const EVENT_INFERRED = `${MIB}.1.4.3.0`;

/** @type {Record<string, string>} */
const NAMES = {
  1: 'bondSlaveLinkDown',
  2: 'bondSlaveLinkUp',
  3: 'bondActiveSlaveChanged',
  4: 'bondLinkDown',
  5: 'bondLinkUp',
  6: 'bondSlaveAdAggregatorMismatch',
  7: 'bondSlaveAdAggregatorMatch',
  8: 'bondSlaveAdded',
  9: 'bondSlaveRemoved',
  10: 'bondCreated',
  11: 'bondDeleted',
};

/**
 * @typedef {import('./trap-watch.js').ArrivedNotification} ArrivedNotification
 * @typedef {{ readonly name: string, readonly bond: string, readonly slave?: string,
 *   readonly inferred: boolean, readonly bondIfIndex: number | undefined,
 *   readonly slaveIfIndex: number | undefined, readonly linkFailureCount: number | undefined,
 *   readonly miiStatus: number | undefined, readonly slaveCount: number | undefined,
 *   readonly mode: number | undefined,
 *   readonly arrivedAt: number }} Told
 *   slaveCount: bondSlaveCount.B where the notification carries it; mode: bondMode.B (bondCreated/Deleted)
 * @typedef {{ readonly name: string, readonly bond: string, readonly slave?: string,
 *   readonly optional?: boolean, readonly inferred?: boolean | 'any',
 *   readonly slaveCount?: number, readonly mode?: number,
 *   readonly bondIfIndex?: number, readonly slaveIfIndex?: number }} Expected
 *   inferred: false unless said (a flap may be told either way: 'any'); slaveCount, mode,
 *   bondIfIndex, slaveIfIndex: checked when given
 * @typedef {readonly Expected[] | { readonly oneOf: readonly (readonly Expected[])[] }} ExpectedList
 *   oneOf: the kernel may tell the story in more than one way (which, it does not say afterwards)
 */

/** @param {string} text snmptrapd's -Ox rendering of an octet string @returns {string} */
function octets(text) {
  const t = text.trim();
  if (t === '' || t === '""') return '';
  if (/^".*"$/s.test(t)) return t.slice(1, -1);
  return Buffer.from(t.split(/\s+/).map((h) => Number.parseInt(h, 16))).toString('utf8');
}

/**
 * One of ours, in the scenario's words; undefined for others' (coldStart).
 * @param {ArrivedNotification} n
 * @returns {Told | undefined}
 */
export function told(n) {
  if (!n.trapOid.startsWith(NOTIFICATION_PREFIX)) return undefined;
  const name = NAMES[n.trapOid.slice(NOTIFICATION_PREFIX.length)] ?? n.trapOid;
  const find = (/** @type {string} */ prefix) => n.varbinds.find((v) => v.oid.startsWith(prefix));
  const bondVb = find(BOND_NAME);
  const slaveVb = find(SLAVE_NAME);
  const failures = find(SLAVE_LINK_FAILURES);
  const mii = find(SLAVE_MII_STATUS);
  const count = find(BOND_SLAVE_COUNT);
  const mode = find(BOND_MODE);
  let slave = slaveVb === undefined ? undefined : octets(slaveVb.text);
  if (name === 'bondActiveSlaveChanged') {
    const previous = find(PREVIOUS_ACTIVE_NAME);
    const current = find(BOND_ACTIVE_NAME);
    slave = `${octets(previous?.text ?? '') || 'none'}->${octets(current?.text ?? '') || 'none'}`;
  }
  const slaveIndex = slaveVb?.oid.slice(SLAVE_NAME.length).split('.')[1];
  return {
    name,
    bond: bondVb === undefined ? '?' : octets(bondVb.text),
    ...(slave === undefined ? {} : { slave }),
    inferred: find(EVENT_INFERRED)?.text === '1',
    bondIfIndex: bondVb === undefined ? undefined : Number(bondVb.oid.slice(BOND_NAME.length)),
    slaveIfIndex: slaveIndex === undefined ? undefined : Number(slaveIndex),
    linkFailureCount: failures === undefined ? undefined : Number(failures.text),
    miiStatus: mii === undefined ? undefined : Number(mii.text),
    slaveCount: count === undefined ? undefined : Number(count.text),
    mode: mode === undefined ? undefined : Number(mode.text),
    arrivedAt: n.arrivedAt,
  };
}

/** Names whose slave count / mode the scenario states and shows. */
const COUNTED = new Set(['bondSlaveAdded', 'bondSlaveRemoved']);
const MODED = new Set(['bondCreated', 'bondDeleted']);

/**
 * @param {{ name: string, bond: string, slave?: string, inferred?: boolean | 'any', optional?: boolean,
 *   slaveCount?: number, mode?: number, bondIfIndex?: number, slaveIfIndex?: number }} t
 */
export function describe(t) {
  const membership = COUNTED.has(t.name) || MODED.has(t.name);
  const flags = [
    membership && t.bondIfIndex !== undefined ? `bondIfIndex=${t.bondIfIndex}` : '',
    COUNTED.has(t.name) && t.slaveIfIndex !== undefined ? `slaveIfIndex=${t.slaveIfIndex}` : '',
    COUNTED.has(t.name) && t.slaveCount !== undefined ? `count=${t.slaveCount}` : '',
    MODED.has(t.name) && t.mode !== undefined ? `mode=${t.mode}` : '',
    t.inferred === true ? 'inferred' : '',
    t.optional === true ? '(optional)' : '',
  ].filter(Boolean);
  return [t.name, t.bond, t.slave ?? '', ...flags].filter(Boolean).join(' ');
}

/** @param {Told} got @param {Expected} want */
function same(got, want) {
  const inferred = want.inferred ?? false;
  return (
    got.name === want.name &&
    got.bond === want.bond &&
    (got.slave ?? '') === (want.slave ?? '') &&
    (inferred === 'any' || got.inferred === inferred) &&
    (want.slaveCount === undefined || got.slaveCount === want.slaveCount) &&
    (want.mode === undefined || got.mode === want.mode) &&
    (want.bondIfIndex === undefined || got.bondIfIndex === want.bondIfIndex) &&
    (want.slaveIfIndex === undefined || got.slaveIfIndex === want.slaveIfIndex)
  );
}

/**
 * Whether `got` is `want` in order, optional entries allowed to be missing.
 * @param {readonly Told[]} got
 * @param {ExpectedList} want
 * @returns {boolean}
 */
export function matches(got, want) {
  if ('oneOf' in want) return want.oneOf.some((w) => matches(got, w));
  /** @type {(i: number, j: number) => boolean} */
  const from = (i, j) => {
    if (j === want.length) return i === got.length;
    const w = want[j];
    if (w === undefined) return false;
    if (w.optional === true && from(i, j + 1)) return true;
    const g = got[i];
    return g !== undefined && same(g, w) && from(i + 1, j + 1);
  };
  return from(0, 0);
}

/** @param {ExpectedList} want @returns {number} how many notifications must come at least */
export const required = (want) =>
  'oneOf' in want ? Math.min(...want.oneOf.map(required)) : want.filter((w) => w.optional !== true).length;

/** @param {ExpectedList} want @returns {string} */
export const describeList = (want) =>
  'oneOf' in want ? want.oneOf.map((w) => `[${describeList(w)}]`).join(' or ') : want.map(describe).join(' | ') || '(none)';
