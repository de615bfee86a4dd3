/**
 * The local check reads only what it judges (procfs, and sysfs for what
 * procfs cannot say); the full reader reads everything. On every fixture the
 * two must give the check the same model: the lean read is a shortcut, never
 * a second opinion.
 */
import { describe, expect, it } from 'vitest';
import { readSnapshot, type Roots } from '../../src/bonding/index.js';
import { checkInputOf } from '../../src/check/from-snapshot.js';
import { readLocal } from '../../src/check/read-local.js';
import { handmadeRoots } from '../bonding/fixture-roots.js';
import { captureRoots, EditedTree } from './support.js';

const cases: [string, () => Roots][] = [
  ...['01-all-up', '02-failover', '03-recovered', '04-bond1-down'].flatMap((state): [string, () => Roots][] => [
    [`${state} (proc)`, () => captureRoots(state)],
    [`${state} (proc-unprivileged)`, () => captureRoots(state, 'proc-unprivileged')],
  ]),
  ...['linux-2.6.32-active-backup', 'linux-3.2-802.3ad', 'vanishing', 'garbage'].map((name): [string, () => Roots] => [name, () => handmadeRoots(name)]),
];

describe('lean local read = full reader, for the check', () => {
  it.each(cases)('%s', async (_name, roots) => {
    const lean = await readLocal(roots());
    const full = checkInputOf(await readSnapshot(roots()));
    expect(lean.bonds).toEqual(full.bonds);
    expect([...lean.notes].sort()).toEqual([...full.notes].sort());
  });

  it('unprivileged with ad_aggregator hidden, and a bond without procfs file: still the same', async () => {
    const tree = new EditedTree('02-failover', 'proc-unprivileged');
    try {
      tree.write(tree.sysFile('bond2', 'bonding', 'ad_aggregator'), '');
      // bond3's procfs file is gone: that bond is read from sysfs alone.
      tree.write(tree.procFile('bond3'), '');
      const lean = await readLocal(tree.roots);
      const full = checkInputOf(await readSnapshot(tree.roots));
      expect(lean.bonds).toEqual(full.bonds);
      expect(lean.bonds.find((b) => b.name === 'bond2')?.activeAggregator).toBeUndefined();
      expect(lean.bonds.find((b) => b.name === 'bond3')?.slaves.map((s) => s.name)).toEqual(['eth6', 'eth7']);
    } finally {
      tree.remove();
    }
  });
});
