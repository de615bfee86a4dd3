// What link events cost in bond reads. On a container host most rtnetlink
// events are veths joining and leaving a bridge: they must cost no bond read.
// Beside them, the same number of events about a bond's slave, which must
// cost reads (coalesced: one read at a time, events meanwhile collapse).
//
// Real veths and a real bridge in a network namespace of the bench's own,
// real `ip monitor` (the agent's LinkMonitor), and the agent's watcher over a
// real-kernel capture. Needs CAP_NET_ADMIN (ip netns add). Run after
// building: npm run build && node bench/link-events.js [--events 1000]
// Quick mode (BENCH_QUICK=1): 50 events of each kind.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { BondingWatcher } from '../dist/runtime/bonding-watcher.js';
import { LinkMonitor } from '../dist/runtime/link-monitor.js';
import { silentLogger } from '../dist/support/index.js';
import { quick, skip } from './lib/quick.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: quick('1000', '50') } } });
const EVENTS = Number(values.events);
const CAPTURE = join(import.meta.dirname, '..', 'test', 'fixtures', 'kernel-6.1-debian', '01-all-up');
const NS = `bxt-bench-${process.pid}`;

const ip = (...args) => execFileSync('ip', ['-n', NS, ...args], { stdio: 'ignore' });

try {
  execFileSync('ip', ['netns', 'add', NS], { stdio: 'ignore' });
} catch {
  skip('cannot create a network namespace (needs CAP_NET_ADMIN: run as root)');
}

const watcher = new BondingWatcher({
  roots: { sysfs: join(CAPTURE, 'sys'), procfs: join(CAPTURE, 'proc') },
  pollIntervalMs: 3_600_000,
  logger: silentLogger,
  onUpdate: () => undefined,
});
let seen = 0;
const monitor = new LinkMonitor({
  command: ['ip', '-n', NS, '-o', 'monitor', 'link'],
  onEvent: (e) => {
    seen++;
    watcher.onLinkEvent(e);
  },
  logger: silentLogger,
});

try {
  await watcher.start();
  monitor.start();
  // `ip monitor` says nothing when it is ready: make links until their events come through.
  for (let i = 0; seen === 0 && i < 200; i++) {
    ip('link', 'add', `probe${i}`, 'type', 'veth', 'peer', 'name', `probe${i}p`);
    await sleep(25);
  }
  ip('link', 'add', 'br0', 'type', 'bridge');
  ip('link', 'set', 'br0', 'up');
  await sleep(200);

  // 1. Veths joining, flapping in and leaving a bridge, as containers do, until EVENTS events came.
  const before = { ...watcher.reads };
  const from = seen;
  const started = performance.now();
  for (let i = 0; seen - from < EVENTS; i++) {
    const v = `veth${i}`;
    ip('link', 'add', v, 'type', 'veth', 'peer', 'name', `ceth${i}`);
    ip('link', 'set', v, 'master', 'br0');
    ip('link', 'set', v, 'up');
    ip('link', 'set', `ceth${i}`, 'up');
    ip('link', 'set', v, 'nomaster');
    ip('link', 'del', v);
    if (i % 10 === 9) await sleep(1);
  }
  for (let quiet = 0; quiet < 20; quiet++) {
    const at = seen;
    await sleep(50);
    if (seen !== at) quiet = 0;
  }
  await watcher.whenIdle();
  const foreign = { events: seen - from, ms: performance.now() - started };
  const foreignReads = {
    full: watcher.reads.full - before.full,
    bond: watcher.reads.bond - before.bond,
    lookups: watcher.reads.lookups - before.lookups,
  };

  // 2. The same number of events about a bond's slave (eth0 of bond0 in the capture), as fast.
  const mid = { ...watcher.reads };
  for (let i = 0; i < foreign.events; i++) {
    watcher.onLinkEvent({ ifIndex: 4, name: 'eth0', master: 'bond0', deleted: false });
    if (i % 10 === 9) await sleep(1);
  }
  await sleep(1000); // the settle watch after the last event
  await watcher.whenIdle();
  const ours = { full: watcher.reads.full - mid.full, bond: watcher.reads.bond - mid.bond };

  console.log(
    `${foreign.events} link events of veths in a bridge (in ${(foreign.ms / 1000).toFixed(1)} s): ` +
      `bond reads ${foreignReads.bond}, full reads ${foreignReads.full}, bonding_masters lookups ${foreignReads.lookups}`,
  );
  console.log(
    `${foreign.events} link events of a bond's slave (eth0 of bond0): bond reads ${ours.bond}, full reads ${ours.full} ` +
      '(one read at a time, events meanwhile coalesced, plus the re-reads while the driver decides)',
  );
} finally {
  monitor.stop();
  watcher.stop();
  execFileSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
}
