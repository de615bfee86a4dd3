import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnapshot, type BondingSnapshot } from '../../src/bonding/index.js';
import { IF_STACK_LAST_CHANGE } from '../../src/if-mib/index.js';
import { dot3adTablesLastChanged } from '../../src/lag-mib/oids.js';
import { MibView, MibViewHolder } from '../../src/mib/index.js';
import { ViewSet } from '../../src/runtime/served-views.js';
import { snmp } from '../../src/snmp/index.js';

const CAPTURE = join(import.meta.dirname, '..', 'fixtures', 'kernel-6.1-debian', '01-all-up');
const scalar = (oid: readonly number[]) => [...oid, 0];

describe('ViewSet: the standard tables built at their first read', () => {
  it('dates a change when it is built, not when the tables are first read', async () => {
    const first = await readSnapshot({ sysfs: join(CAPTURE, 'sys'), procfs: join(CAPTURE, 'proc') });
    // The last interface gone: its stack rows go, and with it, if it is an 802.3ad slave, its LAG row.
    const lacp = first.bonds.find((b) => b.mode === '802.3ad');
    expect(lacp).toBeDefined();
    const second: BondingSnapshot = {
      ...first,
      interfaces: first.interfaces.filter((i) => i.name !== lacp!.slaves[0]!.name),
      bonds: first.bonds.map((b) => (b === lacp ? { ...b, slaves: b.slaves.slice(1) } : b)),
    };
    const views = new ViewSet(true);
    const origin = 1_000;
    const atStart = views.build(first, new Map(), 2_000, origin);
    const changed = views.build(second, new Map(), 6_000, origin); // 5 s on the serving agent's clock
    expect(typeof changed.ifStack).toBe('function');
    expect(typeof changed.lag).toBe('function');

    // Read much later: the TimeStamps still say when the change was seen.
    const stack = new MibViewHolder(changed.ifStack);
    const lag = new MibViewHolder(changed.lag);
    expect(stack.get(scalar(IF_STACK_LAST_CHANGE))).toEqual(snmp.timeTicks(500));
    expect(lag.get(scalar(dot3adTablesLastChanged))).toEqual(snmp.timeTicks(500));
    // Nothing changed since the agent started: 0.
    expect(new MibViewHolder(atStart.ifStack).get(scalar(IF_STACK_LAST_CHANGE))).toEqual(snmp.timeTicks(0));
    expect(stack.current.size).toBeLessThan(new MibViewHolder(atStart.ifStack).current.size);
  });

  it('--no-standard-mibs: none', async () => {
    const snapshot = await readSnapshot({ sysfs: join(CAPTURE, 'sys'), procfs: join(CAPTURE, 'proc') });
    const views = new ViewSet(false).build(snapshot, new Map(), 0, 0);
    expect(views.ifStack).toBeUndefined();
    expect(views.lag).toBeUndefined();
    expect(views.bonding).toBeInstanceOf(MibView);
  });
});
