/**
 * snmptrapd with the project's Zabbix trap receiver
 * (examples/zabbix/zabbix-trap-receiver.pl, snmptrapd's embedded Perl) and
 * the snmptrapd.conf lines the README gives, writing to a Zabbix
 * SNMPTrapperFile. On loopback, in its own temp dir.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { daemonEnv, findBinary } from '../support/binaries.js';
import { REPO } from '../support/fixture-host.js';
import { freeUdpPort, snmpCmd } from '../support/net-snmp.js';
import { spawnOwned, type OwnedProcess } from './owned-process.js';

export const RECEIVER = join(REPO, 'examples', 'zabbix', 'zabbix-trap-receiver.pl');
/**
 * For the command-line tools: our MIB, net-snmp's npm copies of the base MIBs
 * (Debian's are non-free), Net-SNMP's own. snmptrapd itself loads none, as
 * on a stock Debian host: the receiver names our objects itself.
 */
export const MIB_DIRS = [join(REPO, 'mibs'), join(REPO, 'node_modules', 'net-snmp', 'lib', 'mibs'), '/usr/share/snmp/mibs'].join(':');
export const MIB_ARGS = ['-M', MIB_DIRS, '-m', 'SNMPv2-MIB:LINUX-BONDING-MIB'];
/** Under netSnmpExperimental: nothing real sends it. */
const PROBE_TRAP_OID = '1.3.6.1.4.1.8072.9999.9999.0.42';
const PROBE_TEXT = 'zabbix-trap-receiver-probe';

export interface ZabbixTrapReceiver {
  /** Zabbix's SNMPTrapperFile, where the receiver appends (its directory is readable by all). */
  readonly trapFile: string;
  readonly port: number;
  readonly target: string;
  readonly process: OwnedProcess;
  stop(): Promise<void>;
}

export async function startZabbixTrapReceiver(): Promise<ZabbixTrapReceiver> {
  const dir = mkdtempSync(join(tmpdir(), 'snmptrapd-zabbix-'));
  chmodSync(dir, 0o755); // zabbix_server (as zabbix) reads the trap file
  mkdirSync(join(dir, 'persist'));
  const trapFile = join(dir, 'snmptraps.log');
  const conf = join(dir, 'snmptrapd.conf');
  writeFileSync(
    conf,
    [
      'authCommunity log,execute public',
      `perl $main::ZabbixTrapFile = "${trapFile}";`,
      `perl do "${RECEIVER}";`,
      'dontLogTCPWrappersConnects yes',
      '',
    ].join('\n'),
  );
  const binary = findBinary('snmptrapd');
  const read = (): string => {
    try {
      return readFileSync(trapFile, 'utf8');
    } catch {
      return '';
    }
  };
  for (let attempt = 1; ; attempt++) {
    const port = await freeUdpPort();
    const proc = await spawnOwned(
      binary,
      ['-f', '-C', '-c', conf, '-m', '', '-Lf', join(dir, 'snmptrapd.log'), '-p', join(dir, 'snmptrapd.pid'), `udp:127.0.0.1:${port}`],
      { env: daemonEnv(dir) },
    );
    // Ready when a probe went through the receiver into the trap file.
    for (const deadline = Date.now() + 15_000; proc.isRunning() && Date.now() < deadline; ) {
      await snmpCmd('snmptrap', ['-v2c', '-c', 'public', `127.0.0.1:${port}`, '', PROBE_TRAP_OID, `${PROBE_TRAP_OID}.1`, 's', PROBE_TEXT]);
      for (let i = 0; i < 10 && !read().includes(PROBE_TEXT); i++) await sleep(30);
      if (read().includes(PROBE_TEXT)) {
        chmodSync(trapFile, 0o644);
        return {
          trapFile,
          port,
          target: `127.0.0.1:${port}`,
          process: proc,
          stop: async () => {
            await proc.stop();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      }
    }
    const log = proc.output() + readLog(join(dir, 'snmptrapd.log'));
    await proc.stop();
    if (attempt >= 3 || !/Address already in use|Error opening specified endpoint/.test(log)) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`snmptrapd with ${RECEIVER} wrote no probe to ${trapFile} (Debian: libsnmp-perl provides NetSNMP::TrapReceiver):\n${log}`);
    }
  }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
