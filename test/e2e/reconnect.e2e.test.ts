/**
 * `bonding-agentx run` serves again within a second of snmpd answering after
 * snmpd restarts, whatever the outage: a restart (SIGTERM, started again at
 * once) and crashes (SIGKILL, its socket left behind) followed by 2 and 6
 * seconds without snmpd. With the backoff the agent used to have (250 ms
 * doubling), the 6 s outage left it unregistered for up to 2 s after snmpd
 * was back. The one timed assertion here is the issue's own bound, the goal
 * of the feature; bench/reconnect.js measures it over 20 restarts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ON_SIGHUP, startAgentX } from '../support/agent.js';
import { FixtureHost } from '../support/fixture-host.js';
import type { ManagedProcess } from '../support/managed-process.js';
import { snmpCmd, startSnmpd, type RunningSnmpd } from '../support/net-snmp.js';

const BOND_COUNT = '.1.3.6.1.4.1.8072.9999.9999.8023.1.1.2.0';

let host: FixtureHost;
let snmpd: RunningSnmpd;
let agent: ManagedProcess;

/** Our bondCount.0 through snmpd, or undefined while snmpd does not answer it from us. */
async function bondCount(): Promise<string | undefined> {
  const r = await snmpCmd('snmpget', ['-v2c', '-c', snmpd.community, '-On', '-Oqv', '-t', '0.3', '-r', '0', snmpd.target, BOND_COUNT]);
  const text = r.stdout.trim();
  return r.code === 0 && /^\d+$/.test(text) ? text : undefined;
}

/** Milliseconds from now until our subtree answers (bounded). */
async function untilServed(boundMs: number): Promise<number> {
  const t0 = performance.now();
  while ((await bondCount()) === undefined) {
    if (performance.now() - t0 > boundMs) throw new Error(`not served within ${boundMs} ms\n${agent.output().slice(-3000)}`);
  }
  return performance.now() - t0;
}

beforeAll(async () => {
  host = FixtureHost.create(['01-all-up'], 'bonding-agentx-reconnect-');
  snmpd = await startSnmpd();
  agent = await startAgentX(snmpd.agentxSocket, host.roots, [...READ_ON_SIGHUP, '--log-level', 'debug']);
  await untilServed(30_000);
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await snmpd?.stop();
  host?.remove();
});

describe('after snmpd restarts, the agent serves again within 1 s of snmpd answering', () => {
  const outages = [
    { how: 'restarted (SIGTERM, started again at once)', crash: false, downMs: 0 },
    { how: 'crashed (SIGKILL), 2 s without snmpd', crash: true, downMs: 2000 },
    { how: 'crashed (SIGKILL), 6 s without snmpd', crash: true, downMs: 6000 },
  ];
  for (const o of outages) {
    it(o.how, async () => {
      if (o.crash) {
        await snmpd.kill9();
        expect(await bondCount()).toBeUndefined();
        await sleep(o.downMs);
      }
      // Resolves once snmpd answers (its own sysUpTime.0) again.
      await snmpd.restart();
      const ms = await untilServed(10_000);
      expect(await bondCount()).toBe('8');
      expect(ms).toBeLessThan(1000);
      expect(agent.isRunning()).toBe(true);
    }, 30_000);
  }

  it('said in its log how it came back: the socket seen again, no wait longer than 500 ms', () => {
    const lines = agent
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; retryInMs?: number });
    expect(lines.filter((l) => l.msg === 'AgentX session open')).toHaveLength(1 + outages.length);
    expect(lines.some((l) => l.msg === "the AgentX master's socket is back; connecting now")).toBe(true);
    const waits = lines.filter((l) => l.retryInMs !== undefined).map((l) => l.retryInMs!);
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeLessThanOrEqual(500);
  });
});
