import { hostname, release } from 'node:os';
import type { BondingSnapshot } from '../bonding/index.js';
import { LINUX_BONDING_MIB } from '../bond-mib/oids.js';
import { buildInterfacesView, IF_STACK_LAST_CHANGE, IF_STACK_TABLE, IF_X_TABLE, interfaceRows, INTERFACES } from '../if-mib/index.js';
import { LAG_MIB } from '../lag-mib/index.js';
import { CompositeProvider, MibView, MibViewHolder, type ProviderPart } from '../mib/index.js';
import type { FrontEnd, ServedViews } from '../runtime/front-end.js';
import type { Oid, VarBind } from '../snmp/index.js';
import {
  buildSysOrView,
  formatUdpAddress,
  StandaloneAgent,
  SYS_DESCR,
  SYS_NAME,
  SYS_OBJECT_ID,
  SYS_OR_LAST_CHANGE,
  SYS_OR_TABLE,
  SYS_UP_TIME,
  systemGroup,
  type StandaloneSecurity,
  type UdpAddress,
} from '../standalone/index.js';
import type { Logger } from '../support/index.js';
import { CAPABILITIES } from './agentx-front-end.js';

export interface StandaloneFrontEndOptions {
  readonly listen: UdpAddress;
  readonly security: StandaloneSecurity;
  readonly logger: Logger;
  readonly version: string;
  /** Serve IF-MIB ifStackTable and IEEE8023-LAG-MIB too (default true). */
  readonly standardMibs?: boolean;
  /** Where snmpEngineBoots is kept; undefined: not kept (the demo). */
  readonly stateDir?: string;
}

/**
 * The embedded agent, without snmpd: the system group and sysORTable,
 * IF-MIB rows (ifTable subset, ifName) for every interface its ifStackTable
 * names, ifStackTable, IEEE8023-LAG-MIB and LINUX-BONDING-MIB.
 */
export class StandaloneFrontEnd implements FrontEnd {
  private readonly bondView = new MibViewHolder();
  private readonly interfacesView = new MibViewHolder();
  private readonly stackView = new MibViewHolder();
  private readonly lagView = new MibViewHolder();
  readonly agent: StandaloneAgent;
  readonly description: Readonly<Record<string, unknown>>;

  constructor(options: StandaloneFrontEndOptions) {
    let agent: StandaloneAgent | undefined;
    const standard = options.standardMibs ?? true;
    const system = systemGroup({
      descr: `bonding-agentx ${options.version} embedded agent (LINUX-BONDING-MIB) on Linux ${release()}`,
      objectId: LINUX_BONDING_MIB,
      name: hostname(),
      uptimeTicks: () => agent?.uptimeTicks() ?? 0,
    });
    const sysOr = buildSysOrView(standard ? [CAPABILITIES.bonding, CAPABILITIES.lag] : [CAPABILITIES.bonding]);
    const parts: ProviderPart[] = [
      ...[SYS_DESCR, SYS_OBJECT_ID, SYS_UP_TIME, SYS_NAME].map((subtree) => ({ subtree, provider: system })),
      { subtree: SYS_OR_LAST_CHANGE, provider: sysOr },
      { subtree: SYS_OR_TABLE, provider: sysOr },
      { subtree: INTERFACES, provider: this.interfacesView },
      { subtree: IF_X_TABLE, provider: this.interfacesView },
      { subtree: LINUX_BONDING_MIB, provider: this.bondView },
    ];
    if (standard) {
      parts.push({ subtree: IF_STACK_TABLE, provider: this.stackView }, { subtree: IF_STACK_LAST_CHANGE, provider: this.stackView }, { subtree: LAG_MIB, provider: this.lagView });
    }
    agent = new StandaloneAgent({
      listen: options.listen,
      provider: new CompositeProvider(parts),
      security: options.security,
      logger: options.logger,
      ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
    });
    this.agent = agent;
    this.description = { standalone: formatUdpAddress(options.listen) };
  }

  uptimeOrigin(): number {
    return this.agent.uptimeOrigin();
  }

  /** The embedded agent's clock starts once and never again. */
  onClockChange(_listener: () => void): void {}

  serve(views: ServedViews, snapshot: BondingSnapshot): void {
    // Built before any is installed, so the swaps happen back to back.
    const interfaces = buildInterfacesView(interfaceRows(snapshot));
    this.bondView.replace(views.bonding);
    this.interfacesView.replace(interfaces);
    this.stackView.replace(views.ifStack ?? MibView.empty);
    this.lagView.replace(views.lag ?? MibView.empty);
  }

  notify(trapOid: Oid, varbinds: readonly VarBind[], raisedAt: number): void {
    this.agent.notify(trapOid, varbinds, raisedAt);
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
