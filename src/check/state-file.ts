/**
 * --state-file: the link failure counts of the last run, so that a flap that
 * happened between two checks (down and up again, unseen) is still reported.
 * A small JSON file, replaced atomically (written aside, then renamed).
 */
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FailureCounts } from './judge.js';
import type { CheckBond } from './model.js';

const VERSION = 1;

export type LoadedCounts =
  | { readonly kind: 'counts'; readonly counts: FailureCounts }
  /** First run: nothing to compare with. */
  | { readonly kind: 'none' }
  /** A file that is not ours or is damaged: started over, said in the output. */
  | { readonly kind: 'unreadable'; readonly reason: string };

export function countsOf(bonds: readonly CheckBond[]): FailureCounts {
  const counts = new Map<string, Map<string, number>>();
  for (const bond of bonds) {
    const slaves = new Map<string, number>();
    for (const s of bond.slaves) if (s.linkFailureCount !== undefined) slaves.set(s.name, s.linkFailureCount);
    counts.set(bond.name, slaves);
  }
  return counts;
}

export function parseCounts(text: string): FailureCounts | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { version, bonds } = data as { version?: unknown; bonds?: unknown };
  if (version !== VERSION || typeof bonds !== 'object' || bonds === null) return undefined;
  const counts = new Map<string, Map<string, number>>();
  for (const [bond, slaves] of Object.entries(bonds)) {
    if (typeof slaves !== 'object' || slaves === null) return undefined;
    const map = new Map<string, number>();
    for (const [slave, n] of Object.entries(slaves)) {
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return undefined;
      map.set(slave, n);
    }
    counts.set(bond, map);
  }
  return counts;
}

export function formatCounts(counts: FailureCounts): string {
  const bonds = Object.fromEntries([...counts].map(([bond, slaves]) => [bond, Object.fromEntries(slaves)]));
  return `${JSON.stringify({ version: VERSION, bonds })}\n`;
}

export async function loadCounts(file: string): Promise<LoadedCounts> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'none' };
    return { kind: 'unreadable', reason: `cannot read: ${code ?? String(err)}` };
  }
  const counts = parseCounts(text);
  return counts ? { kind: 'counts', counts } : { kind: 'unreadable', reason: 'not a state file of this check' };
}

/** Replaces the file; throws with the system's reason when it cannot. */
export async function saveCounts(file: string, counts: FailureCounts): Promise<void> {
  const staged = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(staged, formatCounts(counts), { mode: 0o644 });
    await rename(staged, file);
  } catch (err) {
    await unlink(staged).catch(() => undefined);
    throw err;
  }
}
