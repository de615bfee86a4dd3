import { describe, expect, it } from 'vitest';
import { MibView, MibViewBuilder, MibViewError, integerIndex } from '../../src/mib/index.js';
import { snmp, type Oid, type VarBind } from '../../src/snmp/index.js';

import { EMPTY, FIRST, LAST, sample, under } from './sample-view.js';

const oids = (vbs: readonly VarBind[] | undefined): string[] => (vbs ?? []).map((vb) => vb.oid.join('.'));

describe('MibView.get', () => {
  const view = sample();

  it('returns the value at an exact instance', () => {
    expect(view.get(under(1, 0))).toEqual(snmp.integer(7));
    expect(view.get(under(2, 1, 3, 2))).toEqual(snmp.counter32(2));
  });

  it('answers noSuchInstance under a known column or scalar', () => {
    expect(view.get(under(2, 1, 2, 9))).toEqual(snmp.noSuchInstance());
    expect(view.get(under(2, 1, 2))).toEqual(snmp.noSuchInstance());
    expect(view.get(under(1, 1))).toEqual(snmp.noSuchInstance());
    expect(view.get(under(3, 1, 1, 1))).toEqual(snmp.noSuchInstance());
    expect(view.get(under(5, 0))).toEqual(snmp.noSuchInstance());
  });

  it('answers noSuchObject outside every known object', () => {
    expect(view.get(under(2, 1, 9, 1))).toEqual(snmp.noSuchObject());
    expect(view.get(under(2, 1))).toEqual(snmp.noSuchObject());
    expect(view.get(under(2))).toEqual(snmp.noSuchObject());
    expect(view.get(under(6, 0))).toEqual(snmp.noSuchObject());
    expect(view.get([1, 3])).toEqual(snmp.noSuchObject());
    expect(MibView.empty.get(under(1, 0))).toEqual(snmp.noSuchObject());
  });
});

describe('MibView.getNext', () => {
  const view = sample();

  it('walks every instance in OID order and then ends', () => {
    const seen: string[] = [];
    let at: Oid = [];
    for (let vb = view.getNext(at, false); vb !== undefined; vb = view.getNext(at, false)) {
      seen.push(vb.oid.join('.'));
      at = vb.oid;
    }
    expect(seen).toEqual(
      [under(1, 0), under(2, 1, 2, 1), under(2, 1, 2, 2), under(2, 1, 3, 1), under(2, 1, 3, 2), under(4, 1, 1, 5)].map((o) => o.join('.')),
    );
  });

  it('steps over an empty table between two tables', () => {
    expect(view.getNext(under(2, 1, 3, 2), false)?.oid).toEqual(under(4, 1, 1, 5));
    expect(view.getNext(EMPTY, false)?.oid).toEqual(under(4, 1, 1, 5));
    expect(view.getNext(under(3, 1, 2, 99), true)?.oid).toEqual(under(4, 1, 1, 5));
  });

  it('includes the start only when asked', () => {
    expect(view.getNext(under(1, 0), true)?.oid).toEqual(under(1, 0));
    expect(view.getNext(under(1, 0), false)?.oid).toEqual(under(2, 1, 2, 1));
    // include on an OID that is not an instance is the same as the next one
    expect(view.getNext(under(2, 1, 2), true)?.oid).toEqual(under(2, 1, 2, 1));
  });

  it('stops strictly before the end bound', () => {
    expect(view.getNext(under(1, 0), false, under(2, 1, 2, 1))).toBeUndefined();
    expect(view.getNext(under(1, 0), false, under(2, 1, 2, 1, 0))?.oid).toEqual(under(2, 1, 2, 1));
    expect(view.getNext(under(1, 0), true, under(1, 0))).toBeUndefined();
    expect(view.getNext(under(2), false, under(3))?.oid).toEqual(under(2, 1, 2, 1));
    expect(view.getNext(under(3), false, under(4))).toBeUndefined();
  });

  it('treats an empty end as no bound', () => {
    expect(view.getNext(under(2, 1, 3, 2), false, [])?.oid).toEqual(under(4, 1, 1, 5));
  });

  it('returns undefined (endOfMibView) past the last instance', () => {
    expect(view.getNext(under(4, 1, 1, 5), false)).toBeUndefined();
    expect(view.getNext(under(4, 1, 1, 5), true)?.oid).toEqual(under(4, 1, 1, 5));
    expect(view.getNext([2], false)).toBeUndefined();
    expect(MibView.empty.getNext([], true)).toBeUndefined();
  });
});

describe('MibViewBuilder', () => {
  it('keeps sparse rows sparse', () => {
    const view = new MibViewBuilder().table(FIRST, [2, 3]).row(FIRST, [1], { 2: undefined, 3: snmp.integer(1) }).build();
    expect(view.get(under(2, 1, 2, 1))).toEqual(snmp.noSuchInstance());
    expect(view.size).toBe(1);
  });

  it('takes rows in any order (a view adds them in index order: no sort then), and still finds one twice', () => {
    const rows = [[9, 2], [1, 7], [300], [1, 2]];
    const b = new MibViewBuilder().table(FIRST, [2, 3]);
    for (const index of rows) b.row(FIRST, index, { 2: snmp.integer(index[0]!), 3: snmp.integer(1) });
    const view = b.build();
    expect(oids(view.varBinds())).toEqual(
      [2, 3].flatMap((c) => [[1, 2], [1, 7], [9, 2], [300]].map((i) => [...FIRST, c, ...i].join('.'))),
    );
    const twice = new MibViewBuilder().table(FIRST, [2]).row(FIRST, [5], { 2: snmp.integer(1) }).row(FIRST, [1], { 2: snmp.integer(1) });
    twice.row(FIRST, [5], { 2: snmp.integer(2) });
    expect(() => twice.build()).toThrow(/instance defined twice/);
  });

  it('is not affected by later builder calls', () => {
    const builder = new MibViewBuilder().scalar(under(1), snmp.integer(1));
    const view = builder.build();
    builder.scalar(under(2), snmp.integer(2));
    expect(view.size).toBe(1);
  });

  it.each<[string, (b: MibViewBuilder) => unknown]>([
    ['a row defined twice', (b) => b.table(FIRST, [2]).row(FIRST, [1], { 2: snmp.integer(1) }).row(FIRST, [1], { 2: snmp.integer(2) })],
    ['a column not declared', (b) => b.table(FIRST, [2]).row(FIRST, [1], { 3: snmp.integer(1) })],
    ['a row of an undeclared table', (b) => b.row(FIRST, [1], { 2: snmp.integer(1) })],
    ['a table declared twice', (b) => b.table(FIRST, [2]).table(FIRST, [3])],
    ['a column listed twice', (b) => b.table(FIRST, [2, 2])],
    ['an empty index', (b) => b.table(FIRST, [2]).row(FIRST, [], { 2: snmp.integer(1) })],
    ['a scalar inside a table', (b) => b.table(FIRST, [2]).scalar(under(2, 1, 2, 7), snmp.integer(1))],
    ['a scalar declared twice', (b) => b.scalar(under(1), snmp.integer(1)).scalar(under(1), snmp.integer(2))],
    ['an exception as a value', (b) => b.scalar(under(1), snmp.noSuchInstance())],
    ['a Null value', (b) => b.scalar(under(1), snmp.null())],
    ['a sub-identifier above 2^32-1', (b) => b.scalar(under(2 ** 32), snmp.integer(1))],
    ['a negative sub-identifier', (b) => b.scalar(under(-1), snmp.integer(1))],
  ])('refuses %s with a MibViewError', (_name, build) => {
    expect(() => (build(new MibViewBuilder()) as MibViewBuilder).build()).toThrow(MibViewError);
  });
});
