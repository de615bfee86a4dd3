import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { timeStamp } from '../../src/runtime/front-end.js';
import { describe, expect, it } from 'vitest';
import { buildBondView } from '../../src/bond-mib/bond-view.js';
import { BOND, SLAVE, bondCount, bondDriverVersion, bondEntry, bondSlaveEntry } from '../../src/bond-mib/oids.js';
import { readSnapshot } from '../../src/bonding/index.js';
import type { Oid, SnmpValue } from '../../src/snmp/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'kernel-6.1-debian');
const roots = (state: string, proc = 'proc') => ({ sysfs: join(FIXTURES, state, 'sys'), procfs: join(FIXTURES, state, proc) });
const ifindex = (state: string, name: string) =>
  Number(readFileSync(join(FIXTURES, state, 'sys', 'class', 'net', name, 'ifindex'), 'utf8'));

const text = (v: SnmpValue) => (v.type === 'OctetString' ? Buffer.from(v.value).toString('utf8') : `<${v.type}>`);
const bytes = (v: SnmpValue) => (v.type === 'OctetString' ? [...v.value] : `<${v.type}>`);
const num = (v: SnmpValue) => ('value' in v && typeof v.value === 'number' ? v.value : `<${v.type}>`);

describe('buildBondView on the real 6.1 captures', () => {
  it('serves every bond under its kernel ifindex with the kernel state (01-all-up)', async () => {
    const view = buildBondView(await readSnapshot(roots('01-all-up')));
    const bond0 = ifindex('01-all-up', 'bond0');
    const eth0 = ifindex('01-all-up', 'eth0');
    const col = (c: number, ...idx: number[]): Oid => [...bondEntry, c, ...idx];
    expect(text(view.get(col(BOND.bondName, bond0)))).toBe('bond0');
    expect(num(view.get(col(BOND.bondMode, bond0)))).toBe(1); // activeBackup
    expect(num(view.get(col(BOND.bondMiiStatus, bond0)))).toBe(1);
    expect(num(view.get(col(BOND.bondActiveSlaveIfIndex, bond0)))).toBe(eth0);
    expect(text(view.get(col(BOND.bondActiveSlaveName, bond0)))).toBe('eth0');
    expect(text(view.get(col(BOND.bondPrimarySlaveName, bond0)))).toBe('eth0');
    expect(num(view.get(col(BOND.bondPrimaryReselect, bond0)))).toBe(1); // better
    expect(num(view.get(col(BOND.bondSlaveCount, bond0)))).toBe(2);
    expect(num(view.get(col(BOND.bondSlavesUp, bond0)))).toBe(2);
    expect(num(view.get(col(BOND.bondUpDelay, bond0)))).toBe(200);
    expect(num(view.get(col(BOND.bondFailoverCount, bond0)))).toBe(0);
    // Not 802.3ad: no aggregator columns rather than sysfs defaults.
    expect(view.get(col(BOND.bondAdAggregatorId, bond0)).type).toBe('noSuchInstance');

    const bond2 = ifindex('01-all-up', 'bond2');
    expect(num(view.get(col(BOND.bondMode, bond2)))).toBe(4); // ieee8023ad
    expect(num(view.get(col(BOND.bondAdAggregatorId, bond2)))).toBe(1);
    expect(num(view.get(col(BOND.bondAdNumPorts, bond2)))).toBe(2);
    expect(bytes(view.get(col(BOND.bondAdPartnerMac, bond2)))).toEqual([0x2e, 0x01, 0xe6, 0x27, 0xb1, 0x65]);
    expect(bytes(view.get(col(BOND.bondAdActorSystem, bond2)))).toEqual([0xd2, 0xf4, 0x8b, 0x71, 0xd0, 0x8b]);
    expect(num(view.get(col(BOND.bondXmitHashPolicy, bond2)))).toBe(1); // layer3+4
    expect(num(view.get(col(BOND.bondLacpRate, bond2)))).toBe(1); // fast

    const bond7 = ifindex('01-all-up', 'bond7');
    expect(text(view.get(col(BOND.bondArpIpTargets, bond7)))).toBe('192.0.2.1, 192.0.2.2');
    expect(num(view.get(col(BOND.bondArpInterval, bond7)))).toBe(200);
    expect(num(view.get(col(BOND.bondFailOverMac, bond7)))).toBe(1); // active

    expect(text(view.get([...bondDriverVersion, 0]))).toBe('v6.1.0-56-amd64');
    expect(num(view.get([...bondCount, 0]))).toBe(8);
  });

  it('serves slave rows indexed by bond and slave ifindex, LACP state as BITS', async () => {
    const view = buildBondView(await readSnapshot(roots('01-all-up')));
    const bond2 = ifindex('01-all-up', 'bond2');
    const eth4 = ifindex('01-all-up', 'eth4');
    const col = (c: number): Oid => [...bondSlaveEntry, c, bond2, eth4];
    expect(text(view.get(col(SLAVE.bondSlaveName)))).toBe('eth4');
    expect(num(view.get(col(SLAVE.bondSlaveMiiStatus)))).toBe(1);
    expect(num(view.get(col(SLAVE.bondSlaveSpeed)))).toBe(10000);
    expect(num(view.get(col(SLAVE.bondSlaveDuplex)))).toBe(2);
    expect(num(view.get(col(SLAVE.bondSlaveAdAggregatorId)))).toBe(1);
    // port state 63 = activity|timeout|aggregation|sync|collecting|distributing -> bits 0..5 -> 0xfc
    expect(bytes(view.get(col(SLAVE.bondSlaveAdActorOperState)))).toEqual([0xfc]);
    expect(bytes(view.get(col(SLAVE.bondSlavePermHwAddr)))).toEqual([0xd2, 0xf4, 0x8b, 0x71, 0xd0, 0x8b]);
    expect(num(view.get(col(SLAVE.bondSlaveAdActorChurnState)))).toBe(1); // monitoring
  });

  it('shows the failover of 02: eth1 active, eth0 down with one failure, fewer slaves up', async () => {
    const view = buildBondView(await readSnapshot(roots('02-failover')));
    const bond0 = ifindex('02-failover', 'bond0');
    const eth0 = ifindex('02-failover', 'eth0');
    const eth1 = ifindex('02-failover', 'eth1');
    expect(num(view.get([...bondEntry, BOND.bondActiveSlaveIfIndex, bond0]))).toBe(eth1);
    expect(num(view.get([...bondEntry, BOND.bondSlavesUp, bond0]))).toBe(1);
    expect(num(view.get([...bondSlaveEntry, SLAVE.bondSlaveMiiStatus, bond0, eth0]))).toBe(2);
    expect(num(view.get([...bondSlaveEntry, SLAVE.bondSlaveLinkFailureCount, bond0, eth0]))).toBe(1);
    expect(view.get([...bondSlaveEntry, SLAVE.bondSlaveLinkFailureCount, bond0, eth0]).type).toBe('Counter32');
  });

  it('leaves out what an unprivileged reader cannot see instead of serving zeroes', async () => {
    const view = buildBondView(await readSnapshot(roots('01-all-up', 'proc-unprivileged')));
    const bond2 = ifindex('01-all-up', 'bond2');
    const eth4 = ifindex('01-all-up', 'eth4');
    // The partner's system MAC only comes from the privileged LACP PDU details.
    expect(view.get([...bondSlaveEntry, SLAVE.bondSlaveAdPartnerSystemMac, bond2, eth4]).type).toBe('noSuchInstance');
  });

  it('counts failovers the agent saw', async () => {
    const snapshot = await readSnapshot(roots('02-failover'));
    const bond0 = ifindex('02-failover', 'bond0');
    // The last one 42.42 s after the serving agent's clock started: TimeStamp 4242.
    const origin = 1000;
    const view = buildBondView(snapshot, new Map([[`bond0#${bond0}`, { count: 3, lastAt: origin + 42_420 }]]), (at) => timeStamp(origin, at));
    expect(num(view.get([...bondEntry, BOND.bondFailoverCount, bond0]))).toBe(3);
    expect(view.get([...bondEntry, BOND.bondLastFailover, bond0])).toEqual({ type: 'TimeTicks', value: 4242 });
  });
});

describe('mode-specific columns', () => {
  it('serves LACP and hash settings only in the modes that use them', async () => {
    const view = buildBondView(await readSnapshot(roots('01-all-up')));
    const at = (bond: string, column: number) => view.get([...bondEntry, column, ifindex('01-all-up', bond)]).type;
    // sysfs prints these defaults in every mode; active-backup uses none of them.
    for (const column of [BOND.bondLacpRate, BOND.bondLacpActive, BOND.bondAdSelect, BOND.bondMinLinks, BOND.bondXmitHashPolicy]) {
      expect(at('bond0', column)).toBe('noSuchInstance');
      expect(at('bond2', column)).toBe('Integer');
    }
    expect(at('bond3', BOND.bondXmitHashPolicy)).toBe('Integer'); // balance-xor
    expect(at('bond3', BOND.bondLacpRate)).toBe('noSuchInstance');
  });
});
