import * as snmp from 'net-snmp';
import { formatOid, parseOid, type Oid, type SnmpValue, type VarBind } from '../snmp/index.js';

/** net-snmp's wire form of one variable binding: OIDs as dotted strings, octet strings as Buffers. */
export interface WireVarbind {
  readonly oid: string;
  readonly type: number;
  readonly value: unknown;
}

/** The unsigned big-endian bytes of a Counter64, with the leading zero BER needs when the top bit is set. */
function counter64Bytes(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/** One of our values as net-snmp encodes it in a response or a notification. */
export function toWireValue(value: SnmpValue): { readonly type: number; readonly value: unknown } {
  const T = snmp.ObjectType;
  switch (value.type) {
    case 'Integer':
      return { type: T.Integer, value: value.value };
    case 'OctetString':
      return { type: T.OctetString, value: Buffer.from(value.value) };
    case 'Null':
      return { type: T.Null, value: null };
    case 'ObjectIdentifier':
      return { type: T.OID, value: formatOid(value.value) };
    case 'IpAddress':
      return { type: T.IpAddress, value: Array.from(value.value).join('.') };
    case 'Counter32':
      return { type: T.Counter, value: value.value };
    case 'Gauge32':
      return { type: T.Gauge, value: value.value };
    case 'TimeTicks':
      return { type: T.TimeTicks, value: value.value };
    case 'Opaque':
      return { type: T.Opaque, value: Buffer.from(value.value) };
    case 'Counter64':
      return { type: T.Counter64, value: counter64Bytes(value.value) };
    case 'noSuchObject':
      return { type: T.NoSuchObject, value: null };
    case 'noSuchInstance':
      return { type: T.NoSuchInstance, value: null };
    case 'endOfMibView':
      return { type: T.EndOfMibView, value: null };
  }
}

export function toWireVarbind(oid: Oid, value: SnmpValue): WireVarbind {
  return { oid: formatOid(oid), ...toWireValue(value) };
}

export const toWireVarbinds = (list: readonly VarBind[]): WireVarbind[] => list.map((vb) => toWireVarbind(vb.oid, vb.value));

/** A received varbind in our terms; undefined for a type net-snmp decoded but we do not know. */
export function fromWireVarbind(vb: { readonly oid: string; readonly type: number; readonly value: unknown }): VarBind | undefined {
  const T = snmp.ObjectType;
  const oid = parseOid(vb.oid);
  const bytes = (): Uint8Array => (Buffer.isBuffer(vb.value) ? new Uint8Array(vb.value) : new TextEncoder().encode(String(vb.value)));
  switch (vb.type) {
    case T.Integer:
      return { oid, value: { type: 'Integer', value: Number(vb.value) } };
    case T.OctetString:
      return { oid, value: { type: 'OctetString', value: bytes() } };
    case T.OID:
      return { oid, value: { type: 'ObjectIdentifier', value: parseOid(String(vb.value)) } };
    case T.Counter:
      return { oid, value: { type: 'Counter32', value: Number(vb.value) } };
    case T.Gauge:
      return { oid, value: { type: 'Gauge32', value: Number(vb.value) } };
    case T.TimeTicks:
      return { oid, value: { type: 'TimeTicks', value: Number(vb.value) } };
    case T.IpAddress:
      return { oid, value: { type: 'IpAddress', value: Uint8Array.from(String(vb.value).split('.').map(Number)) } };
    default:
      return undefined;
  }
}
