/**
 * `bonding-agentx run --standalone` as a user runs it, probed with Net-SNMP's
 * own tools: v2c and v3 authPriv walks equal the view built from the same
 * tree, credentials are enforced, SETs refused, notifications arrive at real
 * snmptrapd processes (v2c and v3), IF-MIB resolves our ifIndexes.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBondView } from '../../src/bond-mib/bond-view.js';
import { LINUX_BONDING_MIB } from '../../src/bond-mib/oids.js';
import { readSnapshot } from '../../src/bonding/index.js';
import { formatOid } from '../../src/snmp/index.js';
import { spawnManaged } from '../support/managed-process.js';
import { freeUdpPort, parseVarBindLines, snmpCmd, startSnmptrapd, type ReceivedNotification, type RunningSnmptrapd } from '../support/net-snmp.js';
import { BIN, READ_ON_SIGHUP, reread, rootArgs, startStandaloneAgent, type RunningStandalone } from '../support/agent.js';
import { FixtureHost } from '../support/fixture-host.js';
import { startV3Trapd, type RunningV3Trapd } from './v3-trapd.js';
import { fromTool, fromView } from './wire-text.js';

const ROOT_OID = formatOid(LINUX_BONDING_MIB);
const COMMUNITY = 'ro-Qx81kz';
const ENGINE_ID = '80001f8804746573742d656e67696e65';
const OPS = { name: 'ops', authKey: 'auth-secret-sha1', privKey: 'priv-secret-aes1' };
const OPS256 = { name: 'ops256', authKey: 'auth-secret-sha256', privKey: 'priv-secret-aes2' };
const V2C = ['-v2c', '-c', COMMUNITY];
const V3_OPS = ['-v3', '-l', 'authPriv', '-u', OPS.name, '-a', 'SHA', '-A', OPS.authKey, '-x', 'AES', '-X', OPS.privKey];
const V3_OPS256 = ['-v3', '-l', 'authPriv', '-u', OPS256.name, '-a', 'SHA-256', '-A', OPS256.authKey, '-x', 'AES', '-X', OPS256.privKey];
const NOTIFY_PREFIX = `${ROOT_OID}.0.`;

let host: FixtureHost;
let work: string;
let trapd: RunningSnmptrapd;
let trapd3: RunningV3Trapd;
let agent: RunningStandalone;

const roots = (state: string) => host.rootsOf(state);

/** The view the agent must serve for `state`, built here from the same files. */
async function expectedView(state: string) {
  return buildBondView(await readSnapshot(roots(state))).varBinds().map(fromView);
}

async function walkOf(command: 'snmpwalk' | 'snmpbulkwalk', auth: readonly string[], oid: string, extra: readonly string[] = []) {
  const r = await snmpCmd(command, [...auth, '-On', '-Ox', ...extra, agent.target, oid]);
  expect(r.code, r.stderr).toBe(0);
  // The agent's tree ends with LINUX-BONDING-MIB: a walk of it ends at endOfMibView, which the tools print.
  return parseVarBindLines(r.stdout).filter((vb) => vb.type !== 'endOfMibView');
}

const ours = (list: readonly ReceivedNotification[]) => list.filter((n) => n.trapOid.startsWith(NOTIFY_PREFIX));
const hexText = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

/** name, bond, slave: as a trap receiver's regular expression would pick them out. */
function describe3(n: ReceivedNotification): string {
  const names: Record<string, string> = { '1': 'bondSlaveLinkDown', '2': 'bondSlaveLinkUp', '3': 'bondActiveSlaveChanged', '4': 'bondLinkDown', '5': 'bondLinkUp' };
  const bond = n.varbinds.find((vb) => vb.oid.startsWith(`${ROOT_OID}.1.2.1.2.`));
  const slave = n.varbinds.find((vb) => vb.oid.startsWith(`${ROOT_OID}.1.3.1.2.`));
  return [names[n.trapOid.slice(NOTIFY_PREFIX.length)] ?? n.trapOid, bond && hexText(bond.bytes), slave && hexText(slave.bytes)]
    .filter(Boolean)
    .join(' ');
}

beforeAll(async () => {
  host = FixtureHost.create(['01-all-up', '02-failover'], 'bonding-agentx-standalone-');
  work = host.dir;
  trapd = await startSnmptrapd();
  trapd3 = await startV3Trapd({ name: OPS.name, engineId: ENGINE_ID, authProtocol: 'SHA', authKey: OPS.authKey, privProtocol: 'AES', privKey: OPS.privKey });
  const config = join(work, 'agent.json');
  writeFileSync(
    config,
    JSON.stringify({
      communities: [COMMUNITY],
      users: [
        { name: OPS.name, authProtocol: 'sha', authKey: OPS.authKey, privProtocol: 'aes', privKey: OPS.privKey },
        { name: OPS256.name, authProtocol: 'sha256', authKey: OPS256.authKey, privProtocol: 'aes', privKey: OPS256.privKey },
      ],
      trapTargets: [
        { address: `udp:${trapd.target}`, community: 'public' },
        { address: trapd3.target, user: OPS.name },
      ],
      engineId: ENGINE_ID,
    }),
    { mode: 0o600 },
  );
  agent = await startStandaloneAgent(
    ['--config', config, ...rootArgs(host.roots), ...READ_ON_SIGHUP, '--log-level', 'debug'],
    V2C,
  );
}, 90_000);

afterAll(async () => {
  await agent?.process.stop();
  await trapd?.stop();
  await trapd3?.stop();
  host?.remove();
});

describe('run --standalone: reads', () => {
  it('snmpwalk (v2c) of LINUX-BONDING-MIB equals the view of the tree', async () => {
    const walked = (await walkOf('snmpwalk', V2C, ROOT_OID)).map(fromTool);
    const expected = await expectedView('01-all-up');
    expect(expected.length).toBeGreaterThan(300);
    expect(walked).toEqual(expected);
  });

  it('snmpbulkwalk (v2c) gives the same, at small and large max-repetitions', async () => {
    const expected = await expectedView('01-all-up');
    for (const reps of ['1', '7', '200']) {
      expect((await walkOf('snmpbulkwalk', V2C, ROOT_OID, [`-Cr${reps}`])).map(fromTool)).toEqual(expected);
    }
  });

  it('SNMPv3 authPriv walks (SHA/AES and SHA-256/AES) equal the view', async () => {
    const expected = await expectedView('01-all-up');
    expect((await walkOf('snmpwalk', V3_OPS, ROOT_OID)).map(fromTool)).toEqual(expected);
    expect((await walkOf('snmpbulkwalk', V3_OPS256, ROOT_OID)).map(fromTool)).toEqual(expected);
  });

  it('snmpget answers instances, noSuchInstance and noSuchObject', async () => {
    const r = await snmpCmd('snmpget', [...V2C, '-On', agent.target, `${ROOT_OID}.1.1.2.0`, `${ROOT_OID}.1.2.1.2.99999`, '1.3.6.1.2.1.4.1.0', '1.3.6.1.2.1.1.3.0']);
    expect(r.code, r.stderr).toBe(0);
    const got = parseVarBindLines(r.stdout).map((vb) => [vb.oid, vb.type, vb.type === 'Timeticks' ? 'ticks' : vb.text]);
    expect(got).toEqual([
      [`${ROOT_OID}.1.1.2.0`, 'Gauge32', '8'],
      [`${ROOT_OID}.1.2.1.2.99999`, 'noSuchInstance', ''],
      ['1.3.6.1.2.1.4.1.0', 'noSuchObject', ''],
      ['1.3.6.1.2.1.1.3.0', 'Timeticks', 'ticks'],
    ]);
  });

  it('IF-MIB: ifDescr and ifName of every ifIndex the MIB serves are the interface names; ifType, ifOperStatus', async () => {
    const ifTable = await walkOf('snmpwalk', V2C, '1.3.6.1.2.1.2.2.1');
    const ifName = await walkOf('snmpwalk', V2C, '1.3.6.1.2.1.31.1.1.1.1');
    const column = (list: typeof ifTable, prefix: string) =>
      new Map(list.filter((vb) => vb.oid.startsWith(`${prefix}.`)).map((vb) => [Number(vb.oid.slice(prefix.length + 1)), vb]));
    const descr = column(ifTable, '1.3.6.1.2.1.2.2.1.2');
    const names = column(ifName, '1.3.6.1.2.1.31.1.1.1.1');
    const types = column(ifTable, '1.3.6.1.2.1.2.2.1.3');
    const oper = column(ifTable, '1.3.6.1.2.1.2.2.1.8');
    const net = join(work, '01-all-up', 'sys', 'class', 'net');
    const ifindexOf = (name: string) => Number(readFileSync(join(net, name, 'ifindex'), 'utf8'));
    // Every index in bondTable and bondSlaveTable resolves.
    const walked = await walkOf('snmpwalk', V2C, `${ROOT_OID}.1.3.1.2`);
    const bondsWalked = await walkOf('snmpwalk', V2C, `${ROOT_OID}.1.2.1.2`);
    const indexes = [...bondsWalked.map((vb) => vb.oid.split('.').at(-1)!), ...walked.map((vb) => vb.oid.split('.').at(-1)!)].map(Number);
    expect(indexes).toHaveLength(8 + 15);
    for (const index of indexes) {
      const name = hexText(descr.get(index)?.bytes);
      expect(ifindexOf(name), `ifDescr.${index} = ${name}`).toBe(index);
      expect(hexText(names.get(index)?.bytes)).toBe(name);
    }
    // And every other interface of the host: its ifStackTable names them all.
    const interfaces = readdirSync(net).filter((n) => n !== 'bonding_masters');
    expect(descr.size).toBe(interfaces.length);
    for (const name of interfaces) expect(hexText(descr.get(ifindexOf(name))?.bytes)).toBe(name);
    expect(types.get(ifindexOf('lo'))?.text).toBe('24');
    expect(types.get(ifindexOf('bond2'))?.text).toBe('161');
    expect(types.get(ifindexOf('bond0'))?.text).toBe('6');
    expect(types.get(ifindexOf('eth0'))?.text).toBe('6');
    for (const name of readdirSync(net).filter((n) => /^(bond|eth)\d+$/.test(n))) {
      const operstate = readFileSync(join(net, name, 'operstate'), 'utf8').trim();
      expect(oper.get(ifindexOf(name))?.text, name).toBe(operstate === 'up' ? '1' : operstate === 'down' ? '2' : '7');
    }
  });

  it('a walk from the top passes from system through IF-MIB into LINUX-BONDING-MIB and ends', async () => {
    const r = await snmpCmd('snmpbulkwalk', [...V2C, '-On', '-Ox', agent.target, '1.3']);
    const all = parseVarBindLines(r.stdout);
    expect(all.pop()?.type).toBe('endOfMibView');
    const firsts = all.map((vb) => vb.oid.split('.').slice(0, 7).join('.'));
    expect([...new Set(firsts)]).toEqual(['1.3.6.1.2.1.1', '1.3.6.1.2.1.2', '1.3.6.1.2.1.31', '1.3.6.1.4.1.8072']);
    expect(all.map(fromTool).slice(-(await expectedView('01-all-up')).length)).toEqual(await expectedView('01-all-up'));
  });
});

describe('run --standalone: refusals', () => {
  it('a wrong community gets no answer at all', async () => {
    const r = await snmpCmd('snmpget', ['-v2c', '-c', 'public', '-t', '0.5', '-r', '0', agent.target, '1.3.6.1.2.1.1.3.0']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Timeout/);
  });

  it('SNMPv1, even with the right community, gets no answer', async () => {
    const r = await snmpCmd('snmpget', ['-v1', '-c', COMMUNITY, '-t', '0.5', '-r', '0', agent.target, '1.3.6.1.2.1.1.3.0']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
  });

  it('wrong SNMPv3 credentials get no data', async () => {
    const base = ['-t', '0.5', '-r', '0', agent.target, '1.3.6.1.2.1.1.3.0'];
    const attempts = [
      ['-v3', '-l', 'authPriv', '-u', OPS.name, '-a', 'SHA', '-A', 'not-the-auth-key', '-x', 'AES', '-X', OPS.privKey],
      ['-v3', '-l', 'authPriv', '-u', OPS.name, '-a', 'SHA', '-A', OPS.authKey, '-x', 'AES', '-X', 'not-the-priv-key'],
      ['-v3', '-l', 'authPriv', '-u', 'nobody', '-a', 'SHA', '-A', OPS.authKey, '-x', 'AES', '-X', OPS.privKey],
      ['-v3', '-l', 'noAuthNoPriv', '-u', OPS.name],
      ['-v3', '-l', 'authNoPriv', '-u', OPS.name, '-a', 'SHA', '-A', OPS.authKey],
      ['-v3', '-l', 'noAuthNoPriv', '-u', ''],
    ];
    for (const auth of attempts) {
      const r = await snmpCmd('snmpget', [...auth, ...base]);
      expect(r.code, auth.join(' ')).not.toBe(0);
      expect(r.stdout, auth.join(' ')).toBe('');
    }
  });

  it('a SET is refused with notWritable (v2c and v3), and changes nothing', async () => {
    const oid = `${ROOT_OID}.1.2.1.2.${host.ifindex('01-all-up', 'bond0')}`;
    for (const auth of [V2C, V3_OPS]) {
      const r = await snmpCmd('snmpset', [...auth, agent.target, oid, 's', 'x']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/notWritable/);
    }
    const r = await snmpCmd('snmpget', [...V2C, '-Ov', agent.target, oid]);
    expect(r.stdout.trim()).toBe('STRING: "bond0"');
  });

  it('never logs a secret', () => {
    const log = agent.process.output();
    expect(log).toContain('standalone agent listening');
    expect(log).toContain('request refused');
    for (const secret of [COMMUNITY, OPS.authKey, OPS.privKey, OPS256.authKey, OPS256.privKey]) expect(log).not.toContain(secret);
  });
});

describe('run --standalone: notifications', () => {
  it('a failover reaches snmptrapd in order, over v2c and v3 authPriv, and the walk shows the new state', async () => {
    const before = ours(trapd.received()).length;
    const before3 = ours(trapd3.received()).length;
    host.show('02-failover');
    reread(agent.process);
    const head = ['bondSlaveLinkDown bond0 eth0', 'bondActiveSlaveChanged bond0', 'bondSlaveLinkDown bond1 eth2', 'bondSlaveLinkDown bond2 eth5'];
    const deadline = Date.now() + 15_000;
    const got = () => ours(trapd.received()).slice(before).map(describe3);
    const got3 = () => ours(trapd3.received()).slice(before3).map(describe3);
    // Both receivers log on their own schedule: compare once each has as many as the other (at least 8).
    while ((got().length < 8 || got3().length !== got().length) && Date.now() < deadline) await sleep(50);
    expect(got().slice(0, 4)).toEqual(head);
    expect(got3()).toEqual(got());
    // sysUpTime.0 is the agent's, and it dates bondLastFailover.
    const change = ours(trapd.received()).slice(before)[1]!;
    expect(change.uptime).toBeGreaterThan(0);
    const bond0 = host.ifindex('02-failover', 'bond0');
    const r = await snmpCmd('snmpget', [...V2C, '-On', agent.target, `${ROOT_OID}.1.2.1.34.${bond0}`, `${ROOT_OID}.1.2.1.35.${bond0}`]);
    const [count, last] = parseVarBindLines(r.stdout);
    expect(count?.text).toBe('1');
    expect(Math.abs(Number(last?.text) - change.uptime!)).toBeLessThan(100);
    const walked = (await walkOf('snmpbulkwalk', V3_OPS, ROOT_OID)).map(fromTool);
    // The walk equals the new view except for the agent's own failover bookkeeping.
    const expected = await expectedView('02-failover');
    const bookkeeping = (oid: string) => /\.1\.2\.1\.(34|35)\.\d+$/.test(oid);
    expect(walked.filter((vb) => !bookkeeping(vb[0]))).toEqual(expected.filter((vb) => !bookkeeping(vb[0])));
  });
});

describe('run --standalone: start-up checks', () => {
  const run = async (args: readonly string[]) => {
    const p = await spawnManaged(process.execPath, [BIN, 'run', ...args], process.env);
    const code = await Promise.race([p.exited, sleep(10_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') await p.stop();
    return { code, output: p.output() };
  };
  // The engine state in the test's dir, never the default under /var/lib.
  const tree = () => ['--sysfs', join(work, '01-all-up', 'sys'), '--procfs', join(work, '01-all-up', 'proc'), '--no-link-events', '--state-dir', join(work, 'state')];

  it('refuses a non-loopback address unless --standalone-allow-remote', async () => {
    const r = await run(['--standalone', 'udp:0.0.0.0:16199', '--community', 'x', ...tree()]);
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/not a loopback address.*--standalone-allow-remote/);
    // With the flag the refusal is lifted; 192.0.2.1 (TEST-NET-1) is on no interface here, so nothing listens.
    const allowed = await run(['--standalone', 'udp:192.0.2.1:16199', '--standalone-allow-remote', '--community', 'x', ...tree()]);
    expect(allowed.code).toBe(1);
    expect(allowed.output).toMatch(/EADDRNOTAVAIL/);
  });

  it('serves on IPv6 loopback too (udp6:[::1]:PORT)', async () => {
    const port = await freeUdpPort();
    const p = await spawnManaged(process.execPath, [BIN, 'run', '--standalone', `udp6:[::1]:${port}`, '--community', 'six', ...tree()], process.env);
    try {
      let r = await snmpCmd('snmpget', ['-t', '0.5', '-r', '0', '-v2c', '-c', 'six', '-Ov', `udp6:[::1]:${port}`, `${ROOT_OID}.1.1.2.0`]);
      for (let i = 0; i < 40 && r.code !== 0; i++) {
        await sleep(100);
        r = await snmpCmd('snmpget', ['-t', '0.5', '-r', '0', '-v2c', '-c', 'six', '-Ov', `udp6:[::1]:${port}`, `${ROOT_OID}.1.1.2.0`]);
      }
      expect(r.stdout.trim(), p.output()).toBe('Gauge32: 8');
    } finally {
      await p.stop();
    }
  });

  it('refuses to start without a community or a v3 user', async () => {
    const r = await run(['--standalone', 'udp:127.0.0.1:16199', ...tree()]);
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/needs a credential/);
  });

  it('refuses standalone flags without --standalone, and AgentX flags with it', async () => {
    expect((await run(['--community', 'x', ...tree()])).code).toBe(2);
    expect((await run(['--standalone', 'udp:127.0.0.1:16199', '--community', 'x', '--agentx-socket', '/tmp/x', ...tree()])).code).toBe(2);
  });

  it('reports a config file problem by field, without its values', async () => {
    const file = join(work, 'bad.json');
    writeFileSync(file, JSON.stringify({ users: [{ name: 'u', authProtocol: 'sha', authKey: 'short' }] }));
    const r = await run(['--standalone', 'udp:127.0.0.1:16199', '--config', file, ...tree()]);
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/users\[0\]\.authKey must have at least 8 characters/);
    expect(r.output).not.toContain('short');
  });
});
