/**
 * The periodic check's cheap first look: what changes whenever anything that
 * matters changes. The list of bonds, and each bond's /proc/net/bonding
 * file, which the kernel prints in one pass: link states, the active slave,
 * failure counts, aggregators. Comparing two fingerprints tells which bonds
 * need a full read.
 */
import { join } from 'node:path';
import { counter, KeptFile } from './file-access.js';
import { listedBonds } from './bond-list.js';
import type { Roots } from './types.js';

/**
 * Bond name -> the version of its /proc/net/bonding file (a number that changes whenever the
 * file's text does), in bonding_masters order.
 */
export type Fingerprints = ReadonlyMap<string, number>;

/**
 * Reads fingerprints again and again, as the periodic check does every second: each bond's
 * /proc/net/bonding file is kept open (KeptFile), read from its start and compared byte for byte
 * with what it said last, which costs a third of opening it by name and decoding it each time.
 * `close` lets go of the descriptors (what was read is kept, so no change is invented or lost):
 * the owner calls it whenever it reads everything, so that nothing stays open on a tree swapped
 * under us (a test's fixture root) for longer than the next full read, and when it stops.
 */
/** The version of a file that cannot be read (KeptFile versions start at 1). */
const UNREADABLE = 0;

export class FingerprintReader {
  private readonly files = new Map<string, KeptFile>();
  private readonly versions = counter();

  constructor(private readonly roots: Roots) {}

  /**
   * undefined when the list of bonds cannot be read (then only a full read tells). A bond whose
   * file cannot be read (procfs hidden from us, or the bond just made or deleted) has version 0:
   * its changes are left to link events and full reads, rather than a full read every check.
   */
  read(): Fingerprints | undefined {
    const names = listedBonds(this.roots);
    if (names === undefined) return undefined;
    for (const [name, file] of this.files) {
      if (names.has(name)) continue;
      file.close();
      this.files.delete(name);
    }
    const prints = new Map<string, number>();
    for (const name of names) {
      let file = this.files.get(name);
      if (file === undefined) {
        file = new KeptFile(join(this.roots.procfs, 'net', 'bonding', name), this.versions);
        this.files.set(name, file);
      }
      const version = file.version();
      prints.set(name, typeof version === 'number' ? version : UNREADABLE);
    }
    return prints;
  }

  /** How many bonds' files it follows. */
  get following(): number {
    return this.files.size;
  }

  /** Lets go of every descriptor; the next read opens the files by name again. */
  close(): void {
    for (const file of this.files.values()) file.close();
  }
}

/** What a poll must read after `previous`: everything, or the bonds whose file changed. */
export function changedBonds(previous: Fingerprints | undefined, next: Fingerprints | undefined): 'all' | readonly string[] {
  if (previous === undefined || next === undefined) return 'all';
  const before = [...previous.keys()];
  const after = [...next.keys()];
  if (before.length !== after.length || before.some((name, i) => after[i] !== name)) return 'all';
  return after.filter((name) => previous.get(name) !== next.get(name));
}
