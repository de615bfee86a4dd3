// The README's route for other distributions starts with
// `npm install -g "$(npm pack | tail -1)"` and finds the command at
// `$(npm prefix -g)/bin/bonding-agentx`: the tarball npm packs installs on
// its own (production dependencies from npm's cache or the registry) and the
// command it puts there works. The unit and the snmpd lines that route uses
// are the package's (test/vm/test-vm-systemd.sh, snmpd-examples.test.ts).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..');
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;

describe('npm route', () => {
  let work = '';
  let tarball = '';
  let prefix = '';
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'bonding-agentx-npm-route-'));
    prefix = join(work, 'prefix');
    const packed = await run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: repo, maxBuffer: 16 << 20 });
    tarball = join(work, packed.stdout.trim().split('\n').pop() ?? '');
    // --prefix stands for the global prefix (/usr or /usr/local) the README's `npm install -g` uses.
    await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], {
      cwd: work,
      maxBuffer: 16 << 20,
    });
  }, 180_000);

  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('packs what the route copies from the checkout, and no tests', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const f of ['package/mibs/LINUX-BONDING-MIB.txt', 'package/examples/bonding-agentx.service', 'package/dist/cli.js', 'package/bin/bonding-agentx.js']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('package/test/') || f.startsWith('package/src/'))).toEqual([]);
  });

  it('installs a command at $(npm prefix -g)/bin/bonding-agentx that runs', () => {
    const globalPrefix = execFileSync('npm', ['prefix', '-g', '--prefix', prefix], { encoding: 'utf8' }).trim();
    const bin = join(globalPrefix, 'bin', 'bonding-agentx');
    expect(existsSync(bin)).toBe(true);
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe(`bonding-agentx ${version}`);
    const fixture = join(repo, 'test/fixtures/kernel-6.1-debian/01-all-up');
    const out = execFileSync(bin, ['dump', '--json', '--sysfs', join(fixture, 'sys'), '--procfs', join(fixture, 'proc')], {
      encoding: 'utf8',
    });
    expect((JSON.parse(out) as { bonds: Array<{ name: string }> }).bonds.map((b) => b.name)).toContain('bond0');
  });
});
