// The scenarios' topology: the eight bonds of the fixtures (one per mode,
// MII and ARP monitoring), with what the scenarios need on top:
// - bond0 returns to its primary whenever it can (primary_reselect always);
// - bond7's ARP monitor looks every second rather than every 200 ms;
// - bond7's ARP targets answer: its switch ports are a bridge in the partner
//   namespace that owns both target addresses, so its slaves stay up until a
//   port leaves the bridge (an ARP failure with the carrier still up);
// - a second 802.3ad bond in the partner namespace, pbond2, for bond2's
//   port to move to: another partner system, so another aggregator;
// - a VLAN on top of the active-backup bond0 (bond0.100), so that IF-MIB's
//   ifStackTable has a VLAN-over-bond row (re-made with bond0);
// - spare veth pairs, eth15/p15 and eth16/p16, to enslave at runtime.
import { execFileSync } from 'node:child_process';
import { FIXTURE_BONDS, PARTNER_NETNS, peerOf } from './fixture-topology.js';
import { ipBatch } from './net.js';

export { PARTNER_NETNS, peerOf };

/** The bond whose ports are a bridge in the partner namespace, and that bridge. */
export const ARP_BOND = 'bond7';
export const ARP_BRIDGE = 'br7';
export const ARP_BOND_ADDRESS = '192.0.2.10/24';
export const ARP_TARGET_ADDRESSES = ['192.0.2.1/24', '192.0.2.2/24'];
export const LACP_BOND = 'bond2';
export const PARTNER_BOND = 'pbond';
export const OTHER_PARTNER_BOND = 'pbond2';
export const SPARE_SLAVE = 'eth15';
/** The first slave of a bond made empty at runtime (see the scenario's membership steps). */
export const SECOND_SPARE_SLAVE = 'eth16';
/** The VLAN on bond0: the stack table's VLAN-over-bond row. */
export const VLAN_BOND = 'bond0';
export const VLAN_ID = 100;

/**
 * @typedef {{ readonly name: string, readonly options: string, readonly slaves: readonly string[],
 *   readonly primary?: string, readonly address?: string, readonly partner?: boolean,
 *   readonly vlan?: number }} BondSpec
 *   vlan: a VLAN with this ID on top of the bond, named <bond>.<id>
 */

/** @type {readonly BondSpec[]} */
export const SCENARIO_BONDS = FIXTURE_BONDS.map((bond) => {
  if (bond.name === VLAN_BOND) return { ...bond, options: bond.options.replace(/primary_reselect \S+/, 'primary_reselect always'), vlan: VLAN_ID };
  // The fixtures' 200 ms ARP interval fails over now and then on its own
  // under emulation on a loaded host (a stall of 400 ms without a reply is
  // enough); 1 s gives the monitor 2 s of slack.
  if (bond.name === ARP_BOND) return { ...bond, options: bond.options.replace(/arp_interval \d+/, 'arp_interval 1000'), address: ARP_BOND_ADDRESS };
  return bond;
});

/**
 * The commands that create one bond and enslave its slaves, which exist
 * already (a bond re-created after being deleted).
 * @param {BondSpec} bond
 * @returns {string[]}
 */
export function bondCommands(bond) {
  const out = [`link add ${bond.name} type bond ${bond.options}`];
  for (const slave of bond.slaves) out.push(`link set ${slave} master ${bond.name}`);
  // The primary is given by ifindex over netlink, so it can only be set once the slave exists.
  if (bond.primary !== undefined) out.push(`link set ${bond.name} type bond primary ${bond.primary}`);
  if (bond.address !== undefined) out.push(`address add ${bond.address} dev ${bond.name}`);
  out.push(`link set ${bond.name} up`);
  if (bond.vlan !== undefined) {
    const vlan = `${bond.name}.${bond.vlan}`;
    out.push(`link add link ${bond.name} name ${vlan} type vlan id ${bond.vlan}`, `link set ${vlan} up`);
  }
  return out;
}

/** Creates every bond, slave and switch port. */
export function createScenarioTopology() {
  // The kernel cannot load modules by itself in the VM (its modprobe path is
  // the initramfs'), so the bridge and VLAN modules are loaded from the host's tree.
  execFileSync('modprobe', ['-a', 'bridge', '8021q']);
  // Its own process: `netns add` moves the calling ip into the new namespace.
  ipBatch([`netns add ${PARTNER_NETNS}`]);
  // Linux answers ARP for any of its addresses on any interface: a switch
  // port taken out of the bridge would go on answering for the targets.
  // And IPv6 chatter (DAD, router solicitations) from a port out of the
  // bridge would keep a backup slave "up": the ARP monitor counts any traffic
  // on a backup.
  const sysctls = [
    'echo 1 >/proc/sys/net/ipv4/conf/all/arp_ignore',
    'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6',
    'echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6',
  ];
  execFileSync('nsenter', [`--net=/run/netns/${PARTNER_NETNS}`, 'sh', '-c', sysctls.join('; ')]);
  const main = [];
  const partner = [
    'link set lo up',
    `link add ${PARTNER_BOND} type bond mode 802.3ad miimon 100 lacp_rate fast`,
    `link add ${OTHER_PARTNER_BOND} type bond mode 802.3ad miimon 100 lacp_rate fast`,
    `link add ${ARP_BRIDGE} type bridge forward_delay 0 stp_state 0`,
  ];
  for (const bond of SCENARIO_BONDS) {
    for (const slave of bond.slaves) {
      const peer = peerOf(slave);
      main.push(`link add ${slave} type veth peer name ${peer}`);
      if (bond.partner === true) {
        main.push(`link set ${peer} netns ${PARTNER_NETNS}`);
        partner.push(`link set ${peer} master ${PARTNER_BOND}`, `link set ${peer} up`);
      } else if (bond.name === ARP_BOND) {
        main.push(`link set ${peer} netns ${PARTNER_NETNS}`);
        partner.push(`link set ${peer} master ${ARP_BRIDGE}`, `link set ${peer} up`);
      } else {
        main.push(`link set ${peer} up`);
      }
    }
    main.push(...bondCommands(bond));
  }
  for (const spare of [SPARE_SLAVE, SECOND_SPARE_SLAVE]) main.push(`link add ${spare} type veth peer name ${peerOf(spare)}`, `link set ${peerOf(spare)} up`);
  for (const address of ARP_TARGET_ADDRESSES) partner.push(`address add ${address} dev ${ARP_BRIDGE}`);
  partner.push(`link set ${PARTNER_BOND} up`, `link set ${OTHER_PARTNER_BOND} up`, `link set ${ARP_BRIDGE} up`);
  ipBatch(main);
  ipBatch(partner, { netns: PARTNER_NETNS });
}
