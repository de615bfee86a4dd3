import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './fixture-roots.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(REPO, 'bin', 'bonding-agentx.js');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const state = (name: string, proc = 'proc') => {
  const dir = join(FIXTURES, 'kernel-6.1-debian', name);
  return ['--sysfs', join(dir, 'sys'), '--procfs', join(dir, proc)];
};

let empty: string;

beforeAll(() => {
  // dist/ is built once by the global setup (test/global-setup.ts).
  if (!existsSync(join(REPO, 'dist', 'cli.js'))) throw new Error('build produced no dist/cli.js');
  empty = mkdtempSync(join(tmpdir(), 'bonding-empty-'));
}, 120_000);

afterAll(() => {
  if (empty) rmSync(empty, { recursive: true, force: true });
});

describe('bonding-agentx dump (a real process)', () => {
  it('--json prints the documented shape', async () => {
    const r = await run('dump', ...state('02-failover'), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { bonds: Array<Record<string, unknown> & { slaves: Array<Record<string, unknown>> }> };
    expect(json.bonds.map((b) => b.name)).toEqual(['bond0', 'bond1', 'bond2', 'bond3', 'bond4', 'bond5', 'bond6', 'bond7']);
    const [bond0] = json.bonds;
    expect(bond0).toMatchObject({ name: 'bond0', ifIndex: 2, mode: 'active-backup', miiStatus: 'up', activeSlave: 'eth1', primary: 'eth0' });
    expect(bond0?.slaves[0]).toMatchObject({
      name: 'eth0',
      ifIndex: 4,
      state: 'backup',
      miiStatus: 'down',
      linkFailureCount: 1,
      permHwAddr: '4a:ce:89:7d:91:c1',
      speedMbps: 10000,
      duplex: 'full',
      aggregatorId: null,
    });
    const bond1 = json.bonds[1];
    expect(bond1).toMatchObject({ mode: 'balance-rr', activeSlave: null, primary: null });
    // undefined is written as null, never dropped: every key is present.
    for (const b of json.bonds) {
      expect(Object.keys(b)).toEqual(expect.arrayContaining(['activeSlave', 'primary', 'adAggregator', 'driverDate']));
    }
  });

  it('prints a readable table by default', async () => {
    const r = await run('dump', ...state('01-all-up'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^bond0 {2}ifindex 2 {2}active-backup {2}mii up {2}active eth0 {2}primary eth0$/m);
    expect(r.stdout).toMatch(/^ {2}eth5 +16 +active +up +0 +10000Mb\/s +full +3a:03:7f:a9:19:46 +1$/m);
  });

  it('an existing root with no bonding: empty list, exit 0', async () => {
    const r = await run('dump', '--sysfs', empty, '--procfs', empty, '--json');
    expect(r).toEqual({ code: 0, stdout: '{\n  "bonds": []\n}\n', stderr: '' });
    expect((await run('dump', '--sysfs', empty, '--procfs', empty)).stdout).toBe('no bonds\n');
  });

  it('a root that does not exist: one line on stderr, exit 2', async () => {
    const r = await run('dump', '--sysfs', join(empty, 'nope'), '--procfs', empty);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`bonding-agentx dump: sysfs root ${join(empty, 'nope')} does not exist or is not a directory`]);
  });

  it('a bad flag: a clear line and a usage hint, exit 2', async () => {
    const r = await run('dump', '--jsn');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bonding-agentx dump: .*--jsn.*\nTry 'bonding-agentx dump --help'\.\n$/);
  });

  it('warnings go to stderr, one line each, and do not change the exit status', async () => {
    const dir = join(FIXTURES, 'handmade', 'garbage');
    const r = await run('dump', '--sysfs', join(dir, 'sys'), '--procfs', join(dir, 'proc'), '--json');
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(10);
    for (const line of lines) expect(line).toMatch(/^bonding-agentx dump: warning: \S+(:\d+)?: .+$/);
    expect(lines).toContain(`bonding-agentx dump: warning: ${join(dir, 'proc', 'net', 'bonding', 'bond0')}:9: unrecognised line: "%%% line noise %%%"`);
    expect(JSON.parse(r.stdout).bonds).toHaveLength(1);
  });

  it('--help, --version and an unknown command', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}dump {2}/m);
    const dumpHelp = await run('dump', '--help');
    expect(dumpHelp.code).toBe(0);
    for (const flag of ['--sysfs DIR', '--procfs DIR', '--json', '--help']) expect(dumpHelp.stdout).toContain(flag);
    const version = await run('--version');
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^bonding-agentx \d+\.\d+\.\d+\n$/) });
    const unknown = await run('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });
});
