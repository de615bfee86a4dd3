import { MibViewBuilder, integerIndex, type MibView } from '../../src/mib/index.js';
import { snmp, type Oid } from '../../src/snmp/index.js';

export const ROOT = [1, 3, 6, 1, 4, 1, 99999];
export const under = (...subids: number[]): Oid => [...ROOT, ...subids];

// ROOT.1 scalar, ROOT.2 table (2 rows), ROOT.3 empty table, ROOT.4 table (1 row), ROOT.5 scalar without value.
export const FIRST = under(2, 1);
export const EMPTY = under(3, 1);
export const LAST = under(4, 1);

export function sample(): MibView {
  return new MibViewBuilder()
    .scalar(under(1), snmp.integer(7))
    .table(FIRST, [2, 3])
    .row(FIRST, integerIndex(1), { 2: snmp.octetString('a'), 3: snmp.counter32(1) })
    .row(FIRST, integerIndex(2), { 2: snmp.octetString('b'), 3: snmp.counter32(2) })
    .table(EMPTY, [1, 2])
    .table(LAST, [1])
    .row(LAST, integerIndex(5), { 1: snmp.gauge32(5) })
    .scalar(under(5), undefined)
    .build();
}

