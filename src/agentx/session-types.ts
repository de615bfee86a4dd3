import type * as net from 'node:net';
import type { MibProvider, Oid, VarBind } from '../snmp/index.js';
import type { BackoffOptions, Logger, Timers } from '../support/index.js';
import type { AgentXRequestError } from './errors.js';
import type { MasterAddress } from './master-address.js';

export interface RegisterOptions {
  /** r.priority: lower wins when registrations overlap; 127 is the RFC's default. */
  readonly priority?: number;
  /** r.timeout in seconds for requests on this subtree; 0 uses the session's. */
  readonly timeout?: number;
  /** range_subid (1-based position in the subtree) and upper bound, for a range registration. */
  readonly rangeSubid?: number;
  readonly upperBound?: number;
  /** The subtree names one object instance (INSTANCE_REGISTRATION). */
  readonly instance?: boolean;
}

export interface AgentXSessionOptions {
  readonly provider: MibProvider;
  /** snmpd `agentXSocket` syntax or a parsed address; default /var/agentx/master. */
  readonly master?: string | MasterAddress;
  /** o.id and o.descr of the Open PDU. */
  readonly id?: Oid;
  readonly description?: string;
  /** o.timeout, seconds the master waits for our answers; 0 lets the master choose. */
  readonly openTimeoutSeconds?: number;
  /** How long we wait for the master's Response to anything we send. */
  readonly requestTimeoutMs?: number;
  /** Keep-alive Ping period; 0 disables. */
  readonly pingIntervalMs?: number;
  readonly backoff?: Partial<BackoffOptions>;
  /** Notifications kept while disconnected. */
  readonly maxQueuedNotifications?: number;
  readonly maxPayloadLength?: number;
  readonly timers?: Timers;
  readonly random?: () => number;
  readonly logger?: Logger;
  /** How to reach the master; the default opens a unix or TCP stream with node:net. */
  readonly connect?: (address: MasterAddress) => net.Socket;
}

export interface AgentXSessionEvents {
  /** Open, every registration answered: the subagent serves. */
  connected: [{ readonly sessionId: number }];
  disconnected: [{ readonly reason: string }];
  error: [Error];
  registered: [{ readonly subtree: Oid }];
  registrationFailed: [{ readonly subtree: Oid; readonly error: AgentXRequestError }];
  notificationDropped: [{ readonly varbinds: readonly VarBind[]; readonly raisedAt: number; readonly totalDropped: number }];
  /** The master's clock is known for the first time, or it restarted: `origin` is where its sysUpTime was 0, in our time. */
  clockChanged: [{ readonly origin: number }];
}

export interface AgentXSessionCounters {
  readonly connectAttempts: number;
  readonly sessionsOpened: number;
  readonly requestsAnswered: number;
  readonly protocolErrors: number;
  readonly requestTimeouts: number;
  readonly notificationsSent: number;
  readonly notificationsRefused: number;
  readonly notificationsQueued: number;
  readonly notificationsDropped: number;
}
