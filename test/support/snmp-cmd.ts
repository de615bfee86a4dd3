import { execFile } from 'node:child_process';
import { clientEnv, findBinary } from './binaries.js';

export type SnmpCommand = 'snmpget' | 'snmpgetnext' | 'snmpwalk' | 'snmpbulkwalk' | 'snmpbulkget' | 'snmpset' | 'snmptrap';

export interface SnmpCmdResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit code; null when the tool was killed (see `timedOut`). */
  readonly code: number | null;
  readonly timedOut: boolean;
}

export interface SnmpCmdOptions {
  /** Hard bound on the whole command; the tool is killed after it. Default 30 s. */
  readonly killAfterMs?: number;
}

/**
 * Runs one Net-SNMP command-line tool. Arguments are passed as given, after
 * defaults of -t 2 -r 1 (so a dead agent costs seconds, not minutes); a -t or
 * -r in `args` overrides them. Never throws on a non-zero exit: tests look at
 * `code` and `stderr`.
 */
export function snmpCmd(command: SnmpCommand, args: readonly string[], options: SnmpCmdOptions = {}): Promise<SnmpCmdResult> {
  const file = findBinary(command);
  const killAfterMs = options.killAfterMs ?? 30_000;
  return new Promise((resolve) => {
    execFile(
      file,
      ['-t', '2', '-r', '1', ...args],
      { env: clientEnv(), timeout: killAfterMs, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const err = error as (Error & { code?: number | string; killed?: boolean }) | null;
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
        resolve({ stdout, stderr, code, timedOut: err?.killed === true });
      },
    );
  });
}
