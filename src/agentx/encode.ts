import { ByteWriter } from './byte-writer.js';
import { AGENTX_VERSION, Flag, HEADER_LENGTH, PduType } from './constants.js';
import { writeOctetString, writeOid, writeSearchRange, writeVarBind } from './encoding.js';
import { AgentXEncodeError } from './errors.js';
import type { AgentXPdu } from './pdu.js';

export interface EncodeOptions {
  /**
   * Encode least significant byte first (NETWORK_BYTE_ORDER clear). We always
   * send network byte order; the option exists so tests can produce what a
   * little-endian peer would send.
   */
  readonly littleEndian?: boolean;
}

/** Encodes one PDU, header included. Throws AgentXEncodeError for values that do not fit the wire. */
export function encodePdu(pdu: AgentXPdu, options: EncodeOptions = {}): Uint8Array {
  const le = options.littleEndian === true;
  const w = new ByteWriter(le);
  let flags = le ? 0 : Flag.NETWORK_BYTE_ORDER;
  const context = 'context' in pdu ? pdu.context : undefined;
  if (context !== undefined) flags |= Flag.NON_DEFAULT_CONTEXT;
  if (pdu.type === 'Register' && pdu.instanceRegistration) flags |= Flag.INSTANCE_REGISTRATION;
  if (pdu.type === 'IndexAllocate') {
    if (pdu.newIndex) flags |= Flag.NEW_INDEX;
    if (pdu.anyIndex) flags |= Flag.ANY_INDEX;
  }
  w.u8(AGENTX_VERSION);
  w.u8(PduType[pdu.type]);
  w.u8(flags);
  w.u8(0);
  w.u32(pdu.sessionId);
  w.u32(pdu.transactionId);
  w.u32(pdu.packetId);
  w.u32(0);
  if (context !== undefined) writeOctetString(w, context);
  try {
    encodeBody(w, pdu);
  } catch (err) {
    if (err instanceof AgentXEncodeError) throw new AgentXEncodeError(err.message, pdu.type);
    throw err;
  }
  w.setU32(16, w.length - HEADER_LENGTH);
  return w.result();
}

function u8(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 255) throw new AgentXEncodeError(`${what} ${v} does not fit in one byte`);
  return v;
}

function u16(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new AgentXEncodeError(`${what} ${v} does not fit in two bytes`);
  return v;
}

function encodeBody(w: ByteWriter, pdu: AgentXPdu): void {
  switch (pdu.type) {
    case 'Open':
      w.u8(u8(pdu.timeout, 'o.timeout'));
      w.zeros(3);
      writeOid(w, pdu.id);
      writeOctetString(w, pdu.description);
      return;
    case 'Close':
      w.u8(u8(pdu.reason, 'c.reason'));
      w.zeros(3);
      return;
    case 'Register':
    case 'Unregister':
      if (pdu.type === 'Register') w.u8(u8(pdu.timeout, 'r.timeout'));
      else w.u8(0);
      w.u8(u8(pdu.priority, 'priority'));
      w.u8(u8(pdu.rangeSubid, 'range_subid'));
      w.u8(0);
      writeOid(w, pdu.subtree);
      if (pdu.rangeSubid !== 0) {
        if (pdu.upperBound === undefined) throw new AgentXEncodeError('range_subid set without an upper bound');
        if (pdu.rangeSubid > pdu.subtree.length) throw new AgentXEncodeError(`range_subid ${pdu.rangeSubid} beyond the subtree`);
        w.u32(pdu.upperBound);
      }
      return;
    case 'Get':
    case 'GetNext':
      for (const range of pdu.ranges) writeSearchRange(w, range);
      return;
    case 'GetBulk':
      w.u16(u16(pdu.nonRepeaters, 'g.non_repeaters'));
      w.u16(u16(pdu.maxRepetitions, 'g.max_repetitions'));
      for (const range of pdu.ranges) writeSearchRange(w, range);
      return;
    case 'TestSet':
    case 'Notify':
    case 'IndexAllocate':
    case 'IndexDeallocate':
      for (const vb of pdu.varbinds) writeVarBind(w, vb);
      return;
    case 'CommitSet':
    case 'UndoSet':
    case 'CleanupSet':
    case 'Ping':
      return;
    case 'AddAgentCaps':
      writeOid(w, pdu.id);
      writeOctetString(w, pdu.description);
      return;
    case 'RemoveAgentCaps':
      writeOid(w, pdu.id);
      return;
    case 'Response':
      w.u32(pdu.sysUpTime >>> 0);
      w.u16(u16(pdu.error, 'res.error'));
      w.u16(u16(pdu.index, 'res.index'));
      for (const vb of pdu.varbinds) writeVarBind(w, vb);
      return;
  }
}
