import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { AUTH_PROTOCOLS, PRIV_PROTOCOLS, type AuthProtocol, type PrivProtocol } from '../snmp/index.js';
import { parseUdpAddress, type UdpAddress } from './udp-address.js';

export { AUTH_PROTOCOLS, PRIV_PROTOCOLS, type AuthProtocol, type PrivProtocol };

/** An SNMPv3 USM user; read-only like every other credential. */
export interface V3User {
  readonly name: string;
  /** Absent: noAuthNoPriv. */
  readonly authProtocol?: AuthProtocol;
  readonly authKey?: string;
  /** Absent: no privacy (authNoPriv). */
  readonly privProtocol?: PrivProtocol;
  readonly privKey?: string;
}

/** Where notifications go: SNMPv2c with a community, or SNMPv3 as a configured user. */
export type TrapTarget =
  | { readonly address: UdpAddress; readonly community: string }
  | { readonly address: UdpAddress; readonly user: V3User };

export interface StandaloneSecurity {
  readonly communities: readonly string[];
  readonly users: readonly V3User[];
  readonly trapTargets: readonly TrapTarget[];
  /** The agent's snmpEngineID, hex; also the authoritative engine of its v3 notifications. */
  readonly engineId: string;
}

export class StandaloneConfigError extends Error {
  constructor(readonly source: string, reason: string) {
    super(`${source}: ${reason}`);
    this.name = 'StandaloneConfigError';
  }
}

/** The default snmpEngineID (RFC 3411, text format under Net-SNMP's enterprise): stable across restarts, so v3 receivers can know it. */
export function defaultEngineId(host: string = hostname()): string {
  const text = Buffer.from(`bonding-agentx@${host}`).subarray(0, 27);
  return `80001f8804${text.toString('hex')}`;
}

/** Net-SNMP refuses pass phrases shorter than 8 characters (RFC 3414 11.2 advises at least 8). */
const MIN_KEY_LENGTH = 8;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function text(source: string, where: string, x: unknown): string {
  if (typeof x !== 'string' || x === '') throw new StandaloneConfigError(source, `${where} must be a non-empty string`);
  return x;
}

function parseUser(source: string, where: string, x: unknown): V3User {
  if (!isObject(x)) throw new StandaloneConfigError(source, `${where} must be an object`);
  const name = text(source, `${where}.name`, x.name);
  const user: { -readonly [K in keyof V3User]: V3User[K] } = { name };
  if (x.authProtocol !== undefined || x.authKey !== undefined) {
    const p = String(x.authProtocol ?? '').toLowerCase();
    if (!(AUTH_PROTOCOLS as readonly string[]).includes(p)) {
      throw new StandaloneConfigError(source, `${where}.authProtocol must be one of ${AUTH_PROTOCOLS.join(', ')}`);
    }
    user.authProtocol = p as AuthProtocol;
    user.authKey = text(source, `${where}.authKey`, x.authKey);
    if (user.authKey.length < MIN_KEY_LENGTH) throw new StandaloneConfigError(source, `${where}.authKey must have at least ${MIN_KEY_LENGTH} characters`);
  }
  if (x.privProtocol !== undefined || x.privKey !== undefined) {
    if (user.authProtocol === undefined) throw new StandaloneConfigError(source, `${where}: privacy needs authentication (authProtocol, authKey)`);
    const p = String(x.privProtocol ?? '').toLowerCase();
    if (!(PRIV_PROTOCOLS as readonly string[]).includes(p)) {
      throw new StandaloneConfigError(source, `${where}.privProtocol must be one of ${PRIV_PROTOCOLS.join(', ')}`);
    }
    user.privProtocol = p as PrivProtocol;
    user.privKey = text(source, `${where}.privKey`, x.privKey);
    if (user.privKey.length < MIN_KEY_LENGTH) throw new StandaloneConfigError(source, `${where}.privKey must have at least ${MIN_KEY_LENGTH} characters`);
  }
  return user;
}

function address(source: string, where: string, x: unknown): UdpAddress {
  try {
    return parseUdpAddress(text(source, where, x), 162);
  } catch (err) {
    throw new StandaloneConfigError(source, `${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Reads the JSON configuration:
 * `{ "communities": [..], "users": [{ name, authProtocol, authKey, privProtocol, privKey }],
 *    "trapTargets": [{ "address": "udp:HOST:PORT", "community": ".." } | { "address": .., "user": "name" }],
 *    "engineId": "hex" }`.
 * Error messages name the field, never its value: values may be secrets.
 */
export function parseStandaloneConfig(json: string, source: string): StandaloneSecurity {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new StandaloneConfigError(source, `not JSON (${err instanceof Error ? err.message.replace(/ in JSON.*$/, '') : 'parse error'})`);
  }
  if (!isObject(raw)) throw new StandaloneConfigError(source, 'must hold a JSON object');
  const known = new Set(['communities', 'users', 'trapTargets', 'engineId']);
  for (const key of Object.keys(raw)) if (!known.has(key)) throw new StandaloneConfigError(source, `unknown key ${JSON.stringify(key)}`);
  const list = (key: string): unknown[] => {
    const v = raw[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new StandaloneConfigError(source, `${key} must be an array`);
    return v;
  };
  const communities = list('communities').map((c, i) => text(source, `communities[${i}]`, c));
  const users = list('users').map((u, i) => parseUser(source, `users[${i}]`, u));
  const names = new Set<string>();
  for (const u of users) {
    if (names.has(u.name)) throw new StandaloneConfigError(source, `user ${JSON.stringify(u.name)} is defined twice`);
    names.add(u.name);
  }
  const trapTargets = list('trapTargets').map((t, i): TrapTarget => {
    const where = `trapTargets[${i}]`;
    if (!isObject(t)) throw new StandaloneConfigError(source, `${where} must be an object`);
    const addr = address(source, `${where}.address`, t.address);
    if (t.user !== undefined) {
      const user = users.find((u) => u.name === t.user);
      if (user === undefined) throw new StandaloneConfigError(source, `${where}.user names no user in "users"`);
      return { address: addr, user };
    }
    return { address: addr, community: text(source, `${where}.community`, t.community) };
  });
  let engineId = defaultEngineId();
  if (raw.engineId !== undefined) {
    const id = text(source, 'engineId', raw.engineId).replace(/^0x/i, '');
    // RFC 3411: 5 to 32 octets.
    if (!/^([0-9a-f]{2}){5,32}$/i.test(id)) throw new StandaloneConfigError(source, 'engineId must be 5 to 32 bytes of hex');
    engineId = id.toLowerCase();
  }
  return { communities, users, trapTargets, engineId };
}

/** Reads and parses the config file; a file that cannot be read is a StandaloneConfigError naming it and the errno. */
export async function readStandaloneConfig(path: string): Promise<StandaloneSecurity> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new StandaloneConfigError(path, `cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseStandaloneConfig(text, path);
}
