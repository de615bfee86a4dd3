import { compareOids, type MibProvider, type Oid, type SnmpValue, type VarBind } from '../snmp/index.js';
import { ResponseError } from './constants.js';
import type { AgentXPdu, GetBulkPdu, ResponsePdu, SearchRange } from './pdu.js';

const END_OF_MIB_VIEW: SnmpValue = { type: 'endOfMibView' };

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
        return respond(getBulk(pdu, provider));
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

/**
 * RFC 2741 5.2 / 7.2.3.2: the first object after `start` (or at it when
 * `include`), strictly before `end` when `end` is not the null OID; otherwise
 * endOfMibView with the start OID as its name. The bounds are checked here too,
 * so a provider that overshoots cannot answer outside the master's range.
 */
export function nextInRange(provider: MibProvider, range: SearchRange): VarBind {
  const bounded = range.end.length > 0;
  const found = provider.getNext(range.start, range.include, bounded ? range.end : undefined);
  if (found === undefined) return { oid: range.start, value: END_OF_MIB_VIEW };
  const cmp = compareOids(found.oid, range.start);
  if (cmp < 0 || (cmp === 0 && !range.include)) return { oid: range.start, value: END_OF_MIB_VIEW };
  if (bounded && compareOids(found.oid, range.end) >= 0) return { oid: range.start, value: END_OF_MIB_VIEW };
  return found;
}

/**
 * RFC 2741 7.2.3.3: the first non_repeaters ranges once, then the rest
 * max_repetitions times, each repetition starting (exclusively) after the
 * previous answer and keeping the range's end. Stops early once every
 * repeater has reached endOfMibView, as the RFC allows.
 */
export function getBulk(pdu: GetBulkPdu, provider: MibProvider): VarBind[] {
  const out: VarBind[] = [];
  const nonRepeaters = Math.min(pdu.nonRepeaters, pdu.ranges.length);
  for (let i = 0; i < nonRepeaters; i++) out.push(nextInRange(provider, pdu.ranges[i]!));
  const repeaters = pdu.ranges.slice(nonRepeaters);
  if (repeaters.length === 0) return out;
  let cursors: { start: Oid; include: boolean; end: Oid; done: boolean }[] = repeaters.map((r) => ({ ...r, done: false }));
  for (let rep = 0; rep < pdu.maxRepetitions; rep++) {
    let allDone = true;
    cursors = cursors.map((c) => {
      if (c.done) {
        out.push({ oid: c.start, value: END_OF_MIB_VIEW });
        return c;
      }
      const vb = nextInRange(provider, c);
      out.push(vb);
      const done = vb.value.type === 'endOfMibView';
      if (!done) allDone = false;
      return { start: vb.oid, include: false, end: c.end, done };
    });
    if (allDone) break;
  }
  return out;
}
