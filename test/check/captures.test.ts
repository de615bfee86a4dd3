/**
 * The check on the four real-kernel captures: the exact first line and exit
 * status of each (the summary written out here; the performance data derived
 * from the fixture's procfs files by this test, independently of the reader),
 * the long output, and the same verdicts from the unprivileged procfs.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPECTED, expectedPerf, STATES } from './expected.js';
import { CAPTURES, captureRoots, check, EditedTree, rootArgs } from './support.js';


describe('the four real-kernel states', () => {
  it.each(STATES)('%s: exact first line, perf data and exit status', async (state) => {
    const r = await check(rootArgs(captureRoots(state)));
    expect(r.first).toBe(`${EXPECTED[state].first} | ${expectedPerf(join(CAPTURES, state))}`);
    expect(r.code).toBe(EXPECTED[state].code);
    // One long-output line per bond, in name order, tagged with the bond's own state.
    expect(r.long.map((l) => /^\[\w+\] (bond\d+):/.exec(l)?.[1])).toEqual(['bond0', 'bond1', 'bond2', 'bond3', 'bond4', 'bond5', 'bond6', 'bond7']);
  });

  it('02-failover: the long output tells mode, MII status, active slave, each slave state, failures, speed, aggregator', async () => {
    const r = await check(rootArgs(captureRoots('02-failover')));
    expect(r.long).toEqual([
      '[WARNING] bond0: active-backup, MII up, active eth1, primary eth0; eth0 down (backup, 10000 Mb/s, 1 link failure); eth1 up (active, 10000 Mb/s, 0 link failures)',
      '[WARNING] bond1: balance-rr, MII up; eth2 down (active, 10000 Mb/s, 1 link failure); eth3 up (active, 10000 Mb/s, 0 link failures)',
      '[WARNING] bond2: 802.3ad, MII up, active aggregator 1; eth4 up (active, 10000 Mb/s, 0 link failures, aggregator 1); eth5 down (backup, 10000 Mb/s, 1 link failure, aggregator 1)',
      '[OK] bond3: balance-xor, MII up; eth6 up (active, 10000 Mb/s, 0 link failures); eth7 up (active, 10000 Mb/s, 0 link failures)',
      '[WARNING] bond4: broadcast, MII up; eth8 up (active, 10000 Mb/s, 0 link failures)',
      '[OK] bond5: balance-tlb, MII up, active eth9; eth9 up (active, 10000 Mb/s, 0 link failures); eth10 up (active, 10000 Mb/s, 0 link failures)',
      '[OK] bond6: balance-alb, MII up, active eth11; eth11 up (active, 10000 Mb/s, 0 link failures); eth12 up (active, 10000 Mb/s, 0 link failures)',
      '[CRITICAL] bond7: active-backup, MII down, active none; eth13 going down (backup, 10000 Mb/s, 3 link failures); eth14 going back (active, 10000 Mb/s, 3 link failures)',
    ]);
  });

  // bond7 flaps (ARP monitoring without a target that answers): the unprivileged read, taken a
  // moment after the privileged one, caught it in another phase. Every other bond must agree.
  it.each(STATES)('%s from the unprivileged procfs: the same output', async (state) => {
    const privileged = await check([...rootArgs(captureRoots(state)), '--exclude', 'bond7']);
    const unprivileged = await check([...rootArgs(captureRoots(state, 'proc-unprivileged')), '--exclude', 'bond7']);
    expect(unprivileged.stdout).toBe(privileged.stdout);
  });
});

describe('levels and selection on a real capture', () => {
  const roots = rootArgs(captureRoots('02-failover'));

  it('--bond/--exclude narrow what is judged; what is left out is said', async () => {
    const r = await check([...roots, '--bond', 'bond3,bond5', '--bond', 'bond6']);
    expect(r.first).toMatch(/^BONDING OK - 3 bonds OK, 6 of 6 slaves up \| 'bonds'=3;;;0 'bond3_slaves'=2;;;0 /);
    expect(r.code).toBe(0);
    expect(r.long.at(-1)).toBe('left out: bond0, bond1, bond2, bond4, bond7');
    const one = await check([...roots, '--bond', 'bond0', '--not-on-primary', 'ok', '--slave-down', 'ok']);
    expect(one.first).toBe("BONDING OK - bond0 OK, 1 of 2 slaves up | 'bonds'=1;;;0 'bond0_slaves'=2;;;0 'bond0_slaves_up'=1;;;0;2 'bond0_link_failures'=1c;;;0");
    const missing = await check([...roots, '--bond', 'bond3', '--bond', 'bond99']);
    expect([missing.code, missing.summary]).toEqual([2, 'bond99: no such bond']);
    const excluded = await check([...roots, '--exclude', 'bond7', '--exclude', 'bond4']);
    expect([excluded.code, excluded.summary]).toEqual([1, 'bond0: eth0 down, active eth1, not primary eth0 / bond1: eth2 down / bond2: eth5 down']);
  });

  it('each level flag moves its rule: critical, and ok (shown, no alarm)', async () => {
    const r = await check([...roots, '--exclude', 'bond7', '--slave-down', 'critical']);
    expect([r.code, r.summary]).toEqual([2, 'bond0: eth0 down, active eth1, not primary eth0 / bond1: eth2 down / bond2: eth5 down / bond4: 1 slave only (no redundancy)']);
    const quiet = await check([...roots, '--exclude', 'bond7', '--slave-down', 'ok', '--not-on-primary', 'ok', '--single-slave', 'ok']);
    expect([quiet.code, quiet.summary]).toEqual([0, '7 bonds OK, 10 of 13 slaves up']);
    const single = await check([...roots, '--bond', 'bond4', '--single-slave', 'crit']);
    expect([single.code, single.summary]).toEqual([2, 'bond4: 1 slave only (no redundancy)']);
  });
});

describe('unprivileged, with the active aggregator hidden as the kernel hides it', () => {
  const trees: EditedTree[] = [];
  afterAll(() => trees.forEach((t) => t.remove()));
  const tree = (state: string) => {
    const t = new EditedTree(state, 'proc-unprivileged');
    trees.push(t);
    // Without CAP_NET_ADMIN the kernel prints nothing in ad_aggregator (and procfs has no Active Aggregator Info).
    return t.write(t.sysFile('bond2', 'bonding', 'ad_aggregator'), '');
  };

  it('no mismatch to see: same verdict, the aggregator shown as unknown', async () => {
    const r = await check([...rootArgs(tree('01-all-up').roots), '--bond', 'bond2']);
    expect([r.code, r.summary]).toEqual([0, 'bond2 OK, 2 of 2 slaves up']);
    expect(r.long[0]).toBe(
      '[OK] bond2: 802.3ad, MII up, active aggregator unknown; eth4 up (active, 10000 Mb/s, 0 link failures, aggregator 1); eth5 up (active, 10000 Mb/s, 0 link failures, aggregator 1)',
    );
  });

  it('up slaves in two aggregators: a mismatch even without knowing which is active', async () => {
    const t = tree('01-all-up').replace('proc-unprivileged/net/bonding/bond2', /(Slave Interface: eth5[\s\S]*?Aggregator ID: )1/, '$12');
    const r = await check([...rootArgs(t.roots), '--bond', 'bond2']);
    expect([r.code, r.summary]).toEqual([1, 'bond2: up slaves in different aggregators 1 (eth4), 2 (eth5), active one unknown']);
  });
});
