import { BOND, bondEntry, bondSlaveEntry, NOTIFICATION, SLAVE, bondEventInferred, bondPreviousActiveSlaveIfIndex, bondPreviousActiveSlaveName } from '../bond-mib/oids.js';
import { compareOids, formatOid, isPrefixOf, type Oid, type SnmpValue, type VarBind } from '../snmp/index.js';

const SNMP_TRAP_OID_0: Oid = [1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0];
const SYS_UP_TIME_0: Oid = [1, 3, 6, 1, 2, 1, 1, 3, 0];

const LINK_STATUS: Readonly<Record<number, string>> = { 1: 'up', 2: 'down', 3: 'goingDown', 4: 'goingBack' };
const TRUTH: Readonly<Record<number, string>> = { 1: 'true', 2: 'false' };

/** Short labels for the objects notifications carry, and how to read their values. */
const LABELS: readonly { readonly oid: Oid; readonly label: string; readonly words?: Readonly<Record<number, string>> }[] = [
  { oid: [...bondEntry, BOND.bondName], label: 'bond' },
  { oid: [...bondSlaveEntry, SLAVE.bondSlaveName], label: 'slave' },
  { oid: [...bondSlaveEntry, SLAVE.bondSlaveMiiStatus], label: 'slaveMii', words: LINK_STATUS },
  { oid: [...bondSlaveEntry, SLAVE.bondSlaveLinkFailureCount], label: 'linkFailures' },
  { oid: [...bondSlaveEntry, SLAVE.bondSlaveAdAggregatorId], label: 'slaveAggregator' },
  { oid: [...bondEntry, BOND.bondMiiStatus], label: 'bondMii', words: LINK_STATUS },
  { oid: [...bondEntry, BOND.bondActiveSlaveName], label: 'active' },
  { oid: [...bondEntry, BOND.bondActiveSlaveIfIndex], label: 'activeIfIndex' },
  { oid: [...bondEntry, BOND.bondSlaveCount], label: 'slaves' },
  { oid: [...bondEntry, BOND.bondSlavesUp], label: 'slavesUp' },
  { oid: [...bondEntry, BOND.bondFailoverCount], label: 'failovers' },
  { oid: [...bondEntry, BOND.bondAdAggregatorId], label: 'bondAggregator' },
  { oid: bondPreviousActiveSlaveName, label: 'previous' },
  { oid: bondPreviousActiveSlaveIfIndex, label: 'previousIfIndex' },
  { oid: bondEventInferred, label: 'inferred', words: TRUTH },
];

const decoder = new TextDecoder();

function valueText(value: SnmpValue, words?: Readonly<Record<number, string>>): string {
  switch (value.type) {
    case 'OctetString': {
      const text = decoder.decode(value.value);
      return text === '' ? '(none)' : text;
    }
    case 'Integer':
      return words?.[value.value] ?? String(value.value);
    case 'ObjectIdentifier':
      return formatOid(value.value);
    case 'Counter64':
      return value.value.toString();
    default:
      return 'value' in value && typeof value.value === 'number' ? String(value.value) : value.type;
  }
}

/** The notification's name in LINUX-BONDING-MIB, or its numeric OID when it is not one of ours. */
export function notificationName(trapOid: Oid): string {
  for (const [name, oid] of Object.entries(NOTIFICATION)) if (compareOids(oid, trapOid) === 0) return name;
  return formatOid(trapOid);
}

/**
 * One line per notification, for people: `HH:MM:SS.mmm  name  bond=.. slave=.. ...`.
 * Plain `label=value` pairs, the same facts a regular expression on the varbinds finds.
 */
export function formatNotification(varbinds: readonly VarBind[], at: Date): string {
  const trapOid = varbinds.find((vb) => compareOids(vb.oid, SNMP_TRAP_OID_0) === 0);
  const name = trapOid?.value.type === 'ObjectIdentifier' ? notificationName(trapOid.value.value) : '(no snmpTrapOID)';
  const pairs: string[] = [];
  for (const vb of varbinds) {
    if (compareOids(vb.oid, SNMP_TRAP_OID_0) === 0 || compareOids(vb.oid, SYS_UP_TIME_0) === 0) continue;
    const known = LABELS.find((l) => isPrefixOf(l.oid, vb.oid));
    pairs.push(`${known?.label ?? formatOid(vb.oid)}=${valueText(vb.value, known?.words)}`);
  }
  const time = at.toTimeString().slice(0, 8) + `.${String(at.getMilliseconds()).padStart(3, '0')}`;
  return `${time}  ${name.padEnd(22)}  ${pairs.join(' ')}`;
}
