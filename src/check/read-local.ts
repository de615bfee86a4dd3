/**
 * Local mode's read: only what the check judges. The bonding driver prints
 * every judged fact of a bond in /proc/net/bonding/<bond> in one pass (mode,
 * MII status, active slave, primary, each slave's MII status, failure count,
 * speed, aggregator), so that file, parsed by the project's own parser, is
 * read per bond; sysfs only for what procfs cannot say: each slave's state
 * (shown, not judged), a slave's speed on kernels that do not print it, and
 * the active aggregator that procfs hides from a reader without
 * CAP_NET_ADMIN. A bond whose procfs file is missing, not the driver's, or
 * has a malformed line is read with the full reader (readBond), which falls
 * back to sysfs field by field; so is every bond when bonding_masters cannot
 * be read. For 8 bonds this is about a third of readSnapshot's time (see bench/).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProcBonding, type ProcBond, type ProcSlave } from '../bonding/procfs-parser.js';
import type { Roots, SlaveState } from '../bonding/types.js';
import { checkBondOf, checkInputOfSnapshot } from './from-snapshot.js';

/** The full reader, loaded only when a bond needs it: loading it costs as much as the lean read. */
const fullReader = () => import('../bonding/read-snapshot.js');
import type { CheckBond, CheckInput, CheckSlave } from './model.js';

/** A sysfs attribute's text, trimmed; undefined when it cannot be read or is empty. */
function attribute(path: string): string | undefined {
  try {
    const text = readFileSync(path, 'latin1').trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

const count = (text: string | undefined): number | undefined => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);

function slaveOf(netDir: string, s: ProcSlave, lacp: boolean): CheckSlave {
  const state = attribute(`${netDir}/${s.name}/bonding_slave/state`);
  // The kernel's SPEED_UNKNOWN is -1, printed as 4294967295 by some kernels.
  const speed = s.speedMbps ?? count(attribute(`${netDir}/${s.name}/speed`));
  return {
    name: s.name,
    miiStatus: s.miiStatus,
    state: state === 'active' || state === 'backup' ? (state satisfies SlaveState) : undefined,
    linkFailureCount: s.linkFailureCount,
    speedMbps: speed === undefined || speed >= 0xffffffff ? undefined : speed,
    aggregatorId: lacp ? s.aggregatorId : undefined,
  };
}

function bondOf(netDir: string, name: string, proc: ProcBond): CheckBond {
  const lacp = proc.mode === '802.3ad';
  let activeAggregator: number | undefined;
  if (lacp && proc.hasActiveAggregator !== false) {
    // sysfs ad_aggregator prints 0 for "no active aggregator", nothing without CAP_NET_ADMIN.
    activeAggregator = proc.activeAggregator?.aggregatorId ?? count(attribute(`${netDir}/${name}/bonding/ad_aggregator`));
    if (activeAggregator === 0) activeAggregator = undefined;
  }
  return {
    name,
    mode: proc.mode,
    miiStatus: proc.miiStatus,
    activeSlave: proc.activeSlave,
    primary: proc.primary,
    activeAggregator,
    failoverCount: undefined,
    slaves: proc.slaves.map((s) => slaveOf(netDir, s, lacp)),
  };
}

export async function readLocal(roots: Roots): Promise<CheckInput> {
  const netDir = join(roots.sysfs, 'class', 'net');
  const masters = attribute(join(netDir, 'bonding_masters'));
  // No bonding_masters (no bonding driver, or an odd tree): the full reader knows every fallback.
  if (masters === undefined) return checkInputOfSnapshot(await (await fullReader()).readSnapshot(roots));
  const bonds: CheckBond[] = [];
  const notes: string[] = [];
  for (const name of masters.split(/\s+/)) {
    if (name.includes('/') || name === '.' || name === '..') {
      notes.push(`${join(netDir, 'bonding_masters')}: not an interface name: ${JSON.stringify(name)}`);
      continue;
    }
    const file = join(roots.procfs, 'net', 'bonding', name);
    let text: string | undefined;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      text = undefined;
    }
    const parsed = text === undefined ? undefined : parseProcBonding(text, file);
    const clean = parsed !== undefined && parsed.warnings.length === 0 && (parsed.bond.driverVersion !== undefined || parsed.bond.mode !== undefined);
    if (clean && existsSync(join(netDir, name, 'bonding'))) {
      bonds.push(bondOf(netDir, name, parsed.bond));
    } else if (!clean) {
      const read = await (await fullReader()).readBond(roots, name);
      if (read.bond) bonds.push(checkBondOf(read.bond));
      for (const w of read.warnings) notes.push(`${w.file}${w.line === undefined ? '' : `:${w.line}`}: ${w.message}`);
    }
    // A clean procfs file without the bond's sysfs directory: deleted while we read.
  }
  return { bonds, notes };
}

