/**
 * `bonding-agentx check` flags: one table (see flags.ts) from which both the
 * parser's configuration and --help are made, then the checks that turn the
 * parsed values into CheckOptions.
 */
import { isIP } from 'node:net';
import { DEFAULT_ROOTS, type Roots } from '../bonding/types.js';
import { LEVELS, RULE_LEVEL_DEFAULTS, type JudgeOptions, type Level, type RuleLevels } from '../check/judge.js';
import type { RemoteTarget, SnmpAuth } from '../check/target.js';
import { AUTH_PROTOCOLS, PRIV_PROTOCOLS } from '../snmp/usm.js';
import { booleanFlag, listFlag, parseFlags, stringFlag, UsageError, usage, type CommandSpec, type FlagSpec } from './flags.js';

export type { RemoteTarget, SnmpAuth };

export const DEFAULT_TIMEOUT_SECONDS = 10;
export const DEFAULT_SNMP_PORT = 161;

const LOCAL = 'Local (this host, the default)';
const REMOTE = 'Remote (SNMP v2c or v3, LINUX-BONDING-MIB only)';
const BONDS = 'Bonds';
const LEVELS_GROUP = `Levels (${LEVELS.join(', ')})`;
const OTHER = 'Other';

const level = (name: string, rule: keyof typeof RULE_LEVEL_DEFAULTS, what: string): FlagSpec => ({
  name,
  type: 'string',
  arg: 'LEVEL',
  help: `${what} (default ${RULE_LEVEL_DEFAULTS[rule]})`,
  group: LEVELS_GROUP,
});

export const CHECK: CommandSpec = {
  name: 'check',
  synopsis: `[--sysfs DIR --procfs DIR] [--state-file FILE]
       bonding-agentx check --host HOST[:PORT] (--community NAME | --v3-user NAME [--auth-protocol P --auth-key KEY
                            [--priv-protocol P --priv-key KEY]])
       [--bond NAME ...] [--exclude NAME ...] [--timeout SEC] [--verbose] [--slave-down LEVEL] ...`,
  description:
    'A monitoring plugin (Nagios, Icinga, NRPE, Checkmk): judges every bond of this host, or of a host whose agent serves ' +
    'LINUX-BONDING-MIB, and prints one line BONDING <STATE> - <summary> | <perfdata>, then one line per bond.\n\n' +
    'Verdicts, each bond on its own, the worst wins: CRITICAL when a bond is down (no usable slave) or has no slave; by default ' +
    'WARNING when a slave\'s MII status is not up, an active-backup bond is not on its primary, an 802.3ad slave is up but outside ' +
    'the active aggregator, a bond has one slave only, or (--state-file) a link failure count rose since the last run; OK otherwise, ' +
    'also with no bonds.',
  flags: [
    { name: 'sysfs', type: 'string', arg: 'DIR', help: `sysfs root to read (default ${DEFAULT_ROOTS.sysfs})`, group: LOCAL },
    { name: 'procfs', type: 'string', arg: 'DIR', help: `procfs root to read (default ${DEFAULT_ROOTS.procfs})`, group: LOCAL },
    { name: 'host', type: 'string', arg: 'HOST[:PORT]', help: `read the bonds over SNMP from this agent (port ${DEFAULT_SNMP_PORT}; [IPv6]:PORT)`, group: REMOTE },
    { name: 'community', type: 'string', arg: 'NAME', help: 'SNMPv2c community', group: REMOTE },
    { name: 'v3-user', type: 'string', arg: 'NAME', help: 'SNMPv3 user (noAuthNoPriv, authNoPriv or authPriv by the keys given)', group: REMOTE },
    { name: 'auth-protocol', type: 'string', arg: 'P', help: AUTH_PROTOCOLS.join(', '), group: REMOTE },
    { name: 'auth-key', type: 'string', arg: 'KEY', help: 'authentication pass phrase (8 characters or more)', group: REMOTE },
    { name: 'priv-protocol', type: 'string', arg: 'P', help: PRIV_PROTOCOLS.join(', '), group: REMOTE },
    { name: 'priv-key', type: 'string', arg: 'KEY', help: 'privacy pass phrase (8 characters or more)', group: REMOTE },
    { name: 'bond', type: 'string', multiple: true, arg: 'NAME', help: 'check only this bond (repeatable, or a comma-separated list); missing is CRITICAL', group: BONDS },
    { name: 'exclude', type: 'string', multiple: true, arg: 'NAME', help: 'leave this bond out (repeatable, or a comma-separated list)', group: BONDS },
    level('slave-down', 'slaveDown', 'a slave whose MII status is not up'),
    level('not-on-primary', 'notOnPrimary', 'active-backup: the active slave is not the primary'),
    level('agg-mismatch', 'aggMismatch', '802.3ad: an up slave outside the active aggregator'),
    level('single-slave', 'singleSlave', 'a bond with exactly one slave'),
    level('no-bonds', 'noBonds', 'no bond at all (or none left by --bond/--exclude)'),
    level('link-failures', 'linkFailures', "with --state-file: a slave's link failure count rose"),
    {
      name: 'state-file',
      type: 'string',
      arg: 'FILE',
      help: 'remember link failure counts here; a count that rose since the last run is reported (--link-failures)',
      group: OTHER,
    },
    { name: 'timeout', type: 'string', short: 't', arg: 'SEC', help: `give up (UNKNOWN) after SEC seconds (default ${DEFAULT_TIMEOUT_SECONDS})`, group: OTHER },
    { name: 'verbose', type: 'boolean', short: 'v', help: 'add what was read or walked, and how long it took', group: OTHER },
  ],
  footer:
    'Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (bad flag, unreadable root, SNMP timeout or error), as the Monitoring ' +
    'Plugins guidelines say.',
};

export const CHECK_USAGE = usage(CHECK);

const LEVEL_FLAGS: Readonly<Record<keyof RuleLevels, string>> = {
  slaveDown: 'slave-down',
  notOnPrimary: 'not-on-primary',
  aggMismatch: 'agg-mismatch',
  singleSlave: 'single-slave',
  noBonds: 'no-bonds',
  linkFailures: 'link-failures',
};

export interface CheckOptions {
  readonly source: { readonly kind: 'local'; readonly roots: Roots } | { readonly kind: 'remote'; readonly target: RemoteTarget };
  readonly judge: JudgeOptions;
  readonly timeoutMs: number;
  readonly verbose: boolean;
  readonly stateFile: string | undefined;
}

export type ParsedCheckArgs =
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'ok'; readonly options: CheckOptions };

/** `HOST`, `HOST:PORT`, `[IPv6]`, `[IPv6]:PORT`, a bare IPv6 literal; `udp:`/`udp6:` may prefix it. */
export function parseHost(text: string): Pick<RemoteTarget, 'host' | 'port' | 'transport'> {
  let rest = text.trim();
  let transport: 'udp4' | 'udp6' | undefined;
  const prefix = /^(udp6?):/i.exec(rest);
  if (prefix) {
    transport = prefix[1]!.toLowerCase() === 'udp6' ? 'udp6' : 'udp4';
    rest = rest.slice(prefix[0].length);
  }
  let host = rest;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (bracketed) [host, port] = [bracketed[1]!, bracketed[2]];
  else if (isIP(rest) !== 6 && rest.includes(':')) {
    const colon = rest.lastIndexOf(':');
    [host, port] = [rest.slice(0, colon), rest.slice(colon + 1)];
  }
  if (host === '' || /[\s/]/.test(host)) throw new UsageError(`--host ${JSON.stringify(text)}: no host name or address`);
  const portNumber = port === undefined ? DEFAULT_SNMP_PORT : /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(portNumber >= 1 && portNumber <= 65535)) throw new UsageError(`--host ${JSON.stringify(text)}: the port must be 1..65535`);
  const family = isIP(host);
  if (transport === 'udp4' && family === 6) throw new UsageError(`--host ${JSON.stringify(text)}: an IPv6 address needs udp6: or [brackets]`);
  if (transport === 'udp6' && family === 4) throw new UsageError(`--host ${JSON.stringify(text)}: an IPv4 address with udp6:`);
  return { host, port: portNumber, transport: transport ?? (family === 6 ? 'udp6' : 'udp4') };
}

function parseLevel(flag: string, value: string | undefined, fallback: Level): Level {
  if (value === undefined) return fallback;
  const word = value.toLowerCase();
  const found = LEVELS.find((l) => l === word || l.slice(0, 4) === word || (l === 'critical' && word === 'crit'));
  if (!found) throw new UsageError(`--${flag} ${JSON.stringify(value)}: must be one of ${LEVELS.join(', ')}`);
  return found;
}

function protocol<T extends string>(flag: string, value: string | undefined, known: readonly T[], aliases: Record<string, T>): T {
  if (value === undefined) throw new UsageError(`--${flag} is needed with its key (one of ${known.join(', ')})`);
  const word = value.toLowerCase().replace(/-/g, '');
  const found = known.find((k) => k === word) ?? aliases[word];
  if (!found) throw new UsageError(`--${flag} ${JSON.stringify(value)}: must be one of ${known.join(', ')}`);
  return found;
}

function passPhrase(flag: string, value: string): string {
  // RFC 3414 11.2 and Net-SNMP: at least 8 characters.
  if (value.length < 8) throw new UsageError(`--${flag} must be 8 characters or more`);
  return value;
}

const names = (values: readonly string[]): string[] =>
  values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');

export function parseCheckArgs(args: readonly string[]): ParsedCheckArgs {
  try {
    const flags = parseFlags(CHECK, args);
    if (booleanFlag(flags, 'help')) return { kind: 'help' };
    const values = {
      host: stringFlag(flags, 'host'),
      sysfs: stringFlag(flags, 'sysfs'),
      procfs: stringFlag(flags, 'procfs'),
      community: stringFlag(flags, 'community'),
      'v3-user': stringFlag(flags, 'v3-user'),
      'auth-protocol': stringFlag(flags, 'auth-protocol'),
      'auth-key': stringFlag(flags, 'auth-key'),
      'priv-protocol': stringFlag(flags, 'priv-protocol'),
      'priv-key': stringFlag(flags, 'priv-key'),
      timeout: stringFlag(flags, 'timeout'),
      'state-file': stringFlag(flags, 'state-file'),
      verbose: booleanFlag(flags, 'verbose'),
    };

    const remoteOnly = (['community', 'v3-user', 'auth-protocol', 'auth-key', 'priv-protocol', 'priv-key'] as const).filter((f) => values[f] !== undefined);
    let source: CheckOptions['source'];
    if (values.host !== undefined) {
      if (values.sysfs !== undefined || values.procfs !== undefined) throw new UsageError('--sysfs/--procfs read this host; they do not go with --host');
      const where = parseHost(values.host);
      let auth: SnmpAuth;
      if (values.community !== undefined && values['v3-user'] !== undefined) throw new UsageError('give --community (v2c) or --v3-user (v3), not both');
      if (values.community !== undefined) {
        const v3Flags = remoteOnly.filter((f) => f !== 'community');
        if (v3Flags.length > 0) throw new UsageError(`--${v3Flags[0]} is for SNMPv3 (--v3-user), not with --community`);
        auth = { version: '2c', community: values.community };
      } else if (values['v3-user'] !== undefined) {
        const authKey = values['auth-key'];
        const privKey = values['priv-key'];
        if (authKey === undefined && values['auth-protocol'] !== undefined) throw new UsageError('--auth-protocol needs --auth-key');
        if (privKey === undefined && values['priv-protocol'] !== undefined) throw new UsageError('--priv-protocol needs --priv-key');
        if (privKey !== undefined && authKey === undefined) throw new UsageError('privacy (--priv-key) needs authentication (--auth-protocol, --auth-key)');
        auth = {
          version: '3',
          user: values['v3-user'],
          ...(authKey !== undefined
            ? { auth: { protocol: protocol('auth-protocol', values['auth-protocol'], AUTH_PROTOCOLS, { sha1: 'sha' }), key: passPhrase('auth-key', authKey) } }
            : {}),
          ...(privKey !== undefined
            ? { priv: { protocol: protocol('priv-protocol', values['priv-protocol'], PRIV_PROTOCOLS, { aes128: 'aes' }), key: passPhrase('priv-key', privKey) } }
            : {}),
        };
      } else {
        throw new UsageError('--host needs --community NAME (SNMPv2c) or --v3-user NAME (SNMPv3)');
      }
      source = { kind: 'remote', target: { ...where, auth } };
    } else {
      if (remoteOnly.length > 0) throw new UsageError(`--${remoteOnly[0]} is for a remote check: give --host too`);
      source = { kind: 'local', roots: { sysfs: values.sysfs ?? DEFAULT_ROOTS.sysfs, procfs: values.procfs ?? DEFAULT_ROOTS.procfs } };
    }

    let timeoutMs = DEFAULT_TIMEOUT_SECONDS * 1000;
    if (values.timeout !== undefined) {
      const seconds = /^\d+(\.\d+)?$/.test(values.timeout.trim()) ? Number(values.timeout) : NaN;
      if (!(seconds > 0 && seconds <= 3600)) throw new UsageError(`--timeout ${JSON.stringify(values.timeout)}: seconds, more than 0 and at most 3600`);
      timeoutMs = Math.round(seconds * 1000);
    }

    const levels = Object.fromEntries(
      (Object.keys(RULE_LEVEL_DEFAULTS) as (keyof RuleLevels)[]).map((rule) => {
        const flag = LEVEL_FLAGS[rule];
        return [rule, parseLevel(flag, stringFlag(flags, flag), RULE_LEVEL_DEFAULTS[rule])];
      }),
    ) as unknown as RuleLevels;

    const stateFile = values['state-file'];
    if (stateFile !== undefined && stateFile.trim() === '') throw new UsageError('--state-file needs a file name');

    return {
      kind: 'ok',
      options: {
        source,
        judge: { levels, bonds: names(listFlag(flags, 'bond')), exclude: names(listFlag(flags, 'exclude')) },
        timeoutMs,
        verbose: values.verbose,
        stateFile,
      },
    };
  } catch (err) {
    return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
  }
}
