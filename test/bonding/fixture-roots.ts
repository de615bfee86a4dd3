import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Roots } from '../../src/bonding/index.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export const KERNEL_STATES = ['01-all-up', '02-failover', '03-recovered', '04-bond1-down'] as const;
export type KernelState = (typeof KERNEL_STATES)[number];

/** A real-kernel capture, read as root (`proc`) or as an unprivileged user (`proc-unprivileged`). */
export function kernelRoots(state: KernelState, proc: 'proc' | 'proc-unprivileged' = 'proc'): Roots {
  const dir = join(FIXTURES, 'kernel-6.1-debian', state);
  return { sysfs: join(dir, 'sys'), procfs: join(dir, proc) };
}

export function handmadeRoots(name: string): Roots {
  const dir = join(FIXTURES, 'handmade', name);
  return { sysfs: join(dir, 'sys'), procfs: join(dir, 'proc') };
}
