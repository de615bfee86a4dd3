import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { daemonEnv, findBinary } from '../support/binaries.js';
import { spawnManaged, type ManagedProcess } from '../support/managed-process.js';
import { freeUdpPort, parseTrapLog, snmpCmd, type ReceivedNotification } from '../support/net-snmp.js';

export interface V3TrapUser {
  readonly name: string;
  readonly engineId: string;
  readonly authProtocol: 'SHA' | 'SHA-256';
  readonly authKey: string;
  readonly privProtocol: 'AES';
  readonly privKey: string;
}

export interface RunningV3Trapd {
  readonly target: string;
  received(): readonly ReceivedNotification[];
  stop(): Promise<void>;
}

const PROBE_TRAP_OID = '1.3.6.1.4.1.8072.9999.9999.0.43';
const FORMAT = 'TRAP\t%b\t%V\t%v\tEND\n';

const readText = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/**
 * snmptrapd that accepts SNMPv3 authPriv notifications from one user of one
 * engine only (no community, authorization on): what an NMS configured for a
 * v3 agent does.
 */
export async function startV3Trapd(user: V3TrapUser): Promise<RunningV3Trapd> {
  const dir = mkdtempSync(join(tmpdir(), 'snmptrapd-v3-'));
  mkdirSync(join(dir, 'persist'));
  const conf = join(dir, 'snmptrapd.conf');
  const logFile = join(dir, 'traps.log');
  writeFileSync(
    conf,
    `createUser -e 0x${user.engineId} ${user.name} ${user.authProtocol} ${user.authKey} ${user.privProtocol} ${user.privKey}\n` +
      `authUser log ${user.name} authPriv\ndontLogTCPWrappersConnects yes\n`,
  );
  const port = await freeUdpPort();
  const proc: ManagedProcess = await spawnManaged(
    findBinary('snmptrapd'),
    ['-f', '-C', '-c', conf, '-m', '', '-On', '-Ox', '-Lf', logFile, '-p', join(dir, 'pid'), '-F', FORMAT, `udp:127.0.0.1:${port}`],
    daemonEnv(dir),
  );
  const target = `127.0.0.1:${port}`;
  const received = () => parseTrapLog(readText(logFile)).filter((n) => n.trapOid !== PROBE_TRAP_OID);
  const stop = async () => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (!proc.isRunning() || Date.now() > deadline) {
      const out = proc.output() + readText(logFile);
      await stop();
      throw new Error(`snmptrapd (v3) did not log a probe:\n${out}`);
    }
    await snmpCmd('snmptrap', [
      '-v3', '-e', `0x${user.engineId}`, '-u', user.name, '-l', 'authPriv', '-a', user.authProtocol, '-A', user.authKey,
      '-x', user.privProtocol, '-X', user.privKey, target, '', PROBE_TRAP_OID,
    ]);
    await sleep(100);
    if (parseTrapLog(readText(logFile)).some((n) => n.trapOid === PROBE_TRAP_OID)) break;
  }
  return { target, received, stop };
}
