/**
 * Pure parsers for single sysfs attribute files. Each takes the file's whole text; an empty
 * file (the kernel's way of saying "nothing to show", or hiding it from the unprivileged) is
 * `undefined` without complaint, anything else that does not fit is rejected with a reason.
 */
import { BOND_MODES, type BondMiiStatus, type BondMode, type SlaveMiiStatus, type SlaveState } from './types.js';
import { parsed, quote, rejected, type Parsed } from './parse-result.js';

/** The attribute's value without the trailing newline; `undefined` when empty. */
export function attributeText(raw: string): string | undefined {
  const text = raw.replace(/\n+$/, '').trim();
  return text === '' ? undefined : text;
}

const INTEGER = /^-?\d+$/;

export function parseInteger(raw: string): Parsed<number> {
  const text = attributeText(raw);
  if (text === undefined) return parsed(undefined);
  if (!INTEGER.test(text)) return rejected(`not an integer: ${quote(text)}`);
  const n = Number(text);
  return Number.isSafeInteger(n) ? parsed(n) : rejected(`integer out of range: ${quote(text)}`);
}

/** Non-negative integer (counters, ids, indexes). */
export function parseCount(raw: string): Parsed<number> {
  const r = parseInteger(raw);
  if (r.ok && r.value !== undefined && r.value < 0) return rejected(`negative: ${r.value}`);
  return r;
}

/** `speed`: the kernel prints SPEED_UNKNOWN as -1 (older kernels: 65535 or 4294967295). */
export function parseSpeed(raw: string): Parsed<number> {
  const r = parseInteger(raw);
  if (!r.ok || r.value === undefined) return r;
  return r.value < 0 || r.value === 65535 || r.value === 4294967295 ? parsed(undefined) : r;
}

export function parseFlag(raw: string): Parsed<boolean> {
  const text = attributeText(raw);
  if (text === undefined) return parsed(undefined);
  if (text === '1') return parsed(true);
  if (text === '0') return parsed(false);
  return rejected(`not 0 or 1: ${quote(text)}`);
}

/** A plain word or name (`operstate`, `primary`, `active_slave`, `ifalias`). */
export function parseWord(raw: string): Parsed<string> {
  return parsed(attributeText(raw));
}

const NAMED = /^(\S+)(?: (\d+))?$/;

/** Enumerated attributes print "name number" (`layer3+4 1`, `fast 1`); the name is the kernel's word. */
export function parseNamed(raw: string): Parsed<string> {
  const text = attributeText(raw);
  if (text === undefined) return parsed(undefined);
  const m = NAMED.exec(text);
  return m ? parsed(m[1]) : rejected(`not "name value": ${quote(text)}`);
}

export function isBondMode(name: string): name is BondMode {
  return (BOND_MODES as readonly string[]).includes(name);
}

/** `mode`: "802.3ad 4" -> '802.3ad'. */
export function parseMode(raw: string): Parsed<BondMode> {
  const r = parseNamed(raw);
  if (!r.ok || r.value === undefined) return r as Parsed<BondMode>;
  return isBondMode(r.value) ? parsed(r.value) : rejected(`unknown bonding mode: ${quote(r.value)}`);
}

const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2})+$/i;

export function parseMac(raw: string): Parsed<string> {
  const text = attributeText(raw);
  if (text === undefined) return parsed(undefined);
  return MAC.test(text) ? parsed(text.toLowerCase()) : rejected(`not a hardware address: ${quote(text)}`);
}

/** The kernel's dev_valid_name(): 1-15 bytes, no '/', ':', whitespace or control characters, not . or .. */
const IFNAME = /^(?!\.{1,2}$)[^\s/:\x00-\x1f\x7f]{1,15}$/;

export function isInterfaceName(name: string): boolean {
  return IFNAME.test(name);
}

/** Whitespace-separated interface names (`slaves`, `bonding_masters`). */
export function parseNameList(raw: string): Parsed<readonly string[]> {
  const text = attributeText(raw);
  if (text === undefined) return parsed([]);
  const names = text.split(/\s+/);
  const bad = names.find((n) => !IFNAME.test(n));
  return bad === undefined ? parsed(names) : rejected(`not an interface name: ${quote(bad)}`);
}

/** Whitespace-separated addresses (`arp_ip_target`, `ns_ip6_target`); an empty file is no targets. */
export function parseAddressList(raw: string): Parsed<readonly string[]> {
  const text = attributeText(raw);
  if (text === undefined) return parsed([]);
  const items = text.split(/[\s,]+/).filter((s) => s !== '');
  const bad = items.find((a) => !/^[0-9a-f.:]+$/i.test(a));
  return bad === undefined ? parsed(items) : rejected(`not an address: ${quote(bad)}`);
}

/** Bond `queue_id`: "eth4:0 eth5:0" -> eth4 => 0, eth5 => 0. */
export function parseQueueIds(raw: string): Parsed<ReadonlyMap<string, number>> {
  const text = attributeText(raw);
  const ids = new Map<string, number>();
  if (text === undefined) return parsed(ids);
  for (const item of text.split(/\s+/)) {
    const m = /^(.+):(\d+)$/.exec(item);
    if (!m || m[1] === undefined || m[2] === undefined) return rejected(`not "slave:queue": ${quote(item)}`);
    ids.set(m[1], Number(m[2]));
  }
  return parsed(ids);
}

const SLAVE_MII: readonly SlaveMiiStatus[] = ['up', 'down', 'going down', 'going back'];

export function parseSlaveMiiStatus(raw: string): Parsed<SlaveMiiStatus> {
  const text = attributeText(raw);
  if (text === undefined) return parsed(undefined);
  const found = SLAVE_MII.find((s) => s === text);
  return found ? parsed(found) : rejected(`unknown MII status: ${quote(text)}`);
}

export function parseBondMiiStatus(raw: string): Parsed<BondMiiStatus> {
  const text = attributeText(raw);
  if (text === undefined) return parsed(undefined);
  return text === 'up' || text === 'down' ? parsed(text) : rejected(`unknown MII status: ${quote(text)}`);
}

export function parseSlaveState(raw: string): Parsed<SlaveState> {
  const text = attributeText(raw);
  if (text === undefined) return parsed(undefined);
  return text === 'active' || text === 'backup' ? parsed(text) : rejected(`unknown slave state: ${quote(text)}`);
}

/** `ad_aggregator_id` and friends print `N/A` when not in 802.3ad mode (or no aggregator yet). */
export function parseOptionalCount(raw: string): Parsed<number> {
  const text = attributeText(raw);
  if (text === 'N/A') return parsed(undefined);
  return parseCount(raw);
}

/** `ad_actor_oper_port_state`: the LACP port state octet, `N/A` outside 802.3ad. */
export function parsePortState(raw: string): Parsed<number> {
  const r = parseOptionalCount(raw);
  if (r.ok && r.value !== undefined && r.value > 255) return rejected(`port state out of range: ${r.value}`);
  return r;
}

/** The bits of an LACP port state octet (IEEE 802.1AX actor/partner state). */
export interface LacpPortState {
  readonly lacpActivity: boolean;
  readonly lacpTimeout: boolean;
  readonly aggregation: boolean;
  readonly synchronization: boolean;
  readonly collecting: boolean;
  readonly distributing: boolean;
  readonly defaulted: boolean;
  readonly expired: boolean;
}

export function decodeLacpPortState(state: number): LacpPortState {
  const bit = (n: number): boolean => (state & (1 << n)) !== 0;
  return {
    lacpActivity: bit(0),
    lacpTimeout: bit(1),
    aggregation: bit(2),
    synchronization: bit(3),
    collecting: bit(4),
    distributing: bit(5),
    defaulted: bit(6),
    expired: bit(7),
  };
}
