import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot, type BondingSnapshot } from '../../src/bonding/index.js';
import { FIXTURES, handmadeRoots } from './fixture-roots.js';

describe('older kernels', () => {
  it('2.6.32 active-backup: dated header, slave_ links, no bonding_slave directory', async () => {
    const s = await readSnapshot(handmadeRoots('linux-2.6.32-active-backup'));
    expect(s.warnings).toEqual([]);
    expect(s.bonds).toHaveLength(1);
    const [bond0] = s.bonds;
    expect(bond0).toMatchObject({
      name: 'bond0',
      ifIndex: 5,
      mode: 'active-backup',
      activeSlave: 'eth0',
      primary: undefined,
      primaryReselect: 'always',
      driverVersion: '3.5.0',
      driverDate: 'November 4, 2008',
      peerNotifDelay: undefined,
      speedMbps: undefined,
    });
    expect(bond0?.slaves.map((x) => [x.name, x.ifIndex, x.state, x.miiStatus, x.linkFailureCount, x.permHwAddr, x.queueId])).toEqual([
      ['eth0', 2, undefined, 'up', 0, '00:16:3e:00:00:01', undefined],
      ['eth1', 3, undefined, 'going back', 3, '00:16:3e:00:00:02', undefined],
    ]);
    // Speed and duplex come from the slave's own sysfs even though this procfs has no such lines.
    expect(bond0?.slaves[0]).toMatchObject({ speedMbps: 1000, duplex: 'full', operState: 'up' });
  });

  it('3.2 802.3ad: active aggregator from procfs, Aggregator ID before queue ID, no active aggregator, N/A, Unknown', async () => {
    const s = await readSnapshot(handmadeRoots('linux-3.2-802.3ad'));
    expect(s.warnings).toEqual([]);
    const [bond0, bond1, bond2] = s.bonds;
    expect(bond0).toMatchObject({
      mode: '802.3ad',
      xmitHashPolicy: 'layer3+4',
      lacpRate: 'fast',
      lacpActive: undefined,
      minLinks: 0,
      adSelect: 'stable',
      adAggregator: 2,
      adNumPorts: 1,
      adActorKey: 17,
      adPartnerKey: 33,
      adPartnerMac: '00:04:96:1f:50:6a',
      hasActiveAggregator: true,
      adSystemMacAddress: undefined,
      driverVersion: '3.7.1',
      driverDate: 'April 27, 2011',
      ifAlias: 'uplink bond0',
    });
    expect(bond0?.slaves.map((x) => [x.name, x.aggregatorId, x.queueId, x.actorChurnState, x.linkFailureCount])).toEqual([
      ['eth0', 2, 0, undefined, 1],
      ['eth1', 1, 2, undefined, 0],
    ]);
    expect(bond1).toMatchObject({ miiStatus: 'down', hasActiveAggregator: false, adAggregator: undefined });
    expect(bond1?.slaves[0]).toMatchObject({
      name: 'eth2',
      aggregatorId: undefined,
      speedMbps: undefined,
      duplex: 'unknown',
      miiStatus: 'down',
      linkFailureCount: 5,
    });
    expect(bond2).toMatchObject({
      mode: 'active-backup',
      failOverMac: 'follow',
      primary: 'eth3',
      primaryReselect: 'failure',
      activeSlave: 'eth3',
      arpInterval: 1000,
      arpIpTarget: ['10.0.0.1', '10.0.0.2'],
    });
    // bond2 has no sysfs `slaves` file: the slave list comes from procfs.
    expect(bond2?.slaves.map((x) => [x.name, x.ifIndex, x.miiStatus])).toEqual([['eth3', 16, 'going down']]);
  });
});

describe('races', () => {
  it('a bond listed in bonding_masters whose directory is gone, and a vanished slave, drop out silently', async () => {
    const s = await readSnapshot(handmadeRoots('vanishing'));
    expect(s.warnings).toEqual([]);
    expect(s.bonds.map((b) => [b.name, b.ifIndex, b.slaves.map((x) => x.name)])).toEqual([
      ['bond0', 3, ['eth0']],
      ['bond1', 4, ['eth2']],
    ]);
  });
});

describe('garbage', () => {
  it('names the file and line of each malformed value and still produces the rest', async () => {
    const roots = handmadeRoots('garbage');
    const s = await readSnapshot(roots);
    const where = s.warnings.map((w) => `${w.file.slice(roots.sysfs.length - 3)}:${w.line}`);
    expect(where).toEqual(
      expect.arrayContaining([
        'sys/class/net/bond0/ifindex:1',
        'sys/class/net/bond0/carrier:1',
        'sys/class/net/bond0/address:1',
        'sys/class/net/bond0/bonding/miimon:1',
        'sys/class/net/bond0/bonding/queue_id:1',
        'proc/net/bonding/bond0:7',
        'proc/net/bonding/bond0:9',
        'proc/net/bonding/bond0:13',
        'proc/net/bonding/bond0:15',
        'proc/net/bonding/bond0:19',
        'proc/net/bonding/bond0:21',
        'sys/class/net/eth0/bonding_slave/state:1',
        'sys/class/net/eth0/bonding_slave/link_failure_count:1',
        'sys/class/net/eth1/bonding_slave/mii_status:1',
      ]),
    );
    // bond0's ifindex is read for the bond and for the interface list: one warning, not two.
    expect(where.filter((w) => w === 'sys/class/net/bond0/ifindex:1')).toHaveLength(1);
    // Where procfs spoke, the garbled sysfs files are not consulted at all.
    expect(where).not.toContain('sys/class/net/bond0/bonding/mode:1');
    expect(where).not.toContain('sys/class/net/bond0/bonding/mii_status:1');
    // Not 802.3ad (procfs says active-backup): the LACP files are not read.
    expect(where).not.toContain('sys/class/net/eth1/bonding_slave/ad_actor_oper_port_state:1');
    expect(s.warnings.find((w) => w.file.endsWith('bond0') && w.line === 9)?.message).toMatch(/line noise/);
    const [bond0] = s.bonds;
    // A bad procfs value falls back to sysfs (undefined where that is bad too); good ones around them are kept.
    expect(bond0).toMatchObject({
      ifIndex: undefined,
      mtu: 1500,
      mode: 'active-backup',
      miiStatus: 'up',
      miimon: undefined,
      updelay: 200,
      activeSlave: 'eth0',
    });
    expect(bond0?.slaves.map((x) => [x.name, x.ifIndex, x.miiStatus, x.state, x.linkFailureCount, x.permHwAddr])).toEqual([
      ['eth0', 4, 'up', undefined, undefined, '4a:ce:89:7d:91:c1'],
      ['eth1', undefined, undefined, undefined, 2, '72:24:ca:8b:6e:75'],
    ]);
  });

  describe('every file of a real bond, one at a time', () => {
    const work = mkdtempSync(join(tmpdir(), 'bonding-garbage-'));
    afterAll(() => rmSync(work, { recursive: true, force: true }));
    const source = join(FIXTURES, 'kernel-6.1-debian', '01-all-up');
    const files = [
      ...['bond2', 'bond2/bonding', 'eth4', 'eth4/bonding_slave'].flatMap((dir) =>
        readdirSync(join(source, 'sys', 'class', 'net', dir))
          .filter((f) => statSync(join(source, 'sys', 'class', 'net', dir, f)).isFile())
          .map((f) => join('sys', 'class', 'net', dir, f)),
      ),
      join('proc', 'net', 'bonding', 'bond2'),
      join('sys', 'class', 'net', 'bonding_masters'),
    ];
    // Values any text is valid for (names, aliases, operstate words) cannot be malformed.
    const freeText = /\/(ifalias|operstate|duplex|active_slave|primary|type|flags|iflink|master|upper_bond2|lower_eth\d)$/;

    let clean: BondingSnapshot;
    beforeAll(async () => {
      clean = await readSnapshot({ sysfs: join(source, 'sys'), procfs: join(source, 'proc') });
    });

    it.each(files)('%s', async (file) => {
      const tree = mkdtempSync(join(work, 'tree-'));
      cpSync(source, tree, { recursive: true });
      const target = join(tree, file);
      writeFileSync(target, 'g@rbage \u0000\u00ff line\n!!\n');
      const s = await readSnapshot({ sysfs: join(tree, 'sys'), procfs: join(tree, 'proc') });
      if (file.endsWith('bonding_masters')) {
        expect(s.bonds).toEqual([]);
        expect(s.warnings).toEqual([expect.objectContaining({ file: target, line: 1 })]);
        return;
      }
      expect(s.bonds.map((b) => b.name)).toEqual(['bond0', 'bond1', 'bond2', 'bond3', 'bond4', 'bond5', 'bond6', 'bond7']);
      // A garbled `slaves` file falls back to the procfs list.
      expect(s.bonds.find((b) => b.name === 'bond2')?.slaves.map((x) => x.name)).toEqual(['eth4', 'eth5']);
      for (const w of s.warnings) expect(w.file).toBe(target);
      if (s.warnings.length > 0) expect(s.warnings[0]?.line).toBeGreaterThan(0);
      // A file not read (procfs already said it) leaves the snapshot as it was; one read warns.
      else if (!freeText.test(file)) expect(s.bonds).toEqual(clean.bonds);
      rmSync(tree, { recursive: true, force: true });
    });
  });
});
