import type { BondingSnapshot } from '../bonding/index.js';
import type { MibView, ViewSource } from '../mib/index.js';
import type { Oid, VarBind } from '../snmp/index.js';

/** Every view of one snapshot the agent serves. */
export interface ServedViews {
  /** LINUX-BONDING-MIB. */
  readonly bonding: MibView;
  /**
   * IF-MIB ifStackTable and ifStackLastChange; undefined with
   * --no-standard-mibs. The standard tables come as builders, built at their
   * first read: NMSes walk them every few minutes, changes come more often.
   */
  readonly ifStack: ViewSource | undefined;
  /** IEEE8023-LAG-MIB (a builder, as ifStack); undefined with --no-standard-mibs. */
  readonly lag: ViewSource | undefined;
}

/**
 * What serves the MIBs to managers: the AgentX session through snmpd, or the
 * embedded standalone agent. Both get the same views and notifications from
 * the same loop (bonding-service.ts), so they cannot drift apart.
 */
export interface FrontEnd {
  /**
   * The local monotonic time (ms, performance.now) at which the serving
   * agent's sysUpTime was 0: snmpd's for AgentX, learnt from the master's
   * answers; the embedded agent's own start. Undefined while unknown (no
   * master has answered yet). Every TimeStamp served is computed from it.
   */
  uptimeOrigin(): number | undefined;
  /** `listener` runs when the origin changes (the master answered for the first time, or restarted). */
  onClockChange(listener: () => void): void;
  /** Installs the views of `snapshot` (the standalone agent also derives IF-MIB rows from it). */
  serve(views: ServedViews, snapshot: BondingSnapshot): void;
  /** Sends one notification raised at local time `raisedAt`; sysUpTime.0 and snmpTrapOID.0 are the front end's to add. */
  notify(trapOid: Oid, varbinds: readonly VarBind[], raisedAt: number): void;
  /** Starts serving; resolves once requests can be answered or, for AgentX, the session is trying. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Fields for the log line that says where the agent serves. */
  readonly description: Readonly<Record<string, unknown>>;
  counters(): unknown;
}

/**
 * A TimeStamp (RFC 2579): the sysUpTime, in hundredths of a second, at local
 * time `at`; 0 for a moment before the serving agent's clock started (its
 * last re-initialization) or when that clock is not known.
 */
export function timeStamp(origin: number | undefined, at: number | undefined): number {
  if (origin === undefined || at === undefined || at < origin) return 0;
  return Math.floor((at - origin) / 10) % 0x1_0000_0000;
}
