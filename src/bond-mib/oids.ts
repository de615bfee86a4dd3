import type { Oid } from '../snmp/index.js';

/**
 * Every OID the agent serves, as LINUX-BONDING-MIB defines it
 * (mibs/LINUX-BONDING-MIB.txt is the source of truth; a test checks these
 * against it with snmptranslate).
 */

/** NET-SNMP-MIB::netSnmpPlaypen, until the project has a Private Enterprise Number. */
const NET_SNMP_PLAYPEN: Oid = [1, 3, 6, 1, 4, 1, 8072, 9999, 9999];
/** linuxBondingMIB: the one constant to change when a PEN is assigned. */
export const LINUX_BONDING_MIB: Oid = [...NET_SNMP_PLAYPEN, 8023];

const under = (parent: Oid, ...subids: number[]): Oid => [...parent, ...subids];

export const bondNotifications = under(LINUX_BONDING_MIB, 0);
export const bondObjects = under(LINUX_BONDING_MIB, 1);

export const bondGlobals = under(bondObjects, 1);
export const bondDriverVersion = under(bondGlobals, 1);
export const bondCount = under(bondGlobals, 2);

export const bondEntry = under(bondObjects, 2, 1);
/** bondEntry columns. */
export const BOND = {
  bondIfIndex: 1,
  bondName: 2,
  bondMode: 3,
  bondMiiStatus: 4,
  bondActiveSlaveIfIndex: 5,
  bondActiveSlaveName: 6,
  bondPrimarySlaveName: 7,
  bondPrimaryReselect: 8,
  bondSlaveCount: 9,
  bondSlavesUp: 10,
  bondMiimon: 11,
  bondUpDelay: 12,
  bondDownDelay: 13,
  bondPeerNotifDelay: 14,
  bondUseCarrier: 15,
  bondArpInterval: 16,
  bondArpIpTargets: 17,
  bondArpValidate: 18,
  bondArpAllTargets: 19,
  bondFailOverMac: 20,
  bondXmitHashPolicy: 21,
  bondLacpActive: 22,
  bondLacpRate: 23,
  bondAdSelect: 24,
  bondMinLinks: 25,
  bondAdAggregatorId: 26,
  bondAdNumPorts: 27,
  bondAdActorKey: 28,
  bondAdPartnerKey: 29,
  bondAdPartnerMac: 30,
  bondAdActorSysPrio: 31,
  bondAdActorSystem: 32,
  bondMacAddress: 33,
  bondFailoverCount: 34,
  bondLastFailover: 35,
} as const;

export const bondSlaveEntry = under(bondObjects, 3, 1);
/** bondSlaveEntry columns. */
export const SLAVE = {
  bondSlaveIfIndex: 1,
  bondSlaveName: 2,
  bondSlaveState: 3,
  bondSlaveMiiStatus: 4,
  bondSlaveSpeed: 5,
  bondSlaveDuplex: 6,
  bondSlaveLinkFailureCount: 7,
  bondSlavePermHwAddr: 8,
  bondSlaveQueueId: 9,
  bondSlaveAdAggregatorId: 10,
  bondSlaveAdActorOperState: 11,
  bondSlaveAdPartnerOperState: 12,
  bondSlaveAdActorChurnState: 13,
  bondSlaveAdPartnerChurnState: 14,
  bondSlaveAdActorChurnedCount: 15,
  bondSlaveAdPartnerChurnedCount: 16,
  bondSlaveAdPartnerSystemMac: 17,
  bondSlaveIsPrimary: 18,
} as const;

export const bondNotificationObjects = under(bondObjects, 4);
export const bondPreviousActiveSlaveName = under(bondNotificationObjects, 1);
export const bondPreviousActiveSlaveIfIndex = under(bondNotificationObjects, 2);
export const bondEventInferred = under(bondNotificationObjects, 3);

/** NOTIFICATION-TYPE OIDs. */
export const NOTIFICATION = {
  bondSlaveLinkDown: under(bondNotifications, 1),
  bondSlaveLinkUp: under(bondNotifications, 2),
  bondActiveSlaveChanged: under(bondNotifications, 3),
  bondLinkDown: under(bondNotifications, 4),
  bondLinkUp: under(bondNotifications, 5),
  bondSlaveAdAggregatorMismatch: under(bondNotifications, 6),
  bondSlaveAdAggregatorMatch: under(bondNotifications, 7),
  bondSlaveAdded: under(bondNotifications, 8),
  bondSlaveRemoved: under(bondNotifications, 9),
  bondCreated: under(bondNotifications, 10),
  bondDeleted: under(bondNotifications, 11),
} as const;

export type NotificationName = keyof typeof NOTIFICATION;

/** Column instance OIDs for notification varbinds. */
export const bondColumn = (column: number, bondIfIndex: number): Oid => [...bondEntry, column, bondIfIndex];
export const slaveColumn = (column: number, bondIfIndex: number, slaveIfIndex: number): Oid => [
  ...bondSlaveEntry,
  column,
  bondIfIndex,
  slaveIfIndex,
];
