import { getBulk, nextInRange } from '../mib/get-bulk.js';
import type { MibProvider, VarBind } from '../snmp/index.js';
import { ResponseError } from './constants.js';
import type { AgentXPdu, ResponsePdu } from './pdu.js';

/** PDUs the master sends to a subagent for SNMP request processing (RFC 2741 7.2). */
export type RequestPdu = Extract<AgentXPdu, { type: 'Get' | 'GetNext' | 'GetBulk' | 'TestSet' | 'CommitSet' | 'UndoSet' | 'CleanupSet' }>;

export function isRequestPdu(pdu: AgentXPdu): pdu is RequestPdu {
  switch (pdu.type) {
    case 'Get':
    case 'GetNext':
    case 'GetBulk':
    case 'TestSet':
    case 'CommitSet':
    case 'UndoSet':
    case 'CleanupSet':
      return true;
    default:
      return false;
  }
}

/**
 * Answers one request from the master out of `provider`, without any I/O.
 * Returns undefined where the RFC says no response is sent (CleanupSet, 7.2.4.4).
 * Everything we serve is read-only, so a SET fails its test phase with notWritable.
 */
export function handleRequest(pdu: RequestPdu, provider: MibProvider): ResponsePdu | undefined {
  const ids = { sessionId: pdu.sessionId, transactionId: pdu.transactionId, packetId: pdu.packetId };
  const respond = (varbinds: readonly VarBind[], error = 0, index = 0): ResponsePdu => ({
    type: 'Response',
    ...ids,
    // res.sysUpTime matters only in responses from the master (RFC 2741 6.2.16).
    sysUpTime: 0,
    error,
    index,
    varbinds,
  });

  // RFC 2741 section 7.2 (subagent processing of requests): a request for a
  // context the subagent does not support is answered with res.error
  // unsupportedContext (262, 6.2.16); masters turn it into genErr for the
  // manager. We serve the default context only; a zero-length context is the default.
  if ('context' in pdu && pdu.context !== undefined && pdu.context.length > 0) {
    return respond([], ResponseError.unsupportedContext, 0);
  }

  switch (pdu.type) {
    case 'Get':
    case 'GetNext': {
      const out: VarBind[] = [];
      for (let i = 0; i < pdu.ranges.length; i++) {
        const range = pdu.ranges[i]!;
        try {
          out.push(pdu.type === 'Get' ? { oid: range.start, value: provider.get(range.start) } : nextInRange(provider, range));
        } catch {
          // A provider bug must not take the session down: report it on this varbind.
          return respond(pdu.ranges.map((r) => ({ oid: r.start, value: { type: 'Null' } })), ResponseError.genErr, i + 1);
        }
      }
      return respond(out);
    }
    case 'GetBulk':
      try {
        return respond(getBulk(provider, pdu));
      } catch {
        return respond([], ResponseError.genErr, 1);
      }
    case 'TestSet':
      // RFC 2741 7.2.4.1: res.index names the first varbind that failed (1-based).
      return respond(pdu.varbinds, pdu.varbinds.length > 0 ? ResponseError.notWritable : 0, pdu.varbinds.length > 0 ? 1 : 0);
    case 'CommitSet':
    case 'UndoSet':
      // Nothing was reserved in TestSet, so there is nothing to commit or undo.
      return respond([]);
    case 'CleanupSet':
      // RFC 2741 7.2.4.4: "No response is sent by the subagent." snmpd 5.9.3
      // sends it after our failed TestSet and does not wait for an answer
      // (the e2e SET test checks the session stays usable right after).
      return undefined;
  }
}
