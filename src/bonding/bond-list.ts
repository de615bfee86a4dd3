/** Which bonds exist: the one place that reads and parses `bonding_masters`. */
import { join } from 'node:path';
import { parseFileText, type WarningSink } from './attribute-reader.js';
import { isGone, listDirectory, readAttributeText } from './file-access.js';
import type { Roots } from './types.js';
import { parseNameList } from './values.js';

const mastersFile = (roots: Roots): string => join(roots.sysfs, 'class', 'net', 'bonding_masters');

/**
 * Bond names from sysfs `bonding_masters`, else (sysfs without the bonding
 * module's class attribute) from the files in /proc/net/bonding. Problems go
 * to `sink`; no bonding at all is an empty list.
 */
export function readBondNames(roots: Roots, sink: WarningSink): readonly string[] {
  const file = mastersFile(roots);
  const masters = readAttributeText(file);
  if ('text' in masters) return parseFileText(file, masters.text, parseNameList, sink) ?? [];
  sink.failure(file, masters);
  const procDir = join(roots.procfs, 'net', 'bonding');
  const listing = listDirectory(procDir);
  if ('names' in listing) return [...listing.names].sort();
  if (!isGone(listing)) sink.add({ file: procDir, message: `cannot list: ${listing.code}` });
  return [];
}

/** The names in `bonding_masters`, quietly: undefined when it cannot be read or parsed. */
export function listedBonds(roots: Roots): ReadonlySet<string> | undefined {
  const masters = readAttributeText(mastersFile(roots));
  if (!('text' in masters)) return undefined;
  const names = parseNameList(masters.text);
  return names.ok ? new Set(names.value) : undefined;
}
