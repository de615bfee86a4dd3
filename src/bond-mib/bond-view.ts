import type { Bond, BondingSnapshot, Slave } from '../bonding/types.js';
import { MibViewBuilder, integerIndex, type MibView, type RowValues } from '../mib/index.js';
import { snmp, type SnmpValue } from '../snmp/index.js';
import {
  adSelectValue,
  arpAllTargetsValue,
  arpValidateValue,
  bondModeValue,
  churnStateValue,
  counter32,
  displayString,
  duplexValue,
  failOverMacValue,
  gauge32,
  integer32,
  lacpActiveValue,
  lacpPortStateValue,
  lacpRateValue,
  linkStatusValue,
  macAddressValue,
  primaryReselectValue,
  slaveStateValue,
  timeTicks,
  truthValue,
  xmitHashPolicyValue,
} from './encodings.js';
import { bondKey, type FailoverRecords } from './failover-record.js';
import { BOND, SLAVE, bondCount, bondDriverVersion, bondEntry, bondSlaveEntry } from './oids.js';

const BOND_COLUMNS = Object.values(BOND).filter((c) => c !== BOND.bondIfIndex);
const SLAVE_COLUMNS = Object.values(SLAVE).filter((c) => c !== SLAVE.bondSlaveIfIndex);

/** A bond or slave without a readable ifindex cannot have a row: its index would be made up. */
const hasIndex = <T extends { ifIndex: number | undefined }>(x: T): x is T & { ifIndex: number } =>
  x.ifIndex !== undefined && Number.isInteger(x.ifIndex) && x.ifIndex > 0;

export const slavesUp = (bond: Bond): number => bond.slaves.filter((s) => s.miiStatus === 'up').length;

/** A local time as a TimeStamp on the serving agent's clock (see runtime/front-end.ts); 0 when there was none. */
export type ToTimeStamp = (at: number | undefined) => number;

const NO_CLOCK: ToTimeStamp = () => 0;

export function bondRow(bond: Bond, failovers: FailoverRecords, timeStamp: ToTimeStamp = NO_CLOCK): RowValues {
  const active = bond.slaves.find((s) => s.name === bond.activeSlave);
  const record = failovers.get(bondKey(bond));
  return {
    [BOND.bondName]: displayString(bond.name),
    [BOND.bondMode]: bondModeValue(bond.mode),
    [BOND.bondMiiStatus]: linkStatusValue(bond.miiStatus),
    [BOND.bondActiveSlaveIfIndex]: snmp.integer(active?.ifIndex ?? 0),
    [BOND.bondActiveSlaveName]: displayString(bond.activeSlave ?? ''),
    [BOND.bondPrimarySlaveName]: displayString(bond.primary ?? ''),
    [BOND.bondPrimaryReselect]: primaryReselectValue(bond.primaryReselect),
    [BOND.bondSlaveCount]: gauge32(bond.slaves.length),
    [BOND.bondSlavesUp]: gauge32(slavesUp(bond)),
    [BOND.bondMiimon]: integer32(bond.miimon),
    [BOND.bondUpDelay]: integer32(bond.updelay),
    [BOND.bondDownDelay]: integer32(bond.downdelay),
    [BOND.bondPeerNotifDelay]: integer32(bond.peerNotifDelay),
    [BOND.bondUseCarrier]: truthValue(bond.useCarrier),
    [BOND.bondArpInterval]: integer32(bond.arpInterval),
    [BOND.bondArpIpTargets]: displayString(bond.arpIpTarget?.join(', ')),
    [BOND.bondArpValidate]: arpValidateValue(bond.arpValidate),
    [BOND.bondArpAllTargets]: arpAllTargetsValue(bond.arpAllTargets),
    [BOND.bondFailOverMac]: failOverMacValue(bond.failOverMac),
    [BOND.bondXmitHashPolicy]: HASHING_MODES.has(bond.mode) ? xmitHashPolicyValue(bond.xmitHashPolicy) : undefined,
    ...(bond.mode === '802.3ad' ? adColumns(bond) : {}),
    [BOND.bondMacAddress]: macAddressValue(bond.address),
    [BOND.bondFailoverCount]: snmp.counter32(record?.count ?? 0),
    [BOND.bondLastFailover]: timeTicks(timeStamp(record?.lastAt)),
  };
}

/** The modes that use xmit_hash_policy; sysfs prints it in every mode. */
const HASHING_MODES = new Set<Bond['mode']>(['balance-xor', '802.3ad', 'balance-tlb']);

/** The LACP columns mean something only in 802.3ad mode; sysfs prints defaults in every mode. */
function adColumns(bond: Bond): RowValues {
  const aggregator = bond.hasActiveAggregator === false ? undefined : bond.adAggregator;
  return {
    [BOND.bondLacpActive]: lacpActiveValue(bond.lacpActive),
    [BOND.bondLacpRate]: lacpRateValue(bond.lacpRate),
    [BOND.bondAdSelect]: adSelectValue(bond.adSelect),
    [BOND.bondMinLinks]: integer32(bond.minLinks),
    [BOND.bondAdAggregatorId]: integer32(aggregator),
    [BOND.bondAdNumPorts]: gauge32(aggregator === undefined ? undefined : bond.adNumPorts),
    [BOND.bondAdActorKey]: integer32(aggregator === undefined ? undefined : bond.adActorKey),
    [BOND.bondAdPartnerKey]: integer32(aggregator === undefined ? undefined : bond.adPartnerKey),
    [BOND.bondAdPartnerMac]: macAddressValue(aggregator === undefined ? undefined : bond.adPartnerMac),
    [BOND.bondAdActorSysPrio]: integer32(bond.adActorSysPrio),
    [BOND.bondAdActorSystem]: macAddressValue(bond.adSystemMacAddress),
  };
}

export function slaveRow(bond: Bond, slave: Slave): RowValues {
  const ad = bond.mode === '802.3ad';
  const only = (v: SnmpValue | undefined) => (ad ? v : undefined);
  return {
    [SLAVE.bondSlaveName]: displayString(slave.name),
    [SLAVE.bondSlaveState]: slaveStateValue(slave.state),
    [SLAVE.bondSlaveMiiStatus]: linkStatusValue(slave.miiStatus),
    [SLAVE.bondSlaveSpeed]: gauge32(slave.speedMbps),
    [SLAVE.bondSlaveDuplex]: duplexValue(slave.duplex),
    [SLAVE.bondSlaveLinkFailureCount]: counter32(slave.linkFailureCount),
    [SLAVE.bondSlavePermHwAddr]: macAddressValue(slave.permHwAddr),
    [SLAVE.bondSlaveQueueId]: integer32(slave.queueId),
    [SLAVE.bondSlaveAdAggregatorId]: only(integer32(slave.aggregatorId)),
    [SLAVE.bondSlaveAdActorOperState]: only(lacpPortStateValue(slave.adActorOperPortState)),
    [SLAVE.bondSlaveAdPartnerOperState]: only(lacpPortStateValue(slave.adPartnerOperPortState)),
    [SLAVE.bondSlaveAdActorChurnState]: only(churnStateValue(slave.actorChurnState)),
    [SLAVE.bondSlaveAdPartnerChurnState]: only(churnStateValue(slave.partnerChurnState)),
    [SLAVE.bondSlaveAdActorChurnedCount]: only(counter32(slave.actorChurnedCount)),
    [SLAVE.bondSlaveAdPartnerChurnedCount]: only(counter32(slave.partnerChurnedCount)),
    [SLAVE.bondSlaveAdPartnerSystemMac]: only(macAddressValue(slave.partnerLacpPdu?.systemMacAddress)),
    [SLAVE.bondSlaveIsPrimary]: truthValue(bond.primary !== undefined && bond.primary === slave.name),
  };
}

function driverVersionText(snapshot: BondingSnapshot): string | undefined {
  const bond = snapshot.bonds.find((b) => b.driverVersion !== undefined);
  if (bond?.driverVersion === undefined) return undefined;
  return bond.driverDate === undefined ? `v${bond.driverVersion}` : `v${bond.driverVersion} (${bond.driverDate})`;
}

/** The whole LINUX-BONDING-MIB view of one snapshot; TimeStamps (bondLastFailover) through `timeStamp`. */
export function buildBondView(snapshot: BondingSnapshot, failovers: FailoverRecords = new Map(), timeStamp: ToTimeStamp = NO_CLOCK): MibView {
  const bonds = snapshot.bonds.filter(hasIndex);
  const builder = new MibViewBuilder()
    .scalar(bondDriverVersion, displayString(driverVersionText(snapshot)))
    .scalar(bondCount, snmp.gauge32(bonds.length))
    .table(bondEntry, BOND_COLUMNS)
    .table(bondSlaveEntry, SLAVE_COLUMNS);
  for (const bond of bonds) {
    builder.row(bondEntry, integerIndex(bond.ifIndex), bondRow(bond, failovers, timeStamp));
    for (const slave of bond.slaves.filter(hasIndex)) {
      builder.row(bondSlaveEntry, integerIndex(bond.ifIndex, slave.ifIndex), slaveRow(bond, slave));
    }
  }
  return builder.build();
}
