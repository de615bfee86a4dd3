import { describe, expect, it } from 'vitest';
import type { BondingSnapshot, BondRead } from '../../src/bonding/index.js';
import { ReadQueue, type Reader, type ReadResult } from '../../src/runtime/read-queue.js';
import { recordingLogger } from '../support/recording-logger.js';

const EMPTY: BondingSnapshot = { bonds: [], interfaces: [], warnings: [] };

/** A reader whose reads finish when the test says so. */
function gatedReader() {
  const waiting: (() => void)[] = [];
  const started: string[] = [];
  const gate = <T>(what: string, value: T) =>
    new Promise<T>((resolve) => {
      started.push(what);
      waiting.push(() => resolve(value));
    });
  const reader: Reader = {
    full: () => gate('full', EMPTY),
    bond: (name) => gate<BondRead>(name, { bond: undefined, warnings: [] }),
    interfaces: (names) => gate(`interfaces ${names.join(',')}`, EMPTY),
  };
  const finishOne = async () => {
    waiting.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { reader, started, finishOne };
}

describe('ReadQueue', () => {
  it('reads one at a time; requests meanwhile collapse: fulls into one, bonds into a set, both into a full', async () => {
    const { reader, started, finishOne } = gatedReader();
    const done: string[] = [];
    const { logger } = recordingLogger();
    const q = new ReadQueue(reader, (r: ReadResult) => done.push(r.scope === 'bond' ? r.name : r.scope), logger);
    q.requestBond('bond0');
    q.requestBond('bond1');
    q.requestBond('bond1');
    expect(started).toEqual(['bond0']);
    await finishOne();
    // bond1 is being read now.
    q.requestFull();
    q.requestBond('bond2');
    q.requestFull();
    await finishOne();
    await finishOne();
    await q.whenIdle();
    expect(done).toEqual(['bond0', 'bond1', 'full']);
    expect(started).toEqual(['bond0', 'bond1', 'full']);
    expect(q.reads).toEqual({ full: 1, bond: 2, interfaces: 0 });
  });

  it('a read under way when stopped is not delivered; a throwing handler is logged and reads go on', async () => {
    const { reader, finishOne } = gatedReader();
    const { logger, lines } = recordingLogger();
    let calls = 0;
    const q = new ReadQueue(
      reader,
      () => {
        calls++;
        throw new Error('bug');
      },
      logger,
    );
    q.requestFull();
    q.requestBond('bond0');
    await finishOne();
    await finishOne();
    await q.whenIdle();
    expect(calls).toBe(2);
    expect(lines.filter((l) => l.msg === 'handling a read failed')).toHaveLength(2);
    q.requestFull();
    q.stop();
    await finishOne();
    await q.whenIdle();
    expect(calls).toBe(2);
  });
});
