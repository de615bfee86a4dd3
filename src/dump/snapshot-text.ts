/** What `dump` prints: a snapshot as JSON, or as a table an operator reads. */
import type { Bond, BondingSnapshot } from '../bonding/index.js';

/** The snapshot as JSON text: `undefined` (the kernel did not say) becomes null. */
export function snapshotJson(snapshot: BondingSnapshot): string {
  return `${JSON.stringify({ bonds: snapshot.bonds }, (_key, value: unknown) => (value === undefined ? null : value), 2)}\n`;
}

const show = (v: string | number | boolean | undefined): string => (v === undefined ? '-' : String(v));

function columns(rows: readonly (readonly string[])[], indent: string): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => `${indent}${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()}\n`).join('');
}

function bondTable(bond: Bond): string {
  const facts = [
    `ifindex ${show(bond.ifIndex)}`,
    show(bond.mode),
    `mii ${show(bond.miiStatus)}`,
    `active ${show(bond.activeSlave)}`,
    `primary ${show(bond.primary)}`,
  ];
  if (bond.mode === '802.3ad') facts.push(`aggregator ${show(bond.adAggregator)}`, `lacp_rate ${show(bond.lacpRate)}`);
  if (bond.xmitHashPolicy !== undefined && ['balance-xor', '802.3ad'].includes(bond.mode ?? '')) {
    facts.push(`hash ${bond.xmitHashPolicy}`);
  }
  const rows = [['SLAVE', 'IFINDEX', 'STATE', 'MII', 'FAILURES', 'SPEED', 'DUPLEX', 'PERM HWADDR', 'AGGREGATOR']];
  for (const s of bond.slaves) {
    rows.push([
      s.name,
      show(s.ifIndex),
      show(s.state),
      show(s.miiStatus),
      show(s.linkFailureCount),
      s.speedMbps === undefined ? '-' : `${s.speedMbps}Mb/s`,
      show(s.duplex),
      show(s.permHwAddr),
      show(s.aggregatorId),
    ]);
  }
  return `${bond.name}  ${facts.join('  ')}\n${bond.slaves.length > 0 ? columns(rows, '  ') : '  (no slaves)\n'}`;
}

export function snapshotTable(snapshot: BondingSnapshot): string {
  if (snapshot.bonds.length === 0) return 'no bonds\n';
  return snapshot.bonds.map(bondTable).join('\n');
}
