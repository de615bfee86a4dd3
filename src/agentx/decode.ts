import { ByteReader } from './byte-reader.js';
import { AGENTX_VERSION, CONTEXT_PDU_TYPES, Flag, HEADER_LENGTH, PduType, pduTypeName } from './constants.js';
import { readOctetString, readOid, readSearchRangeList, readVarBindList } from './encoding.js';
import { AgentXDecodeError } from './errors.js';
import type { AgentXPdu, PduHeader, PduIds } from './pdu.js';

/** Reads the 20-byte header at `offset`; the caller guarantees 20 bytes are there. */
export function decodeHeader(bytes: Uint8Array, offset = 0): PduHeader {
  if (bytes.length - offset < HEADER_LENGTH) throw new AgentXDecodeError(`truncated header: ${bytes.length - offset} bytes`, 0);
  const flags = bytes[offset + 2]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, HEADER_LENGTH);
  const le = (flags & Flag.NETWORK_BYTE_ORDER) === 0;
  return {
    version: bytes[offset]!,
    type: bytes[offset + 1]!,
    flags,
    sessionId: view.getUint32(4, le),
    transactionId: view.getUint32(8, le),
    packetId: view.getUint32(12, le),
    payloadLength: view.getUint32(16, le),
  };
}

/**
 * What makes a header unusable before its payload has even arrived: a stream
 * decoder must refuse these at once instead of waiting for bytes that may never come.
 */
export function headerProblem(h: PduHeader, maxPayloadLength: number): string | undefined {
  if (h.version !== AGENTX_VERSION) return `unsupported AgentX version ${h.version}`;
  if (pduTypeName(h.type) === undefined) return `unknown PDU type ${h.type}`;
  if (h.payloadLength > maxPayloadLength) return `payload length ${h.payloadLength} exceeds the limit of ${maxPayloadLength}`;
  if (h.payloadLength % 4 !== 0) return `payload length ${h.payloadLength} is not a multiple of 4`;
  return undefined;
}

export const DEFAULT_MAX_PAYLOAD_LENGTH = 1024 * 1024;

/**
 * Decodes one complete PDU starting at `offset`. Throws AgentXDecodeError (and
 * nothing else) when the bytes are not a valid PDU.
 */
export function decodePdu(bytes: Uint8Array, offset = 0, maxPayloadLength = DEFAULT_MAX_PAYLOAD_LENGTH): AgentXPdu {
  const header = decodeHeader(bytes, offset);
  const problem = headerProblem(header, maxPayloadLength);
  if (problem) throw new AgentXDecodeError(problem, 0, header);
  const end = offset + HEADER_LENGTH + header.payloadLength;
  if (end > bytes.length) {
    throw new AgentXDecodeError(`truncated payload: ${header.payloadLength} announced, ${bytes.length - offset - HEADER_LENGTH} present`, HEADER_LENGTH, header);
  }
  const r = new ByteReader(bytes, (header.flags & Flag.NETWORK_BYTE_ORDER) === 0, offset + HEADER_LENGTH, end, offset, header);
  const pdu = decodeBody(r, header);
  if (r.remaining !== 0) r.fail(`${r.remaining} unexpected trailing bytes`);
  return pdu;
}

function decodeBody(r: ByteReader, h: PduHeader): AgentXPdu {
  const ids: PduIds = { sessionId: h.sessionId, transactionId: h.transactionId, packetId: h.packetId };
  // The NON_DEFAULT_CONTEXT flag means nothing on the PDU types without a context field.
  const hasContext = (h.flags & Flag.NON_DEFAULT_CONTEXT) !== 0 && CONTEXT_PDU_TYPES.has(h.type);
  const ctx = hasContext ? { ...ids, context: readOctetString(r, 'context') } : ids;
  switch (h.type) {
    case PduType.Open: {
      const timeout = r.u8('o.timeout');
      r.skip(3, 'reserved');
      const id = readOid(r);
      return { type: 'Open', ...ids, timeout, id, description: readOctetString(r, 'o.descr') };
    }
    case PduType.Close: {
      const reason = r.u8('c.reason');
      r.skip(3, 'reserved');
      return { type: 'Close', ...ids, reason };
    }
    case PduType.Register: {
      const timeout = r.u8('r.timeout');
      const priority = r.u8('r.priority');
      const rangeSubid = r.u8('r.range_subid');
      r.skip(1, 'reserved');
      const subtree = readOid(r);
      const upperBound = rangeSubid !== 0 ? readUpperBound(r, rangeSubid, subtree.length) : undefined;
      const instanceRegistration = (h.flags & Flag.INSTANCE_REGISTRATION) !== 0;
      return { type: 'Register', ...ctx, timeout, priority, subtree, rangeSubid, ...(upperBound !== undefined ? { upperBound } : {}), instanceRegistration };
    }
    case PduType.Unregister: {
      r.skip(1, 'reserved');
      const priority = r.u8('u.priority');
      const rangeSubid = r.u8('u.range_subid');
      r.skip(1, 'reserved');
      const subtree = readOid(r);
      const upperBound = rangeSubid !== 0 ? readUpperBound(r, rangeSubid, subtree.length) : undefined;
      return { type: 'Unregister', ...ctx, priority, subtree, rangeSubid, ...(upperBound !== undefined ? { upperBound } : {}) };
    }
    case PduType.Get:
      return { type: 'Get', ...ctx, ranges: readSearchRangeList(r) };
    case PduType.GetNext:
      return { type: 'GetNext', ...ctx, ranges: readSearchRangeList(r) };
    case PduType.GetBulk: {
      const nonRepeaters = r.u16('g.non_repeaters');
      const maxRepetitions = r.u16('g.max_repetitions');
      return { type: 'GetBulk', ...ctx, nonRepeaters, maxRepetitions, ranges: readSearchRangeList(r) };
    }
    case PduType.TestSet:
      return { type: 'TestSet', ...ctx, varbinds: readVarBindList(r) };
    case PduType.CommitSet:
      return { type: 'CommitSet', ...ids };
    case PduType.UndoSet:
      return { type: 'UndoSet', ...ids };
    case PduType.CleanupSet:
      return { type: 'CleanupSet', ...ids };
    case PduType.Notify:
      return { type: 'Notify', ...ctx, varbinds: readVarBindList(r) };
    case PduType.Ping:
      return { type: 'Ping', ...ctx };
    case PduType.IndexAllocate:
      return {
        type: 'IndexAllocate',
        ...ctx,
        newIndex: (h.flags & Flag.NEW_INDEX) !== 0,
        anyIndex: (h.flags & Flag.ANY_INDEX) !== 0,
        varbinds: readVarBindList(r),
      };
    case PduType.IndexDeallocate:
      return { type: 'IndexDeallocate', ...ctx, varbinds: readVarBindList(r) };
    case PduType.AddAgentCaps: {
      const id = readOid(r);
      return { type: 'AddAgentCaps', ...ctx, id, description: readOctetString(r, 'a.descr') };
    }
    case PduType.RemoveAgentCaps:
      return { type: 'RemoveAgentCaps', ...ctx, id: readOid(r) };
    case PduType.Response: {
      const sysUpTime = r.u32('res.sysUpTime');
      const error = r.u16('res.error');
      const index = r.u16('res.index');
      return { type: 'Response', ...ids, sysUpTime, error, index, varbinds: readVarBindList(r) };
    }
    default:
      return r.fail(`unknown PDU type ${h.type}`);
  }
}

function readUpperBound(r: ByteReader, rangeSubid: number, subtreeLength: number): number {
  // range_subid names a sub-identifier of the subtree (1-based), so it must exist.
  if (rangeSubid > subtreeLength) r.fail(`range_subid ${rangeSubid} beyond a subtree of ${subtreeLength} sub-identifiers`);
  return r.u32('upper_bound');
}
