import { BOND_MODES, macOctets, type BondMode, type SlaveMiiStatus, type SlaveState } from '../bonding/index.js';
import { snmp, type SnmpValue } from '../snmp/index.js';

/**
 * Kernel words -> LINUX-BONDING-MIB values. Every function returns undefined
 * for what the kernel did not say (or said in a way the MIB has no value for),
 * so the column is absent rather than made up.
 */

const integerOf =
  (table: Readonly<Record<string, number>>) =>
  (word: string | undefined): SnmpValue | undefined => {
    if (word === undefined) return undefined;
    const n = table[word];
    return n === undefined ? undefined : snmp.integer(n);
  };

/** Kernel numbering: balance-rr(0) ... balance-alb(6). */
export const bondModeValue = (mode: BondMode | undefined): SnmpValue | undefined =>
  mode === undefined ? undefined : snmp.integer(BOND_MODES.indexOf(mode));

/** BondLinkStatus. */
export const linkStatusValue = integerOf({ up: 1, down: 2, 'going down': 3, 'going back': 4 } satisfies Record<
  SlaveMiiStatus,
  number
>);
export const slaveStateValue = integerOf({ active: 1, backup: 2 } satisfies Record<SlaveState, number>);
export const primaryReselectValue = integerOf({ always: 0, better: 1, failure: 2 });
export const arpValidateValue = integerOf({
  none: 0,
  active: 1,
  backup: 2,
  all: 3,
  filter: 4,
  filter_active: 5,
  filter_backup: 6,
});
export const arpAllTargetsValue = integerOf({ any: 0, all: 1 });
export const failOverMacValue = integerOf({ none: 0, active: 1, follow: 2 });
export const xmitHashPolicyValue = integerOf({
  layer2: 0,
  'layer3+4': 1,
  'layer2+3': 2,
  'encap2+3': 3,
  'encap3+4': 4,
  'vlan+srcmac': 5,
});
export const lacpRateValue = integerOf({ slow: 0, fast: 1 });
export const adSelectValue = integerOf({ stable: 0, bandwidth: 1, count: 2 });
export const duplexValue = integerOf({ half: 1, full: 2 });
export const churnStateValue = integerOf({ monitoring: 1, churned: 2, none: 3 });
/** lacp_active is "on"/"off" in sysfs. */
export const lacpActiveValue = (word: string | undefined): SnmpValue | undefined =>
  word === 'on' ? truthValue(true) : word === 'off' ? truthValue(false) : undefined;

/** SNMPv2-TC TruthValue: true(1), false(2). */
export const truthValue = (b: boolean | undefined): SnmpValue | undefined =>
  b === undefined ? undefined : snmp.integer(b ? 1 : 2);

export const integer32 = (n: number | undefined): SnmpValue | undefined =>
  n === undefined || !Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff ? undefined : snmp.integer(n);

const unsigned32 =
  (make: (n: number) => SnmpValue) =>
  (n: number | undefined): SnmpValue | undefined =>
    n === undefined || !Number.isInteger(n) || n < 0 || n > 0xffffffff ? undefined : make(n);

export const gauge32 = unsigned32(snmp.gauge32);
/** Counters wrap at 2^32 as SMIv2 counters do. */
export const counter32 = (n: number | undefined): SnmpValue | undefined =>
  n === undefined || !Number.isInteger(n) || n < 0 ? undefined : snmp.counter32(n % 0x1_0000_0000);
export const timeTicks = unsigned32(snmp.timeTicks);

export const displayString = (s: string | undefined): SnmpValue | undefined =>
  s === undefined ? undefined : snmp.octetString(s);

/** SNMPv2-TC MacAddress: exactly six octets; anything else (e.g. a 20-byte InfiniBand address) is absent. */
export function macAddressValue(text: string | undefined): SnmpValue | undefined {
  const octets = text === undefined ? undefined : macOctets(text);
  return octets?.length === 6 ? snmp.octetString(octets) : undefined;
}

/**
 * LacpPortState BITS: the kernel's bit 0 (LACP_STATE_LACP_ACTIVITY, 0x01) is
 * the BITS' bit 0, which SMIv2 puts in the most significant bit of the first
 * octet; so the octet is the kernel's byte with its bits reversed.
 */
export function lacpPortStateValue(state: number | undefined): SnmpValue | undefined {
  if (state === undefined || !Number.isInteger(state) || state < 0 || state > 0xff) return undefined;
  let reversed = 0;
  for (let bit = 0; bit < 8; bit++) if (state & (1 << bit)) reversed |= 0x80 >> bit;
  return snmp.octetString(Uint8Array.of(reversed));
}
