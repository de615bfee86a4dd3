import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diff, parseProcBonding, readSnapshot, type BondingEvent, type BondingSnapshot } from '../../src/bonding/index.js';
import { DEMO_SCHEDULE } from '../../src/demo/schedule.js';
import { SimulatedHost } from '../../src/demo/simulated-host.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'examples', 'demo-host');
let host: SimulatedHost | undefined;

afterEach(async () => {
  await host?.remove();
  host = undefined;
});

const story = (events: readonly BondingEvent[]): string[] =>
  events.map((e) => [e.type, e.bond.name, 'slave' in e ? e.slave.name : ''].join(' ').trim());

async function step(h: SimulatedHost, prev: BondingSnapshot, ...changes: Parameters<SimulatedHost['apply']>[0][]) {
  for (const c of changes) await h.apply(c);
  const next = await readSnapshot(h.roots);
  expect(next.warnings).toEqual([]);
  return { next, events: story(diff(prev, next)) };
}

describe('SimulatedHost', () => {
  it('starts as the capture: three bonds, every link up, bond0 on its primary', async () => {
    host = await SimulatedHost.create(FIXTURE);
    const snap = await readSnapshot(host.roots);
    expect(snap.warnings).toEqual([]);
    expect(snap.bonds.map((b) => [b.name, b.mode, b.miiStatus, b.activeSlave])).toEqual([
      ['bond0', 'active-backup', 'up', 'eth0'],
      ['bond1', 'balance-rr', 'up', undefined],
      ['bond2', '802.3ad', 'up', undefined],
    ]);
    expect(snap.bonds.flatMap((b) => b.slaves.map((s) => s.miiStatus))).toEqual(Array(6).fill('up'));
  });

  it('fails over, keeps eth1 when eth0 returns (primary_reselect better, equal speed), and fails back when eth1 fails', async () => {
    host = await SimulatedHost.create(FIXTURE);
    const start = await readSnapshot(host.roots);
    const down = await step(host, start, { bond: 'bond0', slave: 'eth0', up: false });
    expect(down.events).toEqual(['slaveLinkDown bond0 eth0', 'activeSlaveChanged bond0']);
    const bond0 = down.next.bonds[0]!;
    expect(bond0.activeSlave).toBe('eth1');
    expect(bond0.slaves.map((s) => [s.name, s.state, s.miiStatus, s.linkFailureCount, s.operState, s.carrier])).toEqual([
      ['eth0', 'backup', 'down', 1, 'lowerlayerdown', false],
      ['eth1', 'active', 'up', 0, 'up', true],
    ]);
    const back = await step(host, down.next, { bond: 'bond0', slave: 'eth0', up: true });
    expect(back.events).toEqual(['slaveLinkUp bond0 eth0']);
    expect(back.next.bonds[0]!.activeSlave).toBe('eth1');
    const failBack = await step(host, back.next, { bond: 'bond0', slave: 'eth1', up: false });
    expect(failBack.events).toEqual(['slaveLinkDown bond0 eth1', 'activeSlaveChanged bond0']);
    expect(failBack.next.bonds[0]!.activeSlave).toBe('eth0');
  });

  it('takes a bond down with its last link and up with the first, speed following the links', async () => {
    host = await SimulatedHost.create(FIXTURE);
    const start = await readSnapshot(host.roots);
    expect(start.bonds[1]!.speedMbps).toBe(20000);
    const one = await step(host, start, { bond: 'bond1', slave: 'eth2', up: false });
    expect(one.events).toEqual(['slaveLinkDown bond1 eth2']);
    expect(one.next.bonds[1]!.speedMbps).toBe(10000);
    const none = await step(host, one.next, { bond: 'bond1', slave: 'eth3', up: false });
    expect(none.events).toEqual(['slaveLinkDown bond1 eth3', 'bondLinkDown bond1']);
    expect([none.next.bonds[1]!.miiStatus, none.next.bonds[1]!.operState, none.next.bonds[1]!.speedMbps]).toEqual(['down', 'down', undefined]);
    const up = await step(host, none.next, { bond: 'bond1', slave: 'eth2', up: true }, { bond: 'bond1', slave: 'eth3', up: true });
    expect(up.events).toContain('bondLinkUp bond1');
    expect(up.next.bonds[1]!.speedMbps).toBe(20000);
  });

  it('keeps procfs in step with sysfs', async () => {
    host = await SimulatedHost.create(FIXTURE);
    await host.apply({ bond: 'bond0', slave: 'eth0', up: false });
    const text = readFileSync(join(host.roots.procfs, 'net', 'bonding', 'bond0'), 'utf8');
    const parsed = parseProcBonding(text, 'bond0');
    expect(parsed.warnings).toEqual([]);
    expect(parsed.bond.activeSlave).toBe('eth1');
    expect(text).toMatch(/^Currently Active Slave: eth1$/m);
    expect(text).toMatch(/Slave Interface: eth0\nMII Status: down\n(.*\n)*?Link Failure Count: 1\n/);
    expect(text).toMatch(/^MII Status: up$/m);
  });

  it('plays the whole demo schedule twice with a consistent story and no reader warning', async () => {
    host = await SimulatedHost.create(FIXTURE);
    let snap = await readSnapshot(host.roots);
    const told: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (const s of DEMO_SCHEDULE) {
        const r = await step(host, snap, ...s.changes);
        told.push(...r.events);
        snap = r.next;
      }
    }
    expect(told.filter((e) => e === 'activeSlaveChanged bond0')).toHaveLength(4);
    expect(told.filter((e) => e === 'bondLinkDown bond1')).toHaveLength(2);
    // After two rounds every link is up again, and each failed link counted its failures.
    expect(snap.bonds.flatMap((b) => b.slaves.map((s) => [s.name, s.miiStatus, s.linkFailureCount]))).toEqual([
      ['eth0', 'up', 2],
      ['eth1', 'up', 2],
      ['eth2', 'up', 2],
      ['eth3', 'up', 2],
      ['eth4', 'up', 0],
      ['eth5', 'up', 0],
    ]);
  });

  it('remove() leaves nothing behind', async () => {
    const h = await SimulatedHost.create(FIXTURE);
    expect(existsSync(h.dir)).toBe(true);
    await h.remove();
    expect(existsSync(h.dir)).toBe(false);
  });
});
