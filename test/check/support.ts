/**
 * Helpers for the check's tests: models made by hand, edited copies of the
 * real captures, and the command run in-process with its output collected.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCommand } from '../../src/commands/check.js';
import type { CheckBond, CheckSlave } from '../../src/check/model.js';
import type { Roots } from '../../src/bonding/index.js';
import { FIXTURES } from '../bonding/fixture-roots.js';

export const CAPTURES = join(FIXTURES, 'kernel-6.1-debian');

export function slave(name: string, fields: Partial<CheckSlave> = {}): CheckSlave {
  return { name, miiStatus: 'up', state: 'active', linkFailureCount: 0, speedMbps: 10000, aggregatorId: undefined, ...fields };
}

export function bond(name: string, slaves: readonly CheckSlave[], fields: Partial<CheckBond> = {}): CheckBond {
  return {
    name,
    mode: 'balance-rr',
    miiStatus: 'up',
    activeSlave: undefined,
    primary: undefined,
    activeAggregator: undefined,
    failoverCount: undefined,
    slaves,
    ...fields,
  };
}

export interface CheckRun {
  readonly code: number;
  readonly stdout: string;
  readonly first: string;
  /** The summary: the first line without "BONDING STATE - " and the perf data. */
  readonly summary: string;
  readonly perf: string;
  readonly long: readonly string[];
}

/** `bonding-agentx check ARGS` in this process. A plugin writes nothing on stderr: that is asserted. */
export async function check(args: readonly string[]): Promise<CheckRun> {
  let stdout = '';
  let stderr = '';
  const code = await checkCommand(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  if (stderr !== '') throw new Error(`check wrote on stderr: ${stderr}`);
  const [first = '', ...rest] = stdout.replace(/\n$/, '').split('\n');
  const m = /^BONDING [A-Z]+ - (.*?)(?: \| (.*))?$/.exec(first);
  return { code, stdout, first, summary: m?.[1] ?? '', perf: m?.[2] ?? '', long: rest };
}

export const rootArgs = (roots: Roots): string[] => ['--sysfs', roots.sysfs, '--procfs', roots.procfs];

/** Roots of a capture state, privileged procfs or the unprivileged one. */
export function captureRoots(state: string, proc: 'proc' | 'proc-unprivileged' = 'proc'): Roots {
  return { sysfs: join(CAPTURES, state, 'sys'), procfs: join(CAPTURES, state, proc) };
}

/** An edited copy of a capture: `edit` gets paths relative to the state directory. */
export class EditedTree {
  readonly dir: string;

  constructor(state: string, readonly proc: 'proc' | 'proc-unprivileged' = 'proc') {
    this.dir = mkdtempSync(join(tmpdir(), 'bonding-check-tree-'));
    cpSync(join(CAPTURES, state), this.dir, { recursive: true });
  }

  get roots(): Roots {
    return { sysfs: join(this.dir, 'sys'), procfs: join(this.dir, this.proc) };
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), 'utf8');
  }

  write(path: string, text: string): this {
    writeFileSync(join(this.dir, path), text);
    return this;
  }

  /** Replaces `from` (which must be there) in a file. */
  replace(path: string, from: string | RegExp, to: string): this {
    const text = this.read(path);
    const next = text.replace(from, to);
    if (next === text) throw new Error(`${path}: ${String(from)} not found`);
    return this.write(path, next);
  }

  /** procfs file of a bond in the procfs variant this tree uses. */
  procFile(bond: string): string {
    return join(this.proc, 'net', 'bonding', bond);
  }

  sysFile(...path: string[]): string {
    return join('sys', 'class', 'net', ...path);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
