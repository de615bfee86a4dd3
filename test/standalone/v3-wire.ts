/**
 * Just enough BER to read an SNMPv3 message off the wire in a test (RFC 3412
 * 6, RFC 3414 2.4): its flags, the USM header (engine ID, boots, time, user)
 * and, when it is not encrypted, its PDU. Encrypted PDUs stay opaque: a test
 * tells a Response to an authPriv request from a Report by its flags.
 */

export const PDU = { get: 0xa0, getNext: 0xa1, response: 0xa2, set: 0xa3, getBulk: 0xa5, trap: 0xa7, report: 0xa8 } as const;
export const FLAGS = { auth: 0x01, priv: 0x02, reportable: 0x04 } as const;
export const USM_STATS_NOT_IN_TIME_WINDOWS = '1.3.6.1.6.3.15.1.1.2.0';
export const USM_STATS_UNKNOWN_ENGINE_IDS = '1.3.6.1.6.3.15.1.1.4.0';

export interface WireVarbind {
  readonly oid: string;
  /** The value's BER tag (0x41 Counter32, 0x43 TimeTicks, 0x04 OCTET STRING, ...). */
  readonly tag: number;
  /** Integers and counters as numbers, anything else as its bytes. */
  readonly value: number | Buffer;
}

export interface WirePdu {
  readonly type: number;
  readonly requestId: number;
  readonly errorStatus: number;
  readonly errorIndex: number;
  readonly varbinds: readonly WireVarbind[];
}

export interface V3Message {
  readonly msgId: number;
  readonly flags: number;
  readonly engineId: string;
  readonly boots: number;
  readonly time: number;
  readonly userName: string;
  /** undefined when the scoped PDU is encrypted. */
  readonly pdu: WirePdu | undefined;
}

interface Tlv {
  readonly tag: number;
  readonly value: Buffer;
  readonly next: number;
}

function tlv(buf: Buffer, offset: number): Tlv {
  const tag = buf[offset];
  let length = buf[offset + 1];
  if (tag === undefined || length === undefined) throw new Error(`BER: truncated at ${offset}`);
  let start = offset + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (buf[start + i] ?? 0);
    start += n;
  }
  if (start + length > buf.length) throw new Error(`BER: length ${length} at ${offset} runs past the end`);
  return { tag, value: buf.subarray(start, start + length), next: start + length };
}

/** The TLVs inside a constructed value, in order. */
function children(value: Buffer): Tlv[] {
  const list: Tlv[] = [];
  for (let at = 0; at < value.length; ) {
    const t = tlv(value, at);
    list.push(t);
    at = t.next;
  }
  return list;
}

function integer(value: Buffer, signed: boolean): number {
  let n = 0;
  for (const byte of value) n = n * 256 + byte;
  if (signed && value.length > 0 && (value[0]! & 0x80) !== 0) n -= 2 ** (8 * value.length);
  return n;
}

function oidText(value: Buffer): string {
  const arcs: number[] = [];
  let arc = 0;
  for (const byte of value) {
    arc = arc * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(Math.min(Math.floor(arc / 40), 2), arc - Math.min(Math.floor(arc / 40), 2) * 40);
      else arcs.push(arc);
      arc = 0;
    }
  }
  return arcs.join('.');
}

function at<T>(list: readonly T[], index: number, what: string): T {
  const item = list[index];
  if (item === undefined) throw new Error(`SNMPv3 message: no ${what}`);
  return item;
}

function decodePdu(t: Tlv): WirePdu {
  const [id, status, index, list] = [0, 1, 2, 3].map((i) => at(children(t.value), i, 'PDU field'));
  return {
    type: t.tag,
    requestId: integer(id!.value, true),
    errorStatus: integer(status!.value, true),
    errorIndex: integer(index!.value, true),
    varbinds: children(list!.value).map((vb) => {
      const [name, value] = children(vb.value);
      const numeric = value!.tag === 0x02 || value!.tag === 0x41 || value!.tag === 0x42 || value!.tag === 0x43;
      return { oid: oidText(name!.value), tag: value!.tag, value: numeric ? integer(value!.value, value!.tag === 0x02) : Buffer.from(value!.value) };
    }),
  };
}

/** Decodes an SNMPv3 message; throws on anything else. */
export function decodeV3(bytes: Buffer): V3Message {
  const top = children(tlv(bytes, 0).value);
  if (integer(at(top, 0, 'version').value, true) !== 3) throw new Error('not an SNMPv3 message');
  const header = children(at(top, 1, 'header').value);
  const usm = children(tlv(at(top, 2, 'security parameters').value, 0).value);
  const data = at(top, 3, 'scoped PDU');
  const flags = at(header, 2, 'msgFlags').value[0] ?? 0;
  let pdu: WirePdu | undefined;
  if (data.tag === 0x30) pdu = decodePdu(at(children(data.value), 2, 'PDU'));
  return {
    msgId: integer(at(header, 0, 'msgID').value, true),
    flags,
    engineId: at(usm, 0, 'engine ID').value.toString('hex'),
    boots: integer(at(usm, 1, 'engine boots').value, true),
    time: integer(at(usm, 2, 'engine time').value, true),
    userName: at(usm, 3, 'user name').value.toString('utf8'),
    pdu,
  };
}

/** Whether `bytes` is an SNMPv3 message at all (a relay also carries other traffic). */
export function isV3(bytes: Buffer): boolean {
  try {
    decodeV3(bytes);
    return true;
  } catch {
    return false;
  }
}
