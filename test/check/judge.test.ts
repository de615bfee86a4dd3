/** Every verdict rule on models made by hand, and how levels, selection and the worst state combine. */
import { describe, expect, it } from 'vitest';
import { byName, judge, judgeBond, RULE_LEVEL_DEFAULTS, worst, type JudgeOptions, type RuleLevels } from '../../src/check/judge.js';
import { bond, slave } from './support.js';

const DEFAULTS: JudgeOptions = { levels: RULE_LEVEL_DEFAULTS, bonds: [], exclude: [] };
const levels = (over: Partial<RuleLevels>): RuleLevels => ({ ...RULE_LEVEL_DEFAULTS, ...over });
const texts = (b: Parameters<typeof judgeBond>[0], l: RuleLevels = RULE_LEVEL_DEFAULTS, prev?: ReadonlyMap<string, number>) =>
  judgeBond(b, l, prev).map((f) => `${f.state} ${f.rule}: ${f.text}`);

describe('rules, one bond at a time', () => {
  it('a healthy bond of two up slaves has no findings', () => {
    expect(texts(bond('bond0', [slave('eth0'), slave('eth1')]))).toEqual([]);
  });

  it('CRITICAL: the bond is down; its slaves not up are each a finding of their own', () => {
    const b = bond('bond0', [slave('eth0', { miiStatus: 'down' }), slave('eth1', { miiStatus: 'going back' })], { miiStatus: 'down' });
    expect(texts(b)).toEqual(['CRITICAL bondDown: down (no usable slave)', 'WARNING slaveDown: eth0 down', 'WARNING slaveDown: eth1 going back']);
  });

  it('CRITICAL: no slave at all (said once, not also as "down")', () => {
    expect(texts(bond('bond0', [], { miiStatus: 'down' }))).toEqual(['CRITICAL noSlaves: no slaves']);
  });

  it('slave not up: down, going down, going back, and unknown all count', () => {
    const b = bond('bond0', [
      slave('eth0', { miiStatus: 'down' }),
      slave('eth1', { miiStatus: 'going down' }),
      slave('eth2', { miiStatus: 'going back' }),
      slave('eth3', { miiStatus: undefined }),
      slave('eth4'),
    ]);
    expect(texts(b)).toEqual([
      'WARNING slaveDown: eth0 down',
      'WARNING slaveDown: eth1 going down',
      'WARNING slaveDown: eth2 going back',
      'WARNING slaveDown: eth3 MII status unknown',
    ]);
    expect(texts(b, levels({ slaveDown: 'critical' }))[0]).toBe('CRITICAL slaveDown: eth0 down');
    expect(texts(b, levels({ slaveDown: 'ok' }))[0]).toBe('OK slaveDown: eth0 down');
  });

  it('active-backup not on its primary; no primary, on the primary, or another mode: nothing', () => {
    const ab = (fields: Parameters<typeof bond>[2]) =>
      bond('bond0', [slave('eth0', { state: 'backup' }), slave('eth1')], { mode: 'active-backup', ...fields });
    expect(texts(ab({ primary: 'eth0', activeSlave: 'eth1' }))).toEqual(['WARNING notOnPrimary: active eth1, not primary eth0']);
    expect(texts(ab({ primary: 'eth3', activeSlave: 'eth1' }))).toEqual(['WARNING notOnPrimary: active eth1, primary eth3 is not a slave']);
    expect(texts(ab({ primary: 'eth1', activeSlave: 'eth1' }))).toEqual([]);
    expect(texts(ab({ primary: undefined, activeSlave: 'eth1' }))).toEqual([]);
    expect(texts(ab({ primary: 'eth0', activeSlave: 'eth1' }), levels({ notOnPrimary: 'critical' }))).toEqual([
      'CRITICAL notOnPrimary: active eth1, not primary eth0',
    ]);
    // balance-tlb has an active slave but no primary rule.
    expect(texts(ab({ mode: 'balance-tlb', primary: 'eth0', activeSlave: 'eth1' }))).toEqual([]);
  });

  it('802.3ad: an up slave outside the active aggregator; a down one is only "down"', () => {
    const lacp = (eth1: Parameters<typeof slave>[1], active: number | undefined = 1) =>
      bond('bond2', [slave('eth0', { aggregatorId: 1 }), slave('eth1', eth1)], { mode: '802.3ad', activeAggregator: active });
    expect(texts(lacp({ aggregatorId: 1 }))).toEqual([]);
    expect(texts(lacp({ aggregatorId: 2 }))).toEqual(['WARNING aggMismatch: eth1 up but not in active aggregator 1 (in 2)']);
    expect(texts(lacp({ aggregatorId: undefined }))).toEqual(['WARNING aggMismatch: eth1 up but not in active aggregator 1 (in none)']);
    expect(texts(lacp({ aggregatorId: 2, miiStatus: 'down' }))).toEqual(['WARNING slaveDown: eth1 down']);
    expect(texts(lacp({ aggregatorId: 2 }), levels({ aggMismatch: 'critical' }))[0]).toMatch(/^CRITICAL aggMismatch/);
  });

  it('802.3ad with the active aggregator hidden: up slaves in different aggregators still show a mismatch', () => {
    const hidden = (ids: (number | undefined)[]) =>
      bond('bond2', ids.map((id, i) => slave(`eth${i}`, { aggregatorId: id })), { mode: '802.3ad', activeAggregator: undefined });
    expect(texts(hidden([1, 1]))).toEqual([]);
    expect(texts(hidden([1, undefined]))).toEqual([]);
    expect(texts(hidden([2, 1, 2]))).toEqual(['WARNING aggMismatch: up slaves in different aggregators 1 (eth1), 2 (eth0, eth2), active one unknown']);
  });

  it('the aggregator rule applies to 802.3ad only', () => {
    expect(texts(bond('bond3', [slave('eth0', { aggregatorId: 1 }), slave('eth1', { aggregatorId: 2 })], { activeAggregator: 1 }))).toEqual([]);
  });

  it('exactly one slave: no redundancy', () => {
    expect(texts(bond('bond4', [slave('eth8')]))).toEqual(['WARNING singleSlave: 1 slave only (no redundancy)']);
    expect(texts(bond('bond4', [slave('eth8')]), levels({ singleSlave: 'ok' }))).toEqual(['OK singleSlave: 1 slave only (no redundancy)']);
  });

  it('a link failure count that rose since the last run; equal, lower (reset) or new: nothing', () => {
    const b = bond('bond0', [slave('eth0', { linkFailureCount: 3 }), slave('eth1', { linkFailureCount: 0 }), slave('eth2', { linkFailureCount: 5 })]);
    const previous = new Map([
      ['eth0', 1],
      ['eth1', 0],
      ['eth2', 9],
    ]);
    expect(texts(b, RULE_LEVEL_DEFAULTS, previous)).toEqual(['WARNING linkFailures: eth0 link failures 1 -> 3 since the last check']);
    expect(texts(b, levels({ linkFailures: 'critical' }), previous)).toEqual(['CRITICAL linkFailures: eth0 link failures 1 -> 3 since the last check']);
    expect(texts(b)).toEqual([]);
  });
});

describe('the whole check', () => {
  const healthy = bond('bond0', [slave('eth0'), slave('eth1')]);
  const single = bond('bond4', [slave('eth8')]);
  const down = bond('bond1', [slave('eth2', { miiStatus: 'down' }), slave('eth3', { miiStatus: 'down' })], { miiStatus: 'down' });

  it('the worst bond wins; order is by name, numbers as numbers', () => {
    const v = judge({ bonds: [single, down, healthy, bond('bond10', [slave('a'), slave('b')])], notes: [] }, DEFAULTS);
    expect(v.state).toBe('CRITICAL');
    expect(v.bonds.map((b) => `${b.name} ${b.state}`)).toEqual(['bond0 OK', 'bond1 CRITICAL', 'bond4 WARNING', 'bond10 OK']);
  });

  it('OK < UNKNOWN < WARNING < CRITICAL, as the Monitoring Plugins order them', () => {
    expect(worst([])).toBe('OK');
    expect(worst(['OK', 'UNKNOWN'])).toBe('UNKNOWN');
    expect(worst(['UNKNOWN', 'WARNING'])).toBe('WARNING');
    expect(worst(['CRITICAL', 'UNKNOWN', 'WARNING'])).toBe('CRITICAL');
    expect(['bond10', 'bond2', 'bond1', 'eth0', 'bond2a', 'bond02'].sort(byName)).toEqual(['bond1', 'bond02', 'bond2', 'bond2a', 'bond10', 'eth0']);
  });

  it('no bonds: OK by default, the --no-bonds level otherwise', () => {
    expect(judge({ bonds: [], notes: [] }, DEFAULTS)).toMatchObject({ state: 'OK', host: [{ rule: 'noBonds', text: 'no bonds' }] });
    expect(judge({ bonds: [], notes: [] }, { ...DEFAULTS, levels: levels({ noBonds: 'critical' }) }).state).toBe('CRITICAL');
  });

  it('--bond: only those, a missing one is CRITICAL; --exclude: left out, and all left out is "no bonds"', () => {
    const input = { bonds: [healthy, single, down], notes: [] };
    const only = judge(input, { ...DEFAULTS, bonds: ['bond0', 'bond9'] });
    expect(only.bonds.map((b) => `${b.name} ${b.state} ${b.findings.map((f) => f.text).join()}`)).toEqual(['bond0 OK ', 'bond9 CRITICAL no such bond']);
    expect(only.skipped).toEqual(['bond1', 'bond4']);
    expect(judge(input, { ...DEFAULTS, exclude: ['bond1'] }).state).toBe('WARNING');
    const none = judge(input, { ...DEFAULTS, exclude: ['bond0', 'bond1', 'bond4'] });
    expect(none).toMatchObject({ state: 'OK', bonds: [], host: [{ text: 'no bonds to check (3 left out)' }] });
    // Excluding a bond also named with --bond leaves it out, missing or not.
    expect(judge(input, { ...DEFAULTS, bonds: ['bond9'], exclude: ['bond9'] }).state).toBe('OK');
  });

  it('slaves are judged and shown in name order', () => {
    const v = judge({ bonds: [bond('bond0', [slave('eth10'), slave('eth2')])], notes: [] }, DEFAULTS);
    expect(v.bonds[0]?.bond?.slaves.map((s) => s.name)).toEqual(['eth2', 'eth10']);
  });
});
