import type { Bond, BondingSnapshot, Slave } from '../../src/bonding/index.js';

const LINK = {
  ifIndex: undefined,
  operState: undefined,
  carrier: undefined,
  speedMbps: undefined,
  duplex: undefined,
  address: undefined,
  mtu: undefined,
  ifAlias: undefined,
};

export function slave(name: string, ifIndex: number, fields: Partial<Slave> = {}): Slave {
  return {
    ...LINK,
    name,
    ifIndex,
    state: 'backup',
    miiStatus: 'up',
    linkFailureCount: 0,
    permHwAddr: undefined,
    queueId: undefined,
    aggregatorId: undefined,
    adActorOperPortState: undefined,
    adPartnerOperPortState: undefined,
    actorChurnState: undefined,
    partnerChurnState: undefined,
    actorChurnedCount: undefined,
    partnerChurnedCount: undefined,
    actorLacpPdu: undefined,
    partnerLacpPdu: undefined,
    ...fields,
  };
}

export function bond(name: string, ifIndex: number, slaves: readonly Slave[], fields: Partial<Bond> = {}): Bond {
  const nothing = Object.fromEntries(
    [
      'primary', 'primaryReselect', 'miimon', 'updelay', 'downdelay', 'peerNotifDelay', 'useCarrier', 'arpInterval',
      'arpIpTarget', 'nsIp6Target', 'arpValidate', 'arpAllTargets', 'arpMissedMax', 'failOverMac', 'xmitHashPolicy',
      'lacpActive', 'lacpRate', 'adSelect', 'minLinks', 'adAggregator', 'adNumPorts', 'adActorKey', 'adPartnerKey',
      'adPartnerMac', 'adActorSysPrio', 'adActorSystem', 'adUserPortKey', 'adSystemMacAddress', 'hasActiveAggregator',
      'allSlavesActive', 'numGratArp', 'numUnsolNa', 'packetsPerSlave', 'tlbDynamicLb', 'resendIgmp', 'lpInterval',
      'driverVersion', 'driverDate',
    ].map((k) => [k, undefined]),
  );
  return {
    ...LINK,
    ...nothing,
    name,
    ifIndex,
    mode: 'active-backup',
    slaves,
    activeSlave: undefined,
    miiStatus: 'up',
    ...fields,
  } as Bond;
}

export const snapshot = (...bonds: Bond[]): BondingSnapshot => ({ bonds, interfaces: [], warnings: [] });
