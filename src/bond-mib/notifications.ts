import type { Bond, BondingEvent, BondingSnapshot, InterfaceRef, SlaveMiiStatus } from '../bonding/index.js';
import { snmp, type Oid, type SnmpValue, type VarBind } from '../snmp/index.js';
import { slavesUp } from './bond-view.js';
import { counter32, displayString, gauge32, integer32, linkStatusValue, truthValue } from './encodings.js';
import { bondKey, type FailoverRecords } from './failover-record.js';
import {
  BOND,
  NOTIFICATION,
  SLAVE,
  bondColumn,
  bondEventInferred,
  bondPreviousActiveSlaveIfIndex,
  bondPreviousActiveSlaveName,
  slaveColumn,
  type NotificationName,
} from './oids.js';

export interface BondNotification {
  readonly name: NotificationName;
  readonly trapOid: Oid;
  /** The NOTIFICATION-TYPE's OBJECTS, in its order (sysUpTime.0 and snmpTrapOID.0 are the session's). */
  readonly varbinds: readonly VarBind[];
}

/** Why an event that has a notification could not be told. */
export interface SkippedNotification {
  readonly name: NotificationName;
  readonly reason: string;
}

const scalarInstance = (oid: Oid): Oid => [...oid, 0];

/** Builds varbinds, dropping any whose value the kernel did not give (never a made-up value). */
function varbinds(...pairs: ReadonlyArray<readonly [Oid, SnmpValue | undefined]>): VarBind[] {
  return pairs.filter((p): p is readonly [Oid, SnmpValue] => p[1] !== undefined).map(([oid, value]) => ({ oid, value }));
}

/**
 * The notification an event calls for, with the state that explains it; events
 * with no notification in LINUX-BONDING-MIB (bond or slave added or removed)
 * give undefined. `next` is the snapshot the event was diffed into.
 */
export function notificationFor(
  event: BondingEvent,
  next: BondingSnapshot,
  failovers: FailoverRecords,
): BondNotification | SkippedNotification | undefined {
  const name = notificationName(event);
  if (name === undefined) return undefined;
  const b = event.bond.ifIndex;
  if (b === undefined) return { name, reason: `bond ${event.bond.name} has no readable ifindex` };
  const bond = next.bonds.find((x) => x.name === event.bond.name && x.ifIndex === b);
  const make = (list: VarBind[]): BondNotification => ({ name, trapOid: NOTIFICATION[name], varbinds: list });

  switch (event.type) {
    case 'slaveLinkDown':
    case 'slaveLinkUp': {
      const s = event.slave.ifIndex;
      if (s === undefined) return { name, reason: `slave ${event.slave.name} has no readable ifindex` };
      // An inferred transition reports the state it infers, not the (unchanged) current one.
      const mii: SlaveMiiStatus = event.inferred ? (event.type === 'slaveLinkDown' ? 'down' : 'up') : event.newMiiStatus;
      return make(
        varbinds(
          [bondColumn(BOND.bondName, b), displayString(event.bond.name)],
          [slaveColumn(SLAVE.bondSlaveName, b, s), displayString(event.slave.name)],
          [slaveColumn(SLAVE.bondSlaveMiiStatus, b, s), linkStatusValue(mii)],
          [slaveColumn(SLAVE.bondSlaveLinkFailureCount, b, s), counter32(event.newLinkFailureCount)],
          [bondColumn(BOND.bondActiveSlaveName, b), displayString(bond?.activeSlave ?? '')],
          [bondColumn(BOND.bondSlavesUp, b), gauge32(bond && slavesUp(bond))],
          [scalarInstance(bondEventInferred), truthValue(event.inferred)],
        ),
      );
    }
    case 'activeSlaveChanged': {
      const record = bond ? failovers.get(bondKey(bond)) : undefined;
      return make(
        varbinds(
          [bondColumn(BOND.bondName, b), displayString(event.bond.name)],
          [scalarInstance(bondPreviousActiveSlaveName), displayString(event.previous?.name ?? '')],
          [scalarInstance(bondPreviousActiveSlaveIfIndex), ifIndexOrZero(event.previous)],
          [bondColumn(BOND.bondActiveSlaveName, b), displayString(event.current?.name ?? '')],
          [bondColumn(BOND.bondActiveSlaveIfIndex, b), ifIndexOrZero(event.current)],
          [bondColumn(BOND.bondFailoverCount, b), snmp.counter32(record?.count ?? 0)],
        ),
      );
    }
    case 'bondLinkDown':
    case 'bondLinkUp':
      return make(
        varbinds(
          [bondColumn(BOND.bondName, b), displayString(event.bond.name)],
          [bondColumn(BOND.bondMiiStatus, b), linkStatusValue(event.newMiiStatus)],
          [bondColumn(BOND.bondSlaveCount, b), gauge32(bond?.slaves.length)],
          [bondColumn(BOND.bondSlavesUp, b), gauge32(bond && slavesUp(bond))],
        ),
      );
    case 'aggregatorMismatchBegan':
    case 'aggregatorMismatchEnded': {
      const s = event.slave.ifIndex;
      if (s === undefined) return { name, reason: `slave ${event.slave.name} has no readable ifindex` };
      return make(
        varbinds(
          [bondColumn(BOND.bondName, b), displayString(event.bond.name)],
          [slaveColumn(SLAVE.bondSlaveName, b, s), displayString(event.slave.name)],
          [slaveColumn(SLAVE.bondSlaveAdAggregatorId, b, s), integer32(event.slaveAggregatorId)],
          [bondColumn(BOND.bondAdAggregatorId, b), integer32(event.activeAggregatorId)],
        ),
      );
    }
    default:
      return undefined;
  }
}

function notificationName(event: BondingEvent): NotificationName | undefined {
  switch (event.type) {
    case 'slaveLinkDown':
      return 'bondSlaveLinkDown';
    case 'slaveLinkUp':
      return 'bondSlaveLinkUp';
    case 'activeSlaveChanged':
      return 'bondActiveSlaveChanged';
    case 'bondLinkDown':
      return 'bondLinkDown';
    case 'bondLinkUp':
      return 'bondLinkUp';
    case 'aggregatorMismatchBegan':
      return 'bondSlaveAdAggregatorMismatch';
    case 'aggregatorMismatchEnded':
      return 'bondSlaveAdAggregatorMatch';
    default:
      return undefined;
  }
}

const ifIndexOrZero = (ref: InterfaceRef | undefined): SnmpValue => snmp.integer(ref?.ifIndex ?? 0);

/**
 * The agent's own failover bookkeeping after `events`: an active slave that
 * changes to another slave or to none is a failover; none -> a slave (a bond
 * coming up) is not. Records of bonds that are gone are dropped.
 */
export function recordFailovers(
  records: FailoverRecords,
  events: readonly BondingEvent[],
  next: BondingSnapshot,
  nowTicks: number,
): FailoverRecords {
  const updated = new Map(records);
  for (const e of events) {
    if (e.type !== 'activeSlaveChanged' || e.previous === undefined) continue;
    const key = bondKey(e.bond);
    updated.set(key, { count: (updated.get(key)?.count ?? 0) + 1, lastTicks: nowTicks });
  }
  const live = new Set(next.bonds.map((b: Bond) => bondKey(b)));
  for (const key of updated.keys()) if (!live.has(key)) updated.delete(key);
  return updated;
}

