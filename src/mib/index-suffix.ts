import { MAX_OID_LENGTH, type Oid } from '../snmp/index.js';

/** An index value that cannot be encoded as an instance suffix (RFC 2578 section 7.7). */
export class IndexSuffixError extends RangeError {
  constructor(reason: string) {
    super(reason);
    this.name = 'IndexSuffixError';
  }
}

const MAX_SUBID = 0xffffffff;

/** Integer-valued indexes: one sub-identifier each, non-negative (RFC 2578 7.7 (1)). */
export function integerIndex(...values: readonly number[]): Oid {
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0 || v > MAX_SUBID) throw new IndexSuffixError(`integer index ${v} is not in 0..2^32-1`);
  }
  return checked([...values]);
}

function checked(suffix: number[]): Oid {
  if (suffix.length > MAX_OID_LENGTH) throw new IndexSuffixError(`index of ${suffix.length} sub-identifiers exceeds ${MAX_OID_LENGTH}`);
  return suffix;
}
