import { describe, expect, it } from 'vitest';
import {
  activeAggregator,
  macOctets,
  parseAddressList,
  parseBondMiiStatus,
  parseCount,
  parseFlag,
  parseMac,
  parseMode,
  parseModeDescription,
  parseNamed,
  parseNameList,
  parseOnOff,
  parseOptionalCount,
  parsePortState,
  parseQueueIds,
  parseSlaveMiiStatus,
  parseSlaveOrNone,
  parseSpeed,
  parseString,
  parseWord,
} from '../../src/bonding/values.js';

const value = <T>(r: { ok: boolean; value?: T; problem?: string }) => (r.ok ? r.value : `rejected: ${r.problem}`);

// Each parser reads both of the kernel's sources: a sysfs attribute's whole
// text (newline included) and the value of a /proc/net/bonding line, as a real
// 6.1 kernel printed them (test/fixtures/kernel-6.1-debian) or older kernels did.
describe('the kernel value parsers', () => {
  it('take the kernel name of enumerated settings, from sysfs and from procfs', () => {
    expect(value(parseMode('802.3ad 4\n'))).toBe('802.3ad');
    expect(value(parseMode('balance-alb 6\n'))).toBe('balance-alb');
    expect(value(parseMode('turbo 9\n'))).toMatch(/^rejected: unknown bonding mode/);
    expect(value(parseNamed('layer3+4 1\n'))).toBe('layer3+4');
    expect(value(parseNamed('fast 1\n'))).toBe('fast');
    expect(value(parseNamed('\n'))).toBeUndefined();
    // procfs: `Transmit Hash Policy: layer3+4 (1)`, `Aggregator selection policy (ad_select): bandwidth`
    expect(value(parseNamed('layer3+4 (1)'))).toBe('layer3+4');
    expect(value(parseNamed('bandwidth'))).toBe('bandwidth');
    expect(value(parseNamed('layer3+4 (1'))).toMatch(/^rejected/);
  });

  it('read procfs mode lines, with the fail_over_mac that follows them', () => {
    expect(value(parseModeDescription('IEEE 802.3ad Dynamic link aggregation'))).toEqual({ mode: '802.3ad', failOverMac: undefined });
    expect(value(parseModeDescription('fault-tolerance (active-backup) (fail_over_mac active)'))).toEqual({
      mode: 'active-backup',
      failOverMac: 'active',
    });
    expect(value(parseModeDescription('load balancing (round-robin)'))).toEqual({ mode: 'balance-rr', failOverMac: undefined });
    expect(value(parseModeDescription('warp drive'))).toMatch(/^rejected: unknown bonding mode/);
  });

  it('read queue ids, speeds, port states and MII words', () => {
    expect(value(parseQueueIds('eth4:0 eth5:2\n'))).toEqual(new Map([['eth4', 0], ['eth5', 2]]));
    expect(value(parseSpeed('-1\n'))).toBeUndefined();
    expect(value(parseSpeed('4294967295\n'))).toBeUndefined();
    expect(value(parseSpeed('25000\n'))).toBe(25000);
    expect(value(parsePortState('N/A\n'))).toBeUndefined();
    expect(value(parsePortState('61\n'))).toBe(61);
    expect(value(parsePortState('256\n'))).toMatch(/^rejected/);
    expect(value(parseSlaveMiiStatus('going back\n'))).toBe('going back');
  });

  it('read procfs speeds: "N Mbps", and Unknown or SPEED_UNKNOWN as nothing', () => {
    expect(value(parseSpeed('10000 Mbps'))).toBe(10000);
    expect(value(parseSpeed('Unknown'))).toBeUndefined();
    expect(value(parseSpeed('-1 Mbps'))).toBeUndefined();
    expect(value(parseSpeed('65535 Mbps'))).toBeUndefined();
    expect(value(parseSpeed('fast'))).toMatch(/^rejected: not a speed/);
  });

  it('read counts, optional counts and flags; empty is nothing, garbage is rejected', () => {
    expect(value(parseCount('200\n'))).toBe(200);
    expect(value(parseCount('-3\n'))).toMatch(/^rejected: negative/);
    expect(value(parseCount('12abc'))).toMatch(/^rejected: not an integer/);
    expect(value(parseCount('99999999999999999999'))).toMatch(/^rejected: integer out of range/);
    expect(value(parseCount(''))).toBeUndefined();
    expect(value(parseOptionalCount('N/A'))).toBeUndefined();
    expect(value(parseOptionalCount('2'))).toBe(2);
    expect(value(parseFlag('1\n'))).toBe(true);
    expect(value(parseFlag('0\n'))).toBe(false);
    expect(value(parseFlag('yes\n'))).toMatch(/^rejected/);
    expect(value(parseOnOff('on'))).toBe('on');
    expect(value(parseOnOff('maybe'))).toMatch(/^rejected/);
  });

  it('read hardware addresses, lower-cased, and their octets', () => {
    expect(value(parseMac('4A:CE:89:7D:91:C1\n'))).toBe('4a:ce:89:7d:91:c1');
    expect(value(parseMac('not:a:mac'))).toMatch(/^rejected: not a hardware address/);
    expect(macOctets('4a:ce:89:7d:91:c1')).toEqual(Uint8Array.of(0x4a, 0xce, 0x89, 0x7d, 0x91, 0xc1));
    expect(macOctets('4a:ce')).toEqual(Uint8Array.of(0x4a, 0xce));
    expect(macOctets('garbage')).toBeUndefined();
    expect(macOctets('4A:CE:89:7D:91:C1')).toEqual(Uint8Array.of(0x4a, 0xce, 0x89, 0x7d, 0x91, 0xc1));
    // 20 octets: an InfiniBand address.
    expect(macOctets(Array.from({ length: 20 }, (_, i) => (i * 13).toString(16).padStart(2, '0')).join(':'))).toEqual(
      Uint8Array.from({ length: 20 }, (_, i) => i * 13),
    );
    for (const bad of ['', '4a', '4a:', ':4a:ce', '4a:ce:', '4a-ce', '4a:cg', 'g4:ce', '4a:ce:8', '4a::ce', '4a:ce:89:7d:91:c1 ']) {
      expect(macOctets(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('read names, words, slave names and address lists', () => {
    expect(value(parseNameList('bond0 bond1\n'))).toEqual(['bond0', 'bond1']);
    expect(value(parseNameList('\n'))).toEqual([]);
    expect(value(parseNameList('bond0 a/b\n'))).toMatch(/^rejected: not an interface name/);
    expect(value(parseWord('full'))).toBe('full');
    expect(value(parseWord('two words'))).toMatch(/^rejected: not a single word/);
    expect(value(parseString('uplink to core 1\n'))).toBe('uplink to core 1');
    expect(value(parseSlaveOrNone('None'))).toBeUndefined();
    expect(value(parseSlaveOrNone('eth1'))).toBe('eth1');
    // sysfs separates ARP targets with spaces, procfs with commas.
    expect(value(parseAddressList('192.0.2.1 192.0.2.2\n'))).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(value(parseAddressList('192.0.2.1,192.0.2.2'))).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(value(parseAddressList('192.0.2.1,bogus!'))).toMatch(/^rejected: not an address/);
    expect(value(parseBondMiiStatus('going down'))).toMatch(/^rejected: unknown MII status/);
  });
});

describe('activeAggregator: procfs and sysfs together', () => {
  it('takes procfs where it spoke, sysfs where it did not, and 0 or "no active aggregator" as none', () => {
    expect(activeAggregator(true, 2, undefined)).toEqual({ adAggregator: 2, hasActiveAggregator: true });
    expect(activeAggregator(false, undefined, 3)).toEqual({ adAggregator: undefined, hasActiveAggregator: false });
    // procfs hid it (no CAP_NET_ADMIN): sysfs's ad_aggregator, 0 for none
    expect(activeAggregator(undefined, undefined, 1)).toEqual({ adAggregator: 1, hasActiveAggregator: true });
    expect(activeAggregator(undefined, undefined, 0)).toEqual({ adAggregator: undefined, hasActiveAggregator: false });
    // neither source said anything
    expect(activeAggregator(undefined, undefined, undefined)).toEqual({ adAggregator: undefined, hasActiveAggregator: undefined });
  });
});
