/** The whole picture: every bond the kernel lists, read one after the other. */
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { WarningSink } from './attribute-reader.js';
import { readBondNames } from './bond-list.js';
import { BondAttributeNames, readBondNow, type BondRead } from './read-bond.js';
import { readInterfaces, updateInterfaces } from './read-interfaces.js';
import { DEFAULT_ROOTS, type Bond, type BondingSnapshot, type NetInterface, type ReadWarning, type Roots } from './types.js';

/**
 * Read every bond. Never throws: absent or unreadable attributes are `undefined`, malformed ones
 * are `warnings`, a bond that vanishes while being read is left out. Each bond is read in one
 * synchronous slice (a coherent picture of it) and the event loop gets a turn between bonds.
 */
export async function readSnapshot(roots: Roots = DEFAULT_ROOTS): Promise<BondingSnapshot> {
  const sink = new WarningSink();
  const bonds: Bond[] = [];
  let interfaces: NetInterface[] = [];
  try {
    const names = readBondNames(roots, sink);
    const attributeNames = new BondAttributeNames();
    for (const name of names) {
      await nextTurn();
      const bond = readBondNow(roots, name, sink, attributeNames);
      if (bond) bonds.push(bond);
    }
    await nextTurn();
    interfaces = readInterfaces(roots, sink);
  } catch (err) {
    // Only a bug can get here; report it as a warning rather than take the daemon down.
    sink.add({ file: roots.sysfs, message: `internal error while reading: ${String(err)}` });
  }
  return { bonds, interfaces, warnings: sink.warnings };
}

/** Read one bond on its own (a refresh after an event about it). `bond` is undefined if it is gone. */
export async function readBond(roots: Roots, name: string): Promise<BondRead> {
  const sink = new WarningSink();
  let bond: Bond | undefined;
  try {
    bond = readBondNow(roots, name, sink);
  } catch (err) {
    sink.add({ file: join(roots.sysfs, 'class', 'net', name), message: `internal error while reading: ${String(err)}` });
  }
  return { bond, warnings: sink.warnings };
}

/**
 * A snapshot with one bond replaced by a fresh read (or dropped when `bond` is undefined); a new
 * bond goes at the end. The snapshot's warnings become those of the fresh read.
 */
export function withBond(
  snapshot: BondingSnapshot,
  name: string,
  bond: Bond | undefined,
  warnings: readonly ReadWarning[] = [],
): BondingSnapshot {
  const at = snapshot.bonds.findIndex((b) => b.name === name);
  const bonds = snapshot.bonds.filter((b) => b.name !== name);
  if (bond) bonds.splice(at < 0 ? bonds.length : at, 0, bond);
  return { bonds, interfaces: snapshot.interfaces, warnings };
}

/** The interfaces of `snapshot` after a change to interface `name` (see updateInterfaces). */
export function withInterfaceChange(roots: Roots, snapshot: BondingSnapshot, name: string): BondingSnapshot {
  const sink = new WarningSink();
  let interfaces: readonly NetInterface[] = snapshot.interfaces;
  try {
    interfaces = updateInterfaces(roots, snapshot.interfaces, name, sink);
  } catch (err) {
    sink.add({ file: join(roots.sysfs, 'class', 'net', name), message: `internal error while reading: ${String(err)}` });
  }
  return { bonds: snapshot.bonds, interfaces, warnings: sink.warnings };
}
