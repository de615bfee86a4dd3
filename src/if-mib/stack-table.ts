/**
 * IF-MIB ifStackTable (RFC 2863 section 6): one row per stacking relation
 * the kernel knows, `ifStackStatus.<higher>.<lower>` = active(1), every index
 * the kernel's ifindex; an interface with nothing above has a row
 * `0.<if>`, one with nothing below `<if>.0`. Once registered we are the
 * table's only source, so every interface is in it, not bonds only.
 */
import type { NetInterface } from '../bonding/index.js';
import { integerIndex, MibViewBuilder, type MibView } from '../mib/index.js';
import { snmp, type Oid } from '../snmp/index.js';
import { IF_MIB } from './interfaces-view.js';

/** ifMIBObjects. */
const IF_MIB_OBJECTS: Oid = [...IF_MIB, 1];
export const IF_STACK_TABLE: Oid = [...IF_MIB_OBJECTS, 2];
export const IF_STACK_ENTRY: Oid = [...IF_STACK_TABLE, 1];
/** ifStackStatus, the entry's one accessible column (ifStackHigherLayer and ifStackLowerLayer are the index). */
export const IF_STACK_STATUS = 3;
export const IF_STACK_LAST_CHANGE: Oid = [...IF_MIB_OBJECTS, 6];

/** RowStatus active(1). */
const ACTIVE = snmp.integer(1);

/** Every (higher, lower) ifIndex pair, 0 standing for "nothing", sorted; from both sides of each relation. */
export function stackPairs(interfaces: readonly NetInterface[]): [number, number][] {
  const index = new Map<string, number>();
  for (const i of interfaces) if (i.ifIndex !== undefined && i.ifIndex > 0) index.set(i.name, i.ifIndex);
  const pairs = new Set<string>();
  const hasHigher = new Set<number>();
  const hasLower = new Set<number>();
  const add = (higher: number | undefined, lower: number | undefined): void => {
    if (higher === undefined || lower === undefined || higher === lower) return;
    pairs.add(`${higher}.${lower}`);
    hasLower.add(higher);
    hasHigher.add(lower);
  };
  for (const i of interfaces) {
    const self = index.get(i.name);
    for (const lower of i.lowers) add(self, index.get(lower));
    for (const upper of i.uppers) add(index.get(upper), self);
  }
  for (const ifIndex of index.values()) {
    if (!hasHigher.has(ifIndex)) pairs.add(`0.${ifIndex}`);
    if (!hasLower.has(ifIndex)) pairs.add(`${ifIndex}.0`);
  }
  return [...pairs].map((p) => p.split('.').map(Number) as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** A value that changes exactly when the stack does (for ifStackLastChange). */
export const stackSignature = (pairs: readonly (readonly [number, number])[]): string => pairs.map((p) => p.join('.')).join(' ');

/** ifStackTable and ifStackLastChange.0 (TimeTicks on the sysUpTime clock of the agent that serves it). */
export function buildStackView(pairs: readonly (readonly [number, number])[], lastChangeTicks: number): MibView {
  const builder = new MibViewBuilder().scalar(IF_STACK_LAST_CHANGE, snmp.timeTicks(lastChangeTicks)).table(IF_STACK_ENTRY, [IF_STACK_STATUS]);
  for (const [higher, lower] of pairs) builder.row(IF_STACK_ENTRY, integerIndex(higher, lower), { [IF_STACK_STATUS]: ACTIVE });
  return builder.build();
}
