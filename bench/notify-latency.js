// Latency from a change of the bonding state to the notification arriving at
// snmptrapd, through the real chain: bonding-agentx -> AgentX -> snmpd ->
// trap2sink -> snmptrapd. Two paths:
//
//   poll     fixture tree, no link events: the change is seen at the next
//            periodic read (--poll-interval), as with any polling tool.
//   netlink  real veth pairs named like the tree's slaves: the change in the
//            tree is followed by a real carrier change on the veth, which the
//            kernel announces on rtnetlink; the agent re-reads that bond at once.
//
// Usage (after npm run build):  node bench/notify-latency.js [--changes N] [--poll-interval S]
// The netlink path needs CAP_NET_ADMIN (veth pairs); without it only the poll path runs.
// Quick mode (BENCH_QUICK=1): 4 changes per path, polling every 0.2 s.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, renameSync, rmSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { percentile, startSnmpd, startSnmptrapd } from './lib/net-snmp.js';
import { quick } from './lib/quick.js';

const { values } = parseArgs({
  options: { changes: { type: 'string', default: quick('100', '4') }, 'poll-interval': { type: 'string', default: quick('1', '0.2') } },
});
const CHANGES = Number(values.changes);
const POLL_S = Number(values['poll-interval']);
const here = dirname(fileURLToPath(import.meta.url));
const REPO = join(here, '..');
const CAPTURE = join(REPO, 'test', 'fixtures', 'kernel-6.1-debian', '01-all-up');
const SLAVE_DOWN = '1.3.6.1.4.1.8072.9999.9999.8023.0.1';
const SLAVE_UP = '1.3.6.1.4.1.8072.9999.9999.8023.0.2';

const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

/** A sysfs value changes in one step, as the kernel's do. */
function setFile(file, value) {
  writeFileSync(`${file}.new`, `${value}\n`);
  renameSync(`${file}.new`, file);
}

/**
 * A slave's link state changes as the driver changes it: the failure count
 * first, then the MII status (bond_miimon_commit), in sysfs, and
 * /proc/net/bonding/<bond>, which the kernel prints from the same fields in
 * one pass, replaced whole with both. The reader takes procfs first: a change
 * made in sysfs alone would be invisible to it, as it is on a real host.
 */
function setSlaveState(root, bond, slave, { mii, failures }) {
  const sysSlave = join(root, 'sys', 'class', 'net', slave, 'bonding_slave');
  setFile(join(sysSlave, 'link_failure_count'), String(failures));
  setFile(join(sysSlave, 'mii_status'), mii);
  const proc = join(root, 'proc', 'net', 'bonding', bond);
  const text = readFileSync(proc, 'utf8');
  const start = text.indexOf(`\nSlave Interface: ${slave}\n`);
  if (start < 0) throw new Error(`${slave} not in ${proc}`);
  const end = text.indexOf('\n\n', start + 1);
  const block = text.slice(start, end < 0 ? text.length : end);
  if (!/^MII Status: /m.test(block) || !/^Link Failure Count: /m.test(block)) throw new Error(`no MII status or failure count for ${slave} in ${proc}`);
  const changed = block
    .replace(/^MII Status: .*$/m, `MII Status: ${mii}`)
    .replace(/^Link Failure Count: .*$/m, `Link Failure Count: ${failures}`);
  writeFileSync(`${proc}.new`, text.slice(0, start) + changed + text.slice(start + block.length));
  renameSync(`${proc}.new`, proc);
}

/**
 * The 01-all-up capture with bond0's slaves renamed, so that real veth pairs
 * can carry their names without touching the host's own interfaces.
 */
function renamedTree(root, names) {
  cpSync(CAPTURE, root, { recursive: true });
  const net = join(root, 'sys', 'class', 'net');
  const sub = (text) => text.replace(/\beth0\b/g, names.eth0).replace(/\beth1\b/g, names.eth1);
  for (const [from, to] of [['eth0', names.eth0], ['eth1', names.eth1]]) renameSync(join(net, from), join(net, to));
  for (const file of ['slaves', 'active_slave', 'primary', 'queue_id']) {
    const path = join(net, 'bond0', 'bonding', file);
    writeFileSync(path, sub(readFileSync(path, 'utf8')));
  }
  const proc = join(root, 'proc', 'net', 'bonding', 'bond0');
  writeFileSync(proc, sub(readFileSync(proc, 'utf8')));
  for (const entry of readdirSync(join(net, 'bond0'))) {
    if (entry.startsWith('lower_')) rmSync(join(net, 'bond0', entry));
  }
}

async function measure(path, dir) {
  const names = { eth0: 'bxl0a', eth1: 'bxl0b' };
  const root = join(dir, 'tree');
  renamedTree(root, names);

  let veth = false;
  if (path === 'netlink') {
    execFileSync('ip', ['link', 'add', names.eth1, 'type', 'veth', 'peer', 'name', 'bxl0p']);
    execFileSync('ip', ['link', 'set', names.eth1, 'up']);
    execFileSync('ip', ['link', 'set', 'bxl0p', 'up']);
    veth = true;
  }
  const arrivals = [];
  const trapd = await startSnmptrapd(join(dir, 'trapd'), (at, record) => arrivals.push({ at, record }));
  const snmpd = await startSnmpd(join(dir, 'snmpd'), { trapPort: trapd.port });
  const args = [join(REPO, 'bin', 'bonding-agentx.js'), 'run', '--agentx-socket', snmpd.master,
    '--sysfs', join(root, 'sys'), '--procfs', join(root, 'proc'), '--log-level', 'warn',
    '--poll-interval', path === 'poll' ? String(POLL_S) : '3600', ...(path === 'poll' ? ['--no-link-events'] : [])];
  const agent = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const latencies = [];
  try {
    // Connected and serving when the tree's bond0 answers.
    for (let i = 0; ; i++) {
      const r = execFileSync('snmpget', ['-v2c', '-c', 'public', '-On', '-Oqv', '-t', '1', '-r', '0', snmpd.target,
        '1.3.6.1.4.1.8072.9999.9999.8023.1.1.2.0'], { env: snmpd.clientEnv, encoding: 'utf8' }).trim();
      if (r === '8') break;
      if (i > 100) throw new Error(`agent not serving: ${r}`);
      await sleep(100);
    }
    if (path === 'netlink') await sleep(500); // ip monitor subscribed
    let failures = 0;
    for (let i = 0; i < CHANGES; i++) {
      const down = i % 2 === 0;
      const want = down ? SLAVE_DOWN : SLAVE_UP;
      const seen = arrivals.length;
      if (down) failures++;
      // The driver's verdict, then the carrier change the kernel announces.
      setSlaveState(root, 'bond0', names.eth1, { mii: down ? 'down' : 'up', failures });
      const t0 = performance.now();
      if (veth) writeFileSync('/sys/class/net/bxl0p/flags', down ? '0x1002' : '0x1003');
      const deadline = Date.now() + 10_000 + POLL_S * 1000;
      while (!arrivals.slice(seen).some((a) => a.record.includes(want))) {
        if (Date.now() > deadline) throw new Error(`no ${down ? 'down' : 'up'} notification for change ${i}`);
        await sleep(1);
      }
      latencies.push(arrivals.slice(seen).find((a) => a.record.includes(want)).at - t0);
      // A random pause over a whole poll period, so every poll phase is sampled.
      await sleep(20 + Math.random() * (path === 'poll' ? POLL_S * 1000 : 200));
    }
  } finally {
    agent.kill('SIGTERM');
    await new Promise((r) => agent.once('exit', r));
    await snmpd.stop();
    await trapd.stop();
    if (veth) execFileSync('ip', ['link', 'del', names.eth1]);
  }
  return latencies;
}

function canMakeVeth() {
  try {
    execFileSync('ip', ['link', 'add', 'bxlprobe0', 'type', 'veth', 'peer', 'name', 'bxlprobe1'], { stdio: 'ignore' });
    execFileSync('ip', ['link', 'del', 'bxlprobe0'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;
console.log(`notification latency, change -> arrival at snmptrapd via snmpd; ${CHANGES} changes per path`);
for (const path of ['poll', 'netlink']) {
  if (path === 'netlink' && !canMakeVeth()) {
    console.log('netlink: skipped (cannot create veth pairs here; needs CAP_NET_ADMIN)');
    continue;
  }
  const dir = mkdtempSync(join(base, `bonding-latency-${path}-`));
  try {
    const l = await measure(path, dir);
    const label = path === 'poll' ? `poll (--poll-interval ${POLL_S}, no link events)` : 'netlink (ip monitor link)';
    console.log(`${label.padEnd(44)} median ${fmt(percentile(l, 0.5))}  p99 ${fmt(percentile(l, 0.99))}  max ${fmt(Math.max(...l))}  (n=${l.length})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
