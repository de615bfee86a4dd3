/** Local mode: the reader's snapshot of this host -> the check's model. */
import type { Bond, BondingSnapshot, Slave } from '../bonding/types.js';
import type { CheckBond, CheckInput, CheckSlave } from './model.js';

function checkSlave(slave: Slave, lacp: boolean): CheckSlave {
  return {
    name: slave.name,
    miiStatus: slave.miiStatus,
    state: slave.state,
    linkFailureCount: slave.linkFailureCount,
    speedMbps: slave.speedMbps,
    aggregatorId: lacp ? slave.aggregatorId : undefined,
  };
}

export function checkBondOf(bond: Bond): CheckBond {
  const lacp = bond.mode === '802.3ad';
  return {
    name: bond.name,
    mode: bond.mode,
    miiStatus: bond.miiStatus,
    activeSlave: bond.activeSlave,
    primary: bond.primary,
    activeAggregator: lacp && bond.hasActiveAggregator !== false ? bond.adAggregator : undefined,
    failoverCount: undefined,
    slaves: bond.slaves.map((s) => checkSlave(s, lacp)),
  };
}

export function checkInputOfSnapshot(snapshot: BondingSnapshot): CheckInput {
  return {
    bonds: snapshot.bonds.map(checkBondOf),
    notes: snapshot.warnings.map((w) => `${w.file}${w.line === undefined ? '' : `:${w.line}`}: ${w.message}`),
  };
}
