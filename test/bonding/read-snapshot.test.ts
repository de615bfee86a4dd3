import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBond, readSnapshot, type Bond, type BondingSnapshot } from '../../src/bonding/index.js';
import { kernelRoots } from './fixture-roots.js';

function bond(snapshot: BondingSnapshot, name: string): Bond {
  const found = snapshot.bonds.find((b) => b.name === name);
  if (!found) throw new Error(`no ${name} in snapshot`);
  return found;
}

const slave = (b: Bond, name: string) => {
  const found = b.slaves.find((s) => s.name === name);
  if (!found) throw new Error(`no ${name} in ${b.name}`);
  return found;
};

describe('readSnapshot on the real 6.1 captures', () => {
  it('01-all-up: every bond, mode, ifindex and slave in the kernel order', async () => {
    const s = await readSnapshot(kernelRoots('01-all-up'));
    expect(s.warnings).toEqual([]);
    expect(s.bonds.map((b) => [b.name, b.ifIndex, b.mode, b.miiStatus])).toEqual([
      ['bond0', 2, 'active-backup', 'up'],
      ['bond1', 7, 'balance-rr', 'up'],
      ['bond2', 12, '802.3ad', 'up'],
      ['bond3', 17, 'balance-xor', 'up'],
      ['bond4', 22, 'broadcast', 'up'],
      ['bond5', 25, 'balance-tlb', 'up'],
      ['bond6', 30, 'balance-alb', 'up'],
      // procfs caught the ARP-monitored bond7 up (its targets never answer: it cycles).
      ['bond7', 35, 'active-backup', 'up'],
    ]);
    expect(s.bonds.map((b) => b.slaves.map((x) => `${x.name}:${x.ifIndex}`).join(' '))).toEqual([
      'eth0:4 eth1:6',
      'eth2:9 eth3:11',
      'eth4:14 eth5:16',
      'eth6:19 eth7:21',
      'eth8:24',
      'eth9:27 eth10:29',
      'eth11:32 eth12:34',
      'eth13:37 eth14:39',
    ]);
  });

  it('01-all-up: bond0 active-backup settings and its slaves', async () => {
    const b = bond(await readSnapshot(kernelRoots('01-all-up')), 'bond0');
    expect(b).toMatchObject({
      activeSlave: 'eth0',
      primary: 'eth0',
      primaryReselect: 'better',
      miimon: 100,
      updelay: 200,
      downdelay: 200,
      peerNotifDelay: 0,
      useCarrier: true,
      failOverMac: 'none',
      address: '4a:ce:89:7d:91:c1',
      operState: 'up',
      carrier: true,
      speedMbps: 10000,
      mtu: 1500,
      ifAlias: undefined,
      driverVersion: '6.1.0-56-amd64',
      driverDate: undefined,
      adAggregator: undefined,
      arpIpTarget: [],
    });
    expect(slave(b, 'eth0')).toMatchObject({
      state: 'active',
      miiStatus: 'up',
      linkFailureCount: 0,
      permHwAddr: '4a:ce:89:7d:91:c1',
      speedMbps: 10000,
      duplex: 'full',
      queueId: 0,
      aggregatorId: undefined,
      adActorOperPortState: undefined,
      actorChurnState: undefined,
    });
    expect(slave(b, 'eth1')).toMatchObject({ state: 'backup', permHwAddr: '1e:a5:73:5a:8b:b0' });
  });

  it('01-all-up: bond2 802.3ad with aggregator and LACP PDU details (read as root)', async () => {
    const b = bond(await readSnapshot(kernelRoots('01-all-up')), 'bond2');
    expect(b).toMatchObject({
      xmitHashPolicy: 'layer3+4',
      lacpRate: 'fast',
      lacpActive: 'on',
      adSelect: 'bandwidth',
      minLinks: 1,
      adAggregator: 1,
      adNumPorts: 2,
      adActorKey: 15,
      adPartnerKey: 15,
      adPartnerMac: '2e:01:e6:27:b1:65',
      adActorSysPrio: 65535,
      adActorSystem: '00:00:00:00:00:00',
      adSystemMacAddress: 'd2:f4:8b:71:d0:8b',
      hasActiveAggregator: true,
      speedMbps: 20000,
    });
    expect(slave(b, 'eth5')).toMatchObject({
      aggregatorId: 1,
      adActorOperPortState: 63,
      adPartnerOperPortState: 63,
      actorChurnState: 'monitoring',
      partnerChurnState: 'monitoring',
      actorChurnedCount: 0,
      partnerChurnedCount: 0,
      actorLacpPdu: {
        systemPriority: 65535,
        systemMacAddress: 'd2:f4:8b:71:d0:8b',
        portKey: 15,
        portPriority: 255,
        portNumber: 2,
        portState: 63,
      },
      partnerLacpPdu: {
        systemPriority: 65535,
        systemMacAddress: '2e:01:e6:27:b1:65',
        portKey: 15,
        portPriority: 255,
        portNumber: 2,
        portState: 63,
      },
    });
  });

  it('01-all-up: bond7 ARP monitoring, link state from procfs, settings from sysfs', async () => {
    const b = bond(await readSnapshot(kernelRoots('01-all-up')), 'bond7');
    expect(b).toMatchObject({
      arpInterval: 200,
      arpIpTarget: ['192.0.2.1', '192.0.2.2'],
      nsIp6Target: [],
      arpValidate: 'active',
      arpMissedMax: 2,
      failOverMac: 'active',
      miimon: 0,
      miiStatus: 'up',
      activeSlave: 'eth13',
      // The interface's own files, read later than procfs in the capture.
      carrier: false,
      speedMbps: undefined,
      duplex: 'unknown',
    });
    expect(b.slaves.map((x) => [x.name, x.state, x.miiStatus, x.linkFailureCount])).toEqual([
      ['eth13', 'backup', 'up', 1],
      ['eth14', 'active', 'up', 0],
    ]);
  });

  it('02-failover: bond0 failed over to eth1, eth2 and eth5 down, eth5 out of LACP sync', async () => {
    const s = await readSnapshot(kernelRoots('02-failover'));
    const b0 = bond(s, 'bond0');
    expect(b0.activeSlave).toBe('eth1');
    expect(slave(b0, 'eth0')).toMatchObject({ state: 'backup', miiStatus: 'down', linkFailureCount: 1 });
    expect(slave(bond(s, 'bond1'), 'eth2')).toMatchObject({ miiStatus: 'down', linkFailureCount: 1 });
    const eth5 = slave(bond(s, 'bond2'), 'eth5');
    expect(eth5).toMatchObject({
      state: 'backup',
      miiStatus: 'down',
      aggregatorId: 1,
      adActorOperPortState: 15,
      adPartnerOperPortState: 55,
    });
    expect(bond(s, 'bond7').slaves.map((x) => x.linkFailureCount)).toEqual([3, 3]);
  });

  it('03-recovered: eth0 and eth5 back up, bond0 stays on eth1 (primary_reselect better, same speed)', async () => {
    const s = await readSnapshot(kernelRoots('03-recovered'));
    const b0 = bond(s, 'bond0');
    expect(b0.activeSlave).toBe('eth1');
    expect(slave(b0, 'eth0')).toMatchObject({ state: 'backup', miiStatus: 'up', linkFailureCount: 1 });
    expect(slave(bond(s, 'bond2'), 'eth5')).toMatchObject({ state: 'active', miiStatus: 'up', adPartnerOperPortState: 63 });
  });

  it('04-bond1-down: bond1 has no working slave, its MII status is down', async () => {
    const s = await readSnapshot(kernelRoots('04-bond1-down'));
    const b1 = bond(s, 'bond1');
    expect(b1).toMatchObject({ miiStatus: 'down', operState: 'down', carrier: false });
    expect(b1.slaves.map((x) => x.miiStatus)).toEqual(['down', 'down']);
    expect(slave(bond(s, 'bond7'), 'eth14').miiStatus).toBe('going back');
  });

  it('unprivileged procfs: the LACP details the kernel hides are undefined, sysfs still gives the rest', async () => {
    const s = await readSnapshot(kernelRoots('01-all-up', 'proc-unprivileged'));
    expect(s.warnings).toEqual([]);
    const b2 = bond(s, 'bond2');
    expect(b2.adSystemMacAddress).toBeUndefined();
    expect(b2.hasActiveAggregator).toBe(true); // sysfs ad_aggregator names one
    expect(b2.adAggregator).toBe(1); // from sysfs
    const eth4 = slave(b2, 'eth4');
    expect(eth4.actorLacpPdu).toBeUndefined();
    expect(eth4.partnerLacpPdu).toBeUndefined();
    expect(eth4).toMatchObject({ actorChurnState: 'none', aggregatorId: 1, adActorOperPortState: 63 });
  });

  it('a slave\'s link state is one procfs reading, not two sysfs files from either side of the driver\'s commit', async () => {
    // The VM caught this during downdelay: sysfs mii_status still said "going down" while
    // link_failure_count, read a moment later, already held the raised count. The kernel writes
    // /proc/net/bonding/<bond> in one pass, so its pair is one the driver was really in.
    const { sysfs, procfs } = kernelRoots('01-all-up');
    const tree = mkdtempSync(join(tmpdir(), 'bonding-torn-'));
    try {
      cpSync(sysfs, join(tree, 'sys'), { recursive: true });
      cpSync(procfs, join(tree, 'proc'), { recursive: true });
      const slaveDir = join(tree, 'sys', 'class', 'net', 'eth0', 'bonding_slave');
      writeFileSync(join(slaveDir, 'mii_status'), 'going down\n');
      writeFileSync(join(slaveDir, 'link_failure_count'), '1\n');
      const procFile = join(tree, 'proc', 'net', 'bonding', 'bond0');
      const proc = readFileSync(procFile, 'latin1');
      const eth0 = /Slave Interface: eth0\nMII Status: up\n(?:.*\n)*?Link Failure Count: 0\n/.exec(proc)?.[0];
      if (eth0 === undefined) throw new Error('fixture changed: no eth0 block');
      const torn = eth0.replace('MII Status: up', 'MII Status: down').replace('Link Failure Count: 0', 'Link Failure Count: 1');
      writeFileSync(procFile, proc.replace(eth0, torn));
      const s = await readSnapshot({ sysfs: join(tree, 'sys'), procfs: join(tree, 'proc') });
      expect(s.warnings).toEqual([]);
      expect(slave(bond(s, 'bond0'), 'eth0')).toMatchObject({ miiStatus: 'down', linkFailureCount: 1 });
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });

  it('readBond reads one bond on its own, equal to the same bond in the full snapshot', async () => {
    const roots = kernelRoots('02-failover');
    const one = await readBond(roots, 'bond2');
    expect(one.warnings).toEqual([]);
    expect(one.bond).toEqual(bond(await readSnapshot(roots), 'bond2'));
    expect((await readBond(roots, 'bond99')).bond).toBeUndefined();
  });

  it('readBond refuses names that would leave the sysfs directory', async () => {
    const r = await readBond(kernelRoots('01-all-up'), '../../etc');
    expect(r.bond).toBeUndefined();
    expect(r.warnings).toHaveLength(1);
  });
});
