import { describe, expect, it } from 'vitest';
import { readSnapshot, type NetInterface } from '../../src/bonding/index.js';
import { buildStackView, IF_STACK_ENTRY, IF_STACK_LAST_CHANGE, IF_STACK_STATUS, stackPairs, stackSignature } from '../../src/if-mib/index.js';
import { kernelRoots } from '../bonding/fixture-roots.js';

const iface = (name: string, ifIndex: number, lowers: string[] = [], uppers: string[] = []): NetInterface => ({
  name,
  ifIndex,
  type: 1,
  operState: 'up',
  lowers,
  uppers,
});

describe('ifStackTable (RFC 2863)', () => {
  it('a bond over its slaves, a VLAN over the bond, a bridge over the VLAN, and the 0 rows at the ends', () => {
    const pairs = stackPairs([
      iface('lo', 1),
      iface('bond0', 2, ['eth0', 'eth1'], ['bond0.10']),
      iface('eth0', 3, [], ['bond0']),
      iface('eth1', 4, [], ['bond0']),
      iface('bond0.10', 5, ['bond0'], ['br0']),
      // The bridge's side alone tells the relation (its port's upper_ link not read yet).
      iface('br0', 6, ['bond0.10']),
    ]);
    expect(pairs).toEqual([
      [0, 1],
      [0, 6],
      [1, 0],
      [2, 3],
      [2, 4],
      [3, 0],
      [4, 0],
      [5, 2],
      [6, 5],
    ]);
  });

  it('from a real capture: every bond over its slaves, every other interface alone', async () => {
    const snapshot = await readSnapshot(kernelRoots('01-all-up'));
    const pairs = stackPairs(snapshot.interfaces);
    const index = new Map(snapshot.interfaces.map((i) => [i.name, i.ifIndex!]));
    const expected: [number, number][] = [];
    for (const i of snapshot.interfaces) {
      const bond = snapshot.bonds.find((b) => b.name === i.name);
      const master = snapshot.bonds.find((b) => b.slaves.some((s) => s.name === i.name));
      if (bond === undefined || bond.slaves.length === 0) expected.push([i.ifIndex!, 0]);
      for (const s of bond?.slaves ?? []) expected.push([i.ifIndex!, index.get(s.name)!]);
      if (master === undefined) expected.push([0, i.ifIndex!]);
    }
    expect(pairs).toEqual(expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  });

  it('serves active(1) under each pair and ifStackLastChange.0; the signature follows the pairs', () => {
    const pairs = stackPairs([iface('bond0', 2, ['eth0']), iface('eth0', 3, [], ['bond0'])]);
    const view = buildStackView(pairs, 4242);
    expect(view.get([...IF_STACK_ENTRY, IF_STACK_STATUS, 2, 3])).toEqual({ type: 'Integer', value: 1 });
    expect(view.get([...IF_STACK_ENTRY, IF_STACK_STATUS, 0, 2])).toEqual({ type: 'Integer', value: 1 });
    expect(view.get([...IF_STACK_ENTRY, IF_STACK_STATUS, 3, 0])).toEqual({ type: 'Integer', value: 1 });
    expect(view.get([...IF_STACK_ENTRY, IF_STACK_STATUS, 3, 2]).type).toBe('noSuchInstance');
    expect(view.get([...IF_STACK_LAST_CHANGE, 0])).toEqual({ type: 'TimeTicks', value: 4242 });
    expect(view.size).toBe(4);
    expect(stackSignature(pairs)).not.toBe(stackSignature(stackPairs([iface('bond0', 2), iface('eth0', 3)])));
  });
});
