import { AgentXSession, formatMasterAddress, parseMasterAddress } from '../agentx/index.js';
import { LINUX_BONDING_MIB } from '../bond-mib/oids.js';
import type { BondingSnapshot } from '../bonding/index.js';
import { IF_STACK_LAST_CHANGE, IF_STACK_TABLE } from '../if-mib/index.js';
import { LAG_MIB } from '../lag-mib/index.js';
import { CompositeProvider, MibView, MibViewHolder } from '../mib/index.js';
import type { FrontEnd, ServedViews } from '../runtime/front-end.js';
import { formatOid, type Oid, type VarBind } from '../snmp/index.js';
import type { Logger } from '../support/index.js';

export interface AgentXFrontEndOptions {
  readonly master: string;
  readonly pingIntervalMs: number;
  readonly logger: Logger;
  /** Register IF-MIB ifStackTable and IEEE8023-LAG-MIB too (default true). */
  readonly standardMibs?: boolean;
}

/**
 * AgentX priority of the standard subtrees: lower than the default (127), so
 * that another subagent that already implements them wins over us.
 */
export const STANDARD_MIB_PRIORITY = 200;

/** What sysORTable says of LINUX-BONDING-MIB and of IEEE8023-LAG-MIB. */
export const CAPABILITIES = {
  bonding: { id: LINUX_BONDING_MIB, description: 'LINUX-BONDING-MIB: Linux NIC bonding (bonding-agentx)' },
  lag: { id: LAG_MIB, description: 'IEEE8023-LAG-MIB' },
} as const;

/** LINUX-BONDING-MIB, and the standard tables NMSes read, registered with the host's snmpd over AgentX. */
export class AgentXFrontEnd implements FrontEnd {
  private readonly bonding = new MibViewHolder();
  private readonly stack = new MibViewHolder();
  private readonly lag = new MibViewHolder();
  private readonly session: AgentXSession;
  private readonly standardMibs: boolean;
  readonly description: Readonly<Record<string, unknown>>;

  constructor(private readonly options: AgentXFrontEndOptions) {
    this.standardMibs = options.standardMibs ?? true;
    const parts = [{ subtree: LINUX_BONDING_MIB, provider: this.bonding }];
    if (this.standardMibs) {
      parts.push({ subtree: IF_STACK_TABLE, provider: this.stack }, { subtree: IF_STACK_LAST_CHANGE, provider: this.stack }, { subtree: LAG_MIB, provider: this.lag });
    }
    this.session = new AgentXSession({
      provider: new CompositeProvider(parts),
      master: options.master,
      description: 'bonding-agentx: LINUX-BONDING-MIB, IF-MIB ifStackTable, IEEE8023-LAG-MIB',
      pingIntervalMs: options.pingIntervalMs,
      logger: options.logger,
    });
    this.description = {
      master: formatMasterAddress(parseMasterAddress(options.master)),
      subtrees: parts.map((p) => formatOid(p.subtree)),
    };
  }

  uptimeOrigin(): number | undefined {
    return this.session.uptimeOrigin();
  }

  onClockChange(listener: () => void): void {
    this.session.on('clockChanged', listener);
  }

  serve(views: ServedViews, _snapshot: BondingSnapshot): void {
    this.bonding.replace(views.bonding);
    this.stack.replace(views.ifStack ?? MibView.empty);
    this.lag.replace(views.lag ?? MibView.empty);
  }

  notify(trapOid: Oid, varbinds: readonly VarBind[], raisedAt: number): void {
    this.session.notify(trapOid, varbinds, raisedAt);
  }

  async start(): Promise<void> {
    const { logger } = this.options;
    this.session.start();
    // Refusals are logged by the session and tried again at the next connection; register() never rejects unhandled.
    this.session.register(LINUX_BONDING_MIB).catch(() => undefined);
    this.session.addAgentCaps(CAPABILITIES.bonding.id, CAPABILITIES.bonding.description);
    if (!this.standardMibs) return;
    for (const subtree of [IF_STACK_TABLE, IF_STACK_LAST_CHANGE, LAG_MIB]) {
      this.session.register(subtree, { priority: STANDARD_MIB_PRIORITY }).then(
        () => logger.info({ subtree: formatOid(subtree), priority: STANDARD_MIB_PRIORITY }, 'registered (another subagent registered at a better priority would be served instead)'),
        (err: Error) => logger.warn({ subtree: formatOid(subtree), reason: err.message }, 'standard subtree not served: the master refused it'),
      );
    }
    this.session.addAgentCaps(CAPABILITIES.lag.id, CAPABILITIES.lag.description);
  }

  async stop(): Promise<void> {
    await this.session.stop('shutdown');
  }

  counters(): unknown {
    return this.session.counters;
  }
}
