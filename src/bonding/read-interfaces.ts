/**
 * Every interface in /sys/class/net with its ifindex, type, operstate and
 * what it is stacked on. The relations come from the directory entries the
 * kernel keeps on both sides of each one (`lower_<if>` under the upper,
 * `upper_<if>` under the lower; bonds of old kernels have `slave_<if>` and
 * the slave a `master` link), so one interface's directory tells every
 * relation it is part of.
 */
import { readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseFileText, readAttribute, type WarningSink } from './attribute-reader.js';
import { isGone, listDirectory, readAttributeText } from './file-access.js';
import type { NetInterface, Roots } from './types.js';
import { isInterfaceName, parseCount, parseString } from './values.js';

/** The interface a link such as `master -> ../bond0` points to (captured trees keep the link's text in a file). */
function linkTarget(path: string): string | undefined {
  try {
    return basename(readlinkSync(path));
  } catch {
    const text = readAttributeText(path);
    return 'text' in text && text.text.trim() !== '' ? basename(text.text.trim()) : undefined;
  }
}

const prefixed = (names: readonly string[], prefix: string): string[] =>
  names.filter((n) => n.startsWith(prefix) && isInterfaceName(n.slice(prefix.length))).map((n) => n.slice(prefix.length));

/** One interface; undefined when it does not exist (or vanished while being read). */
export function readInterface(roots: Roots, name: string, sink: WarningSink): NetInterface | undefined {
  if (!isInterfaceName(name)) return undefined;
  const dir = join(roots.sysfs, 'class', 'net', name);
  const listing = listDirectory(dir);
  if (!('names' in listing)) {
    if (!isGone(listing)) sink.failure(dir, listing);
    return undefined;
  }
  const ifindexFile = `${dir}/ifindex`;
  const ifindex = readAttributeText(ifindexFile);
  if (isGone(ifindex)) return undefined;
  const uppers = prefixed(listing.names, 'upper_');
  const master = uppers.length === 0 && listing.names.includes('master') ? linkTarget(`${dir}/master`) : undefined;
  const lowers = prefixed(listing.names, 'lower_');
  for (const old of prefixed(listing.names, 'slave_')) if (!lowers.includes(old)) lowers.push(old);
  return {
    name,
    ifIndex: 'text' in ifindex ? parseFileText(ifindexFile, ifindex.text, parseCount, sink) : undefined,
    type: readAttribute(`${dir}/type`, parseCount, sink),
    operState: readAttribute(`${dir}/operstate`, parseString, sink),
    lowers,
    uppers: master !== undefined && isInterfaceName(master) ? [master] : uppers,
  };
}

/** Every interface under class/net, in ifindex order (those without a readable one last, by name). */
export function readInterfaces(roots: Roots, sink: WarningSink): NetInterface[] {
  const netDir = join(roots.sysfs, 'class', 'net');
  const listing = listDirectory(netDir);
  if (!('names' in listing)) {
    if (!isGone(listing)) sink.add({ file: netDir, message: `cannot list: ${listing.code}` });
    return [];
  }
  const interfaces: NetInterface[] = [];
  for (const name of listing.names) {
    // bonding_masters is a file, not an interface; anything that is not a directory lists as gone.
    if (name === 'bonding_masters') continue;
    const i = readInterface(roots, name, sink);
    if (i !== undefined) interfaces.push(i);
  }
  return interfaces.sort(byIfIndex);
}

export function byIfIndex(a: NetInterface, b: NetInterface): number {
  return (a.ifIndex ?? Number.MAX_SAFE_INTEGER) - (b.ifIndex ?? Number.MAX_SAFE_INTEGER) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The snapshot's interfaces with one interface replaced by a fresh read (or dropped when it is gone). */
export function withInterface(interfaces: readonly NetInterface[], name: string, fresh: NetInterface | undefined): NetInterface[] {
  const others = interfaces.filter((i) => i.name !== name);
  return fresh === undefined ? others : [...others, fresh].sort(byIfIndex);
}

/**
 * The interfaces after a change to `name`: it is read again, and so is every
 * interface it was or now is stacked with, since a relation shows on both
 * sides (an enslaved port's `upper_`, its bridge's `lower_`).
 */
export function updateInterfaces(roots: Roots, interfaces: readonly NetInterface[], name: string, sink: WarningSink): NetInterface[] {
  const before = interfaces.find((i) => i.name === name);
  const fresh = readInterface(roots, name, sink);
  const related = new Set([...(before?.lowers ?? []), ...(before?.uppers ?? []), ...(fresh?.lowers ?? []), ...(fresh?.uppers ?? [])]);
  related.delete(name);
  let next = withInterface(interfaces, name, fresh);
  for (const other of related) next = withInterface(next, other, readInterface(roots, other, sink));
  return next;
}
