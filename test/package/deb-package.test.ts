// The Debian package (scripts/build-deb.sh, `npm run package:deb`): built
// twice from two places, it must be the same bytes; what it holds, its
// control data and lintian's verdict are checked here, and the packaged tree
// must run on its own. Installing it on a Debian system booted with systemd
// is test/vm/test-vm-systemd.sh's job.
//
// Needs dpkg-deb, lintian, git, and npm's cache or the registry (the build
// runs `npm ci` in a clean copy).
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
const version = pkg.version.replace(/-/g, '~');
const debName = `bonding-agentx_${version}_all.deb`;

let work = '';
let first = '';
let second = '';
let epoch = '';

/** The checkout's tracked files, as they are now, copied to `dest` (fresh mtimes, another path). */
function copyTracked(dest: string): void {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    try {
      statSync(join(repo, f));
    } catch {
      continue; // deleted in the working tree
    }
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    cpSync(join(repo, f), join(dest, f), { preserveTimestamps: false });
  }
}

interface TarEntry {
  readonly mode: string;
  readonly owner: string;
  readonly date: string;
  readonly path: string;
  readonly target?: string;
}

function contents(deb: string): TarEntry[] {
  return execFileSync('dpkg-deb', ['--contents', deb], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } })
    .trimEnd()
    .split('\n')
    .map((line) => {
      const m = /^(\S+) (\S+)\s+\d+ (\S+ \S+) \.(\/\S*)(?: -> (\S+))?$/.exec(line);
      if (m === null) throw new Error(`unexpected dpkg-deb --contents line: ${line}`);
      return { mode: m[1] ?? '', owner: m[2] ?? '', date: m[3] ?? '', path: m[4] ?? '', ...(m[5] ? { target: m[5] } : {}) };
    });
}

describe('Debian package', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'bonding-agentx-deb-test-'));
    epoch = execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: repo, encoding: 'utf8' }).trim();
    const copy = join(work, 'elsewhere', 'checkout');
    copyTracked(copy);
    const env = { ...process.env };
    delete env['SOURCE_DATE_EPOCH'];
    // The checkout itself, the time taken from git; and a copy of it in
    // another directory, not a git checkout, with fresh file times, another
    // TMPDIR and umask, the time given as SOURCE_DATE_EPOCH.
    mkdirSync(join(work, 'tmp2'));
    await Promise.all([
      run(join(repo, 'scripts/build-deb.sh'), ['--out', join(work, 'a')], { env, maxBuffer: 16 << 20 }),
      run('sh', ['-c', `umask 077 && exec scripts/build-deb.sh --out "$1"`, 'sh', join(work, 'b')], {
        cwd: copy,
        env: { ...env, SOURCE_DATE_EPOCH: epoch, TMPDIR: join(work, 'tmp2') },
        maxBuffer: 16 << 20,
      }),
    ]);
    first = join(work, 'a', debName);
    second = join(work, 'b', debName);
  }, 600_000);

  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('is the same bytes when built twice (SOURCE_DATE_EPOCH, sorted, owners root)', () => {
    const a = readFileSync(first);
    const b = readFileSync(second);
    const sha = (x: Buffer): string => createHash('sha256').update(x).digest('hex');
    expect({ size: b.length, sha256: sha(b) }).toEqual({ size: a.length, sha256: sha(a) });
  });

  it('has every entry owned by root, dated SOURCE_DATE_EPOCH, in name order', () => {
    const entries = contents(first);
    const date = new Date(Number(epoch) * 1000).toISOString().slice(0, 16).replace('T', ' ');
    expect(entries.filter((e) => e.owner !== 'root/root')).toEqual([]);
    expect(entries.filter((e) => e.date !== date)).toEqual([]);
    // A directory before what it holds, names in byte order within each
    // directory; links after everything else (dpkg-deb creates their targets first).
    const byComponents = (a: string, b: string): number => {
      const x = a.replace(/\/$/, '').split('/');
      const y = b.replace(/\/$/, '').split('/');
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        if (x[i] !== y[i]) return (x[i] ?? '') < (y[i] ?? '') ? -1 : 1;
      }
      return x.length - y.length;
    };
    const files = entries.filter((e) => e.target === undefined).map((e) => e.path);
    const links = entries.filter((e) => e.target !== undefined).map((e) => e.path);
    expect(entries.map((e) => e.path)).toEqual([...files, ...links]);
    expect(files).toEqual([...files].sort(byComponents));
    expect(links).toEqual([...links].sort(byComponents));
    expect(files[0]).toBe('/');
  });

  it('holds the agent, its production modules only, the MIB, the unit, the drop-in, the docs', () => {
    const entries = contents(first);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    for (const path of [
      '/usr/lib/bonding-agentx/package.json',
      '/usr/lib/bonding-agentx/dist/cli.js',
      '/usr/lib/bonding-agentx/node_modules/net-snmp/index.js',
      '/usr/lib/bonding-agentx/node_modules/pino/package.json',
      '/usr/lib/bonding-agentx/node_modules/net-snmp/lib/mibs/IF-MIB.mib',
      '/usr/lib/bonding-agentx/examples/demo-host/proc/net/bonding/bond0',
      '/usr/share/snmp/mibs/LINUX-BONDING-MIB.txt',
      '/lib/systemd/system/bonding-agentx.service',
      '/etc/snmp/snmpd.conf.d/bonding-agentx.conf',
      '/usr/share/man/man1/bonding-agentx.1.gz',
      '/usr/share/doc/bonding-agentx/copyright',
      '/usr/share/doc/bonding-agentx/changelog.gz',
      '/usr/share/doc/bonding-agentx/README.md.gz',
      '/usr/share/doc/bonding-agentx/examples/snmpd.conf',
      '/usr/share/doc/bonding-agentx/examples/standalone.conf',
      '/usr/share/doc/bonding-agentx/examples/monitoring/nagios-bonding.cfg',
      '/usr/share/doc/bonding-agentx/examples/monitoring/checkmk-local-bonding',
      '/usr/share/doc/bonding-agentx/examples/prometheus/snmp.yml',
      '/usr/share/doc/bonding-agentx/examples/prometheus/bonding.rules.yml',
      '/usr/share/doc/bonding-agentx/examples/snmptt/bonding-agentx.conf',
      '/usr/share/doc/bonding-agentx/examples/zabbix/template_linux_bonding_snmp.yaml',
      '/usr/share/doc/bonding-agentx/examples/zabbix/zabbix-trap-receiver.pl',
    ]) {
      expect(byPath.get(path)?.mode, path).toBe('-rw-r--r--');
    }
    expect(byPath.get('/usr/lib/bonding-agentx/bin/bonding-agentx.js')?.mode).toBe('-rwxr-xr-x');
    expect(byPath.get('/usr/bin/bonding-agentx')?.target).toBe('../lib/bonding-agentx/bin/bonding-agentx.js');
    expect(byPath.get('/usr/lib/bonding-agentx/mibs/LINUX-BONDING-MIB.txt')?.target).toBe(
      '../../../share/snmp/mibs/LINUX-BONDING-MIB.txt',
    );
    // Nothing of the build: no source maps, no dev dependencies, no npm bookkeeping.
    const paths = entries.map((e) => e.path);
    expect(paths.filter((p) => /\.map$|\.ts$|\/node_modules\/\.|\/node_modules\/(typescript|vitest|@types|fast-check)\//.test(p))).toEqual([]);
    const modules = new Set(
      paths
        .map((p) => /^\/usr\/lib\/bonding-agentx\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1])
        .filter((m): m is string => m !== undefined && !/^@[^/]+$/.test(m)),
    );
    const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const production = Object.entries(lock.packages)
      .filter(([key, v]) => key.startsWith('node_modules/') && v.dev !== true)
      .map(([key]) => key.slice('node_modules/'.length));
    expect([...modules].sort()).toEqual(production.sort());
  });

  it('installs the unit and the examples exactly as in the repository', () => {
    const root = join(work, 'extracted');
    execFileSync('dpkg-deb', ['--extract', first, root]);
    expect(readFileSync(join(root, 'lib/systemd/system/bonding-agentx.service'), 'utf8')).toBe(
      readFileSync(join(repo, 'examples/bonding-agentx.service'), 'utf8'),
    );
    expect(readFileSync(join(root, 'etc/snmp/snmpd.conf.d/bonding-agentx.conf'), 'utf8')).toBe(
      readFileSync(join(repo, 'packaging/snmpd.conf.d/bonding-agentx.conf'), 'utf8'),
    );
    expect(readFileSync(join(root, 'usr/share/doc/bonding-agentx/examples/standalone.conf'), 'utf8')).toBe(
      readFileSync(join(repo, 'packaging/standalone.conf'), 'utf8'),
    );
  });

  it('says what it needs in its control data', () => {
    const field = (name: string): string => execFileSync('dpkg-deb', ['--field', first, name], { encoding: 'utf8' }).trim();
    expect(field('Package')).toBe('bonding-agentx');
    expect(field('Version')).toBe(version);
    expect(field('Architecture')).toBe('all');
    expect(field('Depends')).toBe('nodejs (>= 20), iproute2, adduser');
    expect(field('Recommends')).toBe('snmpd');
    const control = join(work, 'control');
    execFileSync('dpkg-deb', ['--control', first, control]);
    expect(readFileSync(join(control, 'conffiles'), 'utf8')).toBe('/etc/snmp/snmpd.conf.d/bonding-agentx.conf\n');
    expect(readdirSync(control).sort()).toEqual(['conffiles', 'control', 'md5sums', 'postinst', 'postrm', 'prerm']);
    for (const script of ['postinst', 'prerm', 'postrm']) {
      expect(statSync(join(control, script)).mode & 0o777, script).toBe(0o755);
      // POSIX sh, as dpkg runs it.
      execFileSync('sh', ['-n', join(control, script)]);
    }
  });

  it('runs from the packaged tree alone: dump of a real-kernel capture', () => {
    const root = join(work, 'extracted');
    const fixture = join(repo, 'test/fixtures/kernel-6.1-debian/02-failover');
    const out = execFileSync(
      process.execPath,
      [join(root, 'usr/lib/bonding-agentx/bin/bonding-agentx.js'), 'dump', '--json', '--sysfs', join(fixture, 'sys'), '--procfs', join(fixture, 'proc')],
      { encoding: 'utf8', cwd: work },
    );
    const bonds = (JSON.parse(out) as { bonds: Array<{ name: string; activeSlave: string | null }> }).bonds;
    expect(bonds.find((b) => b.name === 'bond0')?.activeSlave).toBe('eth1');
    expect(execFileSync(process.execPath, [join(root, 'usr/lib/bonding-agentx/bin/bonding-agentx.js'), '--version'], { encoding: 'utf8' }).trim()).toBe(
      `bonding-agentx ${pkg.version}`,
    );
  });

  it('passes lintian with no error', async () => {
    const { stdout } = await run('lintian', ['--fail-on', 'error', '--no-tag-display-limit', first], { maxBuffer: 16 << 20 }).catch(
      (err: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`lintian failed: ${err.stdout ?? ''}${err.stderr ?? err.message}`);
      },
    );
    expect(stdout.split('\n').filter((l) => l.startsWith('E: '))).toEqual([]);
  }, 120_000);
});
