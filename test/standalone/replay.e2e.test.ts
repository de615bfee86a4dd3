/**
 * SNMPv3 replay, against `bonding-agentx run --standalone` and, as the
 * reference, Debian's snmpd with the same users, keeping its engine state as
 * an installed one does (reference-snmpd.ts), and the same engine boots
 * (1: a fresh snmpd, and our agent with a state file that says 0 before).
 * Everything goes through a UDP relay that records the datagrams, so the
 * test sees on the wire what each agent did with each request.
 *
 * - snmpget -Z (the three): the datagram that claims the wrong boots
 *   or time gets an authenticated usmStatsNotInTimeWindows Report from both
 *   agents, never a Response, and snmpget ends the same way against both
 *   (it resynchronizes from the Report, RFC 3414 4, only where the Report's
 *   boots is above the one it claimed).
 * - A captured request replayed byte for byte: answered by the same agent
 *   inside the window (RFC 3414 allows it), refused after a restart (boots
 *   grew), by both agents.
 * - Another engine ID: a usmStatsUnknownEngineIDs Report from both.
 * - The state: boots 1, then 2 after the restart, in the state file; a
 *   read-only state directory (a real read-only bind mount, in a mount
 *   namespace of the agent's own) gives a warning and boots from the clock.
 *
 * About 15 s: snmpd started once (restarted once), our agent three times.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootsFromWallClock } from '../../src/standalone/engine-clock.js';
import { STATE_FILE } from '../../src/standalone/engine-state.js';
import { BIN, READ_ON_SIGHUP, rootArgs, startStandaloneAgent, type RunningStandalone } from '../support/agent.js';
import { FixtureHost } from '../support/fixture-host.js';
import { spawnManaged, type ManagedProcess } from '../support/managed-process.js';
import { findBinary, freeUdpPort, parseVarBindLines, snmpCmd } from '../support/net-snmp.js';
import { startReferenceSnmpd, type ReferenceSnmpd } from './reference-snmpd.js';
import { sendOnce, startUdpRelay, type UdpRelay } from './udp-relay.js';
import { decodeV3, FLAGS, isV3, PDU, USM_STATS_NOT_IN_TIME_WINDOWS, USM_STATS_UNKNOWN_ENGINE_IDS, type V3Message } from './v3-wire.js';

const ENGINE_ID = '80001f88047265706c61792d74657374';
const OPS = { name: 'ops', authKey: 'auth-secret-sha1', privKey: 'priv-secret-aes1' };
const AUDIT = { name: 'audit', authKey: 'audit-secret-sha1' };
const V3_OPS = ['-v3', '-l', 'authPriv', '-u', OPS.name, '-a', 'SHA', '-A', OPS.authKey, '-x', 'AES', '-X', OPS.privKey, '-On'];
const V3_AUDIT = ['-v3', '-l', 'authNoPriv', '-u', AUDIT.name, '-a', 'SHA', '-A', AUDIT.authKey, '-On'];
const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
const BOND_COUNT = '1.3.6.1.4.1.8072.9999.9999.8023.1.1.2.0';
const SNMP_ENGINE_BOOTS = '1.3.6.1.6.3.10.2.1.2.0';

let host: FixtureHost;
let stateDir: string;
let config: string;
let snmpd: ReferenceSnmpd;
let ours: RunningStandalone;
let relayOurs: UdpRelay;
let relaySnmpd: UdpRelay;

type Seen = V3Message & { readonly from: 'manager' | 'agent' };
const wire = (relay: UdpRelay, mark: number): Seen[] =>
  relay.datagrams.slice(mark).filter((d) => isV3(d.bytes)).map((d) => ({ ...decodeV3(d.bytes), from: d.from }));
const reportOid = (m: V3Message | undefined) => (m?.pdu?.type === PDU.report ? m.pdu.varbinds[0]?.oid : undefined);
const stored = () => JSON.parse(readFileSync(join(stateDir, STATE_FILE), 'utf8')) as unknown;

const startOurs = () =>
  startStandaloneAgent(['--config', config, '--state-dir', stateDir, ...rootArgs(host.roots), ...READ_ON_SIGHUP], V3_OPS);

/** The engineBoots our agent logged at start. */
function loggedBoots(output: string): number | undefined {
  const match = /"engineBoots":(\d+),"engineState"/.exec(output);
  return match === null ? undefined : Number(match[1]);
}

beforeAll(async () => {
  host = FixtureHost.create(['01-all-up'], 'bonding-agentx-replay-');
  stateDir = join(host.dir, 'state');
  mkdirSync(stateDir);
  // The state of an agent that started 0 times before: this start is boots 1, as a fresh snmpd's.
  writeFileSync(join(stateDir, STATE_FILE), JSON.stringify({ engineId: ENGINE_ID, engineBoots: 0 }));
  config = join(host.dir, 'agent.json');
  writeFileSync(
    config,
    JSON.stringify({
      users: [
        { name: OPS.name, authProtocol: 'sha', authKey: OPS.authKey, privProtocol: 'aes', privKey: OPS.privKey },
        { name: AUDIT.name, authProtocol: 'sha', authKey: AUDIT.authKey },
      ],
      engineId: ENGINE_ID,
    }),
    { mode: 0o600 },
  );
  snmpd = await startReferenceSnmpd(
    [
      `createUser ${OPS.name} SHA ${OPS.authKey} AES ${OPS.privKey}`,
      `createUser ${AUDIT.name} SHA ${AUDIT.authKey}`,
      `rouser ${OPS.name} authPriv`,
      `rouser ${AUDIT.name} auth`,
    ],
    V3_OPS,
  );
  ours = await startOurs();
  relayOurs = await startUdpRelay(ours.port);
  relaySnmpd = await startUdpRelay(snmpd.port);
}, 60_000);

afterAll(async () => {
  await relayOurs?.close();
  await relaySnmpd?.close();
  await ours?.process.stop();
  await snmpd?.stop();
  host?.remove();
});

describe('SNMPv3 requests outside the time window', () => {
  it('both engines start at boots 1: our agent from its state file, snmpd fresh', async () => {
    expect(loggedBoots(ours.process.output())).toBe(1);
    expect(stored()).toEqual({ engineId: ENGINE_ID, engineBoots: 1 });
    const r = await snmpCmd('snmpget', [...V3_OPS, '-Ov', snmpd.target, SNMP_ENGINE_BOOTS]);
    expect(r.stdout.trim(), r.stderr).toBe('INTEGER: 1');
  });

  it('snmpget -Z 1,99999 / 0,5 / 4242,5: the datagram gets an authenticated usmStatsNotInTimeWindows Report from both, snmpget ends alike', async () => {
    const outcomes: Record<string, Record<string, string>> = {};
    for (const [name, relay] of [['snmpd', relaySnmpd], ['ours', relayOurs]] as const) {
      outcomes[name] = {};
      for (const z of ['1,99999', '0,5', '4242,5']) {
        const [boots, time] = z.split(',').map(Number);
        const mark = relay.datagrams.length;
        const r = await snmpCmd('snmpget', [...V3_OPS, '-Z', z, '-t', '0.5', '-r', '1', relay.target, SYS_UPTIME]);
        outcomes[name]![z] = r.code === 0 && parseVarBindLines(r.stdout)[0]?.type === 'Timeticks' ? 'answered' : 'not answered';
        const seen = wire(relay, mark);
        const claimed = seen.filter((m) => m.from === 'manager' && m.userName === OPS.name && m.boots === boots && m.time >= time!);
        expect(claimed.length, `${name} -Z ${z}: snmpget sent what -Z says`).toBeGreaterThan(0);
        for (const request of claimed) {
          const replies = seen.filter((m) => m.from === 'agent' && m.msgId === request.msgId);
          expect(replies.length, `${name} -Z ${z}`).toBeGreaterThan(0);
          for (const reply of replies) {
            // A Report, authenticated (authNoPriv) so that the manager may trust the boots and time in it; never a Response.
            expect(reportOid(reply), `${name} -Z ${z}`).toBe(USM_STATS_NOT_IN_TIME_WINDOWS);
            expect(reply.flags & (FLAGS.auth | FLAGS.priv), `${name} -Z ${z}`).toBe(FLAGS.auth);
            expect(reply).toMatchObject({ userName: OPS.name, boots: 1 });
          }
        }
      }
    }
    // Where the Report's boots (1) is above the one claimed (0), snmpget takes our boots and time from it and asks again.
    const expected = { '1,99999': 'not answered', '0,5': 'answered', '4242,5': 'not answered' };
    expect(outcomes.snmpd).toEqual(expected);
    expect(outcomes.ours).toEqual(expected);
    const log = ours.process.output();
    expect(log).toMatch(/"claimed":\{"boots":1,"time":99999\}.*"refusedSoFar":1,.*request refused: not in the time window/);
  });

  it('a normal snmpget -v3 (discovery, then the request) is answered', async () => {
    for (const auth of [V3_OPS, V3_AUDIT]) {
      const r = await snmpCmd('snmpget', [...auth, relayOurs.target, BOND_COUNT]);
      expect(r.code, r.stderr).toBe(0);
      expect(parseVarBindLines(r.stdout)[0]).toMatchObject({ oid: BOND_COUNT, type: 'Gauge32', text: '8' });
    }
  });

  it('another engine ID: a usmStatsUnknownEngineIDs Report from both, no answer', async () => {
    for (const relay of [relaySnmpd, relayOurs]) {
      const mark = relay.datagrams.length;
      const r = await snmpCmd('snmpget', [...V3_OPS, '-e', '0x80001f8804aabbccddeeff', '-t', '0.5', '-r', '0', relay.target, SYS_UPTIME]);
      expect(r.stdout).toBe('');
      const replies = wire(relay, mark).filter((m) => m.from === 'agent');
      expect(replies.map(reportOid)).toEqual([USM_STATS_UNKNOWN_ENGINE_IDS]);
      expect(replies[0]!.flags & FLAGS.auth).toBe(0);
    }
  });
});

describe('a captured request replayed', () => {
  /** The last authenticated request `user` sent through `relay` since `mark`, as its bytes. */
  const captured = (relay: UdpRelay, mark: number, user: string): Buffer => {
    const requests = relay.datagrams.slice(mark).filter((d) => d.from === 'manager' && isV3(d.bytes) && decodeV3(d.bytes).userName === user);
    const last = requests.at(-1);
    if (last === undefined) throw new Error(`no request of ${user} went through the relay`);
    expect(decodeV3(last.bytes).flags & FLAGS.auth).toBe(FLAGS.auth);
    return last.bytes;
  };
  const answered = (reply: Buffer | undefined, user: string): boolean => {
    if (reply === undefined) return false;
    const m = decodeV3(reply);
    // authNoPriv: a readable Response; authPriv: an encrypted one (a Report is never encrypted).
    return user === AUDIT.name ? m.pdu?.type === PDU.response : m.pdu === undefined && (m.flags & FLAGS.priv) !== 0;
  };

  it('answered by the same agent inside the time window; after a restart (boots 2) refused with a Report, by snmpd as by ours', async () => {
    const bytes: Record<string, Record<string, Buffer>> = { ours: {}, snmpd: {} };
    for (const [name, relay] of [['ours', relayOurs], ['snmpd', relaySnmpd]] as const) {
      for (const [user, auth] of [[OPS.name, V3_OPS], [AUDIT.name, V3_AUDIT]] as const) {
        const mark = relay.datagrams.length;
        const r = await snmpCmd('snmpget', [...auth, relay.target, SYS_UPTIME]);
        expect(r.code, r.stderr).toBe(0);
        bytes[name]![user] = captured(relay, mark, user);
      }
    }
    // Inside the window the same bytes are answered again: RFC 3414 bounds a replay in time, it does not forbid it.
    for (const user of [OPS.name, AUDIT.name]) {
      expect(answered(await sendOnce(ours.port, bytes.ours![user]!), user), `ours ${user}`).toBe(true);
      expect(answered(await sendOnce(snmpd.port, bytes.snmpd![user]!), user), `snmpd ${user}`).toBe(true);
    }

    await ours.process.stop();
    ours = await startOurs();
    relayOurs.retarget(ours.port);
    await snmpd.restart();
    expect(loggedBoots(ours.process.output())).toBe(2);
    expect(stored()).toEqual({ engineId: ENGINE_ID, engineBoots: 2 });

    for (const [name, port] of [['ours', ours.port], ['snmpd', snmpd.port]] as const) {
      for (const user of [OPS.name, AUDIT.name]) {
        const reply = await sendOnce(port, bytes[name]![user]!);
        expect(reply, `${name} ${user}: the replay got nothing back`).toBeDefined();
        const m = decodeV3(reply!);
        expect(answered(reply, user), `${name} ${user}`).toBe(false);
        expect(reportOid(m), `${name} ${user}`).toBe(USM_STATS_NOT_IN_TIME_WINDOWS);
        expect(m).toMatchObject({ userName: user, boots: 2 });
        expect(m.flags & (FLAGS.auth | FLAGS.priv)).toBe(FLAGS.auth);
      }
    }
    expect(ours.process.output()).toMatch(/"claimed":\{"boots":1,.*"engine":\{"boots":2,.*request refused: not in the time window/);
    // A manager with the keys still gets in: discovery gives it the new boots.
    const r = await snmpCmd('snmpget', [...V3_OPS, relayOurs.target, BOND_COUNT]);
    expect(parseVarBindLines(r.stdout)[0]?.text, r.stderr).toBe('8');
  });
});

/** unshare's flags that give this user a mount namespace where it can mount a directory read-only; undefined: none. */
function readOnlyMountFlags(dir: string): string[] | undefined {
  const script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && ! touch "$1/probe" 2>/dev/null';
  for (const flags of [['--mount'], ['--map-root-user', '--mount']]) {
    const r = spawnSync(findBinary('unshare'), [...flags, 'sh', '-c', script, 'sh', dir], { stdio: 'ignore' });
    if (r.status === 0) return flags;
  }
  return undefined;
}

describe('a read-only state directory', () => {
  const roDir = mkdtempSync(join(tmpdir(), 'bonding-agentx-ro-state-'));
  const flags = readOnlyMountFlags(roDir);
  afterAll(() => rmSync(roDir, { recursive: true, force: true }));

  it.skipIf(flags === undefined)('a warning, boots from the clock; v3 still served (needs a mount namespace: unshare)', async () => {
    writeFileSync(join(roDir, STATE_FILE), JSON.stringify({ engineId: ENGINE_ID, engineBoots: 5 }));
    const port = await freeUdpPort();
    const before = bootsFromWallClock();
    // The agent in a mount namespace of its own where the state directory is mounted read-only, as ProtectSystem=strict leaves /var/lib.
    const script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"';
    const args = ['--config', config, '--state-dir', roDir, ...rootArgs(host.roots), ...READ_ON_SIGHUP];
    const proc: ManagedProcess = await spawnManaged(
      findBinary('unshare'),
      [...flags!, 'sh', '-c', script, 'sh', roDir, process.execPath, BIN, 'run', '--standalone', `udp:127.0.0.1:${port}`, ...args],
      process.env,
    );
    try {
      let r = await snmpCmd('snmpget', [...V3_OPS, '-t', '0.5', '-r', '0', `127.0.0.1:${port}`, BOND_COUNT]);
      for (let i = 0; i < 60 && r.code !== 0 && proc.isRunning(); i++) {
        await sleep(100);
        r = await snmpCmd('snmpget', [...V3_OPS, '-t', '0.5', '-r', '0', `127.0.0.1:${port}`, BOND_COUNT]);
      }
      expect(parseVarBindLines(r.stdout)[0]?.text, proc.output()).toBe('8');
      const log = proc.output();
      expect(log).toMatch(/"level":40,.*"msg":"engine state: cannot write [^"]*snmp-engine.json \(EROFS\): engine boots \d+ is derived from the clock/);
      const boots = loggedBoots(log)!;
      expect(boots).toBeGreaterThanOrEqual(before);
      expect(boots).toBeLessThanOrEqual(bootsFromWallClock());
      expect(JSON.parse(readFileSync(join(roDir, STATE_FILE), 'utf8'))).toEqual({ engineId: ENGINE_ID, engineBoots: 5 });
    } finally {
      await proc.stop();
    }
  });
});
