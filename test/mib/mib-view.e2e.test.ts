import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentXSession } from '../../src/agentx/index.js';
import { MibViewBuilder, MibViewHolder, integerIndex, type MibView } from '../../src/mib/index.js';
import { formatOid, snmp, type Oid } from '../../src/snmp/index.js';
import { parseVarBindLines, snmpCmd, startSnmpd, type RunningSnmpd, type TextVarBind } from '../support/net-snmp.js';

// A MibView served through the real master: what snmpd's tools see must be
// exactly what the view holds, in the view's order, across an empty table.

const ROOT: Oid = [1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 3];
const at = (...sub: number[]): Oid => [...ROOT, ...sub];
const BONDS = at(2, 1); // indexed by name (string index)
const EMPTY = at(3, 1);
const SLAVES = at(4, 1); // indexed by (bond ifIndex, slave ifIndex)
/** An OCTET STRING index (RFC 2578 7.7): its length, then one sub-identifier per byte. */
const stringIndex = (name: string): Oid => [name.length, ...Buffer.from(name)];

function view(generation: number): MibView {
  const b = new MibViewBuilder()
    .scalar(at(1), snmp.integer(generation))
    .table(BONDS, [2, 3])
    .table(EMPTY, [1, 2])
    .table(SLAVES, [3, 4]);
  for (const name of ['bond0', 'bond10', 'bond1']) {
    b.row(BONDS, stringIndex(name), { 2: snmp.octetString(name), 3: snmp.integer(generation) });
  }
  for (const [bond, slave] of [[7, 3], [7, 2], [12, 5]] as const) {
    b.row(SLAVES, integerIndex(bond, slave), {
      3: snmp.octetString(Uint8Array.of(0x02, 0, 0, 0, bond, slave)),
      4: snmp.counter64(BigInt(generation) << 40n),
    });
  }
  return b.build();
}

/** What the tools print (-On -Ox) for each instance the view holds. */
function expected(v: MibView): { oid: string; type: string; text: string }[] {
  return v.varBinds().map(({ oid, value }) => {
    switch (value.type) {
      case 'Integer':
        return { oid: formatOid(oid), type: 'INTEGER', text: String(value.value) };
      case 'OctetString':
        return { oid: formatOid(oid), type: 'Hex-STRING', text: Buffer.from(value.value).toString('hex') };
      case 'Counter64':
        return { oid: formatOid(oid), type: 'Counter64', text: String(value.value) };
      default:
        throw new Error(`no expectation for ${value.type}`);
    }
  });
}

const comparable = (vbs: readonly TextVarBind[]) =>
  vbs.map((vb) => ({
    oid: vb.oid,
    type: vb.type,
    text: vb.type === 'Hex-STRING' ? Buffer.from(vb.bytes ?? []).toString('hex') : vb.text,
  }));

describe('MibView served through snmpd', () => {
  let snmpd: RunningSnmpd;
  let session: AgentXSession;
  const holder = new MibViewHolder(view(1));
  const tool = (cmd: Parameters<typeof snmpCmd>[0], ...args: string[]) =>
    snmpCmd(cmd, ['-v2c', '-c', 'public', '-On', '-Ox', snmpd.target, ...args]);

  beforeAll(async () => {
    snmpd = await startSnmpd({ agentXTimeoutSeconds: 5, agentXRetries: 0 });
    session = new AgentXSession({ provider: holder, master: snmpd.agentxSocket, pingIntervalMs: 0, description: 'mib view e2e' });
    session.start();
    await session.register(ROOT);
  });

  afterAll(async () => {
    await session?.stop();
    await snmpd?.stop();
  });

  it.each(['snmpwalk', 'snmpbulkwalk'] as const)('%s returns every instance of the view, in order, across the empty table', async (cmd) => {
    const r = await tool(cmd, formatOid(ROOT));
    expect(r.code, r.stderr).toBe(0);
    expect(comparable(parseVarBindLines(r.stdout))).toEqual(expected(holder.current));
  });

  it('orders string indexes by length first, as SMIv2 says', async () => {
    const r = await tool('snmpwalk', formatOid([...BONDS, 2]));
    const names = parseVarBindLines(r.stdout).map((vb) => Buffer.from(vb.bytes ?? []).toString());
    expect(names).toEqual(['bond0', 'bond1', 'bond10']);
  });

  it('getnext from inside the empty table lands on the next table', async () => {
    const r = await tool('snmpgetnext', formatOid([...EMPTY, 1]));
    expect(parseVarBindLines(r.stdout)[0]?.oid).toBe(formatOid([...SLAVES, 3, 7, 2]));
  });

  it('get tells noSuchInstance (known column) from noSuchObject (unknown object)', async () => {
    const r = await tool('snmpget', formatOid([...BONDS, 2, ...stringIndex('bond9')]), formatOid([...EMPTY, 2, 1]), formatOid([...BONDS, 9, 1]), formatOid(at(1, 0)));
    expect(parseVarBindLines(r.stdout).map((vb) => vb.type)).toEqual(['noSuchInstance', 'noSuchInstance', 'noSuchObject', 'INTEGER']);
  });

  it('a walk of the whole agent passes through the view and on to what follows it', async () => {
    const r = await tool('snmpbulkwalk', '1.3.6.1.4.1.8072.9999');
    const oids = parseVarBindLines(r.stdout).map((vb) => vb.oid);
    expect(oids.filter((o) => o.startsWith(`${formatOid(ROOT)}.`))).toEqual(expected(holder.current).map((e) => e.oid));
    const whole = await tool('snmpbulkwalk', '1.3.6.1.4.1');
    const all = parseVarBindLines(whole.stdout).map((vb) => vb.oid);
    const last = all.lastIndexOf(formatOid([...SLAVES, 4, 12, 5]));
    expect(last).toBeGreaterThan(0);
    expect(all.length).toBe(last + 1); // nothing of snmpd's own after the playpen under enterprises
    const beyond = await tool('snmpgetnext', formatOid([...SLAVES, 4, 12, 5]));
    expect(parseVarBindLines(beyond.stdout)[0]?.oid.startsWith('1.3.6.1.6.3')).toBe(true);
  });

  it('a swapped view is served whole from the next request on', async () => {
    holder.replace(view(2));
    const r = await tool('snmpbulkwalk', formatOid(ROOT));
    const got = comparable(parseVarBindLines(r.stdout));
    expect(got).toEqual(expected(holder.current));
    expect(got[0]).toMatchObject({ oid: formatOid(at(1, 0)), text: '2' });
  });
});
