/**
 * Prometheus reads the agent unmodified: Debian's prometheus-snmp-exporter,
 * with the shipped examples/prometheus/snmp.yml, scrapes snmpd + bonding-agentx
 * and the standalone agent while the fixture host goes through the four
 * real-kernel states and a hand-made 802.3ad aggregator mismatch; every bond
 * and slave must be there with the values the fixture files give and the
 * names as labels. Then the shipped alerting rules run under
 * `promtool test rules` on exactly the series scraped, and each alert must
 * fire where the fixture files say it should, and nowhere else.
 *
 * One snmpd, two agents and one exporter for the whole file, stopped by PID.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ON_SIGHUP, reread, rootArgs, startAgentX, startStandaloneAgent, type RunningStandalone } from '../support/agent.js';
import { addAggregatorMismatchState } from '../support/aggregator-mismatch.js';
import { FixtureHost, REPO, STATES } from '../support/fixture-host.js';
import type { ManagedProcess } from '../support/managed-process.js';
import { startSnmpd, type RunningSnmpd } from '../support/net-snmp.js';
import { MODE_LABELS, bondFacts, type BondFacts, type SlaveFacts } from './fixture-facts.js';
import { promtool, readAlertRules, renderTemplate } from './promtool.js';
import { parseExposition, seriesKey, startSnmpExporter, type RunningExporter, type Sample } from './snmp-exporter.js';

const EXAMPLES = join(REPO, 'examples', 'prometheus');
const MODULE = 'linux_bonding';
const MII_STATES = ['up', 'down', 'goingDown', 'goingBack'];

let host: FixtureHost;
let sequence: string[];
let snmpd: RunningSnmpd;
let agentx: ManagedProcess;
let standalone: RunningStandalone;
let exporter: RunningExporter;
let work: string;

/** The snmpd scrape of each state, in order: the input of the alert test. */
const scraped: Array<{ state: string; samples: Sample[] }> = [];

beforeAll(async () => {
  host = FixtureHost.create(STATES, 'bonding-agentx-prom-');
  sequence = [...STATES, addAggregatorMismatchState(host)];
  work = mkdtempSync(join(tmpdir(), 'bonding-agentx-promtool-'));
  snmpd = await startSnmpd({ agentXTimeoutSeconds: 5 });
  agentx = await startAgentX(snmpd.agentxSocket, host.roots);
  standalone = await startStandaloneAgent(['--community', 'public', ...rootArgs(host.roots), ...READ_ON_SIGHUP], ['-v2c', '-c', 'public']);
  exporter = await startSnmpExporter(join(EXAMPLES, 'snmp.yml'));
}, 60_000);

afterAll(async () => {
  await exporter?.process.stop();
  await standalone?.process.stop();
  await agentx?.stop();
  await snmpd?.stop();
  host?.remove();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

const bondLabels = (b: BondFacts) => ({ bondIfIndex: String(b.ifIndex), bondName: b.name });
const slaveLabels = (b: BondFacts, s: SlaveFacts) => ({ ...bondLabels(b), bondSlaveIfIndex: String(s.ifIndex), bondSlaveName: s.name });

/** Failovers the agent has counted per bond after showing sequence[0..upTo]: active slave changed from one to another or to none. */
function failoverCounts(upTo: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 1; i <= upTo; i++) {
    const before = new Map(bondFacts(host, sequence[i - 1]!).map((b) => [`${b.name}#${b.ifIndex}`, b]));
    for (const b of bondFacts(host, sequence[i]!)) {
      const key = `${b.name}#${b.ifIndex}`;
      const prev = before.get(key);
      if (prev !== undefined && prev.active !== '' && prev.active !== b.active) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** The series the exporter must give for sequence[index], read from the fixture files: key -> value. */
function expectedSeries(index: number): Map<string, number> {
  const state = sequence[index]!;
  const facts = bondFacts(host, state);
  const failovers = failoverCounts(index);
  const want = new Map<string, number>();
  const put = (name: string, labels: Record<string, string>, value: number) => want.set(seriesKey(name, labels), value);
  const version = /^Ethernet Channel Bonding Driver: (\S+)/.exec(readFileSync(join(host.dir, state, 'proc', 'net', 'bonding', facts[0]!.name), 'utf8'));
  put('bondCount', {}, facts.length);
  put('bondDriverVersion', { bondDriverVersion: version![1]! }, 1);
  for (const b of facts) {
    const B = bondLabels(b);
    for (const s of MII_STATES) put('bondMiiStatus', { ...B, bondMiiStatus: s }, s === b.mii ? 1 : 0);
    put('bondMode_info', { ...B, bondMode: MODE_LABELS[b.mode]! }, 1);
    put('bondSlaveCount', B, b.slaves.length);
    put('bondSlavesUp', B, b.slaves.filter((s) => s.mii === 'up').length);
    put('bondActiveSlaveName', { ...B, bondActiveSlaveName: b.active }, 1);
    put('bondActiveSlaveIfIndex', B, b.active === '' ? 0 : host.ifindex(state, b.active));
    put('bondPrimarySlaveName', { ...B, bondPrimarySlaveName: b.primary }, 1);
    put('bondFailoverCount', B, failovers.get(`${b.name}#${b.ifIndex}`) ?? 0);
    if (b.adAggregatorId !== undefined) put('bondAdAggregatorId', B, b.adAggregatorId);
    for (const s of b.slaves) {
      const S = slaveLabels(b, s);
      for (const m of MII_STATES) put('bondSlaveMiiStatus', { ...S, bondSlaveMiiStatus: m }, m === s.mii ? 1 : 0);
      for (const st of ['active', 'backup']) put('bondSlaveState', { ...S, bondSlaveState: st }, st === s.state ? 1 : 0);
      put('bondSlaveLinkFailureCount', S, s.linkFailures);
      put('bondSlaveIsPrimary', S, b.primary === s.name ? 1 : 2);
      put('bondSlavePermHwAddr', { ...S, bondSlavePermHwAddr: s.permHwAddr }, 1);
      if (s.speedMbps !== undefined) put('bondSlaveSpeed', S, s.speedMbps);
      if (b.mode === 4 && s.aggregatorId !== undefined) put('bondSlaveAdAggregatorId', S, s.aggregatorId);
    }
  }
  return want;
}

function mismatches(samples: readonly Sample[], want: Map<string, number>): string[] {
  const got = new Map(samples.map((s) => [seriesKey(s.name, s.labels), s.value]));
  return [...want].filter(([k, v]) => got.get(k) !== v).map(([k, v]) => `${k}: want ${v}, got ${got.get(k)}`);
}

/** Scrapes `target` until it shows sequence[index] (the agent reads on SIGHUP, asynchronously). */
async function scrapeUntilShown(target: string, index: number): Promise<Sample[]> {
  const want = expectedSeries(index);
  const deadline = Date.now() + 15_000;
  let samples: Sample[] = [];
  for (;;) {
    samples = parseExposition(await exporter.scrape(MODULE, target));
    const wrong = mismatches(samples, want);
    if (wrong.length === 0) return samples;
    if (Date.now() > deadline) throw new Error(`${target} does not show ${sequence[index]} (${wrong.length} series wrong):\n${wrong.slice(0, 30).join('\n')}`);
    await sleep(100);
  }
}

/** Every bond and slave of the state, and no other, by the names in the labels. */
function members(samples: readonly Sample[]): string[] {
  const names = new Set<string>();
  for (const s of samples) {
    if (s.name === 'bondMiiStatus') names.add(s.labels.bondName!);
    if (s.name === 'bondSlaveMiiStatus') names.add(`${s.labels.bondName}/${s.labels.bondSlaveName}`);
  }
  return [...names].sort();
}

describe('prometheus-snmp-exporter with examples/prometheus/snmp.yml', () => {
  it('snmp.yml is what the generator makes of generator.yml and the MIB', () => {
    const out = join(work, 'regenerated-snmp.yml');
    execFileSync(join(REPO, 'scripts', 'generate-prometheus.sh'), [out], { stdio: 'pipe' });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(EXAMPLES, 'snmp.yml'), 'utf8'));
  });

  it.each([0, 1, 2, 3, 4])('state %i: every bond and slave through snmpd and standalone, values from the fixture files', async (index) => {
    const state = sequence[index]!;
    if (host.shown !== state) {
      host.show(state);
      reread(agentx);
      reread(standalone.process);
    }
    const viaSnmpd = await scrapeUntilShown(snmpd.target, index);
    const viaStandalone = await scrapeUntilShown(standalone.target, index);
    const facts = bondFacts(host, state);
    const expectedMembers = facts.flatMap((b) => [b.name, ...b.slaves.map((s) => `${b.name}/${s.name}`)]).sort();
    expect(members(viaSnmpd)).toEqual(expectedMembers);
    expect(members(viaStandalone)).toEqual(expectedMembers);
    // The two agents serve the same MIB: the same bond series, sample for sample (but
    // bondLastFailover, a TimeStamp of each agent's own uptime).
    const bondOnly = (samples: Sample[]) =>
      samples.filter((s) => s.name.startsWith('bond') && s.name !== 'bondLastFailover').map((s) => `${seriesKey(s.name, s.labels)} ${s.value}`).sort();
    expect(bondOnly(viaStandalone)).toEqual(bondOnly(viaSnmpd));
    scraped[index] = { state, samples: viaSnmpd };
  });
});

describe('examples/prometheus/bonding.rules.yml', () => {
  it('promtool check rules and check config pass; the shipped unit tests pass', async () => {
    const rules = await promtool(['check', 'rules', 'bonding.rules.yml'], EXAMPLES);
    expect(rules.code, rules.output).toBe(0);
    expect(rules.output).toMatch(/SUCCESS: 6 rules found/);
    const config = await promtool(['check', 'config', 'prometheus.yml'], EXAMPLES);
    expect(config.code, config.output).toBe(0);
    const tests = await promtool(['test', 'rules', 'bonding.rules.test.yml'], EXAMPLES);
    expect(tests.code, tests.output).toBe(0);
  });

  it('each alert fires on the series scraped from the agent, where the fixture files say, and nowhere else', async () => {
    expect(scraped.filter(Boolean).map((s) => s.state)).toEqual(sequence);
    const MINUTES_PER_STATE = 10;
    const target = { instance: 'bonded-host', job: 'snmp-bonding' };
    const rules = readAlertRules(join(EXAMPLES, 'bonding.rules.yml'));

    // Input: each state's scrape held for 10 one-minute samples; a series absent from a state is missing there.
    const keys = new Map<string, Record<string, string>>();
    const valueAt: Array<Map<string, number>> = scraped.map(({ samples }) => {
      const byKey = new Map<string, number>();
      for (const s of samples.filter((x) => x.name.startsWith('bond'))) {
        // Prometheus drops a label whose value is empty.
        const labels = Object.fromEntries(Object.entries({ ...s.labels, ...target }).filter(([, v]) => v !== ''));
        const key = seriesKey(s.name, labels);
        keys.set(key, labels);
        byKey.set(key, s.value);
      }
      return byKey;
    });
    const inputSeries = [...keys.keys()].map((key) => ({
      series: key,
      values: valueAt.map((m) => Array(MINUTES_PER_STATE).fill(m.has(key) ? String(m.get(key)) : '_').join(' ')).join(' '),
    }));

    // Expected alerts, from the fixture files.
    type Expected = { labels: Record<string, string>; value: number };
    const alert = (name: string, found: Expected[]) => {
      const rule = rules.get(name);
      if (rule === undefined) throw new Error(`no alert ${name} in bonding.rules.yml`);
      return found.map(({ labels, value }) => {
        const all = { ...labels, ...target };
        return {
          exp_labels: { ...all, severity: rule.severity },
          exp_annotations: { summary: renderTemplate(rule.summary, all, value), description: renderTemplate(rule.description, all, value) },
        };
      });
    };
    const tests: Array<{ eval_time: string; alertname: string; exp_alerts: unknown[] }> = [];
    const fired = new Map<string, number>();
    sequence.forEach((state, k) => {
      const facts = bondFacts(host, state);
      const end = `${k * MINUTES_PER_STATE + MINUTES_PER_STATE - 1}m`;
      const want = (alertname: string, found: Expected[], at = end) => {
        fired.set(alertname, (fired.get(alertname) ?? 0) + found.length);
        tests.push({ eval_time: at, alertname, exp_alerts: alert(alertname, found) });
      };
      const slaves = facts.flatMap((b) => b.slaves.map((s) => ({ b, s })));
      want('BondDown', facts.filter((b) => b.mii === 'down').map((b) => ({ labels: { ...bondLabels(b), bondMiiStatus: 'down' }, value: 1 })));
      want(
        'BondRedundancyLost',
        facts
          .map((b) => ({ b, up: b.slaves.filter((s) => s.mii === 'up').length }))
          .filter(({ b, up }) => b.mii === 'up' && up < b.slaves.length)
          .map(({ b, up }) => ({ labels: bondLabels(b), value: up })),
      );
      want('BondSlaveDown', slaves.filter(({ s }) => s.mii !== 'up').map(({ b, s }) => ({ labels: slaveLabels(b, s), value: 0 })));
      want(
        'BondNotOnPrimary',
        slaves.filter(({ b, s }) => b.primary === s.name && s.mii === 'up' && s.state !== 'active').map(({ b, s }) => ({ labels: slaveLabels(b, s), value: 1 })),
      );
      want(
        'BondSlaveAggregatorMismatch',
        slaves
          .filter(({ b, s }) => b.adAggregatorId !== undefined && s.aggregatorId !== undefined && s.aggregatorId !== b.adAggregatorId && s.mii === 'up')
          .map(({ b, s }) => ({ labels: slaveLabels(b, s), value: s.aggregatorId! })),
      );
      // A failover shows for 5 minutes: fired 2 minutes into the state, gone at its end.
      const before = k === 0 ? [] : bondFacts(host, sequence[k - 1]!);
      const failedOver = facts.filter((b) => {
        const prev = before.find((p) => p.name === b.name && p.ifIndex === b.ifIndex);
        return prev !== undefined && prev.active !== '' && prev.active !== b.active;
      });
      want('BondFailover', failedOver.map((b) => ({ labels: bondLabels(b), value: 1 })), `${k * MINUTES_PER_STATE + 2}m`);
      want('BondFailover', []);
    });
    // Every alert fires somewhere in this sequence, or the test proves nothing about it.
    expect(Object.fromEntries([...rules.keys()].map((name) => [name, (fired.get(name) ?? 0) > 0]))).toEqual(
      Object.fromEntries([...rules.keys()].map((name) => [name, true])),
    );

    cpSync(join(EXAMPLES, 'bonding.rules.yml'), join(work, 'bonding.rules.yml'));
    const testFile = {
      rule_files: ['bonding.rules.yml'],
      evaluation_interval: '1m',
      tests: [{ interval: '1m', input_series: inputSeries, alert_rule_test: tests }],
    };
    // JSON is YAML.
    writeFileSync(join(work, 'scraped.test.yml'), JSON.stringify(testFile, null, 1));
    const result = await promtool(['test', 'rules', 'scraped.test.yml'], work);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/SUCCESS/);
  });
});
