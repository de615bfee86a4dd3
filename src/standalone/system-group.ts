import { integerIndex, MibViewBuilder, type MibView } from '../mib/index.js';
import { snmp, type Oid } from '../snmp/index.js';
import { ScalarProvider } from './scalar-provider.js';

/** SNMPv2-MIB::system. */
export const SYSTEM: Oid = [1, 3, 6, 1, 2, 1, 1];
export const SYS_DESCR: Oid = [...SYSTEM, 1];
export const SYS_OBJECT_ID: Oid = [...SYSTEM, 2];
export const SYS_UP_TIME: Oid = [...SYSTEM, 3];
export const SYS_NAME: Oid = [...SYSTEM, 5];

export interface SystemIdentity {
  readonly descr: string;
  /** The agent's identity; the MIB module's root until the project has its own agent OID. */
  readonly objectId: Oid;
  readonly name: string;
  readonly uptimeTicks: () => number;
}

/**
 * The system group objects a manager reads first (sysUpTime also dates every
 * TimeStamp in LINUX-BONDING-MIB). sysContact and sysLocation are left out:
 * the agent has nothing true to say there.
 */
export function systemGroup(identity: SystemIdentity): ScalarProvider {
  const descr = snmp.octetString(identity.descr);
  const objectId = snmp.oid(identity.objectId);
  const name = snmp.octetString(identity.name);
  return new ScalarProvider([
    { oid: SYS_DESCR, value: () => descr },
    { oid: SYS_OBJECT_ID, value: () => objectId },
    { oid: SYS_UP_TIME, value: () => snmp.timeTicks(identity.uptimeTicks()) },
    { oid: SYS_NAME, value: () => name },
  ]);
}

/** SNMPv2-MIB sysORLastChange and sysORTable (RFC 3418): what this agent implements. */
export const SYS_OR_LAST_CHANGE: Oid = [...SYSTEM, 8];
export const SYS_OR_TABLE: Oid = [...SYSTEM, 9];
const SYS_OR_ENTRY: Oid = [...SYS_OR_TABLE, 1];
const SYS_OR = { sysORID: 2, sysORDescr: 3, sysORUpTime: 4 } as const;

export interface Capability {
  readonly id: Oid;
  readonly description: string;
}

/**
 * sysORTable rows 1..n for `capabilities`, all there since the agent started
 * (sysORUpTime and sysORLastChange 0: no change since its initialization).
 */
export function buildSysOrView(capabilities: readonly Capability[]): MibView {
  const builder = new MibViewBuilder().scalar(SYS_OR_LAST_CHANGE, snmp.timeTicks(0)).table(SYS_OR_ENTRY, Object.values(SYS_OR));
  capabilities.forEach((c, i) =>
    builder.row(SYS_OR_ENTRY, integerIndex(i + 1), {
      [SYS_OR.sysORID]: snmp.oid(c.id),
      [SYS_OR.sysORDescr]: snmp.octetString(c.description),
      [SYS_OR.sysORUpTime]: snmp.timeTicks(0),
    }),
  );
  return builder.build();
}
