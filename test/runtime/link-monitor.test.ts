import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { LinkMonitor } from '../../src/runtime/link-monitor.js';
import type { LinkEvent } from '../../src/runtime/ip-monitor-line.js';
import { ManualTimers } from '../support/manual-timers.js';
import { recordingLogger } from '../support/recording-logger.js';

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function canMakeVeth(): boolean {
  try {
    execFileSync('ip', ['link', 'add', 'bxtprobe0', 'type', 'veth', 'peer', 'name', 'bxtprobe1'], { stdio: 'ignore' });
    execFileSync('ip', ['link', 'del', 'bxtprobe0'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('LinkMonitor', () => {
  let monitor: LinkMonitor | undefined;
  afterEach(() => monitor?.stop());

  it.runIf(canMakeVeth())('reports real rtnetlink link changes of a veth pair', async () => {
    const events: LinkEvent[] = [];
    const { logger, lines } = recordingLogger();
    monitor = new LinkMonitor({ onEvent: (e) => events.push(e), logger });
    monitor.start();
    await until(() => lines.some((l) => l.level === 'info'), 5000);
    // `ip monitor` subscribes right after it starts; give it a moment.
    await new Promise((r) => setTimeout(r, 200));
    const a = `bxt${process.pid % 10000}a`;
    const b = `bxt${process.pid % 10000}b`;
    try {
      execFileSync('ip', ['link', 'add', a, 'type', 'veth', 'peer', 'name', b]);
      execFileSync('ip', ['link', 'set', a, 'up']);
      execFileSync('ip', ['link', 'set', b, 'up']);
      execFileSync('ip', ['link', 'set', b, 'down']);
    } finally {
      execFileSync('ip', ['link', 'del', a], { stdio: 'ignore' });
    }
    await until(() => events.some((e) => e.name === a && e.deleted), 5000);
    expect(events.some((e) => e.name === b && !e.deleted)).toBe(true);
  });

  it('restarts the monitor with backoff when it exits, and keeps reporting', async () => {
    const events: LinkEvent[] = [];
    const { logger, lines } = recordingLogger();
    // Time is driven here: the monitor's own lifetime and its restart delays are on this clock.
    const timers = new ManualTimers();
    monitor = new LinkMonitor({
      command: ['sh', '-c', 'echo "7: eth9: <UP> mtu 1500 master bond9 state UP"; exit 3'],
      onEvent: (e) => events.push(e),
      logger,
      minRestartMs: 20,
      maxRestartMs: 40,
      timers,
    });
    const warnings = () => lines.filter((l) => l.level === 'warn');
    monitor.start();
    await until(() => warnings().length >= 1, 5000);
    expect(events[0]).toEqual({ ifIndex: 7, name: 'eth9', master: 'bond9', deleted: false });
    expect(warnings()[0]!.obj).toMatchObject({ reason: 'exited with code 3', retryInMs: 20 });
    await timers.advance(20);
    await until(() => warnings().length >= 2, 5000);
    expect(warnings()[1]!.obj).toMatchObject({ retryInMs: 40 });
    await timers.advance(40);
    await until(() => events.length >= 3 && warnings().length >= 3, 5000);
    // The delay stays at its ceiling.
    expect(warnings()[2]!.obj).toMatchObject({ retryInMs: 40 });
  });

  it('says so and retries when the monitor command does not exist', async () => {
    const { logger, lines } = recordingLogger();
    monitor = new LinkMonitor({
      command: ['/nonexistent/ip', 'monitor'],
      onEvent: () => undefined,
      logger,
      minRestartMs: 10,
    });
    monitor.start();
    await until(() => lines.filter((l) => l.level === 'warn').length >= 2, 5000);
    expect(lines[0]!.obj).toMatchObject({ reason: expect.stringContaining('ENOENT') });
  });
});
