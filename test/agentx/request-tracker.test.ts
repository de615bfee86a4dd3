import { describe, expect, it } from 'vitest';
import { decodePdu } from '../../src/agentx/index.js';
import { PacketIds, RequestTracker } from '../../src/agentx/request-tracker.js';
import { ManualTimers } from '../support/manual-timers.js';

function setup() {
  const timers = new ManualTimers();
  const written: Uint8Array[] = [];
  const timeouts: string[] = [];
  const tracker = new RequestTracker(timers, new PacketIds(), (b) => written.push(b), (type, ms) => timeouts.push(`${type} ${ms}`));
  return { timers, written, timeouts, tracker };
}

const response = (packetId: number) => ({ type: 'Response' as const, sessionId: 1, transactionId: packetId, packetId, sysUpTime: 5, error: 0, index: 0, varbinds: [] });

describe('RequestTracker', () => {
  it('writes the PDU with fresh ids and settles it with the Response of the same packetID', async () => {
    const { written, tracker } = setup();
    const a = tracker.request(7, (ids) => ({ type: 'Ping', ...ids }), 1000);
    const b = tracker.request(7, (ids) => ({ type: 'Ping', ...ids }), 1000);
    const [pa, pb] = written.map((w) => decodePdu(w));
    expect([pa?.sessionId, pa?.packetId, pb?.packetId]).toEqual([7, 1, 2]);
    expect(tracker.settle(response(2))).toBe(true);
    expect(tracker.settle(response(2))).toBe(false);
    expect(tracker.settle(response(1))).toBe(true);
    await expect(a).resolves.toMatchObject({ packetId: 1, sysUpTime: 5 });
    await expect(b).resolves.toMatchObject({ packetId: 2 });
    expect(tracker.size).toBe(0);
  });

  it('times out, says so once, and ignores the late Response', async () => {
    const { timers, timeouts, tracker } = setup();
    const a = tracker.request(1, (ids) => ({ type: 'Ping', ...ids }), 500);
    const outcome = a.then(() => 'resolved', (e: Error) => e.message);
    await timers.advance(499);
    expect(timeouts).toEqual([]);
    await timers.advance(1);
    expect(await outcome).toBe('no Response to Ping within 500 ms');
    expect(timeouts).toEqual(['Ping 500']);
    expect(tracker.settle(response(1))).toBe(false);
  });

  it('fails every waiter when the connection ends, and every later request', async () => {
    const { timers, tracker } = setup();
    const a = tracker.request(1, (ids) => ({ type: 'Ping', ...ids }), 500);
    tracker.failAll('socket closed');
    await expect(a).rejects.toThrow('connection lost (socket closed)');
    await expect(tracker.request(1, (ids) => ({ type: 'Ping', ...ids }), 500)).rejects.toThrow('connection lost (socket closed)');
    expect(timers.pending).toBe(0);
  });

  it('packet ids are unique across trackers (connections) and wrap before 2^32', () => {
    const ids = new PacketIds();
    for (let i = 1; i < 5; i++) expect(ids.take()).toBe(i);
    const wrap = new PacketIds();
    (wrap as unknown as { next: number }).next = 0xffffffff;
    expect([wrap.take(), wrap.take()]).toEqual([0xffffffff, 1]);
  });
});
