import type { MibProvider, Oid, VarBind } from '../snmp/index.js';
import type { Logger } from '../support/index.js';
import { engineClock, type EngineClock } from './engine-clock.js';
import { NetSnmpAgent, type IncomingRequest, type Reply } from './net-snmp-adapter.js';
import { answerRequest, ERROR_STATUS } from './request-answer.js';
import type { StandaloneSecurity } from './standalone-config.js';
import { netSnmpUser, TrapSender } from './trap-sender.js';
import { formatUdpAddress, type UdpAddress } from './udp-address.js';

export interface StandaloneAgentOptions {
  readonly listen: UdpAddress;
  /** What is served; asked once per PDU, never reads a file. */
  readonly provider: MibProvider;
  readonly security: StandaloneSecurity;
  readonly logger: Logger;
  /** Milliseconds since some fixed point; injectable so tests drive sysUpTime. */
  readonly now?: () => number;
}

export interface StandaloneCounters {
  readonly requests: number;
  /** Requests that failed authentication or came in a version or context not served. */
  readonly refused: number;
  readonly setsRefused: number;
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
  private readonly traps: TrapSender;
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly communities: ReadonlySet<string>;
  private readonly userNames: ReadonlySet<string>;
  private counts = { requests: 0, refused: 0, setsRefused: 0 };
  private readonly clock: EngineClock;

  constructor(private readonly opts: StandaloneAgentOptions) {
    const { security } = opts;
    if (security.communities.length === 0 && security.users.length === 0) throw new NoCredentialError();
    this.now = opts.now ?? (() => performance.now());
    this.startedAt = this.now();
    this.communities = new Set(security.communities);
    this.userNames = new Set(security.users.map((u) => u.name));
    this.clock = engineClock();
    this.traps = new TrapSender(security.trapTargets, security.engineId, this.clock, opts.logger);
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
    return { ...this.counts, notificationsSent: this.traps.sent, notificationsFailed: this.traps.failed };
  }

  get trapTargets(): readonly string[] {
    return this.traps.targets;
  }

  /** Binds the UDP socket; rejects when it cannot (address in use, not on this host). */
  async start(): Promise<void> {
    if (this.agent !== undefined) return;
    const { listen, security, logger } = this.opts;
    this.agent = await NetSnmpAgent.start({
      listen,
      engineId: security.engineId,
      clock: this.clock,
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
      },
      'standalone agent listening',
    );
  }

  /** Sends a notification raised at `raisedAt` (on `now`'s clock, default now) to every trap target. */
  notify(trapOid: Oid, varbinds: readonly VarBind[], raisedAt: number = this.now()): void {
    this.traps.send(trapOid, varbinds, this.ticksAt(raisedAt));
  }

  async stop(): Promise<void> {
    this.traps.close();
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
