/**
 * diff(previous, next): the changes between two snapshots, in the order an operator would tell
 * them. Bonds are taken by name (numeric-aware: bond2 before bond10); within one bond:
 *
 *   1. a bond that is gone, or was recreated (same name, new ifindex): slaveRemoved..., bondRemoved
 *   2. bondAdded (created: from then on compared with an empty, down bond with no active slave)
 *   3. slaveAdded...               (a recreated slave: its slaveRemoved just before)
 *   4. slaveLinkDown...            real transitions out of `up`
 *   5. inferred flaps              per slave, a down/up (or up/down) pair marked `inferred`
 *   6. slaveLinkUp...              real transitions back to `up`
 *   7. activeSlaveChanged
 *   8. aggregatorMismatchBegan / Ended...
 *   9. bondLinkDown / bondLinkUp
 *  10. slaveRemoved...
 *
 * so that each story reads in its own order: failover is "eth0 down, active eth0 -> eth1";
 * recovery "eth0 up, active eth1 -> eth0"; a bond going down "slaves down, active -> none, bond
 * down"; coming up "slave up, active none -> eth0, bond up"; a bond created with a slave "bond
 * added, slave added, active none -> eth0, bond up"; the active slave released "active eth0 ->
 * eth1, eth0 removed". Whatever caused a change of the active slave or of the bond's link (a
 * link, a slave added or released, a mode change, an administrator) it is told. Slaves follow
 * the kernel's order.
 */
import type { BondingEvent, InterfaceRef } from './events.js';
import type { Bond, BondingSnapshot, Slave, SlaveMiiStatus } from './types.js';

const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

const ref = (i: { name: string; ifIndex: number | undefined }): InterfaceRef => ({ name: i.name, ifIndex: i.ifIndex });

/** Same kernel object: same name (matched by the caller) and no evidence of a new ifindex. */
const sameObject = (a: { ifIndex: number | undefined }, b: { ifIndex: number | undefined }): boolean =>
  a.ifIndex === undefined || b.ifIndex === undefined || a.ifIndex === b.ifIndex;

function activeRef(bond: Bond): InterfaceRef | undefined {
  if (bond.activeSlave === undefined) return undefined;
  const slave = bond.slaves.find((s) => s.name === bond.activeSlave);
  return { name: bond.activeSlave, ifIndex: slave?.ifIndex };
}

/** true / false when the kernel told us both IDs in 802.3ad mode, else undefined. */
function mismatch(bond: Bond, slave: Slave): boolean | undefined {
  if (bond.mode !== '802.3ad' || bond.adAggregator === undefined || slave.aggregatorId === undefined) return undefined;
  return slave.aggregatorId !== bond.adAggregator;
}

/**
 * How much the failure count rises with this change alone. The driver counts a
 * failure when a slave reaches `down`: from `up`, or from `going down`
 * (downdelay: its failure already told) or `going back` (updelay: it never came
 * up), reaching `down` raises the count by one without any flap. `going down`
 * and coming up raise nothing. A rise beyond this is a failure nobody saw.
 */
function countedOnArrival(old: SlaveMiiStatus, now: SlaveMiiStatus): number {
  if (now === 'down') return old === 'down' ? 0 : 1;
  // Up to going back passes through down, which counted.
  return now === 'going back' && old === 'up' ? 1 : 0;
}

function removedBond(bond: Bond): BondingEvent[] {
  const b = ref(bond);
  return [
    ...bond.slaves.map((s, i): BondingEvent => ({ type: 'slaveRemoved', bond: b, slave: ref(s), slaveCount: bond.slaves.length - i - 1 })),
    { type: 'bondRemoved', bond: b, mode: bond.mode },
  ];
}

function slaveAdded(bond: Bond, slave: Slave, slaveCount: number): BondingEvent {
  return { type: 'slaveAdded', bond: ref(bond), slave: ref(slave), miiStatus: slave.miiStatus, state: slave.state, slaveCount };
}

function mismatchEvent(bond: Bond, slave: Slave, began: boolean): BondingEvent {
  return {
    type: began ? 'aggregatorMismatchBegan' : 'aggregatorMismatchEnded',
    bond: ref(bond),
    slave: ref(slave),
    slaveAggregatorId: slave.aggregatorId ?? 0,
    activeAggregatorId: bond.adAggregator ?? 0,
  };
}

/** What a bond was before it was created: no slaves, down, no active slave. */
const nothing = (bond: Bond): Bond => ({ ...bond, slaves: [], activeSlave: undefined, miiStatus: 'down', adAggregator: undefined });

function diffBond(prev: Bond | undefined, next: Bond | undefined): BondingEvent[] {
  if (next === undefined) return prev === undefined ? [] : removedBond(prev);
  const events: BondingEvent[] = [];
  const b = ref(next);
  if (prev !== undefined && !sameObject(prev, next)) {
    events.push(...removedBond(prev));
    prev = undefined;
  }
  if (prev === undefined) {
    events.push({ type: 'bondAdded', bond: b, mode: next.mode, miiStatus: next.miiStatus });
    prev = nothing(next);
  }

  const previousSlaves = new Map(prev.slaves.map((s) => [s.name, s]));
  const kept: Array<{ before: Slave; after: Slave }> = [];
  const removed: BondingEvent[] = [];
  // The bond's slaves as told so far: each addition and removal is told with the count after it.
  let count = prev.slaves.length;
  for (const slave of next.slaves) {
    const before = previousSlaves.get(slave.name);
    if (before && sameObject(before, slave)) {
      kept.push({ before, after: slave });
      continue;
    }
    if (before) events.push({ type: 'slaveRemoved', bond: b, slave: ref(before), slaveCount: --count });
    events.push(slaveAdded(next, slave, ++count));
  }

  const downs: BondingEvent[] = [];
  const flaps: BondingEvent[] = [];
  const ups: BondingEvent[] = [];
  for (const { before, after } of kept) {
    const old = before.miiStatus;
    const now = after.miiStatus;
    if (old === undefined || now === undefined) continue;
    const link = (type: 'slaveLinkDown' | 'slaveLinkUp', inferred: boolean): BondingEvent => ({
      type,
      bond: b,
      slave: ref(after),
      miiStatus: inferred ? (type === 'slaveLinkDown' ? 'down' : 'up') : now,
      oldMiiStatus: old,
      newMiiStatus: now,
      oldLinkFailureCount: before.linkFailureCount,
      newLinkFailureCount: after.linkFailureCount,
      state: after.state,
      inferred,
    });
    const unseenFailure =
      before.linkFailureCount !== undefined &&
      after.linkFailureCount !== undefined &&
      after.linkFailureCount > before.linkFailureCount + countedOnArrival(old, now);
    if (old === 'up' && now !== 'up') {
      // A failure and a recovery before this failure: told first, in the order they happened.
      if (unseenFailure) downs.push(link('slaveLinkDown', true), link('slaveLinkUp', true));
      downs.push(link('slaveLinkDown', false));
    } else if (old !== 'up' && now === 'up') {
      if (unseenFailure) ups.push(link('slaveLinkUp', true), link('slaveLinkDown', true));
      ups.push(link('slaveLinkUp', false));
    } else if (unseenFailure) {
      // The link failed between the reads although both show the same side of `up`.
      if (now === 'up') flaps.push(link('slaveLinkDown', true), link('slaveLinkUp', true));
      else flaps.push(link('slaveLinkUp', true), link('slaveLinkDown', true));
    }
  }
  events.push(...downs, ...flaps, ...ups);

  const nextNames = new Set(next.slaves.map((s) => s.name));
  for (const slave of prev.slaves) {
    if (!nextNames.has(slave.name)) removed.push({ type: 'slaveRemoved', bond: b, slave: ref(slave), slaveCount: --count });
  }

  if (prev.activeSlave !== next.activeSlave) {
    events.push({ type: 'activeSlaveChanged', bond: b, previous: activeRef(prev), current: activeRef(next) });
  }

  const keptByName = new Map(kept.map((k) => [k.after.name, k.before]));
  for (const slave of next.slaves) {
    const now = mismatch(next, slave);
    const before = keptByName.get(slave.name);
    const then = before === undefined ? undefined : mismatch(prev, before);
    if (now === true && then !== true) events.push(mismatchEvent(next, slave, true));
    else if (now === false && then === true) events.push(mismatchEvent(next, slave, false));
  }

  if (prev.miiStatus !== undefined && next.miiStatus !== undefined && prev.miiStatus !== next.miiStatus) {
    events.push({
      type: next.miiStatus === 'down' ? 'bondLinkDown' : 'bondLinkUp',
      bond: b,
      oldMiiStatus: prev.miiStatus,
      newMiiStatus: next.miiStatus,
      activeSlave: activeRef(next),
    });
  }
  events.push(...removed);
  return events;
}

export function diff(previous: BondingSnapshot, next: BondingSnapshot): readonly BondingEvent[] {
  const before = new Map(previous.bonds.map((b) => [b.name, b]));
  const after = new Map(next.bonds.map((b) => [b.name, b]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort(byName);
  return names.flatMap((name) => diffBond(before.get(name), after.get(name)));
}
