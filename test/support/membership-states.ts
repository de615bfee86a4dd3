/**
 * Hand-made states beside the real captures, for changes of membership the
 * captures do not show: a slave released from its bond (ip link set X
 * nomaster), a bond deleted (ip link del bondX). Each copies a state of a
 * FixtureHost and changes what the kernel would change in sysfs and procfs.
 */
import { cpSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FixtureHost } from './fixture-host.js';

const procFiles = (dir: string, bond: string) => ['proc', 'proc-unprivileged'].map((p) => join(dir, p, 'net', 'bonding', bond));

/** `state` of `host` as `base` with `slave` released from `bond`: its links gone, its procfs block gone. */
export function addReleasedState(host: FixtureHost, base: string, state: string, bond: string, slave: string): string {
  const dir = join(host.dir, state);
  cpSync(join(host.dir, base), dir, { recursive: true });
  const net = join(dir, 'sys', 'class', 'net');
  unlinkSync(join(net, bond, `lower_${slave}`));
  unlinkSync(join(net, slave, `upper_${bond}`));
  unlinkSync(join(net, slave, 'master'));
  rmSync(join(net, slave, 'bonding_slave'), { recursive: true });
  const slaves = readFileSync(join(net, bond, 'bonding', 'slaves'), 'utf8').trim().split(/\s+/).filter((s) => s !== slave);
  writeFileSync(join(net, bond, 'bonding', 'slaves'), `${slaves.join(' ')}\n`);
  for (const file of procFiles(dir, bond)) {
    const blocks = readFileSync(file, 'utf8').split('\n\n');
    writeFileSync(file, blocks.filter((b) => !b.startsWith(`Slave Interface: ${slave}\n`)).join('\n\n'));
  }
  return state;
}

/** `state` of `host` as `base` with `bond` deleted: the bond and its slaves' links to it gone. */
export function addDeletedBondState(host: FixtureHost, base: string, state: string, bond: string): string {
  const dir = join(host.dir, state);
  cpSync(join(host.dir, base), dir, { recursive: true });
  const net = join(dir, 'sys', 'class', 'net');
  const slaves = readFileSync(join(net, bond, 'bonding', 'slaves'), 'utf8').trim().split(/\s+/).filter(Boolean);
  for (const slave of slaves) {
    unlinkSync(join(net, slave, `upper_${bond}`));
    unlinkSync(join(net, slave, 'master'));
    rmSync(join(net, slave, 'bonding_slave'), { recursive: true });
  }
  rmSync(join(net, bond), { recursive: true });
  const masters = readFileSync(join(net, 'bonding_masters'), 'utf8').trim().split(/\s+/).filter((b) => b !== bond);
  writeFileSync(join(net, 'bonding_masters'), `${masters.join(' ')}\n`);
  for (const file of procFiles(dir, bond)) rmSync(file, { force: true });
  return state;
}
