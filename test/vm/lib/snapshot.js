// Copies what the kernel shows about bonds into a plain directory tree laid
// out as under `/`, the format of the project's real-kernel fixtures.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { readKernelFile } from './net.js';

const SYS_NET = '/sys/class/net';
const PROC_BONDING = '/proc/net/bonding';

/** Per-interface attributes kept in the fixtures. */
export const INTERFACE_ATTRIBUTES = Object.freeze([
  'ifindex', 'iflink', 'operstate', 'carrier', 'speed', 'duplex', 'address', 'mtu', 'type', 'flags', 'ifalias',
]);

/** The user nobody, with no capabilities: /proc/net/bonding hides LACP details from it. */
const UNPRIVILEGED = ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all'];

/**
 * @param {string} path
 * @param {string} text
 */
function writeText(path, text) {
  writeFileSync(path, text);
}

/**
 * A file the kernel refuses to read (EINVAL on `speed` of a down link) is
 * kept as an empty file, as the fixtures have it.
 * @param {string} from
 * @param {string} to
 */
function copyAttribute(from, to) {
  writeText(to, readKernelFile(from) ?? '');
}

/**
 * Reads /proc/net/bonding/<bond> for every bond in one unprivileged process.
 * @param {readonly string[]} bonds
 * @returns {Map<string, string>}
 */
function readProcUnprivileged(bonds) {
  if (bonds.length === 0) return new Map();
  const script = `for b in "$@"; do cat "${PROC_BONDING}/$b"; printf '\\0'; done`;
  const out = execFileSync('setpriv', [...UNPRIVILEGED, 'sh', '-c', script, 'sh', ...bonds], { encoding: 'utf8' });
  const parts = out.split('\0');
  return new Map(bonds.map((bond, i) => [bond, parts[i] ?? '']));
}

/**
 * Captures the current state of every interface and bond into `outDir`.
 * @param {string} outDir
 */
export function captureState(outDir) {
  const netDir = join(outDir, 'sys/class/net');
  mkdirSync(netDir, { recursive: true });
  mkdirSync(join(outDir, 'proc/net/bonding'), { recursive: true });
  mkdirSync(join(outDir, 'proc-unprivileged/net/bonding'), { recursive: true });

  // ip first: it is the slowest read, and the sysfs files should not be older than it.
  writeText(join(outDir, 'ip-link.json'), execFileSync('ip', ['-d', '-j', 'link', 'show'], { encoding: 'utf8' }));
  copyAttribute(join(SYS_NET, 'bonding_masters'), join(netDir, 'bonding_masters'));

  for (const name of readdirSync(SYS_NET)) {
    const from = join(SYS_NET, name);
    if (!lstatSync(from).isSymbolicLink()) continue; // bonding_masters
    const to = join(netDir, name);
    mkdirSync(to, { recursive: true });
    for (const attribute of INTERFACE_ATTRIBUTES) copyAttribute(join(from, attribute), join(to, attribute));
    for (const entry of readdirSync(from)) {
      if (entry === 'master' || entry.startsWith('lower_') || entry.startsWith('upper_')) {
        // Kept as a plain file holding the link's target: fixtures must survive any checkout.
        writeText(join(to, entry), readlinkSync(join(from, entry)));
      } else if (entry === 'bonding' || entry === 'bonding_slave') {
        mkdirSync(join(to, entry), { recursive: true });
        for (const attribute of readdirSync(join(from, entry))) {
          copyAttribute(join(from, entry, attribute), join(to, entry, attribute));
        }
      }
    }
  }

  const bonds = readdirSync(PROC_BONDING).sort();
  for (const bond of bonds) copyAttribute(join(PROC_BONDING, bond), join(outDir, 'proc/net/bonding', bond));
  for (const [bond, text] of readProcUnprivileged(bonds)) {
    writeText(join(outDir, 'proc-unprivileged/net/bonding', bond), text);
  }
}
