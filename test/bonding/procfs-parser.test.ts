import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProcBonding } from '../../src/bonding/index.js';

const FILE = '/proc/net/bonding/bond0';
const parse = (lines: readonly string[]) => parseProcBonding(`${lines.join('\n')}\n`, FILE);

describe('parseProcBonding', () => {
  it('reads both header styles', () => {
    expect(parse(['Ethernet Channel Bonding Driver: v6.1.0-56-amd64']).bond).toMatchObject({
      driverVersion: '6.1.0-56-amd64',
      driverDate: undefined,
    });
    expect(parse(['Ethernet Channel Bonding Driver: v3.7.1 (April 27, 2011)']).bond).toMatchObject({
      driverVersion: '3.7.1',
      driverDate: 'April 27, 2011',
    });
  });

  it('maps every mode description to the kernel mode name, with the fail_over_mac suffix', () => {
    const modes: Array<[string, string]> = [
      ['load balancing (round-robin)', 'balance-rr'],
      ['fault-tolerance (active-backup)', 'active-backup'],
      ['load balancing (xor)', 'balance-xor'],
      ['fault-tolerance (broadcast)', 'broadcast'],
      ['IEEE 802.3ad Dynamic link aggregation', '802.3ad'],
      ['transmit load balancing', 'balance-tlb'],
      ['adaptive load balancing', 'balance-alb'],
    ];
    for (const [text, mode] of modes) expect(parse([`Bonding Mode: ${text}`]).bond.mode).toBe(mode);
    expect(parse(['Bonding Mode: fault-tolerance (active-backup) (fail_over_mac active)']).bond).toMatchObject({
      mode: 'active-backup',
      failOverMac: 'active',
    });
  });

  it('keeps the slave MII words, Speed: Unknown and Aggregator ID: N/A', () => {
    const { bond, warnings } = parse([
      'Slave Interface: eth0',
      'MII Status: going down',
      'Speed: Unknown',
      'Duplex: unknown',
      'Aggregator ID: N/A',
      '',
      'Slave Interface: eth1',
      'MII Status: going back',
      'Slave queue ID: 3',
      'Aggregator ID: 2',
      '',
      'Slave Interface: eth2',
      'Aggregator ID: 4',
      'Slave queue ID: 5',
    ]);
    expect(warnings).toEqual([]);
    expect(bond.slaves.map((s) => [s.name, s.miiStatus, s.speedMbps, s.duplex, s.aggregatorId, s.queueId])).toEqual([
      ['eth0', 'going down', undefined, 'unknown', undefined, undefined],
      ['eth1', 'going back', undefined, undefined, 2, 3],
      ['eth2', undefined, undefined, undefined, 4, 5],
    ]);
  });

  it('reads ARP and NS IPv6 targets, empty or not', () => {
    expect(
      parse(['ARP IP target/s (n.n.n.n form): 192.0.2.1, 192.0.2.2', 'NS IPv6 target/s (xx::xx form): 2001:db8::1, fe80::2']).bond,
    ).toMatchObject({ arpIpTarget: ['192.0.2.1', '192.0.2.2'], nsIp6Target: ['2001:db8::1', 'fe80::2'] });
    expect(parse(['ARP IP target/s (n.n.n.n form):', 'NS IPv6 target/s (xx::xx form):']).bond).toMatchObject({
      arpIpTarget: [],
      nsIp6Target: [],
    });
  });

  it('tells "no active aggregator" from an active one and from silence', () => {
    expect(parse(['bond bond0 has no active aggregator']).bond).toMatchObject({ hasActiveAggregator: false, activeAggregator: undefined });
    expect(parse(['802.3ad info', 'LACP rate: slow']).bond.hasActiveAggregator).toBeUndefined();
    expect(
      parse(['Active Aggregator Info:', '\tAggregator ID: 3', '\tNumber of ports: 2', '\tActor Key: 9', '\tPartner Key: 1', '\tPartner Mac Address: 00:00:00:00:00:00'])
        .bond.activeAggregator,
    ).toEqual({ aggregatorId: 3, numPorts: 2, actorKey: 9, partnerKey: 1, partnerMacAddress: '00:00:00:00:00:00' });
  });

  it('keeps the LACP PDU blocks apart from the slave lines after them', () => {
    const { bond } = parse([
      'Slave Interface: eth4',
      'details actor lacp pdu:',
      '    system priority: 100',
      '    port key: 15',
      '    port state: 61',
      'details partner lacp pdu:',
      '    oper key: 7',
      '    port state: 1',
      'MII Status: down',
    ]);
    expect(bond.slaves[0]).toMatchObject({
      miiStatus: 'down',
      actorLacpPdu: { systemPriority: 100, portKey: 15, portState: 61, portNumber: undefined },
      partnerLacpPdu: { portKey: 7, portState: 1 },
    });
  });

  it('warns with the line number on malformed lines and values, skips unknown keys', () => {
    const { bond, warnings } = parse([
      'Ethernet Channel Bonding Driver: v6.1.0',
      'Some Future Line: 42',
      'MII Polling Interval (ms): soon',
      'garbage without a colon',
      'Up Delay (ms): 200',
    ]);
    expect(warnings).toEqual([
      { file: FILE, line: 3, message: 'not an integer: "soon"' },
      { file: FILE, line: 4, message: 'unrecognised line: "garbage without a colon"' },
    ]);
    expect(bond).toMatchObject({ driverVersion: '6.1.0', miimon: undefined, updelay: 200 });
  });

  it('never throws on arbitrary text, and every warning names the file and a line inside it', () => {
    const kernelish = fc.constantFrom(
      'Slave Interface: eth0',
      'MII Status: up',
      'details actor lacp pdu:',
      '    port state: 300',
      'Active Aggregator Info:',
      '\tAggregator ID: x',
      'Speed: 10 Mbps',
      'Bonding Mode: ??',
      'Primary Slave: a b c',
      '',
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.array(fc.oneof(kernelish, fc.string({ maxLength: 40 })), { maxLength: 40 }).map((l) => l.join('\n')),
    );
    fc.assert(
      fc.property(text, (t) => {
        const { bond, warnings } = parseProcBonding(t, FILE);
        const lines = t.split('\n').length;
        for (const w of warnings) {
          expect(w.file).toBe(FILE);
          expect(w.line).toBeGreaterThanOrEqual(1);
          expect(w.line).toBeLessThanOrEqual(lines);
        }
        expect(Array.isArray(bond.slaves)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
