import { describe, expect, it } from 'vitest';
import { counter32, integer32, lacpPortStateValue, linkStatusValue, macAddressValue, truthValue } from '../../src/bond-mib/encodings.js';
import { snmp } from '../../src/snmp/index.js';

/** The LacpPortState BITS of the MIB: bit n of the kernel's byte is bit n of BITS, counted from the octet's top. */
const BITS = ['lacpActivity', 'lacpTimeout', 'aggregation', 'synchronization', 'collecting', 'distributing', 'defaulted', 'expired'];
function bitsSet(value: ReturnType<typeof lacpPortStateValue>): string[] {
  if (value?.type !== 'OctetString') throw new Error('not an octet string');
  const octet = value.value[0]!;
  return BITS.filter((_, n) => (octet & (0x80 >> n)) !== 0);
}

describe('LINUX-BONDING-MIB encodings', () => {
  it('LACP port state: the kernel byte 61 is activity, aggregation, synchronization, collecting, distributing (octet 0xBC)', () => {
    expect(lacpPortStateValue(61)).toEqual(snmp.octetString(Uint8Array.of(0xbc)));
    expect(bitsSet(lacpPortStateValue(61))).toEqual(['lacpActivity', 'aggregation', 'synchronization', 'collecting', 'distributing']);
    expect(bitsSet(lacpPortStateValue(55))).not.toContain('synchronization');
    expect(lacpPortStateValue(256)).toBeUndefined();
    expect(lacpPortStateValue(undefined)).toBeUndefined();
  });

  it('MacAddress is exactly six octets; anything else is absent', () => {
    expect(macAddressValue('4a:ce:89:7d:91:c1')).toEqual(snmp.octetString(Uint8Array.of(0x4a, 0xce, 0x89, 0x7d, 0x91, 0xc1)));
    expect(macAddressValue('80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:01:02:03')).toBeUndefined();
    expect(macAddressValue('garbage')).toBeUndefined();
  });

  it('numbers stay in their syntax: Counter32 wraps, Integer32 out of range is absent', () => {
    expect(counter32(2 ** 32 + 5)).toEqual(snmp.counter32(5));
    expect(integer32(2 ** 31)).toBeUndefined();
    expect(truthValue(false)).toEqual(snmp.integer(2));
    expect(linkStatusValue('going back')).toEqual(snmp.integer(4));
  });
});
