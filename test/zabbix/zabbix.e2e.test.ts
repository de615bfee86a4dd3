/**
 * The Zabbix template (examples/zabbix/) against a real Zabbix 6.0 server:
 * PostgreSQL, zabbix_server and the frontend's API from Debian's packages,
 * snmpd with bonding-agentx on the real-kernel captures, snmptrapd with the
 * project's trap receiver feeding the server's SNMP trapper. Everything is
 * started once for the suite and stopped at the end.
 *
 * What Zabbix must show is derived from the capture files themselves
 * (fixture-facts.ts); the notifications the agent sends for each change are
 * the ones test/e2e/agent-snmpd.e2e.test.ts establishes.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ON_SIGHUP, reread, startAgentX } from '../support/agent.js';
import { CAPTURES, FixtureHost, REPO, STATES } from '../support/fixture-host.js';
import { addDeletedBondState, addReleasedState } from '../support/membership-states.js';
import { FAILOVER_01_TO_02 } from '../support/expected-notifications.js';
import type { ManagedProcess } from '../support/managed-process.js';
import { snmpCmd, startSnmpd, type RunningSnmpd } from '../support/net-snmp.js';
import { readStateFacts, type StateFacts } from './fixture-facts.js';
import { startZabbixTrapReceiver, type ZabbixTrapReceiver } from './trap-receiver.js';
import type { ZabbixApi } from './zabbix-api.js';
import { startZabbixStack, type ZabbixStack } from './zabbix-stack.js';

const TEMPLATE_FILE = join(REPO, 'examples', 'zabbix', 'template_linux_bonding_snmp.yaml');
const TEMPLATE = 'Linux bonding by SNMP';
/** A hand-edited 01-all-up: bond2's eth5 in another 802.3ad aggregator, bond1's eth3 flapped unseen. */
const EDITED = '05-edited';
/** 01-all-up with bond1's eth3 released; then also bond7 deleted (membership-states.ts). */
const RELEASED = '06-eth3-released';
const DELETED = '07-bond7-deleted';
/** Polling fast enough for a test; the template's defaults are 1m, 15m and 5m. */
const HOST_MACROS = { '{$BOND.POLL.INTERVAL}': '5s', '{$BOND.CONFIG.INTERVAL}': '5s', '{$BOND.LLD.INTERVAL}': '10s' };

interface Item {
  itemid: string;
  key_: string;
  lastvalue: string;
  state: string;
  error: string;
  flags: string;
}
interface ZabbixEvent {
  eventid: string;
  name: string;
  clock: string;
  r_eventid: string;
  opdata: string;
}

let host: FixtureHost;
let stack: ZabbixStack;
let api: ZabbixApi;
let trapd: ZabbixTrapReceiver;
let snmpd: RunningSnmpd;
let agent: ManagedProcess;
let hostid: string;
const facts = new Map<string, StateFacts>();
/** bondFailoverCount as the agent must serve it: active slave changes it has seen. */
const failovers = new Map<string, number>();
/** What the suite saw, for the closing note. */
const seen: string[] = [];

const note = (line: string): void => {
  seen.push(line);
};

async function items(): Promise<Item[]> {
  return api.call<Item[]>('item.get', { hostids: [hostid], output: ['itemid', 'key_', 'lastvalue', 'state', 'error', 'flags'] });
}

async function eventsSince(clock: number): Promise<ZabbixEvent[]> {
  return api.call<ZabbixEvent[]>('event.get', {
    hostids: [hostid],
    time_from: clock,
    value: 1,
    output: ['eventid', 'name', 'clock', 'r_eventid', 'opdata'],
    sortfield: ['clock', 'eventid'],
  });
}

async function openProblems(): Promise<ZabbixEvent[]> {
  return api.call<ZabbixEvent[]>('problem.get', { hostids: [hostid], output: ['eventid', 'name', 'clock', 'r_eventid', 'opdata'] });
}

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, explain: (value: T) => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s\n${explain(value)}`);
    await sleep(1000);
  }
}

/** Shows `state` on the host, tells the agent, and follows its failover count. */
function show(state: string): number {
  const before = facts.get(host.shown)!;
  const after = facts.get(state)!;
  // A deleted bond's count goes with it: a bond created again starts from 0.
  for (const name of failovers.keys()) if (!after.bonds.some((b) => b.name === name)) failovers.delete(name);
  for (const bond of after.bonds) {
    const was = before.bonds.find((b) => b.name === bond.name);
    // The agent counts a change away from an active slave (to another, or to none).
    if (was && was.active !== '' && was.active !== bond.active) failovers.set(bond.name, (failovers.get(bond.name) ?? 0) + 1);
  }
  const clock = Math.floor(Date.now() / 1000);
  host.show(state);
  reread(agent);
  return clock;
}

/** Waits until Zabbix holds the state's items with the state's values, then checks none is unsupported. */
async function expectState(state: string, timeoutMs = 60_000): Promise<Item[]> {
  const want = facts.get(state)!;
  const values = new Map(want.values);
  for (const bond of want.bonds) values.set(`bond.failovers[${bond.name}]`, String(failovers.get(bond.name) ?? 0));
  const diff = (got: Item[]): string[] => {
    const discovered = got.filter((i) => i.flags === '4');
    const keys = new Set(discovered.map((i) => i.key_));
    const out = [
      ...[...want.keys].filter((k) => !keys.has(k)).map((k) => `missing item ${k}`),
      ...[...keys].filter((k) => !want.keys.has(k)).map((k) => `unexpected item ${k}`),
    ];
    for (const [key, value] of values) {
      const item = discovered.find((i) => i.key_ === key);
      if (item && item.lastvalue !== value) out.push(`${key}: want ${JSON.stringify(value)}, got ${JSON.stringify(item.lastvalue)}`);
    }
    return out;
  };
  const got = await until(`Zabbix shows ${state}`, items, (i) => diff(i).length === 0, timeoutMs, (i) => diff(i).join('\n'));
  // Every item, discovered or not, and both discovery rules, are supported.
  const unsupported = got.filter((i) => i.state !== '0').map((i) => `${i.key_}: ${i.error}`);
  const rules = await api.call<Item[]>('discoveryrule.get', { hostids: [hostid], output: ['key_', 'state', 'error'] });
  unsupported.push(...rules.filter((r) => r.state !== '0').map((r) => `${r.key_}: ${r.error}`));
  expect(unsupported, `unsupported in ${state}`).toEqual([]);
  return got;
}

/** The problems a change from `prev` to `next` must open, by name, from the files. */
function problemsOpened(prev: StateFacts, next: StateFacts): string[] {
  const out = new Set<string>();
  for (const bond of next.bonds) {
    const was = prev.bonds.find((b) => b.name === bond.name)!;
    const up = bond.slaves.filter((s) => s.mii === 1).length;
    const b = `Bond ${bond.name}`;
    if (bond.mii === 2) out.add(`${b}: link down`);
    if (bond.mii === 2 && was.mii !== 2) out.add(`${b}: link down (SNMP trap)`);
    if (up > 0 && up < bond.slaves.length) out.add(`${b}: redundancy lost`);
    if (bond.primary !== '' && bond.active !== '' && bond.active !== bond.primary) out.add(`${b}: active slave is not the primary`);
    if (was.active !== bond.active) {
      if (was.active !== '') out.add(`${b}: failover`); // the failover count rose
      out.add(`${b}: active slave changed from [${was.active}] to [${bond.active}] (SNMP trap)`);
    }
    for (const slave of bond.slaves) {
      const old = was.slaves.find((s) => s.name === slave.name)!;
      const s = `${b}: slave ${slave.name}`;
      if (slave.mii !== 1) out.add(`${s} link down`);
      if (slave.failures > old.failures) out.add(`${s} link failure count rose`);
      // A real loss of the link, or one the agent infers from the failure count.
      if ((old.mii === 1 && slave.mii !== 1) || slave.failures > old.failures) out.add(`${s} link down (SNMP trap)`);
      if (slave.aggregator !== undefined && slave.aggregator !== bond.aggregator) {
        out.add(`${s} is not in the active 802.3ad aggregator`);
        if (old.aggregator === bond.aggregator) out.add(`${s} left the active 802.3ad aggregator (SNMP trap)`);
      }
    }
  }
  return [...out].sort();
}

/** Waits for every expected problem, then one more poll for anything unexpected. */
async function expectOpened(since: number, expected: readonly string[]): Promise<ZabbixEvent[]> {
  const names = (events: ZabbixEvent[]) => [...new Set(events.map((e) => e.name))].sort();
  await until(
    'problems opened',
    () => eventsSince(since),
    (events) => expected.every((n) => names(events).includes(n)),
    60_000,
    (events) => `want ${JSON.stringify(expected, null, 1)}\ngot ${JSON.stringify(names(events), null, 1)}`,
  );
  await sleep(6000); // a poll interval and a configuration sync more: nothing else may open
  const events = await eventsSince(since);
  expect(names(events)).toEqual(expected);
  return events;
}

/** The trap text's notification and names, as test/e2e/agent-snmpd.e2e.test.ts describes them. */
function describeTrap(text: string): string {
  const name = /LINUX-BONDING-MIB::(\w+) from /.exec(text)?.[1] ?? '?';
  const bond = /::bondName\.\d+ = STRING: (\S*)/.exec(text)?.[1];
  const slave = /::bondSlaveName\.[\d.]+ = STRING: (\S*)/.exec(text)?.[1];
  const inferred = /::bondEventInferred\.0 = INTEGER: 1\b/.test(text) ? 'inferred' : undefined;
  return [name, bond, slave, inferred].filter(Boolean).join(' ');
}

async function trapHistory(key: string, since: number): Promise<string[]> {
  const [item] = await api.call<Item[]>('item.get', { hostids: [hostid], filter: { key_: key }, output: ['itemid'] });
  const rows = await api.call<{ value: string; clock: string; ns: string }[]>('history.get', {
    history: 2,
    itemids: [item!.itemid],
    time_from: since,
    output: 'extend',
  });
  return rows.sort((a, b) => Number(a.clock) - Number(b.clock) || Number(a.ns) - Number(b.ns)).map((r) => r.value);
}

beforeAll(async () => {
  host = FixtureHost.create(STATES, 'bonding-agentx-zabbix-');
  // The hand-edited state: eth5's aggregator and eth3's failure count, in procfs and sysfs.
  const edited = join(host.dir, EDITED);
  cpSync(join(CAPTURES, '01-all-up'), edited, { recursive: true });
  const editProcfs = (bond: string, slave: string, from: string, to: string): void => {
    const file = join(edited, 'proc', 'net', 'bonding', bond);
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf(`Slave Interface: ${slave}\n`);
    const next = text.slice(at).replace(from, to);
    if (at < 0 || next === text.slice(at)) throw new Error(`${file}: ${from} not found for ${slave}`);
    writeFileSync(file, text.slice(0, at) + next);
  };
  editProcfs('bond2', 'eth5', 'Aggregator ID: 1', 'Aggregator ID: 2');
  writeFileSync(join(edited, 'sys', 'class', 'net', 'eth5', 'bonding_slave', 'ad_aggregator_id'), '2\n');
  editProcfs('bond1', 'eth3', 'Link Failure Count: 0', 'Link Failure Count: 1');
  writeFileSync(join(edited, 'sys', 'class', 'net', 'eth3', 'bonding_slave', 'link_failure_count'), '1\n');
  addReleasedState(host, '01-all-up', RELEASED, 'bond1', 'eth3');
  addDeletedBondState(host, RELEASED, DELETED, 'bond7');
  for (const state of [...STATES, EDITED, RELEASED, DELETED]) facts.set(state, readStateFacts(join(host.dir, state)));

  const t0 = Date.now();
  trapd = await startZabbixTrapReceiver();
  // The database load is the long pole: snmpd and the agent start meanwhile.
  const [zabbix, snmp] = await Promise.allSettled([
    startZabbixStack({ trapFile: trapd.trapFile }).then((s) => (stack = s)),
    (async () => {
      snmpd = await startSnmpd({ trapSink: { port: trapd.port }, agentXTimeoutSeconds: 5 });
      agent = await startAgentX(snmpd.agentxSocket, host.roots, [...READ_ON_SIGHUP, '--ping-interval', '1']);
    })(),
  ]);
  for (const r of [zabbix, snmp]) if (r.status === 'rejected') throw r.reason;
  api = stack.api;
  note(`PostgreSQL with the Zabbix database, zabbix_server and the API up in ${((Date.now() - t0) / 1000).toFixed(1)} s (${[...stack.timings].map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')})`);
}, 180_000);

afterAll(async () => {
  const errors: unknown[] = [];
  const t0 = Date.now();
  const results = await Promise.allSettled([
    (async () => {
      await agent?.stop();
      await snmpd?.stop();
      await trapd?.stop();
      note(`agent, snmpd and snmptrapd stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    })(),
    stack?.stop(),
  ]);
  for (const r of results) if (r.status === 'rejected') errors.push(r.reason);
  const stopped = Date.now();
  host?.remove();
  const stops = [...(stack?.timings ?? [])].filter(([k]) => k.startsWith('stop'));
  note(`stopped everything in ${((stopped - t0) / 1000).toFixed(1)} s (${stops.map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}), fixture copies removed in ${((Date.now() - stopped) / 1000).toFixed(1)} s`);
  // ZABBIX_SUITE_REPORT=1 prints what Zabbix showed (problem names, values) for a closing note.
  if (process.env.ZABBIX_SUITE_REPORT && seen.length > 0) console.log(`What Zabbix showed:\n${seen.join('\n')}`);
  if (errors.length > 0) throw errors[0];
}, 120_000);

describe('the Zabbix template against Zabbix 6.0', () => {
  it('imports through configuration.import, and a host with an SNMP interface links it', async () => {
    const source = readFileSync(TEMPLATE_FILE, 'utf8');
    const rule = { createMissing: true, updateExisting: true };
    const imported = await api.call<boolean>('configuration.import', {
      format: 'yaml',
      source,
      rules: { groups: { createMissing: true }, templates: rule, items: rule, discoveryRules: rule, triggers: rule, valueMaps: rule, templateLinkage: { createMissing: true } },
    });
    expect(imported).toBe(true);
    const [template] = await api.call<{ templateid: string; name: string }[]>('template.get', { filter: { host: TEMPLATE }, output: ['templateid', 'name'] });
    expect(template?.name).toBe('Linux bonding by SNMP (bonding-agentx)');
    const [group] = await api.call<{ groupid: string }[]>('hostgroup.get', { filter: { name: 'Linux servers' }, output: ['groupid'] });
    const created = await api.call<{ hostids: string[] }>('host.create', {
      host: 'bonded-host',
      groups: [{ groupid: group!.groupid }],
      templates: [{ templateid: template!.templateid }],
      interfaces: [{ type: 2, main: 1, useip: 1, ip: '127.0.0.1', dns: '', port: String(snmpd.port), details: { version: 2, bulk: 1, community: 'public' } }],
      macros: Object.entries(HOST_MACROS).map(([macro, value]) => ({ macro, value })),
    });
    hostid = created.hostids[0]!;
  }, 120_000);

  it('01-all-up: discovery creates exactly the bonds and slaves of the capture, with its values, none unsupported', async () => {
    const got = await expectState('01-all-up', 120_000);
    const discovered = got.filter((i) => i.flags === '4');
    const bonds = new Set(discovered.filter((i) => i.key_.startsWith('bond.mii[')).map((i) => i.key_.slice(9, -1)));
    const slaves = new Set(discovered.filter((i) => i.key_.startsWith('bond.slave.mii[')).map((i) => i.key_.slice(15, -1)));
    const want = facts.get('01-all-up')!;
    expect([...bonds].sort()).toEqual(want.bonds.map((b) => b.name).sort());
    expect([...slaves].sort()).toEqual(want.bonds.flatMap((b) => b.slaves.map((s) => `${b.name},${s.name}`)).sort());
    const value = (key: string) => discovered.find((i) => i.key_ === key)?.lastvalue;
    note(`01-all-up: ${discovered.length} discovered items, ${got.length - discovered.length} trap items; e.g. bond.mode[bond2]=${value('bond.mode[bond2]')}, bond.active[bond0]=${value('bond.active[bond0]')}, bond.ad.partner_mac[bond2]=${value('bond.ad.partner_mac[bond2]')}, bond.slave.ad.actor_state[bond2,eth4]=${value('bond.slave.ad.actor_state[bond2,eth4]')}, bond.slave.speed[bond0,eth0]=${value('bond.slave.speed[bond0,eth0]')}`);
    expect(await openProblems()).toEqual([]);
  }, 150_000);

  let failoverClock = 0;
  let failoverEvents: ZabbixEvent[] = [];
  let notices: ZabbixEvent[] = [];

  it('01 -> 02-failover: the expected problems open, naming the right bond and slave, and the values follow', async () => {
    failoverClock = show('02-failover');
    const expected = problemsOpened(facts.get('01-all-up')!, facts.get('02-failover')!);
    failoverEvents = await expectOpened(failoverClock, expected);
    await expectState('02-failover');
    for (const e of failoverEvents) note(`02-failover opened: ${e.name}${e.opdata ? ` | ${e.opdata}` : ''}`);
    const bond0 = (await items()).filter((i) => /^bond\.(slaves\.up|active|failovers)\[bond0\]$/.test(i.key_)).map((i) => `${i.key_}=${i.lastvalue}`);
    note(`02-failover values: ${bond0.sort().join(', ')}`);
  }, 120_000);

  it('01 -> 02-failover: every notification reached its trap item, in order', async () => {
    // As test/e2e/agent-snmpd.e2e.test.ts establishes for this change.
    const sent = FAILOVER_01_TO_02;
    for (const notification of ['bondSlaveLinkDown', 'bondSlaveLinkUp', 'bondActiveSlaveChanged', 'bondLinkDown', 'bondLinkUp']) {
      const want = sent.filter((s) => s.startsWith(`${notification} `));
      const got = await until(
        `snmptrap["${notification}"]`,
        () => trapHistory(`snmptrap["${notification}"]`, failoverClock),
        (values) => values.length >= want.length,
        30_000,
        (values) => values.map(describeTrap).join('\n'),
      );
      expect(got.map(describeTrap), notification).toEqual(want);
    }
    const [first] = await trapHistory('snmptrap["bondSlaveLinkDown"]', failoverClock);
    note(`snmptrap["bondSlaveLinkDown"] first value:\n${first}`);
  }, 60_000);

  it('02-failover -> 01-all-up: the problems resolve; the failover notices stay until their timeout', async () => {
    const clock = show('01-all-up');
    const notices = failoverEvents.filter((e) => e.name.endsWith('(SNMP trap)') && e.name.includes(': active slave changed from '));
    expect(notices.length).toBe(facts.get('02-failover')!.bonds.filter((b) => b.active !== facts.get('01-all-up')!.bonds.find((o) => o.name === b.name)!.active).length);
    const open = await until(
      'problems resolved',
      openProblems,
      (problems) => problems.map((p) => p.name).sort().join('\n') === notices.map((e) => e.name).sort().join('\n'),
      60_000,
      (problems) => JSON.stringify(problems.map((p) => p.name), null, 1),
    );
    const resolved = await api.call<ZabbixEvent[]>('event.get', { eventids: failoverEvents.map((e) => e.eventid), output: ['eventid', 'name', 'r_eventid'] });
    expect(resolved.filter((e) => e.r_eventid === '0').map((e) => e.name).sort()).toEqual(notices.map((e) => e.name).sort());
    for (const p of open) note(`back to 01-all-up, still open: ${p.name} | ${p.opdata}`);
    await expectState('01-all-up');
    // The failback told by traps too: bondActiveSlaveChanged for each bond back on its slave.
    const back = (await trapHistory('snmptrap["bondActiveSlaveChanged"]', clock)).map(describeTrap);
    expect(back.sort()).toEqual(notices.map((e) => `bondActiveSlaveChanged ${/^Bond (\S+):/.exec(e.name)![1]}`).sort());
  }, 120_000);

  it('a hand-edited 01-all-up: an 802.3ad slave outside the active aggregator and an unseen flap open their problems, and clear', async () => {
    const before = new Set((await openProblems()).map((p) => p.eventid));
    const clock = show(EDITED);
    const expected = problemsOpened(facts.get('01-all-up')!, facts.get(EDITED)!);
    const events = await expectOpened(clock, expected);
    for (const e of events) note(`${EDITED} opened: ${e.name}${e.opdata ? ` | ${e.opdata}` : ''}`);
    await expectState(EDITED);
    show('01-all-up');
    await until(
      'aggregator and flap problems resolved',
      openProblems,
      (problems) => problems.every((p) => before.has(p.eventid)),
      60_000,
      (problems) => JSON.stringify(problems.map((p) => p.name), null, 1),
    );
    const match = (await trapHistory('snmptrap["bondSlaveAdAggregatorMatch"]', clock)).map(describeTrap);
    expect(match).toEqual(['bondSlaveAdAggregatorMatch bond2 eth5']);
  }, 150_000);

  it('a slave released, a bond deleted, and both back: bondSlaveRemoved, bondDeleted, bondCreated, bondSlaveAdded open their notices; other traps land in the fallback', async () => {
    // From here on no check needs a trap problem to stay open: they may time out sooner (30 s, nodata's least).
    await api.call('usermacro.create', { hostid, macro: '{$BOND.TRAP.TIMEOUT}', value: '30s' });
    const clock = Math.floor(Date.now() / 1000);
    const expectedTraps = [
      ['snmptrap["bondSlaveRemoved"]', ['bondSlaveRemoved bond1 eth3', 'bondSlaveRemoved bond7 eth13', 'bondSlaveRemoved bond7 eth14']],
      ['snmptrap["bondDeleted"]', ['bondDeleted bond7']],
      ['snmptrap["bondSlaveAdded"]', ['bondSlaveAdded bond1 eth3', 'bondSlaveAdded bond7 eth13', 'bondSlaveAdded bond7 eth14']],
      ['snmptrap["bondCreated"]', ['bondCreated bond7']],
    ] as const;
    // One state at a time, each told before the next: the agent reads each change as the kernel would show it.
    show(RELEASED);
    await until('bondSlaveRemoved bond1', () => trapHistory(expectedTraps[0][0], clock), (v) => v.length === 1, 30_000, (v) => v.join('\n'));
    show(DELETED);
    await until('bondDeleted', () => trapHistory(expectedTraps[1][0], clock), (v) => v.length === 1, 30_000, (v) => v.join('\n'));
    show('01-all-up');
    const r = await snmpCmd('snmptrap', ['-v2c', '-c', 'public', trapd.target, '', '1.3.6.1.4.1.99999.0.1', '1.3.6.1.4.1.99999.1.1', 's', 'not ours']);
    expect(r.code, r.stderr).toBe(0);
    // The template's membership triggers keep one problem open each; later notifications update its data.
    const expected = [
      'Bond bond1: slave eth3 removed (SNMP trap)',
      'Bond bond7 deleted (SNMP trap)',
      'Bond bond1: slave eth3 added (SNMP trap)',
      'Bond bond7 created (SNMP trap)',
    ];
    const events = await until(
      'membership notices',
      () => eventsSince(clock),
      (e) => expected.every((n) => e.some((x) => x.name === n)),
      30_000,
      (e) => JSON.stringify(e.map((x) => x.name), null, 1),
    );
    notices = events.filter((x) => expected.includes(x.name));
    for (const e of notices) note(`real membership change opened: ${e.name} | ${e.opdata}`);
    for (const [key, want] of expectedTraps) {
      const got = await until(key, () => trapHistory(key, clock), (v) => v.length >= want.length, 20_000, (v) => v.join('\n'));
      expect(got.map(describeTrap)).toEqual(want);
    }
    const fallback = await until('fallback', () => trapHistory('snmptrap.fallback', clock), (v) => v.length > 0, 20_000, (v) => v.join('\n'));
    expect(fallback).toHaveLength(1);
    expect(fallback[0]).toMatch(/\b3\.6\.1\.4\.1\.99999\.0\.1 from UDP: \[127\.0\.0\.1\]/);
    expect(fallback[0]).toContain('STRING: not ours');
    await expectState('01-all-up');
  }, 120_000);

  it('03-recovered and 04-bond1-down: the values follow, none unsupported', async () => {
    show('03-recovered');
    await expectState('03-recovered');
    show('04-bond1-down');
    const got = await expectState('04-bond1-down');
    const bond1 = got.filter((i) => /\[bond1(,|\])/.test(i.key_) && /^bond\.(mii|slaves\.up|slave\.mii)/.test(i.key_)).map((i) => `${i.key_}=${i.lastvalue}`);
    note(`04-bond1-down values: ${bond1.sort().join(', ')}`);
  }, 120_000);

  it('the problems raised by traps close after {$BOND.TRAP.TIMEOUT} (set to 30 s above)', async () => {
    expect(notices).toHaveLength(4);
    const ids = notices.map((e) => e.eventid);
    await until(
      'the membership notices closed',
      () => api.call<ZabbixEvent[]>('event.get', { eventids: ids, output: ['eventid', 'name', 'r_eventid'] }),
      (events) => events.length === ids.length && events.every((e) => e.r_eventid !== '0'),
      120_000,
      (events) => JSON.stringify(events, null, 1),
    );
  }, 130_000);

  it('the server logged no error about the template\'s items, triggers or traps', async () => {
    const log = stack.serverLog();
    expect(log.split('\n').filter((l) => /cannot|error|failed/i.test(l) && /item|trigger|preprocess|discovery|snmp/i.test(l))).toEqual([]);
  });
});
