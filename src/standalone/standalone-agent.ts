import type { Socket } from 'node:dgram';
import * as snmp from 'net-snmp';
import { formatOid, parseOid, type MibProvider, type Oid, type VarBind } from '../snmp/index.js';
import { engineClock, type EngineClock } from './engine-clock.js';
import type { AgentLogger } from './logger.js';
import { answerRequest, ERROR_STATUS, type Answer, type RequestKind } from './request-answer.js';
import type { StandaloneSecurity } from './standalone-config.js';
import { netSnmpUser, TrapSender } from './trap-sender.js';
import { formatUdpAddress, type UdpAddress } from './udp-address.js';
import { toWireVarbinds } from './varbind-codec.js';

export interface StandaloneAgentOptions {
  readonly listen: UdpAddress;
  /** What is served; asked once per PDU, never reads a file. */
  readonly provider: MibProvider;
  readonly security: StandaloneSecurity;
  readonly logger: AgentLogger;
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
 * An SNMP agent in this process: net-snmp's agent decodes, authenticates
 * (v2c community, v3 USM with authentication and privacy) and answers v3
 * discovery; every request it accepts is then answered here, from `provider`,
 * instead of from net-snmp's own MIB store. That store can only walk what was
 * registered as scalars and tables with every column filled, while our views
 * leave absent columns absent and change as a whole on every re-read.
 */
export class StandaloneAgent {
  private agent: snmp.Agent | undefined;
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
    return Math.floor((this.now() - this.startedAt) / 10) >>> 0;
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
    let binding: ((err: Error | undefined) => void) | undefined;
    const bound = new Promise<void>((resolve, reject) => {
      binding = (err) => (err ? reject(err) : resolve());
    });
    const agent = snmp.createAgent(
      { port: listen.port, address: listen.host, transport: listen.transport, engineID: security.engineId },
      (error) => {
        if (error === null) return;
        if ((error as NodeJS.ErrnoException).syscall !== undefined) {
          if (binding !== undefined) return binding(error);
          logger.warn({ err: error }, 'socket error');
          return;
        }
        this.counts.refused++;
        // Wrong community, unknown user, bad digest: the sender's problem, told at debug level so a scan cannot flood the log.
        logger.debug({ reason: error.message, from: remote(error) }, 'request refused');
      },
    );
    this.agent = agent;
    // Discovery reports tell managers the engine's boots and time (net-snmp has fixed 0 and 10).
    const engine = (agent as unknown as { engine: { engineBoots: number; engineTime: number } }).engine;
    const clock = this.clock;
    engine.engineBoots = clock.boots;
    Object.defineProperty(engine, 'engineTime', { get: () => clock.time(), set: () => undefined, configurable: true });
    const authorizer = agent.getAuthorizer();
    for (const c of security.communities) authorizer.addCommunity(c);
    for (const u of security.users) authorizer.addUser(netSnmpUser(u));
    agent.getRequest = (socket, message, rinfo) => this.onRequest('get', socket, message, rinfo);
    agent.getNextRequest = (socket, message, rinfo) => this.onRequest('getNext', socket, message, rinfo);
    agent.getBulkRequest = (socket, message, rinfo) => this.onRequest('getBulk', socket, message, rinfo);
    agent.setRequest = (socket, message, rinfo) => this.onRequest('set', socket, message, rinfo);
    agent.onProxyRequest = (_socket, message, rinfo) => {
      this.counts.refused++;
      logger.debug({ context: message.pdu.contextName, from: `${rinfo.address}:${rinfo.port}` }, 'request for a context not served');
    };
    const sockets = Object.values(agent.listener.sockets);
    let pending = sockets.length;
    for (const socket of sockets) {
      socket.once('listening', () => {
        if (--pending === 0) binding?.(undefined);
      });
    }
    try {
      await bound;
    } catch (err) {
      this.agent = undefined;
      // net-snmp's close asks each socket its address, which throws for one that never bound.
      for (const socket of sockets) closeQuietly(socket);
      throw err;
    }
    binding = undefined;
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

  /** Sends a notification to every trap target. */
  notify(trapOid: Oid, varbinds: readonly VarBind[]): void {
    this.traps.send(trapOid, varbinds, this.uptimeTicks());
  }

  async stop(): Promise<void> {
    this.traps.close();
    const agent = this.agent;
    this.agent = undefined;
    if (agent === undefined) return;
    await new Promise<void>((resolve) => {
      try {
        agent.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }

  private onRequest(kind: RequestKind, socket: Socket, message: snmp.Message, rinfo: snmp.RemoteInfo): void {
    const agent = this.agent;
    if (agent === undefined) return;
    const from = `${rinfo.address}:${rinfo.port}`;
    if (!this.authorized(message)) {
      this.counts.refused++;
      this.opts.logger.debug({ from, version: message.version }, 'request refused: version or security name not served');
      return;
    }
    this.counts.requests++;
    const pdu = message.pdu;
    let answer: Answer;
    try {
      answer = answerRequest(this.opts.provider, {
        kind,
        oids: pdu.varbinds.map((vb) => parseOid(vb.oid)),
        nonRepeaters: pdu.nonRepeaters ?? 0,
        maxRepetitions: pdu.maxRepetitions ?? 0,
      });
    } catch (err) {
      this.opts.logger.warn({ err, from }, 'request not answered');
      answer = { errorStatus: ERROR_STATUS.genErr, errorIndex: 0, varbinds: [] };
    }
    const response = pdu.getResponsePduForRequest();
    if (kind === 'set') {
      this.counts.setsRefused++;
      // RFC 3416 4.2.5: an error response carries the request's own varbinds.
      response.varbinds = pdu.varbinds;
      this.opts.logger.info({ from, oids: pdu.varbinds.map((vb) => vb.oid) }, 'SET refused: the agent is read-only');
    } else {
      response.varbinds = answer.errorStatus === ERROR_STATUS.noError ? toWireVarbinds(answer.varbinds) : pdu.varbinds;
    }
    response.errorStatus = answer.errorStatus;
    response.errorIndex = answer.errorIndex;
    try {
      agent.sendResponse(socket, rinfo, message, response);
    } catch (err) {
      this.opts.logger.warn({ err, from, oids: pdu.varbinds.slice(0, 4).map((vb) => formatOid(parseOid(vb.oid))) }, 'response not sent');
    }
  }

  /**
   * net-snmp lets through v1 and, in v3, an unknown empty user name (it is
   * what discovery uses); only v2c with one of our communities and v3 as one
   * of our users are served.
   */
  private authorized(message: snmp.Message): boolean {
    if (message.version === snmp.Version2c) return message.community !== undefined && this.communities.has(message.community);
    if (message.version === snmp.Version3) return message.user !== undefined && this.userNames.has(message.user.name);
    return false;
  }
}

function remote(error: Error): string | undefined {
  const rinfo = (error as Error & { rinfo?: snmp.RemoteInfo }).rinfo;
  return rinfo === undefined ? undefined : `${rinfo.address}:${rinfo.port}`;
}

function closeQuietly(socket: Socket): void {
  try {
    socket.close();
  } catch {
    // Already closed.
  }
}
