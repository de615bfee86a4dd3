// Reads a synthetic host of 256 bonds x 4 slaves, built from a real kernel capture (an 802.3ad
// bond, the one with the most attributes), and prints the median and p95 time of readSnapshot,
// then of readBond for one bond. As the reference measured in the same run, it times the I/O
// floor: the very files one readSnapshot opens (recorded from that read), each opened, read
// once and closed with the same synchronous calls, with no parsing and no objects built. The
// ratio to it is what the reader adds, and moves far less with the machine's load than the
// absolute figures. Run after building: npx tsc -p tsconfig.json && node bench/read-snapshot.js
// Quick mode (BENCH_QUICK=1): 8 bonds, 3 runs.
import fs, { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBond, readSnapshot } from '../dist/bonding/index.js';
import { quick } from './lib/quick.js';
import { buildSyntheticTree } from './lib/synthetic-tree.js';

const BONDS = Number(process.env.BONDS ?? quick(256, 8));
const SLAVES = 4;
const RUNS = Number(process.env.RUNS ?? quick(30, 3));

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

/** The paths `fn` opens, in order: fs.openSync is wrapped for the duration of one call. */
async function filesOpenedBy(fn) {
  const opened = [];
  const original = fs.openSync;
  fs.openSync = (path, ...rest) => {
    opened.push(String(path));
    return original(path, ...rest);
  };
  syncBuiltinESMExports();
  try {
    await fn();
  } finally {
    fs.openSync = original;
    syncBuiltinESMExports();
  }
  if (opened.length === 0) throw new Error('recorded no files: the reader no longer uses fs.openSync');
  return opened;
}

// A memory-backed directory when there is one: sysfs and procfs live in memory too.
const base = process.env.BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const root = mkdtempSync(join(base, 'bonding-bench-'));
try {
  buildSyntheticTree(root, { bonds: BONDS, slaves: SLAVES });
  const roots = { sysfs: join(root, 'sys'), procfs: join(root, 'proc') };
  const files = await filesOpenedBy(() => readSnapshot(roots));
  const check = await readSnapshot(roots);
  const slaveCount = check.bonds.reduce((n, b) => n + b.slaves.length, 0);
  if (check.bonds.length !== BONDS || slaveCount !== BONDS * SLAVES || check.warnings.length > 0) {
    throw new Error(`tree read back wrong: ${check.bonds.length} bonds, ${slaveCount} slaves, ${check.warnings.length} warnings`);
  }
  const buffer = Buffer.allocUnsafe(65536);
  const floorRead = () => {
    for (const f of files) {
      const fd = openSync(f, 'r');
      readSync(fd, buffer, 0, buffer.length, null);
      closeSync(fd);
    }
  };
  await time(() => readSnapshot(roots)); // warm up
  floorRead();
  console.log(`host: ${os.cpus().length} cpus, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const ours = await time(() => readSnapshot(roots));
  const floor = await time(floorRead);
  const perFile = (quantile(floor.cpu, 0.5) * 1000) / files.length;
  console.log(`readSnapshot, ${BONDS} bonds x ${SLAVES} slaves: ${stats(ours)}`);
  console.log(`I/O floor, the ${files.length} files it opens, each opened, read and closed once: ${stats(floor)}`);
  console.log(`  that is ${perFile.toFixed(1)} µs of CPU per file on this machine`);
  console.log(`readSnapshot / floor: ${(quantile(ours.wall, 0.5) / quantile(floor.wall, 0.5)).toFixed(2)}x wall, ${(quantile(ours.cpu, 0.5) / quantile(floor.cpu, 0.5)).toFixed(2)}x cpu (medians)`);
  console.log(`readBond, one bond of ${SLAVES} slaves: ${stats(await time(() => readBond(roots, 'bond0')))}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
