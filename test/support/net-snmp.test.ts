import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseTrapLog,
  parseVarBindLines,
  snmpCmd,
  startSnmpd,
  startSnmptrapd,
  type RunningSnmpd,
  type RunningSnmptrapd,
} from './net-snmp.js';

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const COLD_START = '1.3.6.1.6.3.1.1.5.1';
const TEST_TRAP = '1.3.6.1.4.1.99999.0.7';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('real Net-SNMP processes for tests', () => {
  let trapd: RunningSnmptrapd;
  let snmpd: RunningSnmpd;
  const pids: number[] = [];

  beforeAll(async () => {
    trapd = await startSnmptrapd();
    snmpd = await startSnmpd({ trapSink: { port: trapd.port } });
    pids.push(trapd.pid, snmpd.pid);
  });

  afterAll(async () => {
    await snmpd?.stop();
    await trapd?.stop();
  });

  it('snmpd answers on loopback and offers its AgentX socket in its own directory', async () => {
    const r = await snmpCmd('snmpget', ['-v2c', '-c', snmpd.community, '-On', snmpd.target, SYS_DESCR]);
    expect(r.code, r.stderr).toBe(0);
    const [vb] = parseVarBindLines(r.stdout);
    expect(vb?.oid).toBe(SYS_DESCR);
    expect(vb?.type).toBe('STRING');
    expect(snmpd.agentxSocket).toBe(`unix:${snmpd.dir}/agentx.sock`);
    expect(existsSync(`${snmpd.dir}/agentx.sock`)).toBe(true);
  });

  it('snmpd announces its start to the trap sink (coldStart)', async () => {
    const n = await trapd.waitFor((t) => t.trapOid === COLD_START);
    expect(n.uptime).toBeTypeOf('number');
  });

  it('snmptrapd parses a v2c notification with every value type, binary and multi-line strings intact', async () => {
    const long = 'x'.repeat(40); // wraps over three hex lines
    const r = await snmpCmd('snmptrap', [
      '-v2c', '-c', 'public', trapd.target, '', TEST_TRAP,
      '1.3.6.1.4.1.99999.1.1', 'x', '00AAFF0A09',
      '1.3.6.1.4.1.99999.1.2', 's', `tab\there`,
      '1.3.6.1.4.1.99999.1.3', 's', long,
      '1.3.6.1.4.1.99999.1.4', 'i', '-5',
      '1.3.6.1.4.1.99999.1.5', 'a', '10.0.0.1',
      '1.3.6.1.4.1.99999.1.6', 'o', '1.3.6.1.2',
      '1.3.6.1.4.1.99999.1.7', 'C', '18446744073709551615',
      '1.3.6.1.4.1.99999.1.8', 't', '100',
      '1.3.6.1.4.1.99999.1.9', 's', '',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const n = await trapd.waitFor((t) => t.trapOid === TEST_TRAP);
    const byOid = new Map(n.varbinds.map((vb) => [vb.oid, vb]));
    expect(n.varbinds).toHaveLength(9);
    expect(byOid.get('1.3.6.1.4.1.99999.1.1')?.bytes).toEqual(Uint8Array.from([0x00, 0xaa, 0xff, 0x0a, 0x09]));
    expect(Buffer.from(byOid.get('1.3.6.1.4.1.99999.1.2')!.bytes!).toString()).toBe('tab\there');
    expect(Buffer.from(byOid.get('1.3.6.1.4.1.99999.1.3')!.bytes!).toString()).toBe(long);
    expect(byOid.get('1.3.6.1.4.1.99999.1.4')).toMatchObject({ type: 'INTEGER', text: '-5' });
    expect(byOid.get('1.3.6.1.4.1.99999.1.5')).toMatchObject({ type: 'IpAddress', text: '10.0.0.1' });
    expect(byOid.get('1.3.6.1.4.1.99999.1.6')).toMatchObject({ type: 'OID', text: '1.3.6.1.2' });
    expect(byOid.get('1.3.6.1.4.1.99999.1.7')).toMatchObject({ type: 'Counter64', text: '18446744073709551615' });
    expect(byOid.get('1.3.6.1.4.1.99999.1.8')).toMatchObject({ type: 'Timeticks', text: '100' });
    expect(byOid.get('1.3.6.1.4.1.99999.1.9')?.bytes).toEqual(new Uint8Array());
    expect(trapd.received().some((t) => t.trapOid === TEST_TRAP)).toBe(true);
  });

  it('a write community is refused by snmpd itself where nothing writable is registered', async () => {
    const r = await snmpCmd('snmpset', ['-v2c', '-c', snmpd.writeCommunity, '-On', snmpd.target, '1.3.6.1.4.1.99999.1.1.0', 'i', '1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/notWritable|noCreation|noAccess/);
  });

  it('restarts snmpd after SIGKILL on the same port and socket', async () => {
    const before = snmpd.pid;
    await snmpd.kill9();
    expect(snmpd.isRunning()).toBe(false);
    const down = await snmpCmd('snmpget', ['-v2c', '-c', 'public', '-t', '0.3', '-r', '0', snmpd.target, SYS_DESCR]);
    expect(down.code).not.toBe(0);
    await snmpd.restart();
    expect(snmpd.pid).not.toBe(before);
    pids.push(snmpd.pid);
    const up = await snmpCmd('snmpget', ['-v2c', '-c', 'public', '-On', snmpd.target, SYS_DESCR]);
    expect(up.code, up.stderr).toBe(0);
    expect(existsSync(`${snmpd.dir}/agentx.sock`)).toBe(true);
  });

  it('bounds a command against a silent port', async () => {
    const started = Date.now();
    const r = await snmpCmd('snmpget', ['-v2c', '-c', 'public', '-t', '0.2', '-r', '0', '127.0.0.1:9', SYS_DESCR]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Timeout/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops everything it started and removes the directories', async () => {
    await snmpd.stop();
    await trapd.stop();
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
    expect(existsSync(snmpd.dir)).toBe(false);
    expect(existsSync(trapd.dir)).toBe(false);
  });
});

describe('parseTrapLog', () => {
  it('ignores a record that is still being written', () => {
    const log =
      'NET-SNMP version 5.9.3\n' +
      'TRAP\tUDP: [127.0.0.1]:1->[127.0.0.1]:2\t.1.3.6.1.2.1.1.3.0 = Timeticks: (5) 0:00:00.05\t.1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.4.1.1\t.1.3.6.1.4.1.1.1 = Hex-STRING: 41 42 \tEND\n' +
      'TRAP\tUDP: [127.0.0.1]:1->[127.0.0.1]:2\t.1.3.6.1.2.1.1.3.0 = Timeticks: (6) 0:00:00.06\t.1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.4.1.2';
    const parsed = parseTrapLog(log);
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatchObject({ trapOid: '1.3.6.1.4.1.1', uptime: 5 });
    expect(parsed[0]?.varbinds[0]?.bytes).toEqual(Uint8Array.from([0x41, 0x42]));
  });
});
