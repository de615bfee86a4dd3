/** `bonding-agentx dump`: print what the reader sees, as a table or as JSON. */
import { parseArgs } from 'node:util';
import { DEFAULT_ROOTS, readSnapshot, type Bond, type BondingSnapshot, type Roots } from '../bonding/index.js';
import { missingRoot } from './roots-check.js';
import { EXIT_OK, EXIT_USAGE, type CommandIo } from './command-io.js';

export const DUMP_USAGE = `Usage: bonding-agentx dump [--sysfs DIR] [--procfs DIR] [--json]

Read the bonding driver's state once and print it.

Options:
  --sysfs DIR    sysfs root to read (default ${DEFAULT_ROOTS.sysfs})
  --procfs DIR   procfs root to read (default ${DEFAULT_ROOTS.procfs})
  --json         print JSON ({"bonds": [...]}; values the kernel did not give are null)
  -h, --help     show this help

Warnings about unreadable or malformed kernel files go to stderr, one per line;
they do not change the exit status. Exit status: 0 done, 2 bad usage or a root
directory that does not exist.
`;

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

export async function dumpCommand(args: readonly string[], io: CommandIo): Promise<number> {
  let values: { sysfs?: string; procfs?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        sysfs: { type: 'string' },
        procfs: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.stderr(`bonding-agentx dump: ${err instanceof Error ? err.message : String(err)}\n`);
    io.stderr(`Try 'bonding-agentx dump --help'.\n`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.stdout(DUMP_USAGE);
    return EXIT_OK;
  }
  const roots: Roots = { sysfs: values.sysfs ?? DEFAULT_ROOTS.sysfs, procfs: values.procfs ?? DEFAULT_ROOTS.procfs };
  const problem = await missingRoot(roots);
  if (problem) {
    io.stderr(`bonding-agentx dump: ${problem}\n`);
    return EXIT_USAGE;
  }
  const snapshot = await readSnapshot(roots);
  for (const w of snapshot.warnings) {
    io.stderr(`bonding-agentx dump: warning: ${w.file}${w.line === undefined ? '' : `:${w.line}`}: ${w.message}\n`);
  }
  io.stdout(values.json ? snapshotJson(snapshot) : snapshotTable(snapshot));
  return EXIT_OK;
}
