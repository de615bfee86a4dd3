import { describe, expect, it } from 'vitest';
import { handleRequest, ResponseError, type RequestPdu, type SearchRange } from '../../src/agentx/index.js';
import { snmp, type MibProvider, type Oid } from '../../src/snmp/index.js';
import { ArrayProvider } from './array-provider.js';

const B: Oid = [1, 3, 6, 1, 4, 1, 99999];
const at = (...s: number[]): Oid => [...B, ...s];
const provider = new ArrayProvider([
  { oid: at(1, 0), value: snmp.integer(1) },
  { oid: at(2, 0), value: snmp.octetString('two') },
  // table 3 is empty; table 4 has two rows
  { oid: at(4, 1, 1, 1), value: snmp.integer(11) },
  { oid: at(4, 1, 1, 2), value: snmp.integer(12) },
  { oid: at(4, 1, 2, 1), value: snmp.gauge32(21) },
  { oid: at(4, 1, 2, 2), value: snmp.gauge32(22) },
]);
const ids = { sessionId: 3, transactionId: 9, packetId: 42 };
const range = (start: Oid, include = false, end: Oid = []): SearchRange => ({ start, include, end });

function answer(pdu: RequestPdu, p: MibProvider = provider) {
  const res = handleRequest(pdu, p);
  if (!res) throw new Error('no response');
  expect(res).toMatchObject({ type: 'Response', ...ids });
  return res;
}

describe('Get', () => {
  it('returns values, noSuchInstance and noSuchObject per varbind', () => {
    const res = answer({ type: 'Get', ...ids, ranges: [range(at(1, 0)), range(at(1, 1)), range(at(9, 0))] });
    expect(res.error).toBe(0);
    expect(res.varbinds).toEqual([
      { oid: at(1, 0), value: snmp.integer(1) },
      { oid: at(1, 1), value: snmp.noSuchInstance() },
      { oid: at(9, 0), value: snmp.noSuchObject() },
    ]);
  });
});

describe('GetNext honours the search range', () => {
  const next = (...ranges: SearchRange[]) => answer({ type: 'GetNext', ...ids, ranges }).varbinds;

  it('excludes the start unless include is set', () => {
    expect(next(range(at(1, 0)))).toEqual([{ oid: at(2, 0), value: snmp.octetString('two') }]);
    expect(next(range(at(1, 0), true))).toEqual([{ oid: at(1, 0), value: snmp.integer(1) }]);
  });

  it('crosses an empty table', () => {
    expect(next(range(at(2, 0)))[0]!.oid).toEqual(at(4, 1, 1, 1));
    expect(next(range(at(3)))[0]!.oid).toEqual(at(4, 1, 1, 1));
  });

  it('stops strictly before the end: endOfMibView named by the start', () => {
    expect(next(range(at(2, 0), false, at(4, 1, 1, 1)))).toEqual([{ oid: at(2, 0), value: snmp.endOfMibView() }]);
    expect(next(range(at(2, 0), false, at(4, 1, 1, 2)))[0]!.oid).toEqual(at(4, 1, 1, 1));
  });

  it('answers endOfMibView past the last object', () => {
    expect(next(range(at(4, 1, 2, 2)))).toEqual([{ oid: at(4, 1, 2, 2), value: snmp.endOfMibView() }]);
    expect(next(range([2]))).toEqual([{ oid: [2], value: snmp.endOfMibView() }]);
  });

  it('does not trust a provider that answers outside the range', () => {
    const sloppy: MibProvider = { get: () => snmp.noSuchObject(), getNext: () => ({ oid: at(4, 1, 2, 2), value: snmp.integer(0) }) };
    expect(answer({ type: 'GetNext', ...ids, ranges: [range(at(1), false, at(2))] }, sloppy).varbinds[0]!.value).toEqual(snmp.endOfMibView());
    expect(answer({ type: 'GetNext', ...ids, ranges: [range(at(4, 1, 2, 2))] }, sloppy).varbinds[0]!.value).toEqual(snmp.endOfMibView());
  });
});

describe('GetBulk (RFC 2741 7.2.3.3)', () => {
  it('non-repeaters once, repeaters max-repetitions times, in SNMP order', () => {
    const res = answer({ type: 'GetBulk', ...ids, nonRepeaters: 1, maxRepetitions: 2, ranges: [range(at(1, 0)), range(at(4, 1, 1)), range(at(4, 1, 2))] });
    expect(res.varbinds.map((v) => v.oid)).toEqual([at(2, 0), at(4, 1, 1, 1), at(4, 1, 2, 1), at(4, 1, 1, 2), at(4, 1, 2, 2)]);
  });

  it('keeps each range end, pads an exhausted repeater with endOfMibView, stops when all are exhausted', () => {
    const res = answer({ type: 'GetBulk', ...ids, nonRepeaters: 0, maxRepetitions: 10, ranges: [range(at(4, 1, 1), false, at(4, 1, 2)), range(at(4, 1, 2, 1))] });
    expect(res.varbinds).toEqual([
      { oid: at(4, 1, 1, 1), value: snmp.integer(11) },
      { oid: at(4, 1, 2, 2), value: snmp.gauge32(22) },
      { oid: at(4, 1, 1, 2), value: snmp.integer(12) },
      { oid: at(4, 1, 2, 2), value: snmp.endOfMibView() },
      { oid: at(4, 1, 1, 2), value: snmp.endOfMibView() },
      { oid: at(4, 1, 2, 2), value: snmp.endOfMibView() },
    ]);
  });

  it('with max-repetitions 0 answers the non-repeaters only', () => {
    const res = answer({ type: 'GetBulk', ...ids, nonRepeaters: 1, maxRepetitions: 0, ranges: [range(at(1, 0)), range(at(2))] });
    expect(res.varbinds.map((v) => v.oid)).toEqual([at(2, 0)]);
  });
});

describe('SET phases: everything is read-only', () => {
  it('TestSet fails with notWritable on the first varbind', () => {
    const res = answer({ type: 'TestSet', ...ids, varbinds: [{ oid: at(1, 0), value: snmp.integer(5) }, { oid: at(2, 0), value: snmp.octetString('x') }] });
    expect(res.error).toBe(ResponseError.notWritable);
    expect(res.error).toBe(17);
    expect(res.index).toBe(1);
  });

  it('CommitSet and UndoSet are answered; CleanupSet is not (RFC 2741 7.2.4.4)', () => {
    expect(answer({ type: 'CommitSet', ...ids }).error).toBe(0);
    expect(answer({ type: 'UndoSet', ...ids }).error).toBe(0);
    expect(handleRequest({ type: 'CleanupSet', ...ids }, provider)).toBeUndefined();
  });
});

describe('contexts and faults', () => {
  it('refuses a non-default context with unsupportedContext', () => {
    const context = new TextEncoder().encode('vrf-blue');
    for (const pdu of [
      { type: 'Get', ...ids, context, ranges: [range(at(1, 0))] },
      { type: 'GetNext', ...ids, context, ranges: [range(at(1, 0))] },
      { type: 'GetBulk', ...ids, context, nonRepeaters: 0, maxRepetitions: 3, ranges: [range(at(1, 0))] },
      { type: 'TestSet', ...ids, context, varbinds: [{ oid: at(1, 0), value: snmp.integer(1) }] },
    ] as const) {
      expect(answer(pdu).error).toBe(ResponseError.unsupportedContext);
    }
  });

  it('treats an empty context as the default one', () => {
    expect(answer({ type: 'Get', ...ids, context: new Uint8Array(0), ranges: [range(at(1, 0))] }).varbinds[0]!.value).toEqual(snmp.integer(1));
  });

  it('a provider that throws yields genErr on that varbind, not an exception', () => {
    const broken: MibProvider = {
      get: (oid) => {
        if (oid.length > 8) throw new Error('boom');
        return snmp.integer(0);
      },
      getNext: () => {
        throw new Error('boom');
      },
    };
    const res = answer({ type: 'Get', ...ids, ranges: [range(at(1)), range(at(1, 0))] }, broken);
    expect(res.error).toBe(ResponseError.genErr);
    expect(res.index).toBe(2);
    expect(answer({ type: 'GetBulk', ...ids, nonRepeaters: 0, maxRepetitions: 2, ranges: [range(at(1))] }, broken).error).toBe(ResponseError.genErr);
  });
});
