/**
 * The kernel's values, parsed once for both of its sources: a sysfs
 * attribute file's whole text (trailing newline included) and the value of a
 * `Key: value` line of /proc/net/bonding/<bond> take the same parser. Each is
 * pure and never throws: empty text (the kernel's way of saying "nothing to
 * show", or of hiding it from the unprivileged) is `undefined` without
 * complaint; anything else that does not fit is rejected with a reason.
 */
import { BOND_MODES, type BondMiiStatus, type BondMode, type SlaveMiiStatus, type SlaveState } from './types.js';
import { parsed, quote, rejected, type Parsed } from './parse-result.js';

/** The value without surrounding white space and the trailing newline; `undefined` when empty. */
export function valueText(raw: string): string | undefined {
  const text = raw.trim();
  return text === '' ? undefined : text;
}

/** A parser of non-empty text, lifted to one of raw text where empty is `undefined`. */
const nonEmpty =
  <T>(parse: (text: string) => Parsed<T>) =>
  (raw: string): Parsed<T> => {
    const text = valueText(raw);
    return text === undefined ? parsed(undefined) : parse(text);
  };

const INTEGER = /^-?\d+$/;

export const parseInteger = nonEmpty((text): Parsed<number> => {
  if (!INTEGER.test(text)) return rejected(`not an integer: ${quote(text)}`);
  const n = Number(text);
  return Number.isSafeInteger(n) ? parsed(n) : rejected(`integer out of range: ${quote(text)}`);
});

/** Non-negative integer (counters, ids, indexes, delays). */
export function parseCount(raw: string): Parsed<number> {
  const r = parseInteger(raw);
  if (r.ok && r.value !== undefined && r.value < 0) return rejected(`negative: ${r.value}`);
  return r;
}

/** A count, or `N/A` (802.3ad fields outside 802.3ad, or no aggregator yet). */
export function parseOptionalCount(raw: string): Parsed<number> {
  return valueText(raw) === 'N/A' ? parsed(undefined) : parseCount(raw);
}

/** The LACP port state octet (sysfs `ad_*_oper_port_state`, procfs `port state`); `N/A` outside 802.3ad. */
export function parsePortState(raw: string): Parsed<number> {
  const r = parseOptionalCount(raw);
  if (r.ok && r.value !== undefined && r.value > 255) return rejected(`port state out of range: ${r.value}`);
  return r;
}

/**
 * A link speed in Mb/s: sysfs `speed` ("10000") or procfs `Speed` ("10000 Mbps").
 * SPEED_UNKNOWN is -1 (older kernels: 65535 or 4294967295) and procfs says
 * `Unknown`: all `undefined`.
 */
export const parseSpeed = nonEmpty((text): Parsed<number> => {
  if (text === 'Unknown') return parsed(undefined);
  const m = /^(-?\d+)(?: Mbps)?$/.exec(text);
  if (!m?.[1]) return rejected(`not a speed in Mb/s: ${quote(text)}`);
  const r = parseInteger(m[1]);
  if (!r.ok || r.value === undefined) return r;
  return r.value < 0 || r.value === 65535 || r.value === 4294967295 ? parsed(undefined) : r;
});

export const parseFlag = nonEmpty((text): Parsed<boolean> => {
  if (text === '1') return parsed(true);
  if (text === '0') return parsed(false);
  return rejected(`not 0 or 1: ${quote(text)}`);
});

/** `on` / `off` (procfs `LACP active`). */
export const parseOnOff = nonEmpty((text): Parsed<string> =>
  text === 'on' || text === 'off' ? parsed(text) : rejected(`not on/off: ${quote(text)}`),
);

/** Free text as the kernel printed it (`operstate`, `ifalias`, `primary`, `active_slave`). */
export function parseString(raw: string): Parsed<string> {
  return parsed(valueText(raw));
}

/** One word (procfs `Duplex`, `Slave Interface`, churn states). */
export const parseWord = nonEmpty((text): Parsed<string> =>
  /^\S+$/.test(text) ? parsed(text) : rejected(`not a single word: ${quote(text)}`),
);

/** procfs prints `None` for no slave (`Primary Slave`, `Currently Active Slave`). */
export const parseSlaveOrNone = nonEmpty((text): Parsed<string> => (text === 'None' ? parsed(undefined) : parseWord(text)));

/**
 * Enumerated settings: sysfs prints "name number" (`layer3+4 1`, `fast 1`),
 * procfs "name (number)" (`layer3+4 (1)`) or the bare name; the kernel's name is kept.
 */
export const parseNamed = nonEmpty((text): Parsed<string> => {
  const m = /^(\S+)(?: (?:\d+|\(\d+\)))?$/.exec(text);
  return m?.[1] ? parsed(m[1]) : rejected(`not "name value": ${quote(text)}`);
});

export function isBondMode(name: string): name is BondMode {
  return (BOND_MODES as readonly string[]).includes(name);
}

/** sysfs `mode`: "802.3ad 4" -> '802.3ad'. */
export function parseMode(raw: string): Parsed<BondMode> {
  const r = parseNamed(raw);
  if (!r.ok || r.value === undefined) return r as Parsed<BondMode>;
  return isBondMode(r.value) ? parsed(r.value) : rejected(`unknown bonding mode: ${quote(r.value)}`);
}

/** How procfs's `Bonding Mode` line names each mode (bond_mode_name() in the driver). */
const MODE_DESCRIPTIONS: ReadonlyMap<string, BondMode> = new Map([
  ['load balancing (round-robin)', 'balance-rr'],
  ['fault-tolerance (active-backup)', 'active-backup'],
  ['load balancing (xor)', 'balance-xor'],
  ['fault-tolerance (broadcast)', 'broadcast'],
  ['IEEE 802.3ad Dynamic link aggregation', '802.3ad'],
  ['transmit load balancing', 'balance-tlb'],
  ['adaptive load balancing', 'balance-alb'],
]);

/** procfs `Bonding Mode`: "fault-tolerance (active-backup) (fail_over_mac active)" -> mode and fail_over_mac. */
export const parseModeDescription = nonEmpty((text): Parsed<{ readonly mode: BondMode; readonly failOverMac: string | undefined }> => {
  const m = /^(.*?)(?: \(fail_over_mac (\S+)\))?$/.exec(text);
  const mode = m?.[1] === undefined ? undefined : MODE_DESCRIPTIONS.get(m[1]);
  // fail_over_mac is printed only when it is not "none"; its absence is not proof (old kernels lack it).
  return mode === undefined ? rejected(`unknown bonding mode: ${quote(text)}`) : parsed({ mode, failOverMac: m?.[2] });
});

const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2})+$/i;

/** A hardware address, lower-cased: `4a:ce:89:7d:91:c1`. */
export const parseMac = nonEmpty((text): Parsed<string> =>
  MAC.test(text) ? parsed(text.toLowerCase()) : rejected(`not a hardware address: ${quote(text)}`),
);

/** The octets of a hardware address as the reader gives it (see parseMac); `undefined` for anything else. */
export function macOctets(mac: string): Uint8Array | undefined {
  // By hand: every view build turns hundreds of addresses into octets.
  if ((mac.length + 1) % 3 !== 0 || mac.length < 5) return undefined;
  const octets = new Uint8Array((mac.length + 1) / 3);
  for (let i = 0; i < octets.length; i++) {
    const high = hexDigit(mac.charCodeAt(i * 3));
    const low = hexDigit(mac.charCodeAt(i * 3 + 1));
    if (high < 0 || low < 0 || (i + 1 < octets.length && mac.charCodeAt(i * 3 + 2) !== 0x3a)) return undefined;
    octets[i] = (high << 4) | low;
  }
  return octets;
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** The kernel's dev_valid_name(): 1-15 bytes, no '/', ':', whitespace or control characters, not . or .. */
const IFNAME = /^(?!\.{1,2}$)[^\s/:\x00-\x1f\x7f]{1,15}$/;

export function isInterfaceName(name: string): boolean {
  return IFNAME.test(name);
}

/** Whitespace-separated interface names (`slaves`, `bonding_masters`); empty is none. */
export function parseNameList(raw: string): Parsed<readonly string[]> {
  const text = valueText(raw);
  if (text === undefined) return parsed([]);
  const names = text.split(/\s+/);
  const bad = names.find((n) => !IFNAME.test(n));
  return bad === undefined ? parsed(names) : rejected(`not an interface name: ${quote(bad)}`);
}

/** ARP/NS targets: sysfs separates them with spaces, procfs with commas; empty is no targets. */
export function parseAddressList(raw: string): Parsed<readonly string[]> {
  const text = valueText(raw);
  if (text === undefined) return parsed([]);
  const items = text.split(/[\s,]+/).filter((s) => s !== '');
  const bad = items.find((a) => !/^[0-9a-f.:]+$/i.test(a));
  return bad === undefined ? parsed(items) : rejected(`not an address: ${quote(bad)}`);
}

/** Bond `queue_id`: "eth4:0 eth5:0" -> eth4 => 0, eth5 => 0. */
export function parseQueueIds(raw: string): Parsed<ReadonlyMap<string, number>> {
  const text = valueText(raw);
  const ids = new Map<string, number>();
  if (text === undefined) return parsed(ids);
  for (const item of text.split(/\s+/)) {
    const m = /^(.+):(\d+)$/.exec(item);
    if (!m || m[1] === undefined || m[2] === undefined) return rejected(`not "slave:queue": ${quote(item)}`);
    ids.set(m[1], Number(m[2]));
  }
  return parsed(ids);
}

const oneOf =
  <T extends string>(words: readonly T[], what: string) =>
  (raw: string): Parsed<T> => {
    const text = valueText(raw);
    if (text === undefined) return parsed(undefined);
    const found = words.find((w) => w === text);
    return found !== undefined ? parsed(found) : rejected(`unknown ${what}: ${quote(text)}`);
  };

export const parseSlaveMiiStatus = oneOf<SlaveMiiStatus>(['up', 'down', 'going down', 'going back'], 'MII status');
export const parseBondMiiStatus = oneOf<BondMiiStatus>(['up', 'down'], 'MII status');
export const parseSlaveState = oneOf<SlaveState>(['active', 'backup'], 'slave state');
/** procfs `LACP rate`. */
export const parseLacpRate = oneOf(['fast', 'slow'], 'LACP rate');

/**
 * A bond's active aggregator as procfs and sysfs tell it together (the full
 * reader and the check's brief one): procfs's "Active Aggregator Info" ID,
 * or its outright "no active aggregator"; where procfs said neither (it hides
 * the aggregator from a reader without CAP_NET_ADMIN), sysfs's
 * `ad_aggregator`, which prints 0 for none.
 */
export function activeAggregator(
  procfsHasOne: boolean | undefined,
  fromProcfs: number | undefined,
  fromSysfs: number | undefined,
): { readonly adAggregator: number | undefined; readonly hasActiveAggregator: boolean | undefined } {
  const id = fromProcfs ?? fromSysfs;
  if (procfsHasOne === false || (fromProcfs === undefined && id === 0)) return { adAggregator: undefined, hasActiveAggregator: false };
  return { adAggregator: id, hasActiveAggregator: procfsHasOne ?? (id !== undefined ? true : undefined) };
}
