import { getBulk, nextInRange } from '../mib/get-bulk.js';
import type { MibProvider, Oid, SearchRange, VarBind } from '../snmp/index.js';

export type RequestKind = 'get' | 'getNext' | 'getBulk' | 'set';

export interface ReadRequest {
  readonly kind: RequestKind;
  readonly oids: readonly Oid[];
  /** GetBulk only. */
  readonly nonRepeaters?: number;
  readonly maxRepetitions?: number;
}

/** RFC 3416 error-status values the embedded agent answers with. */
export const ERROR_STATUS = { noError: 0, tooBig: 1, genErr: 5, notWritable: 17 } as const;

/**
 * What to send back. A refusal carries no varbinds of its own: RFC 3416 4.2.5
 * wants the request's, which the caller has on the wire.
 */
export type Answer =
  | { readonly kind: 'answer'; readonly varbinds: readonly VarBind[] }
  | { readonly kind: 'error'; readonly errorStatus: number; readonly errorIndex: number };

export interface AnswerLimits {
  /**
   * Bound on the encoded size of a GetBulk answer (estimated): repetitions
   * stop before it, as RFC 3416 4.2.3 allows, so the datagram stays sendable.
   */
  readonly maxResponseBytes: number;
}

const DEFAULT_LIMITS: AnswerLimits = { maxResponseBytes: 60_000 };

/** A manager's OID is an open range starting after it (RFC 3416 4.2.2). */
const after = (oid: Oid): SearchRange => ({ start: oid, include: false, end: [] });

/** Rough BER size of a varbind: enough to keep a bulk answer under a datagram. */
function estimatedSize(vb: VarBind): number {
  const v = vb.value;
  const valueBytes = 'value' in v ? (v.value instanceof Uint8Array ? v.value.length : Array.isArray(v.value) ? v.value.length * 2 : 9) : 0;
  return vb.oid.length * 2 + valueBytes + 12;
}

/**
 * Answers one request PDU from `provider`, read-only: a SET is refused with
 * notWritable on its first varbind, as the AgentX path does. Pure, so the
 * protocol rules are tested without a socket.
 */
export function answerRequest(provider: MibProvider, request: ReadRequest, limits: AnswerLimits = DEFAULT_LIMITS): Answer {
  const { oids } = request;
  switch (request.kind) {
    case 'set':
      return { kind: 'error', errorStatus: ERROR_STATUS.notWritable, errorIndex: oids.length === 0 ? 0 : 1 };
    case 'get':
      return ok(oids.map((oid) => ({ oid, value: provider.get(oid) })));
    case 'getNext':
      return ok(oids.map((oid) => nextInRange(provider, after(oid))));
    case 'getBulk':
      return ok(
        getBulk(
          provider,
          { nonRepeaters: request.nonRepeaters ?? 0, maxRepetitions: Math.max(request.maxRepetitions ?? 0, 0), ranges: oids.map(after) },
          { bytes: limits.maxResponseBytes, sizeOf: estimatedSize },
        ),
      );
  }
}

const ok = (varbinds: readonly VarBind[]): Answer => ({ kind: 'answer', varbinds });
