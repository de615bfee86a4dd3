/** Flags: what they become, and every mistake an UNKNOWN with one line that says what is wrong. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseCheckArgs, parseHost } from '../../src/commands/check-options.js';
import { BIN } from '../support/agent.js';
import { check } from '../check/support.js';

const ok = (args: string[]) => {
  const r = parseCheckArgs(args);
  if (r.kind !== 'ok') throw new Error(`not ok: ${JSON.stringify(r)}`);
  return r.options;
};
const error = (args: string[]) => {
  const r = parseCheckArgs(args);
  return r.kind === 'error' ? r.message : `(${r.kind})`;
};

describe('check flags', () => {
  it('defaults: local /sys and /proc, 10 s, default levels, every bond', () => {
    expect(ok([])).toEqual({
      source: { kind: 'local', roots: { sysfs: '/sys', procfs: '/proc' } },
      judge: {
        levels: { slaveDown: 'warning', notOnPrimary: 'warning', aggMismatch: 'warning', singleSlave: 'warning', noBonds: 'ok', linkFailures: 'warning' },
        bonds: [],
        exclude: [],
      },
      timeoutMs: 10_000,
      verbose: false,
      stateFile: undefined,
    });
  });

  it('levels (ok, warning, critical, and their short forms), bonds as repeats or lists, timeout', () => {
    const o = ok(['--slave-down', 'CRITICAL', '--not-on-primary', 'ok', '--agg-mismatch', 'crit', '--single-slave', 'warn', '--no-bonds', 'warning',
      '--bond', 'bond0,bond1', '--bond', 'bond2', '--exclude', ' bond3 ', '-t', '2.5', '-v']);
    expect(o.judge).toEqual({
      levels: { slaveDown: 'critical', notOnPrimary: 'ok', aggMismatch: 'critical', singleSlave: 'warning', noBonds: 'warning', linkFailures: 'warning' },
      bonds: ['bond0', 'bond1', 'bond2'],
      exclude: ['bond3'],
    });
    expect([o.timeoutMs, o.verbose]).toEqual([2500, true]);
  });

  it('remote: v2c, v3 at each security level, hosts and ports', () => {
    expect(ok(['--host', 'nms.example.net', '--community', 'c0mm']).source).toEqual({
      kind: 'remote',
      target: { host: 'nms.example.net', port: 161, transport: 'udp4', auth: { version: '2c', community: 'c0mm' } },
    });
    expect(ok(['--host', '[::1]:1161', '--v3-user', 'ops']).source).toMatchObject({
      target: { host: '::1', port: 1161, transport: 'udp6', auth: { version: '3', user: 'ops' } },
    });
    expect(ok(['--host', '10.0.0.1:1161', '--v3-user', 'ops', '--auth-protocol', 'SHA-256', '--auth-key', 'a-secret-key']).source).toMatchObject({
      target: { auth: { version: '3', user: 'ops', auth: { protocol: 'sha256', key: 'a-secret-key' } } },
    });
    const authPriv = ok(['--host', 'h', '--v3-user', 'ops', '--auth-protocol', 'sha', '--auth-key', 'auth-secret', '--priv-protocol', 'AES', '--priv-key', 'priv-secret']);
    expect(authPriv.source).toMatchObject({ target: { auth: { auth: { protocol: 'sha' }, priv: { protocol: 'aes', key: 'priv-secret' } } } });
    expect(parseHost('fe80::1')).toEqual({ host: 'fe80::1', port: 161, transport: 'udp6' });
    expect(parseHost('udp6:[::1]:162')).toEqual({ host: '::1', port: 162, transport: 'udp6' });
    expect(parseHost('udp:127.0.0.1')).toEqual({ host: '127.0.0.1', port: 161, transport: 'udp4' });
  });

  it('mistakes, each said in words', () => {
    expect(error(['--bogus'])).toBe('unknown flag --bogus');
    expect(error(['-q'])).toBe('unknown flag -q');
    expect(error(['extra'])).toBe('unexpected argument "extra"');
    expect(error(['--sysfs'])).toBe('--sysfs needs a value');
    expect(error(['--verbose=yes'])).toBe('--verbose takes no value');
    expect(error(['--slave-down', 'loud'])).toBe('--slave-down "loud": must be one of ok, warning, critical');
    expect(error(['--timeout', '0'])).toBe('--timeout "0": seconds, more than 0 and at most 3600');
    expect(error(['--timeout', '10s'])).toBe('--timeout "10s": seconds, more than 0 and at most 3600');
    expect(error(['--host', 'h'])).toBe('--host needs --community NAME (SNMPv2c) or --v3-user NAME (SNMPv3)');
    expect(error(['--host', 'h:99999', '--community', 'c'])).toBe('--host "h:99999": the port must be 1..65535');
    expect(error(['--host', 'h', '--community', 'c', '--sysfs', '/sys'])).toBe('--sysfs/--procfs read this host; they do not go with --host');
    expect(error(['--community', 'c'])).toBe('--community is for a remote check: give --host too');
    expect(error(['--host', 'h', '--community', 'c', '--v3-user', 'u'])).toBe('give --community (v2c) or --v3-user (v3), not both');
    expect(error(['--host', 'h', '--community', 'c', '--auth-key', 'k'])).toBe('--auth-key is for SNMPv3 (--v3-user), not with --community');
    expect(error(['--host', 'h', '--v3-user', 'u', '--auth-key', 'long-enough'])).toBe('--auth-protocol is needed with its key (one of md5, sha, sha224, sha256, sha384, sha512)');
    expect(error(['--host', 'h', '--v3-user', 'u', '--auth-protocol', 'sha3', '--auth-key', 'long-enough'])).toBe(
      '--auth-protocol "sha3": must be one of md5, sha, sha224, sha256, sha384, sha512',
    );
    expect(error(['--host', 'h', '--v3-user', 'u', '--auth-protocol', 'sha', '--auth-key', 'short'])).toBe('--auth-key must be 8 characters or more');
    expect(error(['--host', 'h', '--v3-user', 'u', '--priv-protocol', 'aes', '--priv-key', 'long-enough'])).toBe(
      'privacy (--priv-key) needs authentication (--auth-protocol, --auth-key)',
    );
    expect(error(['--state-file', ''])).toBe('--state-file needs a file name');
    expect(error(['--help'])).toBe('(help)');
  });

  it('a bad flag is UNKNOWN (exit 3) with one line on stdout, through the real binary too', async () => {
    const r = await check(['--slave-down', 'loud']);
    expect([r.code, r.stdout]).toEqual([3, 'BONDING UNKNOWN - --slave-down "loud": must be one of ok, warning, critical (see bonding-agentx check --help)\n']);
    const cli = spawnSync(process.execPath, [BIN, 'check', '--no-such-flag'], { encoding: 'utf8' });
    expect([cli.status, cli.stdout, cli.stderr]).toEqual([3, 'BONDING UNKNOWN - unknown flag --no-such-flag (see bonding-agentx check --help)\n', '']);
  });

  it('--help lists every flag and the exit statuses, exit 0', () => {
    const cli = spawnSync(process.execPath, [BIN, 'check', '--help'], { encoding: 'utf8' });
    expect(cli.status).toBe(0);
    for (const flag of ['--sysfs', '--procfs', '--state-file', '--host', '--community', '--v3-user', '--auth-protocol', '--auth-key', '--priv-protocol',
      '--priv-key', '--bond', '--exclude', '--slave-down', '--not-on-primary', '--agg-mismatch', '--single-slave', '--no-bonds', '--link-failures',
      '--timeout', '--verbose']) {
      expect(cli.stdout).toContain(flag);
    }
    expect(cli.stdout).toMatch(/Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN/);
    // And the command is in the CLI's list.
    expect(spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' }).stdout).toMatch(/^ {2}check {2,}a monitoring plugin/m);
  });
});
