import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MibViewBuilder, type MibView } from '../../src/mib/index.js';
import { compareOids, isPrefixOf, snmp, type Oid, type SnmpValue, type VarBind } from '../../src/snmp/index.js';
import { bulkRun } from './bulk-run.js';

// Small sub-identifier ranges on purpose: queries then land on, between and
// around real instances and object boundaries instead of far away.
const ROOT: Oid = [1, 3, 6, 1, 4, 1, 99999];

interface ObjectSpec {
  readonly position: number;
  readonly kind: 'scalar' | 'table';
  readonly columns: readonly number[];
  readonly rows: readonly (readonly number[])[];
  readonly hasValue: boolean;
  /** Columns whose cells are all absent: a Get there must not find a neighbour's instance. */
  readonly emptyColumns: readonly number[];
}

const objectSpec = (position: number): fc.Arbitrary<ObjectSpec> =>
  fc.record({
    position: fc.constant(position),
    kind: fc.constantFrom('scalar' as const, 'table' as const),
    columns: fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { maxLength: 4 }),
    // index length 1 or 2: a table may hold [1] and [1, 0], which sort apart
    rows: fc.uniqueArray(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 2 }), {
      maxLength: 6,
      selector: (r) => r.join('.'),
    }),
    hasValue: fc.boolean(),
    emptyColumns: fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { maxLength: 2 }),
  });

const treeSpec: fc.Arbitrary<readonly ObjectSpec[]> = fc
  .uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 5 })
  .chain((positions) => fc.tuple(...positions.map(objectSpec)));

interface Reference {
  readonly instances: readonly VarBind[];
  readonly objects: readonly Oid[];
}

/** Builds the view and, independently, the flat list a brute-force search runs over. */
function build(spec: readonly ObjectSpec[]): { view: MibView; ref: Reference } {
  const builder = new MibViewBuilder();
  const instances: VarBind[] = [];
  const objects: Oid[] = [];
  let serial = 0;
  const nextValue = (): SnmpValue => snmp.integer(serial++);
  for (const o of spec) {
    if (o.kind === 'scalar') {
      const oid = [...ROOT, o.position];
      const value = o.hasValue ? nextValue() : undefined;
      builder.scalar(oid, value);
      objects.push(oid);
      if (value !== undefined) instances.push({ oid: [...oid, 0], value });
    } else {
      const entry = [...ROOT, o.position, 1];
      builder.table(entry, o.columns);
      for (const c of o.columns) objects.push([...entry, c]);
      for (const index of o.rows) {
        const values: Record<number, SnmpValue | undefined> = {};
        for (const c of o.columns) {
          // leave holes: every third cell is absent
          const value = serial % 3 === 2 || o.emptyColumns.includes(c) ? undefined : nextValue();
          if (value === undefined) serial++;
          values[c] = value;
          if (value !== undefined) instances.push({ oid: [...entry, c, ...index], value });
        }
        builder.row(entry, index, values);
      }
    }
  }
  return { view: builder.build(), ref: { instances, objects } };
}

function refGet(ref: Reference, oid: Oid): SnmpValue {
  const hit = ref.instances.find((vb) => compareOids(vb.oid, oid) === 0);
  if (hit) return hit.value;
  return ref.objects.some((o) => isPrefixOf(o, oid)) ? snmp.noSuchInstance() : snmp.noSuchObject();
}

function refGetNext(ref: Reference, start: Oid, include: boolean, end: Oid | undefined): VarBind | undefined {
  const candidates = ref.instances.filter((vb) => {
    const c = compareOids(vb.oid, start);
    return (include ? c >= 0 : c > 0) && (end === undefined || end.length === 0 || compareOids(vb.oid, end) < 0);
  });
  return candidates.reduce<VarBind | undefined>((best, vb) => (best === undefined || compareOids(vb.oid, best.oid) < 0 ? vb : best), undefined);
}

const nearOid: fc.Arbitrary<Oid> = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 5 }).map((tail) => [...ROOT, ...tail]),
  fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 8 }),
  fc.constant([...ROOT]),
  fc.constant([]),
);

/** Query OIDs: random ones near the tree, plus real instances and their neighbours. */
function queries(ref: Reference): fc.Arbitrary<Oid> {
  if (ref.instances.length === 0) return nearOid;
  const existing = fc.constantFrom(...ref.instances.map((vb) => vb.oid));
  return fc.oneof(
    nearOid,
    existing,
    existing.chain((oid) =>
      fc.oneof(
        fc.integer({ min: 1, max: oid.length }).map((n) => oid.slice(0, n)),
        fc.integer({ min: 0, max: 3 }).map((s) => [...oid, s]),
        fc.integer({ min: -1, max: 1 }).map((d) => [...oid.slice(0, -1), Math.max(0, oid[oid.length - 1]! + d)]),
        // another column or object, same index: where an empty column meets a full one
        fc.tuple(fc.integer({ min: ROOT.length, max: oid.length - 1 }), fc.integer({ min: 0, max: 5 })).map(([at, subid]) =>
          oid.map((s, i) => (i === at ? subid : s)),
        ),
      ),
    ),
  );
}

describe('MibView against a brute-force reference', () => {
  it('get agrees on value, noSuchInstance and noSuchObject', () => {
    fc.assert(
      fc.property(
        treeSpec.chain((spec) => {
          const built = build(spec);
          return fc.tuple(fc.constant(built), fc.array(queries(built.ref), { minLength: 1, maxLength: 30 }));
        }),
        ([{ view, ref }, oids]) => {
          for (const oid of oids) expect(view.get(oid)).toEqual(refGet(ref, oid));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('getNext agrees for every include flag and end bound', () => {
    fc.assert(
      fc.property(
        treeSpec.chain((spec) => {
          const built = build(spec);
          const q = queries(built.ref);
          return fc.tuple(
            fc.constant(built),
            fc.array(fc.tuple(q, fc.boolean(), fc.option(q, { nil: undefined })), { minLength: 1, maxLength: 30 }),
          );
        }),
        ([{ view, ref }, requests]) => {
          for (const [start, include, end] of requests) {
            expect(view.getNext(start, include, end)).toEqual(refGetNext(ref, start, include, end));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a walk by getNext visits exactly the sorted instances; getBulk gives the same run', () => {
    fc.assert(
      fc.property(treeSpec, fc.integer({ min: 1, max: 5 }), (spec, reps) => {
        const { view, ref } = build(spec);
        const sorted = [...ref.instances].sort((a, b) => compareOids(a.oid, b.oid));
        const walked: VarBind[] = [];
        let at: Oid = [];
        for (let vb = view.getNext(at, false); vb !== undefined && walked.length <= sorted.length; vb = view.getNext(at, false)) {
          walked.push(vb);
          at = vb.oid;
        }
        expect(walked).toEqual(sorted);
        expect(bulkRun(view, [], true, undefined, reps)).toEqual(sorted.slice(0, reps));
      }),
      { numRuns: 200 },
    );
  });
});
