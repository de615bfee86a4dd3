import type { BondingSnapshot } from '../bonding/index.js';
import { IF_TYPE, type InterfaceRow } from './interfaces-view.js';

/**
 * IF-MIB rows for every bond and slave with a readable ifindex. Slaves are
 * ethernetCsmacd(6). An 802.3ad bond is ieee8023adLag(161), what IANAifType
 * has for a link aggregation; other modes have no IANAifType of their own and
 * are ethernetCsmacd(6), as snmpd reports every bond (ARPHRD_ETHER).
 */
export function interfaceRows(snapshot: BondingSnapshot): InterfaceRow[] {
  const rows: InterfaceRow[] = [];
  for (const bond of snapshot.bonds) {
    if (bond.ifIndex !== undefined) {
      const ifType = bond.mode === '802.3ad' ? IF_TYPE.ieee8023adLag : IF_TYPE.ethernetCsmacd;
      rows.push({ ifIndex: bond.ifIndex, name: bond.name, ifType, operState: bond.operState });
    }
    for (const slave of bond.slaves) {
      if (slave.ifIndex === undefined) continue;
      rows.push({ ifIndex: slave.ifIndex, name: slave.name, ifType: IF_TYPE.ethernetCsmacd, operState: slave.operState });
    }
  }
  return rows;
}
