// Walks a registered subtree of >= 10,000 varbinds served by our AgentX
// subagent through a real snmpd with snmpbulkwalk, and in the same run
// snmpd's own native subtrees; prints microseconds per varbind for both, the
// ratio, and where one AgentX round trip goes.
//
// Run after `npm run build`:  node bench/agentx-walk.js [--rows 2500] [--reps 10] [--runs 3]
// Quick mode (BENCH_QUICK=1): 100 rows, one run, two of snmpd's subtrees.
// Needs Debian's snmpd and snmp packages; runs unprivileged, on loopback and a
// temp dir only, and stops snmpd by PID when done.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AgentXSession } from '../dist/agentx/index.js';
import { MibViewBuilder, MibViewHolder, integerIndex } from '../dist/mib/index.js';
import { snmp } from '../dist/snmp/index.js';
import { run, startSnmpd } from './lib/net-snmp.js';
import { quick } from './lib/quick.js';

const { values: cli } = parseArgs({
  options: {
    rows: { type: 'string', default: quick('2500', '100') },
    reps: { type: 'string', default: '10' },
    runs: { type: 'string', default: quick('3', '1') },
  },
});
const ROWS = Number(cli.rows);
const REPS = Number(cli.reps);
const RUNS = Number(cli.runs);

// netSnmpPlaypen: set aside for experiments, never served by snmpd itself.
const ROOT = [1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 7];
const ENTRY = [...ROOT, 2, 1];
const COLUMNS = [1, 2, 3, 4];

function buildView(rows) {
  const b = new MibViewBuilder().scalar([...ROOT, 1], snmp.integer(rows)).table(ENTRY, COLUMNS);
  for (let i = 1; i <= rows; i++) {
    b.row(ENTRY, integerIndex(i), {
      1: snmp.octetString(`bond${i % 16}-slave${i}`),
      2: snmp.octetString(Uint8Array.of(0x02, 0x00, 0x5e, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff)),
      3: snmp.integer(i % 3),
      4: snmp.counter64(BigInt(i) * 1_000_003n),
    });
  }
  return b.build();
}

// ---------------------------------------------------------------- processes


// ------------------------------------------------------------ measurement

/**
 * Every 'data' event on the AgentX socket is timed in three parts:
 * - js: from its arrival to our socket.write call (decode, MIB lookup, encode);
 * - write: the write call itself. A write to a unix socket wakes snmpd, and
 *   on a busy machine the kernel may run snmpd inside this call;
 * - outside: from the write's return to the next request arriving: the
 *   socket, snmpd, and at PDU boundaries the manager's UDP round trip.
 */
function instrumentedConnect(stats) {
  return (address) => {
    const socket = connect({ path: address.path });
    const emit = socket.emit;
    const write = socket.write;
    let writeStart;
    let writeEnd;
    socket.write = function (...args) {
      writeStart = performance.now();
      const result = write.apply(this, args);
      writeEnd = performance.now();
      return result;
    };
    socket.emit = function (event, ...args) {
      if (event !== 'data' || !stats.recording) return emit.call(this, event, ...args);
      // The first request of a walk follows a pause between walks, not a response.
      const previousEnd = stats.fresh ? undefined : writeEnd;
      stats.fresh = false;
      writeStart = undefined;
      const t0 = performance.now();
      const result = emit.call(this, event, ...args);
      if (writeStart !== undefined && stats.count < stats.js.length) {
        stats.js[stats.count] = writeStart - t0;
        stats.write[stats.count] = writeEnd - writeStart;
        stats.outside[stats.count] = previousEnd === undefined ? NaN : t0 - previousEnd;
        stats.count++;
      }
      return result;
    };
    return socket;
  };
}

function newStats(capacity) {
  return {
    recording: false,
    fresh: true,
    count: 0,
    js: new Float64Array(capacity),
    write: new Float64Array(capacity),
    outside: new Float64Array(capacity),
  };
}

function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return v.length === 0 ? NaN : v[v.length >> 1];
}
const mean = (values) => {
  const v = values.filter((x) => Number.isFinite(x));
  return v.reduce((a, b) => a + b, 0) / v.length;
};
const countVarbinds = (stdout) => stdout.split('\n').filter((l) => /^\.\d/.test(l)).length;

async function walkOnce(snmpd, oid) {
  const { stdout, ms } = await run('snmpbulkwalk', ['-v2c', '-c', 'public', '-On', `-Cr${REPS}`, '-t', '5', '-r', '0', snmpd.target, oid], snmpd.clientEnv);
  const varbinds = countVarbinds(stdout);
  return { ms, varbinds, stdout, usPerVarbind: (ms * 1000) / varbinds };
}

/** Fastest (least disturbed by the shared machine), median and total of several walks. */
function summary(runs) {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return { best: sorted[0], median: sorted[sorted.length >> 1], totalMs: runs.reduce((t, r) => t + r.ms, 0) };
}

function topSubtrees(stdout) {
  const counts = new Map();
  for (const line of stdout.split('\n')) {
    const m = /^\.(1\.3\.6\.1\.(?:2\.1|4\.1|6\.3)\.\d+)[.\s]/.exec(line);
    if (m) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}

// -------------------------------------------------------------------- main

const dir = mkdtempSync(join(tmpdir(), 'agentx-walk-'));
let snmpd;
let session;
try {
  snmpd = await startSnmpd(dir);
  const view = buildView(ROWS);
  console.log(`snmpd ${snmpd.target}, AgentX ${snmpd.master}; our subtree ${ROOT.join('.')}: ${view.size} varbinds; snmpbulkwalk -Cr${REPS}, ${RUNS} runs`);

  const stats = newStats(RUNS * (view.size + 10));
  const holder = new MibViewHolder(view);
  // The MIB view's own share, timed apart from the codec and the socket.
  const lookups = { count: 0, ms: 0 };
  const provider = {
    get: (oid) => holder.get(oid),
    getNext: (start, include, end) => {
      const t0 = performance.now();
      const vb = holder.getNext(start, include, end);
      lookups.ms += performance.now() - t0;
      lookups.count++;
      return vb;
    },
  };
  session = new AgentXSession({
    provider,
    master: snmpd.master,
    description: 'agentx-walk benchmark',
    pingIntervalMs: 0,
    connect: instrumentedConnect(stats),
  });
  const connected = new Promise((resolve) => session.once('connected', resolve));
  session.start();
  await connected;

  // Native and ours in turn, so that both see the same machine: snmpd's whole
  // tree while nothing of ours is registered, then our subtree.
  const nativeRuns = [];
  const ourRuns = [];
  let requests = 0;
  for (let i = 0; i < RUNS; i++) {
    nativeRuns.push(await walkOnce(snmpd, '.1'));
    await session.register(ROOT);
    const before = session.counters.requestsAnswered;
    stats.recording = true;
    stats.fresh = true;
    const w = await walkOnce(snmpd, `.${ROOT.join('.')}`);
    stats.recording = false;
    requests += session.counters.requestsAnswered - before;
    await session.unregister(ROOT);
    if (w.varbinds !== view.size) throw new Error(`walked ${w.varbinds} varbinds, the view holds ${view.size}`);
    ourRuns.push(w);
  }
  const native = summary(nativeRuns);
  const ours = summary(ourRuns);
  const line = (name, s) =>
    `${name} ${String(s.best.varbinds).padStart(6)} varbinds: fastest ${s.best.usPerVarbind.toFixed(1).padStart(6)} us/varbind, median ${s.median.usPerVarbind.toFixed(1).padStart(6)}`;
  console.log(`\n${line('native (all of snmpd\'s own tree)', native)}`);
  console.log(line('ours (AgentX subagent, MibView) ', ours));
  const paired = ourRuns.map((o, i) => o.usPerVarbind / nativeRuns[i].usPerVarbind).sort((a, b) => a - b);
  console.log(`ratio ours / native: fastest ${(ours.best.usPerVarbind / native.best.usPerVarbind).toFixed(2)}x, ` +
    `median of paired runs ${paired[paired.length >> 1].toFixed(2)}x  (goal <= 1.5x)`);

  console.log('\nsnmpd\'s largest native subtrees (one walk each):');
  for (const [prefix] of topSubtrees(native.best.stdout).slice(0, quick(6, 2))) {
    const w = await walkOnce(snmpd, prefix);
    console.log(`  ${prefix.padEnd(22)} ${String(w.varbinds).padStart(6)} varbinds  ${w.usPerVarbind.toFixed(1).padStart(7)} us/varbind`);
  }

  const part = (name) => Array.from(stats[name].subarray(0, stats.count));
  const [js, write, outside] = [part('js'), part('write'), part('outside')];
  const us = (ms) => (ms * 1000).toFixed(1).padStart(6);
  const pdus = Math.ceil((view.size + 1) / REPS);
  const nativePdus = Math.ceil((native.best.varbinds + 1) / REPS);
  console.log(`\nAgentX round trips (all ${RUNS} runs): ${requests} requests for ${view.size * RUNS} varbinds ` +
    `(${((view.size * RUNS) / requests).toFixed(2)} varbinds per request: snmpd sends one GetNext per repetition)`);
  console.log(`  per SNMP GetBulk PDU (manager side): ours ${us(ours.totalMs / (pdus * RUNS))} us, native ${us(native.totalMs / (nativePdus * RUNS))} us`);
  console.log(`  per AgentX request (manager side):   ${us(ours.totalMs / requests)} us, of which`);
  console.log(`                                        median   mean (us)`);
  console.log(`    our JS: decode + lookup + encode   ${us(median(js))} ${us(mean(js))}`);
  console.log(`      of which the MIB view getNext             ${us(lookups.ms / lookups.count)}`);
  console.log(`    our socket.write call              ${us(median(write))} ${us(mean(write))}`);
  console.log(`    outside: socket + snmpd (+ UDP)    ${us(median(outside))} ${us(mean(outside))}`);
} finally {
  await session?.stop().catch(() => {});
  await snmpd?.stop();
  rmSync(dir, { recursive: true, force: true });
}
