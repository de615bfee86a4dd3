import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import { formatOid, type MibProvider, type Oid, type VarBind } from '../snmp/index.js';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './backoff.js';
import { CloseReason, ResponseError, responseErrorName, type CloseReasonName } from './constants.js';
import { DEFAULT_MAX_PAYLOAD_LENGTH } from './decode.js';
import { encodePdu } from './encode.js';
import { AgentXRequestError } from './errors.js';
import { formatMasterAddress, parseMasterAddress, type MasterAddress } from './master-address.js';
import { NotificationQueue } from './notification-queue.js';
import type { AgentXPdu, PduIds, ResponsePdu } from './pdu.js';
import { handleRequest, isRequestPdu } from './request-handler.js';
import { silentLogger, systemTimers, type Logger, type TimerHandle, type Timers } from './runtime-deps.js';
import type { AgentXSessionCounters, AgentXSessionEvents, AgentXSessionOptions, RegisterOptions } from './session-types.js';
import { AgentXStreamDecoder } from './stream-decoder.js';

export type { AgentXSessionCounters, AgentXSessionEvents, AgentXSessionOptions, RegisterOptions } from './session-types.js';

/** sysUpTime.0 and snmpTrapOID.0 (RFC 3416 4.2.6), the first two varbinds of every notification. */
export const SYS_UP_TIME_0: Oid = [1, 3, 6, 1, 2, 1, 1, 3, 0];
export const SNMP_TRAP_OID_0: Oid = [1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0];

type SessionState = 'idle' | 'connecting' | 'opening' | 'open' | 'stopped';

interface Registration {
  readonly subtree: Oid;
  readonly options: RegisterOptions;
  settle?: { resolve: () => void; reject: (e: Error) => void };
}

interface Pending {
  readonly pduType: string;
  readonly resolve: (r: ResponsePdu) => void;
  readonly reject: (e: Error) => void;
  readonly timer: TimerHandle;
}

interface Connection {
  readonly socket: net.Socket;
  readonly decoder: AgentXStreamDecoder;
  sessionId: number;
  readonly pending: Map<number, Pending>;
}

/**
 * One AgentX session with the master (RFC 2741): open, register, answer
 * requests from whatever provider it holds, ping, notify; on any failure close,
 * back off and start over, re-registering everything. Nothing thrown inside a
 * socket handler escapes it.
 */
export class AgentXSession extends EventEmitter<AgentXSessionEvents> {
  private provider: MibProvider;
  private readonly address: MasterAddress;
  private readonly timers: Timers;
  private readonly log: Logger;
  private readonly backoff: BackoffOptions;
  private readonly registrations = new Map<string, Registration>();
  private readonly queue: NotificationQueue;
  private readonly startedAt: number;
  private state: SessionState = 'idle';
  private conn: Connection | undefined;
  private attempt = 0;
  private reconnectTimer: TimerHandle | undefined;
  private pingTimer: TimerHandle | undefined;
  private nextPacketId = 1;
  private flushing = false;
  private readonly c = {
    connectAttempts: 0,
    sessionsOpened: 0,
    requestsAnswered: 0,
    protocolErrors: 0,
    requestTimeouts: 0,
    notificationsSent: 0,
    notificationsRefused: 0,
  };

  constructor(private readonly options: AgentXSessionOptions) {
    super();
    this.provider = options.provider;
    this.address = typeof options.master === 'object' ? options.master : parseMasterAddress(options.master);
    this.timers = options.timers ?? systemTimers;
    this.log = options.logger ?? silentLogger;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.queue = new NotificationQueue(options.maxQueuedNotifications ?? 1000);
    this.startedAt = this.timers.now();
  }

  get counters(): AgentXSessionCounters {
    return { ...this.c, notificationsQueued: this.queue.length, notificationsDropped: this.queue.dropped };
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** The master's h.sessionID for the current session, if open. */
  get sessionId(): number | undefined {
    return this.state === 'open' ? this.conn?.sessionId : undefined;
  }

  /** Requests are answered from whatever provider is held when they arrive. */
  setProvider(provider: MibProvider): void {
    this.provider = provider;
  }

  /** Hundredths of a second since the session was created (sysUpTime in notifications). */
  uptimeTicks(): number {
    return Math.floor((this.timers.now() - this.startedAt) / 10) >>> 0;
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.connect();
  }

  /**
   * Registers a subtree now if open, and again after every reconnect. Resolves
   * on the master's first acceptance; rejects on its first refusal (e.g.
   * duplicateRegistration) or when the session stops first.
   */
  register(subtree: Oid, options: RegisterOptions = {}): Promise<void> {
    const reg: Registration = { subtree, options };
    const done = new Promise<void>((resolve, reject) => {
      reg.settle = { resolve, reject };
    });
    // Callers may fire and forget; the outcome is also an event and a log line.
    done.catch(() => {});
    this.registrations.set(registrationKey(subtree, options), reg);
    if (this.state === 'open') void this.sendRegister(reg);
    return done;
  }

  async unregister(subtree: Oid, options: RegisterOptions = {}): Promise<void> {
    const key = registrationKey(subtree, options);
    const reg = this.registrations.get(key);
    this.registrations.delete(key);
    reg?.settle?.reject(new AgentXRequestError(`unregistered ${formatOid(subtree)} before the master accepted it`, 'Register'));
    if (this.state !== 'open' || !reg) return;
    const res = await this.request((ids) => ({
      type: 'Unregister',
      ...ids,
      priority: options.priority ?? 127,
      subtree,
      rangeSubid: options.rangeSubid ?? 0,
      ...(options.upperBound !== undefined ? { upperBound: options.upperBound } : {}),
    }));
    if (res.error !== 0) throw new AgentXRequestError(`master refused Unregister ${formatOid(subtree)}: ${responseErrorName(res.error)}`, 'Unregister', res.error);
  }

  /**
   * Sends a notification: sysUpTime.0 and snmpTrapOID.0, then `varbinds`
   * (RFC 2741 6.2.10, RFC 3416 4.2.6). Raised while disconnected it waits in
   * a bounded queue; an overflow is counted, logged and emitted.
   */
  notify(trapOid: Oid, varbinds: readonly VarBind[] = []): void {
    const full: VarBind[] = [
      { oid: SYS_UP_TIME_0, value: { type: 'TimeTicks', value: this.uptimeTicks() } },
      { oid: SNMP_TRAP_OID_0, value: { type: 'ObjectIdentifier', value: trapOid } },
      ...varbinds,
    ];
    const dropped = this.queue.push({ varbinds: full }, this.flushing);
    if (dropped) {
      this.log.warn({ trapOid: formatOid(trapOid), totalDropped: this.queue.dropped }, 'notification queue full: dropped the oldest notification');
      this.emit('notificationDropped', { varbinds: dropped.varbinds, totalDropped: this.queue.dropped });
    }
    void this.flush();
  }

  /** Closes the session (Close PDU with `reason`) and stops reconnecting. */
  async stop(reason: CloseReasonName = 'shutdown'): Promise<void> {
    if (this.state === 'stopped') return;
    const wasOpen = this.state === 'open';
    this.state = 'stopped';
    this.clearTimer('reconnectTimer');
    this.clearTimer('pingTimer');
    if (this.queue.length > 0) this.log.warn({ queued: this.queue.length }, 'stopping with notifications not delivered');
    const conn = this.conn;
    if (conn && wasOpen) {
      try {
        // The master answers a Close; wait for it briefly so it knows the session ended cleanly.
        await this.request((ids) => ({ type: 'Close', ...ids, reason: CloseReason[reason] }), Math.min(this.requestTimeoutMs, 1000));
      } catch {
        // Going away regardless.
      }
    }
    this.dropConnection('stopped', undefined);
    for (const reg of this.registrations.values()) reg.settle?.reject(new AgentXRequestError('session stopped', 'Register'));
  }

  private get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs ?? 5000;
  }

  private clearTimer(name: 'reconnectTimer' | 'pingTimer'): void {
    const t = this[name];
    if (t !== undefined) this.timers.clearTimeout(t);
    this[name] = undefined;
  }

  private connect(): void {
    this.state = 'connecting';
    this.c.connectAttempts++;
    this.attempt++;
    let socket: net.Socket;
    try {
      socket = (this.options.connect ?? defaultConnect)(this.address);
    } catch (err) {
      this.log.warn({ err, master: formatMasterAddress(this.address) }, 'cannot connect to the AgentX master');
      this.scheduleReconnect();
      return;
    }
    const conn: Connection = {
      socket,
      decoder: new AgentXStreamDecoder(this.options.maxPayloadLength ?? DEFAULT_MAX_PAYLOAD_LENGTH),
      sessionId: 0,
      pending: new Map(),
    };
    this.conn = conn;
    socket.on('connect', () => {
      if (this.conn === conn) void this.open(conn);
    });
    socket.on('data', (chunk: Buffer) => this.onData(conn, chunk));
    socket.on('error', (err) => {
      if (this.conn !== conn) return;
      const level = this.state === 'connecting' && this.attempt > 1 ? 'debug' : 'warn';
      this.log[level]({ err, master: formatMasterAddress(this.address), attempt: this.attempt }, 'AgentX socket error');
      this.dropConnection(`socket error: ${err.message}`, undefined);
    });
    socket.on('close', () => {
      if (this.conn === conn) this.dropConnection('connection closed by the master', undefined);
    });
  }

  private async open(conn: Connection): Promise<void> {
    this.state = 'opening';
    try {
      const res = await this.request((ids) => ({
        type: 'Open',
        ...ids,
        sessionId: 0,
        timeout: this.options.openTimeoutSeconds ?? 0,
        id: this.options.id ?? [],
        description: new TextEncoder().encode(this.options.description ?? 'AgentX subagent'),
      }));
      if (res.error !== 0) throw new AgentXRequestError(`master refused Open: ${responseErrorName(res.error)}`, 'Open', res.error);
      conn.sessionId = res.sessionId;
      // register() calls made while this runs are picked up by the next round.
      const sent = new Set<Registration>();
      for (let todo = [...this.registrations.values()]; todo.length > 0; todo = [...this.registrations.values()].filter((r) => !sent.has(r))) {
        for (const reg of todo) sent.add(reg);
        await Promise.all(todo.map((reg) => this.sendRegister(reg)));
      }
    } catch (err) {
      if (this.conn === conn) {
        this.log.warn({ err }, 'AgentX session setup failed');
        this.dropConnection(`setup failed: ${(err as Error).message}`, 'other');
      }
      return;
    }
    if (this.conn !== conn || this.state !== 'opening') return;
    this.state = 'open';
    this.attempt = 0;
    this.c.sessionsOpened++;
    this.log.info({ sessionId: conn.sessionId, master: formatMasterAddress(this.address), registrations: this.registrations.size }, 'AgentX session open');
    this.emit('connected', { sessionId: conn.sessionId });
    this.schedulePing();
    void this.flush();
  }

  /** Resolves once answered (accepted or refused); rejects only when the connection fails. */
  private async sendRegister(reg: Registration): Promise<void> {
    const o = reg.options;
    const res = await this.request((ids) => ({
      type: 'Register',
      ...ids,
      timeout: o.timeout ?? 0,
      priority: o.priority ?? 127,
      subtree: reg.subtree,
      rangeSubid: o.rangeSubid ?? 0,
      ...(o.upperBound !== undefined ? { upperBound: o.upperBound } : {}),
      instanceRegistration: o.instance === true,
    }));
    if (res.error === 0) {
      this.log.debug({ subtree: formatOid(reg.subtree) }, 'registered');
      reg.settle?.resolve();
      this.emit('registered', { subtree: reg.subtree });
      return;
    }
    const error = new AgentXRequestError(`master refused Register ${formatOid(reg.subtree)}: ${responseErrorName(res.error)}`, 'Register', res.error);
    this.log.error({ subtree: formatOid(reg.subtree), error: responseErrorName(res.error) }, 'registration refused');
    reg.settle?.reject(error);
    this.emit('registrationFailed', { subtree: reg.subtree, error });
  }

  private schedulePing(): void {
    const every = this.options.pingIntervalMs ?? 15_000;
    if (every <= 0) return;
    this.clearTimer('pingTimer');
    this.pingTimer = this.timers.setTimeout(() => {
      this.pingTimer = undefined;
      if (this.state !== 'open') return;
      this.request((ids) => ({ type: 'Ping', ...ids })).then(
        () => {
          if (this.state === 'open') this.schedulePing();
        },
        () => {
          // A lost ping already dropped the connection (see request()).
        },
      );
    }, every);
  }

  /** Delivers queued notifications one at a time, in order; the head leaves the queue once acknowledged. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let item = this.queue.peek(); item && this.state === 'open'; item = this.queue.peek()) {
        const varbinds = item.varbinds;
        let res: ResponsePdu;
        try {
          res = await this.request((ids) => ({ type: 'Notify', ...ids, varbinds }));
        } catch {
          return; // connection lost: the item stays queued for the next session
        }
        if (this.queue.peek() === item) this.queue.shift();
        if (res.error === 0) this.c.notificationsSent++;
        else {
          this.c.notificationsRefused++;
          this.log.warn({ error: responseErrorName(res.error) }, 'master refused a notification');
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Sends a PDU of ours and waits for the matching Response; a timeout drops the connection. */
  private request(build: (ids: PduIds) => AgentXPdu, timeoutMs = this.requestTimeoutMs): Promise<ResponsePdu> {
    const conn = this.conn;
    if (!conn) return Promise.reject(new AgentXRequestError('not connected', 'request'));
    const packetId = this.nextPacketId;
    this.nextPacketId = (this.nextPacketId % 0xffffffff) + 1;
    const pdu = build({ sessionId: conn.sessionId, transactionId: packetId, packetId });
    return new Promise<ResponsePdu>((resolve, reject) => {
      let bytes: Uint8Array;
      try {
        bytes = encodePdu(pdu);
      } catch (err) {
        reject(err as Error);
        return;
      }
      const timer = this.timers.setTimeout(() => {
        if (!conn.pending.delete(packetId)) return;
        this.c.requestTimeouts++;
        reject(new AgentXRequestError(`no Response to ${pdu.type} within ${timeoutMs} ms`, pdu.type));
        if (this.conn === conn && this.state !== 'stopped') {
          this.log.warn({ pduType: pdu.type, timeoutMs }, 'AgentX master did not answer; reconnecting');
          this.dropConnection(`${pdu.type} timed out`, 'timeouts');
        }
      }, timeoutMs);
      conn.pending.set(packetId, { pduType: pdu.type, resolve, reject, timer });
      conn.socket.write(bytes);
    });
  }

  private onData(conn: Connection, chunk: Uint8Array): void {
    if (this.conn !== conn) return;
    for (const item of conn.decoder.push(chunk)) {
      if (!item.ok) {
        this.c.protocolErrors++;
        this.log.error({ err: item.error }, 'undecodable AgentX PDU from the master; reconnecting');
        if (this.listenerCount('error') > 0) this.emit('error', item.error);
        this.dropConnection(`protocol error: ${item.error.message}`, 'parseError');
        return;
      }
      try {
        this.dispatch(conn, item.pdu);
      } catch (err) {
        this.log.error({ err, pduType: item.pdu.type }, 'failed to process an AgentX PDU; reconnecting');
        if (this.listenerCount('error') > 0) this.emit('error', err as Error);
        this.dropConnection('processing error', 'other');
        return;
      }
      if (this.conn !== conn) return;
    }
  }

  private dispatch(conn: Connection, pdu: AgentXPdu): void {
    if (pdu.type === 'Response') {
      const p = conn.pending.get(pdu.packetId);
      if (!p) {
        this.log.debug({ packetId: pdu.packetId }, 'Response to nothing we are waiting for');
        return;
      }
      conn.pending.delete(pdu.packetId);
      this.timers.clearTimeout(p.timer);
      p.resolve(pdu);
      return;
    }
    if (pdu.type === 'Close') {
      this.log.warn({ reason: pdu.reason }, 'AgentX master closed the session');
      this.dropConnection(`master sent Close (reason ${pdu.reason})`, undefined);
      return;
    }
    if (isRequestPdu(pdu)) {
      let response = handleRequest(pdu, this.provider);
      if (!response) return;
      if (pdu.sessionId !== conn.sessionId) {
        // RFC 2741 section 7.2: a request naming a session that is not open gets notOpen (257).
        response = { ...response, varbinds: [], error: ResponseError.notOpen, index: 0 };
      }
      let bytes: Uint8Array;
      try {
        bytes = encodePdu(response);
      } catch (err) {
        // A value the provider produced does not fit the wire: genErr, not silence.
        this.log.error({ err, pduType: pdu.type }, 'cannot encode the response');
        bytes = encodePdu({ ...response, varbinds: [], error: ResponseError.genErr, index: 0 });
      }
      this.c.requestsAnswered++;
      conn.socket.write(bytes);
      return;
    }
    if (pdu.type === 'Ping') {
      conn.socket.write(encodePdu({ type: 'Response', sessionId: pdu.sessionId, transactionId: pdu.transactionId, packetId: pdu.packetId, sysUpTime: 0, error: 0, index: 0, varbinds: [] }));
      return;
    }
    this.log.warn({ pduType: pdu.type }, 'ignoring a PDU a master does not send to a subagent');
  }

  /**
   * Ends the current connection (optionally with a Close PDU), fails what waits
   * on it and, unless stopped, schedules the next attempt.
   */
  private dropConnection(reason: string, closeReason: CloseReasonName | undefined): void {
    const conn = this.conn;
    if (!conn) return;
    this.conn = undefined;
    const wasOpen = this.state === 'open';
    this.clearTimer('pingTimer');
    if (closeReason !== undefined && !conn.socket.destroyed && conn.sessionId !== 0) {
      try {
        conn.socket.write(encodePdu({ type: 'Close', sessionId: conn.sessionId, transactionId: 0, packetId: 0, reason: CloseReason[closeReason] }));
      } catch {
        // The socket is going anyway.
      }
    }
    conn.socket.destroy();
    for (const p of conn.pending.values()) {
      this.timers.clearTimeout(p.timer);
      p.reject(new AgentXRequestError(`connection lost (${reason})`, p.pduType));
    }
    conn.pending.clear();
    if (wasOpen) {
      this.log.warn({ reason }, 'AgentX session lost');
      this.emit('disconnected', { reason });
    }
    if (this.state !== 'stopped') this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.state = 'connecting';
    this.clearTimer('reconnectTimer');
    const delay = backoffDelay(this.attempt, this.backoff, this.options.random);
    // Say that we keep trying, without a line per attempt: attempts 1, 2, 4, 8, ...
    const level = (this.attempt & (this.attempt - 1)) === 0 ? 'warn' : 'debug';
    this.log[level](
      { master: formatMasterAddress(this.address), attempt: this.attempt, retryInMs: Math.round(delay) },
      'AgentX master not reachable; retrying',
    );
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.state !== 'stopped') this.connect();
    }, delay);
  }
}

function registrationKey(subtree: Oid, o: RegisterOptions): string {
  return `${formatOid(subtree)}/${o.rangeSubid ?? 0}/${o.upperBound ?? ''}/${o.priority ?? 127}`;
}

function defaultConnect(address: MasterAddress): net.Socket {
  return address.kind === 'unix' ? net.createConnection({ path: address.path }) : net.createConnection({ host: address.host, port: address.port });
}
