import { type MibProvider, type Oid, type SnmpValue, type VarBind } from '../snmp/index.js';

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

export interface Answer {
  readonly errorStatus: number;
  /** 1-based; 0 when no varbind is at fault. */
  readonly errorIndex: number;
  readonly varbinds: readonly VarBind[];
}

export interface AnswerLimits {
  /**
   * Bound on the encoded size of a GetBulk answer (estimated): repetitions
   * stop before it, as RFC 3416 4.2.3 allows, so the datagram stays sendable.
   */
  readonly maxResponseBytes: number;
}

const END_OF_MIB_VIEW: SnmpValue = Object.freeze({ type: 'endOfMibView' });
const DEFAULT_LIMITS: AnswerLimits = { maxResponseBytes: 60_000 };

/**
 * Answers one request PDU from `provider`, read-only: a SET is refused with
 * notWritable on its first varbind, as the AgentX path does. Pure, so the
 * protocol rules are tested without a socket.
 */
export function answerRequest(provider: MibProvider, request: ReadRequest, limits: AnswerLimits = DEFAULT_LIMITS): Answer {
  const { oids } = request;
  switch (request.kind) {
    case 'set':
      return {
        errorStatus: ERROR_STATUS.notWritable,
        errorIndex: oids.length === 0 ? 0 : 1,
        varbinds: oids.map((oid) => ({ oid, value: { type: 'Null' } })),
      };
    case 'get':
      return ok(oids.map((oid) => ({ oid, value: provider.get(oid) })));
    case 'getNext':
      return ok(oids.map((oid) => next(provider, oid)));
    case 'getBulk':
      return ok(bulk(provider, request, limits));
  }
}

const ok = (varbinds: readonly VarBind[]): Answer => ({ errorStatus: ERROR_STATUS.noError, errorIndex: 0, varbinds });

function next(provider: MibProvider, oid: Oid): VarBind {
  return provider.getNext(oid, false) ?? { oid, value: END_OF_MIB_VIEW };
}

/** Rough BER size of a varbind: enough to keep a bulk answer under a datagram. */
function estimatedSize(vb: VarBind): number {
  const v = vb.value;
  const valueBytes = 'value' in v ? (v.value instanceof Uint8Array ? v.value.length : Array.isArray(v.value) ? v.value.length * 2 : 9) : 0;
  return vb.oid.length * 2 + valueBytes + 12;
}

/** RFC 3416 4.2.3: N non-repeaters once, then up to M rounds of the R repeaters. */
function bulk(provider: MibProvider, request: ReadRequest, limits: AnswerLimits): VarBind[] {
  const { oids } = request;
  const n = Math.min(Math.max(request.nonRepeaters ?? 0, 0), oids.length);
  const m = Math.max(request.maxRepetitions ?? 0, 0);
  const out: VarBind[] = oids.slice(0, n).map((oid) => next(provider, oid));
  let bytes = out.reduce((sum, vb) => sum + estimatedSize(vb), 0);
  let cursors = oids.slice(n);
  for (let round = 0; round < m && cursors.length > 0; round++) {
    const row = cursors.map((oid) => next(provider, oid));
    const rowBytes = row.reduce((sum, vb) => sum + estimatedSize(vb), 0);
    // The first round always goes out; later ones only while they fit.
    if (round > 0 && bytes + rowBytes > limits.maxResponseBytes) break;
    out.push(...row);
    bytes += rowBytes;
    if (row.every((vb) => vb.value.type === 'endOfMibView')) break;
    cursors = row.map((vb) => vb.oid);
  }
  return out;
}
