// CPU and memory of `bonding-agentx run` while nothing changes: a synthetic
// host of 64 bonds x 2 slaves served through a real snmpd, with the default
// poll interval (5 s) and link events on. Prints the share of one core used
// over the measured window and the resident set size.
//
// Usage (after npm run build): node bench/idle-footprint.js [--bonds N] [--seconds S]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startSnmpd } from './lib/net-snmp.js';
import { buildSyntheticTree } from './lib/synthetic-tree.js';

const { values } = parseArgs({ options: { bonds: { type: 'string', default: '64' }, seconds: { type: 'string', default: '60' } } });
const BONDS = Number(values.bonds);
const SECONDS = Number(values.seconds);
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
try {
  buildSyntheticTree(join(dir, 'tree'), { bonds: BONDS, slaves: 2 });
  snmpd = await startSnmpd(join(dir, 'snmpd'));
  agent = spawn(process.execPath, [join(REPO, 'bin', 'bonding-agentx.js'), 'run', '--agentx-socket', snmpd.master,
    '--sysfs', join(dir, 'tree', 'sys'), '--procfs', join(dir, 'tree', 'proc'), '--log-level', 'warn'], { stdio: ['ignore', 'inherit', 'inherit'] });
  // Start-up (JIT, first reads) is not idle.
  await sleep(10_000);
  const before = cpuTicks(agent.pid);
  const t0 = performance.now();
  let maxRss = 0;
  while (performance.now() - t0 < SECONDS * 1000) {
    maxRss = Math.max(maxRss, rssMiB(agent.pid));
    await sleep(1000);
  }
  const cpu = (cpuTicks(agent.pid) - before) / TICKS;
  const wall = (performance.now() - t0) / 1000;
  console.log(`idle, ${BONDS} bonds x 2 slaves, poll every 5 s, link events on, ${wall.toFixed(0)} s window:`);
  console.log(`  CPU ${((cpu / wall) * 100).toFixed(2)}% of one core (${cpu.toFixed(2)} s CPU), RSS max ${maxRss.toFixed(1)} MiB`);
} finally {
  if (agent) {
    agent.kill('SIGTERM');
    await new Promise((r) => agent.once('exit', r));
  }
  await snmpd?.stop();
  rmSync(dir, { recursive: true, force: true });
}
