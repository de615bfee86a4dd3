/**
 * The verdicts: pure functions from the model (and the options) to a state
 * per bond and for the whole check. Each bond is judged on its own; the worst
 * state wins.
 */
import type { CheckBond, CheckInput } from './model.js';

/** What a rule may be set to report (`--slave-down critical`). */
export const LEVELS = ['ok', 'warning', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

/** The Monitoring Plugins service states, with their exit codes. */
export const STATE_CODE = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;
export type ServiceState = keyof typeof STATE_CODE;

/** Worse first when sorted descending: OK < UNKNOWN < WARNING < CRITICAL (as the Monitoring Plugins' max_state). */
const SEVERITY: Readonly<Record<ServiceState, number>> = { OK: 0, UNKNOWN: 1, WARNING: 2, CRITICAL: 3 };
export const severity = (s: ServiceState): number => SEVERITY[s];
export const worst = (states: readonly ServiceState[]): ServiceState =>
  states.reduce<ServiceState>((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a), 'OK');
export const stateOfLevel = (level: Level): ServiceState => (level === 'ok' ? 'OK' : level === 'warning' ? 'WARNING' : 'CRITICAL');

/** The rules whose level a flag changes, each with its flag's default. */
export const RULE_LEVEL_DEFAULTS = {
  slaveDown: 'warning',
  notOnPrimary: 'warning',
  aggMismatch: 'warning',
  singleSlave: 'warning',
  noBonds: 'ok',
  linkFailures: 'warning',
} as const satisfies Record<string, Level>;
export type RuleLevels = { readonly [R in keyof typeof RULE_LEVEL_DEFAULTS]: Level };

export type Rule = 'missing' | 'bondDown' | 'noSlaves' | 'stateFile' | keyof RuleLevels;

export interface Finding {
  readonly rule: Rule;
  readonly state: ServiceState;
  /** Words after the bond's name: "eth0 down", "1 slave only (no redundancy)". */
  readonly text: string;
}

export interface BondVerdict {
  readonly name: string;
  /** Undefined for a bond asked for with --bond that does not exist. */
  readonly bond: CheckBond | undefined;
  readonly state: ServiceState;
  readonly findings: readonly Finding[];
}

export interface Verdict {
  readonly state: ServiceState;
  /** In name order (bond2 before bond10). */
  readonly bonds: readonly BondVerdict[];
  /** Findings about the whole host: no bonds at all. */
  readonly host: readonly Finding[];
  /** Bonds left out by --exclude or not named by --bond. */
  readonly skipped: readonly string[];
}

export interface JudgeOptions {
  readonly levels: RuleLevels;
  /** Only these bonds (empty: every bond). A bond named here that does not exist is CRITICAL. */
  readonly bonds: readonly string[];
  readonly exclude: readonly string[];
}

/** Link failure counts of a previous run: bond -> slave -> count. */
export type FailureCounts = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * Names in natural order (bond2 before bond10). Written out: localeCompare with
 * `numeric` loads ICU's collator, 15 ms of a check's start.
 */
export function byName(a: string, b: string): number {
  const x = a.match(/\d+|\D+/g) ?? [];
  const y = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i]!, y[i]!];
    if (p === q) continue;
    const numeric = /^\d/.test(p) && /^\d/.test(q);
    if (numeric && Number(p) !== Number(q)) return Number(p) - Number(q);
    return p < q ? -1 : 1;
  }
  return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
}

function finding(rule: Rule, level: Level, text: string): Finding {
  return { rule, state: stateOfLevel(level), text };
}

/** Every rule for one bond; findings at level ok are kept (shown, not alarmed). */
export function judgeBond(bond: CheckBond, levels: RuleLevels, previous?: ReadonlyMap<string, number>): Finding[] {
  const found: Finding[] = [];
  if (bond.slaves.length === 0) found.push(finding('noSlaves', 'critical', 'no slaves'));
  else if (bond.miiStatus === 'down') found.push(finding('bondDown', 'critical', 'down (no usable slave)'));

  for (const s of bond.slaves) {
    if (s.miiStatus !== 'up') found.push(finding('slaveDown', levels.slaveDown, `${s.name} ${s.miiStatus ?? 'MII status unknown'}`));
  }

  if (bond.mode === 'active-backup' && bond.primary !== undefined && bond.activeSlave !== undefined && bond.activeSlave !== bond.primary) {
    const isSlave = bond.slaves.some((s) => s.name === bond.primary);
    found.push(
      finding(
        'notOnPrimary',
        levels.notOnPrimary,
        isSlave ? `active ${bond.activeSlave}, not primary ${bond.primary}` : `active ${bond.activeSlave}, primary ${bond.primary} is not a slave`,
      ),
    );
  }

  if (bond.mode === '802.3ad') {
    const up = bond.slaves.filter((s) => s.miiStatus === 'up');
    if (bond.activeAggregator !== undefined) {
      for (const s of up) {
        if (s.aggregatorId !== bond.activeAggregator) {
          const where = s.aggregatorId === undefined ? 'in none' : `in ${s.aggregatorId}`;
          found.push(finding('aggMismatch', levels.aggMismatch, `${s.name} up but not in active aggregator ${bond.activeAggregator} (${where})`));
        }
      }
    } else {
      // The active aggregator is hidden (an unprivileged reader, an agent without CAP_NET_ADMIN):
      // up slaves in different aggregators still prove that some of them carry nothing.
      const groups = new Map<number, string[]>();
      for (const s of up) if (s.aggregatorId !== undefined) groups.set(s.aggregatorId, [...(groups.get(s.aggregatorId) ?? []), s.name]);
      if (groups.size > 1) {
        const list = [...groups].sort(([a], [b]) => a - b).map(([id, names]) => `${id} (${names.join(', ')})`);
        found.push(finding('aggMismatch', levels.aggMismatch, `up slaves in different aggregators ${list.join(', ')}, active one unknown`));
      }
    }
  }

  if (bond.slaves.length === 1) found.push(finding('singleSlave', levels.singleSlave, '1 slave only (no redundancy)'));

  if (previous !== undefined) {
    for (const s of bond.slaves) {
      const before = previous.get(s.name);
      if (before !== undefined && s.linkFailureCount !== undefined && s.linkFailureCount > before) {
        found.push(finding('linkFailures', levels.linkFailures, `${s.name} link failures ${before} -> ${s.linkFailureCount} since the last check`));
      }
    }
  }
  return found;
}

function sortedBond(bond: CheckBond): CheckBond {
  return { ...bond, slaves: [...bond.slaves].sort((a, b) => byName(a.name, b.name)) };
}

export function judge(input: CheckInput, options: JudgeOptions, previous?: FailureCounts): Verdict {
  const wanted = new Set(options.bonds);
  const excluded = new Set(options.exclude);
  const chosen = (name: string) => !excluded.has(name) && (wanted.size === 0 || wanted.has(name));
  const present = new Set(input.bonds.map((b) => b.name));
  const verdicts: BondVerdict[] = input.bonds
    .filter((b) => chosen(b.name))
    .map((b) => {
      const bond = sortedBond(b);
      const findings = judgeBond(bond, options.levels, previous?.get(bond.name));
      return { name: bond.name, bond, state: worst(findings.map((f) => f.state)), findings };
    });
  for (const name of wanted) {
    if (!present.has(name) && !excluded.has(name)) {
      verdicts.push({ name, bond: undefined, state: 'CRITICAL', findings: [finding('missing', 'critical', 'no such bond')] });
    }
  }
  verdicts.sort((a, b) => byName(a.name, b.name));
  const skipped = input.bonds.filter((b) => !chosen(b.name)).map((b) => b.name).sort(byName);
  const host: Finding[] = [];
  if (verdicts.length === 0) {
    host.push(finding('noBonds', options.levels.noBonds, skipped.length > 0 ? `no bonds to check (${skipped.length} left out)` : 'no bonds'));
  }
  return {
    state: worst([...verdicts.map((v) => v.state), ...host.map((f) => f.state)]),
    bonds: verdicts,
    host,
    skipped,
  };
}
