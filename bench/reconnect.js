// How soon the agent serves again after snmpd restarts. A real snmpd (AgentX
// master on a unix socket) and `bonding-agentx run` on the 01-all-up capture;
// snmpd is stopped (SIGTERM, every other time SIGKILL, which leaves its
// socket behind), stays away for an outage of 2 to 9 s (spread evenly, in a
// shuffled order), and starts again. Meanwhile an SNMP client asks snmpd for
// bondCount.0 every 10 ms: the first answer of any kind is snmpd back, the
// first answer with our value is our subtree back. Prints both moments' gap
// per restart, then its median and max.
//
// Usage (after npm run build):  node bench/reconnect.js [--restarts 20] [--min-outage 2] [--max-outage 9]
// Needs the Debian packages snmpd and snmp.
// Quick mode (BENCH_QUICK=1): 2 restarts, outages of 0.5 and 1 s.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import snmp from 'net-snmp';
import { percentile, startSnmpd } from './lib/net-snmp.js';
import { quick } from './lib/quick.js';

const { values } = parseArgs({
  options: {
    restarts: { type: 'string', default: quick('20', '2') },
    'min-outage': { type: 'string', default: quick('2', '0.5') },
    'max-outage': { type: 'string', default: quick('9', '1') },
  },
});
const RESTARTS = Number(values.restarts);
const MIN_S = Number(values['min-outage']);
const MAX_S = Number(values['max-outage']);
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const CAPTURE = join(REPO, 'test', 'fixtures', 'kernel-6.1-debian', '01-all-up');
const BOND_COUNT = '1.3.6.1.4.1.8072.9999.9999.8023.1.1.2.0';
const POLL_MS = 10;

/** Outages from MIN_S to MAX_S, evenly spread, in an order shuffled with a fixed seed. */
function outages() {
  const list = Array.from({ length: RESTARTS }, (_, i) => (RESTARTS === 1 ? MIN_S : MIN_S + ((MAX_S - MIN_S) * i) / (RESTARTS - 1)));
  let seed = 42;
  for (let i = list.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

/**
 * Asks for bondCount.0 every POLL_MS (each request on its own, 250 ms
 * timeout, no retry) until one is answered with our value; resolves with
 * performance.now() of the first answer of any kind and of the first with
 * our value. Rejects after `timeoutMs`.
 */
function watchAnswers(session, what, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    let anyAt;
    const started = performance.now();
    const timer = setInterval(() => {
      if (performance.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`${what}: our subtree did not answer within ${timeoutMs / 1000} s`));
        return;
      }
      session.get([BOND_COUNT], (error, varbinds) => {
        if (error) return; // a timeout: snmpd is not answering yet
        const now = performance.now();
        anyAt ??= now;
        if (!snmp.isVarbindError(varbinds[0])) {
          clearInterval(timer);
          resolve({ snmpdAt: anyAt, oursAt: now });
        }
      });
    }, POLL_MS);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'bench-reconnect-'));
let agent;
let snmpd;
let session;
try {
  snmpd = await startSnmpd(join(dir, 'snmpd'));
  agent = spawn(
    process.execPath,
    [join(REPO, 'bin', 'bonding-agentx.js'), 'run', '--agentx-socket', snmpd.master, '--sysfs', join(CAPTURE, 'sys'),
      '--procfs', join(CAPTURE, 'proc'), '--no-link-events', '--log-level', 'error'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  session = snmp.createSession(snmpd.target.split(':')[0], 'public', {
    port: snmpd.port,
    version: snmp.Version2c,
    timeout: 250,
    retries: 0,
  });
  session.on('error', () => undefined);
  await watchAnswers(session, 'start-up'); // registered
  const gaps = [];
  console.log(`reconnect after snmpd restarts: ${RESTARTS} restarts, outages ${MIN_S}-${MAX_S} s`);
  for (const [i, outage] of outages().entries()) {
    const crash = i % 2 === 1;
    await (crash ? snmpd.kill9() : snmpd.stop());
    await sleep(outage * 1000);
    snmpd.relaunch();
    const { snmpdAt, oursAt } = await watchAnswers(session, `restart ${i + 1}`);
    const gap = oursAt - snmpdAt;
    gaps.push(gap);
    console.log(`  ${String(i + 1).padStart(2)}. ${crash ? 'SIGKILL' : 'SIGTERM'}, outage ${outage.toFixed(1)} s: served again ${gap.toFixed(0).padStart(4)} ms after snmpd answered`);
    if (agent.exitCode !== null) throw new Error(`the agent exited with status ${agent.exitCode}`);
  }
  console.log(`snmpd answering -> our subtree answering: median ${percentile(gaps, 0.5).toFixed(0)} ms, max ${Math.max(...gaps).toFixed(0)} ms (n=${gaps.length})`);
} finally {
  session?.close();
  if (agent !== undefined && agent.exitCode === null) {
    agent.kill('SIGTERM');
    await new Promise((r) => agent.once('exit', r));
  }
  await snmpd?.stop();
  rmSync(dir, { recursive: true, force: true });
}
