import type { BondingSnapshot } from '../bonding/index.js';
import type { MibView } from '../mib/index.js';
import type { Oid, VarBind } from '../snmp/index.js';

/**
 * What serves the MIB to managers: the AgentX session through snmpd, or the
 * embedded standalone agent. Both get the same views and notifications from
 * the same loop (bonding-service.ts), so they cannot drift apart.
 */
export interface FrontEnd {
  /** The front end's sysUpTime, which dates bondLastFailover. */
  uptimeTicks(): number;
  /** Installs the LINUX-BONDING-MIB view of `snapshot` (the standalone agent also derives IF-MIB rows from it). */
  serve(view: MibView, snapshot: BondingSnapshot): void;
  /** Sends one notification; sysUpTime.0 and snmpTrapOID.0 are the front end's to add. */
  notify(trapOid: Oid, varbinds: readonly VarBind[]): void;
  /** Starts serving; resolves once requests can be answered or, for AgentX, the session is trying. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Fields for the log line that says where the agent serves. */
  readonly description: Readonly<Record<string, unknown>>;
  counters(): unknown;
}
