/**
 * RFC 3414 3.2 step 7a, the time window, and the engine clock it is checked
 * against, on injected clocks: what a replayed request meets 150 s later in
 * the same agent, without waiting 150 s (the agent's clock is the test's,
 * the request a real one from snmpget, captured through a relay).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MibViewBuilder } from '../../src/mib/index.js';
import { snmp as value } from '../../src/snmp/index.js';
import { bootsFromWallClock, engineClock, MAX_ENGINE_VALUE } from '../../src/standalone/engine-clock.js';
import { StandaloneAgent } from '../../src/standalone/index.js';
import { inTimeWindow, TIME_WINDOW_SECONDS } from '../../src/standalone/time-window.js';
import { freeUdpPort, parseVarBindLines, snmpCmd } from '../support/net-snmp.js';
import { recordingLogger } from '../support/recording-logger.js';
import { sendOnce, startUdpRelay, type UdpRelay } from './udp-relay.js';
import { decodeV3, isV3, PDU, USM_STATS_NOT_IN_TIME_WINDOWS } from './v3-wire.js';

describe('engineClock', () => {
  it('keeps the boots it is given; time counts whole seconds on the injected clock', () => {
    let now = 1000;
    const clock = engineClock(42, () => now);
    expect(clock.boots).toBe(42);
    expect(clock.time()).toBe(0);
    now += 2999;
    expect(clock.time()).toBe(2);
    expect(engineClock(MAX_ENGINE_VALUE + 5).boots).toBe(MAX_ENGINE_VALUE);
  });

  it('bootsFromWallClock grows one per second of wall clock, from 1, and stops at 2^31-1', () => {
    expect(bootsFromWallClock(Date.UTC(2026, 0, 1, 0, 0, 5)) - bootsFromWallClock(Date.UTC(2026, 0, 1))).toBe(5);
    expect(bootsFromWallClock(Date.UTC(2019, 0, 1))).toBe(1);
    expect(bootsFromWallClock(Date.UTC(2200, 0, 1))).toBe(2 ** 31 - 1);
  });
});

describe('inTimeWindow (RFC 3414 3.2 step 7a)', () => {
  let now = 0;
  const ours = engineClock(7, () => now);
  const at = (seconds: number) => {
    now = seconds * 1000;
  };

  it('accepts our boots with a time up to 150 s either side of ours, and nothing else', () => {
    at(1000);
    expect(TIME_WINDOW_SECONDS).toBe(150);
    expect(inTimeWindow({ boots: 7, time: 1000 }, ours)).toBe(true);
    expect(inTimeWindow({ boots: 7, time: 850 }, ours)).toBe(true);
    expect(inTimeWindow({ boots: 7, time: 1150 }, ours)).toBe(true);
    expect(inTimeWindow({ boots: 7, time: 849 }, ours)).toBe(false);
    expect(inTimeWindow({ boots: 7, time: 1151 }, ours)).toBe(false);
    expect(inTimeWindow({ boots: 6, time: 1000 }, ours)).toBe(false);
    expect(inTimeWindow({ boots: 8, time: 1000 }, ours)).toBe(false);
    expect(inTimeWindow({ boots: 0, time: 0 }, ours)).toBe(false);
  });

  it('a request taken at some time is refused once our clock is more than 150 s past it', () => {
    at(20);
    const captured = { boots: ours.boots, time: ours.time() };
    expect(inTimeWindow(captured, ours)).toBe(true);
    at(170);
    expect(inTimeWindow(captured, ours)).toBe(true);
    at(171);
    expect(inTimeWindow(captured, ours)).toBe(false);
  });

  it('refuses everything once boots is 2^31-1, even the right boots and time', () => {
    const stuck = engineClock(MAX_ENGINE_VALUE, () => 0);
    expect(inTimeWindow({ boots: MAX_ENGINE_VALUE, time: 0 }, stuck)).toBe(false);
  });
});

describe('StandaloneAgent: the same request replayed later, on the agent\'s injected clock', () => {
  const ENGINE_ID = '80001f880474696d652d77696e646f77';
  const V3 = ['-v3', '-l', 'authNoPriv', '-u', 'audit', '-a', 'SHA-256', '-A', 'audit-secret-256', '-On'];
  const OID = '1.3.6.1.4.1.99999.7.0';
  let nowMs = 5_000;
  const stateDir = mkdtempSync(join(tmpdir(), 'time-window-state-'));
  const { logger, lines } = recordingLogger();
  let agent: StandaloneAgent;
  let port: number;
  let relay: UdpRelay;

  beforeAll(async () => {
    port = await freeUdpPort();
    agent = new StandaloneAgent({
      listen: { transport: 'udp4', host: '127.0.0.1', port },
      provider: new MibViewBuilder().scalar([1, 3, 6, 1, 4, 1, 99999, 7], value.octetString('fresh')).build(),
      security: { communities: [], users: [{ name: 'audit', authProtocol: 'sha256', authKey: 'audit-secret-256' }], trapTargets: [], engineId: ENGINE_ID },
      logger,
      stateDir,
      now: () => nowMs,
    });
    await agent.start();
    relay = await startUdpRelay(port);
  });

  afterAll(async () => {
    await relay?.close();
    await agent?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('answered up to 150 s after it was made, refused with a Report from 151 s on; counted and logged', async () => {
    const r = await snmpCmd('snmpget', [...V3, relay.target, OID]);
    expect(parseVarBindLines(r.stdout)[0]?.text, r.stderr).toBe('fresh');
    const request = relay.datagrams.filter((d) => d.from === 'manager' && isV3(d.bytes) && decodeV3(d.bytes).userName === 'audit').at(-1)!.bytes;
    const claimed = decodeV3(request);
    expect(claimed.boots).toBe(agent.engine?.boots);

    nowMs += (TIME_WINDOW_SECONDS - claimed.time + agent.engine!.time()) * 1000;
    expect(agent.engine!.time() - claimed.time).toBe(150);
    const stillInside = decodeV3((await sendOnce(port, request))!);
    expect(stillInside.pdu?.type).toBe(PDU.response);
    expect(agent.counters.notInTimeWindow).toBe(0);

    nowMs += 1000;
    const reply = await sendOnce(port, request);
    const report = decodeV3(reply!);
    expect(report.pdu?.type).toBe(PDU.report);
    expect(report.pdu?.varbinds).toEqual([{ oid: USM_STATS_NOT_IN_TIME_WINDOWS, tag: 0x41, value: 1 }]);
    expect(report.time).toBe(claimed.time + 151);
    expect(agent.counters.notInTimeWindow).toBe(1);
    // And the second refusal carries the count, 2.
    expect(decodeV3((await sendOnce(port, request))!).pdu?.varbinds[0]?.value).toBe(2);
    const logged = lines.filter((l) => l.msg?.startsWith('request refused: not in the time window'));
    expect(logged.map((l) => [l.level, (l.obj as { refusedSoFar?: number }).refusedSoFar])).toEqual([
      ['info', 1],
      ['info', 2],
    ]);
    expect(logged[0]?.obj).toMatchObject({ user: 'audit', claimed: { boots: claimed.boots, time: claimed.time }, engine: { boots: claimed.boots } });
  });
});
