/**
 * OBJECT IDENTIFIERs as arrays of sub-identifiers (unsigned 32-bit).
 * Everything above this layer passes OIDs in this form; strings are for
 * humans and config only.
 */
export type Oid = readonly number[];

export class OidParseError extends Error {
  constructor(readonly text: string, reason: string) {
    super(`invalid OID "${text}": ${reason}`);
    this.name = 'OidParseError';
  }
}

const MAX_SUBID = 0xffffffff;
/** RFC 2578: at most 128 sub-identifiers. */
export const MAX_OID_LENGTH = 128;

/** Parses "1.3.6.1" or ".1.3.6.1". */
export function parseOid(text: string): Oid {
  const body = text.startsWith('.') ? text.slice(1) : text;
  if (body === '') throw new OidParseError(text, 'empty');
  const parts = body.split('.');
  if (parts.length > MAX_OID_LENGTH) throw new OidParseError(text, `more than ${MAX_OID_LENGTH} sub-identifiers`);
  return parts.map((p) => {
    if (!/^\d+$/.test(p)) throw new OidParseError(text, `"${p}" is not a sub-identifier`);
    const n = Number(p);
    if (n > MAX_SUBID) throw new OidParseError(text, `${p} exceeds 2^32-1`);
    return n;
  });
}

export function formatOid(oid: Oid): string {
  return oid.join('.');
}

/** Lexicographic order of RFC 2578 / RFC 2741: -1, 0 or 1. */
export function compareOids(a: Oid, b: Oid): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** True when `prefix` is `oid` or an ancestor of it. */
export function isPrefixOf(prefix: Oid, oid: Oid): boolean {
  if (prefix.length > oid.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== oid[i]) return false;
  return true;
}

export function oidEquals(a: Oid, b: Oid): boolean {
  return compareOids(a, b) === 0;
}
