import { MAX_OID_LENGTH, parseOid, type Oid } from '../snmp/index.js';

/** An index value that cannot be encoded as an instance suffix (RFC 2578 section 7.7). */
export class IndexSuffixError extends RangeError {
  constructor(reason: string) {
    super(reason);
    this.name = 'IndexSuffixError';
  }
}

const MAX_SUBID = 0xffffffff;
const encoder = new TextEncoder();

/** Integer-valued indexes: one sub-identifier each, non-negative (RFC 2578 7.7 (1)). */
export function integerIndex(...values: readonly number[]): Oid {
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0 || v > MAX_SUBID) throw new IndexSuffixError(`integer index ${v} is not in 0..2^32-1`);
  }
  return checked([...values]);
}

/**
 * An OCTET STRING index: length then one sub-identifier per byte, or only the
 * bytes when the INDEX clause says IMPLIED or the string has a fixed size
 * (RFC 2578 7.7 (2), (3)). Strings are taken as UTF-8.
 */
export function stringIndex(value: Uint8Array | string, options: { readonly implied?: boolean } = {}): Oid {
  const bytes = typeof value === 'string' ? encoder.encode(value) : value;
  const subids = Array.from(bytes);
  return checked(options.implied === true ? subids : [bytes.length, ...subids]);
}

/** An OBJECT IDENTIFIER index: length then the sub-identifiers, or only them when IMPLIED (RFC 2578 7.7 (4)). */
export function oidIndex(value: Oid, options: { readonly implied?: boolean } = {}): Oid {
  return checked(options.implied === true ? [...value] : [value.length, ...value]);
}

/** An IpAddress index: four sub-identifiers (RFC 2578 7.7 (5)); "a.b.c.d" or four bytes. */
export function ipAddressIndex(address: Uint8Array | string): Oid {
  const bytes = typeof address === 'string' ? parseDotted(address) : Array.from(address);
  if (bytes === undefined || bytes.length !== 4 || bytes.some((b) => b > 255)) {
    throw new IndexSuffixError(`"${String(address)}" is not an IPv4 address`);
  }
  return bytes;
}

/** Several index parts in INDEX clause order. */
export function concatIndex(...parts: readonly Oid[]): Oid {
  return checked(parts.flat());
}

function parseDotted(text: string): number[] | undefined {
  try {
    return [...parseOid(text)];
  } catch {
    return undefined;
  }
}

function checked(suffix: number[]): Oid {
  if (suffix.length > MAX_OID_LENGTH) throw new IndexSuffixError(`index of ${suffix.length} sub-identifiers exceeds ${MAX_OID_LENGTH}`);
  return suffix;
}
