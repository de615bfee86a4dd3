// The local check's cost as a monitoring system pays it: a fresh process per
// check. Times `bonding-agentx check` on the real 8-bond capture
// (test/fixtures/kernel-6.1-debian/02-failover: 8 bonds, 15 slaves, the
// busiest of the four states) against `node -e 0` (Node's own start, nothing
// else), alternating the two so that both see the same load, and prints the
// medians and the share of the check that is Node's start. Then, in fresh
// processes timed from the inside, where the rest goes (loading our modules,
// reading and judging), and the cold cost of the lean local read against the
// full reader (readSnapshot) for the same tree. Wall time is what the goal is
// about, but a loaded machine inflates it; so each process also reports the
// CPU time it used (bench/lib/cpu-at-exit.js, preloaded in both), which the
// load moves far less.
// Run after building: npm run build && node bench/check-local.js   (RUNS=40 by default)
// Quick mode (BENCH_QUICK=1): 2 runs of each.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quick } from './lib/quick.js';

const RUNS = Number(process.env.RUNS ?? quick(40, 2));
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const capture = join(repo, 'test', 'fixtures', 'kernel-6.1-debian', '02-failover');
const sysfs = join(capture, 'sys');
const procfs = join(capture, 'proc');
const bin = join(repo, 'bin', 'bonding-agentx.js');
const phases = join(repo, 'bench', 'lib', 'check-phases.js');
const cpuAtExit = join(repo, 'bench', 'lib', 'cpu-at-exit.js');

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const median = (values) => quantile(values, 0.5);
const fmt = (ms) => `${ms.toFixed(1)} ms`;

function wall(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', cpuAtExit, ...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = Number(/cpu-ms ([\d.]+)/.exec(r.stderr)?.[1]);
  return { ms, cpu, status: r.status, stdout: r.stdout, stderr: r.stderr.replace(/cpu-ms [\d.]+\n/, '') };
}

function inside(what) {
  const r = spawnSync(process.execPath, [phases, sysfs, procfs, what], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`check-phases ${what} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Warm the page cache and check that the command does what is timed.
const first = wall([bin, 'check', '--sysfs', sysfs, '--procfs', procfs]);
if (first.status !== 2 || !first.stdout.startsWith('BONDING CRITICAL - ') || first.stdout.split('\n').filter((l) => l.startsWith('[')).length !== 8) {
  throw new Error(`unexpected check result (exit ${first.status}):\n${first.stdout}${first.stderr}`);
}
wall(['-e', '0']);

const node = [];
const check = [];
for (let i = 0; i < RUNS; i++) {
  node.push(wall(['-e', '0']));
  check.push(wall([bin, 'check', '--sysfs', sysfs, '--procfs', procfs]));
}
const { loadavg } = await import('node:os');
const report = (what, unit) => {
  const [n, c] = [median(node.map((r) => r[what])), median(check.map((r) => r[what]))];
  console.log(`${unit}:`);
  console.log(`  node -e 0                      median ${fmt(n)}, p90 ${fmt(quantile(node.map((r) => r[what]), 0.9))}`);
  console.log(`  bonding-agentx check, 8 bonds  median ${fmt(c)}, p90 ${fmt(quantile(check.map((r) => r[what]), 0.9))}`);
  console.log(`  Node's start is ${((100 * n) / c).toFixed(0)} % of the check (ratio ${(n / c).toFixed(2)}); the check adds ${fmt(c - n)}`);
};
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${RUNS} runs each, alternated; goal: the check under 100 ms wall`);
report('ms', 'wall time, spawn to exit');
report('cpu', 'CPU time of the process (user + system)');

const samples = { check: [], lean: [], full: [] };
for (let i = 0; i < Math.max(quick(10, 2), RUNS / 2); i++) for (const what of Object.keys(samples)) samples[what].push(inside(what));
const m = (what, key) => median(samples[what].map((s) => s[key]));
console.log('\nInside a fresh process (medians):');
console.log(`  Node start to our first line  ${fmt(m('check', 'nodeStart'))}`);
console.log(`  loading the check's modules   ${fmt(m('check', 'load'))}`);
console.log(`  reading, judging, printing    ${fmt(m('check', 'run'))}`);
console.log('Local read alone, cold (load + read, 8 bonds):');
console.log(`  lean (procfs + slave state)   ${fmt(m('lean', 'load'))} + ${fmt(m('lean', 'run'))} = ${fmt(m('lean', 'load') + m('lean', 'run'))}`);
console.log(`  full reader (readSnapshot)    ${fmt(m('full', 'load'))} + ${fmt(m('full', 'run'))} = ${fmt(m('full', 'load') + m('full', 'run'))}`);
