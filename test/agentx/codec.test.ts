import { describe, expect, it } from 'vitest';
import { AgentXDecodeError, AgentXEncodeError, decodePdu, encodePdu, type AgentXPdu } from '../../src/agentx/index.js';
import { snmp } from '../../src/snmp/index.js';
import { hex, toHex } from './hex.js';
import { closeLittleEndian, counter64LittleEndian, vectors } from './pdu-vectors.js';

describe('PDU byte vectors (RFC 2741 6.2)', () => {
  for (const v of vectors) {
    describe(v.name, () => {
      it('encodes to the annotated bytes', () => {
        expect(toHex(encodePdu(v.pdu))).toBe(toHex(v.bytes));
      });
      it('decodes from them', () => {
        expect(decodePdu(v.bytes)).toEqual(v.pdu);
      });
      it('round-trips through little-endian too', () => {
        const le = encodePdu(v.pdu, { littleEndian: true });
        expect(le[2]! & 0x10).toBe(0);
        expect(le.length).toBe(v.bytes.length);
        expect(decodePdu(le)).toEqual(v.pdu);
      });
    });
  }

  it('covers every PDU type', () => {
    expect(new Set(vectors.map((v) => v.pdu.type)).size).toBe(18);
  });

  it('decodes a little-endian Close', () => {
    expect(decodePdu(closeLittleEndian)).toEqual({ type: 'Close', sessionId: 7, transactionId: 2, packetId: 2, reason: 5 });
  });

  it('decodes a little-endian Counter64, error and index', () => {
    const pdu = decodePdu(counter64LittleEndian);
    expect(pdu).toEqual({
      type: 'Response',
      sessionId: 7,
      transactionId: 10,
      packetId: 11,
      sysUpTime: 0x01020304,
      error: 5,
      index: 2,
      varbinds: [{ oid: [1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 10], value: snmp.counter64(0x0102030405060708n) }],
    });
  });
});

describe('OID encoding (RFC 2741 5.1)', () => {
  const ping = (oid: number[]): Uint8Array =>
    encodePdu({ type: 'Response', sessionId: 0, transactionId: 0, packetId: 0, sysUpTime: 0, error: 0, index: 0, varbinds: [{ oid, value: snmp.null() }] }).slice(32); // past header, res fields and v.type

  it('uses the prefix only for 1.3.6.1.x with 0 < x < 256 and something after 1.3.6.1', () => {
    expect(toHex(ping([1, 3, 6, 1, 4]))).toBe('00 04 00 00');
    expect(toHex(ping([1, 3, 6, 1]))).toBe(toHex(hex('04 00 00 00  00 00 00 01  00 00 00 03  00 00 00 06  00 00 00 01')));
    expect(toHex(ping([1, 3, 6, 1, 256, 1]))).toMatch(/^06 00 00 00/);
    expect(toHex(ping([1, 3, 6, 1, 0, 1]))).toMatch(/^06 00 00 00/);
    expect(toHex(ping([]))).toBe('00 00 00 00');
  });

  it('decodes a prefixed OID with no further sub-identifiers', () => {
    const bytes = hex(`
      01 12 10 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 10
      00 00 00 00  00 00 00 00   # sysUpTime, error, index
      00 05 00 00  00 04 00 00   # Null named 1.3.6.1.4: n_subid 0, prefix 4
    `);
    const pdu = decodePdu(bytes);
    expect(pdu.type === 'Response' && pdu.varbinds[0]?.oid).toEqual([1, 3, 6, 1, 4]);
  });

  it('refuses sub-identifiers outside uint32 and OIDs over 128 sub-identifiers', () => {
    expect(() => ping([1, 2 ** 32])).toThrow(AgentXEncodeError);
    expect(() => ping([1, -1])).toThrow(AgentXEncodeError);
    expect(() => ping(Array.from({ length: 129 }, () => 1))).toThrow(AgentXEncodeError);
  });
});

describe('decoding errors are typed and located', () => {
  const get = vectors.find((v) => v.name === 'Get')!.bytes;

  it('a truncated payload', () => {
    const err = catchDecode(get.slice(0, get.length - 4));
    expect(err.offset).toBe(20);
    expect(err.header?.type).toBe(5);
  });

  it('a payload length that is longer than the PDU body', () => {
    const bad = get.slice();
    bad[19] = 0x28; // 40: four bytes more than the search range list holds
    const withExtra = new Uint8Array(bad.length + 4);
    withExtra.set(bad);
    const err = catchDecode(withExtra);
    expect(err.message).toMatch(/truncated/);
  });

  it('a wrong version, an unknown type', () => {
    const v2 = get.slice();
    v2[0] = 2;
    expect(catchDecode(v2).message).toMatch(/version 2/);
    const t99 = get.slice();
    t99[1] = 99;
    expect(catchDecode(t99).message).toMatch(/unknown PDU type 99/);
  });

  it('an octet string longer than what is left', () => {
    const open = vectors.find((v) => v.name === 'Open')!.bytes.slice();
    open[open.length - 5] = 0x40; // o.descr length 64
    expect(catchDecode(open).message).toMatch(/o\.descr length 64 exceeds/);
  });

  it('an unknown varbind type', () => {
    const testSet = vectors.find((v) => v.name === 'TestSet')!.bytes.slice();
    testSet[21] = 0x03; // v.type 3 (BIT STRING) is not an AgentX type
    const err = catchDecode(testSet);
    expect(err.message).toMatch(/unknown varbind type 3/);
    expect(err.header?.packetId).toBe(17);
  });

  it('trailing bytes after a fixed-size body', () => {
    const close = hex('01 02 10 00  00 00 00 07  00 00 00 02  00 00 00 02  00 00 00 08  05 00 00 00  00 00 00 00');
    expect(catchDecode(close).message).toMatch(/trailing/);
  });

  it('range_subid beyond the subtree', () => {
    const reg = vectors.find((v) => v.name === 'Register (range, instance)')!.bytes.slice();
    reg[22] = 12;
    expect(catchDecode(reg).message).toMatch(/range_subid 12/);
  });
});

describe('encoding refuses what does not fit', () => {
  const response = (value: Parameters<typeof snmp.integer>[0] | bigint, kind: 'Integer' | 'Counter32' | 'Counter64'): AgentXPdu => ({
    type: 'Response',
    sessionId: 0,
    transactionId: 0,
    packetId: 0,
    sysUpTime: 0,
    error: 0,
    index: 0,
    varbinds: [{ oid: [1, 3], value: kind === 'Counter64' ? snmp.counter64(value as bigint) : kind === 'Integer' ? snmp.integer(value as number) : snmp.counter32(value as number) }],
  });
  it('Integer32, Counter32 and Counter64 ranges; IpAddress length', () => {
    expect(() => encodePdu(response(2 ** 31, 'Integer'))).toThrow(AgentXEncodeError);
    expect(() => encodePdu(response(-1, 'Counter32'))).toThrow(AgentXEncodeError);
    expect(() => encodePdu(response(1.5, 'Counter32'))).toThrow(AgentXEncodeError);
    expect(() => encodePdu(response(2n ** 64n, 'Counter64'))).toThrow(AgentXEncodeError);
    expect(() =>
      encodePdu({ type: 'Notify', sessionId: 0, transactionId: 0, packetId: 0, varbinds: [{ oid: [1, 3], value: snmp.ipAddress(Uint8Array.from([1, 2, 3])) }] }),
    ).toThrow(/IpAddress has 3 bytes/);
  });
});

function catchDecode(bytes: Uint8Array): AgentXDecodeError {
  try {
    decodePdu(bytes);
  } catch (err) {
    if (err instanceof AgentXDecodeError) return err;
    throw new Error(`expected AgentXDecodeError, got ${String(err)}`);
  }
  throw new Error('decoded without error');
}
