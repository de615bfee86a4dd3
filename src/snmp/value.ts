import type { Oid } from './oid.js';

/**
 * SNMP values in SMIv2 terms, plus the three exceptions a response can carry.
 * Octet strings are bytes, never JavaScript strings: MAC addresses and
 * non-ASCII text must survive unchanged.
 */
export type SnmpValue =
  | { readonly type: 'Integer'; readonly value: number }
  | { readonly type: 'OctetString'; readonly value: Uint8Array }
  | { readonly type: 'Null' }
  | { readonly type: 'ObjectIdentifier'; readonly value: Oid }
  /** Four bytes, network order. */
  | { readonly type: 'IpAddress'; readonly value: Uint8Array }
  | { readonly type: 'Counter32'; readonly value: number }
  | { readonly type: 'Gauge32'; readonly value: number }
  | { readonly type: 'TimeTicks'; readonly value: number }
  | { readonly type: 'Opaque'; readonly value: Uint8Array }
  | { readonly type: 'Counter64'; readonly value: bigint }
  | { readonly type: 'noSuchObject' }
  | { readonly type: 'noSuchInstance' }
  | { readonly type: 'endOfMibView' };

export type SnmpValueType = SnmpValue['type'];

export interface VarBind {
  readonly oid: Oid;
  readonly value: SnmpValue;
}

const encoder = new TextEncoder();

/**
 * The small integers (enumerations, TruthValues, ports, priorities), made once: a view build
 * asks for thousands of them, and values are immutable.
 */
const SMALL_INTEGERS: readonly SnmpValue[] = Array.from({ length: 1024 }, (_, value) => Object.freeze({ type: 'Integer', value }));

export const snmp = {
  integer: (value: number): SnmpValue =>
    value >= 0 && value < SMALL_INTEGERS.length && Number.isInteger(value) ? SMALL_INTEGERS[value]! : { type: 'Integer', value },
  octetString: (value: Uint8Array | string): SnmpValue => ({
    type: 'OctetString',
    value: typeof value === 'string' ? encoder.encode(value) : value,
  }),
  null: (): SnmpValue => ({ type: 'Null' }),
  oid: (value: Oid): SnmpValue => ({ type: 'ObjectIdentifier', value }),
  ipAddress: (value: Uint8Array): SnmpValue => ({ type: 'IpAddress', value }),
  counter32: (value: number): SnmpValue => ({ type: 'Counter32', value }),
  gauge32: (value: number): SnmpValue => ({ type: 'Gauge32', value }),
  timeTicks: (value: number): SnmpValue => ({ type: 'TimeTicks', value }),
  opaque: (value: Uint8Array): SnmpValue => ({ type: 'Opaque', value }),
  counter64: (value: bigint): SnmpValue => ({ type: 'Counter64', value }),
  noSuchObject: (): SnmpValue => ({ type: 'noSuchObject' }),
  noSuchInstance: (): SnmpValue => ({ type: 'noSuchInstance' }),
  endOfMibView: (): SnmpValue => ({ type: 'endOfMibView' }),
} as const;

/** The three exceptions, shared so that a miss allocates nothing. */
export const NO_SUCH_OBJECT: SnmpValue = Object.freeze({ type: 'noSuchObject' });
export const NO_SUCH_INSTANCE: SnmpValue = Object.freeze({ type: 'noSuchInstance' });
export const END_OF_MIB_VIEW: SnmpValue = Object.freeze({ type: 'endOfMibView' });

export function isException(v: SnmpValue): boolean {
  return v.type === 'noSuchObject' || v.type === 'noSuchInstance' || v.type === 'endOfMibView';
}
