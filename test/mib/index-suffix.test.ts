import { describe, expect, it } from 'vitest';
import { IndexSuffixError, concatIndex, integerIndex, ipAddressIndex, oidIndex, stringIndex } from '../../src/mib/index.js';

describe('index suffixes (RFC 2578 7.7)', () => {
  it('encodes integers as one sub-identifier each', () => {
    expect(integerIndex(3)).toEqual([3]);
    expect(integerIndex(1, 0, 4294967295)).toEqual([1, 0, 4294967295]);
    expect(() => integerIndex(-1)).toThrow(IndexSuffixError);
    expect(() => integerIndex(1.5)).toThrow(IndexSuffixError);
    expect(() => integerIndex(2 ** 32)).toThrow(IndexSuffixError);
  });

  it('encodes strings with a length prefix unless IMPLIED', () => {
    expect(stringIndex('bond0')).toEqual([5, 98, 111, 110, 100, 48]);
    expect(stringIndex('bond0', { implied: true })).toEqual([98, 111, 110, 100, 48]);
    expect(stringIndex(new Uint8Array([0, 255]))).toEqual([2, 0, 255]);
    expect(stringIndex('é')).toEqual([2, 0xc3, 0xa9]);
    expect(stringIndex('')).toEqual([0]);
    expect(() => stringIndex('x'.repeat(128))).toThrow(IndexSuffixError);
  });

  it('encodes OIDs and IPv4 addresses', () => {
    expect(oidIndex([1, 3, 6])).toEqual([3, 1, 3, 6]);
    expect(oidIndex([1, 3, 6], { implied: true })).toEqual([1, 3, 6]);
    expect(ipAddressIndex('192.168.0.1')).toEqual([192, 168, 0, 1]);
    expect(ipAddressIndex(new Uint8Array([10, 0, 0, 255]))).toEqual([10, 0, 0, 255]);
    expect(() => ipAddressIndex('10.0.0')).toThrow(IndexSuffixError);
    expect(() => ipAddressIndex('10.0.0.256')).toThrow(IndexSuffixError);
    expect(() => ipAddressIndex('ten')).toThrow(IndexSuffixError);
  });

  it('concatenates parts in INDEX order', () => {
    expect(concatIndex(integerIndex(2), stringIndex('eth1'))).toEqual([2, 4, 101, 116, 104, 49]);
  });
});
