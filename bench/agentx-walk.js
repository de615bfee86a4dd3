// Walks a registered subtree of >= 10,000 varbinds served by our AgentX
// subagent through a real snmpd with snmpbulkwalk, and in the same run
// snmpd's own native subtrees; prints microseconds per varbind for both, the
// ratio, and where one AgentX round trip goes.
//
// Run after `npm run build`:  node bench/agentx-walk.js [--rows 2500] [--reps 10] [--runs 3]
// Needs Debian's snmpd and snmp packages; runs unprivileged, on loopback and a
// temp dir only, and stops snmpd by PID when done.
import { execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { AgentXSession } from '../dist/agentx/index.js';
import { MibViewBuilder, MibViewHolder, integerIndex } from '../dist/mib/index.js';
import { snmp } from '../dist/snmp/index.js';

const { values: cli } = parseArgs({
  options: {
    rows: { type: 'string', default: '2500' },
    reps: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
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

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];
function findBinary(name) {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN]) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // next
    }
  }
  throw new Error(`${name} not found: install the Debian packages snmpd and snmp`);
}

function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Runs a Net-SNMP tool; resolves with its output and wall time in ms. */
function run(tool, args, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(findBinary(tool), args, { env, maxBuffer: 512 * 1024 * 1024, timeout: 300_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const ms = performance.now() - t0;
      if (err) reject(new Error(`${tool} ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve({ stdout, ms });
    });
  });
}

async function startSnmpd(dir) {
  mkdirSync(join(dir, 'persist'));
  mkdirSync(join(dir, 'client'));
  const socketPath = join(dir, 'agentx.sock');
  const port = await freeUdpPort();
  writeFileSync(
    join(dir, 'snmpd.conf'),
    [
      'master agentx',
      `agentXSocket unix:${socketPath}`,
      'agentXPerms 0660 0770',
      'agentXTimeout 5',
      'agentXRetries 1',
      'rocommunity public 127.0.0.1',
      'dontLogTCPWrappersConnects yes',
      '',
    ].join('\n'),
  );
  // Tools and daemon keep every file they write in the temp dir, even as root.
  writeFileSync(join(dir, 'client', 'snmp.conf'), `mibs :\npersistentDir ${join(dir, 'client')}\n`);
  const clientEnv = { ...process.env, SNMPCONFPATH: join(dir, 'client'), SNMP_PERSISTENT_DIR: join(dir, 'client') };
  const daemonEnv = { ...process.env, SNMPCONFPATH: dir, SNMP_PERSISTENT_DIR: join(dir, 'persist') };
  const args = ['-f', '-C', '-c', join(dir, 'snmpd.conf'), '-m', '', '-Lf', join(dir, 'snmpd.log'), '-p', join(dir, 'snmpd.pid'), `udp:127.0.0.1:${port}`];
  const child = spawn(findBinary('snmpd'), args, { env: daemonEnv, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const gone = await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]);
    if (!gone) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`snmpd exited with ${child.exitCode}; see ${dir}/snmpd.log`);
    if (existsSync(socketPath)) {
      try {
        await run('snmpget', ['-v2c', '-c', 'public', '-t', '0.5', '-r', '0', `127.0.0.1:${port}`, '1.3.6.1.2.1.1.3.0'], clientEnv);
        break;
      } catch {
        // not yet
      }
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('snmpd did not answer within 15 s');
    }
    await sleep(50);
  }
  return { port, target: `127.0.0.1:${port}`, master: `unix:${socketPath}`, clientEnv, stop };
}

// ------------------------------------------------------------ measurement

/**
 * Every 'data' event on the AgentX socket is timed from its arrival to the
 * return of our synchronous handling (decode, MIB lookup, encode, write).
 * The gap from one response written to the next request arriving is time
 * spent outside our process: the socket, snmpd, and at PDU boundaries the
 * manager's UDP round trip.
 */
function instrumentedConnect(stats) {
  return (address) => {
    const socket = connect({ path: address.path });
    const emit = socket.emit;
    socket.emit = function (event, ...args) {
      if (event !== 'data' || !stats.recording) return emit.call(this, event, ...args);
      const t0 = performance.now();
      const result = emit.call(this, event, ...args);
      const t1 = performance.now();
      if (stats.count < stats.inside.length) {
        stats.inside[stats.count] = t1 - t0;
        stats.outside[stats.count] = stats.lastEnd === undefined ? NaN : t0 - stats.lastEnd;
        stats.count++;
      }
      stats.lastEnd = t1;
      return result;
    };
    return socket;
  };
}

function newStats(capacity) {
  return { recording: false, count: 0, lastEnd: undefined, inside: new Float64Array(capacity), outside: new Float64Array(capacity) };
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

/** Walks `oid` RUNS times; returns the fastest run (least disturbed by the shared machine). */
async function walk(snmpd, oid) {
  let best;
  let totalMs = 0;
  for (let i = 0; i < RUNS; i++) {
    const { stdout, ms } = await run('snmpbulkwalk', ['-v2c', '-c', 'public', '-On', `-Cr${REPS}`, '-t', '5', '-r', '0', snmpd.target, oid], snmpd.clientEnv);
    const varbinds = countVarbinds(stdout);
    totalMs += ms;
    if (best === undefined || ms < best.ms) best = { ms, varbinds, stdout };
  }
  return { ...best, totalMs, usPerVarbind: (best.ms * 1000) / best.varbinds };
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
  console.log(`snmpd ${snmpd.target}, AgentX ${snmpd.master}; our subtree ${ROOT.join('.')}: ${view.size} varbinds; snmpbulkwalk -Cr${REPS}, best of ${RUNS}`);

  // Native first, before anything of ours is registered: everything snmpd serves itself.
  const native = await walk(snmpd, '.1');
  console.log(`\nnative (all of snmpd's own tree): ${native.varbinds} varbinds in ${native.ms.toFixed(1)} ms = ${native.usPerVarbind.toFixed(1)} us/varbind`);
  const bySubtree = topSubtrees(native.stdout).slice(0, 6);
  for (const [prefix] of bySubtree) {
    const w = await walk(snmpd, prefix);
    console.log(`  ${prefix.padEnd(22)} ${String(w.varbinds).padStart(6)} varbinds  ${w.usPerVarbind.toFixed(1).padStart(7)} us/varbind`);
  }

  const stats = newStats(200_000);
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
  session.start();
  await session.register(ROOT);

  const before = session.counters.requestsAnswered;
  stats.recording = true;
  const ours = await walk(snmpd, `.${ROOT.join('.')}`);
  stats.recording = false;
  const requests = session.counters.requestsAnswered - before;
  if (ours.varbinds !== view.size) throw new Error(`walked ${ours.varbinds} varbinds, the view holds ${view.size}`);

  const ratio = ours.usPerVarbind / native.usPerVarbind;
  console.log(`\nours (AgentX subagent):            ${ours.varbinds} varbinds in ${ours.ms.toFixed(1)} ms = ${ours.usPerVarbind.toFixed(1)} us/varbind`);
  console.log(`ratio ours / native (whole tree):  ${ratio.toFixed(2)}x  (goal <= 1.5x)`);

  const inside = Array.from(stats.inside.subarray(0, stats.count));
  const outside = Array.from(stats.outside.subarray(0, stats.count));
  const pdus = Math.ceil((ours.varbinds + 1) / REPS);
  const perRequestUs = (ours.totalMs * 1000) / requests;
  console.log(`\nAgentX round trips (all ${RUNS} runs): ${requests} requests for ${ours.varbinds * RUNS} varbinds ` +
    `(${((ours.varbinds * RUNS) / requests).toFixed(2)} varbinds per request; ~${pdus} SNMP GetBulk PDUs per walk)`);
  console.log(`  per SNMP GetBulk PDU, manager's view: ours ${((ours.totalMs * 1000) / (pdus * RUNS)).toFixed(1)} us, ` +
    `native ${((native.totalMs * 1000) / (Math.ceil((native.varbinds + 1) / REPS) * RUNS)).toFixed(1)} us`);
  console.log(`  per AgentX request, manager's view (walk time / requests): ${perRequestUs.toFixed(1)} us`);
  console.log(`  in our process (decode + MIB view + encode + write):      median ${(median(inside) * 1000).toFixed(1)} us, mean ${(mean(inside) * 1000).toFixed(1)} us`);
  console.log(`    of which MIB view getNext:                             mean ${((lookups.ms * 1000) / lookups.count).toFixed(1)} us`);
  console.log(`  outside (socket + snmpd [+ manager at PDU boundaries]):  median ${(median(outside) * 1000).toFixed(1)} us, mean ${(mean(outside) * 1000).toFixed(1)} us`);
  console.log(`  our share of a round trip: ${((100 * mean(inside)) / (mean(inside) + mean(outside))).toFixed(1)}%`);
} finally {
  await session?.stop().catch(() => {});
  await snmpd?.stop();
  rmSync(dir, { recursive: true, force: true });
}
