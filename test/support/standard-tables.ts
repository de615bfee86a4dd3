/**
 * What IF-MIB's ifStackTable and IEEE8023-LAG-MIB must show for a tree of
 * kernel files, worked out here from the files themselves, apart from the
 * agent's reader: the directory entries `lower_<if>`/`upper_<if>` of every
 * interface, each bond's `mode` and `ad_aggregator`, each slave's procfs
 * `Aggregator ID`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const IF_STACK_STATUS = '1.3.6.1.2.1.31.1.2.1.3';
export const IF_STACK_LAST_CHANGE = '1.3.6.1.2.1.31.1.6.0';
export const LAG_MIB = '1.2.840.10006.300.43';
export const AGG_PORT_ATTACHED = `${LAG_MIB}.1.2.1.1.13`;
export const AGG_PORT_SELECTED = `${LAG_MIB}.1.2.1.1.12`;
export const AGG_PORT_LIST = `${LAG_MIB}.1.1.2.1.1`;
export const AGG_MAC = `${LAG_MIB}.1.1.1.1.2`;
export const SYS_OR_ID = '1.3.6.1.2.1.1.9.1.2';
export const SYS_OR_DESCR = '1.3.6.1.2.1.1.9.1.3';
export const LINUX_BONDING_MIB = '1.3.6.1.4.1.8072.9999.9999.8023';

const text = (...path: string[]) => readFileSync(join(...path), 'utf8').trim();

/** `root` holds sys/ and proc/: every interface, its ifindex, and what its directory says is below and above it. */
export function interfacesOf(root: string): { name: string; ifIndex: number; lowers: string[]; uppers: string[] }[] {
  const net = join(root, 'sys', 'class', 'net');
  return readdirSync(net)
    .filter((n) => n !== 'bonding_masters')
    .map((name) => {
      const entries = readdirSync(join(net, name));
      const after = (prefix: string) => entries.filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length));
      return { name, ifIndex: Number(text(net, name, 'ifindex')), lowers: after('lower_'), uppers: after('upper_') };
    });
}

/** ifStackStatus instances (`higher.lower`) RFC 2863 wants for `root`, each active(1). */
export function expectedStack(root: string): string[] {
  const interfaces = interfacesOf(root);
  const index = new Map(interfaces.map((i) => [i.name, i.ifIndex]));
  const rows = new Set<string>();
  for (const i of interfaces) {
    for (const l of i.lowers) rows.add(`${i.ifIndex}.${index.get(l)}`);
    for (const u of i.uppers) rows.add(`${index.get(u)}.${i.ifIndex}`);
  }
  for (const i of interfaces) {
    if (![...rows].some((r) => r.endsWith(`.${i.ifIndex}`) && !r.startsWith('0.'))) rows.add(`0.${i.ifIndex}`);
    if (![...rows].some((r) => r.startsWith(`${i.ifIndex}.`) && !r.endsWith('.0'))) rows.add(`${i.ifIndex}.0`);
  }
  return [...rows].sort((a, b) => {
    const [a1, a2] = a.split('.').map(Number);
    const [b1, b2] = b.split('.').map(Number);
    return a1! - b1! || a2! - b2!;
  });
}

/** The kernel's bond membership: slave ifIndex -> bond ifIndex, every bond of `root`. */
export function bondMembership(root: string): Map<number, number> {
  const net = join(root, 'sys', 'class', 'net');
  const members = new Map<number, number>();
  for (const bond of text(net, 'bonding_masters').split(/\s+/)) {
    const b = Number(text(net, bond, 'ifindex'));
    for (const entry of readdirSync(join(net, bond)).filter((e) => e.startsWith('lower_'))) {
      members.set(Number(text(net, entry.slice('lower_'.length), 'ifindex')), b);
    }
  }
  return members;
}

/**
 * For each 802.3ad bond of `root`: its ifIndex, and each slave's ifIndex with
 * whether it is in the bond's active aggregator (procfs Aggregator ID against
 * sysfs ad_aggregator).
 */
export function lagAttachments(root: string, proc = 'proc'): { bond: number; ports: Map<number, boolean> }[] {
  const net = join(root, 'sys', 'class', 'net');
  const out: { bond: number; ports: Map<number, boolean> }[] = [];
  for (const bond of text(net, 'bonding_masters').split(/\s+/)) {
    if (!text(net, bond, 'bonding', 'mode').startsWith('802.3ad')) continue;
    const active = Number(text(net, bond, 'bonding', 'ad_aggregator'));
    const ports = new Map<number, boolean>();
    for (const block of text(root, proc, 'net', 'bonding', bond).split('\n\n').filter((b) => b.startsWith('Slave Interface: '))) {
      const slave = /^Slave Interface: (\S+)/.exec(block)![1]!;
      ports.set(Number(text(net, slave, 'ifindex')), Number(/^Aggregator ID: (\d+)/m.exec(block)?.[1]) === active);
    }
    out.push({ bond: Number(text(net, bond, 'ifindex')), ports });
  }
  return out;
}

/** A PortList's ifIndexes (bit for n: octet (n-1)/8, mask 0x80 >> ((n-1) % 8)). */
export function portListMembers(bytes: Uint8Array): number[] {
  const members: number[] = [];
  bytes.forEach((octet, i) => {
    for (let bit = 0; bit < 8; bit++) if (octet & (0x80 >> bit)) members.push(i * 8 + bit + 1);
  });
  return members;
}
