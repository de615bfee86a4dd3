/** What changed between two snapshots, in the words a notification needs. */
import type { BondMiiStatus, BondMode, SlaveMiiStatus, SlaveState } from './types.js';

/** An interface as the kernel identifies it; `ifIndex` is undefined when sysfs did not give it. */
export interface InterfaceRef {
  readonly name: string;
  readonly ifIndex: number | undefined;
}

interface BondEventBase {
  readonly bond: InterfaceRef;
}

interface SlaveEventBase extends BondEventBase {
  readonly slave: InterfaceRef;
}

export interface BondAdded extends BondEventBase {
  readonly type: 'bondAdded';
  readonly mode: BondMode | undefined;
  readonly miiStatus: BondMiiStatus | undefined;
}

export interface BondRemoved extends BondEventBase {
  readonly type: 'bondRemoved';
  /** The mode the bond had. */
  readonly mode: BondMode | undefined;
}

export interface SlaveAdded extends SlaveEventBase {
  readonly type: 'slaveAdded';
  readonly miiStatus: SlaveMiiStatus | undefined;
  readonly state: SlaveState | undefined;
  /** The bond's number of slaves right after this addition (several in one read count up one by one). */
  readonly slaveCount: number;
}

export interface SlaveRemoved extends SlaveEventBase {
  readonly type: 'slaveRemoved';
  /** The bond's number of slaves right after this removal. */
  readonly slaveCount: number;
}

/**
 * A slave's link left `up` (slaveLinkDown) or returned to it (slaveLinkUp). `inferred` marks a
 * transition nobody saw: the link failure count rose more than the change between the two
 * snapshots explains, so a flap happened between the reads; it is told as a down/up (or up/down)
 * pair. `miiStatus` is what the event tells (for an inferred one, the status it infers); old and
 * new values are those of the two snapshots.
 */
export interface SlaveLinkChange extends SlaveEventBase {
  readonly type: 'slaveLinkDown' | 'slaveLinkUp';
  readonly miiStatus: SlaveMiiStatus;
  readonly oldMiiStatus: SlaveMiiStatus;
  readonly newMiiStatus: SlaveMiiStatus;
  readonly oldLinkFailureCount: number | undefined;
  readonly newLinkFailureCount: number | undefined;
  readonly state: SlaveState | undefined;
  readonly inferred: boolean;
}

export interface ActiveSlaveChanged extends BondEventBase {
  readonly type: 'activeSlaveChanged';
  readonly previous: InterfaceRef | undefined;
  readonly current: InterfaceRef | undefined;
}

/** The bond's MII status went from up to down (no usable slave) or back. */
export interface BondLinkChange extends BondEventBase {
  readonly type: 'bondLinkDown' | 'bondLinkUp';
  readonly oldMiiStatus: BondMiiStatus;
  readonly newMiiStatus: BondMiiStatus;
  readonly activeSlave: InterfaceRef | undefined;
}

/** 802.3ad: a slave's aggregator ID differs from (began) or again equals (ended) the bond's active one. */
export interface AggregatorMismatch extends SlaveEventBase {
  readonly type: 'aggregatorMismatchBegan' | 'aggregatorMismatchEnded';
  readonly slaveAggregatorId: number;
  readonly activeAggregatorId: number;
}

export type BondingEvent =
  | BondAdded
  | BondRemoved
  | SlaveAdded
  | SlaveRemoved
  | SlaveLinkChange
  | ActiveSlaveChanged
  | BondLinkChange
  | AggregatorMismatch;

export type BondingEventType = BondingEvent['type'];
