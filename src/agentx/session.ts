import { EventEmitter } from 'node:events';
import { formatOid, type MibProvider, type Oid, type VarBind } from '../snmp/index.js';
import { silentLogger, systemTimers, type BackoffOptions, type Logger, type TimerHandle, type Timers } from '../support/index.js';
import { CloseReason, ResponseError, responseErrorName, type CloseReasonName } from './constants.js';
import { Channel, MasterConnection } from './connection.js';
import { DEFAULT_MAX_PAYLOAD_LENGTH } from './decode.js';
import { encodePdu } from './encode.js';
import { AgentXRequestError } from './errors.js';
import { parseMasterAddress } from './master-address.js';
import { retryDelayFor } from './master-wait.js';
import { NotificationQueue } from './notification-queue.js';
import type { AgentXPdu, PduIds, ResponsePdu } from './pdu.js';
import { handleRequest, isRequestPdu } from './request-handler.js';
import type { AgentXSessionCounters, AgentXSessionEvents, AgentXSessionOptions, RegisterOptions } from './session-types.js';

export type { AgentXSessionCounters, AgentXSessionEvents, AgentXSessionOptions, RegisterOptions } from './session-types.js';

/** sysUpTime.0 and snmpTrapOID.0 (RFC 3416 4.2.6), the first two varbinds of every notification. */
export const SYS_UP_TIME_0: Oid = [1, 3, 6, 1, 2, 1, 1, 3, 0];
export const SNMP_TRAP_OID_0: Oid = [1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0];

/** Reconnect delays for a master that is away: 250 ms doubling to 30 s, minus up to 20 %; at most 500 ms on a unix socket (see master-wait.ts). */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 30_000, jitter: 0.2 };

interface Registration {
  readonly subtree: Oid;
  readonly options: RegisterOptions;
  settle?: { resolve: () => void; reject: (e: Error) => void };
}

/** An entry of the master's sysORTable (RFC 2741 6.2.13). */
interface AgentCaps {
  readonly id: Oid;
  readonly description: string;
}

/** Two estimates of the master's start further apart than this are two different starts (a restart). */
const CLOCK_TOLERANCE_MS = 1000;

/**
 * One AgentX session with the master (RFC 2741), the protocol part: open,
 * register, answer requests from whatever provider it holds, ping, notify.
 * The stream and its reconnects are the MasterConnection's; on every new
 * connection the session opens again and re-registers everything. Nothing
 * thrown inside a socket handler escapes it, and no promise it makes is
 * left without a handler.
 */
export class AgentXSession extends EventEmitter<AgentXSessionEvents> {
  private provider: MibProvider;
  private readonly timers: Timers;
  private readonly log: Logger;
  private readonly connection: MasterConnection;
  private readonly registrations = new Map<string, Registration>();
  private readonly caps = new Map<string, AgentCaps>();
  /** Local monotonic time at which the master's sysUpTime was 0, from its Responses. */
  private origin: number | undefined;
  private readonly queue: NotificationQueue;
  private state: 'idle' | 'setup' | 'open' | 'stopped' = 'idle';
  private pingTimer: TimerHandle | undefined;
  private flushing = false;
  private readonly c = {
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
    this.timers = options.timers ?? systemTimers;
    this.log = options.logger ?? silentLogger;
    this.queue = new NotificationQueue(options.maxQueuedNotifications ?? 1000);
    const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    const address = typeof options.master === 'object' ? options.master : parseMasterAddress(options.master);
    this.connection = new MasterConnection({
      address,
      ...(options.connect !== undefined ? { connect: options.connect } : {}),
      timers: this.timers,
      logger: this.log,
      retryDelay: retryDelayFor(address, backoff, options.random),
      maxPayloadLength: options.maxPayloadLength ?? DEFAULT_MAX_PAYLOAD_LENGTH,
      handlers: {
        connected: (channel) => this.settle(this.setUp(channel), 'session setup'),
        pdu: (channel, pdu) => this.dispatch(channel, pdu),
        lost: (_channel, reason) => this.onLost(reason),
        failed: (error, kind) => this.onFailed(error, kind),
        timedOut: (pduType, timeoutMs) => {
          this.c.requestTimeouts++;
          if (this.state !== 'stopped') this.log.warn({ pduType, timeoutMs }, 'AgentX master did not answer; reconnecting');
        },
      },
    });
  }

  get counters(): AgentXSessionCounters {
    return {
      ...this.c,
      connectAttempts: this.connection.attempts,
      notificationsQueued: this.queue.length,
      notificationsDropped: this.queue.dropped,
    };
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** The master's h.sessionID for the current session, if open. */
  get sessionId(): number | undefined {
    return this.state === 'open' ? this.connection.current?.sessionId : undefined;
  }

  /** Requests are answered from whatever provider is held when they arrive. */
  setProvider(provider: MibProvider): void {
    this.provider = provider;
  }

  /**
   * The local time (ms, on the injected clock) at which the master's sysUpTime
   * was 0, learnt from the res.sysUpTime of its Responses (RFC 2741 6.2.16);
   * undefined until the master first answers. A master that restarts starts
   * its clock again: the origin moves and 'clockChanged' is emitted.
   */
  uptimeOrigin(): number | undefined {
    return this.origin;
  }

  /** The master's sysUpTime now (hundredths of a second), or undefined while unknown. */
  masterUptimeTicks(): number | undefined {
    return this.origin === undefined ? undefined : Math.floor((this.timers.now() - this.origin) / 10) % 0x1_0000_0000;
  }

  /**
   * Announces an entry for the master's sysORTable (AddAgentCaps, RFC 2741
   * 6.2.13): now if open, and again after every reconnect; removed
   * (RemoveAgentCaps) when the session stops.
   */
  addAgentCaps(id: Oid, description: string): void {
    const caps: AgentCaps = { id, description };
    this.caps.set(formatOid(id), caps);
    const channel = this.connection.current;
    if (this.state === 'open' && channel !== undefined) this.settle(this.sendCaps(channel, caps), 'AddAgentCaps', true);
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'setup';
    this.connection.start();
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
    const channel = this.connection.current;
    // A connection lost mid-Register registers again at the next one.
    if (this.state === 'open' && channel !== undefined) this.settle(this.sendRegister(channel, reg), 'registration', true);
    return done;
  }

  async unregister(subtree: Oid, options: RegisterOptions = {}): Promise<void> {
    const key = registrationKey(subtree, options);
    const reg = this.registrations.get(key);
    this.registrations.delete(key);
    reg?.settle?.reject(new AgentXRequestError(`unregistered ${formatOid(subtree)} before the master accepted it`, 'Register'));
    const channel = this.connection.current;
    if (this.state !== 'open' || !reg || channel === undefined) return;
    const res = await this.request(channel, (ids) => ({
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
   * Sends a notification raised at local time `raisedAt`: sysUpTime.0 and
   * snmpTrapOID.0, then `varbinds` (RFC 2741 6.2.10, RFC 3416 4.2.6).
   * sysUpTime.0 is the master's sysUpTime at `raisedAt`; for a notification
   * raised before the master's clock started (it restarted while we waited)
   * that time does not exist on its clock, and sysUpTime.0 is left out: the
   * master then dates it itself (RFC 2741 6.2.10; Net-SNMP does). Raised
   * while disconnected it waits in a bounded queue; an overflow is counted,
   * logged and emitted.
   */
  notify(trapOid: Oid, varbinds: readonly VarBind[] = [], raisedAt: number = this.timers.now()): void {
    const item = { varbinds: [{ oid: SNMP_TRAP_OID_0, value: { type: 'ObjectIdentifier', value: trapOid } } as const, ...varbinds], raisedAt };
    const dropped = this.queue.push(item, this.flushing);
    if (dropped) {
      this.log.warn({ trapOid: formatOid(trapOid), totalDropped: this.queue.dropped }, 'notification queue full: dropped the oldest notification');
      this.emit('notificationDropped', { varbinds: dropped.varbinds, raisedAt: dropped.raisedAt, totalDropped: this.queue.dropped });
    }
    this.settle(this.flush(), 'notification delivery');
  }

  /** Closes the session (Close PDU with `reason`) and stops reconnecting. */
  async stop(reason: CloseReasonName = 'shutdown'): Promise<void> {
    if (this.state === 'stopped') return;
    const wasOpen = this.state === 'open';
    this.state = 'stopped';
    this.clearPing();
    if (this.queue.length > 0) this.log.warn({ queued: this.queue.length }, 'stopping with notifications not delivered');
    const channel = this.connection.current;
    if (channel !== undefined && wasOpen) {
      const briefly = Math.min(this.requestTimeoutMs, 1000);
      for (const caps of this.caps.values()) {
        try {
          await this.request(channel, (ids) => ({ type: 'RemoveAgentCaps', ...ids, id: caps.id }), briefly);
        } catch {
          // Going away regardless; the master drops a closed session's entries itself.
        }
      }
      try {
        // The master answers a Close; wait for it briefly so it knows the session ended cleanly.
        await this.request(channel, (ids) => ({ type: 'Close', ...ids, reason: CloseReason[reason] }), briefly);
      } catch {
        // Going away regardless.
      }
    }
    this.connection.stop();
    for (const reg of this.registrations.values()) reg.settle?.reject(new AgentXRequestError('session stopped', 'Register'));
  }

  /** Read through a getter: async code must not trust a state it saw before an await. */
  private get stopped(): boolean {
    return this.state === 'stopped';
  }

  private get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs ?? 5000;
  }

  /**
   * Runs a promise nobody awaits: a rejection is the end of a connection
   * (already told by the connection) or, when `expected` is false, a bug,
   * which is logged rather than left to end the process.
   */
  private settle(work: Promise<unknown>, what: string, expected = false): void {
    work.catch((err: unknown) => {
      if (expected || err instanceof AgentXRequestError) this.log.debug({ err, what }, 'abandoned with its connection');
      else this.log.error({ err, what }, 'AgentX session: unexpected failure');
    });
  }

  private request(channel: Channel, build: (ids: PduIds) => AgentXPdu, timeoutMs = this.requestTimeoutMs): Promise<ResponsePdu> {
    return channel.tracker.request(channel.sessionId, build, timeoutMs);
  }

  /** Open, then every registration; resolves when the session serves, or the channel was lost on the way. */
  private async setUp(channel: Channel): Promise<void> {
    this.state = 'setup';
    try {
      const res = await this.request(channel, (ids) => ({
        type: 'Open',
        ...ids,
        sessionId: 0,
        timeout: this.options.openTimeoutSeconds ?? 0,
        id: this.options.id ?? [],
        description: new TextEncoder().encode(this.options.description ?? 'AgentX subagent'),
      }));
      if (res.error !== 0) throw new AgentXRequestError(`master refused Open: ${responseErrorName(res.error)}`, 'Open', res.error);
      channel.sessionId = res.sessionId;
      this.learnClock(res.sysUpTime);
      // register() calls made while this runs are picked up by the next round.
      const sent = new Set<Registration>();
      for (let todo = [...this.registrations.values()]; todo.length > 0; todo = [...this.registrations.values()].filter((r) => !sent.has(r))) {
        for (const reg of todo) sent.add(reg);
        await Promise.all(todo.map((reg) => this.sendRegister(channel, reg)));
      }
      for (const caps of [...this.caps.values()]) await this.sendCaps(channel, caps);
    } catch (err) {
      if (channel.live && !this.stopped) {
        this.log.warn({ err }, 'AgentX session setup failed');
        this.connection.drop(channel, `setup failed: ${(err as Error).message}`, 'other');
      }
      return;
    }
    if (!channel.live || this.state !== 'setup') return;
    this.state = 'open';
    this.connection.succeeded();
    this.c.sessionsOpened++;
    this.log.info({ sessionId: channel.sessionId, master: this.connection.master, registrations: this.registrations.size }, 'AgentX session open');
    this.emit('connected', { sessionId: channel.sessionId });
    this.schedulePing(channel);
    this.settle(this.flush(), 'notification delivery');
  }

  /** Resolves once answered (accepted or refused); rejects only when the connection fails. */
  private async sendRegister(channel: Channel, reg: Registration): Promise<void> {
    const o = reg.options;
    const res = await this.request(channel, (ids) => ({
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

  /** Resolves once answered (accepted or refused); rejects only when the connection fails. */
  private async sendCaps(channel: Channel, caps: AgentCaps): Promise<void> {
    const res = await this.request(channel, (ids) => ({
      type: 'AddAgentCaps',
      ...ids,
      id: caps.id,
      description: new TextEncoder().encode(caps.description),
    }));
    if (res.error === 0) this.log.debug({ id: formatOid(caps.id) }, 'agent capabilities announced');
    else this.log.warn({ id: formatOid(caps.id), error: responseErrorName(res.error) }, 'master refused AddAgentCaps');
  }

  /** The master's sysUpTime at this moment: where its clock started, in our time. */
  private learnClock(sysUpTime: number): void {
    const origin = this.timers.now() - sysUpTime * 10;
    if (this.origin !== undefined && Math.abs(origin - this.origin) <= CLOCK_TOLERANCE_MS) return;
    const first = this.origin === undefined;
    this.origin = origin;
    this.log.info({ masterUptimeMs: sysUpTime * 10, restarted: !first }, first ? "the master's clock" : 'the master restarted: its clock starts again');
    this.emit('clockChanged', { origin });
  }

  private clearPing(): void {
    if (this.pingTimer !== undefined) this.timers.clearTimeout(this.pingTimer);
    this.pingTimer = undefined;
  }

  private schedulePing(channel: Channel): void {
    const every = this.options.pingIntervalMs ?? 15_000;
    if (every <= 0) return;
    this.clearPing();
    this.pingTimer = this.timers.setTimeout(() => {
      this.pingTimer = undefined;
      if (this.state !== 'open' || !channel.live) return;
      // A lost ping drops the connection (see the tracker's timeout); then there is nothing to schedule.
      this.settle(
        this.request(channel, (ids) => ({ type: 'Ping', ...ids })).then(() => {
          if (this.state === 'open' && channel.live) this.schedulePing(channel);
        }),
        'ping',
        true,
      );
    }, every);
  }

  /** Delivers queued notifications one at a time, in order; the head leaves the queue once acknowledged. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let item = this.queue.peek(); item && this.state === 'open'; item = this.queue.peek()) {
        const channel = this.connection.current;
        if (channel === undefined) return;
        const ticks = this.origin === undefined || item.raisedAt < this.origin ? undefined : Math.floor((item.raisedAt - this.origin) / 10) % 0x1_0000_0000;
        const varbinds = ticks === undefined ? item.varbinds : [{ oid: SYS_UP_TIME_0, value: { type: 'TimeTicks', value: ticks } } as const, ...item.varbinds];
        let res: ResponsePdu;
        try {
          res = await this.request(channel, (ids) => ({ type: 'Notify', ...ids, varbinds }));
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

  private dispatch(channel: Channel, pdu: AgentXPdu): void {
    if (pdu.type === 'Response') {
      if (!channel.tracker.settle(pdu)) this.log.debug({ packetId: pdu.packetId }, 'Response to nothing we are waiting for');
      return;
    }
    if (pdu.type === 'Close') {
      this.log.warn({ reason: pdu.reason }, 'AgentX master closed the session');
      this.connection.drop(channel, `master sent Close (reason ${pdu.reason})`);
      return;
    }
    if (isRequestPdu(pdu)) {
      let response = handleRequest(pdu, this.provider);
      if (!response) return;
      if (pdu.sessionId !== channel.sessionId) {
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
      channel.socket.write(bytes);
      return;
    }
    if (pdu.type === 'Ping') {
      channel.send({ type: 'Response', sessionId: pdu.sessionId, transactionId: pdu.transactionId, packetId: pdu.packetId, sysUpTime: 0, error: 0, index: 0, varbinds: [] });
      return;
    }
    this.log.warn({ pduType: pdu.type }, 'ignoring a PDU a master does not send to a subagent');
  }

  private onFailed(error: Error, kind: 'protocol' | 'processing'): void {
    if (kind === 'protocol') {
      this.c.protocolErrors++;
      this.log.error({ err: error }, 'undecodable AgentX PDU from the master; reconnecting');
    } else {
      this.log.error({ err: error }, 'failed to process an AgentX PDU; reconnecting');
    }
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  private onLost(reason: string): void {
    const wasOpen = this.state === 'open';
    this.clearPing();
    if (this.state !== 'stopped') this.state = 'setup';
    if (wasOpen) {
      this.log.warn({ reason }, 'AgentX session lost');
      this.emit('disconnected', { reason });
    }
  }
}

function registrationKey(subtree: Oid, o: RegisterOptions): string {
  return `${formatOid(subtree)}/${o.rangeSubid ?? 0}/${o.upperBound ?? ''}/${o.priority ?? 127}`;
}
