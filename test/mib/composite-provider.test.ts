import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompositeProvider, MibViewBuilder, type MibView } from '../../src/mib/index.js';
import { compareOids, snmp, type MibProvider, type Oid, type VarBind } from '../../src/snmp/index.js';
import { ScalarProvider } from '../../src/standalone/index.js';

function walk(p: MibProvider, from: Oid = [0]): VarBind[] {
  const out: VarBind[] = [];
  let cursor = from;
  for (let i = 0; i < 10_000; i++) {
    const next = p.getNext(cursor, false);
    if (next === undefined) return out;
    out.push(next);
    cursor = next.oid;
  }
  throw new Error('walk did not end');
}

const scalarsUnder = (root: Oid, subids: readonly number[]): MibView => {
  const b = new MibViewBuilder();
  for (const s of new Set(subids)) b.scalar([...root, s], snmp.integer(s));
  return b.build();
};

describe('CompositeProvider', () => {
  it('walks its parts in OID order whatever order they are given in, and gets from the right part', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 6 }), { minLength: 5, maxLength: 5 }),
        (roots, contents) => {
          const parts = roots.map((r, i) => ({ subtree: [1, 3, r], provider: scalarsUnder([1, 3, r], contents[i]!) }));
          const composite = new CompositeProvider([...parts].reverse());
          const expected = parts
            .flatMap((p) => (p.provider as MibView).varBinds())
            .sort((a, b) => compareOids(a.oid, b.oid));
          expect(walk(composite)).toEqual(expected);
          for (const vb of expected) expect(composite.get(vb.oid)).toEqual(vb.value);
          expect(composite.get([1, 3, 99, 0]).type).toBe('noSuchObject');
        },
      ),
    );
  });

  it('keeps a provider that serves more than its subtree to its part', () => {
    const both = new MibViewBuilder().scalar([1, 3, 2, 1], snmp.integer(1)).scalar([1, 3, 9, 1], snmp.integer(9)).build();
    const middle = new MibViewBuilder().scalar([1, 3, 5, 1], snmp.integer(5)).build();
    const composite = new CompositeProvider([
      { subtree: [1, 3, 2], provider: both },
      { subtree: [1, 3, 5], provider: middle },
      { subtree: [1, 3, 9], provider: both },
    ]);
    expect(walk(composite).map((vb) => vb.oid.join('.'))).toEqual(['1.3.2.1.0', '1.3.5.1.0', '1.3.9.1.0']);
  });

  it('honours the end of a search range', () => {
    const composite = new CompositeProvider([
      { subtree: [1, 3, 2], provider: scalarsUnder([1, 3, 2], [1]) },
      { subtree: [1, 3, 5], provider: scalarsUnder([1, 3, 5], [1]) },
    ]);
    expect(composite.getNext([1, 3, 2, 1, 0], false, [1, 3, 5])).toBeUndefined();
    expect(composite.getNext([1, 3, 2, 1, 0], true, [1, 3, 5])?.oid).toEqual([1, 3, 2, 1, 0]);
  });

  it('refuses overlapping parts', () => {
    expect(() => new CompositeProvider([
      { subtree: [1, 3], provider: scalarsUnder([1, 3], [1]) },
      { subtree: [1, 3, 5], provider: scalarsUnder([1, 3, 5], [1]) },
    ])).toThrow(/overlaps/);
  });
});

describe('ScalarProvider', () => {
  it('computes values when asked (sysUpTime) and answers like a view', () => {
    let ticks = 5;
    const p = new ScalarProvider([
      { oid: [1, 3, 6, 1, 2, 1, 1, 3], value: () => snmp.timeTicks(ticks) },
      { oid: [1, 3, 6, 1, 2, 1, 1, 1], value: () => snmp.octetString('d') },
    ]);
    expect(walk(p).map((vb) => vb.oid.join('.'))).toEqual(['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.3.0']);
    ticks = 9;
    expect(p.get([1, 3, 6, 1, 2, 1, 1, 3, 0])).toEqual(snmp.timeTicks(9));
    expect(p.get([1, 3, 6, 1, 2, 1, 1, 3, 1]).type).toBe('noSuchInstance');
    expect(p.get([1, 3, 6, 1, 2, 1, 1, 4, 0]).type).toBe('noSuchObject');
  });
});
