/**
 * The standard tables NMSes already read, served by `bonding-agentx run`
 * through Debian's snmpd: IF-MIB ifStackTable, IEEE8023-LAG-MIB and
 * sysORTable. What the walks show is checked against the fixture files
 * themselves (test/support/standard-tables.ts), and the way LibreNMS and
 * Observium read bond membership from them is applied to the walks.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reread, startAgentX } from '../support/agent.js';
import { addAggregatorMismatchState, MISMATCH_STATE } from '../support/aggregator-mismatch.js';
import { FixtureHost, STATES } from '../support/fixture-host.js';
import { addReleasedState } from '../support/membership-states.js';
import type { ManagedProcess } from '../support/managed-process.js';
import { parseVarBindLines, snmpCmd, startSnmpd, type RunningSnmpd, type TextVarBind } from '../support/net-snmp.js';
import {
  AGG_MAC,
  AGG_PORT_ATTACHED,
  AGG_PORT_LIST,
  AGG_PORT_SELECTED,
  bondMembership,
  expectedStack,
  IF_STACK_LAST_CHANGE,
  IF_STACK_STATUS,
  LAG_MIB,
  lagAttachments,
  LINUX_BONDING_MIB,
  portListMembers,
  SYS_OR_DESCR,
  SYS_OR_ID,
} from '../support/standard-tables.js';

/** 04-bond1-down with eth3 released from bond1 (ip link set eth3 nomaster): a change of the stack. */
const RELEASED = '06-eth3-released';

let host: FixtureHost;
let snmpd: RunningSnmpd;
let agent: ManagedProcess;

async function walk(oid: string): Promise<TextVarBind[]> {
  const r = await snmpCmd('snmpwalk', ['-v2c', '-c', 'public', '-On', '-Ox', snmpd.target, oid]);
  expect(r.code, r.stderr).toBe(0);
  return parseVarBindLines(r.stdout).filter((vb) => vb.type !== 'endOfMibView' && !vb.type.startsWith('no'));
}

const suffix = (vb: TextVarBind, prefix: string) => vb.oid.slice(prefix.length + 1);

/** Walks until ifStackTable shows exactly `state`'s stack (a re-read may still be under way). */
async function stackOf(state: string): Promise<TextVarBind[]> {
  const want = expectedStack(join(host.dir, state));
  let rows: TextVarBind[] = [];
  for (let i = 0; i < 100; i++) {
    rows = await walk(IF_STACK_STATUS);
    if (JSON.stringify(rows.map((vb) => suffix(vb, IF_STACK_STATUS))) === JSON.stringify(want)) return rows;
    await sleep(100);
  }
  expect(rows.map((vb) => suffix(vb, IF_STACK_STATUS))).toEqual(want);
  return rows;
}

beforeAll(async () => {
  host = FixtureHost.create(STATES, 'bonding-agentx-std-');
  addAggregatorMismatchState(host);
  addReleasedState(host, '04-bond1-down', RELEASED, 'bond1', 'eth3');
  snmpd = await startSnmpd({ agentXTimeoutSeconds: 5 });
  agent = await startAgentX(snmpd.agentxSocket, host.roots);
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await snmpd?.stop();
  host?.remove();
});

describe('IF-MIB ifStackTable through snmpd', () => {
  it('shows exactly the stack the files show, every row active(1), ifStackLastChange.0 0 since nothing changed', async () => {
    const rows = await stackOf('01-all-up');
    expect(new Set(rows.map((vb) => `${vb.type} ${vb.text}`))).toEqual(new Set(['INTEGER 1']));
    const last = await snmpCmd('snmpget', ['-v2c', '-c', 'public', '-On', snmpd.target, IF_STACK_LAST_CHANGE]);
    expect(parseVarBindLines(last.stdout)[0]).toMatchObject({ type: 'Timeticks', text: '0' });
  });

  it("LibreNMS's rule (ifStackStatus, rows without a 0, lower -> higher) gives the kernel's bond membership", async () => {
    const rows = await stackOf('01-all-up');
    const parent = new Map<number, number>();
    for (const vb of rows) {
      const [higher, lower] = suffix(vb, IF_STACK_STATUS).split('.').map(Number);
      if (higher !== 0 && lower !== 0 && vb.text === '1') parent.set(lower!, higher!);
    }
    expect(parent).toEqual(bondMembership(join(host.dir, '01-all-up')));
  });

  it('a slave released from its bond: the walk follows, and ifStackLastChange.0 dates it on snmpd\'s clock', async () => {
    host.show('04-bond1-down');
    reread(agent);
    await stackOf('04-bond1-down');
    host.show(RELEASED);
    reread(agent);
    await stackOf(RELEASED);
    const r = await snmpCmd('snmpget', ['-v2c', '-c', 'public', '-On', snmpd.target, IF_STACK_LAST_CHANGE, '1.3.6.1.2.1.1.3.0']);
    const [last, uptime] = parseVarBindLines(r.stdout).map((vb) => Number(vb.text));
    expect(last).toBeGreaterThan(0);
    // Within a second of snmpd's own sysUpTime: the change happened just now, on its clock.
    expect(uptime! - last!).toBeGreaterThanOrEqual(0);
    expect(uptime! - last!).toBeLessThan(100);
    host.show('01-all-up');
    reread(agent);
    await stackOf('01-all-up');
  });
});

describe('IEEE8023-LAG-MIB through snmpd', () => {
  for (const state of [...STATES, MISMATCH_STATE]) {
    it(`${state}: an aggregator row per 802.3ad bond, its port list, and each port's attached aggregator (Observium's rule)`, async () => {
      host.show(state);
      reread(agent);
      const root = join(host.dir, state);
      const want = lagAttachments(root);
      let rows: TextVarBind[] = [];
      const attachedOf = (list: TextVarBind[]) => new Map(list.filter((vb) => vb.oid.startsWith(`${AGG_PORT_ATTACHED}.`)).map((vb) => [Number(suffix(vb, AGG_PORT_ATTACHED)), Number(vb.text)]));
      const expectedAttached = new Map(want.flatMap(({ bond, ports }) => [...ports].map(([port, on]) => [port, on ? bond : 0] as const)));
      for (let i = 0; i < 100; i++) {
        rows = await walk(LAG_MIB);
        if (JSON.stringify([...attachedOf(rows)].sort()) === JSON.stringify([...expectedAttached].sort())) break;
        await sleep(100);
      }
      // Observium: a port belongs to the aggregator its AttachedAggID names.
      expect(attachedOf(rows)).toEqual(expectedAttached);
      const selected = new Map(rows.filter((vb) => vb.oid.startsWith(`${AGG_PORT_SELECTED}.`)).map((vb) => [Number(suffix(vb, AGG_PORT_SELECTED)), Number(vb.text)]));
      expect(selected).toEqual(expectedAttached);
      // One aggregator row per 802.3ad bond, indexed by its ifIndex.
      expect(rows.filter((vb) => vb.oid.startsWith(`${AGG_MAC}.`)).map((vb) => Number(suffix(vb, AGG_MAC)))).toEqual(want.map((w) => w.bond));
      for (const { bond, ports } of want) {
        const list = rows.find((vb) => vb.oid === `${AGG_PORT_LIST}.${bond}`);
        expect(portListMembers(list?.bytes ?? new Uint8Array())).toEqual([...ports].filter(([, on]) => on).map(([p]) => p).sort((a, b) => a - b));
      }
    });
  }
});

describe('sysORTable and the order of the tree', () => {
  it("lists LINUX-BONDING-MIB and IEEE8023-LAG-MIB beside snmpd's own entries", async () => {
    const ids = await walk(SYS_OR_ID);
    const descr = await walk(SYS_OR_DESCR);
    const text = (vb: TextVarBind | undefined) => Buffer.from(vb?.bytes ?? []).toString('utf8');
    const entry = (id: string) => {
      const row = ids.find((vb) => vb.text === id);
      return row && text(descr.find((vb) => suffix(vb, SYS_OR_DESCR) === suffix(row, SYS_OR_ID)));
    };
    expect(entry(LINUX_BONDING_MIB)).toMatch(/LINUX-BONDING-MIB/);
    expect(entry(LAG_MIB)).toBe('IEEE8023-LAG-MIB');
    expect(ids.length).toBeGreaterThan(2);
  });

  it("a walk of IF-MIB passes from snmpd's ifXTable to our ifStackTable and on, in order; GetNext after the LAG MIB reaches snmpd's tree", async () => {
    const all = await walk('1.3.6.1.2.1.31');
    const numeric = all.map((vb) => vb.oid.split('.').map(Number));
    for (let i = 1; i < numeric.length; i++) {
      const a = numeric[i - 1]!;
      const b = numeric[i]!;
      const n = Math.min(a.length, b.length);
      let cmp = 0;
      for (let k = 0; k < n && cmp === 0; k++) cmp = a[k]! - b[k]!;
      if (cmp === 0) cmp = a.length - b.length;
      expect(cmp, `${all[i - 1]!.oid} then ${all[i]!.oid}`).toBeLessThan(0);
    }
    expect(all.some((vb) => vb.oid.startsWith('1.3.6.1.2.1.31.1.1.1.'))).toBe(true); // snmpd's ifXTable
    expect(all.some((vb) => vb.oid.startsWith(`${IF_STACK_STATUS}.`))).toBe(true); // ours
    const lag = await walk(LAG_MIB);
    const next = await snmpCmd('snmpgetnext', ['-v2c', '-c', 'public', '-On', snmpd.target, lag.at(-1)!.oid]);
    const after = parseVarBindLines(next.stdout)[0]!;
    expect(after.oid.startsWith(`${LAG_MIB}.`)).toBe(false);
    expect(after.type).not.toBe('endOfMibView');
  });
});
