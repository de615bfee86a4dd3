import type { BondingSnapshot } from '../bonding/index.js';
import { IF_TYPE, type InterfaceRow } from './interfaces-view.js';

/** IANAifType for the kernel's ARPHRD type (include/uapi/linux/if_arp.h), as Net-SNMP maps the common ones. */
const BY_ARPHRD: Readonly<Record<number, number>> = {
  1: IF_TYPE.ethernetCsmacd, // ARPHRD_ETHER
  32: IF_TYPE.infiniband, // ARPHRD_INFINIBAND
  512: IF_TYPE.ppp, // ARPHRD_PPP
  768: IF_TYPE.tunnel, // ARPHRD_TUNNEL
  769: IF_TYPE.tunnel, // ARPHRD_TUNNEL6
  772: IF_TYPE.softwareLoopback, // ARPHRD_LOOPBACK
  776: IF_TYPE.tunnel, // ARPHRD_SIT
  778: IF_TYPE.tunnel, // ARPHRD_IPGRE
};

/**
 * IF-MIB rows for every interface the snapshot knows (what the standalone
 * agent's ifStackTable names), and at least every bond and slave with a
 * readable ifindex. An 802.3ad bond is ieee8023adLag(161), what IANAifType
 * has for a link aggregation; other bonds have no IANAifType of their own and
 * are ethernetCsmacd(6), as snmpd reports every bond (ARPHRD_ETHER).
 */
export function interfaceRows(snapshot: BondingSnapshot): InterfaceRow[] {
  const lag = new Set(snapshot.bonds.filter((b) => b.mode === '802.3ad').map((b) => b.name));
  const rows = new Map<number, InterfaceRow>();
  for (const i of snapshot.interfaces) {
    if (i.ifIndex === undefined) continue;
    const ifType = lag.has(i.name) ? IF_TYPE.ieee8023adLag : i.type === undefined ? IF_TYPE.other : (BY_ARPHRD[i.type] ?? IF_TYPE.other);
    rows.set(i.ifIndex, { ifIndex: i.ifIndex, name: i.name, ifType, operState: i.operState });
  }
  for (const bond of snapshot.bonds) {
    if (bond.ifIndex !== undefined && !rows.has(bond.ifIndex)) {
      const ifType = bond.mode === '802.3ad' ? IF_TYPE.ieee8023adLag : IF_TYPE.ethernetCsmacd;
      rows.set(bond.ifIndex, { ifIndex: bond.ifIndex, name: bond.name, ifType, operState: bond.operState });
    }
    for (const slave of bond.slaves) {
      if (slave.ifIndex === undefined || rows.has(slave.ifIndex)) continue;
      rows.set(slave.ifIndex, { ifIndex: slave.ifIndex, name: slave.name, ifType: IF_TYPE.ethernetCsmacd, operState: slave.operState });
    }
  }
  return [...rows.values()].sort((a, b) => a.ifIndex - b.ifIndex);
}
