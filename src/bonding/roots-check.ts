import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listedBonds } from './bond-list.js';
import type { Roots } from './types.js';

/**
 * A sentence naming the root that is not a directory, or undefined when both
 * are. Synchronous: node:fs/promises alone would add 15 ms to a monitoring
 * check's start.
 */
export function missingRoot(roots: Roots): string | undefined {
  for (const [what, dir] of [['sysfs', roots.sysfs], ['procfs', roots.procfs]] as const) {
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return `${what} root ${dir} does not exist or is not a directory`;
  }
  return undefined;
}

/**
 * A sentence naming the bonds that sysfs lists and /proc/net/bonding does not show, or undefined
 * when it shows them all. Then procfs is hidden from this process (systemd's ProcSubset=pid, a
 * container's /proc of another network namespace): those bonds are read from sysfs alone, which
 * lacks nothing essential, but the periodic check, which looks at procfs, cannot see their
 * aggregator changes and ARP verdicts any sooner than the next full read.
 */
export function bondsMissingFromProcfs(roots: Roots): string | undefined {
  const listed = listedBonds(roots);
  if (listed === undefined || listed.size === 0) return undefined;
  const dir = join(roots.procfs, 'net', 'bonding');
  let shown: ReadonlySet<string>;
  try {
    shown = new Set(readdirSync(dir));
  } catch {
    shown = new Set();
  }
  const missing = [...listed].filter((name) => !shown.has(name));
  if (missing.length === 0) return undefined;
  return (
    `${dir} does not show ${missing.length === listed.size ? 'any of the bonds' : missing.join(', ')} that sysfs lists ` +
    '(procfs hidden from this process: ProcSubset=pid, or the /proc of another network namespace?): ' +
    'they are read from sysfs alone, and their aggregator changes and ARP verdicts are seen at the next full read only'
  );
}
