import { getBulk } from '../../src/mib/index.js';
import type { MibProvider, Oid, VarBind } from '../../src/snmp/index.js';

/** One GetBulk repeater over `provider`, without the endOfMibView that closes a run that reached the end. */
export const bulkRun = (provider: MibProvider, start: Oid, include: boolean, end: Oid | undefined, max: number): VarBind[] =>
  getBulk(provider, { nonRepeaters: 0, maxRepetitions: max, ranges: [{ start, include, end: end ?? [] }] }).filter(
    (vb) => vb.value.type !== 'endOfMibView',
  );
