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
