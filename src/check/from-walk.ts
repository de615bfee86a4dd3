/**
 * Remote mode: what an SNMP walk of LINUX-BONDING-MIB returned -> the check's
 * model. Pure: the walk itself is in snmp-walk.ts.
 */
import { BOND, LINUX_BONDING_MIB, SLAVE } from '../bond-mib/oids.js';
import { BOND_MODES, type BondMiiStatus, type SlaveMiiStatus, type SlaveState } from '../bonding/types.js';
import type { CheckBond, CheckInput, CheckSlave } from './model.js';

/** A walked value: integers of every kind as numbers, octet strings as UTF-8 text. */
export interface WalkedVarBind {
  /** Dotted, without a leading dot. */
  readonly oid: string;
  readonly value: number | string;
}

const ROOT = LINUX_BONDING_MIB.join('.');
export const BOND_ENTRY = `${ROOT}.1.2.1`;
export const SLAVE_ENTRY = `${ROOT}.1.3.1`;
export const BOND_COUNT = `${ROOT}.1.1.2.0`;

/** The columns the check reads, and nothing else. */
export const BOND_COLUMNS = [
  BOND.bondName,
  BOND.bondMode,
  BOND.bondMiiStatus,
  BOND.bondActiveSlaveName,
  BOND.bondPrimarySlaveName,
  BOND.bondAdAggregatorId,
  BOND.bondFailoverCount,
] as const;
export const SLAVE_COLUMNS = [
  SLAVE.bondSlaveName,
  SLAVE.bondSlaveState,
  SLAVE.bondSlaveMiiStatus,
  SLAVE.bondSlaveSpeed,
  SLAVE.bondSlaveLinkFailureCount,
  SLAVE.bondSlaveAdAggregatorId,
] as const;

/** Every column OID to walk, bond table first. */
export const WALKED_COLUMNS: readonly string[] = [
  ...BOND_COLUMNS.map((c) => `${BOND_ENTRY}.${c}`),
  ...SLAVE_COLUMNS.map((c) => `${SLAVE_ENTRY}.${c}`),
];

const LINK_STATUS: Readonly<Record<number, SlaveMiiStatus>> = { 1: 'up', 2: 'down', 3: 'going down', 4: 'going back' };
const SLAVE_STATE: Readonly<Record<number, SlaveState>> = { 1: 'active', 2: 'backup' };

type Row = Map<number, number | string>;

const num = (v: number | string | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const text = (v: number | string | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const nonEmpty = (v: number | string | undefined): string | undefined => {
  const t = text(v);
  return t === undefined || t === '' ? undefined : t;
};

export function checkInputOfWalk(varbinds: readonly WalkedVarBind[]): CheckInput {
  const bondRows = new Map<string, Row>();
  const slaveRows = new Map<string, Map<string, Row>>();
  const notes: string[] = [];
  for (const vb of varbinds) {
    let table: 'bond' | 'slave';
    let rest: string;
    if (vb.oid.startsWith(`${BOND_ENTRY}.`)) [table, rest] = ['bond', vb.oid.slice(BOND_ENTRY.length + 1)];
    else if (vb.oid.startsWith(`${SLAVE_ENTRY}.`)) [table, rest] = ['slave', vb.oid.slice(SLAVE_ENTRY.length + 1)];
    else continue;
    const [column, ...index] = rest.split('.');
    const col = Number(column);
    if (table === 'bond' && index.length === 1) {
      const row = bondRows.get(index[0]!) ?? new Map<number, number | string>();
      row.set(col, vb.value);
      bondRows.set(index[0]!, row);
    } else if (table === 'slave' && index.length === 2) {
      const slaves = slaveRows.get(index[0]!) ?? new Map<string, Row>();
      const row = slaves.get(index[1]!) ?? new Map<number, number | string>();
      row.set(col, vb.value);
      slaves.set(index[1]!, row);
      slaveRows.set(index[0]!, slaves);
    } else {
      notes.push(`unexpected index in ${vb.oid}`);
    }
  }

  const bonds: CheckBond[] = [];
  for (const [bondIndex, row] of bondRows) {
    const name = text(row.get(BOND.bondName));
    if (name === undefined) {
      notes.push(`bond with ifIndex ${bondIndex} has no bondName: skipped`);
      continue;
    }
    const mode = BOND_MODES[num(row.get(BOND.bondMode)) ?? -1];
    const bondMii = LINK_STATUS[num(row.get(BOND.bondMiiStatus)) ?? 0];
    const slaves: CheckSlave[] = [];
    for (const [slaveIndex, s] of slaveRows.get(bondIndex) ?? new Map<string, Row>()) {
      const slaveName = text(s.get(SLAVE.bondSlaveName));
      if (slaveName === undefined) {
        notes.push(`slave ${bondIndex}.${slaveIndex} of ${name} has no bondSlaveName: skipped`);
        continue;
      }
      slaves.push({
        name: slaveName,
        miiStatus: LINK_STATUS[num(s.get(SLAVE.bondSlaveMiiStatus)) ?? 0],
        state: SLAVE_STATE[num(s.get(SLAVE.bondSlaveState)) ?? 0],
        linkFailureCount: num(s.get(SLAVE.bondSlaveLinkFailureCount)),
        speedMbps: num(s.get(SLAVE.bondSlaveSpeed)),
        aggregatorId: mode === '802.3ad' ? num(s.get(SLAVE.bondSlaveAdAggregatorId)) : undefined,
      });
    }
    bonds.push({
      name,
      mode,
      miiStatus: bondMii === 'up' || bondMii === 'down' ? (bondMii satisfies BondMiiStatus) : undefined,
      activeSlave: nonEmpty(row.get(BOND.bondActiveSlaveName)),
      primary: nonEmpty(row.get(BOND.bondPrimarySlaveName)),
      activeAggregator: mode === '802.3ad' ? num(row.get(BOND.bondAdAggregatorId)) : undefined,
      failoverCount: num(row.get(BOND.bondFailoverCount)),
      slaves,
    });
  }
  return { bonds, notes };
}
