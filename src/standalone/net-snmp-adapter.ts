/**
 * Every use of the `net-snmp` package's internals, in one place.
 *
 * net-snmp's agent decodes, authenticates (v2c communities, v3 USM with
 * authentication and privacy) and answers v3 discovery well, but answers
 * requests only from its own MIB store, which cannot serve our views (absent
 * columns stay absent, the whole view changes at once). So we replace the
 * agent's four request hooks, answer from our provider through its
 * internal response path, give its engine our boots and time, put them in
 * every v3 response and on the v3 notifications its sessions send, and send
 * the USM Reports its agent lacks (RFC 3414 3.2 steps 3 and 7: unknown
 * engine ID, not in the time window) as the RFC wants them, which its own
 * report builder does not (see `report`). None of this is public
 * API: `checkNetSnmpInternals()` verifies each piece before the agent
 * starts, and a test runs it, so that an upgrade that moves one fails with
 * the name of what moved instead of an agent that answers from an empty MIB.
 */
import type { Socket } from 'node:dgram';
import { createRequire } from 'node:module';
import * as snmp from 'net-snmp';
import { formatOid, parseOid, type Oid } from '../snmp/index.js';
import type { EngineClock } from './engine-clock.js';
import type { Answer, RequestKind } from './request-answer.js';
import type { UdpAddress } from './udp-address.js';
import { toWireVarbinds, type WireVarbind } from './varbind-codec.js';

/** An internal of net-snmp that is not where the agent needs it. */
export class NetSnmpContractError extends Error {
  constructor(readonly internal: string, detail: string) {
    super(`net-snmp ${netSnmpVersion()}: internal ${internal} ${detail}; this agent was written against net-snmp 3.29`);
    this.name = 'NetSnmpContractError';
  }
}

// ---- the internals, as this module relies on them ----

interface InternalSecurityParameters {
  msgAuthoritativeEngineID?: Buffer;
  msgAuthoritativeEngineBoots?: number;
  msgAuthoritativeEngineTime?: number;
  msgUserName?: string;
}

interface InternalMessage {
  version: number;
  community?: string;
  /** v3: the configured user net-snmp authenticated the message as (its keys included). */
  user?: snmp.User;
  msgSecurityParameters?: InternalSecurityParameters;
  msgGlobalData?: { msgFlags: number; msgID: number };
  pdu: {
    id: number;
    varbinds: WireVarbind[];
    nonRepeaters?: number;
    maxRepetitions?: number;
    contextName?: string;
    getResponsePduForRequest(): InternalPdu;
  };
  createReportResponseMessage(engine: InternalEngine, context: string, errorType: string): InternalReport;
}

/** What createReportResponseMessage returns: a v3 message, encoded (and authenticated with `user`'s keys) when sent. */
interface InternalReport {
  user: snmp.User;
  msgGlobalData: { msgFlags: number };
  msgSecurityParameters: InternalSecurityParameters;
  pdu: { id: number; varbinds: { oid: string; type: number; value: unknown }[] };
}

interface InternalPdu {
  varbinds: WireVarbind[];
  errorStatus: number;
  errorIndex: number;
}

interface InternalEngine {
  engineBoots: number;
  engineTime: number;
}

type Hook = (socket: Socket, message: InternalMessage, rinfo: snmp.RemoteInfo) => void;

interface InternalAgent {
  engine: InternalEngine;
  listener: { sockets: Record<string, Socket>; send(message: unknown, rinfo: snmp.RemoteInfo, socket: Socket): void };
  getRequest: Hook;
  getNextRequest: Hook;
  getBulkRequest: Hook;
  setRequest: Hook;
  onProxyRequest: Hook;
  sendResponse(socket: Socket, rinfo: snmp.RemoteInfo, request: InternalMessage, response: InternalPdu): void;
  getAuthorizer(): snmp.Authorizer;
  close(callback?: () => void): void;
}

interface InternalSession {
  send(req: { message?: { msgSecurityParameters?: Record<string, unknown> } }, noWait?: boolean): unknown;
}

const HOOKS = ['getRequest', 'getNextRequest', 'getBulkRequest', 'setRequest', 'onProxyRequest'] as const;

function netSnmpVersion(): string {
  try {
    return (createRequire(import.meta.url)('net-snmp/package.json') as { version?: string }).version ?? 'unknown';
  } catch {
    return '(version unknown)';
  }
}

const method = (object: object | undefined, name: string): boolean =>
  typeof (object as Record<string, unknown> | undefined)?.[name] === 'function';

/**
 * Throws NetSnmpContractError naming the first internal this module relies on
 * that the installed net-snmp no longer has in the expected shape. The parts
 * of a received message (its PDU's getResponsePduForRequest, its
 * createReportResponseMessage) can only be seen on a real request: `respond`
 * checks them there, and the contract test sends real requests.
 */
export function checkNetSnmpInternals(): void {
  const agent = snmp.createAgent({ port: 0, address: '127.0.0.1', transport: 'udp4' }, () => undefined) as unknown as Partial<InternalAgent>;
  try {
    for (const hook of HOOKS) if (!method(agent, hook)) throw new NetSnmpContractError(`Agent.${hook}`, 'is not a method to replace');
    if (!method(agent, 'sendResponse')) throw new NetSnmpContractError('Agent.sendResponse', 'is missing');
    const engine = agent.engine;
    if (engine === undefined || typeof engine.engineBoots !== 'number' || typeof engine.engineTime !== 'number') {
      throw new NetSnmpContractError('Agent.engine.engineBoots/engineTime', 'are not numbers on the agent');
    }
    const sockets = agent.listener?.sockets;
    if (sockets === undefined || typeof sockets !== 'object' || Object.keys(sockets).length === 0) {
      throw new NetSnmpContractError('Agent.listener.sockets', 'does not hold the listening sockets');
    }
    if (!method(agent.listener, 'send')) throw new NetSnmpContractError('Agent.listener.send', 'is missing');
  } finally {
    closeQuietly(agent);
  }
  const session = snmp.createSession('127.0.0.1', 'probe', { transport: 'udp4' });
  try {
    if (!method(session, 'send')) throw new NetSnmpContractError('Session.send', 'is not a method to wrap');
  } finally {
    session.close();
  }
}

/** The parts of a received message `respond` uses, checked on each one. */
function checkMessage(message: InternalMessage): void {
  if (!method(message.pdu, 'getResponsePduForRequest')) throw new NetSnmpContractError('Pdu.getResponsePduForRequest', 'is missing on a request');
  if (!method(message, 'createReportResponseMessage')) throw new NetSnmpContractError('Message.createReportResponseMessage', 'is missing on a request');
  if (typeof message.pdu.id !== 'number') throw new NetSnmpContractError('Pdu.id', 'is not the request-id');
  if (message.version !== snmp.Version3) return;
  const params = message.msgSecurityParameters;
  if (
    params === undefined ||
    !Buffer.isBuffer(params.msgAuthoritativeEngineID) ||
    typeof params.msgAuthoritativeEngineBoots !== 'number' ||
    typeof params.msgAuthoritativeEngineTime !== 'number'
  ) {
    throw new NetSnmpContractError('Message.msgSecurityParameters', 'does not hold the engine ID, boots and time of a v3 request');
  }
  if (typeof message.msgGlobalData?.msgFlags !== 'number') throw new NetSnmpContractError('Message.msgGlobalData.msgFlags', 'is missing on a v3 request');
  if (typeof message.user?.name !== 'string') throw new NetSnmpContractError('Message.user', 'is not the authenticated user');
}

/** The parts of a report net-snmp built that `report` changes. */
function checkReport(report: InternalReport): void {
  if (typeof report.user?.name !== 'string') throw new NetSnmpContractError('Message.user', 'is missing on a report');
  if (typeof report.msgGlobalData?.msgFlags !== 'number') throw new NetSnmpContractError('Message.msgGlobalData.msgFlags', 'is missing on a report');
  if (typeof report.msgSecurityParameters?.msgUserName !== 'string') {
    throw new NetSnmpContractError('Message.msgSecurityParameters.msgUserName', 'is missing on a report');
  }
  if (typeof report.pdu?.id !== 'number' || report.pdu.varbinds?.length !== 1) {
    throw new NetSnmpContractError('ReportPdu', 'does not hold a request-id and one usmStats varbind');
  }
}

// ---- the agent ----

/** A request net-snmp decoded and authenticated, in our terms. */
export interface IncomingRequest {
  readonly kind: RequestKind;
  readonly version: 'v1' | 'v2c' | 'v3';
  readonly community: string | undefined;
  /** v3: the USM user net-snmp authenticated ('' for discovery's unknown user). */
  readonly userName: string | undefined;
  /** v3: the message was authenticated (net-snmp checked its digest with the user's key). */
  readonly authenticated: boolean;
  /**
   * v3: the authoritative engine the request names (msgAuthoritativeEngineID, hex; RFC 3414 3.2 step 3)
   * and the boots and time it claims for it (step 7).
   */
  readonly claimedEngine: { readonly engineId: string; readonly boots: number; readonly time: number } | undefined;
  readonly oids: readonly Oid[];
  readonly nonRepeaters: number;
  readonly maxRepetitions: number;
  /** "address:port" of the sender. */
  readonly from: string;
}

/** What to do with a request: answer it (varbinds, or an error status with the request's own varbinds), or: */
export type Reply =
  | Answer
  /** RFC 3414 3.2 step 7: a usmStatsNotInTimeWindows Report carrying `count`, authenticated (authNoPriv), never an answer. */
  | { readonly kind: 'notInTimeWindow'; readonly count: number }
  /** RFC 3414 3.2 step 3: a usmStatsUnknownEngineIDs Report carrying `count` (noAuthNoPriv), never an answer. */
  | { readonly kind: 'unknownEngineId'; readonly count: number }
  /** Say nothing (unauthorized). */
  | { readonly kind: 'drop' };

export interface NetSnmpAgentOptions {
  readonly listen: UdpAddress;
  readonly engineId: string;
  readonly clock: EngineClock;
  readonly communities: readonly string[];
  readonly users: readonly snmp.User[];
  readonly onRequest: (request: IncomingRequest) => Reply;
  /** A request net-snmp itself refused (wrong community, unknown user, bad digest), or a context we do not serve. */
  readonly onRefused: (reason: string, from: string | undefined) => void;
  /** A socket error after start. */
  readonly onSocketError: (err: Error) => void;
  /** A response that could not be sent. */
  readonly onSendError: (err: unknown, from: string, oids: readonly string[]) => void;
}

const VERSION_NAMES: Record<number, IncomingRequest['version']> = { [snmp.Version1]: 'v1', [snmp.Version2c]: 'v2c', [snmp.Version3]: 'v3' };

/** net-snmp's agent with our request hooks, our engine clock and a clean bind. */
export class NetSnmpAgent {
  private constructor(private readonly agent: InternalAgent) {}

  /** Binds the UDP socket; rejects when it cannot (address in use, not on this host). */
  static async start(options: NetSnmpAgentOptions): Promise<NetSnmpAgent> {
    checkNetSnmpInternals();
    const { listen } = options;
    let binding: ((err: Error | undefined) => void) | undefined;
    const bound = new Promise<void>((resolve, reject) => {
      binding = (err) => (err ? reject(err) : resolve());
    });
    const agent = snmp.createAgent(
      { port: listen.port, address: listen.host, transport: listen.transport, engineID: options.engineId },
      (error) => {
        if (error === null) return;
        if ((error as NodeJS.ErrnoException).syscall !== undefined) {
          if (binding !== undefined) return binding(error);
          options.onSocketError(error);
          return;
        }
        options.onRefused(error.message, remote(error));
      },
    ) as unknown as InternalAgent;
    // Discovery reports and responses tell managers the engine's boots and time (net-snmp has fixed 0 and 10).
    const clock = options.clock;
    agent.engine.engineBoots = clock.boots;
    Object.defineProperty(agent.engine, 'engineTime', { get: () => clock.time(), set: () => undefined, configurable: true });
    const authorizer = agent.getAuthorizer();
    for (const c of options.communities) authorizer.addCommunity(c);
    for (const u of options.users) authorizer.addUser(u);
    const kinds: Record<Exclude<(typeof HOOKS)[number], 'onProxyRequest'>, RequestKind> = {
      getRequest: 'get',
      getNextRequest: 'getNext',
      getBulkRequest: 'getBulk',
      setRequest: 'set',
    };
    for (const [hook, kind] of Object.entries(kinds) as [keyof typeof kinds, RequestKind][]) {
      agent[hook] = (socket, message, rinfo) => respond(agent, options, kind, socket, message, rinfo);
    }
    agent.onProxyRequest = (_socket, message, rinfo) =>
      options.onRefused(`context "${message.pdu.contextName ?? ''}" not served`, `${rinfo.address}:${rinfo.port}`);
    try {
      await listening(agent.listener.sockets);
      binding = undefined;
    } catch (err) {
      closeQuietly(agent);
      throw err;
    } finally {
      void bound.catch(() => undefined);
    }
    return new NetSnmpAgent(agent);
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      try {
        this.agent.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}

function respond(
  agent: InternalAgent,
  options: NetSnmpAgentOptions,
  kind: RequestKind,
  socket: Socket,
  message: InternalMessage,
  rinfo: snmp.RemoteInfo,
): void {
  const from = `${rinfo.address}:${rinfo.port}`;
  const pdu = message.pdu;
  let oids: readonly Oid[] = [];
  try {
    checkMessage(message);
    oids = pdu.varbinds.map((vb) => parseOid(vb.oid));
    const params = message.msgSecurityParameters;
    const v3 = message.version === snmp.Version3 && params !== undefined;
    const reply = options.onRequest({
      kind,
      version: VERSION_NAMES[message.version] ?? 'v1',
      community: message.community,
      userName: message.user?.name,
      authenticated: v3 && ((message.msgGlobalData?.msgFlags ?? 0) & FLAG_AUTH) !== 0,
      claimedEngine: v3
        ? {
            engineId: (params.msgAuthoritativeEngineID ?? Buffer.alloc(0)).toString('hex'),
            boots: params.msgAuthoritativeEngineBoots ?? 0,
            time: params.msgAuthoritativeEngineTime ?? 0,
          }
        : undefined,
      oids,
      nonRepeaters: pdu.nonRepeaters ?? 0,
      maxRepetitions: pdu.maxRepetitions ?? 0,
      from,
    });
    switch (reply.kind) {
      case 'drop':
        return;
      case 'notInTimeWindow':
      case 'unknownEngineId':
        agent.listener.send(report(agent, message, reply.kind, reply.count), rinfo, socket);
        return;
      case 'answer':
      case 'error': {
        const response = pdu.getResponsePduForRequest();
        if (reply.kind === 'answer') {
          response.varbinds = toWireVarbinds(reply.varbinds);
          response.errorStatus = 0;
          response.errorIndex = 0;
        } else {
          response.varbinds = pdu.varbinds;
          response.errorStatus = reply.errorStatus;
          response.errorIndex = reply.errorIndex;
        }
        if (v3) {
          // net-snmp's response copies the request's boots and time; RFC 3414 3.1 wants ours, which the
          // manager then takes as its new notion of our clock (the request's own would keep its error forever).
          params.msgAuthoritativeEngineBoots = options.clock.boots;
          params.msgAuthoritativeEngineTime = options.clock.time();
        }
        agent.sendResponse(socket, rinfo, message, response);
        return;
      }
    }
  } catch (err) {
    options.onSendError(err, from, oids.slice(0, 4).map(formatOid));
  }
}

const FLAG_AUTH = 0x01;
/** RFC 3412 6.4: the reportableFlag; clear in a Report (net-snmp sets it). */
const FLAG_REPORTABLE = 0x04;
const USM_STATS = { notInTimeWindow: '2', unknownEngineId: '4' } as const;

/**
 * A USM Report for `message`, from net-snmp's report builder with what it
 * gets wrong for these two put right: the counter carries our count, not 1;
 * the request-id is the request's, as Net-SNMP's snmpd sends it (net-snmp puts the
 * msgID there); the reportableFlag is clear (a Report is of the Response
 * class). And notInTimeWindow goes as the request's user at authNoPriv
 * (RFC 3414 3.2 step 7a), so the manager can trust the boots and time it
 * carries and resynchronize (RFC 3414 4); net-snmp would send it
 * unauthenticated, which Net-SNMP's tools do not take for a time
 * correction. unknownEngineID stays noAuthNoPriv, as for discovery.
 */
function report(agent: InternalAgent, message: InternalMessage, kind: keyof typeof USM_STATS, count: number): InternalReport {
  const built = message.createReportResponseMessage(agent.engine, '', USM_STATS[kind]);
  checkReport(built);
  built.pdu.varbinds[0]!.value = count >>> 0;
  built.pdu.id = message.pdu.id;
  if (kind === 'notInTimeWindow' && message.user !== undefined) {
    const { name, authProtocol, authKey } = message.user;
    built.user = { name, level: snmp.SecurityLevel.authNoPriv, authProtocol, authKey };
    built.msgSecurityParameters.msgUserName = name;
    built.msgGlobalData.msgFlags = FLAG_AUTH;
  } else {
    built.msgGlobalData.msgFlags &= ~FLAG_REPORTABLE & ~FLAG_AUTH;
  }
  return built;
}

/** Resolves once every socket listens; rejects with the first bind error. */
function listening(sockets: Record<string, Socket>): Promise<void> {
  const list = Object.values(sockets);
  return new Promise<void>((resolve, reject) => {
    let pending = list.length;
    for (const socket of list) {
      socket.once('error', reject);
      socket.once('listening', () => {
        socket.off('error', reject);
        if (--pending === 0) resolve();
      });
    }
  });
}

function closeQuietly(target: { listener?: { sockets?: Record<string, Socket> } }): void {
  // net-snmp's close asks each socket its address, which throws for one that never bound.
  for (const socket of Object.values(target.listener?.sockets ?? {})) {
    try {
      socket.close();
    } catch {
      // Already closed.
    }
  }
}

function remote(error: Error): string | undefined {
  const rinfo = (error as Error & { rinfo?: snmp.RemoteInfo }).rinfo;
  return rinfo === undefined ? undefined : `${rinfo.address}:${rinfo.port}`;
}

// ---- sessions that send notifications ----

/**
 * net-snmp's v3 trap carries engineBoots 0 and engineTime 0 whatever the
 * engine's age (see engine-clock.ts); stamp the real ones on each message
 * before it is encoded, by wrapping the session's send.
 */
export function stampEngineClock(session: snmp.Session, clock: EngineClock): void {
  const s = session as unknown as InternalSession;
  const send = s.send.bind(s);
  s.send = (req, noWait) => {
    const params = req.message?.msgSecurityParameters;
    if (params !== undefined) {
      params.msgAuthoritativeEngineBoots = clock.boots;
      params.msgAuthoritativeEngineTime = clock.time();
    }
    return send(req, noWait);
  };
}

// ---- a notification receiver (the demo's) ----

export interface BoundReceiver {
  close(): Promise<void>;
}

/** net-snmp's SNMPv2c receiver on `port`, bound; rejects when the port cannot be bound. */
export async function startReceiver(
  port: number,
  community: string,
  onNotification: (varbinds: readonly WireVarbind[]) => void,
  onError: (err: Error) => void,
): Promise<BoundReceiver> {
  let started = false;
  const receiver = snmp.createReceiver({ port, address: '127.0.0.1', transport: 'udp4' }, (error, notification) => {
    if (error) {
      if (started) onError(error);
      return;
    }
    if (notification !== undefined) onNotification(notification.pdu.varbinds);
  });
  receiver.getAuthorizer().addCommunity(community);
  try {
    await listening(receiver.listener.sockets);
  } catch (err) {
    closeQuietly(receiver);
    throw err;
  }
  started = true;
  return { close: () => new Promise<void>((resolve) => receiver.close(() => resolve())) };
}
