// Runs INSIDE the test VM booted with systemd as PID 1 (test-vm-systemd.sh,
// as root, from the checkout): installs the Debian package the way an
// operator does, and checks what it did to a Debian system running Debian's
// snmpd.service, then that `dpkg --purge` leaves nothing behind.
//
// Then, on the same system, the README's route for other distributions
// (npm-route.sh) with the command NPM_BIN that `npm install -g` put in a
// prefix, when given.
//
// Usage: node test/vm/package-systemd.js DEB [NPM_BIN]
// Writes package-systemd.json to $VM_RESULTS (the checks, the timings, the
// exposure score); exit status 0 when every check passed.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  existsSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKernelFile, setLinkUp, sleep, sysNet, waitFor } from './lib/net.js';
import { describeList, matches, told } from './lib/notifications.js';
import { parseVarbinds } from './lib/snmp.js';
import { TrapWatch } from './lib/trap-watch.js';
import { changedPaths, describeEntry, sha256, snapshotUpper } from './lib/overlay-snapshot.js';

const deb = process.argv[2];
if (deb === undefined || !existsSync(deb)) {
  process.stderr.write(`usage: node test/vm/package-systemd.js DEB (got ${deb ?? 'nothing'})\n`);
  process.exit(2);
}
const npmBin = process.argv[3];
const here = fileURLToPath(new URL('.', import.meta.url));
const results = process.env['VM_RESULTS'];

const UNIT = 'bonding-agentx.service';
const UNIT_FILE = '/lib/systemd/system/bonding-agentx.service';
const DROP_IN = '/etc/snmp/snmpd.conf.d/bonding-agentx.conf';
const MIB = '1.3.6.1.4.1.8072.9999.9999.8023';
const BOND_NAME = `${MIB}.1.2.1.2`;
const BOND_AD_ACTOR_KEY = `${MIB}.1.2.1.28`;
const SLAVE_NAME = `${MIB}.1.3.1.2`;
const IF_DESCR = '1.3.6.1.2.1.2.2.1.2';
const CAP_NET_ADMIN = (1n << 12n).toString(16).padStart(16, '0');
const TRAP_PORT = 16162;
const WORK = '/tmp/vm-package';
const PROBE_DIR = '/run/vm-probe';
const PROBE_RW = '/var/lib/vm-probe-rw';
// The packaged unit with the documented standalone drop-in, under another
// name, so that the packaged service keeps running beside it.
const STANDALONE_UNIT = 'bonding-agentx-standalone.service';
const STANDALONE_CONFIG = '/etc/bonding-agentx.json';

// ---------------------------------------------------------------- reporting

/** @type {Array<{ name: string, ok: boolean, detail: string }>} */
const checks = [];
/** @type {Record<string, number>} */
const timings = {};
/** @type {Record<string, unknown>} */
const measured = {};
const t0 = performance.now();

/** @param {string} name @param {boolean} ok @param {string} [detail] */
function check(name, ok, detail = '') {
  checks.push({ name, ok, detail });
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}\n`);
  return ok;
}

/** @param {string} name @param {string} expected @param {string} got */
function checkEqual(name, expected, got) {
  return check(name, expected === got, expected === got ? got : `expected ${expected}, got ${got}`);
}

/** @template T @param {string} name @param {() => Promise<T> | T} fn @returns {Promise<T>} */
async function phase(name, fn) {
  process.stdout.write(`--- ${name}\n`);
  const start = performance.now();
  try {
    return await fn();
  } finally {
    timings[name] = Math.round(performance.now() - start) / 1000;
    process.stdout.write(`    (${timings[name]} s)\n`);
  }
}

// ---------------------------------------------------------------- commands

/** @param {string} cmd @param {string[]} args @param {{ input?: string, env?: NodeJS.ProcessEnv }} [opts] */
function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error !== undefined) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout).trim()}`);
  }
  return r.stdout;
}

/** @param {string} cmd @param {string[]} args */
function status(cmd, args) {
  return spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** @param {string} property */
const unitProperty = (property, unit = UNIT) => sh('systemctl', ['show', '-p', property, '--value', unit]).trim();

/** The agent's log lines (JSON) of this boot, parsed. */
function agentLog(unit = UNIT) {
  const text = status('journalctl', ['-u', unit, '-o', 'cat', '--no-pager']).stdout;
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return /** @type {Record<string, unknown>} */ (JSON.parse(l));
      } catch {
        return {};
      }
    });
}
const sessionsOpened = () => agentLog().filter((l) => l['msg'] === 'AgentX session open').length;

/** /proc/PID/status fields. @param {number | string} pid */
function procStatus(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  /** @type {Record<string, string>} */
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s*(.*)$/.exec(line);
    if (m) out[m[1] ?? ''] = (m[2] ?? '').trim().replace(/\s+/g, ' ');
  }
  return out;
}

/** @param {string} name @returns {{ uid: number, gid: number } | undefined} */
function passwdEntry(name) {
  const r = status('getent', ['passwd', name]);
  if (r.status !== 0) return undefined;
  const f = r.stdout.trim().split(':');
  return { uid: Number(f[2]), gid: Number(f[3]) };
}
/** @param {string} name */
function groupId(name) {
  const r = status('getent', ['group', name]);
  return r.status === 0 ? Number(r.stdout.split(':')[2]) : undefined;
}

/** @param {string[]} args */
function snmp(tool, args) {
  return status(tool, ['-m', '', '-v2c', '-On', '-t', '3', '-r', '1', ...args]);
}

// ---------------------------------------------------------------- the host

const ifindex = (/** @type {string} */ name) => Number(sysNet(name, 'ifindex'));

/** bond0 active-backup (eth0 primary, eth1), bond2 802.3ad (eth4), over veth pairs. */
function createBonds() {
  const commands = [
    'link add bond0 type bond mode active-backup miimon 100 primary_reselect always',
    'link add eth0 type veth peer name p0',
    'link add eth1 type veth peer name p1',
    'link set eth0 master bond0',
    'link set eth1 master bond0',
    'link add bond2 type bond mode 802.3ad miimon 100',
    'link add eth4 type veth peer name p4',
    'link set eth4 master bond2',
    'link set p0 up',
    'link set p1 up',
    'link set p4 up',
    'link set bond0 up',
    'link set bond2 up',
    // A route off loopback for the IP probes (192.0.2.0/24 is TEST-NET-1).
    'link add dummy0 type dummy',
    'address add 192.0.2.1/24 dev dummy0',
    'link set dummy0 up',
  ];
  sh('ip', ['-batch', '-'], { input: commands.join('\n') + '\n' });
  writeFileSync('/sys/class/net/bond0/bonding/primary', 'eth0');
}

/** Runs snmptrapd as a transient service, logging one record per notification. */
function startTrapReceiver() {
  mkdirSync(WORK, { recursive: true });
  writeFileSync(join(WORK, 'snmptrapd.conf'), 'disableAuthorization yes\ndontLogTCPWrappersConnects yes\n');
  const log = join(WORK, 'snmptrapd.log');
  writeFileSync(log, '');
  sh('systemd-run', [
    '--unit=vm-trap-receiver',
    '--quiet',
    `--setenv=SNMP_PERSISTENT_DIR=${WORK}`,
    'snmptrapd', '-f', '-C', '-c', join(WORK, 'snmptrapd.conf'), '-m', '', '-On', '-Ox',
    // snmptrapd expands \t and \n itself (a real newline would break the transient unit).
    '-Lf', log, '-F', 'TRAP\\t%b\\t%V\\t%v\\tEND\\n', `udp:127.0.0.1:${TRAP_PORT}`,
  ]);
  return log;
}

/**
 * Waits for the notifications `want`, in order, from bond `bond`'s agent; fails on anything else.
 * @param {TrapWatch} watch @param {number} from index in watch.all where this step starts
 * @param {import('./lib/notifications.js').ExpectedList} want
 */
async function expectNotifications(name, watch, from, want) {
  /** @returns {import('./lib/notifications.js').Told[]} */
  const ours = () => watch.all.slice(from).map(told).filter((t) => t !== undefined);
  const start = performance.now();
  try {
    await waitFor(() => matches(ours(), want), 20000, name, 100);
    await sleep(1500); // nothing more may follow
  } catch {
    // reported below
  }
  const got = ours();
  check(
    name,
    matches(got, want),
    `${got.map((t) => `${t.name} ${t.bond} ${t.slave ?? ''}`.trim()).join(' | ') || '(none)'}` +
      (matches(got, want) ? ` in ${Math.round(performance.now() - start - 1500)} ms` : `; expected ${describeList(want)}`),
  );
  return got;
}

// ---------------------------------------------------------------- the overlay

/** Changes that are not the package's: logs and package managers' own records. */
const EXPECTED_CHANGES = [
  [/^\/var\/log\//, "logs keep what happened (dpkg.log, apt's history, the journal)"],
  [/^\/var\/lib\/dpkg\/(?!info\/)/, "dpkg's database and its backups (the package's own files in info/ are compared)"],
  [/^\/var\/lib\/apt\//, "apt's state"],
  [/^\/var\/cache\/(apt|debconf)\//, "apt's and debconf's caches"],
  [/^\/var\/lib\/snmp\//, "snmpd's persistent state, rewritten at every snmpd stop"],
  [/^\/etc\/(passwd|group|shadow|gshadow)-$/, "the shadow tools' copy of the previous file, made by every user or group change"],
  [/^\/etc\/\.pwd\.lock$/, "the shadow tools' lock file"],
];
/** @param {string} path */
const expectedChange = (path) => EXPECTED_CHANGES.find(([re]) => /** @type {RegExp} */ (re).test(path));
const skipContent = (/** @type {string} */ path) => expectedChange(path) !== undefined;

// ---------------------------------------------------------------- the probe

/** A 95-byte i386 ELF program: exit(0) through int 0x80, then ud2 if that call failed. */
function i386Exit0() {
  const code = Buffer.from([0xb8, 1, 0, 0, 0, 0x31, 0xdb, 0xcd, 0x80, 0x0f, 0x0b]);
  const base = 0x08048000;
  const size = 52 + 32 + code.length;
  const b = Buffer.alloc(size);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]).copy(b, 0);
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(3, 18); // EM_386
  b.writeUInt32LE(1, 20);
  b.writeUInt32LE(base + 84, 24); // entry
  b.writeUInt32LE(52, 28); // phoff
  b.writeUInt16LE(52, 40);
  b.writeUInt16LE(32, 42);
  b.writeUInt16LE(1, 44);
  b.writeUInt32LE(1, 52); // PT_LOAD
  b.writeUInt32LE(0, 56);
  b.writeUInt32LE(base, 60);
  b.writeUInt32LE(base, 64);
  b.writeUInt32LE(size, 68);
  b.writeUInt32LE(size, 72);
  b.writeUInt32LE(5, 76); // R+X
  b.writeUInt32LE(0x1000, 80);
  code.copy(b, 84);
  return b;
}

/**
 * Writes the packaged unit with its ExecStart replaced by the probe (a
 * daemon-reload is needed before it can start).
 * @param {string} name unit name @param {string[]} extraLines added to [Service]
 * @param {string[]} probeArgs
 */
function writeProbeUnit(name, extraLines, probeArgs) {
  const unit = readFileSync(UNIT_FILE, 'utf8')
    .split('\n')
    .filter((l) => !/^(ExecStart|Type|Restart|RestartSec)=/.test(l))
    .map((l) =>
      l === '[Service]'
        ? [
            '[Service]',
            'Type=oneshot',
            `ExecStart=/usr/bin/node ${PROBE_DIR}/hardening-probe.js ${probeArgs.join(' ')}`,
            `Environment=PROBE_DIR=${PROBE_DIR} PROBE_RW=${PROBE_RW}`,
            `StandardOutput=truncate:${PROBE_DIR}/${name}.json`,
            ...extraLines,
          ].join('\n')
        : l,
    )
    .join('\n');
  writeFileSync(`/run/systemd/system/${name}.service`, unit);
}

/** Runs a probe unit written by writeProbeUnit once; its JSON. @param {string} name */
function runProbeUnit(name) {
  const r = status('systemctl', ['start', `${name}.service`]);
  if (r.status !== 0) throw new Error(`${name}: ${r.stderr.trim()}; ${status('journalctl', ['-u', `${name}.service`, '-o', 'cat']).stdout}`);
  return /** @type {Record<string, string>} */ (JSON.parse(readFileSync(`${PROBE_DIR}/${name}.json`, 'utf8')));
}

/** The same probe as a plain transient service of the agent's user and capability. */
function runControlProbe(extraProperties) {
  const out = sh('systemd-run', [
    '--wait', '--pipe', '--quiet', '--unit=bonding-agentx-probe-control',
    '-p', 'User=bonding-agentx', '-p', 'Group=bonding-agentx', '-p', 'SupplementaryGroups=snmp-agentx',
    '-p', 'AmbientCapabilities=CAP_NET_ADMIN', '-p', 'LimitRTPRIO=1', ...extraProperties,
    `--setenv=PROBE_DIR=${PROBE_DIR}`, `--setenv=PROBE_RW=${PROBE_RW}`,
    '/usr/bin/node', `${PROBE_DIR}/hardening-probe.js`,
  ]);
  return /** @type {Record<string, string>} */ (JSON.parse(out));
}

// ---------------------------------------------------------------- the test

async function main() {
  /** @type {import('./lib/overlay-snapshot.js').Layer} */
  let before = new Map();
  let usersBefore = '';
  let groupsBefore = '';
  /** @type {TrapWatch | undefined} */
  let watch;
  let agentPid = 0;
  let agentUid = -1;
  const bonds = { bond0: 0, bond2: 0 };

  await phase('boot', () => {
    const state = status('systemctl', ['is-system-running', '--wait']).stdout.trim();
    const failed = sh('systemctl', ['--failed', '--no-legend', '--plain']).trim();
    check('the system has booted (systemctl is-system-running)', state === 'running', `${state}${failed ? `; failed: ${failed}` : ''}`);
    checkEqual('PID 1 is systemd', 'systemd', readFileSync('/proc/1/comm', 'utf8').trim());
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    measured['bootSeconds'] = uptime;
    checkEqual("Debian's snmpd.service runs", 'active', status('systemctl', ['is-active', 'snmpd.service']).stdout.trim());
    // Debian's default configuration: the file as the snmpd package shipped it.
    const conffiles = sh('dpkg-query', ['-W', '-f=${Conffiles}', 'snmpd']);
    const md5 = /\/etc\/snmp\/snmpd\.conf ([0-9a-f]{32})/.exec(conffiles)?.[1];
    const actual = sh('md5sum', ['/etc/snmp/snmpd.conf']).split(' ')[0];
    check("/etc/snmp/snmpd.conf is Debian's default", md5 === actual, `package ${md5}, file ${actual}`);
  });

  await phase('prepare', () => {
    // This host's container policy forbids starting services from package
    // scripts (policy-rc.d); a server has none. man-db's index rebuild takes
    // minutes over 9p under emulation. Both are host settings, not the package's.
    for (const f of ['/usr/sbin/policy-rc.d', '/var/lib/man-db/auto-update']) {
      if (existsSync(f)) {
        rmSync(f);
        process.stdout.write(`    removed ${f} for this boot\n`);
      }
    }
    // For the test's apt call: no package lists (the VM has no network and
    // the dependencies are installed; parsing the host's lists over 9p takes
    // minutes under emulation), and none of the host's DPkg::Post-Invoke
    // hooks (PackageKit's waits 25 s for a daemon this VM does not run).
    mkdirSync('/run/vm-apt-sources.d', { recursive: true });
    writeFileSync(
      '/run/vm-apt.conf',
      [
        'Dir::Etc::SourceList "/dev/null";',
        'Dir::Etc::SourceParts "/run/vm-apt-sources.d";',
        'Dir::Cache::pkgcache "";',
        'Dir::Cache::srcpkgcache "";',
        '#clear DPkg::Post-Invoke;',
        '',
      ].join('\n'),
    );
    createBonds();
    bonds.bond0 = ifindex('bond0');
    bonds.bond2 = ifindex('bond2');
    mkdirSync(PROBE_DIR, { recursive: true });
    copyFileSync(join(here, 'lib/hardening-probe.js'), `${PROBE_DIR}/hardening-probe.js`);
    writeFileSync(`${PROBE_DIR}/i386-exit0`, i386Exit0());
    chmodSync(`${PROBE_DIR}/i386-exit0`, 0o755);
    before = snapshotUpper(skipContent);
    usersBefore = sh('getent', ['passwd']);
    groupsBefore = sh('getent', ['group']);
    process.stdout.write(`    ${before.size} paths in the overlay's upper layer before installing\n`);
  });

  const trapLog = startTrapReceiver();
  watch = new TrapWatch(trapLog);

  await phase('install', () => {
    const r = status('apt-get', ['-c', '/run/vm-apt.conf', 'install', '-y', '--no-install-recommends', deb]);
    process.stdout.write(r.stdout.split('\n').filter((l) => /Setting up|Unpacking|Created symlink|^E:|^W:/.test(l)).map((l) => `    ${l}\n`).join(''));
    if (!check(`apt-get install ${deb}`, r.status === 0, r.status === 0 ? '' : r.stderr.trim())) {
      throw new Error('the package did not install');
    }
  });
  measured['installSeconds'] = timings['install'];

  await phase('the overlay sees the install', () => {
    // The comparison after the purge can only pass for the right reason if
    // it sees what the install did: every file the package put on the root,
    // and the user database.
    // Paths the upper layer holds now and did not before (created, or copied
    // up to be changed), or whose contents differ from what it held.
    const now = snapshotUpper(() => true);
    /** @param {string} p */
    const changedNow = (p) => {
      const was = before.get(p);
      return was === undefined ? now.has(p) : was.content !== undefined && was.content !== sha256(p);
    };
    // Directories are the host's or the package's own (checked below); paths
    // under /lib are in /usr/lib on a merged-/usr root.
    const files = sh('dpkg-query', ['-L', 'bonding-agentx'])
      .split('\n')
      .filter((f) => f !== '' && !statSync(f).isDirectory())
      .map((f) => join(realpathSync(dirname(f)), basename(f)));
    const missing = [...files, '/usr/lib/bonding-agentx', '/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow',
      '/var/lib/dpkg/info/bonding-agentx.list']
      .filter((f) => !changedNow(f));
    check('the overlay comparison sees every installed path, and the user database written',
      missing.length === 0, missing.length === 0 ? `${[...now.keys()].filter((p) => !before.has(p)).length} paths new in the upper layer` : `not seen: ${missing.slice(0, 10).join(' ')}`);
  });

  await phase('what the package changed', async () => {
    const user = passwdEntry('bonding-agentx');
    const ownGroup = groupId('bonding-agentx');
    const socketGroup = groupId('snmp-agentx');
    check('system user bonding-agentx created', user !== undefined && user.uid < 1000, JSON.stringify(user));
    check('groups bonding-agentx and snmp-agentx created', ownGroup !== undefined && socketGroup !== undefined,
      `${ownGroup} ${socketGroup}`);
    check('bonding-agentx is in snmp-agentx', sh('id', ['-nG', 'bonding-agentx']).split(/\s+/).includes('snmp-agentx'));
    checkEqual('unit enabled', 'enabled', status('systemctl', ['is-enabled', UNIT]).stdout.trim());
    checkEqual('unit started by the package', 'active', status('systemctl', ['is-active', UNIT]).stdout.trim());
    checkEqual('/usr/bin/bonding-agentx --version', `bonding-agentx ${sh('dpkg-deb', ['-f', deb, 'Version']).trim().replace(/~/g, '-')}`,
      sh('/usr/bin/bonding-agentx', ['--version']).trim());
    check('MIB in /usr/share/snmp/mibs', existsSync('/usr/share/snmp/mibs/LINUX-BONDING-MIB.txt'));
    check(`${DROP_IN} is a conffile`, sh('dpkg-query', ['-W', '-f=${Conffiles}', 'bonding-agentx']).includes(DROP_IN));
    const dir = sh('stat', ['-c', '%a %U:%G', '/var/agentx']).trim();
    const socket = sh('stat', ['-c', '%a %U:%G', '/var/agentx/master']).trim();
    checkEqual('/var/agentx lets the group through (traverse only)', '711 root:root', dir);
    checkEqual("snmpd restarted with the drop-in's socket permissions", '660 root:snmp-agentx', socket);

    await waitFor(() => sessionsOpened() > 0, 60000, 'the agent to register with snmpd', 250).catch(() => undefined);
    check('the agent registered with snmpd (AgentX session open)', sessionsOpened() > 0,
      agentLog().map((l) => l['msg']).join(', '));
    agentPid = Number(unitProperty('MainPID'));
    agentUid = user?.uid ?? -1;
    const st = procStatus(agentPid);
    const uidText = `${user?.uid} ${user?.uid} ${user?.uid} ${user?.uid}`;
    checkEqual('agent runs as bonding-agentx (Uid)', uidText, st['Uid'] ?? '');
    checkEqual('agent runs with group bonding-agentx (Gid)', `${ownGroup} ${ownGroup} ${ownGroup} ${ownGroup}`, st['Gid'] ?? '');
    check('agent has snmp-agentx as a supplementary group', (st['Groups'] ?? '').split(' ').includes(String(socketGroup)),
      st['Groups']);
    for (const cap of ['CapEff', 'CapPrm', 'CapBnd', 'CapAmb']) {
      checkEqual(`agent's ${cap} is CAP_NET_ADMIN alone`, CAP_NET_ADMIN, st[cap] ?? '');
    }
    checkEqual('agent has NoNewPrivs', '1', st['NoNewPrivs'] ?? '');
    checkEqual('agent runs under a seccomp filter', '2', st['Seccomp'] ?? '');
    measured['agentStatus'] = st;
    const children = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => readKernelFile(`/proc/${p}/stat`)?.split(') ')[1]?.split(' ')[1] === String(agentPid))
      .map((p) => readKernelFile(`/proc/${p}/cmdline`)?.split('\0').join(' ').trim());
    check('agent follows rtnetlink through `ip -o monitor link`', children.includes('ip -o monitor link'), children.join('; '));
  });

  await phase('snmpd serves the bonds', async () => {
    // The administrator's part, the README's commands: uncomment the view
    // lines of the drop-in, name the trap receiver, reload snmpd.
    sh('sed', ['-i', 's/^#view /view /', DROP_IN]);
    sh('sed', ['-i', `s/^#trap2sink nms.example.net:162 /trap2sink 127.0.0.1:${TRAP_PORT} /`, DROP_IN]);
    check('the drop-in names the trap receiver',
      readFileSync(DROP_IN, 'utf8').includes(`\ntrap2sink 127.0.0.1:${TRAP_PORT} public\n`));
    sh('systemctl', ['reload', 'snmpd.service']);
    const walk = () => parseVarbinds(snmp('snmpwalk', ['-c', 'public', '127.0.0.1', MIB]).stdout);
    /** @type {Map<string, import('./lib/snmp.js').Varbind>} */
    let walked = new Map();
    await waitFor(() => (walked = walk()).has(`${BOND_NAME}.${bonds.bond0}`), 30000, 'the bonding tree through snmpd', 500).catch(
      () => undefined,
    );
    const names = [...walked].filter(([oid]) => oid.startsWith(`${BOND_NAME}.`)).map(([oid, v]) => `${oid.slice(BOND_NAME.length + 1)}=${v.value}`);
    checkEqual('snmpwalk: bondName of each bond at its kernel ifindex', `${bonds.bond0}=bond0 ${bonds.bond2}=bond2`, names.join(' '));
    const slaves = [...walked].filter(([oid]) => oid.startsWith(`${SLAVE_NAME}.`)).map(([oid, v]) => `${oid.slice(SLAVE_NAME.length + 1)}=${v.value}`);
    checkEqual(
      'snmpwalk: bondSlaveName of each slave at (bond, slave) ifindexes',
      [`${bonds.bond0}.${ifindex('eth0')}=eth0`, `${bonds.bond0}.${ifindex('eth1')}=eth1`, `${bonds.bond2}.${ifindex('eth4')}=eth4`].sort().join(' '),
      slaves.sort().join(' '),
    );
    // CAP_NET_ADMIN at work: the kernel shows the 802.3ad actor key only to it.
    const key = readFileSync('/sys/class/net/bond2/bonding/ad_actor_key', 'utf8').trim();
    checkEqual('snmpwalk: bondAdActorKey (shown by the kernel to CAP_NET_ADMIN only)', key,
      walked.get(`${BOND_AD_ACTOR_KEY}.${bonds.bond2}`)?.value ?? 'absent');
    const noCap = status('setpriv', ['--reuid=bonding-agentx', '--regid=bonding-agentx', '--clear-groups', '--inh-caps=-all',
      'cat', '/sys/class/net/bond2/bonding/ad_actor_key']);
    check('without CAP_NET_ADMIN the same user cannot read it', noCap.stdout.trim() === '', `${noCap.stdout.trim()} ${noCap.stderr.trim()}`);
    const descr = parseVarbinds(snmp('snmpget', ['-c', 'public', '127.0.0.1', `${IF_DESCR}.${bonds.bond0}`, `${IF_DESCR}.${bonds.bond2}`]).stdout);
    checkEqual("IF-MIB ifDescr of the same snmpd at those indexes (the drop-in's ifTable view)",
      'bond0 bond2', [...descr.values()].map((v) => v.value).join(' '));
    // The MIB where Net-SNMP's tools look for it (base MIBs from net-snmp's npm package, Debian has none).
    const r = status('snmpget', ['-v2c', '-c', 'public', '-M', '+/usr/lib/bonding-agentx/node_modules/net-snmp/lib/mibs',
      '-m', '+LINUX-BONDING-MIB', '127.0.0.1', `LINUX-BONDING-MIB::bondName.${bonds.bond0}`]);
    checkEqual('snmpget by name with the installed MIB', `LINUX-BONDING-MIB::bondName.${bonds.bond0} = STRING: bond0`, r.stdout.trim());
  });

  await phase('failover reaches the trap receiver', async () => {
    let from = watch.all.length;
    setLinkUp('p0', false);
    await expectNotifications('failover of bond0 (eth0 loses its link) at snmptrapd', watch, from, [
      { name: 'bondSlaveLinkDown', bond: 'bond0', slave: 'eth0' },
      { name: 'bondActiveSlaveChanged', bond: 'bond0', slave: 'eth0->eth1' },
    ]);
    from = watch.all.length;
    setLinkUp('p0', true);
    await expectNotifications('return to the primary at snmptrapd', watch, from, [
      { name: 'bondSlaveLinkUp', bond: 'bond0', slave: 'eth0' },
      { name: 'bondActiveSlaveChanged', bond: 'bond0', slave: 'eth1->eth0' },
    ]);
  });

  await phase('snmpd restarts: the agent registers again', async () => {
    const opened = sessionsOpened();
    sh('systemctl', ['restart', 'snmpd.service']);
    await waitFor(() => sessionsOpened() > opened, 90000, 'a new AgentX session', 250).catch(() => undefined);
    check('a new AgentX session after `systemctl restart snmpd`', sessionsOpened() > opened, `${opened} -> ${sessionsOpened()}`);
    checkEqual('the same agent process (reconnected, not restarted)', String(agentPid), unitProperty('MainPID'));
    const got = parseVarbinds(snmp('snmpget', ['-c', 'public', '127.0.0.1', `${BOND_NAME}.${bonds.bond0}`]).stdout);
    checkEqual('bondName served again', 'bond0', got.get(`${BOND_NAME}.${bonds.bond0}`)?.value ?? 'nothing');
    const from = watch.all.length;
    setLinkUp('p1', false);
    await expectNotifications('a backup slave fails after the restart: notified', watch, from, [
      { name: 'bondSlaveLinkDown', bond: 'bond0', slave: 'eth1' },
    ]);
    setLinkUp('p1', true);
    await expectNotifications('and returns', watch, from, [
      { name: 'bondSlaveLinkDown', bond: 'bond0', slave: 'eth1' },
      { name: 'bondSlaveLinkUp', bond: 'bond0', slave: 'eth1' },
    ]);
  });

  await phase('systemd-analyze security', () => {
    const text = status('systemd-analyze', ['security', '--no-pager', UNIT]).stdout;
    const score = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(text)?.[1] ?? 'NaN');
    measured['exposure'] = score;
    measured['exposureOpen'] = text.split('\n').filter((l) => l.startsWith('✗')).map((l) => l.replace(/\s{2,}/g, '  ').trim());
    check('systemd-analyze security exposure at most 1.5', score <= 1.5, String(score));
    const snmpdText = status('systemd-analyze', ['security', '--no-pager', 'snmpd.service']).stdout;
    measured['snmpdExposure'] = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(snmpdText)?.[1] ?? 'NaN');
    process.stdout.write(`    for comparison, Debian's snmpd.service: ${measured['snmpdExposure']}\n`);
    for (const l of /** @type {string[]} */ (measured['exposureOpen'])) process.stdout.write(`    ${l}\n`);
  });

  await phase('probes and drop-in written (one daemon-reload)', () => {
    // LimitRTPRIO=1: without it the kernel alone refuses realtime scheduling.
    writeProbeUnit('bonding-agentx-probe', ['LimitRTPRIO=1'], ['--ipc']);
    // IPv4 allowed, to see IPAddressDeny= on its own; and ProcSubset=pid,
    // which the unit leaves out, to see why.
    writeProbeUnit('bonding-agentx-probe-variant', ['RestrictAddressFamilies=AF_INET', 'ProcSubset=pid'], []);
    // The README's standalone setup: the packaged unit, the documented
    // drop-in as it is, and a config in the documented place.
    copyFileSync(UNIT_FILE, `/run/systemd/system/${STANDALONE_UNIT}`);
    mkdirSync(`/run/systemd/system/${STANDALONE_UNIT}.d`, { recursive: true });
    copyFileSync('/usr/share/doc/bonding-agentx/examples/standalone.conf', `/run/systemd/system/${STANDALONE_UNIT}.d/standalone.conf`);
    // The README's way: an empty file of the right mode and group, then its contents.
    sh('install', ['-m', '0640', '-g', 'bonding-agentx', '/dev/null', STANDALONE_CONFIG]);
    writeFileSync(STANDALONE_CONFIG, JSON.stringify({
      communities: ['vmtest'],
      trapTargets: [
        { address: `udp:127.0.0.1:${TRAP_PORT}`, community: 'vmtest' },
        { address: 'udp:192.0.2.2:162', community: 'vmtest' },
      ],
    }));
    sh('systemctl', ['daemon-reload']);
  });

  await phase('every hardening line, probed', () => hardeningProbes());

  await phase('standalone drop-in', () => standalone(watch));
  rmSync(PROBE_RW, { recursive: true, force: true });


  watch.close();
  status('systemctl', ['stop', 'vm-trap-receiver.service']);

  await phase('purge', () => {
    const r = status('dpkg', ['--purge', 'bonding-agentx']);
    process.stdout.write(`${r.stdout}${r.stderr}`.split('\n').filter(Boolean).map((l) => `    ${l}\n`).join(''));
    check('dpkg --purge bonding-agentx', r.status === 0, r.stderr.trim());
  });
  measured['purgeSeconds'] = timings['purge'];

  await phase('nothing left behind', () => {
    checkEqual('users as before', usersBefore, sh('getent', ['passwd']));
    checkEqual('groups as before', groupsBefore, sh('getent', ['group']));
    const q = status('dpkg-query', ['-W', '-f=${Status}', 'bonding-agentx']);
    check('dpkg knows the package no more', q.status !== 0 || /not-installed/.test(q.stdout), `${q.stdout}${q.stderr}`.trim());
    check('no unit file bonding-agentx.service', status('systemctl', ['cat', UNIT]).status !== 0);
    const left = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p) && p !== String(process.pid))
      .filter((p) => {
        const owner = /^Uid:\s+(\d+)/m.exec(readKernelFile(`/proc/${p}/status`) ?? '')?.[1];
        return owner === String(agentUid) || /\/(bin|lib)\/bonding-agentx/.test(readKernelFile(`/proc/${p}/cmdline`) ?? '');
      });
    check("no process of the package's or its user's", left.length === 0, left.join(' '));
    const msq = measured['probeMsgQueue'];
    if (typeof msq === 'string' && /^\d+$/.test(msq)) {
      check('RemoveIPC: the message queue the sandboxed probe left is gone once the last unit of the user stopped',
        !sh('ipcs', ['-q']).split('\n').some((l) => l.split(/\s+/)[1] === msq), msq);
    }
    checkEqual('snmpd still runs', 'active', status('systemctl', ['is-active', 'snmpd.service']).stdout.trim());
    const after = snapshotUpper(skipContent);
    const changed = changedPaths(before, after, skipContent);
    const unexpected = changed.filter((c) => expectedChange(c.path) === undefined);
    const expected = changed.filter((c) => expectedChange(c.path) !== undefined);
    /** @type {Record<string, number>} */
    const why = {};
    for (const c of expected) {
      const reason = /** @type {string} */ (expectedChange(c.path)?.[1]);
      why[reason] = (why[reason] ?? 0) + 1;
    }
    measured['changedPaths'] = { unexpected, expected: why };
    check(
      'the root file system as before (overlay upper layer: every path created, changed or removed since the install)',
      unexpected.length === 0,
      unexpected.length === 0
        ? `${changed.length} changed paths, all logs or package-manager records`
        : unexpected.map((c) => `${c.path}: ${describeEntry(c.before)} -> ${describeEntry(c.after)}`).join('; '),
    );
    for (const [reason, n] of Object.entries(why)) process.stdout.write(`    expected: ${n} path(s): ${reason}\n`);
  });

  if (npmBin !== undefined) {
    await phase('the npm route (README, other distributions)', async () => {
      const opened = sessionsOpened();
      sh('sh', [join(here, 'npm-route.sh'), npmBin]);
      await waitFor(() => sessionsOpened() > opened, 90000, 'the npm-installed agent to register', 250).catch(() => undefined);
      check('npm route: the service runs the npm-installed command and registers with snmpd', sessionsOpened() > opened,
        `${unitProperty('ActiveState')}: ${/path=(\S+)/.exec(unitProperty('ExecStart'))?.[1] ?? '?'}`);
      const st = procStatus(unitProperty('MainPID'));
      checkEqual("npm route: the agent's capabilities are CAP_NET_ADMIN alone", CAP_NET_ADMIN, st['CapEff'] ?? '');
      const got = parseVarbinds(snmp('snmpget', ['-c', 'public', '127.0.0.1', `${BOND_NAME}.${bonds.bond0}`]).stdout);
      checkEqual('npm route: snmpd serves bondName', 'bond0', got.get(`${BOND_NAME}.${bonds.bond0}`)?.value ?? 'nothing');
    });
  }
}

async function hardeningProbes() {
  // What the sandbox must be kept from and the control allowed: unprivileged
  // readers may read the kernel log (ProtectKernelLogs), a file in /tmp
  // (PrivateTmp), a directory and a bond setting of the user's own
  // (ProtectSystem, ProtectKernelTunables). All put back below.
  const dmesgRestrict = readFileSync('/proc/sys/kernel/dmesg_restrict', 'utf8').trim();
  const miimon = '/sys/class/net/bond0/bonding/miimon';
  writeFileSync('/proc/sys/kernel/dmesg_restrict', '0');
  writeFileSync('/tmp/vm-probe-marker', 'x');
  mkdirSync(PROBE_RW, { recursive: true });
  sh('chown', ['bonding-agentx:bonding-agentx', PROBE_RW, miimon]);
  let sandbox;
  let control;
  let variant;
  try {
    sandbox = runProbeUnit('bonding-agentx-probe');
    control = runControlProbe([]);
    variant = runProbeUnit('bonding-agentx-probe-variant');
  } finally {
    writeFileSync('/proc/sys/kernel/dmesg_restrict', dmesgRestrict);
    rmSync('/tmp/vm-probe-marker', { force: true });
    sh('chown', ['root:root', miimon]);
  }
  measured['probeSandbox'] = sandbox;
  measured['probeControl'] = control;
  measured['probeVariant'] = variant;
  measured['probeMsgQueue'] = sandbox['msgQueue'];
  const ipSandbox = variant;
  const ipControl = control;
  const init = { mnt: sh('readlink', ['/proc/1/ns/mnt']).trim(), uts: sh('readlink', ['/proc/1/ns/uts']).trim() };
  const user = passwdEntry('bonding-agentx');
  const fullCaps = procStatus(1)['CapBnd'] ?? '';

  /**
   * @typedef {{ probe: string, sandbox: (v: string) => boolean, control: (v: string) => boolean, what: string,
   *   from?: 'ip' }} LineCheck
   */
  const is = (/** @type {string} */ x) => (/** @type {string} */ v) => v === x;
  const not = (/** @type {string} */ x) => (/** @type {string} */ v) => v !== x;
  const ok = is('ok');
  const denied = (/** @type {string} */ v) => v !== 'ok';
  const eperm = (/** @type {string} */ v) => /^setuid=1 setrlimit=1 ptrace=1$/.test(v);
  /** @type {Record<string, LineCheck[]>} every [Service] line of the unit and how it is shown */
  const LINES = {
    User: [{ probe: 'Uid', sandbox: is(`${user?.uid} ${user?.uid} ${user?.uid} ${user?.uid}`), control: () => true, what: 'runs as bonding-agentx' }],
    Group: [{ probe: 'Gid', sandbox: (v) => v.split(' ')[0] === String(groupId('bonding-agentx')), control: () => true, what: 'group bonding-agentx' }],
    SupplementaryGroups: [
      { probe: 'Groups', sandbox: (v) => v.split(' ').includes(String(groupId('snmp-agentx'))), control: () => true, what: 'in snmp-agentx' },
      { probe: 'agentxConnect', sandbox: ok, control: ok, what: "connects to snmpd's AgentX socket" },
    ],
    AmbientCapabilities: [
      { probe: 'CapAmb', sandbox: is(CAP_NET_ADMIN), control: is(CAP_NET_ADMIN), what: 'CAP_NET_ADMIN ambient' },
      { probe: 'adActorKey', sandbox: not('empty'), control: not('empty'), what: "reads bond2's ad_actor_key" },
    ],
    CapabilityBoundingSet: [{ probe: 'CapBnd', sandbox: is(CAP_NET_ADMIN), control: is(fullCaps), what: 'bounding set CAP_NET_ADMIN alone' }],
    NoNewPrivileges: [{ probe: 'NoNewPrivs', sandbox: is('1'), control: is('0'), what: 'no_new_privs set' }],
    ProtectSystem: [{ probe: 'writeOwnDir', sandbox: is('EROFS'), control: ok, what: `cannot write in ${PROBE_RW}, its own directory (all of / read-only)` }],
    ProtectHome: [{ probe: 'readHome', sandbox: is('EACCES'), control: ok, what: 'cannot list /home' }],
    PrivateTmp: [{ probe: 'tmpMarker', sandbox: is('false'), control: is('true'), what: "does not see the host's /tmp" }],
    PrivateDevices: [{ probe: 'devSerial', sandbox: is('false'), control: is('true'), what: 'no /dev/ttyS0' }],
    PrivateMounts: [{ probe: 'nsMnt', sandbox: not(init.mnt), control: is(init.mnt), what: 'a mount namespace of its own' }],
    ProtectKernelTunables: [
      { probe: 'sysfsWrite', sandbox: is('EROFS'), control: ok, what: "cannot write bond0's miimon, though the file is the user's" },
    ],
    ProtectKernelModules: [{ probe: 'kernelModules', sandbox: denied, control: ok, what: 'cannot read /lib/modules' }],
    ProtectKernelLogs: [{ probe: 'dmesg', sandbox: denied, control: ok, what: 'cannot read the kernel log (dmesg)' }],
    ProtectControlGroups: [{ probe: 'cgroupMount', sandbox: is('ro'), control: is('rw'), what: '/sys/fs/cgroup read-only' }],
    ProtectClock: [{ probe: 'adjtimex', sandbox: denied, control: ok, what: 'no adjtimex(2), not even to read' }],
    ProtectHostname: [{ probe: 'nsUts', sandbox: not(init.uts), control: is(init.uts), what: 'a UTS namespace of its own' }],
    ProtectProc: [
      { probe: 'procPid1', sandbox: is('false'), control: is('true'), what: "does not see other users' processes (/proc/1)" },
      { probe: 'procNetBonding', sandbox: ok, control: ok, what: 'reads /proc/net/bonding/bond0' },
    ],
    UMask: [{ probe: 'umask', sandbox: is('0077'), control: is('0022'), what: 'umask 0077' }],
    RemoveIPC: [{ probe: 'msgQueue', sandbox: (v) => /^\d+$/.test(v), control: () => true, what: 'left a message queue (removed: see after the purge)' }],
    RestrictAddressFamilies: [
      { probe: 'udpSocket', sandbox: is('EAFNOSUPPORT'), control: ok, what: 'no IP socket' },
      { probe: 'netlink', sandbox: ok, control: ok, what: 'rtnetlink (ip link show)' },
    ],
    IPAddressDeny: [
      { probe: 'udpSendOut', sandbox: is('EPERM'), control: ok, what: 'with AF_INET allowed, a datagram to 192.0.2.2 is dropped', from: 'ip' },
    ],
    RestrictNamespaces: [{ probe: 'userns', sandbox: denied, control: ok, what: 'cannot create a user namespace' }],
    RestrictRealtime: [{ probe: 'realtime', sandbox: denied, control: ok, what: 'no SCHED_FIFO (with LimitRTPRIO=1 in both)' }],
    RestrictSUIDSGID: [{ probe: 'suid', sandbox: is('EPERM'), control: ok, what: 'cannot make a file set-user-ID' }],
    LockPersonality: [{ probe: 'personality', sandbox: denied, control: ok, what: 'cannot switch personality (setarch linux32)' }],
    SystemCallArchitectures: [{ probe: 'i386', sandbox: denied, control: ok, what: 'an i386 program cannot make a system call' }],
    SystemCallFilter: [
      { probe: 'Seccomp', sandbox: is('2'), control: is('0'), what: 'seccomp filter mode' },
      { probe: 'syscalls', sandbox: eperm, control: is('setuid=0 setrlimit=0 ptrace=0'), what: 'setuid, setrlimit, ptrace refused' },
    ],
    SystemCallErrorNumber: [{ probe: 'syscalls', sandbox: eperm, control: () => true, what: 'refused with EPERM, not killed' }],
  };
  const NOT_HARDENING = new Set(['Type', 'ExecStart', 'Restart', 'RestartSec']);
  const service = readFileSync(UNIT_FILE, 'utf8').split('[Service]')[1]?.split('[Install]')[0] ?? '';
  const serviceKeys = [...new Set(service.split('\n').filter((l) => /^\w+=/.test(l)).map((l) => l.slice(0, l.indexOf('='))))];
  // Left out of the unit, and why: with ProcSubset=pid the kernel shows no
  // /proc/net/bonding, not even under /proc/self/net.
  check(
    'ProcSubset=pid (not in the unit) would hide /proc/net/bonding and /proc/self/net/bonding',
    variant['procNetBonding'] === 'ENOENT' && variant['procSelfNetBonding'] === 'ENOENT' && variant['procPid1'] === 'false',
    `${variant['procNetBonding']} ${variant['procSelfNetBonding']}`,
  );
  const unchecked = serviceKeys.filter((k) => !NOT_HARDENING.has(k) && !(k in LINES));
  check('every hardening line of the unit has a probe', unchecked.length === 0, unchecked.join(' ') || `${serviceKeys.length - NOT_HARDENING.size} lines`);
  for (const key of serviceKeys) {
    for (const c of LINES[key] ?? []) {
      const s = (c.from === 'ip' ? ipSandbox : sandbox)[c.probe] ?? 'missing';
      const k = (c.from === 'ip' ? ipControl : control)[c.probe] ?? 'missing';
      check(`${key}: ${c.what}`, c.sandbox(s) && c.control(k), `sandbox ${s}, control ${k}`);
    }
  }
}

/**
 * The README's standalone drop-in (written before the last daemon-reload):
 * the embedded agent on UDP 161, no snmpd. The packaged service keeps
 * running meanwhile (it waits for snmpd, as it would for a master that is
 * not there yet: its reconnection is the snmpd restart's check).
 * @param {TrapWatch} watch
 */
async function standalone(watch) {
  sh('systemctl', ['stop', 'snmpd.service']);
  sh('systemctl', ['start', STANDALONE_UNIT]);
  try {
    const listening = () => agentLog(STANDALONE_UNIT).some((l) => l['msg'] === 'standalone agent listening');
    await waitFor(listening, 60000, 'the standalone agent', 250).catch(() => undefined);
    check('standalone drop-in: the agent listens on UDP 161', listening(), unitProperty('ActiveState', STANDALONE_UNIT));
    const walked = parseVarbinds(snmp('snmpwalk', ['-c', 'vmtest', '127.0.0.1', `${BOND_NAME}`]).stdout);
    checkEqual('standalone: snmpwalk of bondName', 'bond0 bond2', [...walked.values()].map((v) => v.value).join(' '));
    const engine = agentLog(STANDALONE_UNIT).filter((l) => String(l['msg']).startsWith('engine state'));
    const engineFile = '/var/lib/bonding-agentx/engine/snmp-engine.json';
    check('standalone: engine boots kept in /var/lib/bonding-agentx/engine (StateDirectory=), no warning; its parent root\'s',
      existsSync(engineFile) && statSync(engineFile).uid !== 0 && statSync('/var/lib/bonding-agentx').uid === 0 &&
        engine.every((l) => l['level'] !== 40 && l['level'] !== 'warn'),
      JSON.stringify(engine));
    const st = procStatus(unitProperty('MainPID', STANDALONE_UNIT));
    checkEqual('standalone: CAP_NET_ADMIN and CAP_NET_BIND_SERVICE only', (0x1000n | 0x400n).toString(16).padStart(16, '0'), st['CapEff'] ?? '');
    const from = watch.all.length;
    setLinkUp('p0', false);
    await expectNotifications('standalone: failover notified to the receiver on localhost', watch, from, [
      { name: 'bondSlaveLinkDown', bond: 'bond0', slave: 'eth0' },
      { name: 'bondActiveSlaveChanged', bond: 'bond0', slave: 'eth0->eth1' },
    ]);
    const refused = agentLog(STANDALONE_UNIT).filter(
      (l) => l['msg'] === 'notification not sent' && String(l['target']).startsWith('udp:192.0.2.2'),
    );
    const codes = refused.map((l) => /** @type {{ code?: string }} */ (l['err'])?.code);
    check('standalone: the same to 192.0.2.2 stopped by IPAddressDeny (not in IPAddressAllow)',
      refused.length === 2 && codes.every((c) => c === 'EPERM'), codes.join(' ') || 'none refused');
    setLinkUp('p0', true);
    await sleep(2000);
  } finally {
    sh('systemctl', ['stop', STANDALONE_UNIT]);
    rmSync(STANDALONE_CONFIG, { force: true });
    sh('systemctl', ['start', 'snmpd.service']);
  }
}

let exitCode = 1;
try {
  await main();
  exitCode = checks.every((c) => c.ok) ? 0 : 1;
} catch (err) {
  check('the test ran to its end', false, err instanceof Error ? err.stack ?? err.message : String(err));
}
measured['vmSeconds'] = Math.round((performance.now() - t0) / 100) / 10;
const failed = checks.filter((c) => !c.ok);
process.stdout.write(`\n${checks.length - failed.length} of ${checks.length} checks passed` +
  `${failed.length ? `; failed: ${failed.map((c) => c.name).join('; ')}` : ''}\n`);
process.stdout.write(`timings (s): ${JSON.stringify(timings)}\n`);
process.stdout.write(
  `exposure ${measured['exposure']} (snmpd.service ${measured['snmpdExposure']}), install ${measured['installSeconds']} s, ` +
    `purge ${measured['purgeSeconds']} s, driver ${measured['vmSeconds']} s after boot\n`,
);
if (results !== undefined) {
  writeFileSync(join(results, 'package-systemd.json'), JSON.stringify({ checks, timings, measured }, null, 2));
  if (exitCode !== 0) status('sh', ['-c', `journalctl -b --no-pager -o short-monotonic > ${results}/journal.log 2>&1`]);
}
process.exit(exitCode);
