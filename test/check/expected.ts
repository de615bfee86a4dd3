/**
 * What the check must say about each real-kernel capture: the first line
 * written out by hand from the rules (why is in the comments), the exit
 * status, and the performance data derived from the fixture's own procfs
 * files, independently of the reader. Shared by the unit tests and the real
 * Nagios suite.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const STATES = ['01-all-up', '02-failover', '03-recovered', '04-bond1-down'] as const;

/** What each state must give; why is in the comments. */
export const EXPECTED: Record<(typeof STATES)[number], { code: number; first: string }> = {
  // Everything up; bond4 (broadcast) has one slave: no redundancy.
  '01-all-up': { code: 1, first: 'BONDING WARNING - bond4: 1 slave only (no redundancy)' },
  // bond7 lost both slaves (one going down, one coming back: the bond is down); bond0 failed over
  // from its primary; bond1 and bond2 each lost a slave.
  '02-failover': {
    code: 2,
    first:
      'BONDING CRITICAL - bond7: down (no usable slave), eth13 going down, eth14 going back / bond0: eth0 down, active eth1, not primary eth0 / ' +
      'bond1: eth2 down / bond2: eth5 down / bond4: 1 slave only (no redundancy)',
  },
  // eth0 is back but bond0 stays on eth1 (primary_reselect better, same speed).
  '03-recovered': {
    code: 2,
    first:
      'BONDING CRITICAL - bond7: down (no usable slave), eth13 going back, eth14 going down / bond0: active eth1, not primary eth0 / ' +
      'bond1: eth2 down / bond4: 1 slave only (no redundancy)',
  },
  '04-bond1-down': {
    code: 2,
    first:
      'BONDING CRITICAL - bond1: down (no usable slave), eth2 down, eth3 down / bond7: down (no usable slave), eth13 going down, eth14 going back / ' +
      'bond0: active eth1, not primary eth0 / bond4: 1 slave only (no redundancy)',
  },
};

/**
 * The perf data for a state, from its procfs files read here: per bond slaves, slaves up, failures
 * (and, remote, the failovers the agent counted).
 */
export function expectedPerf(stateDir: string, failovers?: ReadonlyMap<string, number>): string {
  const masters = readFileSync(join(stateDir, 'sys', 'class', 'net', 'bonding_masters'), 'utf8').trim().split(/\s+/).sort();
  const items = [`'bonds'=${masters.length};;;0`];
  for (const bond of masters) {
    const text = readFileSync(join(stateDir, 'proc', 'net', 'bonding', bond), 'utf8');
    const blocks = text.split('\n\n').filter((b) => b.startsWith('Slave Interface: '));
    const mii = blocks.map((b) => /^MII Status: (.*)$/m.exec(b)![1]);
    const failures = blocks.map((b) => Number(/^Link Failure Count: (\d+)$/m.exec(b)![1])).reduce((a, b) => a + b, 0);
    items.push(`'${bond}_slaves'=${blocks.length};;;0`, `'${bond}_slaves_up'=${mii.filter((m) => m === 'up').length};;;0;${blocks.length}`);
    items.push(`'${bond}_link_failures'=${failures}c;;;0`);
    if (failovers) items.push(`'${bond}_failovers'=${failovers.get(bond)}c;;;0`);
  }
  return items.join(' ');
}

