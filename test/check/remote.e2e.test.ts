/**
 * Remote mode against real agents: the standalone agent (v2c and v3) and
 * Debian's snmpd with the AgentX agent, both on one fixture host that moves
 * through the four real-kernel states. In every state the remote check must
 * say what the local check of the same files says (plus the failover counts
 * only an agent keeps, which must be the active-slave changes it saw). Also:
 * SNMP errors, a view without our MIB, and --timeout against a port where
 * nothing answers. Each program is started once for the file.
 */
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, READ_ON_SIGHUP, reread, rootArgs as agentRootArgs, startAgentX, startStandaloneAgent, type RunningStandalone } from '../support/agent.js';
import { FixtureHost, STATES } from '../support/fixture-host.js';
import type { ManagedProcess } from '../support/managed-process.js';
import { snmpCmd, startSnmpd, type RunningSnmpd } from '../support/net-snmp.js';
import { BOND_COUNT } from '../../src/check/from-walk.js';
import { check, rootArgs, type CheckRun } from './support.js';

const COMMUNITY = 'ro-check-7Hq2';
const OPS = { name: 'ops', authKey: 'auth-secret-sha256', privKey: 'priv-secret-aes' };
const V3 = ['--v3-user', OPS.name, '--auth-protocol', 'sha256', '--auth-key', OPS.authKey, '--priv-protocol', 'aes', '--priv-key', OPS.privKey];

let host: FixtureHost;
let standalone: RunningStandalone;
let snmpd: RunningSnmpd;
let agentx: ManagedProcess;

beforeAll(async () => {
  host = FixtureHost.create(STATES, 'bonding-check-remote-');
  const config = join(host.dir, 'agent.json');
  writeFileSync(
    config,
    JSON.stringify({ communities: [COMMUNITY], users: [{ name: OPS.name, authProtocol: 'sha256', authKey: OPS.authKey, privProtocol: 'aes', privKey: OPS.privKey }] }),
    { mode: 0o600 },
  );
  standalone = await startStandaloneAgent(['--config', config, ...agentRootArgs(host.roots), ...READ_ON_SIGHUP], ['-v2c', '-c', COMMUNITY]);
  snmpd = await startSnmpd({
    agentXTimeoutSeconds: 5,
    extraConf: [
      // A community whose view has the system group only: our MIB is not in it.
      'view systemonly included .1.3.6.1.2.1.1',
      'rocommunity nobond 127.0.0.1 -V systemonly',
      `createUser ${OPS.name} SHA-256 "${OPS.authKey}" AES "${OPS.privKey}"`,
      `rouser ${OPS.name} priv`,
    ],
  });
  agentx = await startAgentX(snmpd.agentxSocket, host.roots, [...READ_ON_SIGHUP, '--ping-interval', '1']);
  // Until it has registered with snmpd the agent may not have its SIGHUP handler either.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await snmpCmd('snmpget', ['-v2c', '-c', 'public', '-t', '0.5', '-r', '0', snmpd.target, BOND_COUNT]);
    if (r.code === 0 && /Gauge32/.test(r.stdout)) break;
    if (Date.now() > deadline || !agentx.isRunning()) throw new Error(`the AgentX agent did not register:\n${agentx.output()}`);
    await sleep(100);
  }
}, 90_000);

afterAll(async () => {
  await agentx?.stop();
  await snmpd?.stop();
  await standalone?.process.stop();
  host?.remove();
});

/** The output without what only an agent knows (failover counts). */
const judged = (stdout: string) => stdout.replace(/ '[^']+_failovers'=\d+c;;;0/g, '').replace(/, \d+ failovers? seen by the agent/g, '');

const remotes = () => ({
  'standalone v2c': ['--host', standalone.target, '--community', COMMUNITY],
  'standalone v3 authPriv': ['--host', standalone.target, ...V3],
  'snmpd + AgentX v2c': ['--host', snmpd.target, '--community', snmpd.community],
  'snmpd + AgentX v3 authPriv': ['--host', snmpd.target, ...V3],
});

/** Checks `args` until its output, failovers aside, is the local check's (the agents read on SIGHUP). */
async function remoteAgreeing(args: readonly string[], local: CheckRun): Promise<CheckRun> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const r = await check(args);
    if ((r.code === local.code && judged(r.stdout) === local.stdout) || Date.now() > deadline) return r;
    await sleep(100);
  }
}

/** Active-slave changes per bond from one state to the next, from the fixtures' procfs: what the agents count. */
function expectedFailovers(states: readonly string[]): Map<string, number> {
  const active = (state: string, bond: string) =>
    /^Currently Active Slave: (.*)$/m.exec(readFileSync(join(host.dir, state, 'proc', 'net', 'bonding', bond), 'utf8'))?.[1]?.replace(/^None$/, '') ?? '';
  const counts = new Map<string, number>();
  for (const bond of host.bonds(states[0]!)) {
    let n = 0;
    for (let i = 1; i < states.length; i++) if (active(states[i - 1]!, bond) !== active(states[i]!, bond)) n++;
    counts.set(bond, n);
  }
  return counts;
}

describe('remote check = local check, in every state', () => {
  it('through the four states, over v2c and v3, from both agents; failovers as counted by each agent', async () => {
    for (const state of STATES) {
      host.show(state);
      reread(standalone.process);
      reread(agentx);
      const local = await check(rootArgs(host.rootsOf(state)));
      for (const [name, args] of Object.entries(remotes())) {
        const r = await remoteAgreeing(args, local);
        expect(`${name} in ${state}: exit ${r.code}\n${judged(r.stdout)}`).toBe(`${name} in ${state}: exit ${local.code}\n${local.stdout}`);
      }
    }
    // Both agents saw every state in turn: their counts are the active-slave changes along the way.
    const expected = expectedFailovers(STATES);
    expect([...expected.values()].some((n) => n > 0)).toBe(true);
    for (const args of Object.values(remotes())) {
      const r = await check(args);
      const got = new Map([...r.perf.matchAll(/'(\w+)_failovers'=(\d+)c;;;0/g)].map((m) => [m[1]!, Number(m[2])]));
      expect(got).toEqual(expected);
      const bond0 = r.long.find((l) => l.includes('] bond0:'));
      expect(bond0).toContain(`, ${expected.get('bond0')} failover${expected.get('bond0') === 1 ? '' : 's'} seen by the agent;`);
    }
  });

  it('-v tells what was walked: only LINUX-BONDING-MIB columns, in a few requests', async () => {
    const r = await check([...remotes()['standalone v2c'], '-v']);
    expect(r.long.at(-1)).toMatch(new RegExp(`^note: walked ${standalone.target.replace(/\./g, '\\.')} \\(SNMPv2c\\): \\d+ varbinds in 3 requests, [\\d.]+ ms$`));
  });
});

describe('remote failures: UNKNOWN, one line', () => {
  it('a wrong SNMPv3 key or user: the agent says so at once', async () => {
    const badKey = await check(['--host', snmpd.target, ...V3.slice(0, 5), 'not-the-auth-key', ...V3.slice(6)]);
    expect([badKey.code, badKey.stdout]).toEqual([3, `BONDING UNKNOWN - ${snmpd.target} (SNMPv3): Wrong Digest (incorrect password, community or key)\n`]);
    const badUser = await check(['--host', standalone.target, '--v3-user', 'nobody', '--auth-protocol', 'sha', '--auth-key', 'whatever-key']);
    expect([badUser.code, badUser.stdout]).toEqual([3, `BONDING UNKNOWN - ${standalone.target} (SNMPv3): Unknown User Name\n`]);
  });

  it('a wrong community gets no answer: UNKNOWN at --timeout', async () => {
    const r = await check(['--host', standalone.target, '--community', 'wrong', '--timeout', '1']);
    expect([r.code, r.stdout]).toEqual([3, `BONDING UNKNOWN - no answer from ${standalone.target} (SNMPv2c) within 1 s (down, filtered, or a wrong community)\n`]);
  });

  it('an agent whose view lacks our MIB', async () => {
    const r = await check(['--host', snmpd.target, '--community', 'nobond']);
    expect([r.code, r.stdout]).toEqual([
      3,
      `BONDING UNKNOWN - ${snmpd.target} (SNMPv2c): the agent serves no LINUX-BONDING-MIB (bondCount.0 is missing): is bonding-agentx running, and in its view?\n`,
    ]);
  });
});

describe('--timeout where nothing answers', () => {
  let hole: Socket;
  let received = 0;
  beforeAll(async () => {
    // A port that takes every request and answers none: a host that is down, or a firewall that drops.
    hole = createSocket('udp4');
    hole.on('message', () => received++);
    await new Promise<void>((done) => hole.bind(0, '127.0.0.1', done));
  });
  afterAll(() => new Promise<void>((done) => hole.close(() => done())));

  /**
   * The real command in its own process, as a monitoring system runs it. Besides its output: when
   * it exited, counted from its own start (exit-at.mjs), and the wall time from spawn to exit.
   */
  function runCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string; exitAtMs: number; wallMs: number }> {
    return new Promise((resolve) => {
      const start = performance.now();
      const child = spawn(process.execPath, ['--import', join(import.meta.dirname, 'exit-at.mjs'), BIN, 'check', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (code) => {
        const exitAt = /^exit-at-ms (\d+)\n/m.exec(stderr);
        resolve({ code, stdout, stderr: stderr.replace(/^exit-at-ms \d+\n/m, ''), exitAtMs: Number(exitAt?.[1] ?? NaN), wallMs: performance.now() - start });
      });
    });
  }

  it.each([
    ['v2c', ['--community', 'public'], 'SNMPv2c', 'down, filtered, or a wrong community'],
    ['v3', V3, 'SNMPv3', 'down or filtered'],
  ])('%s: UNKNOWN within the timeout (3 s), Node start included', async (_v, auth, version, hint) => {
    const before = received;
    const target = `127.0.0.1:${hole.address().port}`;
    const r = await runCli(['--host', target, ...auth, '--timeout', '3']);
    expect([r.code, r.stdout, r.stderr]).toEqual([3, `BONDING UNKNOWN - no answer from ${target} (${version}) within 3 s (${hint})\n`, '']);
    // It asked (and asked again): the silence was waited for, not assumed.
    expect(received - before).toBeGreaterThanOrEqual(2);
    // The contract Nagios relies on: done within --timeout, counted from the process's own start
    // (it gives up 0.3 s before, to print and exit). Spawning a process on a loaded machine can
    // take a while before that start; the wall bound only shows that it did not wait for retries.
    expect(r.exitAtMs).toBeLessThan(3000);
    expect(r.wallMs).toBeLessThan(6000);
  });
});
