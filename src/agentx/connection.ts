/**
 * The stream to the master: connect, cut the bytes into PDUs, notice when
 * it ends, and connect again after a delay, or, for a unix socket, as soon
 * as the socket is made again (see master-wait.ts). One `Channel` per
 * connection: a channel that has ended stays ended, so nothing that belonged
 * to an old connection can act on a new one.
 */
import * as net from 'node:net';
import type { Logger, TimerHandle, Timers } from '../support/index.js';
import { CloseReason, type CloseReasonName } from './constants.js';
import { encodePdu } from './encode.js';
import type { AgentXDecodeError } from './errors.js';
import { formatMasterAddress, type MasterAddress } from './master-address.js';
import { QUICK_RETRIES, QUICK_RETRY_MS, watchUnixSocket, type MasterWatch, type RetryDelay, type WatchMaster } from './master-wait.js';
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

export type { RetryDelay } from './master-wait.js';

export interface MasterConnectionOptions {
  readonly address: MasterAddress;
  readonly connect?: (address: MasterAddress) => net.Socket;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly retryDelay: RetryDelay;
  /** What tells that the master may be back before the delay is over; the unix socket's directory by default. */
  readonly watchMaster?: WatchMaster;
  readonly maxPayloadLength: number;
  readonly handlers: ConnectionHandlers;
}

export class MasterConnection {
  private channel: Channel | undefined;
  private readonly ids = new PacketIds();
  private retryTimer: TimerHandle | undefined;
  private watch: MasterWatch | undefined;
  /** Attempts left to make QUICK_RETRY_MS apart: the socket appeared, the master may not listen on it yet. */
  private quickRetries = 0;
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
    this.closeWatch();
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
      if (!channel.live) return;
      this.closeWatch();
      this.quickRetries = 0;
      handlers.connected(channel);
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
    let delay: number;
    if (this.quickRetries > 0) {
      this.quickRetries--;
      delay = QUICK_RETRY_MS;
    } else {
      delay = Math.round(this.opts.retryDelay(this.attempt));
    }
    // A fresh watch each time: one whose directory went away and came back sees nothing.
    this.closeWatch();
    this.watch = (this.opts.watchMaster ?? watchUnixSocket)(this.opts.address, () => this.masterAppeared());
    // Say that we keep trying, without a line per attempt: attempts 1, 2, 4, 8, ...
    const level = (this.attempt & (this.attempt - 1)) === 0 ? 'warn' : 'debug';
    this.opts.logger[level]({ master: this.master, attempt: this.attempt, retryInMs: delay }, 'AgentX master not reachable; retrying');
    this.retryTimer = this.opts.timers.setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped) this.connect();
    }, delay);
  }

  /**
   * The master's socket is there again: attempt now instead of at the end of
   * the delay, and if that fails, again every QUICK_RETRY_MS for a moment (a
   * master binds its socket a little before it listens on it). The watch
   * ends once connected.
   */
  private masterAppeared(): void {
    if (this.stopped) return;
    this.quickRetries = QUICK_RETRIES;
    // An attempt under way (perhaps made before the master listened) is retried quickly if it fails.
    if (this.retryTimer === undefined) return;
    this.opts.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.opts.logger.debug({ master: this.master, attempt: this.attempt + 1 }, "the AgentX master's socket is back; connecting now");
    this.connect();
  }

  private closeWatch(): void {
    this.watch?.close();
    this.watch = undefined;
  }
}

function defaultConnect(address: MasterAddress): net.Socket {
  return address.kind === 'unix' ? net.createConnection({ path: address.path }) : net.createConnection({ host: address.host, port: address.port });
}
