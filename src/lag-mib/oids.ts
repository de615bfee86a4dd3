import type { Oid } from '../snmp/index.js';

/**
 * IEEE8023-LAG-MIB (IEEE 802.3ad, 802.3 clause 30.7): the OIDs served. The
 * module's text is the IEEE's; NMSes ship it (LibreNMS, Observium,
 * netdisco-mibs). These numbers are checked against a walk in the tests.
 */
export const LAG_MIB: Oid = [1, 2, 840, 10006, 300, 43];
const LAG_MIB_OBJECTS: Oid = [...LAG_MIB, 1];
const DOT3AD_AGG: Oid = [...LAG_MIB_OBJECTS, 1];
const DOT3AD_AGG_PORT: Oid = [...LAG_MIB_OBJECTS, 2];

export const dot3adTablesLastChanged: Oid = [...LAG_MIB_OBJECTS, 3];

export const dot3adAggEntry: Oid = [...DOT3AD_AGG, 1, 1];
export const AGG = {
  dot3adAggMACAddress: 2,
  dot3adAggActorSystemPriority: 3,
  dot3adAggActorSystemID: 4,
  dot3adAggAggregateOrIndividual: 5,
  dot3adAggActorAdminKey: 6,
  dot3adAggActorOperKey: 7,
  dot3adAggPartnerSystemID: 8,
  dot3adAggPartnerSystemPriority: 9,
  dot3adAggPartnerOperKey: 10,
  dot3adAggCollectorMaxDelay: 11,
} as const;

export const dot3adAggPortListEntry: Oid = [...DOT3AD_AGG, 2, 1];
export const dot3adAggPortListPorts = 1;

export const dot3adAggPortEntry: Oid = [...DOT3AD_AGG_PORT, 1, 1];
/** The columns served; the Partner Admin ones (6, 8, 10, 16, 18, 22) are a notion Linux does not have. */
export const PORT = {
  dot3adAggPortActorSystemPriority: 2,
  dot3adAggPortActorSystemID: 3,
  dot3adAggPortActorAdminKey: 4,
  dot3adAggPortActorOperKey: 5,
  dot3adAggPortPartnerOperSystemPriority: 7,
  dot3adAggPortPartnerOperSystemID: 9,
  dot3adAggPortPartnerOperKey: 11,
  dot3adAggPortSelectedAggID: 12,
  dot3adAggPortAttachedAggID: 13,
  dot3adAggPortActorPort: 14,
  dot3adAggPortActorPortPriority: 15,
  dot3adAggPortPartnerOperPort: 17,
  dot3adAggPortPartnerOperPortPriority: 19,
  dot3adAggPortActorAdminState: 20,
  dot3adAggPortActorOperState: 21,
  dot3adAggPortPartnerOperState: 23,
  dot3adAggPortAggregateOrIndividual: 24,
} as const;
