/**
 * `bonding-agentx check`: a monitoring plugin. Reads this host's bonds (or an
 * agent's LINUX-BONDING-MIB over SNMP), judges them (src/check/judge.ts) and
 * prints the Monitoring Plugins output; the exit status is the state.
 * Whatever happens, the output is one of those, never a stack trace.
 *
 * It starts once per poll, so what only some runs need (the SNMP client, the
 * state file) is loaded when needed: every module loaded costs a check's start.
 */
import { performance } from 'node:perf_hooks';
import { missingRoot } from '../bonding/roots-check.js';
import { readLocal as readBonds } from '../check/read-local.js';
import { judge, STATE_CODE, type FailureCounts, type Verdict } from '../check/judge.js';
import type { CheckInput } from '../check/model.js';
import { CHECK_USAGE, parseCheckArgs, type CheckOptions, type RemoteTarget } from './check-options.js';
import { render, renderUnknown, withHostFinding } from '../check/output.js';
import { EXIT_OK, type CommandIo } from './command-io.js';

export { CHECK_USAGE };

const UNKNOWN = STATE_CODE.UNKNOWN;

/** Left of the timeout for writing the answer and exiting. */
const EXIT_ALLOWANCE_MS = 300;

/** A failure the check reports as UNKNOWN with this one line. */
class CheckFailure extends Error {}

/**
 * When the time given by --timeout started: this process's start when the
 * command runs in a fresh process (the CLI), so Node's own start counts too;
 * now when it runs inside a long-lived one (tests).
 */
function budgetStart(): number {
  const sinceStart = performance.now();
  return sinceStart < 5000 ? Date.now() - sinceStart : Date.now();
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

async function readLocal(options: CheckOptions & { source: { kind: 'local' } }, verbose: string[]): Promise<CheckInput> {
  const { roots } = options.source;
  const problem = missingRoot(roots);
  if (problem) throw new CheckFailure(problem);
  const t0 = performance.now();
  const input = await readBonds(roots);
  verbose.push(`read ${roots.sysfs} and ${roots.procfs}: ${input.bonds.length} bonds in ${(performance.now() - t0).toFixed(1)} ms`);
  return input;
}

function describeTarget(t: RemoteTarget): string {
  const host = t.transport === 'udp6' ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
  return `${host} (SNMP${t.auth.version === '2c' ? 'v2c' : 'v3'})`;
}

function noAnswer(target: RemoteTarget, timeoutMs: number): string {
  const hint = target.auth.version === '2c' ? 'down, filtered, or a wrong community' : 'down or filtered';
  return `no answer from ${describeTarget(target)} within ${seconds(timeoutMs)} (${hint})`;
}

function snmpFailure(target: RemoteTarget, where: string, err: unknown, timeoutMs: number, isOurs: (e: unknown) => boolean): CheckFailure {
  const e = err as Error & { code?: unknown; name?: string };
  if (e?.name === 'RequestTimedOutError') return new CheckFailure(noAnswer(target, timeoutMs));
  if (isOurs(err)) return new CheckFailure(`${where}: ${e.message}`);
  if (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return new CheckFailure(`cannot resolve ${target.host}`);
    return new CheckFailure(`${where}: cannot send: ${e.code}`);
  }
  return new CheckFailure(`${where}: ${e?.message ?? String(err)}`);
}

/** What the remote walk has got so far: said when the deadline cuts it short. */
interface Progress {
  answers: number;
}

async function readRemote(
  options: CheckOptions & { source: { kind: 'remote' } },
  remainingMs: number,
  signal: AbortSignal,
  progress: Progress,
  verbose: string[],
): Promise<CheckInput> {
  const { target } = options.source;
  const { walkBondingMib, SnmpCheckError } = await import('../check/snmp-walk.js');
  const { checkInputOfWalk } = await import('../check/from-walk.js');
  const where = describeTarget(target);
  const t0 = performance.now();
  // Three tries (retries 2) fit in what is left; the deadline still bounds the whole walk.
  const requestTimeoutMs = Math.max(100, Math.min(5000, Math.floor(remainingMs / 3)));
  let walk;
  try {
    walk = await walkBondingMib(target, requestTimeoutMs, signal, () => progress.answers++);
  } catch (err) {
    if (signal.aborted) throw err;
    throw snmpFailure(target, where, err, options.timeoutMs, (e) => e instanceof SnmpCheckError);
  }
  verbose.push(`walked ${where}: ${walk.varbinds.length} varbinds in ${walk.requests} requests, ${(performance.now() - t0).toFixed(1)} ms`);
  const input = checkInputOfWalk(walk.varbinds);
  if (walk.bondCount !== input.bonds.length) {
    return { ...input, notes: [...input.notes, `bondCount.0 is ${walk.bondCount}, the walk found ${input.bonds.length} bonds (changed meanwhile?)`] };
  }
  return input;
}

async function withStateFile(file: string, judgeWith: (previous?: FailureCounts) => Verdict, notes: string[], verbose: string[]): Promise<Verdict> {
  const { countsOf, loadCounts, saveCounts } = await import('../check/state-file.js');
  const loaded = await loadCounts(file);
  if (loaded.kind === 'unreadable') notes.push(`state file ${file} ${loaded.reason}: started over`);
  if (loaded.kind === 'none') verbose.push(`state file ${file}: first run, nothing to compare with`);
  else if (loaded.kind === 'counts') verbose.push(`state file ${file}: compared with the last run`);
  let verdict = judgeWith(loaded.kind === 'counts' ? loaded.counts : undefined);
  try {
    // The bonds this check judged (--bond/--exclude): the file belongs to this one service.
    await saveCounts(file, countsOf(verdict.bonds.flatMap((v) => (v.bond ? [v.bond] : []))));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    verdict = withHostFinding(verdict, { rule: 'stateFile', state: 'UNKNOWN', text: `cannot write state file ${file}: ${code}` });
  }
  return verdict;
}

async function runCheck(options: CheckOptions, deadline: number, signal: AbortSignal, progress: Progress, io: CommandIo): Promise<number> {
  const verbose: string[] = [];
  const input =
    options.source.kind === 'local'
      ? await readLocal(options as CheckOptions & { source: { kind: 'local' } }, verbose)
      : await readRemote(options as CheckOptions & { source: { kind: 'remote' } }, deadline - Date.now(), signal, progress, verbose);
  if (signal.aborted) throw signal.reason;
  const notes = [...input.notes];
  const judgeWith = (previous?: FailureCounts) => judge(input, options.judge, previous);
  const verdict = options.stateFile === undefined ? judgeWith() : await withStateFile(options.stateFile, judgeWith, notes, verbose);
  if (signal.aborted) throw signal.reason;
  io.stdout(render(verdict, options.verbose ? [...notes, ...verbose] : notes));
  return STATE_CODE[verdict.state];
}

export async function checkCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const started = budgetStart();
  const parsed = parseCheckArgs(args);
  if (parsed.kind === 'help') {
    io.stdout(CHECK_USAGE);
    return EXIT_OK;
  }
  if (parsed.kind === 'error') {
    io.stdout(renderUnknown(`${parsed.message} (see bonding-agentx check --help)`));
    return UNKNOWN;
  }
  const { options } = parsed;
  const deadline = started + options.timeoutMs - Math.min(EXIT_ALLOWANCE_MS, options.timeoutMs / 10);
  const controller = new AbortController();
  const progress: Progress = { answers: 0 };
  const { source } = options;
  const tooLate = (): string => {
    if (source.kind === 'local') return `reading ${source.roots.sysfs} and ${source.roots.procfs} took longer than ${seconds(options.timeoutMs)}`;
    if (progress.answers === 0) return noAnswer(source.target, options.timeoutMs);
    return `${describeTarget(source.target)}: the walk took longer than ${seconds(options.timeoutMs)} (${progress.answers} answers)`;
  };
  const timer = setTimeout(() => controller.abort(new CheckFailure(tooLate())), Math.max(0, deadline - Date.now()));
  const expired = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }));
  try {
    return await Promise.race([runCheck(options, deadline, controller.signal, progress, io), expired]);
  } catch (err) {
    const reason = err instanceof CheckFailure ? err.message : `internal error: ${err instanceof Error ? err.message : String(err)}`;
    io.stdout(renderUnknown(reason));
    return UNKNOWN;
  } finally {
    clearTimeout(timer);
    if (!controller.signal.aborted) controller.abort(new CheckFailure('done'));
  }
}
