/**
 * Debian's snmpd as a reference SNMPv3 agent that keeps its engine state as
 * an installed one does (its engine ID and engineBoots in its persistent
 * directory, boots + 1 at every start), in a temp dir, on loopback, SNMP only
 * (no AgentX master, no SMUX). test/support's snmpd runs with -C, which also
 * skips the persistent file: a new engine at every restart.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnManaged, type ManagedProcess } from '../support/managed-process.js';
import { findBinary, snmpCmd } from '../support/net-snmp.js';
import { onFreeUdpPort } from '../support/snmpd.js';

export interface ReferenceSnmpd {
  readonly port: number;
  readonly target: string;
  /** SIGTERM (snmpd saves its state), then the same configuration on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts snmpd with `conf` (snmpd.conf lines) and waits until it answers `probe` (snmpget arguments without the target). */
export async function startReferenceSnmpd(conf: readonly string[], probe: readonly string[]): Promise<ReferenceSnmpd> {
  const dir = mkdtempSync(join(tmpdir(), 'snmpd-reference-'));
  const persist = join(dir, 'persist');
  mkdirSync(persist);
  writeFileSync(join(dir, 'snmpd.conf'), `${[...conf, 'dontLogTCPWrappersConnects yes'].join('\n')}\n`);
  const log = join(dir, 'snmpd.log');
  const readLog = () => {
    try {
      return readFileSync(log, 'utf8');
    } catch {
      return '';
    }
  };
  // Its configuration directory and then its persistent one, as snmpd reads /etc/snmp and /var/lib/snmp.
  const env = { ...process.env, SNMPCONFPATH: `${dir}:${persist}`, SNMP_PERSISTENT_DIR: persist };

  const launch = async (port: number): Promise<ManagedProcess> => {
    const proc = await spawnManaged(findBinary('snmpd'), ['-f', '-m', '', '-I', '-smux', '-Lf', log, '-p', join(dir, 'pid'), `udp:127.0.0.1:${port}`], env);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && proc.isRunning()) {
      const r = await snmpCmd('snmpget', ['-t', '0.5', '-r', '0', ...probe, `127.0.0.1:${port}`, '1.3.6.1.2.1.1.3.0']);
      if (r.code === 0) return proc;
      await sleep(100);
    }
    await proc.stop();
    throw new Error(`reference snmpd did not answer on 127.0.0.1:${port}\n${proc.output()}${readLog()}`);
  };

  const { port, proc } = await onFreeUdpPort(launch, readLog, () => rmSync(log, { force: true }), () => rmSync(dir, { recursive: true, force: true }));
  let current = proc;
  return {
    port,
    target: `127.0.0.1:${port}`,
    restart: async () => {
      await current.stop();
      current = await launch(port);
    },
    stop: async () => {
      await current.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
