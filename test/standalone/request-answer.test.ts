import { describe, expect, it } from 'vitest';
import { integerIndex, MibViewBuilder } from '../../src/mib/index.js';
import { snmp, type Oid } from '../../src/snmp/index.js';
import { answerRequest, ERROR_STATUS, type Answer } from '../../src/standalone/index.js';

const ENTRY: Oid = [1, 3, 6, 1, 4, 1, 99999, 2, 1];
const SCALAR: Oid = [1, 3, 6, 1, 4, 1, 99999, 1];
const view = new MibViewBuilder()
  .scalar(SCALAR, snmp.integer(7))
  .table(ENTRY, [2, 3])
  .row(ENTRY, integerIndex(1), { 2: snmp.octetString('bond0'), 3: snmp.integer(1) })
  // A sparse row: column 3 absent, as the kernel did not say.
  .row(ENTRY, integerIndex(5), { 2: snmp.octetString('bond1') })
  .build();
const oids = (list: readonly { oid: Oid }[]) => list.map((vb) => vb.oid.join('.'));

/** The varbinds of an answer that is not an error; throws on an error answer. */
function answered(a: Answer) {
  if (a.kind !== 'answer') throw new Error(`error answer: status ${a.errorStatus}`);
  return a;
}

describe('answerRequest', () => {
  it('Get: values, noSuchInstance inside an object, noSuchObject elsewhere', () => {
    const a = answered(answerRequest(view, { kind: 'get', oids: [[...SCALAR, 0], [...ENTRY, 3, 5], [1, 3, 6, 1, 2]] }));
    expect(a.kind).toBe('answer');
    expect(a.varbinds.map((vb) => vb.value.type)).toEqual(['Integer', 'noSuchInstance', 'noSuchObject']);
  });

  it('GetNext steps over the absent column and ends with endOfMibView at the requested OID', () => {
    const a = answered(answerRequest(view, { kind: 'getNext', oids: [[...ENTRY, 2, 5], [...ENTRY, 3, 1], [2]] }));
    expect(oids(a.varbinds)).toEqual([[...ENTRY, 3, 1].join('.'), [...ENTRY, 3, 1].join('.'), '2']);
    expect(a.varbinds[1]!.value.type).toBe('endOfMibView');
    expect(a.varbinds[2]!.value.type).toBe('endOfMibView');
  });

  it('GetBulk: non-repeaters once, then rounds of the repeaters, stopping when all are past the end', () => {
    const a = answered(answerRequest(view, { kind: 'getBulk', oids: [[1], [...ENTRY, 2], [...ENTRY, 3]], nonRepeaters: 1, maxRepetitions: 10 }));
    const e = (...suffix: number[]) => [...ENTRY, ...suffix].join('.');
    expect(oids(a.varbinds)).toEqual([[...SCALAR, 0].join('.'), e(2, 1), e(3, 1), e(2, 5), e(3, 1), e(3, 1), e(3, 1), e(3, 1), e(3, 1)]);
    // The second repeater is past the end from round 2; the first reaches it in round 4, which ends the answer.
    expect(a.varbinds.map((vb) => vb.value.type)).toEqual([
      'Integer', 'OctetString', 'Integer', 'OctetString', 'endOfMibView', 'Integer', 'endOfMibView', 'endOfMibView', 'endOfMibView',
    ]);
  });

  it('GetBulk with max-repetitions 0 or only non-repeaters gives the non-repeaters', () => {
    expect(answered(answerRequest(view, { kind: 'getBulk', oids: [[1], [1]], nonRepeaters: 1, maxRepetitions: 0 })).varbinds).toHaveLength(1);
    expect(answered(answerRequest(view, { kind: 'getBulk', oids: [[1]], nonRepeaters: 5, maxRepetitions: 9 })).varbinds).toHaveLength(1);
  });

  it('GetBulk keeps under the size bound but always answers the first round', () => {
    const big = new MibViewBuilder().table(ENTRY, [2]);
    for (let i = 1; i <= 500; i++) big.row(ENTRY, integerIndex(i), { 2: snmp.octetString('x'.repeat(200)) });
    const v = big.build();
    const a = answered(answerRequest(v, { kind: 'getBulk', oids: [ENTRY], nonRepeaters: 0, maxRepetitions: 500 }, { maxResponseBytes: 10_000 }));
    expect(a.varbinds.length).toBeGreaterThan(10);
    expect(a.varbinds.length).toBeLessThan(60);
    const one = answered(answerRequest(v, { kind: 'getBulk', oids: [ENTRY], nonRepeaters: 0, maxRepetitions: 500 }, { maxResponseBytes: 1 }));
    expect(one.varbinds).toHaveLength(1);
  });

  it('SET is refused with notWritable on the first varbind', () => {
    const a = answerRequest(view, { kind: 'set', oids: [[...SCALAR, 0], [...ENTRY, 2, 1]] });
    expect(a.kind === 'error' && [a.errorStatus, a.errorIndex]).toEqual([ERROR_STATUS.notWritable, 1]);
  });
});
