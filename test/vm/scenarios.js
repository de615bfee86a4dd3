// The scenario driver, run INSIDE the test VM by run-scenarios.sh with snmpd
// and snmptrapd already up. One long-lived process: under emulation every
// process start costs tens of milliseconds to seconds.
//
// This first scenario proves the loop: a real bonding driver fails over, the
// master agent answers, its notifications reach snmptrapd. The agent's own
// checks are added around it.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ipBatch, readKernelFile, setLinkUp, sysNet, waitFor } from './lib/net.js';
import { readNotifications } from './lib/traps.js';

const env = (/** @type {string} */ name) => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set: run this through run-scenarios.sh`);
  return value;
};
const snmpdTarget = env('VM_SNMPD_TARGET');
const trapLog = env('VM_TRAP_LOG');
const resultsDir = process.env.VM_RESULTS ?? env('VM_SCENARIO_DIR');

const IF_DESCR = '1.3.6.1.2.1.2.2.1.2';
const COLD_START = '1.3.6.1.6.3.1.1.5.1';

/** @type {{ name: string, ok: boolean, detail?: string, figures?: Record<string, number> }[]} */
const checks = [];
/**
 * @param {string} name
 * @param {() => Promise<Record<string, number> | void> | Record<string, number> | void} body
 */
async function check(name, body) {
  const started = performance.now();
  try {
    const figures = (await body()) ?? {};
    checks.push({ name, ok: true, figures: { ...figures, elapsedMs: round(performance.now() - started) } });
    process.stdout.write(`ok   ${name} ${JSON.stringify(figures)}\n`);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    checks.push({ name, ok: false, detail });
    process.stdout.write(`FAIL ${name}: ${detail}\n`);
  }
}
const round = (/** @type {number} */ ms) => Math.round(ms * 10) / 10;

/** @param {string} bond @returns {string | undefined} procfs' idea of the active slave */
function procActiveSlave(bond) {
  const text = readKernelFile(`/proc/net/bonding/${bond}`) ?? '';
  return /^Currently Active Slave: (.*)$/m.exec(text)?.[1];
}

/** @param {string} oid @returns {string} the value alone */
function snmpget(oid) {
  return execFileSync('snmpget', ['-m', '', '-v2c', '-c', 'public', '-On', '-Oqv', '-t', '2', '-r', '1', snmpdTarget, oid],
    { encoding: 'utf8' }).trim();
}

await check('snmpd answers and sent coldStart to snmptrapd', async () => {
  const started = performance.now();
  await waitFor(() => readNotifications(trapLog).some((n) => n.trapOid === COLD_START), 30_000, 'coldStart at snmptrapd', 100);
  return { coldStartWaitMs: round(performance.now() - started) };
});

await check('active-backup bond over veth: failover on the active slave\'s link loss', async () => {
  ipBatch([
    'link add bond0 type bond mode active-backup miimon 100',
    'link add eth0 type veth peer name p0',
    'link add eth1 type veth peer name p1',
    'link set p0 up', 'link set p1 up',
    'link set eth0 master bond0', 'link set eth1 master bond0',
    'link set bond0 type bond primary eth0',
    'link set bond0 up',
  ]);
  await waitFor(() => procActiveSlave('bond0') === 'eth0' && sysNet('eth1', 'bonding_slave/mii_status') === 'up',
    10_000, 'bond0 up on eth0');

  const before = performance.now();
  setLinkUp('p0', false);
  const linkDown = performance.now();
  await waitFor(() => procActiveSlave('bond0') === 'eth1', 10_000, 'procfs to show eth1 active', 1);
  const seen = performance.now();
  if (sysNet('bond0', 'bonding/active_slave') !== 'eth1') throw new Error('sysfs disagrees with procfs on the active slave');
  if (sysNet('eth0', 'bonding_slave/mii_status') !== 'down') throw new Error('eth0 is not reported down');
  if (sysNet('p0', 'operstate') !== 'down') throw new Error('p0 is not down');
  return {
    // miimon 100: the driver looks at the link every 100 ms, so expect up to that plus the poll.
    failoverFromLinkDownMs: round(seen - linkDown),
    linkDownWriteMs: round(linkDown - before),
  };
});

await check('primary returns when its link comes back', async () => {
  const before = performance.now();
  setLinkUp('p0', true);
  await waitFor(() => procActiveSlave('bond0') === 'eth0', 10_000, 'eth0 active again', 1);
  return { returnToPrimaryMs: round(performance.now() - before) };
});

await check('failover latency over 10 rounds', async () => {
  /** @type {number[]} */
  const samples = [];
  for (let i = 0; i < 10; i++) {
    const down = performance.now();
    setLinkUp('p0', false);
    await waitFor(() => procActiveSlave('bond0') === 'eth1', 10_000, `round ${i}: eth1 active`, 1);
    samples.push(performance.now() - down);
    setLinkUp('p0', true);
    await waitFor(() => procActiveSlave('bond0') === 'eth0', 10_000, `round ${i}: eth0 active again`, 1);
  }
  samples.sort((a, b) => a - b);
  return {
    minMs: round(samples[0] ?? NaN),
    medianMs: round(samples[Math.floor(samples.length / 2)] ?? NaN),
    maxMs: round(samples[samples.length - 1] ?? NaN),
  };
});

await check('IF-MIB::ifDescr.<bond0 ifindex> from the same snmpd is bond0', async () => {
  const ifindex = sysNet('bond0', 'ifindex');
  const started = performance.now();
  // snmpd caches its interface table for a few seconds: a new bond shows up late.
  let descr = '';
  await waitFor(() => {
    descr = snmpget(`${IF_DESCR}.${ifindex}`).replace(/^"|"$/g, '');
    return descr === 'bond0';
  }, 30_000, `ifDescr.${ifindex} to be bond0 (last seen: ${descr})`, 500);
  return { ifDescrWaitMs: round(performance.now() - started) };
});

const result = {
  kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
  ok: checks.every((c) => c.ok),
  checks,
};
writeFileSync(join(resultsDir, 'scenarios.json'), `${JSON.stringify(result, null, 2)}\n`);
process.exitCode = result.ok ? 0 : 1;
