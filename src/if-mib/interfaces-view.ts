import { integerIndex, MibViewBuilder, type MibView } from '../mib/index.js';
import { snmp, type Oid } from '../snmp/index.js';

/** IF-MIB::interfaces and IF-MIB::ifMIB: the two subtrees the embedded agent serves rows in. */
export const INTERFACES: Oid = [1, 3, 6, 1, 2, 1, 2];
export const IF_MIB: Oid = [1, 3, 6, 1, 2, 1, 31];
/** IF-MIB::ifEntry and its columns served: ifIndex, ifDescr, ifType, ifOperStatus. */
export const IF_ENTRY: Oid = [...INTERFACES, 2, 1];
export const IF_COLUMN = { ifIndex: 1, ifDescr: 2, ifType: 3, ifOperStatus: 8 } as const;
/** IF-MIB::ifXTable, its entry and the column served: ifName. */
export const IF_X_TABLE: Oid = [...IF_MIB, 1, 1];
export const IF_X_ENTRY: Oid = [...IF_X_TABLE, 1];
export const IF_X_COLUMN = { ifName: 1 } as const;

/** IANAifType values the agent reports. */
export const IF_TYPE = { other: 1, ethernetCsmacd: 6, ppp: 23, softwareLoopback: 24, tunnel: 131, ieee8023adLag: 161, infiniband: 199 } as const;

/** One interface as IF-MIB sees it. */
export interface InterfaceRow {
  readonly ifIndex: number;
  readonly name: string;
  readonly ifType: number;
  /** Linux's operstate word (`up`, `down`, `lowerlayerdown`, ...); undefined leaves ifOperStatus out. */
  readonly operState: string | undefined;
}

/** RFC 2863 ifOperStatus for Linux's operstate (RFC 2863 names, lower-cased by the kernel). */
const OPER_STATUS: Readonly<Record<string, number>> = {
  up: 1,
  down: 2,
  testing: 3,
  unknown: 4,
  dormant: 5,
  notpresent: 6,
  lowerlayerdown: 7,
};

export function ifOperStatus(operState: string | undefined): number | undefined {
  return operState === undefined ? undefined : OPER_STATUS[operState.trim().toLowerCase()];
}

/**
 * The IF-MIB columns a manager needs to resolve the ifIndexes in
 * LINUX-BONDING-MIB when no snmpd serves IF-MIB. An interface listed twice
 * (it cannot be, but a racing read might) keeps its first row.
 */
export function buildInterfacesView(rows: readonly InterfaceRow[]): MibView {
  const builder = new MibViewBuilder()
    .table(IF_ENTRY, Object.values(IF_COLUMN))
    .table(IF_X_ENTRY, Object.values(IF_X_COLUMN));
  const seen = new Set<number>();
  for (const row of rows) {
    if (!Number.isInteger(row.ifIndex) || row.ifIndex <= 0 || seen.has(row.ifIndex)) continue;
    seen.add(row.ifIndex);
    const status = ifOperStatus(row.operState);
    builder.row(IF_ENTRY, integerIndex(row.ifIndex), {
      [IF_COLUMN.ifIndex]: snmp.integer(row.ifIndex),
      [IF_COLUMN.ifDescr]: snmp.octetString(row.name),
      [IF_COLUMN.ifType]: snmp.integer(row.ifType),
      [IF_COLUMN.ifOperStatus]: status === undefined ? undefined : snmp.integer(status),
    });
    builder.row(IF_X_ENTRY, integerIndex(row.ifIndex), { [IF_X_COLUMN.ifName]: snmp.octetString(row.name) });
  }
  return builder.build();
}
