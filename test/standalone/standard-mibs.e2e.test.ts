/**
 * The embedded agent serves the same standard tables as the AgentX path,
 * with Net-SNMP's tools as the manager: ifStackTable, IEEE8023-LAG-MIB,
 * sysORTable; and its IF-MIB rows cover every interface its ifStackTable
 * names, so that an NMS resolves every index.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ON_SIGHUP, reread, rootArgs, startStandaloneAgent, type RunningStandalone } from '../support/agent.js';
import { addAggregatorMismatchState, MISMATCH_STATE } from '../support/aggregator-mismatch.js';
import { FixtureHost } from '../support/fixture-host.js';
import { parseVarBindLines, snmpCmd, type TextVarBind } from '../support/net-snmp.js';
import {
  AGG_PORT_ATTACHED,
  expectedStack,
  IF_STACK_STATUS,
  interfacesOf,
  LAG_MIB,
  lagAttachments,
  LINUX_BONDING_MIB,
  SYS_OR_DESCR,
  SYS_OR_ID,
} from '../support/standard-tables.js';

const COMMUNITY = 'std-Qk2';
const V2C = ['-v2c', '-c', COMMUNITY];
const IF_DESCR = '1.3.6.1.2.1.2.2.1.2';

let host: FixtureHost;
let agent: RunningStandalone;

async function walk(oid: string): Promise<TextVarBind[]> {
  const r = await snmpCmd('snmpbulkwalk', [...V2C, '-On', '-Ox', agent.target, oid]);
  expect(r.code, r.stderr).toBe(0);
  return parseVarBindLines(r.stdout).filter((vb) => vb.type !== 'endOfMibView' && !vb.type.startsWith('no'));
}

const suffix = (vb: TextVarBind, prefix: string) => vb.oid.slice(prefix.length + 1);
const text = (vb: TextVarBind | undefined) => Buffer.from(vb?.bytes ?? []).toString('utf8');

beforeAll(async () => {
  host = FixtureHost.create(['01-all-up', '04-bond1-down'], 'bonding-agentx-std-standalone-');
  addAggregatorMismatchState(host);
  agent = await startStandaloneAgent(['--community', COMMUNITY, ...rootArgs(host.roots), ...READ_ON_SIGHUP], V2C);
}, 60_000);

afterAll(async () => {
  await agent?.process.stop();
  host?.remove();
});

describe('the standalone agent serves the standard tables', () => {
  it('ifStackTable exactly as the files show, and an ifTable row with the kernel name for every index in it', async () => {
    const root = join(host.dir, '01-all-up');
    const stack = await walk(IF_STACK_STATUS);
    expect(stack.map((vb) => suffix(vb, IF_STACK_STATUS))).toEqual(expectedStack(root));
    const descr = new Map((await walk(IF_DESCR)).map((vb) => [Number(suffix(vb, IF_DESCR)), text(vb)]));
    const named = new Map(interfacesOf(root).map((i) => [i.ifIndex, i.name]));
    const indexes = new Set(stack.flatMap((vb) => suffix(vb, IF_STACK_STATUS).split('.').map(Number)).filter((n) => n !== 0));
    for (const ifIndex of indexes) expect(descr.get(ifIndex), `ifDescr.${ifIndex}`).toBe(named.get(ifIndex));
  });

  it('IEEE8023-LAG-MIB: each port attached to its bond, or to nothing in a partner mismatch', async () => {
    for (const state of ['01-all-up', MISMATCH_STATE]) {
      host.show(state);
      reread(agent.process);
      const want = new Map(lagAttachments(join(host.dir, state)).flatMap(({ bond, ports }) => [...ports].map(([p, on]) => [p, on ? bond : 0] as const)));
      let got = new Map<number, number>();
      for (let i = 0; i < 100 && JSON.stringify([...got].sort()) !== JSON.stringify([...want].sort()); i++) {
        got = new Map((await walk(AGG_PORT_ATTACHED)).map((vb) => [Number(suffix(vb, AGG_PORT_ATTACHED)), Number(vb.text)]));
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(got).toEqual(want);
    }
    expect((await walk(LAG_MIB)).length).toBeGreaterThan(20);
  });

  it('sysORTable names LINUX-BONDING-MIB and IEEE8023-LAG-MIB', async () => {
    const ids = await walk(SYS_OR_ID);
    const descr = await walk(SYS_OR_DESCR);
    expect(ids.map((vb) => vb.text)).toEqual([LINUX_BONDING_MIB, LAG_MIB]);
    expect(descr.map(text)).toEqual([expect.stringMatching(/^LINUX-BONDING-MIB/), 'IEEE8023-LAG-MIB']);
  });
});
