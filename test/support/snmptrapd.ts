import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { daemonEnv, findBinary } from './binaries.js';
import { freeUdpPort } from '../../src/net/free-port.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import { snmpCmd } from './snmp-cmd.js';
import { parseVarBindText, type TextVarBind } from './varbind-text.js';

/** An SNMPv2 notification as snmptrapd logged it. */
export interface ReceivedNotification {
  /** snmpTrapOID.0, dotted numeric. */
  readonly trapOid: string;
  /** sysUpTime.0 in hundredths, when present. */
  readonly uptime: number | undefined;
  /** The varbinds after sysUpTime.0 and snmpTrapOID.0. */
  readonly varbinds: readonly TextVarBind[];
  /** Every varbind as received, sysUpTime.0 and snmpTrapOID.0 included. */
  readonly all: readonly TextVarBind[];
  /** snmptrapd's %b: transport and address of the sender. */
  readonly source: string;
}

export interface RunningSnmptrapd {
  readonly port: number;
  /** `127.0.0.1:<port>` */
  readonly target: string;
  readonly dir: string;
  readonly pid: number;
  /** Every notification received so far, oldest first (our readiness probes left out). */
  received(): readonly ReceivedNotification[];
  /** The first received notification that satisfies `predicate`; rejects after `timeoutMs` listing what came. */
  waitFor(predicate: (n: ReceivedNotification) => boolean, timeoutMs?: number): Promise<ReceivedNotification>;
  stop(): Promise<void>;
}

const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';
/** Under netSnmpExperimental: nothing real sends it. */
const PROBE_TRAP_OID = '1.3.6.1.4.1.8072.9999.9999.0.42';
// One record per notification: varbinds separated by a tab (%V), an END
// marker so a half-written record is never parsed; -Ox keeps strings as hex,
// so no value contains a tab or "END".
const FORMAT = 'TRAP\t%b\t%V\t%v\tEND\n';

/** Starts snmptrapd on a loopback UDP port in a temp dir, accepting every v1/v2c notification. */
export async function startSnmptrapd(options: { readonly startTimeoutMs?: number } = {}): Promise<RunningSnmptrapd> {
  const dir = mkdtempSync(join(tmpdir(), 'snmptrapd-'));
  mkdirSync(join(dir, 'persist'));
  const conf = join(dir, 'snmptrapd.conf');
  const logFile = join(dir, 'traps.log');
  writeFileSync(conf, 'disableAuthorization yes\ndontLogTCPWrappersConnects yes\n');
  const binary = findBinary('snmptrapd');

  let port = 0;
  let proc: ManagedProcess | undefined;
  for (let attempt = 1; proc === undefined; attempt++) {
    port = await freeUdpPort();
    rmSync(logFile, { force: true });
    const args = ['-f', '-C', '-c', conf, '-m', '', '-On', '-Ox', '-Lf', logFile, '-p', join(dir, 'snmptrapd.pid'), '-F', FORMAT];
    const candidate = await spawnManaged(binary, [...args, `udp:127.0.0.1:${port}`], daemonEnv(dir));
    try {
      await waitForProbe(candidate, port, logFile, options.startTimeoutMs ?? 15_000);
      proc = candidate;
    } catch (err) {
      await candidate.stop();
      if (attempt >= 5 || !/Error opening specified endpoint|Address already in use/.test(readText(logFile) + candidate.output())) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }

  const running = proc;
  const received = (): ReceivedNotification[] => parseTrapLog(readText(logFile)).filter((n) => n.trapOid !== PROBE_TRAP_OID);
  return {
    port,
    target: `127.0.0.1:${port}`,
    dir,
    pid: running.pid,
    received,
    waitFor: async (predicate, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = received().find(predicate);
        if (hit !== undefined) return hit;
        if (Date.now() >= deadline) {
          throw new Error(`no matching notification within ${timeoutMs} ms; received: ${JSON.stringify(received(), replacer)}`);
        }
        await sleep(25);
      }
    },
    stop: async () => {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Parses complete records of snmptrapd's log written with FORMAT. */
export function parseTrapLog(text: string): ReceivedNotification[] {
  const out: ReceivedNotification[] = [];
  for (const record of text.split(/^TRAP\t/m).slice(1)) {
    const end = record.indexOf('\tEND\n');
    if (end < 0) continue; // still being written
    // Hex strings wrap every 16 bytes; the line breaks are not part of the value.
    const [source = '', ...items] = record.slice(0, end).replace(/\n/g, ' ').split('\t');
    const all = items.filter((i) => i.trim() !== '').map(parseVarBindText);
    const uptime = all.find((vb) => vb.oid === SYS_UPTIME);
    out.push({
      trapOid: all.find((vb) => vb.oid === SNMP_TRAP_OID)?.text ?? '',
      uptime: uptime === undefined ? undefined : Number(uptime.text),
      varbinds: all.filter((vb) => vb.oid !== SYS_UPTIME && vb.oid !== SNMP_TRAP_OID),
      all,
      source,
    });
  }
  return out;
}

/** Sends probe notifications until one shows in the log: then snmptrapd listens and logs. */
async function waitForProbe(proc: ManagedProcess, port: number, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!proc.isRunning()) throw new Error(`snmptrapd exited with ${await proc.exited}\n${proc.output()}${readText(logFile)}`);
    await snmpCmd('snmptrap', ['-v2c', '-c', 'public', `127.0.0.1:${port}`, '', PROBE_TRAP_OID]);
    for (let i = 0; i < 8; i++) {
      if (parseTrapLog(readText(logFile)).some((n) => n.trapOid === PROBE_TRAP_OID)) return;
      await sleep(25);
    }
  }
  throw new Error(`snmptrapd on 127.0.0.1:${port} logged no probe within ${timeoutMs} ms\n${proc.output()}${readText(logFile)}`);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function replacer(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value;
}
