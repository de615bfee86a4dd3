/**
 * Remote mode's adapter: what a walk of LINUX-BONDING-MIB returns becomes the
 * same model as the local read of the same host. The walk is the agent's own
 * view, built from the captures (what it serves is tested end to end
 * elsewhere; the real SNMP walks are in remote.e2e.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { buildBondView } from '../../src/bond-mib/bond-view.js';
import { bondKey, type FailoverRecords } from '../../src/bond-mib/failover-record.js';
import { BOND } from '../../src/bond-mib/oids.js';
import { readSnapshot } from '../../src/bonding/index.js';
import { checkInputOf } from '../../src/check/from-snapshot.js';
import { BOND_ENTRY, checkInputOfWalk, WALKED_COLUMNS, type WalkedVarBind } from '../../src/check/from-walk.js';
import type { CheckInput } from '../../src/check/model.js';
import { formatOid, type VarBind } from '../../src/snmp/index.js';
import { captureRoots } from './support.js';

/** What the SNMP client hands over: integers of every kind as numbers, octet strings as text. */
function walked(vb: VarBind): WalkedVarBind {
  const v = vb.value;
  const value = v.type === 'OctetString' ? Buffer.from(v.value).toString('utf8') : 'value' in v && typeof v.value === 'number' ? v.value : NaN;
  return { oid: formatOid(vb.oid).replace(/^\./, ''), value };
}

const byName = (input: CheckInput) =>
  [...input.bonds].sort((a, b) => a.name.localeCompare(b.name)).map((b) => ({ ...b, slaves: [...b.slaves].sort((x, y) => x.name.localeCompare(y.name)) }));

describe('a walk of our MIB -> the check model', () => {
  it.each(['01-all-up', '02-failover', '03-recovered', '04-bond1-down'])('%s: the same bonds as the local read', async (state) => {
    const snapshot = await readSnapshot(captureRoots(state));
    const failovers: FailoverRecords = new Map(snapshot.bonds.map((b, i) => [bondKey(b), { count: i * 2, lastAt: 0 }]));
    const varbinds = buildBondView(snapshot, failovers).varBinds().map(walked);
    const remote = checkInputOfWalk(varbinds);
    const local = checkInputOf(snapshot);
    expect(remote.notes).toEqual([]);
    expect(byName(remote).map((b) => ({ ...b, failoverCount: undefined }))).toEqual(byName(local));
    // bondFailoverCount arrives as the failover count; the local read has none.
    expect(byName(remote).map((b) => b.failoverCount)).toEqual(snapshot.bonds.map((_, i) => i * 2));
  });

  it('walks only the columns it reads, all under bondEntry and bondSlaveEntry', () => {
    expect(WALKED_COLUMNS).toHaveLength(13);
    for (const c of WALKED_COLUMNS) expect(c.startsWith('1.3.6.1.4.1.8072.9999.9999.8023.1.')).toBe(true);
  });

  it('rows without a name are left out, with a note; unknown enumerations are unknown', () => {
    const input = checkInputOfWalk([
      { oid: `${BOND_ENTRY}.${BOND.bondMode}.5`, value: 1 },
      { oid: `${BOND_ENTRY}.${BOND.bondName}.6`, value: 'bond6' },
      { oid: `${BOND_ENTRY}.${BOND.bondMode}.6`, value: 42 },
      { oid: `${BOND_ENTRY}.${BOND.bondMiiStatus}.6`, value: 3 },
      { oid: `${BOND_ENTRY}.${BOND.bondActiveSlaveName}.6`, value: '' },
      { oid: '1.3.6.1.4.1.8072.9999.9999.8023.1.3.1.2.6.9', value: 'eth9' },
      { oid: '1.3.6.1.4.1.8072.9999.9999.8023.1.3.1.4.6.9', value: 'up' },
      { oid: '1.3.6.1.4.1.8072.9999.9999.8023.1.3.1.4.6', value: 1 },
    ]);
    expect(input.notes).toEqual(['unexpected index in 1.3.6.1.4.1.8072.9999.9999.8023.1.3.1.4.6', 'bond with ifIndex 5 has no bondName: skipped']);
    expect(input.bonds).toEqual([
      {
        name: 'bond6',
        mode: undefined,
        miiStatus: undefined,
        activeSlave: undefined,
        primary: undefined,
        activeAggregator: undefined,
        failoverCount: undefined,
        slaves: [{ name: 'eth9', miiStatus: undefined, state: undefined, linkFailureCount: undefined, speedMbps: undefined, aggregatorId: undefined }],
      },
    ]);
  });
});
