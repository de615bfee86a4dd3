/**
 * The stream to the master: connect, cut the bytes into PDUs, notice when
 * it ends, and connect again after a delay. One `Channel` per connection: a
 * channel that has ended stays ended, so nothing that belonged to an old
 * connection can act on a new one.
 */
import * as net from 'node:net';
import type { Logger, TimerHandle, Timers } from '../support/index.js';
import { CloseReason, type CloseReasonName } from './constants.js';
import { encodePdu } from './encode.js';
import type { AgentXDecodeError } from './errors.js';
import { formatMasterAddress, type MasterAddress } from './master-address.js';
import type { AgentXPdu } from './pdu.js';
import { PacketIds, RequestTracker } from './request-tracker.js';
import { AgentXStreamDecoder } from './stream-decoder.js';

/** One connection to the master. */
export class Channel {
  /** The master's h.sessionID once Open was answered; 0 before. */
  sessionId = 0;
  private ended = false;

  constructor(
    readonly socket: net.Socket,
    readonly tracker: RequestTracker,
    readonly decoder: AgentXStreamDecoder,
  ) {}

  /** Still the live connection: not dropped, not replaced. */
  get live(): boolean {
    return !this.ended;
  }

  /** Writes a PDU that expects no Response (a Response of ours, a Close). */
  send(pdu: AgentXPdu): void {
    if (this.live) this.socket.write(encodePdu(pdu));
  }

  end(): void {
    this.ended = true;
  }
}

export interface ConnectionHandlers {
  /** The stream is up: time to Open. */
  connected(channel: Channel): void;
  pdu(channel: Channel, pdu: AgentXPdu): void;
  /** The channel ended (the reason says why); a new attempt is scheduled unless stopped. */
  lost(channel: Channel, reason: string): void;
  /** Undecodable bytes, or a handler that threw: the channel is dropped after this. */
  failed(error: Error, kind: 'protocol' | 'processing'): void;
  /** A request of ours got no Response in time: the channel is dropped after this. */
  timedOut(pduType: string, timeoutMs: number): void;
}

/** How long to wait before attempt `attempt` (1-based) after a failure. */
export type RetryDelay = (attempt: number) => number;

export interface MasterConnectionOptions {
  readonly address: MasterAddress;
  readonly connect?: (address: MasterAddress) => net.Socket;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly retryDelay: RetryDelay;
  readonly maxPayloadLength: number;
  readonly handlers: ConnectionHandlers;
}

export class MasterConnection {
  private channel: Channel | undefined;
  private readonly ids = new PacketIds();
  private retryTimer: TimerHandle | undefined;
  private stopped = true;
  /** Attempts since the last connection that opened (1-based while retrying). */
  private attempt = 0;
  attempts = 0;

  constructor(private readonly opts: MasterConnectionOptions) {}

  get current(): Channel | undefined {
    return this.channel;
  }

  get master(): string {
    return formatMasterAddress(this.opts.address);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** The session opened on this connection: the next failure starts the delays over. */
  succeeded(): void {
    this.attempt = 0;
  }

  /**
   * Ends `channel` (with a Close PDU of `closeReason` when a session was
   * open on it), fails what waits on it and, unless stopped, schedules the
   * next attempt. A channel that already ended is left alone.
   */
  drop(channel: Channel, reason: string, closeReason?: CloseReasonName): void {
    if (!channel.live || channel !== this.channel) return;
    if (closeReason !== undefined && channel.sessionId !== 0 && !channel.socket.destroyed) {
      try {
        channel.send({ type: 'Close', sessionId: channel.sessionId, transactionId: 0, packetId: 0, reason: CloseReason[closeReason] });
      } catch {
        // The socket is going anyway.
      }
    }
    channel.end();
    this.channel = undefined;
    channel.socket.destroy();
    channel.tracker.failAll(reason);
    this.opts.handlers.lost(channel, reason);
    if (!this.stopped) this.scheduleRetry();
  }

  /** No more attempts; the current channel (if any) is dropped without a Close (the session sent one). */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== undefined) this.opts.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.channel !== undefined) this.drop(this.channel, 'stopped');
  }

  private connect(): void {
    this.attempts++;
    this.attempt++;
    const { logger, handlers, timers } = this.opts;
    let socket: net.Socket;
    try {
      socket = (this.opts.connect ?? defaultConnect)(this.opts.address);
    } catch (err) {
      logger.warn({ err, master: this.master }, 'cannot connect to the AgentX master');
      this.scheduleRetry();
      return;
    }
    let channel: Channel;
    const tracker = new RequestTracker(timers, this.ids, (bytes) => socket.write(bytes), (pduType, timeoutMs) => {
      handlers.timedOut(pduType, timeoutMs);
      this.drop(channel, `${pduType} timed out`, 'timeouts');
    });
    channel = new Channel(socket, tracker, new AgentXStreamDecoder(this.opts.maxPayloadLength));
    this.channel = channel;
    socket.on('connect', () => {
      if (channel.live) handlers.connected(channel);
    });
    socket.on('data', (chunk: Buffer) => this.onData(channel, chunk));
    socket.on('error', (err) => {
      if (!channel.live) return;
      // A master that is not there yet is expected while retrying: said once, at the first attempt.
      const level = channel.sessionId === 0 && this.attempt > 1 ? 'debug' : 'warn';
      logger[level]({ err, master: this.master, attempt: this.attempt }, 'AgentX socket error');
      this.drop(channel, `socket error: ${err.message}`);
    });
    socket.on('close', () => this.drop(channel, 'connection closed by the master'));
  }

  private onData(channel: Channel, chunk: Uint8Array): void {
    for (const item of channel.decoder.push(chunk)) {
      if (!channel.live) return;
      if (!item.ok) {
        this.opts.handlers.failed(item.error as AgentXDecodeError, 'protocol');
        this.drop(channel, `protocol error: ${item.error.message}`, 'parseError');
        return;
      }
      try {
        this.opts.handlers.pdu(channel, item.pdu);
      } catch (err) {
        this.opts.handlers.failed(err instanceof Error ? err : new Error(String(err)), 'processing');
        this.drop(channel, 'processing error', 'other');
        return;
      }
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined) this.opts.timers.clearTimeout(this.retryTimer);
    const delay = Math.round(this.opts.retryDelay(this.attempt));
    // Say that we keep trying, without a line per attempt: attempts 1, 2, 4, 8, ...
    const level = (this.attempt & (this.attempt - 1)) === 0 ? 'warn' : 'debug';
    this.opts.logger[level]({ master: this.master, attempt: this.attempt, retryInMs: delay }, 'AgentX master not reachable; retrying');
    this.retryTimer = this.opts.timers.setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped) this.connect();
    }, delay);
  }
}

function defaultConnect(address: MasterAddress): net.Socket {
  return address.kind === 'unix' ? net.createConnection({ path: address.path }) : net.createConnection({ host: address.host, port: address.port });
}
