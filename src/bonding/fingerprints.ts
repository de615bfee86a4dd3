/**
 * The periodic check's cheap first look: what changes whenever anything that
 * matters changes. The list of bonds, and each bond's /proc/net/bonding
 * file, which the kernel prints in one pass: link states, the active slave,
 * failure counts, aggregators. Comparing two fingerprints tells which bonds
 * need a full read.
 */
import { join } from 'node:path';
import { readText } from './file-access.js';
import { listedBonds } from './bond-list.js';
import type { Roots } from './types.js';

/** Bond name -> its /proc/net/bonding text, in bonding_masters order. */
export type Fingerprints = ReadonlyMap<string, string>;

/** undefined when the list of bonds or a bond's file cannot be read (then only a full read tells). */
export function readFingerprints(roots: Roots): Fingerprints | undefined {
  const names = listedBonds(roots);
  if (names === undefined) return undefined;
  const prints = new Map<string, string>();
  for (const name of names) {
    const text = readText(join(roots.procfs, 'net', 'bonding', name));
    if (!('text' in text)) return undefined;
    prints.set(name, text.text);
  }
  return prints;
}

/** What a poll must read after `previous`: everything, or the bonds whose file changed. */
export function changedBonds(previous: Fingerprints | undefined, next: Fingerprints | undefined): 'all' | readonly string[] {
  if (previous === undefined || next === undefined) return 'all';
  const before = [...previous.keys()];
  const after = [...next.keys()];
  if (before.length !== after.length || before.some((name, i) => after[i] !== name)) return 'all';
  return after.filter((name) => previous.get(name) !== next.get(name));
}
