import { AgentXSession, formatMasterAddress, parseMasterAddress } from '../agentx/index.js';
import { LINUX_BONDING_MIB } from '../bond-mib/oids.js';
import { MibViewHolder, type MibView } from '../mib/index.js';
import type { FrontEnd } from '../runtime/front-end.js';
import { formatOid, type Oid, type VarBind } from '../snmp/index.js';
import type { Logger } from '../support/index.js';

export interface AgentXFrontEndOptions {
  readonly master: string;
  readonly pingIntervalMs: number;
  readonly logger: Logger;
}

/** LINUX-BONDING-MIB registered with the host's snmpd over AgentX. */
export class AgentXFrontEnd implements FrontEnd {
  private readonly holder = new MibViewHolder();
  private readonly session: AgentXSession;
  readonly description: Readonly<Record<string, unknown>>;

  constructor(options: AgentXFrontEndOptions) {
    this.session = new AgentXSession({
      provider: this.holder,
      master: options.master,
      description: 'bonding-agentx: LINUX-BONDING-MIB',
      pingIntervalMs: options.pingIntervalMs,
      logger: options.logger,
    });
    this.description = { master: formatMasterAddress(parseMasterAddress(options.master)), subtree: formatOid(LINUX_BONDING_MIB) };
  }

  uptimeTicks(): number {
    return this.session.uptimeTicks();
  }

  serve(view: MibView): void {
    this.holder.replace(view);
  }

  notify(trapOid: Oid, varbinds: readonly VarBind[]): void {
    this.session.notify(trapOid, varbinds);
  }

  async start(): Promise<void> {
    this.session.start();
    // Refusals are logged by the session and retried at the next reconnect; register() never rejects unhandled.
    this.session.register(LINUX_BONDING_MIB).catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.session.stop('shutdown');
  }

  counters(): unknown {
    return this.session.counters;
  }
}
