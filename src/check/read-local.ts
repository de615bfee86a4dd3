/** Local mode's read: the bonding layer's brief read of every bond (see bonding/read-summary.ts), as the check's model. */
import { readSummaries } from '../bonding/read-summary.js';
import type { Roots } from '../bonding/types.js';
import { checkInputOf } from './from-snapshot.js';
import type { CheckInput } from './model.js';

export async function readLocal(roots: Roots): Promise<CheckInput> {
  return checkInputOf(await readSummaries(roots));
}
