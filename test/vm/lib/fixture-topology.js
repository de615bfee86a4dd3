// The topology of the shared real-kernel fixtures: eight bonds, one per
// mode (two active-backup: MII and ARP monitoring), over veth pairs whose
// peers pN play the switch ports. bond2's peers live in a second network
// namespace, enslaved to an 802.3ad bond there, so LACP really negotiates.
import { ipBatch } from './net.js';

export const PARTNER_NETNS = 'partner';

/**
 * Interface creation order matters: it fixes the ifindexes, and the shared
 * fixtures were captured from this order.
 * @type {readonly { name: string, options: string, slaves: readonly string[], primary?: string, address?: string, partner?: boolean }[]}
 */
export const FIXTURE_BONDS = [
  { name: 'bond0', options: 'mode active-backup miimon 100 updelay 200 downdelay 200 primary_reselect better',
    slaves: ['eth0', 'eth1'], primary: 'eth0', address: '198.51.100.10/24' },
  { name: 'bond1', options: 'mode balance-rr miimon 100', slaves: ['eth2', 'eth3'] },
  { name: 'bond2', options: 'mode 802.3ad miimon 100 lacp_rate fast xmit_hash_policy layer3+4 ad_select bandwidth min_links 1',
    slaves: ['eth4', 'eth5'], address: '198.51.100.20/24', partner: true },
  { name: 'bond3', options: 'mode balance-xor miimon 100 xmit_hash_policy layer2+3', slaves: ['eth6', 'eth7'] },
  { name: 'bond4', options: 'mode broadcast miimon 100', slaves: ['eth8'] },
  { name: 'bond5', options: 'mode balance-tlb miimon 100', slaves: ['eth9', 'eth10'] },
  { name: 'bond6', options: 'mode balance-alb miimon 100', slaves: ['eth11', 'eth12'] },
  { name: 'bond7', options: 'mode active-backup arp_interval 200 arp_ip_target 192.0.2.1,192.0.2.2 arp_validate active fail_over_mac active',
    slaves: ['eth13', 'eth14'] },
];

/** @param {string} slave ethN @returns {string} its peer pN */
export function peerOf(slave) {
  return slave.replace(/^eth/, 'p');
}

/** Creates every bond, slave and switch port; returns when all are up. */
export function createFixtureTopology() {
  // Its own process: `netns add` moves the calling ip into the new namespace.
  ipBatch([`netns add ${PARTNER_NETNS}`]);
  const main = [];
  const partner = ['link set lo up', 'link add pbond type bond mode 802.3ad miimon 100 lacp_rate fast'];
  for (const bond of FIXTURE_BONDS) {
    main.push(`link add ${bond.name} type bond ${bond.options}`);
    for (const slave of bond.slaves) {
      const peer = peerOf(slave);
      // veth registers the peer first: pN gets the lower ifindex, as in the fixtures.
      main.push(`link add ${slave} type veth peer name ${peer}`);
      if (bond.partner === true) {
        main.push(`link set ${peer} netns ${PARTNER_NETNS}`);
        partner.push(`link set ${peer} master pbond`, `link set ${peer} up`);
      } else {
        main.push(`link set ${peer} up`);
      }
      main.push(`link set ${slave} master ${bond.name}`);
    }
    // The primary is given by ifindex over netlink, so it can only be set once the slave exists.
    if (bond.primary !== undefined) main.push(`link set ${bond.name} type bond primary ${bond.primary}`);
    if (bond.address !== undefined) main.push(`address add ${bond.address} dev ${bond.name}`);
    main.push(`link set ${bond.name} up`);
  }
  partner.push('link set pbond up');
  ipBatch(main);
  ipBatch(partner, { netns: PARTNER_NETNS });
}
