import { hostname, release } from 'node:os';
import type { BondingSnapshot } from '../bonding/index.js';
import { LINUX_BONDING_MIB } from '../bond-mib/oids.js';
import { buildInterfacesView, IF_MIB, interfaceRows, INTERFACES } from '../if-mib/index.js';
import { CompositeProvider, MibViewHolder, type MibView } from '../mib/index.js';
import type { FrontEnd } from '../runtime/front-end.js';
import type { Oid, VarBind } from '../snmp/index.js';
import { formatUdpAddress, StandaloneAgent, SYSTEM, systemGroup, type StandaloneSecurity, type UdpAddress } from '../standalone/index.js';
import type { Logger } from '../support/index.js';

export interface StandaloneFrontEndOptions {
  readonly listen: UdpAddress;
  readonly security: StandaloneSecurity;
  readonly logger: Logger;
  readonly version: string;
  /** Where snmpEngineBoots is kept; undefined: not kept (the demo). */
  readonly stateDir?: string;
}

/** The embedded agent: system group, IF-MIB rows of bonds and slaves, and LINUX-BONDING-MIB, without snmpd. */
export class StandaloneFrontEnd implements FrontEnd {
  private readonly bondView = new MibViewHolder();
  private readonly interfacesView = new MibViewHolder();
  readonly agent: StandaloneAgent;
  readonly description: Readonly<Record<string, unknown>>;

  constructor(options: StandaloneFrontEndOptions) {
    let agent: StandaloneAgent | undefined;
    const system = systemGroup({
      descr: `bonding-agentx ${options.version} embedded agent (LINUX-BONDING-MIB) on Linux ${release()}`,
      objectId: LINUX_BONDING_MIB,
      name: hostname(),
      uptimeTicks: () => agent?.uptimeTicks() ?? 0,
    });
    const provider = new CompositeProvider([
      { subtree: SYSTEM, provider: system },
      { subtree: INTERFACES, provider: this.interfacesView },
      { subtree: IF_MIB, provider: this.interfacesView },
      { subtree: LINUX_BONDING_MIB, provider: this.bondView },
    ]);
    agent = new StandaloneAgent({
      listen: options.listen,
      provider,
      security: options.security,
      logger: options.logger,
      ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
    });
    this.agent = agent;
    this.description = { standalone: formatUdpAddress(options.listen) };
  }

  uptimeTicks(): number {
    return this.agent.uptimeTicks();
  }

  serve(view: MibView, snapshot: BondingSnapshot): void {
    // Built before either is installed, so the two swaps happen back to back.
    const interfaces = buildInterfacesView(interfaceRows(snapshot));
    this.bondView.replace(view);
    this.interfacesView.replace(interfaces);
  }

  notify(trapOid: Oid, varbinds: readonly VarBind[]): void {
    this.agent.notify(trapOid, varbinds);
  }

  start(): Promise<void> {
    return this.agent.start();
  }

  stop(): Promise<void> {
    return this.agent.stop();
  }

  counters(): unknown {
    return this.agent.counters;
  }
}
