/**
 * IEEE8023-LAG-MIB for the 802.3ad bonds. The aggregator is the bond: Linux
 * has one netdevice per bond, so only the bond's active aggregator has an
 * ifIndex, and it is dot3adAggIndex. A slave in another aggregator (a partner
 * mismatch) is attached to nothing that has an ifIndex: its Selected and
 * Attached AggID are 0, and it is not in the port list.
 *
 * What the kernel hides from a reader without CAP_NET_ADMIN (the LACPDU
 * details, the active aggregator's keys and partner) is absent, as in
 * LINUX-BONDING-MIB; what Linux has no notion of (the Partner Admin values)
 * is never served.
 */
import type { Bond, BondingSnapshot, Slave } from '../bonding/index.js';
import { integer32, lacpPortStateValue, macAddressValue, truthValue } from '../bond-mib/encodings.js';
import { integerIndex, MibViewBuilder, type MibView } from '../mib/index.js';
import { snmp, type SnmpValue } from '../snmp/index.js';
import { AGG, dot3adAggEntry, dot3adAggPortEntry, dot3adAggPortListEntry, dot3adAggPortListPorts, dot3adTablesLastChanged, PORT } from './oids.js';

/** The driver's constant (AD_COLLECTOR_MAX_DELAY in bond_3ad.c): what its LACPDUs carry. */
const COLLECTOR_MAX_DELAY = 0;

/** LACP state bits, as the kernel's state byte numbers them. */
const LACP_ACTIVITY = 0x01;
const LACP_TIMEOUT = 0x02;
const AGGREGATION = 0x04;

const hasIndex = <T extends { ifIndex: number | undefined }>(x: T): x is T & { ifIndex: number } =>
  x.ifIndex !== undefined && Number.isInteger(x.ifIndex) && x.ifIndex > 0;

/** INTEGER (0..65535) and LacpKey. */
const u16 = (n: number | undefined): SnmpValue | undefined => (n === undefined || n > 0xffff ? undefined : integer32(n));

/**
 * Q-BRIDGE-MIB PortList: one bit per port, the port with ifIndex n in octet
 * (n-1)/8 under mask 0x80 >> ((n-1) % 8); as many octets as the highest port needs.
 */
export function portList(ifIndexes: readonly number[]): Uint8Array {
  const valid = ifIndexes.filter((n) => Number.isInteger(n) && n > 0);
  const octets = new Uint8Array(valid.length === 0 ? 0 : Math.ceil(Math.max(...valid) / 8));
  for (const n of valid) octets[(n - 1) >> 3]! |= 0x80 >> ((n - 1) & 7);
  return octets;
}

/** Whether the slave is in the bond's active aggregator; undefined when the kernel did not say both. */
export function attached(bond: Bond, slave: Slave): boolean | undefined {
  if (bond.hasActiveAggregator === false) return false;
  if (bond.adAggregator === undefined || slave.aggregatorId === undefined) return undefined;
  return slave.aggregatorId === bond.adAggregator;
}

/**
 * The actor's administrative state, from the bond's configuration as the
 * driver sets it up (ad_initialize_port): aggregation always, activity
 * unless lacp_active is off, a short timeout with lacp_rate fast.
 */
function actorAdminState(bond: Bond): number | undefined {
  if (bond.lacpRate === undefined) return undefined;
  return AGGREGATION | (bond.lacpActive === 'off' ? 0 : LACP_ACTIVITY) | (bond.lacpRate === 'fast' ? LACP_TIMEOUT : 0);
}

function aggRow(bond: Bond & { ifIndex: number }): Record<number, SnmpValue | undefined> {
  const active = bond.hasActiveAggregator !== false && bond.adAggregator !== undefined;
  const partner = bond.slaves.find((s) => attached(bond, s) === true && s.partnerLacpPdu !== undefined)?.partnerLacpPdu;
  return {
    [AGG.dot3adAggMACAddress]: macAddressValue(bond.address),
    [AGG.dot3adAggActorSystemPriority]: u16(bond.adActorSysPrio),
    [AGG.dot3adAggActorSystemID]: macAddressValue(bond.adSystemMacAddress),
    [AGG.dot3adAggAggregateOrIndividual]: truthValue(true),
    // Linux keeps one key per aggregator (admin and oper alike: ad_update_actor_keys sets both).
    [AGG.dot3adAggActorAdminKey]: active ? u16(bond.adActorKey) : undefined,
    [AGG.dot3adAggActorOperKey]: active ? u16(bond.adActorKey) : undefined,
    [AGG.dot3adAggPartnerSystemID]: active ? macAddressValue(bond.adPartnerMac) : undefined,
    [AGG.dot3adAggPartnerSystemPriority]: u16(partner?.systemPriority),
    [AGG.dot3adAggPartnerOperKey]: active ? u16(bond.adPartnerKey) : undefined,
    [AGG.dot3adAggCollectorMaxDelay]: snmp.integer(COLLECTOR_MAX_DELAY),
  };
}

function portRow(bond: Bond & { ifIndex: number }, slave: Slave): Record<number, SnmpValue | undefined> {
  const actor = slave.actorLacpPdu;
  const partner = slave.partnerLacpPdu;
  const isAttached = attached(bond, slave);
  const aggId = isAttached === undefined ? undefined : snmp.integer(isAttached ? bond.ifIndex : 0);
  const operState = slave.adActorOperPortState;
  return {
    [PORT.dot3adAggPortActorSystemPriority]: u16(actor?.systemPriority ?? bond.adActorSysPrio),
    [PORT.dot3adAggPortActorSystemID]: macAddressValue(actor?.systemMacAddress ?? bond.adSystemMacAddress),
    [PORT.dot3adAggPortActorAdminKey]: u16(actor?.portKey),
    [PORT.dot3adAggPortActorOperKey]: u16(actor?.portKey),
    [PORT.dot3adAggPortPartnerOperSystemPriority]: u16(partner?.systemPriority),
    [PORT.dot3adAggPortPartnerOperSystemID]: macAddressValue(partner?.systemMacAddress),
    [PORT.dot3adAggPortPartnerOperKey]: u16(partner?.portKey),
    [PORT.dot3adAggPortSelectedAggID]: aggId,
    [PORT.dot3adAggPortAttachedAggID]: aggId,
    [PORT.dot3adAggPortActorPort]: u16(actor?.portNumber),
    [PORT.dot3adAggPortActorPortPriority]: u16(actor?.portPriority),
    [PORT.dot3adAggPortPartnerOperPort]: u16(partner?.portNumber),
    [PORT.dot3adAggPortPartnerOperPortPriority]: u16(partner?.portPriority),
    [PORT.dot3adAggPortActorAdminState]: lacpPortStateValue(actorAdminState(bond)),
    [PORT.dot3adAggPortActorOperState]: lacpPortStateValue(operState),
    [PORT.dot3adAggPortPartnerOperState]: lacpPortStateValue(slave.adPartnerOperPortState),
    [PORT.dot3adAggPortAggregateOrIndividual]: truthValue(operState === undefined ? undefined : (operState & AGGREGATION) !== 0),
  };
}

/** The 802.3ad bonds that can have rows (a readable ifindex). */
const lagBonds = (snapshot: BondingSnapshot) => snapshot.bonds.filter((b): b is Bond & { ifIndex: number } => b.mode === '802.3ad' && hasIndex(b));

/** Each aggregator's ports in its active aggregator; undefined when the kernel did not say. */
function members(bond: Bond): number[] | undefined {
  if (bond.hasActiveAggregator !== false && bond.adAggregator === undefined) return undefined;
  return bond.slaves.filter((s) => hasIndex(s) && attached(bond, s) === true).map((s) => s.ifIndex!);
}

/**
 * A value that changes exactly when a row of the three tables comes or goes, or a port
 * changes aggregator (for dot3adTablesLastChanged).
 */
export function lagSignature(snapshot: BondingSnapshot): string {
  return lagBonds(snapshot)
    .map((b) => `${b.ifIndex}:${members(b)?.join(',') ?? '?'}:${b.slaves.filter(hasIndex).map((s) => `${s.ifIndex}${attached(b, s) === undefined ? '?' : attached(b, s) ? '+' : '-'}`).join(',')}`)
    .join(' ');
}

/** The whole IEEE8023-LAG-MIB view of one snapshot. */
export function buildLagView(snapshot: BondingSnapshot, lastChangedTicks: number): MibView {
  const builder = new MibViewBuilder()
    .scalar(dot3adTablesLastChanged, snmp.timeTicks(lastChangedTicks))
    .table(dot3adAggEntry, Object.values(AGG))
    .table(dot3adAggPortListEntry, [dot3adAggPortListPorts])
    .table(dot3adAggPortEntry, Object.values(PORT));
  for (const bond of lagBonds(snapshot)) {
    builder.row(dot3adAggEntry, integerIndex(bond.ifIndex), aggRow(bond));
    const ports = members(bond);
    builder.row(dot3adAggPortListEntry, integerIndex(bond.ifIndex), {
      [dot3adAggPortListPorts]: ports === undefined ? undefined : snmp.octetString(portList(ports)),
    });
    for (const slave of bond.slaves.filter(hasIndex)) builder.row(dot3adAggPortEntry, integerIndex(slave.ifIndex), portRow(bond, slave));
  }
  return builder.build();
}
