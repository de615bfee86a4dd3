import { HEADER_LENGTH } from './constants.js';
import { DEFAULT_MAX_PAYLOAD_LENGTH, decodeHeader, decodePdu, headerProblem } from './decode.js';
import { AgentXDecodeError } from './errors.js';
import type { AgentXPdu } from './pdu.js';

export type StreamItem =
  | { readonly ok: true; readonly pdu: AgentXPdu }
  | { readonly ok: false; readonly error: AgentXDecodeError };

/**
 * Cuts a byte stream into PDUs: a PDU may arrive split over several reads, and
 * one read may hold several PDUs. The first error ends the stream for good
 * (after a bad length nothing that follows can be trusted to be aligned on a
 * PDU boundary); the session then closes and reconnects. `push` never throws.
 */
export class AgentXStreamDecoder {
  private buffer: Uint8Array = new Uint8Array(0);
  private failed: AgentXDecodeError | undefined;

  constructor(readonly maxPayloadLength = DEFAULT_MAX_PAYLOAD_LENGTH) {}

  /** Bytes held waiting for the rest of a PDU. */
  get pending(): number {
    return this.buffer.length;
  }

  get error(): AgentXDecodeError | undefined {
    return this.failed;
  }

  push(chunk: Uint8Array): StreamItem[] {
    if (this.failed) return [];
    const items: StreamItem[] = [];
    const buf = this.buffer.length === 0 ? chunk : concat(this.buffer, chunk);
    let offset = 0;
    // Each pass consumes at least one whole header or stops, so this ends.
    while (buf.length - offset >= HEADER_LENGTH) {
      const header = decodeHeader(buf, offset);
      const problem = headerProblem(header, this.maxPayloadLength);
      if (problem) return this.fail(items, new AgentXDecodeError(problem, 0, header));
      const total = HEADER_LENGTH + header.payloadLength;
      if (buf.length - offset < total) break;
      try {
        items.push({ ok: true, pdu: decodePdu(buf, offset, this.maxPayloadLength) });
      } catch (err) {
        const error = err instanceof AgentXDecodeError ? err : new AgentXDecodeError(String(err), 0, header);
        return this.fail(items, error);
      }
      offset += total;
    }
    // Keep only the unconsumed tail; copy it so the socket's chunk can be released.
    this.buffer = offset === buf.length ? new Uint8Array(0) : new Uint8Array(buf.subarray(offset));
    return items;
  }

  private fail(items: StreamItem[], error: AgentXDecodeError): StreamItem[] {
    this.failed = error;
    this.buffer = new Uint8Array(0);
    items.push({ ok: false, error });
    return items;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
