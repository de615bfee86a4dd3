/**
 * The check on hand-made trees: the formats of old kernels, and states the
 * real captures do not have (an empty bond, a single-slave active-backup
 * bond, an 802.3ad partner mismatch, malformed files, no bonding at all).
 * Each gives its exact first line and exit status.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handmadeRoots } from '../bonding/fixture-roots.js';
import { check, EditedTree, rootArgs } from './support.js';

const trees: EditedTree[] = [];
const dirs: string[] = [];
afterAll(() => {
  trees.forEach((t) => t.remove());
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});
const edit = (state: string, proc: 'proc' | 'proc-unprivileged' = 'proc') => {
  const t = new EditedTree(state, proc);
  trees.push(t);
  return t;
};
const withoutPerf = (first: string) => first.replace(/ \| .*$/, '');

describe('old kernels', () => {
  it('2.6.32 active-backup: a slave going back (updelay) is not up yet; no per-slave state to show', async () => {
    const r = await check(rootArgs(handmadeRoots('linux-2.6.32-active-backup')));
    expect(r.first).toBe("BONDING WARNING - bond0: eth1 going back | 'bonds'=1;;;0 'bond0_slaves'=2;;;0 'bond0_slaves_up'=1;;;0;2 'bond0_link_failures'=3c;;;0");
    expect(r.code).toBe(1);
    expect(r.long).toEqual([
      '[WARNING] bond0: active-backup, MII up, active eth0; eth0 up (1000 Mb/s, 0 link failures); eth1 going back (1000 Mb/s, 3 link failures)',
    ]);
  });

  it('3.2 802.3ad: a partner mismatch with every link up, a bond with no active aggregator, speed unknown', async () => {
    const r = await check(rootArgs(handmadeRoots('linux-3.2-802.3ad')));
    expect(withoutPerf(r.first)).toBe(
      'BONDING CRITICAL - bond1: down (no usable slave), eth2 down, 1 slave only (no redundancy) / ' +
        'bond0: eth1 up but not in active aggregator 2 (in 1) / bond2: eth3 going down, 1 slave only (no redundancy)',
    );
    expect(r.code).toBe(2);
    expect(r.long[1]).toBe('[CRITICAL] bond1: 802.3ad, MII down, active aggregator unknown; eth2 down (speed unknown, 5 link failures, no aggregator)');
    // Only the mismatch, as CRITICAL if asked:
    const mismatch = await check([...rootArgs(handmadeRoots('linux-3.2-802.3ad')), '--bond', 'bond0', '--agg-mismatch', 'critical']);
    expect([mismatch.code, withoutPerf(mismatch.first)]).toEqual([2, 'BONDING CRITICAL - bond0: eth1 up but not in active aggregator 2 (in 1)']);
  });
});

describe('states made from a real capture', () => {
  it('an empty bond (every slave released): CRITICAL, no slaves', async () => {
    const t = edit('01-all-up');
    const proc = t.read(t.procFile('bond0'));
    t.write(
      t.procFile('bond0'),
      proc
        .slice(0, proc.indexOf('\nSlave Interface:'))
        .replace('Primary Slave: eth0 (primary_reselect better)', 'Primary Slave: None')
        .replace('Currently Active Slave: eth0', 'Currently Active Slave: None')
        .replace('MII Status: up', 'MII Status: down'),
    );
    t.write(t.sysFile('bond0', 'bonding', 'slaves'), '\n').write(t.sysFile('bond0', 'bonding', 'active_slave'), '\n');
    t.write(t.sysFile('bond0', 'bonding', 'primary'), '\n').write(t.sysFile('bond0', 'bonding', 'mii_status'), 'down\n');
    const r = await check([...rootArgs(t.roots), '--bond', 'bond0']);
    expect(r.first).toBe("BONDING CRITICAL - bond0: no slaves | 'bonds'=1;;;0 'bond0_slaves'=0;;;0 'bond0_slaves_up'=0;;;0;0");
    expect(r.code).toBe(2);
    expect(r.long).toEqual(['[CRITICAL] bond0: active-backup, MII down, active none; no slaves', 'left out: bond1, bond2, bond3, bond4, bond5, bond6, bond7']);
  });

  it('a single-slave active-backup bond: WARNING, no redundancy (a level away from OK or CRITICAL)', async () => {
    const t = edit('01-all-up');
    const proc = t.read(t.procFile('bond0'));
    t.write(t.procFile('bond0'), proc.slice(0, proc.indexOf('\n\nSlave Interface: eth1')) + '\n');
    t.write(t.sysFile('bond0', 'bonding', 'slaves'), 'eth0\n');
    const args = [...rootArgs(t.roots), '--bond', 'bond0'];
    const r = await check(args);
    expect(r.first).toBe(
      "BONDING WARNING - bond0: 1 slave only (no redundancy) | 'bonds'=1;;;0 'bond0_slaves'=1;;;0 'bond0_slaves_up'=1;;;0;1 'bond0_link_failures'=0c;;;0",
    );
    expect(r.code).toBe(1);
    expect((await check([...args, '--single-slave', 'ok'])).first).toMatch(/^BONDING OK - bond0 OK, 1 of 1 slave up \| /);
    expect((await check([...args, '--single-slave', 'critical'])).code).toBe(2);
  });

  it('802.3ad: a slave up but in another aggregator (its partner is another switch)', async () => {
    const t = edit('01-all-up');
    t.replace(t.procFile('bond2'), /(Slave Interface: eth5[\s\S]*?Aggregator ID: )1/, '$12');
    t.write(t.sysFile('eth5', 'bonding_slave', 'ad_aggregator_id'), '2\n');
    const r = await check([...rootArgs(t.roots), '--bond', 'bond2']);
    expect(r.first).toBe(
      "BONDING WARNING - bond2: eth5 up but not in active aggregator 1 (in 2) | 'bonds'=1;;;0 'bond2_slaves'=2;;;0 'bond2_slaves_up'=2;;;0;2 'bond2_link_failures'=0c;;;0",
    );
    expect(r.code).toBe(1);
    expect(r.long[0]).toBe(
      '[WARNING] bond2: 802.3ad, MII up, active aggregator 1; eth4 up (active, 10000 Mb/s, 0 link failures, aggregator 1); eth5 up (active, 10000 Mb/s, 0 link failures, aggregator 2)',
    );
  });
});

describe('what cannot be judged, or not well', () => {
  it('malformed kernel files: judged on what could be read, each problem a note in the long output', async () => {
    const roots = handmadeRoots('garbage');
    const r = await check(rootArgs(roots));
    expect(withoutPerf(r.first)).toBe('BONDING WARNING - bond0: eth1 MII status unknown');
    expect(r.code).toBe(1);
    expect(r.long).toContain(`note: ${join(roots.procfs, 'net', 'bonding', 'bond0')}:19: unknown MII status: "sideways"`);
  });

  it('a host without the bonding driver: OK "no bonds" by default, or the --no-bonds level', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bonding-check-empty-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'sys', 'class', 'net'), { recursive: true });
    mkdirSync(join(dir, 'proc', 'net'), { recursive: true });
    const args = ['--sysfs', join(dir, 'sys'), '--procfs', join(dir, 'proc')];
    const r = await check(args);
    expect([r.code, r.stdout]).toEqual([0, "BONDING OK - no bonds | 'bonds'=0;;;0\n"]);
    const warn = await check([...args, '--no-bonds', 'warning']);
    expect([warn.code, warn.first]).toEqual([1, "BONDING WARNING - no bonds | 'bonds'=0;;;0"]);
  });

  it('a root that does not exist: UNKNOWN, one line', async () => {
    const r = await check(['--sysfs', '/nonexistent/sys']);
    expect([r.code, r.stdout]).toEqual([3, 'BONDING UNKNOWN - sysfs root /nonexistent/sys does not exist or is not a directory\n']);
  });
});
