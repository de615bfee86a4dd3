/**
 * Our requests to the master awaiting its Response (RFC 2741 6.2.16): one
 * tracker per connection, matched by packetID, each with a timeout. When the
 * connection ends every waiter is rejected, so nothing waits forever.
 */
import type { TimerHandle, Timers } from '../support/index.js';
import { encodePdu } from './encode.js';
import { AgentXRequestError } from './errors.js';
import type { AgentXPdu, PduIds, ResponsePdu } from './pdu.js';

interface Pending {
  readonly pduType: string;
  readonly resolve: (r: ResponsePdu) => void;
  readonly reject: (e: Error) => void;
  readonly timer: TimerHandle;
}

/** Packet IDs unique across connections, so a late Response from an old one never matches. */
export class PacketIds {
  private next = 1;

  take(): number {
    const id = this.next;
    this.next = (this.next % 0xffffffff) + 1;
    return id;
  }
}

export class RequestTracker {
  private readonly pending = new Map<number, Pending>();
  private failed: string | undefined;

  constructor(
    private readonly timers: Timers,
    private readonly ids: PacketIds,
    private readonly write: (bytes: Uint8Array) => void,
    /** Called once when a request times out: the connection is no good. */
    private readonly onTimeout: (pduType: string, timeoutMs: number) => void,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** Sends the PDU `build` makes with fresh IDs; resolves with its Response, rejects on timeout or when the connection ends. */
  request(sessionId: number, build: (ids: PduIds) => AgentXPdu, timeoutMs: number): Promise<ResponsePdu> {
    if (this.failed !== undefined) return Promise.reject(new AgentXRequestError(`connection lost (${this.failed})`, 'request'));
    const packetId = this.ids.take();
    const pdu = build({ sessionId, transactionId: packetId, packetId });
    return new Promise<ResponsePdu>((resolve, reject) => {
      let bytes: Uint8Array;
      try {
        bytes = encodePdu(pdu);
      } catch (err) {
        reject(err as Error);
        return;
      }
      const timer = this.timers.setTimeout(() => {
        if (!this.pending.delete(packetId)) return;
        reject(new AgentXRequestError(`no Response to ${pdu.type} within ${timeoutMs} ms`, pdu.type));
        this.onTimeout(pdu.type, timeoutMs);
      }, timeoutMs);
      this.pending.set(packetId, { pduType: pdu.type, resolve, reject, timer });
      this.write(bytes);
    });
  }

  /** A Response arrived; false when nothing waits for it. */
  settle(response: ResponsePdu): boolean {
    const p = this.pending.get(response.packetId);
    if (p === undefined) return false;
    this.pending.delete(response.packetId);
    this.timers.clearTimeout(p.timer);
    p.resolve(response);
    return true;
  }

  /** The connection ended: every waiter is rejected, and so is every later request. */
  failAll(reason: string): void {
    this.failed = reason;
    for (const p of this.pending.values()) {
      this.timers.clearTimeout(p.timer);
      p.reject(new AgentXRequestError(`connection lost (${reason})`, p.pduType));
    }
    this.pending.clear();
  }
}
