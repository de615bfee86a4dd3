import { statSync } from 'node:fs';
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
