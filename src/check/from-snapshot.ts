/** Local mode: what the reader read of this host (a snapshot, or bonds in brief) -> the check's model. */
import type { BondSummary, SlaveSummary } from '../bonding/read-summary.js';
import type { ReadWarning } from '../bonding/types.js';
import type { CheckBond, CheckInput, CheckSlave } from './model.js';

function checkSlave(slave: SlaveSummary, lacp: boolean): CheckSlave {
  return {
    name: slave.name,
    miiStatus: slave.miiStatus,
    state: slave.state,
    linkFailureCount: slave.linkFailureCount,
    speedMbps: slave.speedMbps,
    aggregatorId: lacp ? slave.aggregatorId : undefined,
  };
}

export function checkBondOf(bond: BondSummary): CheckBond {
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

/** A snapshot (or the bonds in brief) and its warnings. */
export function checkInputOf(snapshot: { readonly bonds: readonly BondSummary[]; readonly warnings: readonly ReadWarning[] }): CheckInput {
  return {
    bonds: snapshot.bonds.map(checkBondOf),
    notes: snapshot.warnings.map((w) => `${w.file}${w.line === undefined ? '' : `:${w.line}`}: ${w.message}`),
  };
}
