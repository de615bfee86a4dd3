/**
 * A bond's state in brief, for a reader that judges rather than serves (the
 * monitoring check): the driver prints every judged fact of a bond in
 * /proc/net/bonding/<bond> in one pass (mode, MII status, active slave,
 * primary, each slave's MII status, failure count, speed, aggregator), so
 * that file is read per bond; sysfs only for what procfs cannot say: each
 * slave's state, a slave's speed on kernels that do not print it, and the
 * active aggregator that procfs hides from a reader without CAP_NET_ADMIN.
 * A bond whose procfs file is missing, not the driver's, or has a malformed
 * line is read in full (readBond), which falls back to sysfs field by field;
 * so is every bond when bonding_masters cannot be read.
 */
import { join } from 'node:path';
import { readAttribute, WarningSink } from './attribute-reader.js';
import { listedBonds } from './bond-list.js';
import { isGone, listDirectory, readText } from './file-access.js';
import { parseProcBonding, type ProcBond } from './procfs-parser.js';
import type { Bond, ReadWarning, Roots, Slave } from './types.js';
import { activeAggregator, isInterfaceName, parseCount, parseSlaveState, parseSpeed } from './values.js';

export type SlaveSummary = Pick<Slave, 'name' | 'miiStatus' | 'state' | 'linkFailureCount' | 'speedMbps' | 'aggregatorId'>;
export type BondSummary = Pick<Bond, 'name' | 'mode' | 'miiStatus' | 'activeSlave' | 'primary' | 'adAggregator' | 'hasActiveAggregator'> & {
  readonly slaves: readonly SlaveSummary[];
};

/** The full reader, loaded only when a bond needs it: loading it costs about as much as the brief read. */
const fullReader = () => import('./read-snapshot.js');

function summaryOf(netDir: string, name: string, proc: ProcBond, sink: WarningSink): BondSummary {
  const lacp = proc.mode === '802.3ad';
  // sysfs only where procfs said nothing of it (and nothing outside 802.3ad).
  const asked = lacp && proc.activeAggregator === undefined && proc.hasActiveAggregator === undefined;
  const fromSysfs = asked ? readAttribute(`${netDir}/${name}/bonding/ad_aggregator`, parseCount, sink) : undefined;
  const { adAggregator, hasActiveAggregator } = activeAggregator(proc.hasActiveAggregator, proc.activeAggregator?.aggregatorId, fromSysfs);
  return {
    name,
    mode: proc.mode,
    miiStatus: proc.miiStatus,
    activeSlave: proc.activeSlave,
    primary: proc.primary,
    adAggregator,
    hasActiveAggregator,
    slaves: proc.slaves.map((s) => ({
      name: s.name,
      miiStatus: s.miiStatus,
      state: readAttribute(`${netDir}/${s.name}/bonding_slave/state`, parseSlaveState, sink),
      linkFailureCount: s.linkFailureCount,
      speedMbps: s.speedMbps ?? readAttribute(`${netDir}/${s.name}/speed`, parseSpeed, sink),
      aggregatorId: s.aggregatorId,
    })),
  };
}

/** Every bond in brief. Never throws; problems are warnings, as readSnapshot's. */
export async function readSummaries(roots: Roots): Promise<{ readonly bonds: readonly BondSummary[]; readonly warnings: readonly ReadWarning[] }> {
  const names = listedBonds(roots);
  // No bonding_masters (no bonding driver, or an odd tree): the full reader knows every fallback.
  if (names === undefined) return (await fullReader()).readSnapshot(roots);
  const netDir = join(roots.sysfs, 'class', 'net');
  const sink = new WarningSink();
  const bonds: BondSummary[] = [];
  for (const name of names) {
    if (!isInterfaceName(name)) {
      sink.add({ file: join(netDir, 'bonding_masters'), message: `not an interface name: ${JSON.stringify(name)}` });
      continue;
    }
    const file = join(roots.procfs, 'net', 'bonding', name);
    const text = readText(file);
    const parsed = 'text' in text ? parseProcBonding(text.text, file) : undefined;
    const clean = parsed !== undefined && parsed.warnings.length === 0 && (parsed.bond.driverVersion !== undefined || parsed.bond.mode !== undefined);
    if (clean) {
      // A clean procfs file without the bond's sysfs directory: deleted while we read.
      if (!isGone(listDirectory(join(netDir, name, 'bonding')))) bonds.push(summaryOf(netDir, name, parsed.bond, sink));
      continue;
    }
    const read = await (await fullReader()).readBond(roots, name);
    if (read.bond) bonds.push(read.bond);
    for (const w of read.warnings) sink.add(w);
  }
  return { bonds, warnings: sink.warnings };
}
