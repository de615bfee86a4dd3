import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readSnapshot } from '../../src/bonding/index.js';
import { buildInterfacesView, ifOperStatus, IF_TYPE, interfaceRows } from '../../src/if-mib/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'kernel-6.1-debian');

describe('IF-MIB rows of bonds and slaves', () => {
  it('one row per bond and slave of the capture, typed and with the kernel operstate', async () => {
    const full = await readSnapshot({ sysfs: join(FIXTURES, '02-failover', 'sys'), procfs: join(FIXTURES, '02-failover', 'proc') });
    // Bonds and slaves only: what a snapshot without the interface list gives.
    const snap = { ...full, interfaces: [] };
    const rows = interfaceRows(snap);
    expect(rows).toHaveLength(8 + 15);
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('bond2')?.ifType).toBe(IF_TYPE.ieee8023adLag);
    expect(byName.get('bond0')?.ifType).toBe(IF_TYPE.ethernetCsmacd);
    expect(byName.get('eth0')).toMatchObject({ ifType: IF_TYPE.ethernetCsmacd, operState: 'lowerlayerdown' });
    const view = buildInterfacesView(rows);
    const eth0 = byName.get('eth0')!.ifIndex;
    expect(view.get([1, 3, 6, 1, 2, 1, 2, 2, 1, 8, eth0])).toEqual({ type: 'Integer', value: 7 });
    expect(view.get([1, 3, 6, 1, 2, 1, 2, 2, 1, 2, eth0])).toEqual({ type: 'OctetString', value: new TextEncoder().encode('eth0') });
    expect(view.get([1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1, eth0])).toEqual({ type: 'OctetString', value: new TextEncoder().encode('eth0') });
    expect(view.size).toBe(23 * 5);
  });

  it('with the interface list: a row for every interface, so that all of ifStackTable resolves', async () => {
    const root = join(FIXTURES, '02-failover');
    const snap = await readSnapshot({ sysfs: join(root, 'sys'), procfs: join(root, 'proc') });
    const names = readdirSync(join(root, 'sys', 'class', 'net')).filter((n) => n !== 'bonding_masters');
    const rows = interfaceRows(snap);
    expect(rows.map((r) => r.name).sort()).toEqual(names.sort());
    expect(rows.length).toBe(37);
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('lo')?.ifType).toBe(IF_TYPE.softwareLoopback);
    expect(byName.get('p0')?.ifType).toBe(IF_TYPE.ethernetCsmacd);
    expect(byName.get('bond2')?.ifType).toBe(IF_TYPE.ieee8023adLag);
    expect(rows.map((r) => r.ifIndex)).toEqual([...rows.map((r) => r.ifIndex)].sort((a, b) => a - b));
  });

  it('leaves ifOperStatus out when the kernel did not say, and skips rows without an index', () => {
    const view = buildInterfacesView([
      { ifIndex: 3, name: 'eth9', ifType: 6, operState: undefined },
      { ifIndex: 0, name: 'bad', ifType: 6, operState: 'up' },
    ]);
    expect(view.get([1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 3]).type).toBe('noSuchInstance');
    expect(view.size).toBe(4);
    expect([ifOperStatus('UP'), ifOperStatus('notpresent'), ifOperStatus('weird')]).toEqual([1, 6, undefined]);
  });
});
