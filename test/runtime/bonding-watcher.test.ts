import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BondingWatcher, type SnapshotUpdate } from '../../src/runtime/bonding-watcher.js';
import { ManualTimers } from '../support/manual-timers.js';
import { recordingLogger, type LogLine } from '../support/recording-logger.js';

const CAPTURE = join(import.meta.dirname, '..', 'fixtures', 'kernel-6.1-debian', '01-all-up');

let dir: string;
let watcher: BondingWatcher | undefined;
let timers: ManualTimers;
let updates: SnapshotUpdate[];
let warnings: LogLine[];

/** Rewrites a sysfs file in one rename, as the kernel's files never show half a value. */
function setSys(path: string, value: string): void {
  const file = join(dir, 'sys', 'class', 'net', path);
  writeFileSync(`${file}.new`, `${value}\n`);
  renameSync(`${file}.new`, file);
}

/**
 * Rewrites one `Key: value` line of /proc/net/bonding/<bond> (in `slave`'s block, else in the
 * bond's header), in one rename: the kernel prints that file in one pass.
 */
function setProc(bond: string, key: string, value: string, slave?: string): void {
  const file = join(dir, 'proc', 'net', 'bonding', bond);
  const text = readFileSync(file, 'latin1');
  const blocks = text.split('\n\n');
  const at = slave === undefined ? blocks.findIndex((b) => b.includes(`\n${key}: `)) : blocks.findIndex((b) => b.startsWith(`Slave Interface: ${slave}\n`));
  const line = new RegExp(`^${key.replace(/[()]/g, '\\$&')}: .*$`, 'm');
  if (at < 0 || !line.test(blocks[at]!)) throw new Error(`no "${key}" line for ${slave ?? bond} in ${file}`);
  blocks[at] = blocks[at]!.replace(line, `${key}: ${value}`);
  writeFileSync(`${file}.new`, blocks.join('\n\n'));
  renameSync(`${file}.new`, file);
}

function make(pollIntervalMs = 3_600_000, settleMarginMs = 10, fullReadEvery = 6): BondingWatcher {
  const recorded = recordingLogger();
  warnings = recorded.lines;
  watcher = new BondingWatcher({
    roots: { sysfs: join(dir, 'sys'), procfs: join(dir, 'proc') },
    pollIntervalMs,
    logger: recorded.logger,
    onUpdate: (u) => void updates.push(u),
    settleMarginMs,
    fullReadEvery,
    timers,
  });
  return watcher;
}

/** Time passes: every timer due fires, and every read it starts finishes before the next one fires. */
const advance = (ms: number) => timers.advance(ms);

const told = (from = 1) => updates.slice(from).flatMap((u) => u.events.map((e) => `${e.type}${'inferred' in e && e.inferred ? ' inferred' : ''}`));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'watcher-'));
  cpSync(CAPTURE, dir, { recursive: true });
  updates = [];
  warnings = [];
  timers = new ManualTimers(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await watcher?.whenIdle();
  });
});

afterEach(() => {
  watcher?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('BondingWatcher', () => {
  it('reads everything at start, without events', async () => {
    const snapshot = await make().start();
    expect(snapshot.bonds.map((b) => b.name)).toHaveLength(8);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ initial: true, scope: 'full', events: [] });
  });

  it('re-reads only the bond of a slave whose link changed, and tells what changed', async () => {
    const w = make();
    await w.start();
    setProc('bond0', 'MII Status', 'down', 'eth1');
    setProc('bond0', 'Link Failure Count', '1', 'eth1');
    w.onLinkEvent({ ifIndex: 6, name: 'eth1', master: 'bond0', deleted: false });
    await w.whenIdle();
    expect(updates.length).toBe(2);
    expect(updates[1]!.scope).toBe('bond0');
    expect(updates[1]!.events.map((e) => `${e.type} ${'slave' in e ? e.slave.name : ''}`)).toEqual(['slaveLinkDown eth1']);
  });

  it('reads the bond again once the driver had time to decide (miimon + delays)', async () => {
    const w = make();
    await w.start();
    w.onLinkEvent({ ifIndex: 4, name: 'eth0', master: 'bond0', deleted: false });
    await w.whenIdle();
    expect(w.reads.bond).toBe(1);
    // The driver acts only after downdelay: the first read saw nothing new, and said nothing.
    expect(updates).toHaveLength(1);
    await advance(200);
    setProc('bond0', 'MII Status', 'down', 'eth0');
    setProc('bond0', 'Currently Active Slave', 'eth1');
    // bond0: miimon 100, downdelay 200: it is read again every 50 ms until 410 ms (100 + 200 + 100 + 10).
    await advance(50);
    expect(updates.length).toBe(2);
    expect(updates[1]!.events.map((e) => e.type)).toEqual(['slaveLinkDown', 'activeSlaveChanged']);
    await advance(600);
    expect(w.reads.bond).toBeGreaterThanOrEqual(5);
    expect(w.reads.bond).toBe(1 + 8 + 1); // the event's read, one every 50 ms to 400 ms, and the last at 410 ms
    const after = w.reads.bond;
    await advance(300);
    expect(w.reads.bond).toBe(after); // and then it stops
  });

  it('ignores interfaces that are neither bonds nor slaves', async () => {
    const w = make();
    await w.start();
    w.onLinkEvent({ ifIndex: 99, name: 'veth1234', master: undefined, deleted: false });
    w.onLinkEvent({ ifIndex: 99, name: 'veth1234', master: undefined, deleted: true });
    await advance(100);
    // No bond read; the veth's stacking is read at each event (ifStackTable): at its creation, and its deletion.
    expect(w.reads).toEqual({ full: 1, bond: 0, interfaces: 2, lookups: 1 });
  });

  it('reads everything for a new bond or a slave of an unknown bond', async () => {
    const w = make();
    await w.start();
    setSys('bonding_masters', 'bond0 bond1 bond2 bond3 bond4 bond5 bond6 bond7 bond8');
    w.onLinkEvent({ ifIndex: 99, name: 'bond8', master: undefined, deleted: false });
    await w.whenIdle();
    expect(w.reads.full).toBe(2);
    setSys('bonding_masters', 'bond0 bond1 bond2 bond3 bond4 bond5 bond6 bond7 bond8 bond9');
    w.onLinkEvent({ ifIndex: 98, name: 'eth99', master: 'bond9', deleted: false });
    await w.whenIdle();
    expect(w.reads.full).toBe(3);
    expect(w.reads.bond).toBe(0);
  });

  it('coalesces requests that arrive during a read', async () => {
    const w = make();
    await w.start();
    for (let i = 0; i < 10; i++) w.requestFull();
    await w.whenIdle();
    // The first request started a read; the other nine became one more.
    expect(w.reads.full).toBe(3);
  });

  it('polls cheaply: only a bond whose /proc/net/bonding file changed is re-read', async () => {
    const w = make(100, 10, 1000);
    await w.start();
    // The first poll has nothing to compare with and reads everything.
    await advance(100);
    expect(w.reads.full).toBe(2);
    await advance(350);
    expect(w.reads).toEqual({ full: 2, bond: 0, interfaces: 0, lookups: 0 });
    const proc = join(dir, 'proc', 'net', 'bonding', 'bond1');
    writeFileSync(proc, readFileSync(proc, 'utf8').replace('Link Failure Count: 0', 'Link Failure Count: 1'));
    await advance(100);
    await advance(50);
    expect(updates.length).toBe(2);
    // bond1 only; twice, since a risen failure count is a flap to confirm.
    expect(w.reads).toMatchObject({ full: 2, bond: 2 });
    expect(updates[1]!.scope).toBe('bond1');
    // Nothing changed, nothing reported.
    expect(updates).toHaveLength(2);
  });

  it('reads everything every few polls, for what only sysfs shows', async () => {
    const w = make(100, 10, 3);
    await w.start();
    await advance(100); // the first poll
    expect(w.reads.full).toBe(2);
    // Only sysfs shows this: the /proc/net/bonding files stay the same.
    setSys('eth4/mtu', '9000');
    await advance(100);
    expect(updates).toHaveLength(1);
    await advance(100); // the third poll reads everything
    expect(updates.length).toBe(2);
    expect(updates[1]!.scope).toBe('full');
    expect(w.reads).toEqual({ full: 3, bond: 0, interfaces: 0, lookups: 0 });
  });

  it('reports a changed read even without events (a counter moved)', async () => {
    const w = make();
    await w.start();
    setProc('bond2', 'Actor Churned Count', '1', 'eth4');
    w.requestFull();
    await w.whenIdle();
    expect(updates).toHaveLength(2);
    expect(updates[1]!.events).toEqual([]);
  });

  it('looks again before telling an inferred flap: a torn read is not a flap', async () => {
    // Seen on a real 6.1 kernel: the driver raises the failure count a moment
    // before it marks the slave down, and one read caught the count alone.
    const w = make();
    await w.start();
    setProc('bond0', 'Link Failure Count', '1', 'eth1');
    w.requestBond('bond0');
    await w.whenIdle();
    setProc('bond0', 'MII Status', 'down', 'eth1');
    await advance(50);
    expect(updates.length).toBe(2);
    await advance(200);
    expect(told()).toEqual(['slaveLinkDown']);
  });

  it('tells a flap that the second look confirms', async () => {
    const w = make();
    await w.start();
    setProc('bond0', 'Link Failure Count', '1', 'eth1');
    w.requestBond('bond0');
    await w.whenIdle();
    expect(updates).toHaveLength(1);
    await advance(50);
    expect(updates.length).toBe(2);
    expect(told()).toEqual([
      'slaveLinkDown inferred',
      'slaveLinkUp inferred',
    ]);
    expect(w.reads.bond).toBe(2);
  });

  it('reports nothing once stopped, even from a read that was under way', async () => {
    const w = make();
    await w.start();
    setProc('bond0', 'MII Status', 'down', 'eth1');
    w.requestFull();
    w.stop();
    await w.whenIdle();
    expect(updates).toHaveLength(1);
  });

  it('logs a malformed file once, not at every read', async () => {
    const w = make();
    await w.start();
    setSys('bond0/bonding/use_carrier', 'garbage');
    w.requestFull();
    await w.whenIdle();
    w.requestFull();
    await w.whenIdle();
    const about = warnings.filter((x) => JSON.stringify(x.obj).includes('use_carrier'));
    expect(about).toHaveLength(1);
  });
});
