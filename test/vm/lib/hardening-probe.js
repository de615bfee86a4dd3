// Runs INSIDE a systemd service of the test VM (test-vm-systemd.sh): once as
// a copy of the packaged bonding-agentx.service with only its ExecStart
// replaced (the sandbox), once as a plain transient service of the same user
// with the same capability (the control). It tries what each hardening line
// of the unit forbids, and what the agent needs, and prints one JSON object:
// { name: result } where a result is "ok", an errno code ("EROFS"), "exit N",
// "signal SIG", or a value read. It changes nothing it does not put back, and
// takes no decision: the driver compares the two runs.
// Node built-ins only: the file is copied to /run for the sandbox to read.
//
// Usage: node hardening-probe.js [--ipc]   (environment: PROBE_DIR, the
// driver's helper files: i386-exit0, an i386 program that exits 0; PROBE_RW,
// a directory the user owns)
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import {
  chmodSync,
  existsSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';

const probeDir = process.env['PROBE_DIR'] ?? '/run/vm-probe';

/** @param {() => unknown} fn @returns {string} "ok", the value, or the error's code */
function attempt(fn) {
  try {
    const v = fn();
    return v === undefined ? 'ok' : String(v);
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code ?? String(err);
  }
}

/** @param {string} cmd @param {string[]} args @returns {string} */
function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20000 });
  if (r.error !== undefined) return /** @type {NodeJS.ErrnoException} */ (r.error).code ?? String(r.error);
  if (r.signal !== null) return `signal ${r.signal}`;
  return r.status === 0 ? 'ok' : `exit ${r.status}`;
}

/** @param {(done: (v: string) => void) => void} fn @returns {Promise<string>} */
function async(fn) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), 10000);
    fn((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

/** @type {Record<string, string>} */
const out = {};

// Identity, capabilities, seccomp.
const status = readFileSync('/proc/self/status', 'utf8');
for (const key of ['Uid', 'Gid', 'Groups', 'CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs', 'Seccomp']) {
  out[key] = (new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '').trim().replace(/\s+/g, ' ');
}
out['umask'] = process.umask().toString(8).padStart(4, '0');
out['nsMnt'] = attempt(() => readlinkSync('/proc/self/ns/mnt'));
out['nsUts'] = attempt(() => readlinkSync('/proc/self/ns/uts'));

// Files.
// A directory of the user's own outside /tmp and /var/tmp (the driver's).
out['writeOwnDir'] = attempt(() => {
  const f = `${process.env['PROBE_RW'] ?? '/var/lib/vm-probe-rw'}/probe-${process.pid}`;
  writeFileSync(f, 'x');
  rmSync(f);
});
out['readHome'] = attempt(() => void readdirSync('/home'));
out['tmpMarker'] = String(existsSync('/tmp/vm-probe-marker'));
out['devSerial'] = String(existsSync('/dev/ttyS0'));
// A bond setting, whose file the driver gave to the user.
out['sysfsWrite'] = attempt(() => {
  const f = '/sys/class/net/bond0/bonding/miimon';
  writeFileSync(f, readFileSync(f, 'utf8'));
});
out['kernelModules'] = attempt(() => void readdirSync('/lib/modules'));
out['dmesg'] = run('dmesg', ['--raw']);
out['cgroupMount'] =
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .find((f) => f[4] === '/sys/fs/cgroup')?.[5]
    ?.split(',')[0] ?? 'absent';
out['adjtimex'] = run('busybox', ['adjtimex']);
out['procPid1'] = String(existsSync('/proc/1'));
out['procCpuinfo'] = String(existsSync('/proc/cpuinfo'));
out['procNetBonding'] = attempt(() => void readFileSync('/proc/net/bonding/bond0'));
out['procSelfNetBonding'] = attempt(() => void readFileSync('/proc/self/net/bonding/bond0'));
out['adActorKey'] = attempt(() => readFileSync('/sys/class/net/bond2/bonding/ad_actor_key', 'utf8').trim() || 'empty');
out['suid'] = attempt(() => {
  const f = `/tmp/bonding-agentx-probe-suid-${process.pid}`;
  writeFileSync(f, '');
  try {
    chmodSync(f, 0o4755);
  } finally {
    rmSync(f, { force: true });
  }
});

// Processes and kernel interfaces.
out['userns'] = run('unshare', ['--user', 'true']);
out['personality'] = run('setarch', ['linux32', 'true']);
out['realtime'] = run('chrt', ['-f', '1', 'true']);
out['i386'] = run(`${probeDir}/i386-exit0`, []);
// x86_64 system calls an unprivileged process may make: setuid(getuid())
// (@privileged), setrlimit(RLIMIT_CORE, {0, 0}) (@resources),
// ptrace(PTRACE_TRACEME) (@debug); each prints its errno, 0 for success.
const perl = spawnSync(
  'perl',
  [
    '-e',
    'my @r; my $uid = $< + 0; push @r, "setuid=" . (syscall(105, $uid) == -1 ? $!+0 : 0);' +
      ' my $limit = pack("QQ", 0, 0); push @r, "setrlimit=" . (syscall(160, 4, $limit) == -1 ? $!+0 : 0);' +
      ' push @r, "ptrace=" . (syscall(101, 0, 0, 0, 0) == -1 ? $!+0 : 0); print join(" ", @r);',
  ],
  { encoding: 'utf8' },
);
out['syscalls'] =
  perl.signal !== null ? `signal ${perl.signal}` : perl.status !== 0 ? `exit ${perl.status}: ${perl.stderr.trim()}` : perl.stdout.trim();
if (process.argv.includes('--ipc')) {
  // A System V message queue left behind: RemoveIPC= must remove it when the
  // last unit of this user stops.
  const q = spawnSync('perl', ['-e', 'my $id = msgget(0, 0600); print defined $id ? $id : "error $!"'], {
    encoding: 'utf8',
  });
  out['msgQueue'] = q.stdout.trim();
}

// Sockets: what the agent needs (AgentX unix socket, rtnetlink), and IP.
out['agentxConnect'] = await async((done) => {
  const s = connect('/var/agentx/master');
  s.on('connect', () => {
    s.destroy();
    done('ok');
  });
  s.on('error', (e) => done(/** @type {NodeJS.ErrnoException} */ (e).code ?? String(e)));
});
out['netlink'] = run('ip', ['-o', 'link', 'show', 'bond0']);
out['udpSocket'] = await async((done) => {
  try {
    const s = createSocket('udp4');
    s.on('error', (e) => {
      s.close();
      done(/** @type {NodeJS.ErrnoException} */ (e).code ?? String(e));
    });
    s.bind(0, () => {
      s.close();
      done('ok');
    });
  } catch (e) {
    done(/** @type {NodeJS.ErrnoException} */ (e).code ?? String(e));
  }
});
// To an address outside loopback that has a route (the driver's dummy0).
out['udpSendOut'] = await async((done) => {
  try {
    const s = createSocket('udp4');
    s.on('error', (e) => {
      s.close();
      done(/** @type {NodeJS.ErrnoException} */ (e).code ?? String(e));
    });
    s.send('probe', 9, '192.0.2.2', (e) => {
      s.close();
      done(e ? /** @type {NodeJS.ErrnoException} */ (e).code ?? String(e) : 'ok');
    });
  } catch (e) {
    done(/** @type {NodeJS.ErrnoException} */ (e).code ?? String(e));
  }
});

process.stdout.write(`${JSON.stringify(out)}\n`);
