/**
 * Every time the agent tells is on snmpd's clock, not its own: snmpd runs
 * 10 s before the agent starts; a failover's notification (sysUpTime.0) and
 * bondLastFailover must read within a second of snmpd's own sysUpTime.0 at
 * the same moment; after snmpd restarts, a TimeStamp of an event before the
 * restart is 0 (RFC 2579), and a new failover is dated on the new clock.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reread, startAgentX } from '../support/agent.js';
import { FixtureHost } from '../support/fixture-host.js';
import type { ManagedProcess } from '../support/managed-process.js';
import { parseVarBindLines, snmpCmd, startSnmpd, startSnmptrapd, type RunningSnmpd, type RunningSnmptrapd } from '../support/net-snmp.js';

const OBJECTS = '1.3.6.1.4.1.8072.9999.9999.8023.1';
const ACTIVE_SLAVE_CHANGED = '1.3.6.1.4.1.8072.9999.9999.8023.0.3';
const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';

let host: FixtureHost;
let trapd: RunningSnmptrapd;
let snmpd: RunningSnmpd;
let agent: ManagedProcess;
let bond0: number;

/** snmpd's sysUpTime.0 and our bondLastFailover of bond0, in one request. */
async function clocks(): Promise<{ uptime: number; lastFailover: number }> {
  const r = await snmpCmd('snmpget', ['-v2c', '-c', 'public', '-On', snmpd.target, SYS_UPTIME, `${OBJECTS}.2.1.35.${bond0}`]);
  expect(r.code, r.stderr).toBe(0);
  const [uptime, last] = parseVarBindLines(r.stdout);
  return { uptime: Number(uptime!.text), lastFailover: Number(last!.text) };
}

/** Serving again after a (re)start: our subtree answers. */
async function served(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = await snmpCmd('snmpget', ['-v2c', '-c', 'public', '-On', '-t', '0.5', '-r', '0', snmpd.target, `${OBJECTS}.1.2.0`]);
    if (r.code === 0 && !/No Such/.test(r.stdout)) return;
    await sleep(100);
  }
  throw new Error(`the agent does not serve through snmpd\n${agent.output()}`);
}

/**
 * bond0's failover notifications. bond0's only: 01 -> 02 fails bond7 over too,
 * and counting its notification let the test swap states again before the
 * agent had read the state in between (both reads then saw the same).
 */
const failovers = () =>
  trapd.received().filter((n) => n.trapOid === ACTIVE_SLAVE_CHANGED && n.varbinds.some((v) => v.oid === `${OBJECTS}.2.1.2.${bond0}`));

/** Waits for failover notification number `count` (1-based) and returns it. */
async function nthFailover(count: number) {
  try {
    await trapd.waitFor(() => failovers().length >= count, 20_000);
  } catch (err) {
    throw new Error(`${(err as Error).message.slice(0, 200)}\nagent:\n${agent.output()}`);
  }
  return failovers()[count - 1]!;
}

/** Swaps to `state`, and returns the failover notification it brings and snmpd's sysUpTime.0 right after it arrived. */
async function failoverTo(state: string): Promise<{ sent: number; uptime: number }> {
  const before = failovers().length;
  host.show(state);
  reread(agent);
  const n = await nthFailover(before + 1);
  const { uptime } = await clocks();
  return { sent: n.uptime ?? -1, uptime };
}

beforeAll(async () => {
  host = FixtureHost.create(['01-all-up', '02-failover'], 'bonding-agentx-clock-');
  bond0 = host.ifindex('01-all-up', 'bond0');
  trapd = await startSnmptrapd();
  snmpd = await startSnmpd({ trapSink: { port: trapd.port }, agentXTimeoutSeconds: 5 });
  await sleep(10_000);
  agent = await startAgentX(snmpd.agentxSocket, host.roots);
  await served();
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await snmpd?.stop();
  await trapd?.stop();
  host?.remove();
});

describe("the agent tells time on snmpd's clock", () => {
  it('a failover 10 s after snmpd started: sysUpTime.0 and bondLastFailover within 1 s of snmpd\'s sysUpTime.0', async () => {
    const { sent, uptime } = await failoverTo('02-failover');
    expect(uptime).toBeGreaterThan(1000);
    expect(Math.abs(uptime - sent)).toBeLessThan(100);
    const { uptime: now, lastFailover } = await clocks();
    expect(Math.abs(now - lastFailover)).toBeLessThan(100);
  });

  it('after snmpd restarts: the old failover is 0 (before its re-initialization), a new one is on the new clock', async () => {
    const old = await clocks();
    await snmpd.restart();
    await served();
    const after = await clocks();
    expect(after.uptime).toBeLessThan(old.uptime);
    expect(after.lastFailover).toBe(0);
    host.show('01-all-up');
    reread(agent);
    // The return to eth0 (a failover too) dated on the new clock as well.
    const back = await nthFailover(2);
    expect(back.uptime).toBeLessThan(old.uptime);
    const { sent, uptime } = await failoverTo('02-failover');
    expect(Math.abs(uptime - sent)).toBeLessThan(100);
    const { uptime: now, lastFailover } = await clocks();
    expect(lastFailover).toBeGreaterThan(0);
    expect(Math.abs(now - lastFailover)).toBeLessThan(100);
  });
});
