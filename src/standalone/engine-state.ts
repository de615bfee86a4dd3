/**
 * snmpEngineBoots kept across restarts (RFC 3414 2.2.2: it counts the
 * engine's re-initializations and must never go back for one snmpEngineID),
 * in `<state dir>/snmp-engine.json`:
 *
 *   {"engineId": "80001f88...", "engineBoots": 190512345}
 *
 * At every start: boots = the file's + 1, written back atomically (a
 * temporary file, fsync, rename). Where there is no usable file (the first
 * start, a state directory emptied or new, garbage, another engine ID), boots
 * starts from `bootsFromWallClock` rather than 1, so that losing the file
 * (a container recreated, a reinstall) never takes boots back to a value
 * already used. Where the file cannot be written (directory read-only or
 * missing and not creatable), boots is the larger of the file's + 1 and the
 * clock-derived value, and the caller logs the warning returned.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { bootsFromWallClock, MAX_ENGINE_VALUE } from './engine-clock.js';

export const STATE_FILE = 'snmp-engine.json';

export interface EngineBoots {
  readonly boots: number;
  /** The state file written with `boots`; undefined when boots was not persisted. */
  readonly file: string | undefined;
  /** What went wrong with the state (not readable, garbage, not writable) and what was done instead; for a warning. */
  readonly warning: string | undefined;
  /** Something worth an info line: the first start with this state directory, a changed engine ID. */
  readonly notice: string | undefined;
}

export interface EngineBootsOptions {
  /** Where the state file lives; undefined: do not persist (boots from the clock, no warning). */
  readonly stateDir: string | undefined;
  /** Hex, as configured: the boots of another engine ID are not ours to continue. */
  readonly engineId: string;
  /** Wall clock in milliseconds; injectable for tests. */
  readonly wallMs?: number;
}

const errno = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));

interface Stored {
  readonly boots: number | undefined;
  readonly problem: string | undefined;
  readonly notice: string | undefined;
}

async function readStored(file: string, engineId: string): Promise<Stored> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (errno(err) === 'ENOENT') return { boots: undefined, problem: undefined, notice: `no ${file} yet: first start with this state directory` };
    return { boots: undefined, problem: `cannot read ${file} (${errno(err)})`, notice: undefined };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const boots = record.engineBoots;
  if (typeof record.engineId !== 'string' || typeof boots !== 'number' || !Number.isInteger(boots) || boots < 0 || boots > MAX_ENGINE_VALUE) {
    return { boots: undefined, problem: `${file} is not an engine state this agent wrote (expected {"engineId", "engineBoots"})`, notice: undefined };
  }
  if (record.engineId.toLowerCase() !== engineId.toLowerCase()) {
    return { boots: undefined, problem: undefined, notice: `${file} was for engine ID ${record.engineId}: boots starts again for ${engineId}` };
  }
  return { boots, problem: undefined, notice: undefined };
}

/** Writes `content` to `file` through a temporary file in the same directory and a rename, so that no reader ever sees half of it. */
async function writeAtomically(dir: string, file: string, content: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o644);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (err) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw err;
  }
  // The rename itself survives a crash once the directory is synced; not every file system allows it.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort.
  }
}

/** The boots of this start, persisted when possible; never throws. */
export async function nextEngineBoots(options: EngineBootsOptions): Promise<EngineBoots> {
  const fromClock = bootsFromWallClock(options.wallMs ?? Date.now());
  const { stateDir, engineId } = options;
  if (stateDir === undefined) return { boots: fromClock, file: undefined, warning: undefined, notice: undefined };
  const file = join(stateDir, STATE_FILE);
  const stored = await readStored(file, engineId);
  const boots = stored.boots === undefined ? fromClock : Math.min(stored.boots + 1, MAX_ENGINE_VALUE);
  try {
    await writeAtomically(stateDir, file, `${JSON.stringify({ engineId, engineBoots: boots })}\n`);
  } catch (err) {
    // Not kept: the next start would read the same file again, so only the clock makes boots grow.
    const fallback = Math.max(boots, fromClock);
    const why = stored.problem === undefined ? '' : `${stored.problem}; `;
    return {
      boots: fallback,
      file: undefined,
      warning:
        `${why}cannot write ${file} (${errno(err)}): engine boots ${fallback} is derived from the clock and grows at every ` +
        `restart only while the clock does not go back; give --state-dir a writable directory`,
      notice: undefined,
    };
  }
  return {
    boots,
    file,
    warning: stored.problem === undefined ? undefined : `${stored.problem}: replaced, engine boots starts again from the clock at ${boots}`,
    notice: stored.notice,
  };
}
