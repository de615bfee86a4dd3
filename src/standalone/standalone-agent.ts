import type { MibProvider, Oid, VarBind } from '../snmp/index.js';
import type { Logger } from '../support/index.js';
import { engineClock, MAX_ENGINE_VALUE, type EngineClock } from './engine-clock.js';
import { nextEngineBoots } from './engine-state.js';
import { NetSnmpAgent, type IncomingRequest, type Reply } from './net-snmp-adapter.js';
import { answerRequest, ERROR_STATUS } from './request-answer.js';
import type { StandaloneSecurity } from './standalone-config.js';
import { inTimeWindow } from './time-window.js';
import { netSnmpUser, TrapSender } from './trap-sender.js';
import { formatUdpAddress, type UdpAddress } from './udp-address.js';

export interface StandaloneAgentOptions {
  readonly listen: UdpAddress;
  /** What is served; asked once per PDU, never reads a file. */
  readonly provider: MibProvider;
  readonly security: StandaloneSecurity;
  readonly logger: Logger;
  /**
   * Where snmpEngineBoots is kept across restarts (engine-state.ts); undefined:
   * not kept, boots derived from the clock (the demo).
   */
  readonly stateDir?: string;
  /** Milliseconds since some fixed point; injectable so tests drive sysUpTime and snmpEngineTime. */
  readonly now?: () => number;
}

export interface StandaloneCounters {
  readonly requests: number;
  /** Requests that failed authentication or came in a version or context not served. */
  readonly refused: number;
  readonly setsRefused: number;
  /** Authenticated SNMPv3 requests outside the time window (RFC 3414 3.2 step 7: a replay, or a manager to resynchronize). */
  readonly notInTimeWindow: number;
  /** SNMPv3 requests for another engine ID (RFC 3414 3.2 step 3). */
  readonly unknownEngineId: number;
  readonly notificationsSent: number;
  readonly notificationsFailed: number;
}

/** No credential at all would make a read-only agent that nobody may read, or, worse, one that everybody may. */
export class NoCredentialError extends Error {
  constructor() {
    super('no SNMPv2c community and no SNMPv3 user configured: nobody could read the agent');
    this.name = 'NoCredentialError';
  }
}

/**
 * An SNMP agent in this process: net-snmp decodes and authenticates (see
 * net-snmp-adapter.ts); this class decides who is served and answers from
 * `provider`, read-only.
 */
export class StandaloneAgent {
  private agent: NetSnmpAgent | undefined;
  /** Made at start, once boots is known. */
  private traps: TrapSender | undefined;
  private clock: EngineClock | undefined;
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly communities: ReadonlySet<string>;
  private readonly userNames: ReadonlySet<string>;
  private counts = { requests: 0, refused: 0, setsRefused: 0, notInTimeWindow: 0, unknownEngineId: 0 };

  constructor(private readonly opts: StandaloneAgentOptions) {
    const { security } = opts;
    if (security.communities.length === 0 && security.users.length === 0) throw new NoCredentialError();
    this.now = opts.now ?? (() => performance.now());
    this.startedAt = this.now();
    this.communities = new Set(security.communities);
    this.userNames = new Set(security.users.map((u) => u.name));
  }

  /** sysUpTime: hundredths of a second since the agent was made, wrapping at 2^32. */
  uptimeTicks(): number {
    return this.ticksAt(this.now());
  }

  /** The time (on `now`'s clock) at which this agent's sysUpTime was 0. */
  uptimeOrigin(): number {
    return this.startedAt;
  }

  private ticksAt(at: number): number {
    return Math.floor(Math.max(0, at - this.startedAt) / 10) % 0x1_0000_0000;
  }

  get counters(): StandaloneCounters {
    return { ...this.counts, notificationsSent: this.traps?.sent ?? 0, notificationsFailed: this.traps?.failed ?? 0 };
  }

  /** Where notifications go (labels for the log); empty before start. */
  get trapTargets(): readonly string[] {
    return this.traps?.targets ?? [];
  }

  /** snmpEngineBoots and snmpEngineTime, once started. */
  get engine(): EngineClock | undefined {
    return this.clock;
  }

  /**
   * Takes this start's snmpEngineBoots (persisted in the state directory, see
   * engine-state.ts), then binds the UDP socket; rejects when it cannot
   * (address in use, not on this host).
   */
  async start(): Promise<void> {
    if (this.agent !== undefined) return;
    const { listen, security, logger } = this.opts;
    const state = await nextEngineBoots({ stateDir: this.opts.stateDir, engineId: security.engineId });
    if (state.warning !== undefined) logger.warn({ stateDir: this.opts.stateDir, engineBoots: state.boots }, `engine state: ${state.warning}`);
    else if (state.notice !== undefined) logger.info({ stateDir: this.opts.stateDir, engineBoots: state.boots }, `engine state: ${state.notice}`);
    if (state.boots >= MAX_ENGINE_VALUE) {
      logger.error(
        { engineBoots: state.boots },
        'engine boots is at its maximum (2^31-1): every authenticated SNMPv3 request is refused (RFC 3414 2.2.2); configure a new engineId',
      );
    }
    const clock = engineClock(state.boots, this.now);
    this.clock = clock;
    this.traps ??= new TrapSender(security.trapTargets, security.engineId, clock, logger);
    this.agent = await NetSnmpAgent.start({
      listen,
      engineId: security.engineId,
      clock,
      communities: security.communities,
      users: security.users.map(netSnmpUser),
      onRequest: (request) => this.onRequest(request),
      onRefused: (reason, from) => {
        this.counts.refused++;
        // Wrong community, unknown user, bad digest: the sender's problem, told at debug level so a scan cannot flood the log.
        logger.debug({ reason, from }, 'request refused');
      },
      onSocketError: (err) => logger.warn({ err }, 'socket error'),
      onSendError: (err, from, oids) => logger.warn({ err, from, oids }, 'response not sent'),
    });
    logger.info(
      {
        listen: formatUdpAddress(listen),
        communities: security.communities.length,
        users: security.users.map((u) => u.name),
        trapTargets: this.traps.targets,
        engineId: security.engineId,
        engineBoots: clock.boots,
        engineState: state.file ?? null,
      },
      'standalone agent listening',
    );
  }

  /** Sends a notification raised at `raisedAt` (on `now`'s clock, default now) to every trap target. */
  notify(trapOid: Oid, varbinds: readonly VarBind[], raisedAt: number = this.now()): void {
    this.traps?.send(trapOid, varbinds, this.ticksAt(raisedAt));
  }

  async stop(): Promise<void> {
    this.traps?.close();
    this.traps = undefined;
    const agent = this.agent;
    this.agent = undefined;
    await agent?.close();
  }

  private onRequest(request: IncomingRequest): Reply {
    const { logger } = this.opts;
    if (!this.authorized(request)) {
      this.counts.refused++;
      logger.debug({ from: request.from, version: request.version }, 'request refused: version or security name not served');
      return { kind: 'drop' };
    }
    const refusal = this.outsideEngine(request);
    if (refusal !== undefined) return refusal;
    this.counts.requests++;
    if (request.kind === 'set') {
      this.counts.setsRefused++;
      logger.info({ from: request.from, oids: request.oids.map((o) => o.join('.')) }, 'SET refused: the agent is read-only');
    }
    try {
      return answerRequest(this.opts.provider, request);
    } catch (err) {
      logger.warn({ err, from: request.from }, 'request not answered');
      return { kind: 'error', errorStatus: ERROR_STATUS.genErr, errorIndex: 0 };
    }
  }

  /**
   * RFC 3414 3.2: a v3 request for another engine (step 3), or an
   * authenticated one outside our time window (step 7), gets a Report,
   * never an answer. This is what refuses a replayed request: once the agent
   * has restarted (boots grew) or 150 s have passed, the captured bytes claim
   * a boots or time that is no longer ours, and without the user's key
   * nobody can change them. A manager with the key resynchronizes from the
   * authenticated Report and asks again (RFC 3414 4), as every manager does
   * once after the agent restarts.
   */
  private outsideEngine(request: IncomingRequest): Reply | undefined {
    const claimed = request.claimedEngine;
    const clock = this.clock;
    if (request.version !== 'v3' || claimed === undefined || clock === undefined) return undefined;
    const { logger } = this.opts;
    const detail = { from: request.from, user: request.userName };
    if (claimed.engineId !== this.opts.security.engineId.toLowerCase()) {
      const count = ++this.counts.unknownEngineId;
      logger[isPowerOfTwo(count) ? 'info' : 'debug'](
        { ...detail, engineId: claimed.engineId, refusedSoFar: count },
        'request refused: for another engine ID (usmStatsUnknownEngineIDs Report, RFC 3414 3.2 step 3)',
      );
      return { kind: 'unknownEngineId', count };
    }
    if (!request.authenticated || inTimeWindow(claimed, clock)) return undefined;
    const count = ++this.counts.notInTimeWindow;
    // Every manager resynchronizes once after a restart, and a replay can repeat: the count at 1, 2, 4, 8, ... at info.
    logger[isPowerOfTwo(count) ? 'info' : 'debug'](
      {
        ...detail,
        claimed: { boots: claimed.boots, time: claimed.time },
        engine: { boots: clock.boots, time: clock.time() },
        refusedSoFar: count,
      },
      'request refused: not in the time window (usmStatsNotInTimeWindows Report, RFC 3414 3.2 step 7; a replay, or a manager to resynchronize)',
    );
    return { kind: 'notInTimeWindow', count };
  }

  /**
   * net-snmp lets through v1 and, in v3, an unknown empty user name (it is
   * what discovery uses); only v2c with one of our communities and v3 as one
   * of our users are served.
   */
  private authorized(request: IncomingRequest): boolean {
    if (request.version === 'v2c') return request.community !== undefined && this.communities.has(request.community);
    if (request.version === 'v3') return request.userName !== undefined && this.userNames.has(request.userName);
    return false;
  }
}

const isPowerOfTwo = (n: number): boolean => n > 0 && Number.isInteger(Math.log2(n));
