// What the standard MIBs cost (issue: IF-MIB ifStackTable and
// IEEE8023-LAG-MIB beside LINUX-BONDING-MIB), on a synthetic host of 64
// 802.3ad bonds x 4 slaves:
// 1. building the views of one snapshot, in this process: LINUX-BONDING-MIB
//    alone (`--no-standard-mibs`) against all three, alternated, as ratios
//    (goal: within 1.3x): at a change (the standard tables are built at
//    their first read) and with the tables built (a change then read);
// 2. walking them through a real snmpd from the real agent (`run`, AgentX):
//    microseconds per varbind for each subtree, LINUX-BONDING-MIB's beside
//    the standard tables', from the same snmpd in the same run.
//
// Run after `npm run build`:
//   node bench/standard-mibs.js [--bonds 64] [--slaves 4] [--builds 200] [--walks 5]
// Quick mode (BENCH_QUICK=1): 4 bonds x 2 slaves, 10 builds, one walk each.
// Needs Debian's snmpd and snmp; runs unprivileged, on loopback and a temp
// dir only, and stops what it starts by PID.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readSnapshot } from '../dist/bonding/index.js';
import { ViewSet } from '../dist/runtime/served-views.js';
import { run, startSnmpd } from './lib/net-snmp.js';
import { quick } from './lib/quick.js';
import { buildSyntheticTree } from './lib/synthetic-tree.js';

const { values: cli } = parseArgs({
  options: {
    bonds: { type: 'string', default: quick('64', '4') },
    slaves: { type: 'string', default: quick('4', '2') },
    builds: { type: 'string', default: quick('200', '10') },
    walks: { type: 'string', default: quick('5', '1') },
  },
});
const BONDS = Number(cli.bonds);
const SLAVES = Number(cli.slaves);
const BUILDS = Number(cli.builds);
const WALKS = Number(cli.walks);
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const SUBTREES = [
  ['LINUX-BONDING-MIB', '1.3.6.1.4.1.8072.9999.9999.8023'],
  ['IF-MIB ifStackTable', '1.3.6.1.2.1.31.1.2'],
  ['IEEE8023-LAG-MIB', '1.2.840.10006.300.43'],
];

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

const dir = mkdtempSync(join(tmpdir(), 'bench-standard-mibs-'));
let snmpd;
let agent;
try {
  buildSyntheticTree(join(dir, 'tree'), { bonds: BONDS, slaves: SLAVES });
  const roots = { sysfs: join(dir, 'tree', 'sys'), procfs: join(dir, 'tree', 'proc') };
  const snapshot = await readSnapshot(roots);
  if (snapshot.bonds.length !== BONDS) throw new Error(`read ${snapshot.bonds.length} bonds, built ${BONDS}`);
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${BONDS} bonds x ${SLAVES} slaves (802.3ad), ${snapshot.interfaces.length} interfaces`);

  // 1. The view build, in batches alternated so that all see the same
  // machine; each batch ends with a full garbage collection, timed with it,
  // so that each pays for its own garbage (a build makes thousands of objects,
  // and a collection left to chance lands on whichever build is running).
  // The standard tables are builders run at their first read: a change costs
  // LINUX-BONDING-MIB's view and the standard tables' signatures ("at a
  // change"); a manager's first read after it, the tables themselves ("and
  // read": every view built, as before they were lazy).
  const only = new ViewSet(false);
  const all = new ViewSet(true);
  const failovers = new Map();
  const KINDS = {
    only: () => only.build(snapshot, failovers, 0, 0),
    change: () => all.build(snapshot, failovers, 0, 0),
    read: () => {
      const views = all.build(snapshot, failovers, 0, 0);
      return { ...views, ifStack: views.ifStack(), lag: views.lag() };
    },
  };
  const batch = (kind, n) => {
    let built;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) built = KINDS[kind]();
    gc();
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6 / n, built };
  };
  const PER_BATCH = 10;
  for (const kind of Object.keys(KINDS)) batch(kind, PER_BATCH);
  const ms = { only: [], change: [], read: [] };
  let sizes;
  for (let i = 0; i < Math.max(1, BUILDS / PER_BATCH); i++) {
    for (const kind of Object.keys(KINDS)) {
      const r = batch(kind, PER_BATCH);
      ms[kind].push(r.ms);
      if (kind === 'read') sizes = { bonding: r.built.bonding.size, ifStack: r.built.ifStack.size, lag: r.built.lag.size };
    }
  }
  const ratio = (kind) => median(ms[kind].map((m, i) => m / ms.only[i]));
  console.log(`\nview build, ${BUILDS} of each in batches of ${PER_BATCH} (collection included), median per build:`);
  console.log(`  LINUX-BONDING-MIB only             ${median(ms.only).toFixed(2)} ms  (${sizes.bonding} varbinds)`);
  console.log(`  + ifStackTable + LAG-MIB, a change ${median(ms.change).toFixed(2)} ms  ratio ${ratio('change').toFixed(2)}x (goal <= 1.3x): the tables are built at their first read`);
  console.log(`  + the tables built (a change read) ${median(ms.read).toFixed(2)} ms  ratio ${ratio('read').toFixed(2)}x  (+${sizes.ifStack} + ${sizes.lag} varbinds)`);
  // The floor of a build that makes every varbind: the standard tables at
  // LINUX-BONDING-MIB's cost per varbind.
  const extra = sizes.ifStack + sizes.lag;
  const usOnly = (median(ms.only) * 1000) / sizes.bonding;
  const usExtra = ((median(ms.read) - median(ms.only)) * 1000) / extra;
  console.log(`  per varbind                        ${usOnly.toFixed(2)} us vs ${usExtra.toFixed(2)} us for the standard tables' (${(usExtra / usOnly).toFixed(2)}x)`);
  console.log(`  floor of building every varbind at LINUX-BONDING-MIB's cost: ${(1 + extra / sizes.bonding).toFixed(2)}x`);

  // 2. The walks through snmpd, from the real agent.
  snmpd = await startSnmpd(join(dir, 'snmpd'));
  agent = spawn(
    process.execPath,
    [join(REPO, 'bin', 'bonding-agentx.js'), 'run', '--agentx-socket', snmpd.master, '--sysfs', roots.sysfs, '--procfs', roots.procfs,
      '--no-link-events', '--poll-interval', '3600', '--log-level', 'warn'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const walk = async (oid) => {
    const { stdout, ms } = await run('snmpbulkwalk', ['-v2c', '-c', 'public', '-On', '-Cr10', '-t', '5', '-r', '0', snmpd.target, oid], snmpd.clientEnv);
    const varbinds = stdout.split('\n').filter((l) => l.startsWith(`.${oid}.`) || l.startsWith(`.${oid}.0 `)).length;
    return { ms, varbinds };
  };
  for (let i = 0; ; i++) {
    if ((await walk(SUBTREES[2][1])).varbinds > 0) break;
    if (i > 200) throw new Error('the agent did not register with snmpd within 20 s');
    await sleep(100);
  }
  // The tool's own start and its first request, timed on snmpd's sysUpTime (one varbind), is
  // taken off every walk: on the small ifStackTable it would otherwise be half the figure.
  const FIXED = ['fixed cost', '1.3.6.1.2.1.1.3'];
  const results = new Map([FIXED, ...SUBTREES].map(([name]) => [name, []]));
  for (let i = 0; i < WALKS; i++) {
    for (const [name, oid] of [FIXED, ...SUBTREES]) results.get(name).push(await walk(oid));
  }
  const fixedMs = median(results.get(FIXED[0]).map((r) => r.ms));
  console.log(`\nwalk through snmpd (snmpbulkwalk -Cr10), the real agent, median of ${WALKS} (in turn), less ${fixedMs.toFixed(1)} ms (the tool's start: a walk of sysUpTime):`);
  const perVarbind = (runs) => median(runs.map((r) => ((r.ms - fixedMs) * 1000) / r.varbinds));
  const base = perVarbind(results.get(SUBTREES[0][0]));
  for (const [name] of SUBTREES) {
    const runs = results.get(name);
    const us = perVarbind(runs);
    console.log(`  ${name.padEnd(22)} ${String(runs[0].varbinds).padStart(6)} varbinds  ${us.toFixed(1).padStart(6)} us/varbind  (${(us / base).toFixed(2)}x LINUX-BONDING-MIB's)`);
  }
} finally {
  if (agent && agent.exitCode === null) {
    const exited = new Promise((resolve) => agent.once('exit', resolve));
    agent.kill('SIGTERM');
    await Promise.race([exited, sleep(5000).then(() => agent.kill('SIGKILL'))]);
  }
  await snmpd?.stop();
  rmSync(dir, { recursive: true, force: true });
}
