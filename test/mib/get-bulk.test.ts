import { describe, expect, it } from 'vitest';
import { getBulk, nextInRange } from '../../src/mib/index.js';
import { snmp, type VarBind } from '../../src/snmp/index.js';
import { bulkRun } from './bulk-run.js';
import { sample, under } from './sample-view.js';

const oids = (vbs: readonly VarBind[] | undefined): string[] => (vbs ?? []).map((vb) => vb.oid.join('.'));

describe('getBulk over a view, one repeater', () => {
  const view = sample();

  it('returns consecutive instances up to maxRepetitions', () => {
    expect(oids(bulkRun(view, under(2, 1, 2, 1), true, undefined, 3))).toEqual(
      [under(2, 1, 2, 1), under(2, 1, 2, 2), under(2, 1, 3, 1)].map((o) => o.join('.')),
    );
  });

  it('stops at the end bound and at the end of the view', () => {
    expect(oids(bulkRun(view, under(2, 1, 2, 1), false, under(2, 1, 3, 2), 10))).toEqual(
      [under(2, 1, 2, 2), under(2, 1, 3, 1)].map((o) => o.join('.')),
    );
    expect(oids(bulkRun(view, under(2, 1, 3, 2), false, undefined, 10))).toEqual([under(4, 1, 1, 5).join('.')]);
    expect(bulkRun(view, under(2, 1, 2, 1), true, undefined, 0)).toEqual([]);
  });
});


describe('getBulk, RFC 3416 4.2.3 / RFC 2741 7.2.3.3', () => {
  const view = sample();

  it('answers the non-repeaters once, then rounds of the repeaters; an exhausted repeater repeats endOfMibView', () => {
    const answer = getBulk(view, {
      nonRepeaters: 1,
      maxRepetitions: 4,
      ranges: [
        { start: under(1), include: false, end: [] },
        { start: under(2, 1, 3), include: false, end: [] },
        { start: under(4), include: false, end: [] },
      ],
    });
    expect(answer.map((vb) => [vb.oid.join('.'), vb.value.type])).toEqual([
      [under(1, 0).join('.'), 'Integer'],
      [under(2, 1, 3, 1).join('.'), 'Counter32'],
      [under(4, 1, 1, 5).join('.'), 'Gauge32'],
      [under(2, 1, 3, 2).join('.'), 'Counter32'],
      // The second repeater ran off the end: named by its range's start, and repeated.
      [under(4, 1, 1, 5).join('.'), 'endOfMibView'],
      [under(4, 1, 1, 5).join('.'), 'Gauge32'],
      [under(4, 1, 1, 5).join('.'), 'endOfMibView'],
      // Both past the end: the answer stops before max-repetitions.
      [under(4, 1, 1, 5).join('.'), 'endOfMibView'],
      [under(4, 1, 1, 5).join('.'), 'endOfMibView'],
    ]);
  });

  it('keeps the end of each range', () => {
    const answer = getBulk(view, { nonRepeaters: 0, maxRepetitions: 5, ranges: [{ start: under(2), include: false, end: under(2, 1, 3) }] });
    expect(answer.map((vb) => vb.value.type)).toEqual(['OctetString', 'OctetString', 'endOfMibView']);
  });

  it('stops repeating before the size budget, but always gives the first round', () => {
    const budget = { bytes: 2, sizeOf: () => 1 };
    const ranges = [{ start: under(2), include: false, end: [] }];
    expect(getBulk(view, { nonRepeaters: 0, maxRepetitions: 5, ranges }, budget)).toHaveLength(2);
    expect(getBulk(view, { nonRepeaters: 0, maxRepetitions: 5, ranges }, { bytes: 0, sizeOf: () => 1 })).toHaveLength(1);
  });
});

describe('nextInRange', () => {
  const view = sample();

  it('includes the start only when asked, and answers endOfMibView named by the start beyond the end', () => {
    expect(nextInRange(view, { start: under(1, 0), include: true, end: [] })).toEqual({ oid: under(1, 0), value: snmp.integer(7) });
    expect(nextInRange(view, { start: under(1, 0), include: false, end: [] }).oid).toEqual(under(2, 1, 2, 1));
    expect(nextInRange(view, { start: under(1, 0), include: false, end: under(2, 1, 2, 1) })).toEqual({ oid: under(1, 0), value: { type: 'endOfMibView' } });
  });
});
