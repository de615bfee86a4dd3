/**
 * What the kernel showed in one fixture state, read straight from its files
 * (independently of the agent's reader): the facts the exporter's series and
 * the alerts are checked against.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FixtureHost } from '../support/fixture-host.js';

export interface SlaveFacts {
  readonly name: string;
  readonly ifIndex: number;
  /** The MIB's label: up, down, goingDown, goingBack. */
  readonly mii: string;
  /** sysfs bonding_slave/state: active or backup. */
  readonly state: string;
  readonly linkFailures: number;
  readonly speedMbps: number | undefined;
  /** Upper case, as snmp_exporter prints a MacAddress. */
  readonly permHwAddr: string;
  readonly aggregatorId: number | undefined;
}

export interface BondFacts {
  readonly name: string;
  readonly ifIndex: number;
  /** The kernel's mode number (sysfs bonding/mode "active-backup 1"). */
  readonly mode: number;
  readonly mii: string;
  /** '' when there is none. */
  readonly active: string;
  /** '' when none is configured. */
  readonly primary: string;
  /** 802.3ad: the active aggregator's ID. */
  readonly adAggregatorId: number | undefined;
  readonly slaves: readonly SlaveFacts[];
}

/** The MIB's enumeration labels of bondMode, by the kernel's number. */
export const MODE_LABELS = ['balanceRr', 'activeBackup', 'balanceXor', 'broadcast', 'ieee8023ad', 'balanceTlb', 'balanceAlb'] as const;

const MII: Readonly<Record<string, string>> = { up: 'up', down: 'down', 'going down': 'goingDown', 'going back': 'goingBack' };

function fields(block: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of block.split('\n')) {
    const m = /^\s*([^:]+): ?(.*)$/.exec(line);
    if (m && !map.has(m[1]!)) map.set(m[1]!, m[2]!);
  }
  return map;
}

const mii = (word: string | undefined): string => MII[word ?? ''] ?? `?${word}`;
const optionalNumber = (text: string | undefined): number | undefined => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);

export function bondFacts(host: FixtureHost, state: string): BondFacts[] {
  return host.bonds(state).map((bond) => {
    const text = readFileSync(join(host.dir, state, 'proc', 'net', 'bonding', bond), 'utf8');
    const blocks = text.split('\n\n');
    const head = fields(blocks.filter((b) => !b.startsWith('Slave Interface: ')).join('\n'));
    const active = head.get('Currently Active Slave') ?? 'None';
    const slaves = blocks
      .filter((b) => b.startsWith('Slave Interface: '))
      .map((block): SlaveFacts => {
        const f = fields(block);
        const name = f.get('Slave Interface')!;
        return {
          name,
          ifIndex: host.ifindex(state, name),
          mii: mii(f.get('MII Status')),
          state: host.sysfs(state, name, 'bonding_slave', 'state'),
          linkFailures: Number(f.get('Link Failure Count')),
          speedMbps: optionalNumber(/^(\d+) Mbps$/.exec(f.get('Speed') ?? '')?.[1]),
          permHwAddr: f.get('Permanent HW addr')!.toUpperCase(),
          aggregatorId: optionalNumber(f.get('Aggregator ID')),
        };
      });
    // "Active Aggregator Info:" is followed by the active aggregator's tab-indented lines.
    const activeAggregator = /Active Aggregator Info:\n\tAggregator ID: (\d+)/.exec(text)?.[1];
    return {
      name: bond,
      ifIndex: host.ifindex(state, bond),
      mode: Number(host.sysfs(state, bond, 'bonding', 'mode').split(' ')[1]),
      mii: mii(head.get('MII Status')),
      active: active === 'None' ? '' : active,
      primary: host.sysfs(state, bond, 'bonding', 'primary'),
      adAggregatorId: optionalNumber(activeAggregator),
      slaves,
    };
  });
}
