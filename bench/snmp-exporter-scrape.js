// What a Prometheus scrape of the linux_bonding module costs: Debian's
// prometheus-snmp-exporter with examples/prometheus/snmp.yml scrapes the
// 01-all-up capture (8 bonds, 15 slaves) through snmpd + bonding-agentx and
// through the standalone agent. Prints the series per scrape, the SNMP
// packets and varbinds, and the exporter's own snmp_scrape_duration_seconds
// (median, min, max over --scrapes).
//
// Usage (after npm run build):  node bench/snmp-exporter-scrape.js [--scrapes 50]
// Needs the Debian packages snmpd, snmp and prometheus-snmp-exporter.
// Quick mode (BENCH_QUICK=1): 3 scrapes of each agent.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { freeUdpPort } from '../dist/net/free-port.js';
import { findBinary, percentile, run, startSnmpd } from './lib/net-snmp.js';
import { quick } from './lib/quick.js';

const { values } = parseArgs({ options: { scrapes: { type: 'string', default: quick('50', '3') } } });
const SCRAPES = Number(values.scrapes);
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const CAPTURE = join(REPO, 'test', 'fixtures', 'kernel-6.1-debian', '01-all-up');
const BIN = join(REPO, 'bin', 'bonding-agentx.js');
const roots = ['--sysfs', join(CAPTURE, 'sys'), '--procfs', join(CAPTURE, 'proc'), '--no-link-events', '--poll-interval', '3600'];

const children = [];
function start(file, args) {
  const child = spawn(file, args, { stdio: 'ignore' });
  children.push(child);
  return child;
}
async function stopAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}

async function freeTcpPort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function until(what, check) {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not ready within 20 s`);
    await sleep(100);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'bench-snmp-exporter-'));
try {
  const snmpd = await startSnmpd(join(dir, 'snmpd'));
  start(process.execPath, [BIN, 'run', '--agentx-socket', snmpd.master, ...roots, '--log-level', 'warn']);
  const standalonePort = await freeUdpPort();
  start(process.execPath, [BIN, 'run', '--standalone', `udp:127.0.0.1:${standalonePort}`, '--community', 'public', ...roots, '--state-dir', join(dir, 'state'), '--log-level', 'warn']);
  const webPort = await freeTcpPort();
  start(findBinary('prometheus-snmp-exporter'), [
    `--config.file=${join(REPO, 'examples', 'prometheus', 'snmp.yml')}`,
    `--web.listen-address=127.0.0.1:${webPort}`,
    '--log.level=warn',
  ]);
  const bondCount = (target) =>
    run('snmpget', ['-v2c', '-c', 'public', '-Oqv', '-t', '0.5', '-r', '0', target, '1.3.6.1.4.1.8072.9999.9999.8023.1.1.2.0'], snmpd.clientEnv).then(
      (r) => r.stdout.trim() === '8',
      () => false,
    );
  await until('the AgentX agent', () => bondCount(snmpd.target));
  await until('the standalone agent', () => bondCount(`127.0.0.1:${standalonePort}`));
  await until('snmp_exporter', () => fetch(`http://127.0.0.1:${webPort}/metrics`).then((r) => r.ok, () => false));

  for (const [name, target] of [['snmpd + AgentX', snmpd.target], ['standalone', `127.0.0.1:${standalonePort}`]]) {
    const ms = [];
    let last = '';
    for (let i = 0; i < SCRAPES; i++) {
      const r = await fetch(`http://127.0.0.1:${webPort}/snmp?module=linux_bonding&target=${target}`);
      last = await r.text();
      if (r.status !== 200) throw new Error(`scrape of ${target}: ${r.status} ${last}`);
      ms.push(Number(/^snmp_scrape_duration_seconds (\S+)$/m.exec(last)[1]) * 1000);
    }
    const value = (metric) => /^(\S+) (\S+)$/m.exec(last.split('\n').find((l) => l.startsWith(`${metric} `)) ?? '')?.[2];
    const series = last.split('\n').filter((l) => l.startsWith('bond')).length;
    console.log(
      `${name}: ${series} series, ${value('snmp_scrape_packets_sent')} packets, ${value('snmp_scrape_pdus_returned')} varbinds; ` +
        `scrape ${percentile(ms, 0.5).toFixed(1)} ms median (${Math.min(...ms).toFixed(1)}–${Math.max(...ms).toFixed(1)}) over ${SCRAPES}`,
    );
  }
  await snmpd.stop();
} finally {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
}
