import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readBond, readSnapshot } from '../../src/bonding/index.js';
import { kernelRoots } from './fixture-roots.js';

/** Runs when the reader lists a directory: lets a test delete things mid-read, as the kernel does. */
let onList: ((path: string) => void) | undefined;

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    readdirSync: ((path: string, ...rest: unknown[]) => {
      const result = (fs.readdirSync as (...a: unknown[]) => unknown)(path, ...rest);
      onList?.(String(path));
      return result;
    }) as typeof fs.readdirSync,
  };
});

let dir: string;
const roots = () => ({ sysfs: join(dir, 'sys'), procfs: join(dir, 'proc') });
const net = (...p: string[]) => join(dir, 'sys', 'class', 'net', ...p);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'deleted-bond-'));
  const from = kernelRoots('01-all-up');
  cpSync(from.sysfs, join(dir, 'sys'), { recursive: true });
  cpSync(from.procfs, join(dir, 'proc'), { recursive: true });
});

afterEach(() => {
  onList = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('a bond deleted while it is read', () => {
  it('drops out when its ifindex and its bonding/ directory are gone (the driver released the slaves first)', async () => {
    // Seen on a real 6.1 kernel: bonding_masters still listed the bond, its
    // directory was half torn down.
    rmSync(net('bond0', 'ifindex'));
    rmSync(net('bond0', 'bonding'), { recursive: true });
    const snapshot = await readSnapshot(roots());
    expect(snapshot.bonds.map((b) => b.name)).not.toContain('bond0');
    expect(snapshot.bonds).toHaveLength(7);
    expect((await readBond(roots(), 'bond0')).bond).toBeUndefined();
  });

  it('drops out when it is deleted right after the reader found it (its files vanish mid-read)', async () => {
    onList = (path) => {
      if (path === net('bond0', 'bonding')) {
        onList = undefined;
        rmSync(net('bond0'), { recursive: true });
      }
    };
    const snapshot = await readSnapshot(roots());
    expect(snapshot.bonds.map((b) => b.name)).toEqual(['bond1', 'bond2', 'bond3', 'bond4', 'bond5', 'bond6', 'bond7']);
  });

  it('is still reported, without an index, when only its ifindex cannot be read', async () => {
    rmSync(net('bond0', 'ifindex'));
    const bond0 = (await readSnapshot(roots())).bonds.find((b) => b.name === 'bond0');
    expect(bond0?.ifIndex).toBeUndefined();
    expect(bond0?.mode).toBe('active-backup');
  });
});
