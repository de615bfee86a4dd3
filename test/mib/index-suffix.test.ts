import { describe, expect, it } from 'vitest';
import { IndexSuffixError, integerIndex } from '../../src/mib/index.js';

describe('index suffixes (RFC 2578 7.7)', () => {
  it('encodes integers as one sub-identifier each', () => {
    expect(integerIndex(3)).toEqual([3]);
    expect(integerIndex(1, 0, 4294967295)).toEqual([1, 0, 4294967295]);
    expect(() => integerIndex(-1)).toThrow(IndexSuffixError);
    expect(() => integerIndex(1.5)).toThrow(IndexSuffixError);
    expect(() => integerIndex(2 ** 32)).toThrow(IndexSuffixError);
  });
});
