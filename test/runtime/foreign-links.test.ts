/**
 * On a container host most rtnetlink events are veths joining and leaving a
 * bridge. None of them concerns a bond: they must cost no bond read at all.
 * Real veths and a real bridge in a namespace of the test's own, real
 * `ip monitor`, and the watcher over a real-kernel capture.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BondingWatcher } from '../../src/runtime/bonding-watcher.js';
import type { LinkEvent } from '../../src/runtime/ip-monitor-line.js';
import { LinkMonitor } from '../../src/runtime/link-monitor.js';
import { PrivateNetns } from '../support/netns.js';
import { recordingLogger } from '../support/recording-logger.js';

const CAPTURE = join(import.meta.dirname, '..', 'fixtures', 'kernel-6.1-debian', '01-all-up');

describe.runIf(PrivateNetns.available())('link events of interfaces that are not bonds or their slaves', () => {
  let ns: PrivateNetns;
  let monitor: LinkMonitor;
  let watcher: BondingWatcher;
  const events: LinkEvent[] = [];

  beforeAll(async () => {
    ns = PrivateNetns.create('bridge');
    const { logger, lines } = recordingLogger();
    watcher = new BondingWatcher({
      roots: { sysfs: join(CAPTURE, 'sys'), procfs: join(CAPTURE, 'proc') },
      pollIntervalMs: 3_600_000,
      logger,
      onUpdate: () => undefined,
    });
    await watcher.start();
    monitor = new LinkMonitor({
      command: ns.monitorCommand(),
      onEvent: (e) => {
        events.push(e);
        watcher.onLinkEvent(e);
      },
      logger,
    });
    monitor.start();
    // `ip monitor` says nothing when it is ready: make links until their events come through.
    for (let i = 0; events.length === 0 && i < 100; i++) {
      ns.ip('link', 'add', `probe${i}`, 'type', 'veth', 'peer', 'name', `probe${i}p`);
      await sleep(50);
    }
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  afterAll(() => {
    monitor?.stop();
    watcher?.stop();
    ns?.remove();
  });

  it('veths joining, flapping in and leaving a bridge cause no bond read', async () => {
    const before = { ...watcher.reads };
    const seen = events.length;
    ns.ip('link', 'add', 'br0', 'type', 'bridge');
    ns.ip('link', 'set', 'br0', 'up');
    for (let i = 0; i < 5; i++) {
      ns.ip('link', 'add', `veth${i}`, 'type', 'veth', 'peer', 'name', `ceth${i}`);
      ns.ip('link', 'set', `veth${i}`, 'master', 'br0');
      ns.ip('link', 'set', `veth${i}`, 'up');
      ns.ip('link', 'set', `ceth${i}`, 'up');
      ns.ip('link', 'set', `ceth${i}`, 'down');
      ns.ip('link', 'set', `veth${i}`, 'nomaster');
      ns.ip('link', 'del', `veth${i}`);
    }
    // The last deletion's event marks the end of the burst.
    for (let i = 0; !events.some((e) => e.name === 'veth4' && e.deleted) && i < 200; i++) await sleep(25);
    await watcher.whenIdle();
    const burst = events.slice(seen);
    expect(burst.filter((e) => e.master === 'br0').length).toBeGreaterThanOrEqual(5);
    expect({ full: watcher.reads.full - before.full, bond: watcher.reads.bond - before.bond }).toEqual({ full: 0, bond: 0 });
  });
});
