// CPU and memory of `bonding-agentx run` while nothing changes: a synthetic
// host of 64 bonds x 2 slaves, each agent served through its own real snmpd.
// Side by side, over the same window (so that the machine's other load
// weighs on all alike): the defaults (the periodic check every second,
// everything re-read every 2 minutes, link events on), the check every 5 s
// (the default before), and no periodic check at all (--poll-interval 3600:
// no fingerprints, no full re-read), the floor of an agent that serves and
// follows link events. Prints each one's share of one core over the window,
// its resident set size and the reads it made (from its own counters). The
// window starts 30 s after the agents (start-up's garbage collections are
// over) and lasts two full re-read periods, so that it holds as many full
// re-reads as an hour does, per second. The tree is made of regular files:
// the kernel's rendering of /proc/net/bonding is not in the figures, and the
// agent looks at a regular file's link count at each check (it cannot be
// replaced by a rename in procfs, so there it does not).
//
// Usage (after npm run build):
//   node bench/idle-footprint.js [--bonds 64] [--seconds 240] [--warmup 30] [--poll-intervals default,5,3600]
//   (a list of --poll-interval values; "default" runs the agent without the flag)
// Quick mode (BENCH_QUICK=1): 8 bonds, the defaults only, 2 s of start-up, a 3 s window.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startSnmpd } from './lib/net-snmp.js';
import { quick } from './lib/quick.js';
import { buildSyntheticTree } from './lib/synthetic-tree.js';

const { values } = parseArgs({
  options: {
    bonds: { type: 'string', default: quick('64', '8') },
    seconds: { type: 'string', default: quick('240', '3') },
    warmup: { type: 'string', default: quick('30', '2') },
    'poll-intervals': { type: 'string', default: quick('default,5,3600', 'default') },
  },
});
const BONDS = Number(values.bonds);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const INTERVALS = values['poll-intervals'].split(',').map((v) => v.trim());
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const TICKS = 100; // USER_HZ on Linux

/** utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15). */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const rssMiB = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** One agent and its snmpd; its JSON log lines parsed as they come. */
async function startAgent(dir, tree, interval) {
  const snmpd = await startSnmpd(join(dir, `snmpd-${interval}`));
  const child = spawn(
    process.execPath,
    [join(REPO, 'bin', 'bonding-agentx.js'), 'run', '--agentx-socket', snmpd.master, '--sysfs', join(tree, 'sys'),
      '--procfs', join(tree, 'proc'), '--log-level', 'info', ...(interval === 'default' ? [] : ['--poll-interval', interval])],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const log = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) {
      try {
        log.push(JSON.parse(line));
      } catch {
        console.error(`agent: ${line}`);
      }
    }
  });
  const logged = (msg) => log.find((l) => l.msg === msg);
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const code = await exited;
    await snmpd.stop();
    return code;
  };
  return { interval, child, logged, stop, maxRss: 0 };
}

const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'bonding-idle-'));
const agents = [];
try {
  const tree = join(dir, 'tree');
  buildSyntheticTree(tree, { bonds: BONDS, slaves: 2 });
  for (const interval of INTERVALS) agents.push(await startAgent(dir, tree, interval));
  for (const deadline = Date.now() + 60_000; agents.some((a) => a.logged('AgentX session open') === undefined); await sleep(100)) {
    const dead = agents.find((a) => a.child.exitCode !== null);
    if (dead !== undefined || Date.now() > deadline) throw new Error(`an agent did not open its AgentX session (${dead?.interval ?? 'timeout'})`);
  }
  // Start-up (JIT, first reads) is not idle.
  await sleep(WARMUP * 1000);
  const load = loadavg()[0];
  const before = agents.map((a) => cpuTicks(a.child.pid));
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    for (const a of agents) a.maxRss = Math.max(a.maxRss, rssMiB(a.child.pid));
    await sleep(Math.min(1000, SECONDS * 250));
  }
  const cpu = agents.map((a, i) => (cpuTicks(a.child.pid) - before[i]) / TICKS);
  const wall = (performance.now() - t0) / 1000;
  console.log(`idle, ${BONDS} bonds x 2 slaves, link events on, side by side over a ${wall.toFixed(0)} s window after ${WARMUP} s ` +
    `(load average ${load.toFixed(1)} -> ${loadavg()[0].toFixed(1)}):`);
  for (const [i, a] of agents.entries()) {
    const lifetime = (Date.now() - a.logged('starting').time) / 1000;
    const pollMs = a.logged('starting').pollIntervalMs;
    const code = await a.stop();
    if (code !== 0) throw new Error(`the agent (${a.interval}) exited with status ${code}`);
    const reads = a.logged('stopped')?.counters?.reads;
    if (reads === undefined) throw new Error(`the agent (${a.interval}) logged no counters when it stopped`);
    const what = a.interval === 'default' ? `defaults (check every ${pollMs / 1000} s)` : `--poll-interval ${a.interval}`;
    console.log(
      `  ${what.padEnd(30)} CPU ${((cpu[i] / wall) * 100).toFixed(2)}% of one core (${cpu[i].toFixed(2)} s), RSS max ${a.maxRss.toFixed(1)} MiB; ` +
        `reads in its ${lifetime.toFixed(0)} s: ${reads.full} of everything (start-up included), ${reads.bond} of one bond`,
    );
  }
} finally {
  for (const a of agents) await a.stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
