import { MAX_OID_LENGTH, type Oid, type SnmpValue, type VarBind } from '../snmp/index.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { ValueTag } from './constants.js';
import { AgentXEncodeError } from './errors.js';
import type { SearchRange } from './pdu.js';

// RFC 2741 section 5: the encodings shared by every PDU body.

const INTERNET = [1, 3, 6, 1] as const;
const U32_MAX = 0xffffffff;

/** RFC 2741 5.1: n_subid, prefix, include, reserved, then the sub-identifiers. */
export function writeOid(w: ByteWriter, oid: Oid, include = false): void {
  if (oid.length > MAX_OID_LENGTH) throw new AgentXEncodeError(`OID has ${oid.length} sub-identifiers, more than ${MAX_OID_LENGTH}`);
  for (const sub of oid) {
    if (!Number.isInteger(sub) || sub < 0 || sub > U32_MAX) throw new AgentXEncodeError(`OID sub-identifier ${sub} is not a uint32`);
  }
  // The prefix form shortens 1.3.6.1.x.* by five sub-identifiers when 0 < x < 256.
  const fifth = oid[4];
  const prefixed =
    oid.length >= 5 && oid[0] === 1 && oid[1] === 3 && oid[2] === 6 && oid[3] === 1 && fifth !== undefined && fifth > 0 && fifth < 256;
  const subids = prefixed ? oid.slice(5) : oid;
  w.u8(subids.length);
  w.u8(prefixed ? fifth : 0);
  w.u8(include ? 1 : 0);
  w.u8(0);
  for (const sub of subids) w.u32(sub);
}

export interface DecodedOid {
  readonly oid: Oid;
  readonly include: boolean;
}

export function readOidWithInclude(r: ByteReader): DecodedOid {
  const n = r.u8('OID n_subid');
  const prefix = r.u8('OID prefix');
  const include = r.u8('OID include');
  r.u8('OID reserved');
  if (include > 1) r.fail(`OID include field is ${include}, not 0 or 1`);
  const total = n + (prefix ? 5 : 0);
  if (total > MAX_OID_LENGTH) r.fail(`OID has ${total} sub-identifiers, more than ${MAX_OID_LENGTH}`);
  const oid: number[] = prefix ? [...INTERNET, prefix] : [];
  for (let i = 0; i < n; i++) oid.push(r.u32('OID sub-identifier'));
  return { oid, include: include === 1 };
}

export function readOid(r: ByteReader): Oid {
  return readOidWithInclude(r).oid;
}

/** RFC 2741 5.3: a 4-byte length, the octets, padding to a multiple of 4. */
export function writeOctetString(w: ByteWriter, bytes: Uint8Array): void {
  w.u32(bytes.length);
  w.bytes(bytes);
  w.zeros((4 - (bytes.length % 4)) % 4);
}

export function readOctetString(r: ByteReader, what = 'octet string'): Uint8Array {
  const len = r.u32(`${what} length`);
  if (len > r.remaining) r.fail(`${what} length ${len} exceeds the ${r.remaining} bytes left`);
  const out = r.bytesCopy(len, what);
  r.skip((4 - (len % 4)) % 4, `${what} padding`);
  return out;
}

/** RFC 2741 5.2. */
export function writeSearchRange(w: ByteWriter, range: SearchRange): void {
  writeOid(w, range.start, range.include);
  writeOid(w, range.end, false);
}

export function readSearchRange(r: ByteReader): SearchRange {
  const start = readOidWithInclude(r);
  const end = readOid(r);
  return { start: start.oid, include: start.include, end };
}

export function readSearchRangeList(r: ByteReader): SearchRange[] {
  const ranges: SearchRange[] = [];
  while (r.remaining > 0) ranges.push(readSearchRange(r));
  return ranges;
}

function checkUint32(v: number, type: string): number {
  if (!Number.isInteger(v) || v < 0 || v > U32_MAX) throw new AgentXEncodeError(`${type} value ${v} is not a uint32`);
  return v;
}

/** RFC 2741 5.4: v.type, reserved, v.name, v.data. */
export function writeVarBind(w: ByteWriter, vb: VarBind): void {
  const v = vb.value;
  w.u16(ValueTag[v.type]);
  w.u16(0);
  writeOid(w, vb.oid);
  switch (v.type) {
    case 'Integer':
      if (!Number.isInteger(v.value) || v.value < -0x80000000 || v.value > 0x7fffffff) {
        throw new AgentXEncodeError(`Integer32 value ${v.value} out of range`);
      }
      w.i32(v.value);
      break;
    case 'Counter32':
    case 'Gauge32':
    case 'TimeTicks':
      w.u32(checkUint32(v.value, v.type));
      break;
    case 'Counter64':
      if (v.value < 0n || v.value > 0xffffffffffffffffn) throw new AgentXEncodeError(`Counter64 value ${v.value} out of range`);
      w.u64(v.value);
      break;
    case 'OctetString':
    case 'Opaque':
      writeOctetString(w, v.value);
      break;
    case 'IpAddress':
      if (v.value.length !== 4) throw new AgentXEncodeError(`IpAddress has ${v.value.length} bytes, not 4`);
      writeOctetString(w, v.value);
      break;
    case 'ObjectIdentifier':
      writeOid(w, v.value);
      break;
    case 'Null':
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      break;
  }
}

function readValue(r: ByteReader, tag: number): SnmpValue {
  switch (tag) {
    case ValueTag.Integer:
      return { type: 'Integer', value: r.i32('Integer32') };
    case ValueTag.OctetString:
      return { type: 'OctetString', value: readOctetString(r) };
    case ValueTag.Null:
      return { type: 'Null' };
    case ValueTag.ObjectIdentifier:
      return { type: 'ObjectIdentifier', value: readOid(r) };
    case ValueTag.IpAddress: {
      const value = readOctetString(r, 'IpAddress');
      if (value.length !== 4) r.fail(`IpAddress has ${value.length} bytes, not 4`);
      return { type: 'IpAddress', value };
    }
    case ValueTag.Counter32:
      return { type: 'Counter32', value: r.u32('Counter32') };
    case ValueTag.Gauge32:
      return { type: 'Gauge32', value: r.u32('Gauge32') };
    case ValueTag.TimeTicks:
      return { type: 'TimeTicks', value: r.u32('TimeTicks') };
    case ValueTag.Opaque:
      return { type: 'Opaque', value: readOctetString(r, 'Opaque') };
    case ValueTag.Counter64:
      return { type: 'Counter64', value: r.u64('Counter64') };
    case ValueTag.noSuchObject:
      return { type: 'noSuchObject' };
    case ValueTag.noSuchInstance:
      return { type: 'noSuchInstance' };
    case ValueTag.endOfMibView:
      return { type: 'endOfMibView' };
    default:
      return r.fail(`unknown varbind type ${tag}`);
  }
}

export function readVarBind(r: ByteReader): VarBind {
  const tag = r.u16('varbind type');
  r.u16('varbind reserved');
  const oid = readOid(r);
  return { oid, value: readValue(r, tag) };
}

export function readVarBindList(r: ByteReader): VarBind[] {
  const list: VarBind[] = [];
  while (r.remaining > 0) list.push(readVarBind(r));
  return list;
}
