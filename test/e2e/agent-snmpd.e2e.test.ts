/**
 * The product end to end: `bonding-agentx run` against Debian's snmpd (AgentX
 * master) and snmptrapd, on a fixture tree that the test moves through the
 * four real-kernel states. What the NMS walks and what the trap receiver gets
 * is checked against the fixture files themselves, read here independently of
 * the agent's reader.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reread, startAgentX } from '../support/agent.js';
import { FixtureHost, REPO, STATES } from '../support/fixture-host.js';
import { addDeletedBondState, addReleasedState } from '../support/membership-states.js';
import { FAILOVER_01_TO_02 } from '../support/expected-notifications.js';
import type { ManagedProcess } from '../support/managed-process.js';
import {
  snmpCmd,
  startSnmpd,
  startSnmptrapd,
  type ReceivedNotification,
  type RunningSnmpd,
  type RunningSnmptrapd,
} from '../support/net-snmp.js';

const MIB_ARGS = [
  '-M',
  [join(REPO, 'mibs'), join(REPO, 'node_modules', 'net-snmp', 'lib', 'mibs'), '/usr/share/snmp/mibs'].join(':'),
  '-m',
  'LINUX-BONDING-MIB',
];

let host: FixtureHost;
let work: string;
let snmpd: RunningSnmpd;
let trapd: RunningSnmptrapd;
let agent: ManagedProcess;

/** Kernel facts read straight from a fixture's sysfs files. */
const sysfs = (state: string, ...path: string[]) => host.sysfs(state, ...path);
const ifindex = (state: string, name: string) => host.ifindex(state, name);
const bondsOf = (state: string) => host.bonds(state);

/**
 * The link state the driver printed in /proc/net/bonding/<bond>, in one pass: `Key: value` of
 * the bond's header (`bond`) and of each slave's block, in order.
 */
function procfs(state: string, bond: string): { bond: Map<string, string>; slaves: Map<string, Map<string, string>> } {
  const text = readFileSync(join(work, state, 'proc', 'net', 'bonding', bond), 'utf8');
  const fields = (block: string) => {
    const map = new Map<string, string>();
    for (const line of block.split('\n')) {
      const m = /^([^:]+): ?(.*)$/.exec(line);
      if (m) map.set(m[1]!, m[2]!);
    }
    return map;
  };
  const blocks = text.split('\n\n');
  const slaves = new Map<string, Map<string, string>>();
  for (const block of blocks.filter((b) => b.startsWith('Slave Interface: '))) {
    const f = fields(block);
    slaves.set(f.get('Slave Interface')!, f);
  }
  return { bond: fields(blocks.filter((b) => !b.startsWith('Slave Interface: ')).join('\n')), slaves };
}

async function walk(): Promise<Map<string, string>> {
  const r = await snmpCmd('snmpwalk', ['-v2c', '-c', 'public', ...MIB_ARGS, '-OQs', snmpd.target, 'LINUX-BONDING-MIB::linuxBondingMIB']);
  expect(r.code, r.stderr).toBe(0);
  const rows = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^(\S+) = (.*)$/.exec(line);
    if (m) rows.set(m[1]!, m[2]!.replace(/^"(.*)"$/, '$1'));
  }
  return rows;
}

/** What the walk must show for `state`, from the fixture files: object.index -> value as snmpwalk -OQs prints it. */
function expectedRows(state: string): Map<string, string> {
  const rows = new Map<string, string>();
  const mii = (word: string) => ({ up: 'up', down: 'down', 'going down': 'goingDown', 'going back': 'goingBack' })[word] ?? `?${word}`;
  for (const bond of bondsOf(state)) {
    const b = ifindex(state, bond);
    const proc = procfs(state, bond);
    const slaves = [...proc.slaves.keys()];
    const printed = proc.bond.get('Currently Active Slave') ?? 'None';
    const active = printed === 'None' ? '' : printed;
    rows.set(`bondName.${b}`, bond);
    rows.set(`bondMiiStatus.${b}`, mii(proc.bond.get('MII Status')!));
    rows.set(`bondActiveSlaveName.${b}`, active);
    rows.set(`bondActiveSlaveIfIndex.${b}`, String(active === '' ? 0 : ifindex(state, active)));
    rows.set(`bondSlaveCount.${b}`, String(slaves.length));
    rows.set(`bondSlavesUp.${b}`, String(slaves.filter((s) => proc.slaves.get(s)!.get('MII Status') === 'up').length));
    for (const slave of slaves) {
      const s = ifindex(state, slave);
      rows.set(`bondSlaveName.${b}.${s}`, slave);
      rows.set(`bondSlaveMiiStatus.${b}.${s}`, mii(proc.slaves.get(slave)!.get('MII Status')!));
      rows.set(`bondSlaveState.${b}.${s}`, sysfs(state, slave, 'bonding_slave', 'state'));
      rows.set(`bondSlaveLinkFailureCount.${b}.${s}`, proc.slaves.get(slave)!.get('Link Failure Count')!);
    }
  }
  return rows;
}

async function waitForWalk(state: string, timeoutMs = 10_000): Promise<Map<string, string>> {
  const expected = expectedRows(state);
  const deadline = Date.now() + timeoutMs;
  let rows = new Map<string, string>();
  while (Date.now() < deadline) {
    rows = await walk();
    if ([...expected].every(([k, v]) => rows.get(k) === v)) return rows;
    await sleep(100);
  }
  const diffs = [...expected].filter(([k, v]) => rows.get(k) !== v).map(([k, v]) => `${k}: want ${v}, got ${rows.get(k)}`);
  throw new Error(`walk does not show ${state}:\n${diffs.join('\n')}\nagent output:\n${agent.output()}`);
}

const NOTIFICATIONS: Record<string, string> = {
  '1': 'bondSlaveLinkDown',
  '2': 'bondSlaveLinkUp',
  '3': 'bondActiveSlaveChanged',
  '4': 'bondLinkDown',
  '5': 'bondLinkUp',
  '6': 'bondSlaveAdAggregatorMismatch',
  '7': 'bondSlaveAdAggregatorMatch',
  '8': 'bondSlaveAdded',
  '9': 'bondSlaveRemoved',
  '10': 'bondCreated',
  '11': 'bondDeleted',
};
const NOTIFY_PREFIX = '1.3.6.1.4.1.8072.9999.9999.8023.0.';
const OBJECTS = '1.3.6.1.4.1.8072.9999.9999.8023.1.';

/** A received notification in words: name, then the bond's and slave's names as the varbinds carry them. */
function describeNotification(n: ReceivedNotification): string {
  const name = n.trapOid.startsWith(NOTIFY_PREFIX) ? NOTIFICATIONS[n.trapOid.slice(NOTIFY_PREFIX.length)] : n.trapOid;
  const text = (vb: { bytes?: Uint8Array; text: string }) => (vb.bytes ? Buffer.from(vb.bytes).toString('utf8') : vb.text);
  const bondName = n.varbinds.find((vb) => vb.oid.startsWith(`${OBJECTS}2.1.2.`));
  const slaveName = n.varbinds.find((vb) => vb.oid.startsWith(`${OBJECTS}3.1.2.`));
  const inferred = n.varbinds.find((vb) => vb.oid === `${OBJECTS}4.3.0`);
  return [name, bondName && text(bondName), slaveName && text(slaveName), inferred?.text === '1' ? 'inferred' : undefined]
    .filter(Boolean)
    .join(' ');
}

/** Ours only: snmpd sends its own coldStart to the same sink. */
const ours = (): ReceivedNotification[] => trapd.received().filter((n) => n.trapOid.startsWith(NOTIFY_PREFIX));

async function notificationsAfter(count: number, expected: readonly string[], settleMs = 1500): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  while (ours().length < count + expected.length && Date.now() < deadline) await sleep(50);
  // Nothing more may follow: wait a little for stragglers, then take all.
  await sleep(settleMs);
  return ours().slice(count).map(describeNotification);
}

beforeAll(async () => {
  host = FixtureHost.create(STATES, 'bonding-agentx-e2e-');
  work = host.dir;
  trapd = await startSnmptrapd();
  snmpd = await startSnmpd({ trapSink: { port: trapd.port }, agentXTimeoutSeconds: 5 });
  // Reads are triggered by SIGHUP after each swap; the poll stays out of the way.
  agent = await startAgentX(snmpd.agentxSocket, host.roots, ['--no-link-events', '--poll-interval', '3600', '--ping-interval', '1']);
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await snmpd?.stop();
  await trapd?.stop();
  host?.remove();
});

describe('bonding-agentx run through snmpd', () => {
  it('serves 01-all-up as the kernel shows it, every ifIndex the interface ifindex', async () => {
    const rows = await waitForWalk('01-all-up', 20_000);
    expect(rows.get('bondCount.0')).toBe('8');
    expect(rows.get('bondDriverVersion.0')).toBe('v6.1.0-56-amd64');
    // ifIndex alignment: every index the agent serves names the interface whose ifindex it is.
    const names = readdirSync(join(work, '01-all-up', 'sys', 'class', 'net')).filter((n) => n !== 'bonding_masters');
    const byIndex = new Map(names.map((n) => [ifindex('01-all-up', n), n]));
    let checked = 0;
    for (const [key, value] of rows) {
      const bond = /^bondName\.(\d+)$/.exec(key);
      if (bond) expect(byIndex.get(Number(bond[1]))).toBe(value);
      const slave = /^bondSlaveName\.(\d+)\.(\d+)$/.exec(key);
      if (slave) {
        expect(byIndex.get(Number(slave[2]))).toBe(value);
        expect(sysfs('01-all-up', value, 'master').replace(/^.*\//, '')).toBe(byIndex.get(Number(slave[1])));
      }
      const active = /^bondActiveSlaveIfIndex\.(\d+)$/.exec(key);
      if (active && value !== '0') expect(byIndex.get(Number(value))).toBe(rows.get(`bondActiveSlaveName.${active[1]}`));
      if (bond || slave || active) checked++;
    }
    expect(checked).toBe(8 + 15 + 8);
    // 802.3ad details, from the privileged procfs and sysfs.
    const bond2 = ifindex('01-all-up', 'bond2');
    expect(rows.get(`bondMode.${bond2}`)).toBe('ieee8023ad');
    expect(rows.get(`bondAdAggregatorId.${bond2}`)).toBe('1');
    expect(rows.get(`bondAdPartnerMac.${bond2}`)).toBe('2e:1:e6:27:b1:65');
    // Nothing was sent at startup.
    expect(ours().map(describeNotification)).toEqual([]);
  });

  it('refuses a SET with notWritable', async () => {
    const bond0 = ifindex('01-all-up', 'bond0');
    const r = await snmpCmd('snmpset', ['-v2c', '-c', snmpd.writeCommunity, ...MIB_ARGS, snmpd.target, `LINUX-BONDING-MIB::bondName.${bond0}`, 's', 'x']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/notWritable/);
  });

  it('01 -> 02: tells the failover in order, then serves the new state', async () => {
    const before = ours().length;
    host.show('02-failover');
    reread(agent);
    const expected = FAILOVER_01_TO_02;
    expect(await notificationsAfter(before, expected)).toEqual(expected);
    await waitForWalk('02-failover');

    const received = ours().slice(before);
    const bond0 = ifindex('02-failover', 'bond0');
    const eth0 = ifindex('02-failover', 'eth0');
    const eth1 = ifindex('02-failover', 'eth1');
    const down = received[0]!.varbinds.map((vb) => [vb.oid, vb.type, vb.text]);
    expect(down).toEqual([
      [`${OBJECTS}2.1.2.${bond0}`, 'Hex-STRING', expect.any(String)],
      [`${OBJECTS}3.1.2.${bond0}.${eth0}`, 'Hex-STRING', expect.any(String)],
      [`${OBJECTS}3.1.4.${bond0}.${eth0}`, 'INTEGER', '2'],
      [`${OBJECTS}3.1.7.${bond0}.${eth0}`, 'Counter32', '1'],
      [`${OBJECTS}2.1.6.${bond0}`, 'Hex-STRING', expect.any(String)],
      [`${OBJECTS}2.1.10.${bond0}`, 'Gauge32', '1'],
      [`${OBJECTS}4.3.0`, 'INTEGER', '2'],
      [`${OBJECTS}2.1.9.${bond0}`, 'Gauge32', '2'],
    ]);
    const failover = received[1]!.varbinds.map((vb) => [vb.oid, vb.bytes ? Buffer.from(vb.bytes).toString() : vb.text]);
    expect(failover).toEqual([
      [`${OBJECTS}2.1.2.${bond0}`, 'bond0'],
      [`${OBJECTS}4.1.0`, 'eth0'],
      [`${OBJECTS}4.2.0`, String(eth0)],
      [`${OBJECTS}2.1.6.${bond0}`, 'eth1'],
      [`${OBJECTS}2.1.5.${bond0}`, String(eth1)],
      [`${OBJECTS}2.1.34.${bond0}`, '1'],
    ]);
    const rows = await walk();
    expect(rows.get(`bondFailoverCount.${bond0}`)).toBe('1');
    expect(Number(rows.get(`bondLastFailover.${bond0}`)?.replace(/\D/g, ''))).toBeGreaterThan(0);
  });

  it('02 -> 03: tells the recoveries; bond0 stays on eth1 (primary_reselect better, equal speed)', async () => {
    const before = ours().length;
    host.show('03-recovered');
    reread(agent);
    const expected = [
      'bondSlaveLinkUp bond0 eth0',
      'bondSlaveLinkUp bond2 eth5',
      'bondSlaveLinkUp bond7 eth13 inferred',
      'bondSlaveLinkDown bond7 eth13 inferred',
    ];
    expect(await notificationsAfter(before, expected)).toEqual(expected);
    await waitForWalk('03-recovered');
  });

  it('03 -> 04: tells that bond1 lost its last slave and went down', async () => {
    const before = ours().length;
    host.show('04-bond1-down');
    reread(agent);
    const expected = ['bondSlaveLinkDown bond1 eth3', 'bondLinkDown bond1'];
    expect(await notificationsAfter(before, expected)).toEqual(expected);
    await waitForWalk('04-bond1-down');
    const bond1 = ifindex('04-bond1-down', 'bond1');
    const down = ours().at(-1)!;
    expect(down.varbinds.map((vb) => [vb.oid, vb.text])).toEqual([
      [`${OBJECTS}2.1.2.${bond1}`, expect.any(String)],
      [`${OBJECTS}2.1.4.${bond1}`, '2'],
      [`${OBJECTS}2.1.9.${bond1}`, '2'],
      [`${OBJECTS}2.1.10.${bond1}`, '0'],
    ]);
  });

  it('04 -> a slave released, a bond deleted, and back: every change of membership is told, with the counts after', async () => {
    const released = addReleasedState(host, '04-bond1-down', '06-eth3-released', 'bond1', 'eth3');
    const deleted = addDeletedBondState(host, released, '07-bond7-deleted', 'bond7');
    const step = async (state: string, expected: string[]) => {
      const before = ours().length;
      host.show(state);
      reread(agent);
      expect(await notificationsAfter(before, expected), state).toEqual(expected);
      return ours().slice(before);
    };
    const removed = await step(released, ['bondSlaveRemoved bond1 eth3']);
    const bond1 = ifindex('04-bond1-down', 'bond1');
    const eth3 = ifindex('04-bond1-down', 'eth3');
    expect(removed[0]!.varbinds.map((vb) => [vb.oid, vb.type, vb.bytes ? Buffer.from(vb.bytes).toString() : vb.text])).toEqual([
      [`${OBJECTS}2.1.2.${bond1}`, 'Hex-STRING', 'bond1'],
      [`${OBJECTS}3.1.2.${bond1}.${eth3}`, 'Hex-STRING', 'eth3'],
      [`${OBJECTS}2.1.9.${bond1}`, 'Gauge32', '1'],
    ]);
    const bond7 = ifindex('04-bond1-down', 'bond7');
    const gone = await step(deleted, ['bondSlaveRemoved bond7 eth13', 'bondSlaveRemoved bond7 eth14', 'bondDeleted bond7']);
    expect(gone[2]!.varbinds.map((vb) => [vb.oid, vb.type, vb.bytes ? Buffer.from(vb.bytes).toString() : vb.text])).toEqual([
      [`${OBJECTS}2.1.2.${bond7}`, 'Hex-STRING', 'bond7'],
      [`${OBJECTS}2.1.3.${bond7}`, 'INTEGER', '1'],
    ]);
    // bond7 comes back (its ARP targets never answer: down, no active slave); eth3 is enslaved again.
    await step('04-bond1-down', ['bondSlaveAdded bond1 eth3', 'bondCreated bond7', 'bondSlaveAdded bond7 eth13', 'bondSlaveAdded bond7 eth14']);
  });

  it('logs one JSON line per notification sent', () => {
    const lines = agent
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; notification?: string });
    const sent = lines.filter((l) => l.msg === 'notification sent');
    expect(sent.length).toBe(ours().length);
    expect(lines.some((l) => l.msg === 'AgentX session open')).toBe(true);
  });
});
