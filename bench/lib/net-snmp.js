// Real Net-SNMP daemons and tools for the benchmarks (plain JS: benchmarks run
// against dist/ without a TypeScript step). Everything lives in a temp dir and
// listens on loopback; every daemon is stopped by PID.
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { freeUdpPort } from '../../dist/net/free-port.js';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

export function findBinary(name) {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN]) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // next
    }
  }
  throw new Error(`${name} not found: install the Debian packages snmpd, snmptrapd and snmp`);
}

/** Runs a Net-SNMP tool; resolves with its output and wall time in ms. */
export function run(tool, args, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(findBinary(tool), args, { env, maxBuffer: 512 * 1024 * 1024, timeout: 300_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const ms = performance.now() - t0;
      if (err) reject(new Error(`${tool} ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve({ stdout, ms });
    });
  });
}

/** Tools keep every file they write in `dir`, even as root. */
function clientEnvIn(dir) {
  mkdirSync(join(dir, 'client'), { recursive: true });
  writeFileSync(join(dir, 'client', 'snmp.conf'), `mibs :\npersistentDir ${join(dir, 'client')}\n`);
  return { ...process.env, SNMPCONFPATH: join(dir, 'client'), SNMP_PERSISTENT_DIR: join(dir, 'client') };
}

function daemon(name, args, dir) {
  mkdirSync(join(dir, 'persist'), { recursive: true });
  const env = { ...process.env, SNMPCONFPATH: dir, SNMP_PERSISTENT_DIR: join(dir, 'persist') };
  const child = spawn(findBinary(name), args, { env, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const gone = await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]);
    if (!gone) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  return { child, stop };
}

/** snmpd as AgentX master on a unix socket in `dir`, optionally forwarding notifications to `trapPort`. */
export async function startSnmpd(dir, { trapPort } = {}) {
  mkdirSync(dir, { recursive: true });
  const socketPath = join(dir, 'agentx.sock');
  const port = await freeUdpPort();
  const conf = [
    'master agentx',
    `agentXSocket unix:${socketPath}`,
    'agentXPerms 0660 0770',
    'agentXTimeout 5',
    'agentXRetries 1',
    'rocommunity public 127.0.0.1',
    'dontLogTCPWrappersConnects yes',
    ...(trapPort ? [`trap2sink 127.0.0.1:${trapPort} public`] : []),
    '',
  ];
  writeFileSync(join(dir, 'snmpd.conf'), conf.join('\n'));
  const clientEnv = clientEnvIn(dir);
  const args = ['-f', '-C', '-c', join(dir, 'snmpd.conf'), '-m', '', '-Lf', join(dir, 'snmpd.log'), '-p', join(dir, 'snmpd.pid'), `udp:127.0.0.1:${port}`];
  let current = daemon('snmpd', args, dir);
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (current.child.exitCode !== null) throw new Error(`snmpd exited with ${current.child.exitCode}; see ${dir}/snmpd.log`);
    if (existsSync(socketPath)) {
      try {
        await run('snmpget', ['-v2c', '-c', 'public', '-t', '0.5', '-r', '0', `127.0.0.1:${port}`, '1.3.6.1.2.1.1.3.0'], clientEnv);
        break;
      } catch {
        // not yet
      }
    }
    if (Date.now() > deadline) {
      await current.stop();
      throw new Error('snmpd did not answer within 15 s');
    }
    await sleep(50);
  }
  return {
    port,
    target: `127.0.0.1:${port}`,
    master: `unix:${socketPath}`,
    clientEnv,
    get pid() {
      return current.child.pid;
    },
    /** Stops snmpd (SIGTERM, SIGKILL after 3 s); its directory stays, for `relaunch`. */
    stop: () => current.stop(),
    /** SIGKILL, as a crash: the AgentX socket stays behind. */
    kill9: async () => {
      if (current.child.exitCode !== null || current.child.signalCode !== null) return;
      const gone = new Promise((resolve) => current.child.once('exit', resolve));
      current.child.kill('SIGKILL');
      await gone;
    },
    /** Starts snmpd again, same port, socket and files; returns at once: whoever needs it answers waits for that. */
    relaunch: () => {
      if (current.child.exitCode === null && current.child.signalCode === null) throw new Error('snmpd is still running');
      current = daemon('snmpd', args, dir);
    },
  };
}

/**
 * snmptrapd logging one line per notification to a file; `arrivals` gets
 * (performance.now(), line) as soon as the line is written (inotify), which is
 * when the notification has arrived.
 */
export async function startSnmptrapd(dir, onNotification) {
  mkdirSync(dir, { recursive: true });
  const port = await freeUdpPort();
  const log = join(dir, 'traps.log');
  writeFileSync(log, '');
  writeFileSync(join(dir, 'snmptrapd.conf'), 'disableAuthorization yes\ndontLogTCPWrappersConnects yes\n');
  const args = ['-f', '-C', '-c', join(dir, 'snmptrapd.conf'), '-m', '', '-On', '-Lf', log, '-p', join(dir, 'snmptrapd.pid'),
    '-F', 'TRAP %V\t%v END\n', `udp:127.0.0.1:${port}`];
  const { child, stop } = daemon('snmptrapd', args, dir);
  let offset = 0;
  let pending = '';
  const drain = () => {
    const now = performance.now();
    const text = readFileSync(log, 'utf8');
    pending += text.slice(offset);
    offset = text.length;
    let end;
    while ((end = pending.indexOf(' END\n')) >= 0) {
      const record = pending.slice(0, end);
      pending = pending.slice(end + 5);
      if (record.includes('TRAP ')) onNotification(now, record.slice(record.indexOf('TRAP ') + 5));
    }
  };
  const watcher = watch(log, drain);
  // Ready when it logs a probe.
  const probe = '1.3.6.1.4.1.8072.9999.9999.0.42';
  const clientEnv = clientEnvIn(dir);
  const deadline = Date.now() + 15_000;
  while (!readFileSync(log, 'utf8').includes(probe)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      watcher.close();
      await stop();
      throw new Error(`snmptrapd did not start; see ${log}`);
    }
    await run('snmptrap', ['-v2c', '-c', 'public', `127.0.0.1:${port}`, '', probe], clientEnv).catch(() => undefined);
    await sleep(100);
  }
  return {
    port,
    stop: async () => {
      watcher.close();
      await stop();
    },
  };
}

export function percentile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
