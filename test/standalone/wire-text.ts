import type { TextVarBind } from '../support/net-snmp.js';
import { formatOid, type VarBind } from '../../src/snmp/index.js';

/** A varbind as comparable text: [oid, type, value], from either side. */
export type Comparable = readonly [string, string, string];

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** What Net-SNMP's tools print for our value, run with -On -Ox (strings in hex). */
export function fromView(vb: VarBind): Comparable {
  const oid = formatOid(vb.oid);
  const v = vb.value;
  switch (v.type) {
    case 'Integer':
      return [oid, 'INTEGER', String(v.value)];
    case 'OctetString':
      return [oid, 'STRING', hex(v.value)];
    case 'Gauge32':
      return [oid, 'Gauge32', String(v.value)];
    case 'Counter32':
      return [oid, 'Counter32', String(v.value)];
    case 'TimeTicks':
      return [oid, 'Timeticks', String(v.value)];
    case 'ObjectIdentifier':
      return [oid, 'OID', formatOid(v.value)];
    default:
      return [oid, v.type, 'value' in v ? String(v.value) : ''];
  }
}

export function fromTool(vb: TextVarBind): Comparable {
  // -Ox prints every string as Hex-STRING, except the empty one ("").
  if (vb.type === 'Hex-STRING' || vb.type === 'STRING') return [vb.oid, 'STRING', hex(vb.bytes ?? new Uint8Array())];
  return [vb.oid, vb.type, vb.text];
}
