import { describe, expect, it } from 'vitest';
import type { BondingSnapshot } from '../../src/bonding/index.js';
import { LinkEventRouter } from '../../src/runtime/link-event-router.js';
import type { LinkEvent } from '../../src/runtime/ip-monitor-line.js';
import { bond, slave, snapshot } from '../bonding/snapshot-builder.js';

const known: BondingSnapshot = snapshot(bond('bond0', 2, [slave('eth0', 4), slave('eth1', 6)]));
const event = (name: string, fields: Partial<LinkEvent> = {}): LinkEvent => ({ ifIndex: 99, name, master: undefined, deleted: false, ...fields });

function router(listed: string[]) {
  let asked = 0;
  const r = new LinkEventRouter(() => {
    asked++;
    return new Set(listed);
  });
  return { r, asked: () => asked };
}

describe('LinkEventRouter', () => {
  it('reads the bond an event concerns: the bond itself, one of its slaves, a slave joining it', () => {
    const { r, asked } = router(['bond0']);
    for (const e of [event('bond0'), event('eth1'), event('eth9', { master: 'bond0' })]) {
      expect(r.route(e, known)).toMatchObject({ read: 'bond', bond: { name: 'bond0' } });
    }
    expect(asked()).toBe(0);
  });

  it('reads everything when a bond it knows is deleted, or a bond it does not know yet appears', () => {
    const { r } = router(['bond0', 'bond1']);
    expect(r.route(event('bond0', { deleted: true }), known)).toEqual({ read: 'full' });
    expect(r.route(event('bond1'), known)).toEqual({ read: 'full' });
    expect(r.route(event('eth7', { master: 'bond1' }), known)).toEqual({ read: 'full' });
  });

  it('asks bonding_masters once about a bridge, however many of its ports move', () => {
    const { r, asked } = router(['bond0']);
    for (let i = 0; i < 100; i++) expect(r.route(event(`veth${i}`, { master: 'br0' }), known)).toEqual({ read: 'none' });
    expect(asked()).toBe(1);
  });

  it('asks again about a name once that interface was deleted: a bond may take the name', () => {
    const { r, asked } = router(['bond0']);
    expect(r.route(event('br0'), known)).toEqual({ read: 'none' });
    expect(r.route(event('br0'), known)).toEqual({ read: 'none' });
    expect(asked()).toBe(1);
    expect(r.route(event('br0', { deleted: true }), known)).toEqual({ read: 'none' });
    expect(r.route(event('br0'), known)).toEqual({ read: 'none' });
    expect(asked()).toBe(2);
  });

  it('forgets what it learnt after a full read, and reads nothing for a deleted stranger', () => {
    const { r, asked } = router([]);
    r.route(event('veth0'), known);
    r.forget();
    r.route(event('veth0'), known);
    expect(asked()).toBe(2);
    expect(r.route(event('veth1', { deleted: true }), known)).toEqual({ read: 'none' });
    expect(asked()).toBe(2);
  });

  it('an unreadable bonding_masters is no bond: the periodic check is the safety net', () => {
    const r = new LinkEventRouter(() => undefined);
    expect(r.route(event('bond5'), undefined)).toEqual({ read: 'none' });
  });
});
