import { stat } from 'node:fs/promises';
import type { Roots } from './types.js';

/** A sentence naming the root that is not a directory, or undefined when both are. */
export async function missingRoot(roots: Roots): Promise<string | undefined> {
  for (const [what, dir] of [['sysfs', roots.sysfs], ['procfs', roots.procfs]] as const) {
    const isDir = await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) return `${what} root ${dir} does not exist or is not a directory`;
  }
  return undefined;
}
