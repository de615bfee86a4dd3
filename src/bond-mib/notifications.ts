import type { Bond, BondingEvent, BondingSnapshot, InterfaceRef } from '../bonding/index.js';
import { snmp, type Oid, type SnmpValue, type VarBind } from '../snmp/index.js';
import { slavesUp } from './bond-view.js';
import { bondModeValue, counter32, displayString, gauge32, integer32, linkStatusValue, truthValue } from './encodings.js';
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

/** What an event calls for: its notification, or why it cannot be told. */
export type NotificationOutcome =
  | { readonly kind: 'send'; readonly notification: BondNotification }
  | { readonly kind: 'skip'; readonly name: NotificationName; readonly reason: string };

const scalarInstance = (oid: Oid): Oid => [...oid, 0];

/** Builds varbinds, dropping any whose value the kernel did not give (never a made-up value). */
function varbinds(...pairs: ReadonlyArray<readonly [Oid, SnmpValue | undefined]>): VarBind[] {
  return pairs.filter((p): p is readonly [Oid, SnmpValue] => p[1] !== undefined).map(([oid, value]) => ({ oid, value }));
}

/**
 * The notification an event calls for, with the state that explains it.
 * `next` is the snapshot the event was diffed into.
 */
export function notificationFor(
  event: BondingEvent,
  next: BondingSnapshot,
  failovers: FailoverRecords,
): NotificationOutcome {
  const name = notificationName(event);
  const skip = (reason: string): NotificationOutcome => ({ kind: 'skip', name, reason });
  const b = event.bond.ifIndex;
  if (b === undefined) return skip(`bond ${event.bond.name} has no readable ifindex`);
  const bond = next.bonds.find((x) => x.name === event.bond.name && x.ifIndex === b);
  const make = (list: VarBind[]): NotificationOutcome => ({ kind: 'send', notification: { name, trapOid: NOTIFICATION[name], varbinds: list } });

  // Every notification names its bond, and its slave where one is concerned.
  const bondName = [bondColumn(BOND.bondName, b), displayString(event.bond.name)] as const;
  const slave = 'slave' in event ? event.slave : undefined;
  if (slave !== undefined && slave.ifIndex === undefined) return skip(`slave ${slave.name} has no readable ifindex`);
  // Used only for events about a slave, whose ifIndex was checked above.
  const s = slave?.ifIndex ?? 0;
  const slaveName = [slaveColumn(SLAVE.bondSlaveName, b, s), displayString(slave?.name)] as const;

  switch (event.type) {
    case 'slaveLinkDown':
    case 'slaveLinkUp':
      return make(
        varbinds(
          bondName,
          slaveName,
          [slaveColumn(SLAVE.bondSlaveMiiStatus, b, s), linkStatusValue(event.miiStatus)],
          [slaveColumn(SLAVE.bondSlaveLinkFailureCount, b, s), counter32(event.newLinkFailureCount)],
          [bondColumn(BOND.bondActiveSlaveName, b), displayString(bond?.activeSlave ?? '')],
          [bondColumn(BOND.bondSlavesUp, b), gauge32(bond && slavesUp(bond))],
          [scalarInstance(bondEventInferred), truthValue(event.inferred)],
          [bondColumn(BOND.bondSlaveCount, b), gauge32(bond?.slaves.length)],
        ),
      );
    case 'activeSlaveChanged': {
      const record = bond ? failovers.get(bondKey(bond)) : undefined;
      return make(
        varbinds(
          bondName,
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
          bondName,
          [bondColumn(BOND.bondMiiStatus, b), linkStatusValue(event.newMiiStatus)],
          [bondColumn(BOND.bondSlaveCount, b), gauge32(bond?.slaves.length)],
          [bondColumn(BOND.bondSlavesUp, b), gauge32(bond && slavesUp(bond))],
        ),
      );
    case 'aggregatorMismatchBegan':
    case 'aggregatorMismatchEnded':
      return make(
        varbinds(
          bondName,
          slaveName,
          [slaveColumn(SLAVE.bondSlaveAdAggregatorId, b, s), integer32(event.slaveAggregatorId)],
          [bondColumn(BOND.bondAdAggregatorId, b), integer32(event.activeAggregatorId)],
        ),
      );
    case 'slaveAdded':
    case 'slaveRemoved':
      return make(varbinds(bondName, slaveName, [bondColumn(BOND.bondSlaveCount, b), gauge32(event.slaveCount)]));
    case 'bondAdded':
    case 'bondRemoved':
      return make(varbinds(bondName, [bondColumn(BOND.bondMode, b), bondModeValue(event.mode)]));
  }
}

function notificationName(event: BondingEvent): NotificationName {
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
    case 'slaveAdded':
      return 'bondSlaveAdded';
    case 'slaveRemoved':
      return 'bondSlaveRemoved';
    case 'bondAdded':
      return 'bondCreated';
    case 'bondRemoved':
      return 'bondDeleted';
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
  now: number,
): FailoverRecords {
  const updated = new Map(records);
  for (const e of events) {
    if (e.type !== 'activeSlaveChanged' || e.previous === undefined) continue;
    const key = bondKey(e.bond);
    updated.set(key, { count: (updated.get(key)?.count ?? 0) + 1, lastAt: now });
  }
  const live = new Set(next.bonds.map((b: Bond) => bondKey(b)));
  for (const key of updated.keys()) if (!live.has(key)) updated.delete(key);
  return updated;
}

