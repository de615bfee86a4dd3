/**
 * The plugin's output, as the Monitoring Plugins guidelines want it: one
 * first line `BONDING <STATE> - <summary> | <perfdata>`, then the long output
 * (one line per bond), nothing on stderr.
 */
import type { CheckBond, CheckSlave } from './model.js';
import { severity, type BondVerdict, type Finding, type ServiceState, type Verdict } from './judge.js';

/** Bonds named in the summary before "and N more". */
const SUMMARY_BONDS = 5;

/**
 * A name as it may appear in the output: `|` would start Nagios's performance
 * data and a control character would break the line, so both are replaced.
 */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[|;\u0000-\u001f\u007f]/g, '_');
}

/** A perfdata label: anything but `'` and `=`, quoted. */
function label(text: string): string {
  return `'${clean(text).replace(/['=\s]/g, '_')}'`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function perfData(verdict: Verdict): string {
  const items = [`'bonds'=${verdict.bonds.filter((v) => v.bond).length};;;0`];
  for (const { bond } of verdict.bonds) {
    if (!bond) continue;
    const up = bond.slaves.filter((s) => s.miiStatus === 'up').length;
    items.push(`${label(`${bond.name}_slaves`)}=${bond.slaves.length};;;0`);
    items.push(`${label(`${bond.name}_slaves_up`)}=${up};;;0;${bond.slaves.length}`);
    const counts = bond.slaves.map((s) => s.linkFailureCount).filter((n): n is number => n !== undefined);
    if (counts.length > 0) items.push(`${label(`${bond.name}_link_failures`)}=${counts.reduce((a, b) => a + b, 0)}c;;;0`);
    if (bond.failoverCount !== undefined) items.push(`${label(`${bond.name}_failovers`)}=${bond.failoverCount}c;;;0`);
  }
  return items.join(' ');
}

/**
 * Between the bonds of the summary. Not ";": Nagios turns every ";" of the
 * first line into ":" (its log and status files use ";" as separator), and
 * "/" cannot be in an interface name.
 */
const BETWEEN_BONDS = ' / ';

const alarms = (findings: readonly Finding[]) => findings.filter((f) => f.state !== 'OK');

function summary(verdict: Verdict): string {
  const bonds = verdict.bonds.filter((v) => v.state !== 'OK').sort((a, b) => severity(b.state) - severity(a.state));
  const parts = bonds.slice(0, SUMMARY_BONDS).map((v) => `${clean(v.name)}: ${alarms(v.findings).map((f) => clean(f.text)).join(', ')}`);
  if (bonds.length > SUMMARY_BONDS) parts.push(`and ${plural(bonds.length - SUMMARY_BONDS, 'more bond')}`);
  const hostAlarms = alarms(verdict.host).map((f) => clean(f.text));
  if (parts.length + hostAlarms.length > 0) return [...hostAlarms, ...parts].join(BETWEEN_BONDS);
  // Nothing to alarm on: say what was seen.
  if (verdict.host.length > 0) return verdict.host.map((f) => clean(f.text)).join(BETWEEN_BONDS);
  const present = verdict.bonds.flatMap((v) => (v.bond ? [v.bond] : []));
  const slaves = present.flatMap((b) => b.slaves);
  const up = slaves.filter((s) => s.miiStatus === 'up').length;
  const what = present.length === 1 ? `${clean(present[0]!.name)} OK` : `${present.length} bonds OK`;
  return `${what}, ${up} of ${plural(slaves.length, 'slave')} up`;
}

export function firstLine(verdict: Verdict): string {
  return `BONDING ${verdict.state} - ${summary(verdict)} | ${perfData(verdict)}`;
}

const HAS_ACTIVE_SLAVE = new Set<CheckBond['mode']>(['active-backup', 'balance-tlb', 'balance-alb']);

function slaveText(bond: CheckBond, s: CheckSlave): string {
  // Old kernels have no per-slave state file: then it is left out.
  const facts = [
    ...(s.state === undefined ? [] : [s.state]),
    s.speedMbps === undefined ? 'speed unknown' : `${s.speedMbps} Mb/s`,
    s.linkFailureCount === undefined ? 'link failures unknown' : plural(s.linkFailureCount, 'link failure'),
  ];
  if (bond.mode === '802.3ad') facts.push(s.aggregatorId === undefined ? 'no aggregator' : `aggregator ${s.aggregatorId}`);
  return `${clean(s.name)} ${s.miiStatus ?? 'MII status unknown'} (${facts.join(', ')})`;
}

export function bondLine(v: BondVerdict): string {
  const { bond } = v;
  if (!bond) return `[${v.state}] ${clean(v.name)}: ${v.findings.map((f) => clean(f.text)).join(', ')}`;
  const facts = [bond.mode ?? 'mode unknown', `MII ${bond.miiStatus ?? 'unknown'}`];
  if (HAS_ACTIVE_SLAVE.has(bond.mode)) facts.push(`active ${clean(bond.activeSlave ?? 'none')}`);
  if (bond.primary !== undefined) facts.push(`primary ${clean(bond.primary)}`);
  if (bond.mode === '802.3ad') facts.push(`active aggregator ${bond.activeAggregator ?? 'unknown'}`);
  if (bond.failoverCount !== undefined) facts.push(`${plural(bond.failoverCount, 'failover')} seen by the agent`);
  const slaves = bond.slaves.length === 0 ? ['no slaves'] : bond.slaves.map((s) => slaveText(bond, s));
  return `[${v.state}] ${clean(bond.name)}: ${facts.join(', ')}; ${slaves.join('; ')}`;
}

/** Every line after the first: one per bond, then what was left out and any notes. */
export function longOutput(verdict: Verdict, notes: readonly string[] = []): string[] {
  const lines = verdict.bonds.map(bondLine);
  if (verdict.skipped.length > 0) lines.push(`left out: ${verdict.skipped.map(clean).join(', ')}`);
  for (const f of verdict.host) if (f.rule !== 'noBonds') lines.push(`[${f.state}] ${clean(f.text)}`);
  for (const n of notes) lines.push(`note: ${clean(n)}`);
  return lines;
}

/** The whole output of a judged run. */
export function render(verdict: Verdict, notes: readonly string[] = []): string {
  return `${[firstLine(verdict), ...longOutput(verdict, notes)].join('\n')}\n`;
}

/** The output of a run that could not judge: UNKNOWN, one line. */
export function renderUnknown(reason: string): string {
  return `BONDING UNKNOWN - ${clean(reason)}\n`;
}

/** The verdict with one more finding about the check itself (a state file it could not write). */
export function withHostFinding(verdict: Verdict, f: Finding): Verdict {
  const state: ServiceState = severity(f.state) > severity(verdict.state) ? f.state : verdict.state;
  return { ...verdict, host: [...verdict.host, f], state };
}
