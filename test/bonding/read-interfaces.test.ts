import { cpSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarningSink } from '../../src/bonding/attribute-reader.js';
import { readInterfaces, updateInterfaces } from '../../src/bonding/read-interfaces.js';
import { handmadeRoots, kernelRoots } from './fixture-roots.js';

describe('readInterfaces', () => {
  it('every interface of a real capture, in ifindex order, with what it is stacked on from both sides', () => {
    const sink = new WarningSink();
    const roots = kernelRoots('01-all-up');
    const interfaces = readInterfaces(roots, sink);
    expect(sink.warnings).toEqual([]);
    const names = readdirSync(join(roots.sysfs, 'class', 'net')).filter((n) => n !== 'bonding_masters');
    expect(interfaces.map((i) => i.name).sort()).toEqual(names.sort());
    expect(interfaces.map((i) => i.ifIndex)).toEqual([...interfaces.map((i) => i.ifIndex)].sort((a, b) => a! - b!));
    const byName = new Map(interfaces.map((i) => [i.name, i]));
    expect(byName.get('bond2')).toMatchObject({ lowers: ['eth4', 'eth5'], uppers: [], type: 1 });
    expect(byName.get('eth4')).toMatchObject({ lowers: [], uppers: ['bond2'], operState: 'up' });
    expect(byName.get('lo')).toMatchObject({ ifIndex: 1, type: 772, lowers: [], uppers: [] });
    expect(byName.get('p0')).toMatchObject({ lowers: [], uppers: [] });
  });

  it("old kernels: a bond's slave_<name> entries and a slave's master link", () => {
    const sink = new WarningSink();
    const interfaces = readInterfaces(handmadeRoots('linux-2.6.32-active-backup'), sink);
    const byName = new Map(interfaces.map((i) => [i.name, i]));
    expect(byName.get('bond0')).toMatchObject({ lowers: ['eth0', 'eth1'] });
    expect(byName.get('eth0')).toMatchObject({ uppers: ['bond0'] });
  });

  it('an enslaved, then released interface: the change is read on both sides', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-'));
    try {
      cpSync(join(kernelRoots('01-all-up').sysfs, '..'), dir, { recursive: true });
      const roots = { sysfs: join(dir, 'sys'), procfs: join(dir, 'proc') };
      const net = join(roots.sysfs, 'class', 'net');
      const sink = new WarningSink();
      const before = readInterfaces(roots, sink);
      // p0 is put under bond1 (the kernel makes both links).
      writeFileSync(join(net, 'bond1', 'lower_p0'), '../p0');
      writeFileSync(join(net, 'p0', 'upper_bond1'), '../bond1');
      const after = updateInterfaces(roots, before, 'p0', sink);
      const get = (list: typeof before, name: string) => list.find((i) => i.name === name)!;
      expect(get(after, 'bond1').lowers).toEqual(['eth2', 'eth3', 'p0']);
      expect(get(after, 'p0').uppers).toEqual(['bond1']);
      unlinkSync(join(net, 'bond1', 'lower_p0'));
      unlinkSync(join(net, 'p0', 'upper_bond1'));
      const released = updateInterfaces(roots, after, 'p0', sink);
      expect(get(released, 'bond1').lowers).toEqual(['eth2', 'eth3']);
      expect(released).toEqual(before);
      // A deleted interface leaves the list, and its upper forgets it.
      rmSync(join(net, 'eth3'), { recursive: true });
      unlinkSync(join(net, 'bond1', 'lower_eth3'));
      const deleted = updateInterfaces(roots, released, 'eth3', sink);
      expect(deleted.some((i) => i.name === 'eth3')).toBe(false);
      expect(get(deleted, 'bond1').lowers).toEqual(['eth2']);
      expect(sink.warnings).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
