import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentXSession } from '../../src/agentx/index.js';
import { formatOid, parseOid, snmp, type Oid, type VarBind } from '../../src/snmp/index.js';
import { ArrayProvider } from './array-provider.js';
import { Snmpd, Snmptrapd, snmpTool } from './net-snmp-harness.js';

// The real master: Debian's snmpd with `master agentx` on a private unix socket,
// queried with the Net-SNMP command-line tools over loopback UDP.

const PLAYPEN: Oid = [1, 3, 6, 1, 4, 1, 8072, 9999, 9999];
const at = (...sub: number[]): Oid => [...PLAYPEN, ...sub];
const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);
const mac = Uint8Array.from([0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc]);

const scalars: VarBind[] = [
  { oid: at(1, 1, 0), value: snmp.integer(-42) },
  { oid: at(1, 2, 0), value: snmp.octetString(allBytes) },
  { oid: at(1, 4, 0), value: snmp.oid([1, 3, 6, 1, 4, 1, 8072, 3, 2, 10]) },
  { oid: at(1, 5, 0), value: snmp.ipAddress(Uint8Array.from([192, 0, 2, 33])) },
  { oid: at(1, 6, 0), value: snmp.counter32(4294967295) },
  { oid: at(1, 7, 0), value: snmp.gauge32(1000000000) },
  { oid: at(1, 8, 0), value: snmp.timeTicks(360000) },
  { oid: at(1, 9, 0), value: snmp.opaque(Uint8Array.from([0x9f, 0x78, 0x04, 0x3f, 0x80, 0x00, 0x00])) },
  { oid: at(1, 10, 0), value: snmp.counter64(18446744073709551615n) },
  { oid: at(1, 11, 0), value: snmp.octetString(mac) },
  { oid: at(1, 12, 0), value: snmp.octetString('bond0 – ünïcödé') },
];
// No Null-valued object: snmpd's master treats a Null varbind in a GetNext
// answer as "not processed" and ends the walk there (Null is covered by the codec tests).
// Table 2 is empty; table 3 follows it: a walk must cross the gap.
const table: VarBind[] = [1, 2].flatMap((col) =>
  [1, 2, 3].map((row) => ({ oid: at(3, 1, col, row), value: col === 1 ? snmp.integer(row) : snmp.octetString(`slave${row}`) })),
);
const provider = new ArrayProvider([...scalars, ...table]);
const LAST_OID = at(3, 1, 2, 3);

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');

/** Parses "-On -Ox" tool output into OID -> "TYPE: value" (continuation lines joined). */
function parseLines(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  let last: string | undefined;
  for (const line of stdout.split('\n')) {
    const m = /^(\.[\d.]+) = (.*)$/.exec(line);
    if (m) {
      last = m[1]!.slice(1);
      out.set(last, m[2]!);
    } else if (last && line.trim() !== '') out.set(last, `${out.get(last)!} ${line.trim()}`);
  }
  for (const [k, v] of out) out.set(k, v.replace(/\s+/g, ' ').trim());
  return out;
}

describe('AgentX session against Net-SNMP snmpd', () => {
  const trapd = new Snmptrapd();
  let snmpd: Snmpd;
  let session: AgentXSession;
  const logLines: string[] = [];

  beforeAll(async () => {
    await trapd.start();
    snmpd = new Snmpd({ conf: [`trap2sink 127.0.0.1:${trapd.port} public`] });
    await snmpd.start();
    session = new AgentXSession({
      provider,
      master: `unix:${snmpd.socketPath}`,
      description: 'agentx e2e test',
      backoff: { initialMs: 100, maxMs: 500 },
      requestTimeoutMs: 3000,
      pingIntervalMs: 1000,
      logger: { debug: () => {}, info: (o, m) => logLines.push(`info ${m} ${JSON.stringify(o)}`), warn: (o, m) => logLines.push(`warn ${m} ${JSON.stringify(o)}`), error: (o, m) => logLines.push(`error ${m} ${JSON.stringify(o)}`) },
    });
    const connected = once(session, 'connected');
    const registered = session.register(PLAYPEN);
    session.start();
    await connected;
    await registered;
  });

  afterAll(async () => {
    await session?.stop();
    await snmpd?.dispose();
    await trapd.dispose();
  });

  it('serves every value type through snmpget', async () => {
    const r = await snmpTool('snmpget', ['-v2c', '-c', 'public', '-Ox', snmpd.target, ...scalars.map((s) => formatOid(s.oid))]);
    expect(r.stderr).toBe('');
    const got = parseLines(r.stdout);
    expect(got.get(formatOid(at(1, 1, 0)))).toBe('INTEGER: -42');
    expect(got.get(formatOid(at(1, 2, 0)))).toBe(`Hex-STRING: ${hex(allBytes)}`);
    expect(got.get(formatOid(at(1, 4, 0)))).toBe('OID: .1.3.6.1.4.1.8072.3.2.10');
    expect(got.get(formatOid(at(1, 5, 0)))).toBe('IpAddress: 192.0.2.33');
    expect(got.get(formatOid(at(1, 6, 0)))).toBe('Counter32: 4294967295');
    expect(got.get(formatOid(at(1, 7, 0)))).toBe('Gauge32: 1000000000');
    expect(got.get(formatOid(at(1, 8, 0)))).toMatch(/^Timeticks: \(360000\)/);
    expect(got.get(formatOid(at(1, 9, 0)))).toMatch(/^Opaque: /);
    expect(got.get(formatOid(at(1, 10, 0)))).toBe('Counter64: 18446744073709551615');
    expect(got.get(formatOid(at(1, 11, 0)))).toBe('Hex-STRING: 00 1B 21 AA BB CC');
    expect(got.get(formatOid(at(1, 12, 0)))).toBe(`Hex-STRING: ${hex(new TextEncoder().encode('bond0 – ünïcödé'))}`);
  });

  it('answers noSuchObject and noSuchInstance', async () => {
    const r = await snmpTool('snmpget', ['-v2c', '-c', 'public', snmpd.target, formatOid(at(1, 1, 1)), formatOid(at(7, 0))]);
    const got = parseLines(r.stdout);
    expect(got.get(formatOid(at(1, 1, 1)))).toMatch(/No Such Instance/);
    expect(got.get(formatOid(at(7, 0)))).toMatch(/No Such Object/);
  });

  it('snmpgetnext crosses the empty table to the next one', async () => {
    const r = await snmpTool('snmpgetnext', ['-v2c', '-c', 'public', snmpd.target, formatOid(at(1, 12, 0)), formatOid(at(2))]);
    const names = r.stdout.trim().split('\n').map((l) => l.split(' = ')[0]);
    expect(names).toEqual([`.${formatOid(at(3, 1, 1, 1))}`, `.${formatOid(at(3, 1, 1, 1))}`]);
  });

  it('snmpwalk and snmpbulkwalk return the subtree in order, identical', async () => {
    const walk = await snmpTool('snmpwalk', ['-v2c', '-c', 'public', '-Ox', snmpd.target, formatOid(PLAYPEN)]);
    const bulk = await snmpTool('snmpbulkwalk', ['-v2c', '-c', 'public', '-Ox', '-Cr7', snmpd.target, formatOid(PLAYPEN)]);
    const expected = [...scalars, ...table].map((v) => formatOid(v.oid));
    expect([...parseLines(walk.stdout).keys()]).toEqual(expected);
    expect(bulk.stdout).toBe(walk.stdout);
  });

  it('a walk of the whole agent passes our subtree and reaches what snmpd serves after it', async () => {
    const r = await snmpTool('snmpbulkwalk', ['-v2c', '-c', 'public', '-Cr50', snmpd.target, '.1']);
    const keys = [...parseLines(r.stdout).keys()].map(parseOid);
    const first = keys.findIndex((k) => formatOid(k) === formatOid(at(1, 1, 0)));
    const last = keys.findIndex((k) => formatOid(k) === formatOid(LAST_OID));
    expect(first).toBeGreaterThan(0);
    expect(last - first).toBe(scalars.length + table.length - 1);
    expect(keys.length).toBeGreaterThan(last + 1);
    expect(r.stdout).toMatch(/^\.1\.3\.6\.1\.6\.3\./m);
    expect(r.stdout).not.toMatch(/No Such/);
  });

  it('a SET on our read-only objects gets notWritable, and the session stays usable right after', async () => {
    const r = await snmpTool('snmpset', ['-v2c', '-c', 'private', snmpd.target, formatOid(at(1, 1, 0)), 'i', '5']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/notWritable/);
    // snmpd queues requests behind an unfinished SET: a get right after shows the transaction ended.
    const started = Date.now();
    const g = await snmpTool('snmpget', ['-v2c', '-c', 'public', '-t', '1', '-r', '0', snmpd.target, formatOid(at(1, 1, 0))]);
    expect(g.stdout).toMatch(/INTEGER: -42/);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(session.counters.sessionsOpened).toBe(1);
  });

  it('60 concurrent snmpgets are all answered', async () => {
    // One shell starts them all, so spawning 60 processes does not stall the
    // event loop this session shares with the test.
    const oids = Array.from({ length: 60 }, (_, i) => formatOid(at(3, 1, 1, (i % 3) + 1)));
    const script = `for o in ${oids.join(' ')}; do snmpget -m '' -On -v2c -c public -t 5 -r 0 ${snmpd.target} .$o & done; wait`;
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile('sh', ['-c', script], { timeout: 30_000 }, (_e, stdout, stderr) => resolve({ stdout, stderr })),
    );
    const answered = r.stdout.split('\n').filter((l) => /^\.1\.3\.6\.1\.4\.1\.8072\.9999\.9999\.3\.1\.1\.[123] = INTEGER: [123]$/.test(l));
    if (answered.length !== 60) console.log('DEBUG', logLines, session.counters, r.stderr);
    expect(answered.length).toBe(60);
    expect(r.stderr).toBe('');
    expect(session.counters.sessionsOpened).toBe(1);
  });

  it('delivers a Notify to snmptrapd with sysUpTime.0, snmpTrapOID.0 and our varbinds', async () => {
    const trapOid = at(0, 1);
    session.notify(trapOid, [
      { oid: at(3, 1, 2, 2), value: snmp.octetString('slave2') },
      { oid: at(3, 1, 1, 2), value: snmp.integer(2) },
    ]);
    const line = await trapd.waitForTrap((l) => l.includes(formatOid(trapOid)));
    expect(line).toContain(`.1.3.6.1.6.3.1.1.4.1.0 = OID: .${formatOid(trapOid)}`);
    expect(line).toMatch(/\.1\.3\.6\.1\.2\.1\.1\.3\.0 = Timeticks: /);
    expect(line).toContain(`.${formatOid(at(3, 1, 2, 2))} = STRING: "slave2"`);
    expect(line).toContain(`.${formatOid(at(3, 1, 1, 2))} = INTEGER: 2`);
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
    await snmpd.start();
    await back;
    const line = await trapd.waitForTrap((l) => l.includes(`OID: .${formatOid(whileDown)}`));
    expect(line).toContain(`.${formatOid(at(3, 1, 2, 3))} = STRING: "slave3"`);
    const r = await snmpTool('snmpget', ['-v2c', '-c', 'public', snmpd.target, formatOid(at(1, 1, 0))]);
    expect(parseLines(r.stdout).get(formatOid(at(1, 1, 0)))).toBe('INTEGER: -42');
    expect(session.counters.sessionsOpened).toBeGreaterThanOrEqual(2);
  });
});
