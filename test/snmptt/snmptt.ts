/**
 * snmptrapd handing every notification to snmptt in standalone mode
 * (`traphandle default snmptt --ini=…`), as snmptt's documentation sets it up,
 * with examples/snmptt/bonding-agentx.conf; all in a temp dir, on a loopback
 * UDP port, stopped by PID. snmptrapd runs with -On (numeric OIDs, as snmptt
 * wants them) and either no MIB (enumerations reach snmptt as numbers) or
 * LINUX-BONDING-MIB loaded (they reach it as labels).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { daemonEnv, findBinary } from '../support/binaries.js';
import { REPO } from '../support/fixture-host.js';
import { spawnManaged, type ManagedProcess } from '../support/managed-process.js';
import { freeUdpPort, snmpCmd } from '../support/net-snmp.js';

export const SNMPTT_CONF = join(REPO, 'examples', 'snmptt', 'bonding-agentx.conf');
export const MIB_DIRS = [join(REPO, 'mibs'), join(REPO, 'node_modules', 'net-snmp', 'lib', 'mibs'), '/usr/share/snmp/mibs'].join(':');
/** Under netSnmpExperimental: no EVENT matches it, so snmptt logs it as unknown. */
const PROBE_TRAP_OID = '1.3.6.1.4.1.8072.9999.9999.0.43';

/** One line of snmptt's log (its default format). */
export interface SnmpttLine {
  /** The trap OID, numeric with the leading dot. */
  readonly oid: string;
  readonly severity: string;
  readonly category: string;
  readonly host: string;
  /** The FORMAT line as snmptt wrote it. */
  readonly text: string;
}

export interface RunningSnmptt {
  readonly port: number;
  readonly target: string;
  readonly dir: string;
  readonly pid: number;
  /** The lines of snmptt's log so far. */
  lines(): SnmpttLine[];
  /** Waits until the log has at least `count` lines; returns them. */
  waitForLines(count: number, timeoutMs?: number): Promise<SnmpttLine[]>;
  stop(): Promise<void>;
}

function ini(dir: string): string {
  return [
    '[General]',
    'mode = standalone',
    'snmptt_system_name = test',
    'multiple_event = 1',
    'dns_enable = 0',
    'net_snmp_perl_enable = 0',
    'translate_integers = 1',
    'allow_unsafe_regex = 0',
    '[Logging]',
    'stdout_enable = 0',
    'log_enable = 1',
    `log_file = ${join(dir, 'snmptt.log')}`,
    'log_system_enable = 0',
    'unknown_trap_log_enable = 1',
    `unknown_trap_log_file = ${join(dir, 'snmpttunknown.log')}`,
    'syslog_enable = 0',
    'syslog_system_enable = 0',
    '[Exec]',
    'exec_enable = 0',
    'pre_exec_enable = 0',
    '[Debugging]',
    'DEBUGGING = 0',
    '[TrapFiles]',
    'snmptt_conf_files = <<END',
    SNMPTT_CONF,
    'END',
    '',
  ].join('\n');
}

const LINE = /^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} (\S+) (\S+) "([^"]*)" (\S+) - (.*)$/;

export function parseSnmpttLog(text: string): SnmpttLine[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const m = LINE.exec(l);
      if (!m) throw new Error(`not a line of snmptt's log: ${l}`);
      return { oid: m[1]!, severity: m[2]!, category: m[3]!, host: m[4]!, text: m[5]! };
    });
}

function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** Starts snmptrapd -> snmptt; waits until a probe has gone all the way through to snmptt's log of unknown traps. */
export async function startSnmptt(options: { readonly loadMib: boolean }): Promise<RunningSnmptt> {
  const snmptt = findBinary('snmptt');
  const binary = findBinary('snmptrapd');
  const dir = mkdtempSync(join(tmpdir(), 'snmptt-'));
  mkdirSync(join(dir, 'persist'));
  writeFileSync(join(dir, 'snmptt.ini'), ini(dir));
  const conf = join(dir, 'snmptrapd.conf');
  writeFileSync(conf, `disableAuthorization yes\ndontLogTCPWrappersConnects yes\ntraphandle default ${snmptt} --ini=${join(dir, 'snmptt.ini')}\n`);
  const mibArgs = options.loadMib ? ['-M', MIB_DIRS, '-m', 'LINUX-BONDING-MIB'] : ['-m', ''];
  const unknown = join(dir, 'snmpttunknown.log');
  const logFile = join(dir, 'snmptt.log');

  for (let attempt = 1; ; attempt++) {
    const port = await freeUdpPort();
    const args = ['-f', '-C', '-c', conf, '-On', ...mibArgs, '-Lf', join(dir, 'snmptrapd.log'), '-p', join(dir, 'snmptrapd.pid'), `udp:127.0.0.1:${port}`];
    const proc: ManagedProcess = await spawnManaged(binary, args, daemonEnv(dir));
    const deadline = Date.now() + 20_000;
    let ready = false;
    while (!ready && Date.now() < deadline && proc.isRunning()) {
      await snmpCmd('snmptrap', ['-v2c', '-c', 'public', `127.0.0.1:${port}`, '', PROBE_TRAP_OID]);
      for (let i = 0; i < 20 && !ready; i++) {
        ready = readText(unknown).includes(PROBE_TRAP_OID);
        if (!ready) await sleep(50);
      }
    }
    if (ready) {
      const lines = () => parseSnmpttLog(readText(logFile));
      return {
        port,
        target: `127.0.0.1:${port}`,
        dir,
        pid: proc.pid,
        lines,
        waitForLines: async (count, timeoutMs = 30_000) => {
          const until = Date.now() + timeoutMs;
          while (lines().length < count) {
            if (Date.now() > until) {
              throw new Error(`snmptt logged ${lines().length} of ${count} lines within ${timeoutMs} ms:\n${readText(logFile)}\nsnmptrapd:\n${proc.output()}`);
            }
            await sleep(50);
          }
          return lines();
        },
        stop: async () => {
          await proc.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    const output = proc.output() + readText(join(dir, 'snmptrapd.log'));
    await proc.stop();
    if (attempt >= 3 || !/Error opening specified endpoint|Address already in use/.test(output)) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`snmptrapd -> snmptt on 127.0.0.1:${port} did not get a probe through:\n${output}`);
    }
  }
}
