import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnapshot } from '../../src/bonding/index.js';
import { AGG, buildLagView, dot3adAggEntry, dot3adAggPortEntry, dot3adAggPortListEntry, dot3adTablesLastChanged, portList, PORT } from '../../src/lag-mib/index.js';
import type { MibView } from '../../src/mib/index.js';
import type { SnmpValue } from '../../src/snmp/index.js';
import { KERNEL_STATES, kernelRoots } from '../bonding/fixture-roots.js';
import { FixtureHost } from '../support/fixture-host.js';
import { addAggregatorMismatchState } from '../support/aggregator-mismatch.js';

const octets = (v: SnmpValue): number[] => (v.type === 'OctetString' ? [...v.value] : [-1]);
const int = (v: SnmpValue): number | string => (v.type === 'Integer' ? v.value : v.type);
/** The kernel's LACP state byte as LacpState BITS: bit n of the byte is the octet's bit 0x80 >> n. */
const bits = (byte: number) => [[...Array(8).keys()].reduce((o, n) => (byte & (1 << n) ? o | (0x80 >> n) : o), 0)];

/** Straight from a capture's files: each slave's Aggregator ID in procfs, and the bond's active one. */
function aggregators(root: string, proc: string, bond: string) {
  const text = readFileSync(join(root, proc, 'net', 'bonding', bond), 'utf8');
  const active = Number(readFileSync(join(root, 'sys', 'class', 'net', bond, 'bonding', 'ad_aggregator'), 'utf8'));
  const slaves = new Map<string, number>();
  for (const block of text.split('\n\n').filter((b) => b.startsWith('Slave Interface: '))) {
    slaves.set(/^Slave Interface: (\S+)/.exec(block)![1]!, Number(/^Aggregator ID: (\d+)/m.exec(block)![1]));
  }
  return { active, slaves };
}

function check(view: MibView, root: string, proc: 'proc' | 'proc-unprivileged') {
  const net = (...p: string[]) => readFileSync(join(root, 'sys', 'class', 'net', ...p), 'utf8').trim();
  const bonds = net('bonding_masters').split(/\s+/);
  const lag = bonds.filter((b) => net(b, 'bonding', 'mode').startsWith('802.3ad'));
  for (const bond of bonds.filter((b) => !lag.includes(b))) {
    expect(view.get([...dot3adAggEntry, AGG.dot3adAggMACAddress, Number(net(bond, 'ifindex'))]).type).toBe('noSuchInstance');
  }
  for (const bond of lag) {
    const b = Number(net(bond, 'ifindex'));
    const { active, slaves } = aggregators(root, proc, bond);
    const mac = net(bond, 'address').split(':').map((x) => parseInt(x, 16));
    expect(octets(view.get([...dot3adAggEntry, AGG.dot3adAggMACAddress, b]))).toEqual(mac);
    expect(int(view.get([...dot3adAggEntry, AGG.dot3adAggAggregateOrIndividual, b]))).toBe(1);
    expect(int(view.get([...dot3adAggEntry, AGG.dot3adAggCollectorMaxDelay, b]))).toBe(0);
    const members = [...slaves].filter(([, agg]) => agg === active).map(([s]) => Number(net(s, 'ifindex')));
    expect(octets(view.get([...dot3adAggPortListEntry, 1, b]))).toEqual([...portList(members)]);
    for (const [slave, agg] of slaves) {
      const s = Number(net(slave, 'ifindex'));
      const want = agg === active ? b : 0;
      expect([int(view.get([...dot3adAggPortEntry, PORT.dot3adAggPortSelectedAggID, s])), int(view.get([...dot3adAggPortEntry, PORT.dot3adAggPortAttachedAggID, s]))]).toEqual([want, want]);
      expect(octets(view.get([...dot3adAggPortEntry, PORT.dot3adAggPortActorOperState, s]))).toEqual(bits(Number(net(slave, 'bonding_slave', 'ad_actor_oper_port_state'))));
      expect(octets(view.get([...dot3adAggPortEntry, PORT.dot3adAggPortPartnerOperState, s]))).toEqual(bits(Number(net(slave, 'bonding_slave', 'ad_partner_oper_port_state'))));
      // lacp_active on, lacp_rate fast: activity, timeout, aggregation.
      expect(octets(view.get([...dot3adAggPortEntry, PORT.dot3adAggPortActorAdminState, s]))).toEqual(bits(0x07));
      const partnerId = view.get([...dot3adAggPortEntry, PORT.dot3adAggPortPartnerOperSystemID, s]);
      const actorPort = view.get([...dot3adAggPortEntry, PORT.dot3adAggPortActorPort, s]);
      if (proc === 'proc') {
        const block = readFileSync(join(root, proc, 'net', 'bonding', bond), 'utf8').split('\n\n').find((x) => x.startsWith(`Slave Interface: ${slave}\n`))!;
        const partner = block.slice(block.indexOf('details partner lacp pdu:'));
        expect(octets(partnerId)).toEqual(/system mac address: (\S+)/.exec(partner)![1]!.split(':').map((x) => parseInt(x, 16)));
        const actor = block.slice(block.indexOf('details actor lacp pdu:'), block.indexOf('details partner lacp pdu:'));
        expect(int(actorPort)).toBe(Number(/port number: (\d+)/.exec(actor)![1]));
      } else {
        // Hidden from a reader without CAP_NET_ADMIN: absent, never made up.
        expect([partnerId.type, actorPort.type]).toEqual(['noSuchInstance', 'noSuchInstance']);
      }
    }
  }
}

describe('IEEE8023-LAG-MIB from the real captures', () => {
  for (const state of KERNEL_STATES) {
    for (const proc of ['proc', 'proc-unprivileged'] as const) {
      it(`${state} (${proc}): rows of the 802.3ad bonds only, attached ports, LACP states as BITS`, async () => {
        const roots = kernelRoots(state, proc);
        const view = buildLagView(await readSnapshot(roots), 1234);
        expect(view.get([...dot3adTablesLastChanged, 0])).toEqual({ type: 'TimeTicks', value: 1234 });
        check(view, join(roots.sysfs, '..'), proc);
      });
    }
  }

  it('a slave in another aggregator (a partner mismatch): attached to nothing, not in the port list', async () => {
    const host = FixtureHost.create(['04-bond1-down']);
    try {
      const state = addAggregatorMismatchState(host);
      const roots = host.rootsOf(state);
      const view = buildLagView(await readSnapshot(roots), 0);
      const bond2 = host.ifindex(state, 'bond2');
      const eth4 = host.ifindex(state, 'eth4');
      const eth5 = host.ifindex(state, 'eth5');
      expect(int(view.get([...dot3adAggPortEntry, PORT.dot3adAggPortAttachedAggID, eth5]))).toBe(0);
      expect(int(view.get([...dot3adAggPortEntry, PORT.dot3adAggPortAttachedAggID, eth4]))).toBe(bond2);
      expect(octets(view.get([...dot3adAggPortListEntry, 1, bond2]))).toEqual([...portList([eth4])]);
      check(view, join(roots.sysfs, '..'), 'proc');
    } finally {
      host.remove();
    }
  });
});

describe('PortList (Q-BRIDGE-MIB): bit for ifIndex n in octet (n-1)/8, mask 0x80 >> ((n-1) % 8)', () => {
  it('ifIndex 1, 8, 9 and 300', () => {
    expect([...portList([1])]).toEqual([0x80]);
    expect([...portList([8])]).toEqual([0x01]);
    expect([...portList([9])]).toEqual([0x00, 0x80]);
    const wide = portList([1, 8, 9, 300]);
    expect(wide.length).toBe(38);
    expect([wide[0], wide[1], wide[37]]).toEqual([0x81, 0x80, 0x10]);
    expect(wide.slice(2, 37).every((o) => o === 0)).toBe(true);
    expect([...portList([])]).toEqual([]);
  });
});
