// What the agent must tell when a bond's membership changes, worked out
// here from the states the kernel passes through, not from the agent's code.
//
// Creating a bond, enslaving, releasing and deleting are each several
// steps inside the driver (bond_enslave, __bond_release_one, bond_uninit),
// every one visible to a reader of sysfs/procfs for a moment: a slave listed
// before the bond's carrier is raised, a released slave gone from the list
// while it is still named the active one, the procfs file of a bond being
// deleted gone before its slaves are released. The agent reads whenever a
// link event or its periodic check says so, so any of those moments may be
// the one it reads. A step therefore gives the chain of states the driver
// goes through, and the notifications expected are the stories of every
// path through that chain (first and last state fixed, any of the states in
// between read or not), each told in the order the agent documents for one
// read: created, slaves added, slave links down, slave links up, active
// slave, bond up/down, slaves removed, deleted.

/**
 * @typedef {import('./notifications.js').Expected} Expected
 * @typedef {import('./notifications.js').ExpectedList} ExpectedList
 * @typedef {{ readonly name: string, readonly ifIndex: number, readonly mii: string }} SlaveState
 * @typedef {{ readonly name: string, readonly ifIndex: number, readonly mode: number,
 *   readonly mii: string, readonly active: string, readonly slaves: readonly SlaveState[] }} BondState
 *   mii: the bond's and each slave's MII status as sysfs words it (up, down, going back...);
 *   active: '' for none
 */

/**
 * The notifications one read tells for a change from `prev` to `next`
 * (undefined: no such bond).
 * @param {BondState | undefined} prev
 * @param {BondState | undefined} next
 * @returns {Expected[]}
 */
export function toldBetween(prev, next) {
  if (next === undefined) {
    if (prev === undefined) return [];
    return [
      ...prev.slaves.map((s, i) => removed(prev, s, prev.slaves.length - i - 1)),
      { name: 'bondDeleted', bond: prev.name, mode: prev.mode, bondIfIndex: prev.ifIndex },
    ];
  }
  /** @type {Expected[]} */
  const out = [];
  /** @type {BondState} */
  let before;
  if (prev === undefined) {
    out.push({ name: 'bondCreated', bond: next.name, mode: next.mode, bondIfIndex: next.ifIndex });
    // From then on, compared with a bond that has nothing: no slaves, down, no active slave.
    before = { ...next, mii: 'down', active: '', slaves: [] };
  } else {
    before = prev;
  }
  const had = new Map(before.slaves.map((s) => [s.name, s]));
  const has = new Set(next.slaves.map((s) => s.name));
  let count = before.slaves.length;
  for (const s of next.slaves) {
    if (!had.has(s.name)) out.push({ name: 'bondSlaveAdded', bond: next.name, slave: s.name, slaveCount: ++count, bondIfIndex: next.ifIndex, slaveIfIndex: s.ifIndex });
  }
  const kept = next.slaves.filter((s) => had.has(s.name)).map((s) => ({ was: had.get(s.name)?.mii ?? '', now: s.mii, name: s.name }));
  for (const k of kept) if (k.was === 'up' && k.now !== 'up') out.push({ name: 'bondSlaveLinkDown', bond: next.name, slave: k.name });
  for (const k of kept) if (k.was !== 'up' && k.now === 'up') out.push({ name: 'bondSlaveLinkUp', bond: next.name, slave: k.name });
  if (before.active !== next.active) {
    out.push({ name: 'bondActiveSlaveChanged', bond: next.name, slave: `${before.active || 'none'}->${next.active || 'none'}` });
  }
  if (before.mii !== next.mii) out.push({ name: next.mii === 'down' ? 'bondLinkDown' : 'bondLinkUp', bond: next.name });
  for (const s of before.slaves) if (!has.has(s.name)) out.push(removed(next, s, --count));
  return out;
}

/** @param {BondState} bond @param {SlaveState} slave @param {number} count @returns {Expected} */
const removed = (bond, slave, count) => ({
  name: 'bondSlaveRemoved',
  bond: bond.name,
  slave: slave.name,
  slaveCount: count,
  bondIfIndex: bond.ifIndex,
  slaveIfIndex: slave.ifIndex,
});

/**
 * Every story a reader may tell of a chain of states: from the first to the
 * last, through any subset of the states in between. More than one chain
 * where the driver may take more than one way (two slaves' updelays ending
 * in the same monitor tick or in two): the stories of every chain.
 * @param {readonly (BondState | undefined)[]} chain at least two states
 * @param {...readonly (BondState | undefined)[]} others more chains, with the same first and last state
 * @returns {ExpectedList}
 */
export function possibleStories(chain, ...others) {
  /** @type {Map<string, Expected[]>} */
  const stories = new Map();
  for (const c of [chain, ...others]) {
    const first = c[0];
    const last = c[c.length - 1];
    const between = c.slice(1, -1);
    if (c.length < 2) throw new Error('a chain has a first and a last state');
    if (between.length > 12) throw new Error(`a chain of ${c.length} states: too many paths`);
    for (let mask = 0; mask < 1 << between.length; mask++) {
      const path = [first, ...between.filter((_, i) => (mask & (1 << i)) !== 0), last];
      const story = path.slice(1).flatMap((state, i) => toldBetween(path[i], state));
      stories.set(JSON.stringify(story), story);
    }
  }
  const all = [...stories.values()];
  return all.length === 1 ? (all[0] ?? []) : { oneOf: all };
}

/**
 * The states a bond passes through while it is deleted with its slaves
 * (bond_uninit releases each in turn, __bond_release_one with `all`): the
 * slave leaves the list; if it was the active one, the bond has none from
 * then on (no new one is chosen); the carrier follows the slaves still up
 * (none left: down). Then the bond is gone. Its procfs file goes first,
 * which changes nothing a reader compares.
 * @param {BondState} bond as the kernel showed it before
 * @returns {(BondState | undefined)[]}
 */
export function deletionChain(bond) {
  /** @type {(BondState | undefined)[]} */
  const chain = [bond];
  let state = bond;
  for (const slave of bond.slaves) {
    state = { ...state, slaves: state.slaves.filter((s) => s.name !== slave.name) };
    chain.push(state);
    if (state.active === slave.name) chain.push((state = { ...state, active: '' }));
    const carrier = state.slaves.some((s) => s.mii === 'up') ? 'up' : 'down';
    if (carrier !== state.mii) chain.push((state = { ...state, mii: carrier }));
  }
  chain.push(undefined);
  return chain;
}
