/**
 * What the Zabbix template must show for a captured state, read straight from
 * the state's /proc/net/bonding and /sys/class/net files (independently of
 * the agent's reader), in the template's terms: item key -> value as Zabbix
 * stores it (numbers as the MIB's enumerations, speeds in bit/s, MACs
 * lower-case with colons).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SlaveFacts {
  readonly name: string;
  readonly ifIndex: number;
  /** BondLinkStatus: 1 up, 2 down, 3 going down, 4 going back. */
  readonly mii: number;
  readonly failures: number;
  /** 802.3ad: the aggregator the slave belongs to. */
  readonly aggregator: string | undefined;
}

export interface BondFacts {
  readonly name: string;
  readonly ifIndex: number;
  readonly mode: number;
  readonly mii: number;
  readonly active: string;
  readonly primary: string;
  /** 802.3ad: the bond's active aggregator. */
  readonly aggregator: string | undefined;
  readonly slaves: readonly SlaveFacts[];
}

export interface StateFacts {
  readonly bonds: readonly BondFacts[];
  /** Item key -> the value Zabbix must hold (items whose value the files decide). */
  readonly values: ReadonlyMap<string, string>;
  /** Every item key discovery must create, and no other (trap items included). */
  readonly keys: ReadonlySet<string>;
}

const MII: Readonly<Record<string, number>> = { up: 1, down: 2, 'going down': 3, 'going back': 4 };
const CHURN: Readonly<Record<string, number>> = { monitoring: 1, churned: 2, none: 3 };

interface ProcSlave {
  readonly fields: Map<string, string>;
  readonly actor: Map<string, string>;
  readonly partner: Map<string, string>;
}

/** /proc/net/bonding/<bond>: the bond's `Key: value` lines (header and 802.3ad info) and each slave's. */
function readProcfs(stateDir: string, bond: string): { bond: Map<string, string>; slaves: Map<string, ProcSlave> } {
  const text = readFileSync(join(stateDir, 'proc', 'net', 'bonding', bond), 'utf8');
  const head = new Map<string, string>();
  const slaves = new Map<string, ProcSlave>();
  let slave: ProcSlave | undefined;
  let section: 'fields' | 'actor' | 'partner' = 'fields';
  for (const raw of text.split('\n')) {
    if (raw.startsWith('Slave Interface: ')) {
      slave = { fields: new Map(), actor: new Map(), partner: new Map() };
      slaves.set(raw.slice('Slave Interface: '.length).trim(), slave);
      section = 'fields';
      continue;
    }
    if (/^details actor lacp pdu:/.test(raw)) section = 'actor';
    else if (/^details partner lacp pdu:/.test(raw)) section = 'partner';
    const m = /^\s*([^:]+): ?(.*)$/.exec(raw);
    if (!m) continue;
    const [key, value] = [m[1]!.trim(), m[2]!.trim()];
    if (slave === undefined) head.set(key, value);
    else if (section === 'fields' || !/^\s/.test(raw)) slave.fields.set(key, value);
    else slave[section].set(key, value);
  }
  return { bond: head, slaves };
}

export function readStateFacts(stateDir: string): StateFacts {
  const sysfs = (...path: string[]): string => readFileSync(join(stateDir, 'sys', 'class', 'net', ...path), 'utf8').trim();
  /** "active-backup 1" -> 1: the number the kernel prints after the word. */
  const numberOf = (...path: string[]): number => Number(sysfs(...path).split(/\s+/).at(-1));
  const values = new Map<string, string>();
  const keys = new Set<string>();
  const bonds: BondFacts[] = [];
  const set = (key: string, value: string | number | undefined): void => {
    keys.add(key);
    if (value !== undefined) values.set(key, String(value));
  };

  for (const name of sysfs('bonding_masters').split(/\s+/)) {
    const proc = readProcfs(stateDir, name);
    const ifIndex = Number(sysfs(name, 'ifindex'));
    const mode = numberOf(name, 'bonding', 'mode');
    const printedActive = proc.bond.get('Currently Active Slave') ?? 'None';
    const active = printedActive === 'None' ? '' : printedActive;
    const primary = sysfs(name, 'bonding', 'primary');
    const slaves: SlaveFacts[] = [];
    const k = (item: string): string => `bond.${item}[${name}]`;

    set(k('mode'), mode);
    set(k('mii'), MII[proc.bond.get('MII Status')!]);
    set(k('active'), active);
    set(k('slaves'), proc.slaves.size);
    set(k('slaves.up'), [...proc.slaves.values()].filter((s) => s.fields.get('MII Status') === 'up').length);
    set(k('failovers'), undefined); // the agent's own count: the suite follows it
    set(k('failovers.rate'), undefined);
    set(k('miimon'), proc.bond.get('MII Polling Interval (ms)'));
    set(`snmptrap["::bondLink(Down|Up)\\b[\\s\\S]*::bondName\\.${ifIndex} "]`, undefined);
    set(`snmptrap["::bondActiveSlaveChanged\\b[\\s\\S]*::bondName\\.${ifIndex} "]`, undefined);
    if (primary !== '') {
      set(k('primary'), primary);
      set(k('primary_reselect'), numberOf(name, 'bonding', 'primary_reselect'));
    }
    if (mode === 1) set(k('fail_over_mac'), numberOf(name, 'bonding', 'fail_over_mac'));
    const arpInterval = Number(sysfs(name, 'bonding', 'arp_interval'));
    if (arpInterval > 0) {
      set(k('arp.interval'), arpInterval);
      set(k('arp.targets'), proc.bond.get('ARP IP target/s (n.n.n.n form)'));
      set(k('arp.validate'), numberOf(name, 'bonding', 'arp_validate'));
      set(k('arp.all_targets'), numberOf(name, 'bonding', 'arp_all_targets'));
    }
    if ([2, 4, 5].includes(mode)) set(k('xmit_hash_policy'), numberOf(name, 'bonding', 'xmit_hash_policy'));
    if (mode === 4) {
      set(k('ad.aggregator'), proc.bond.get('Aggregator ID'));
      set(k('ad.ports'), proc.bond.get('Number of ports'));
      set(k('ad.actor_key'), proc.bond.get('Actor Key'));
      set(k('ad.partner_key'), proc.bond.get('Partner Key'));
      set(k('ad.partner_mac'), proc.bond.get('Partner Mac Address'));
      set(k('ad.lacp_rate'), { slow: 0, fast: 1 }[proc.bond.get('LACP rate')!]);
      set(k('ad.select'), { stable: 0, bandwidth: 1, count: 2 }[proc.bond.get('Aggregator selection policy (ad_select)')!]);
      set(k('ad.lacp_active'), { on: 1, off: 2 }[proc.bond.get('LACP active')!]);
    }

    for (const [slave, p] of proc.slaves) {
      const sk = (item: string): string => `bond.slave.${item}[${name},${slave}]`;
      const slaveIfIndex = Number(sysfs(slave, 'ifindex'));
      const mii = MII[p.fields.get('MII Status')!]!;
      const failures = Number(p.fields.get('Link Failure Count'));
      const aggregator = mode === 4 ? p.fields.get('Aggregator ID') : undefined;
      slaves.push({ name: slave, ifIndex: slaveIfIndex, mii, failures, aggregator });
      set(sk('mii'), mii);
      set(sk('state'), { active: 1, backup: 2 }[sysfs(slave, 'bonding_slave', 'state')]);
      set(sk('failures'), failures);
      const speed = /^(\d+) Mbps$/.exec(p.fields.get('Speed') ?? '');
      set(sk('speed'), speed ? Number(speed[1]) * 1_000_000 : undefined);
      set(sk('duplex'), { half: 1, full: 2 }[p.fields.get('Duplex') ?? '']);
      set(`snmptrap["::bondSlaveLink(Down|Up)\\b[\\s\\S]*::bondSlaveName\\.${ifIndex}\\.${slaveIfIndex} "]`, undefined);
      if (mode === 4) {
        set(sk('ad.aggregator'), p.fields.get('Aggregator ID'));
        set(sk('ad.bond_aggregator'), proc.bond.get('Aggregator ID'));
        set(sk('ad.actor_state'), p.actor.get('port state'));
        set(sk('ad.partner_state'), p.partner.get('port state'));
        set(sk('ad.actor_churn'), CHURN[p.fields.get('Actor Churn State')!]);
        set(sk('ad.partner_churn'), CHURN[p.fields.get('Partner Churn State')!]);
        set(sk('ad.partner_mac'), p.partner.get('system mac address'));
        set(`snmptrap["::bondSlaveAdAggregator(Mismatch|Match)\\b[\\s\\S]*::bondSlaveName\\.${ifIndex}\\.${slaveIfIndex} "]`, undefined);
      }
    }
    const aggregator = mode === 4 ? proc.bond.get('Aggregator ID') : undefined;
    bonds.push({ name, ifIndex, mode, mii: MII[proc.bond.get('MII Status')!]!, active, primary, aggregator, slaves });
  }
  return { bonds, values, keys };
}
