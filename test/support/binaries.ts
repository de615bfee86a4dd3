import { accessSync, constants, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

// Daemons live in sbin, which is not on an unprivileged user's PATH.
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin', '/usr/local/bin'];

export function findBinary(name: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} not found in ${dirs.join(':')}: install the Debian packages snmpd, snmptrapd and snmp`);
}

let clientDir: string | undefined;

/**
 * Environment for the command-line tools: their own config directory (no MIB
 * loading, so no warnings on hosts without MIB files) and a persistent
 * directory of their own, so that running as root never writes /var/lib/snmp.
 * One fixed directory per user, reused: workers may be ended by a signal,
 * where no cleanup runs, so a directory per run would pile up.
 */
export function clientEnv(): NodeJS.ProcessEnv {
  if (clientDir === undefined) {
    const dir = join(tmpdir(), `net-snmp-client-${process.getuid?.() ?? 'user'}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Written aside and renamed, so a parallel worker never reads half a file.
    const staged = join(dir, `snmp.conf.${process.pid}`);
    writeFileSync(staged, `mibs :\npersistentDir ${dir}\n`);
    renameSync(staged, join(dir, 'snmp.conf'));
    clientDir = dir;
  }
  return { ...process.env, SNMPCONFPATH: clientDir, SNMP_PERSISTENT_DIR: clientDir };
}

/** Environment for a daemon whose files all live in `dir`. */
export function daemonEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, SNMPCONFPATH: dir, SNMP_PERSISTENT_DIR: join(dir, 'persist') };
}
