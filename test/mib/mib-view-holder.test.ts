import { describe, expect, it } from 'vitest';
import { MibView, MibViewBuilder, MibViewHolder } from '../../src/mib/index.js';
import { snmp } from '../../src/snmp/index.js';
import { bulkRun } from './bulk-run.js';

const ENTRY = [1, 3, 6, 1, 4, 1, 99999, 1, 1];

function viewOf(rows: number, tag: number): MibView {
  const b = new MibViewBuilder().table(ENTRY, [1, 2]);
  for (let i = 1; i <= rows; i++) b.row(ENTRY, [i], { 1: snmp.integer(tag), 2: snmp.integer(tag) });
  return b.build();
}

describe('MibViewHolder', () => {
  it('starts empty and serves what was installed last', () => {
    const holder = new MibViewHolder();
    expect(holder.getNext([], false)).toBeUndefined();
    const first = viewOf(2, 1);
    expect(holder.replace(first)).toBe(MibView.empty);
    expect(holder.get([...ENTRY, 1, 2])).toEqual(snmp.integer(1));
    expect(holder.replace(viewOf(2, 2))).toBe(first);
    expect(holder.get([...ENTRY, 1, 2])).toEqual(snmp.integer(2));
    expect(holder.getNext([...ENTRY, 1, 2], false, undefined)?.value).toEqual(snmp.integer(2));
  });

  it('leaves a view taken before a swap whole', () => {
    const holder = new MibViewHolder(viewOf(3, 1));
    const pinned = holder.current;
    holder.replace(viewOf(1, 2));
    // a PDU answered from the pinned view sees only old rows, in full
    expect(bulkRun(pinned, [], false, undefined, 100).map((vb) => vb.value)).toEqual(Array(6).fill(snmp.integer(1)));
    expect(bulkRun(holder.current, [], false, undefined, 100).map((vb) => vb.value)).toEqual(Array(2).fill(snmp.integer(2)));
  });

  it('given how to build a view, builds it at its first read, once, and never if a newer one comes first', () => {
    const holder = new MibViewHolder();
    let built = 0;
    const lazily = (tag: number) => () => {
      built++;
      return viewOf(2, tag);
    };
    holder.replace(lazily(1));
    holder.replace(lazily(2)); // replaced unread: never built
    expect(built).toBe(0);
    expect(holder.get([...ENTRY, 1, 2])).toEqual(snmp.integer(2));
    expect(holder.getNext([...ENTRY, 1, 1], false, undefined)?.value).toEqual(snmp.integer(2));
    expect(holder.current.size).toBe(4);
    expect(built).toBe(1);
    const built2 = holder.current;
    expect(holder.replace(viewOf(1, 3))).toBe(built2);
    expect(holder.replace(lazily(4))).toBeInstanceOf(MibView);
    expect(holder.replace(viewOf(1, 5))).toBeUndefined(); // the unread one was never built
    expect(built).toBe(1);
  });
});
