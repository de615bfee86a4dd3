import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentXSession } from '../../src/agentx/index.js';
import type { Logger } from '../../src/support/index.js';
import { formatOid, snmp, type Oid, type VarBind } from '../../src/snmp/index.js';
import { clientEnv, findBinary } from '../support/binaries.js';
import { parseVarBindLines, snmpCmd, startSnmpd, startSnmptrapd, type RunningSnmpd, type RunningSnmptrapd, type TextVarBind } from '../support/net-snmp.js';
import { ArrayProvider } from './array-provider.js';

// The real master: Debian's snmpd with `master agentx` on a private unix socket,
// queried with the Net-SNMP command-line tools over loopback UDP.

const PLAYPEN: Oid = [1, 3, 6, 1, 4, 1, 8072, 9999, 9999];
const at = (...sub: number[]): Oid => [...PLAYPEN, ...sub];
const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);
const mac = Uint8Array.from([0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc]);
const utf8 = new TextEncoder().encode('bond0 – ünïcödé');
const opaque = Uint8Array.from([0x9f, 0x78, 0x04, 0x3f, 0x80, 0x00, 0x00]);

// No Null-valued object here: snmpd's master takes a Null varbind in a GetNext
// answer for "not processed" and ends the walk there (Null is covered by the
// codec vectors; snmpget of one does show NULL).
const scalars: VarBind[] = [
  { oid: at(1, 1, 0), value: snmp.integer(-42) },
  { oid: at(1, 2, 0), value: snmp.octetString(allBytes) },
  { oid: at(1, 4, 0), value: snmp.oid([1, 3, 6, 1, 4, 1, 8072, 3, 2, 10]) },
  { oid: at(1, 5, 0), value: snmp.ipAddress(Uint8Array.from([192, 0, 2, 33])) },
  { oid: at(1, 6, 0), value: snmp.counter32(4294967295) },
  { oid: at(1, 7, 0), value: snmp.gauge32(1000000000) },
  { oid: at(1, 8, 0), value: snmp.timeTicks(360000) },
  { oid: at(1, 9, 0), value: snmp.opaque(opaque) },
  { oid: at(1, 10, 0), value: snmp.counter64(18446744073709551615n) },
  { oid: at(1, 11, 0), value: snmp.octetString(mac) },
  { oid: at(1, 12, 0), value: snmp.octetString(utf8) },
];
// Table 2 is empty; table 3 follows it: a walk must cross the gap.
const table: VarBind[] = [1, 2].flatMap((col) =>
  [1, 2, 3].map((row) => ({ oid: at(3, 1, col, row), value: col === 1 ? snmp.integer(row) : snmp.octetString(`slave${row}`) })),
);
const provider = new ArrayProvider([...scalars, ...table]);
const served = [...scalars, ...table].map((v) => formatOid(v.oid));

const byOid = (vbs: readonly TextVarBind[]): Map<string, TextVarBind> => new Map(vbs.map((v) => [v.oid, v]));

describe('AgentX session against Net-SNMP snmpd', () => {
  let snmpd: RunningSnmpd;
  let trapd: RunningSnmptrapd;
  let session: AgentXSession;
  const logLines: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: (o, m) => logLines.push(`info ${m} ${JSON.stringify(o)}`),
    warn: (o, m) => logLines.push(`warn ${m} ${JSON.stringify(o)}`),
    error: (o, m) => logLines.push(`error ${m} ${JSON.stringify(o)}`),
    child: () => logger,
  };
  const tool = (cmd: Parameters<typeof snmpCmd>[0], community: string, ...args: string[]) => snmpCmd(cmd, ['-v2c', '-c', community, '-On', '-Ox', snmpd.target, ...args]);

  beforeAll(async () => {
    trapd = await startSnmptrapd();
    snmpd = await startSnmpd({ trapSink: { port: trapd.port }, agentXTimeoutSeconds: 5, agentXRetries: 0 });
    session = new AgentXSession({
      provider,
      master: snmpd.agentxSocket,
      description: 'agentx e2e test',
      backoff: { initialMs: 100, maxMs: 500 },
      requestTimeoutMs: 3000,
      pingIntervalMs: 1000,
      logger,
    });
    const connected = once(session, 'connected');
    const registered = session.register(PLAYPEN);
    session.start();
    await connected;
    await registered;
  });

  afterAll(async () => {
    await session?.stop();
    await snmpd?.stop();
    await trapd?.stop();
  });

  it('serves every value type through snmpget, binary strings byte for byte', async () => {
    const r = await tool('snmpget', 'public', ...scalars.map((s) => formatOid(s.oid)));
    expect(r.stderr).toBe('');
    const got = byOid(parseVarBindLines(r.stdout));
    const v = (...sub: number[]) => got.get(formatOid(at(...sub)));
    expect(v(1, 1, 0)).toMatchObject({ type: 'INTEGER', text: '-42' });
    expect(v(1, 2, 0)?.bytes).toEqual(allBytes);
    expect(v(1, 4, 0)).toMatchObject({ type: 'OID', text: '1.3.6.1.4.1.8072.3.2.10' });
    expect(v(1, 5, 0)).toMatchObject({ type: 'IpAddress', text: '192.0.2.33' });
    expect(v(1, 6, 0)).toMatchObject({ type: 'Counter32', text: '4294967295' });
    expect(v(1, 7, 0)).toMatchObject({ type: 'Gauge32', text: '1000000000' });
    expect(v(1, 8, 0)).toMatchObject({ type: 'Timeticks', text: '360000' });
    expect(v(1, 9, 0)?.type).toBe('Opaque');
    expect(v(1, 10, 0)).toMatchObject({ type: 'Counter64', text: '18446744073709551615' });
    expect(v(1, 11, 0)?.bytes).toEqual(mac);
    expect(v(1, 12, 0)?.bytes).toEqual(utf8);
  });

  it('answers noSuchObject and noSuchInstance', async () => {
    const r = await tool('snmpget', 'public', formatOid(at(1, 1, 1)), formatOid(at(7, 0)));
    const got = byOid(parseVarBindLines(r.stdout));
    expect(got.get(formatOid(at(1, 1, 1)))?.type).toBe('noSuchInstance');
    expect(got.get(formatOid(at(7, 0)))?.type).toBe('noSuchObject');
  });

  it('snmpgetnext crosses the empty table to the next one', async () => {
    const r = await tool('snmpgetnext', 'public', formatOid(at(1, 12, 0)), formatOid(at(2)));
    expect(parseVarBindLines(r.stdout).map((v) => v.oid)).toEqual([formatOid(at(3, 1, 1, 1)), formatOid(at(3, 1, 1, 1))]);
  });

  it('snmpwalk and snmpbulkwalk return the subtree in order, identical', async () => {
    const walk = await tool('snmpwalk', 'public', formatOid(PLAYPEN));
    const bulk = await tool('snmpbulkwalk', 'public', '-Cr7', formatOid(PLAYPEN));
    expect(parseVarBindLines(walk.stdout).map((v) => v.oid)).toEqual(served);
    expect(bulk.stdout).toBe(walk.stdout);
  });

  it('a walk of the whole agent passes our subtree and reaches what snmpd serves after it', async () => {
    const r = await tool('snmpbulkwalk', 'public', '-Cr50', '.1');
    const oids = parseVarBindLines(r.stdout).map((v) => v.oid);
    const first = oids.indexOf(served[0]!);
    const last = oids.indexOf(served.at(-1)!);
    expect(first).toBeGreaterThan(0);
    expect(oids.slice(first, last + 1)).toEqual(served);
    expect(oids.slice(last + 1).some((o) => o.startsWith('1.3.6.1.6.3.'))).toBe(true);
    expect(parseVarBindLines(r.stdout).filter((v) => v.type === 'noSuchObject' || v.type === 'noSuchInstance')).toEqual([]);
  });

  it('a SET on our read-only objects gets notWritable, and the session stays usable right after', async () => {
    const r = await tool('snmpset', 'private', formatOid(at(1, 1, 0)), 'i', '5');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/notWritable/);
    // snmpd holds requests behind an unfinished SET: a get right after shows the transaction ended.
    const started = Date.now();
    const g = await snmpCmd('snmpget', ['-v2c', '-c', 'public', '-On', '-t', '1', '-r', '0', snmpd.target, formatOid(at(1, 1, 0))]);
    expect(parseVarBindLines(g.stdout)[0]).toMatchObject({ type: 'INTEGER', text: '-42' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(session.counters.sessionsOpened).toBe(1);
  });

  it('60 concurrent snmpgets are all answered', async () => {
    // One shell starts them all, so spawning 60 processes does not stall the
    // event loop this session shares with the test.
    const oids = Array.from({ length: 60 }, (_, i) => formatOid(at(3, 1, 1, (i % 3) + 1)));
    const script = `for o in ${oids.join(' ')}; do "$SNMPGET" -On -v2c -c public -t 5 -r 0 ${snmpd.target} .$o & done; wait`;
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile('sh', ['-c', script], { timeout: 30_000, env: { ...clientEnv(), SNMPGET: findBinary('snmpget') } }, (_e, stdout, stderr) =>
        resolve({ stdout, stderr }),
      ),
    );
    const answered = parseVarBindLines(r.stdout).filter((v) => v.type === 'INTEGER' && v.oid.startsWith(formatOid(at(3, 1, 1))));
    if (answered.length !== 60) logLines.forEach((l) => process.stderr.write(`${l}\n`));
    expect(r.stderr).toBe('');
    expect(answered).toHaveLength(60);
    expect(session.counters.sessionsOpened).toBe(1);
  });

  it('delivers a Notify to snmptrapd with sysUpTime.0, snmpTrapOID.0 and our varbinds', async () => {
    const trapOid = at(0, 1);
    session.notify(trapOid, [
      { oid: at(3, 1, 2, 2), value: snmp.octetString('slave2') },
      { oid: at(3, 1, 1, 2), value: snmp.integer(2) },
    ]);
    const n = await trapd.waitFor((t) => t.trapOid === formatOid(trapOid));
    expect(n.all[0]?.oid).toBe('1.3.6.1.2.1.1.3.0');
    expect(n.all[1]?.oid).toBe('1.3.6.1.6.3.1.1.4.1.0');
    expect(n.uptime).toBeGreaterThan(0);
    expect(n.varbinds.map((v) => v.oid)).toEqual([formatOid(at(3, 1, 2, 2)), formatOid(at(3, 1, 1, 2))]);
    expect(n.varbinds[0]?.bytes).toEqual(new TextEncoder().encode('slave2'));
    expect(n.varbinds[1]).toMatchObject({ type: 'INTEGER', text: '2' });
    // The master acknowledges after forwarding, so the counter may trail the trap by a moment.
    await vi.waitFor(() => expect(session.counters.notificationsSent).toBeGreaterThanOrEqual(1));
  });

  it('re-registers, answers again and delivers what was raised meanwhile after snmpd is killed -9 and restarted', async () => {
    const lost = once(session, 'disconnected');
    await snmpd.kill9();
    await lost;
    const whileDown = at(0, 2);
    session.notify(whileDown, [{ oid: at(3, 1, 2, 3), value: snmp.octetString('slave3') }]);
    expect(session.counters.notificationsQueued).toBe(1);
    const back = once(session, 'connected');
    await snmpd.restart();
    await back;
    const n = await trapd.waitFor((t) => t.trapOid === formatOid(whileDown));
    expect(n.varbinds[0]?.bytes).toEqual(new TextEncoder().encode('slave3'));
    const r = await tool('snmpget', 'public', formatOid(at(1, 1, 0)));
    expect(parseVarBindLines(r.stdout)[0]).toMatchObject({ oid: formatOid(at(1, 1, 0)), type: 'INTEGER', text: '-42' });
    expect(session.counters.sessionsOpened).toBe(2);
  });
});
