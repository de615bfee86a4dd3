// CPU and memory of `bonding-agentx run` while nothing changes: a synthetic
// host of 64 bonds x 2 slaves served through a real snmpd, with the defaults
// (the periodic check every second, everything re-read every 30 s, link
// events on). Prints the share of one core used over the measured window,
// the resident set size, and the reads the agent made (from its own counters).
//
// Usage (after npm run build):
//   node bench/idle-footprint.js [--bonds 64] [--seconds 60] [--warmup 10] [--poll-interval SEC]
// Quick mode (BENCH_QUICK=1): 8 bonds, 2 s of start-up, a 3 s window.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
    seconds: { type: 'string', default: quick('60', '3') },
    warmup: { type: 'string', default: quick('10', '2') },
    'poll-interval': { type: 'string' },
  },
});
const BONDS = Number(values.bonds);
const SECONDS = Number(values.seconds);
const POLL = values['poll-interval'];
const WARMUP = Number(values.warmup);
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const TICKS = 100; // USER_HZ on Linux

/** utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15). */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const rssMiB = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'bonding-idle-'));
let snmpd;
let agent;
/** The agent's log lines (pino JSON on stdout), parsed. */
const log = [];
const logged = (msg) => log.find((l) => l.msg === msg);
try {
  buildSyntheticTree(join(dir, 'tree'), { bonds: BONDS, slaves: 2 });
  snmpd = await startSnmpd(join(dir, 'snmpd'));
  agent = spawn(
    process.execPath,
    [join(REPO, 'bin', 'bonding-agentx.js'), 'run', '--agentx-socket', snmpd.master, '--sysfs', join(dir, 'tree', 'sys'),
      '--procfs', join(dir, 'tree', 'proc'), '--log-level', 'info', ...(POLL === undefined ? [] : ['--poll-interval', POLL])],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => agent.once('exit', resolve));
  let pending = '';
  agent.stdout.setEncoding('utf8').on('data', (chunk) => {
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
  for (const deadline = Date.now() + 60_000; logged('AgentX session open') === undefined; await sleep(100)) {
    if (agent.exitCode !== null || Date.now() > deadline) throw new Error('the agent did not open its AgentX session');
  }
  // Start-up (JIT, first reads) is not idle.
  await sleep(WARMUP * 1000);
  const before = cpuTicks(agent.pid);
  const t0 = performance.now();
  let maxRss = 0;
  while (performance.now() - t0 < SECONDS * 1000) {
    maxRss = Math.max(maxRss, rssMiB(agent.pid));
    await sleep(Math.min(1000, SECONDS * 250));
  }
  const cpu = (cpuTicks(agent.pid) - before) / TICKS;
  const wall = (performance.now() - t0) / 1000;
  const lifetime = (Date.now() - logged('starting').time) / 1000;
  agent.kill('SIGTERM');
  if ((await exited) !== 0) throw new Error(`the agent exited with status ${agent.exitCode}`);
  agent = undefined;
  const pollMs = logged('starting').pollIntervalMs;
  const reads = logged('stopped')?.counters?.reads;
  if (reads === undefined) throw new Error('the agent logged no counters when it stopped');
  console.log(`idle, ${BONDS} bonds x 2 slaves, periodic check every ${pollMs / 1000} s, link events on, ${wall.toFixed(0)} s window after ${WARMUP} s:`);
  console.log(`  CPU ${((cpu / wall) * 100).toFixed(2)}% of one core (${cpu.toFixed(2)} s CPU), RSS max ${maxRss.toFixed(1)} MiB`);
  console.log(`  reads in the agent's ${lifetime.toFixed(0)} s: ${reads.full} of everything (start-up included), ${reads.bond} of one bond`);
} finally {
  if (agent) {
    agent.kill('SIGTERM');
    await new Promise((r) => agent.once('exit', r));
  }
  await snmpd?.stop();
  rmSync(dir, { recursive: true, force: true });
}
