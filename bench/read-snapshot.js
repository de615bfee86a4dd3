// Reads a synthetic host of 256 bonds x 4 slaves, built from a real kernel capture (an 802.3ad
// bond, the one with the most attributes), and prints the median and p95 time of readSnapshot,
// then of readBond for one bond. Run after building: npx tsc -p tsconfig.json && node bench/read-snapshot.js
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBond, readSnapshot } from '../dist/bonding/index.js';

const BONDS = Number(process.env.BONDS ?? 256);
const SLAVES = 4;
const RUNS = Number(process.env.RUNS ?? 30);

const here = dirname(fileURLToPath(import.meta.url));
const capture = join(here, '..', 'test', 'fixtures', 'kernel-6.1-debian', '01-all-up');
const templateNet = join(capture, 'sys', 'class', 'net');
const templateProc = readFileSync(join(capture, 'proc', 'net', 'bonding', 'bond2'), 'latin1');

/** Copy the plain files of an interface directory (links in the capture are plain files too). */
function copyInterface(from, to, ifindex, rename) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const src = join(from, entry);
    if (statSync(src).isDirectory()) {
      cpSync(src, join(to, entry), { recursive: true });
    } else if (!/^(lower|upper)_/.test(entry)) {
      writeFileSync(join(to, entry), entry === 'ifindex' ? `${ifindex}\n` : rename(readFileSync(src, 'latin1')));
    }
  }
}

function buildTree(root) {
  const net = join(root, 'sys', 'class', 'net');
  const procDir = join(root, 'proc', 'net', 'bonding');
  mkdirSync(net, { recursive: true });
  mkdirSync(procDir, { recursive: true });
  const names = [];
  let ifindex = 1;
  for (let b = 0; b < BONDS; b++) {
    const bond = `bond${b}`;
    const slaves = Array.from({ length: SLAVES }, (_, s) => `s${b}x${s}`);
    const rename = (text) => text.replace(/eth4 eth5/, slaves.join(' ')).replace(/eth4:0 eth5:0/, slaves.map((s) => `${s}:0`).join(' '));
    names.push(bond);
    copyInterface(join(templateNet, 'bond2'), join(net, bond), ifindex++, rename);
    writeFileSync(join(net, bond, 'bonding', 'slaves'), `${slaves.join(' ')}\n`);
    writeFileSync(join(net, bond, 'bonding', 'queue_id'), `${slaves.map((s) => `${s}:0`).join(' ')}\n`);
    let proc = templateProc.split('\nSlave Interface: ')[0];
    const slaveBlock = `\nSlave Interface: ${templateProc.split('\nSlave Interface: ')[1]}`;
    for (const [s, slave] of slaves.entries()) {
      copyInterface(join(templateNet, s % 2 === 0 ? 'eth4' : 'eth5'), join(net, slave), ifindex++, (t) => t);
      proc += slaveBlock.replace(/^\nSlave Interface: \S+/, `\nSlave Interface: ${slave}`);
    }
    writeFileSync(join(procDir, bond), proc);
  }
  writeFileSync(join(net, 'bonding_masters'), `${names.join(' ')}\n`);
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

/** Wall-clock median and p95, and the median CPU time (user + system), which a busy host inflates less. */
function stats({ wall, cpu }) {
  return `median ${quantile(wall, 0.5).toFixed(1)} ms, p95 ${quantile(wall, 0.95).toFixed(1)} ms, cpu median ${quantile(cpu, 0.5).toFixed(1)} ms (${wall.length} runs)`;
}

async function time(fn) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    await fn();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

// A memory-backed directory when there is one: sysfs and procfs live in memory too.
const base = process.env.BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const root = mkdtempSync(join(base, 'bonding-bench-'));
try {
  buildTree(root);
  const roots = { sysfs: join(root, 'sys'), procfs: join(root, 'proc') };
  const check = await readSnapshot(roots);
  const slaveCount = check.bonds.reduce((n, b) => n + b.slaves.length, 0);
  if (check.bonds.length !== BONDS || slaveCount !== BONDS * SLAVES || check.warnings.length > 0) {
    throw new Error(`tree read back wrong: ${check.bonds.length} bonds, ${slaveCount} slaves, ${check.warnings.length} warnings`);
  }
  await time(() => readSnapshot(roots)); // warm up
  console.log(`host: ${os.cpus().length} cpus, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`readSnapshot, ${BONDS} bonds x ${SLAVES} slaves: ${stats(await time(() => readSnapshot(roots)))}`);
  console.log(`readBond, one bond of ${SLAVES} slaves: ${stats(await time(() => readBond(roots, 'bond0')))}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
