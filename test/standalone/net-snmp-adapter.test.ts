/**
 * The contract with net-snmp's internals (src/standalone/net-snmp-adapter.ts):
 * the check passes on the version installed, fails naming the internal when
 * one moves, and real requests from Net-SNMP's tools reach our hook and are
 * answered through net-snmp's own response path; the USM Reports built from
 * net-snmp's report builder are what RFC 3414 wants (read off the wire
 * through a relay) and what Net-SNMP's own snmpget trusts.
 */
import * as snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MibViewBuilder } from '../../src/mib/index.js';
import { snmp as value } from '../../src/snmp/index.js';
import { engineClock } from '../../src/standalone/engine-clock.js';
import { checkNetSnmpInternals, NetSnmpAgent, NetSnmpContractError, type IncomingRequest, type Reply } from '../../src/standalone/index.js';
import { answerRequest } from '../../src/standalone/request-answer.js';
import { freeUdpPort, parseVarBindLines, snmpCmd } from '../support/net-snmp.js';
import { startUdpRelay, type UdpRelay } from './udp-relay.js';
import { decodeV3, FLAGS, isV3, PDU, USM_STATS_NOT_IN_TIME_WINDOWS, USM_STATS_UNKNOWN_ENGINE_IDS, type V3Message } from './v3-wire.js';

/** Takes a method off a prototype for the length of `body`, then puts it back. */
function without(proto: object, name: string, body: () => void): void {
  const owner = proto as Record<string, unknown>;
  const saved = owner[name];
  owner[name] = undefined;
  try {
    body();
  } finally {
    owner[name] = saved;
  }
}

describe('net-snmp internals the embedded agent relies on', () => {
  it('are all there in the installed net-snmp', () => {
    expect(() => checkNetSnmpInternals()).not.toThrow();
  });

  it('a missing one is named', () => {
    const agent = snmp.createAgent({ port: 0, address: '127.0.0.1', transport: 'udp4' }, () => undefined);
    const agentProto = Object.getPrototypeOf(agent) as object;
    agent.close();
    const session = snmp.createSession('127.0.0.1', 'x');
    const sessionProto = Object.getPrototypeOf(session) as object;
    session.close();
    for (const name of ['getBulkRequest', 'sendResponse', 'onProxyRequest']) {
      without(agentProto, name, () => {
        expect(() => checkNetSnmpInternals()).toThrow(NetSnmpContractError);
        expect(() => checkNetSnmpInternals()).toThrow(new RegExp(`internal Agent\\.${name} `));
      });
    }
    without(sessionProto, 'send', () => expect(() => checkNetSnmpInternals()).toThrow(/internal Session\.send /));
  });
});

describe('NetSnmpAgent', () => {
  const view = new MibViewBuilder().scalar([1, 3, 6, 1, 4, 1, 99999, 1], value.octetString('from our view')).build();
  const seen: IncomingRequest[] = [];
  const refused: string[] = [];
  let agent: NetSnmpAgent;
  let target: string;
  let relay: UdpRelay;
  const ENGINE_ID = '80001f8804636f6e7472616374';
  const clock = engineClock(4242);
  /** What the hook replies instead of the answer, when it says so. */
  let decide: (request: IncomingRequest) => Reply | undefined = () => undefined;
  const AUDIT = ['-v3', '-l', 'authNoPriv', '-u', 'audit', '-a', 'SHA', '-A', 'audit-secret-1', '-On'];
  const OPS = ['-v3', '-l', 'authPriv', '-u', 'ops', '-a', 'SHA', '-A', 'auth-secret-1', '-x', 'AES', '-X', 'priv-secret-1', '-On'];

  /** The v3 messages through the relay since `mark`, decoded, with who sent them. */
  const wire = (mark: number): (V3Message & { from: string })[] =>
    relay.datagrams.slice(mark).filter((d) => isV3(d.bytes)).map((d) => ({ ...decodeV3(d.bytes), from: d.from }));

  beforeAll(async () => {
    const port = await freeUdpPort();
    target = `127.0.0.1:${port}`;
    agent = await NetSnmpAgent.start({
      listen: { transport: 'udp4', host: '127.0.0.1', port },
      engineId: ENGINE_ID,
      clock,
      communities: ['c0ntract'],
      users: [
        { name: 'ops', level: snmp.SecurityLevel.authPriv, authProtocol: snmp.AuthProtocols.sha, authKey: 'auth-secret-1', privProtocol: snmp.PrivProtocols.aes, privKey: 'priv-secret-1' },
        { name: 'audit', level: snmp.SecurityLevel.authNoPriv, authProtocol: snmp.AuthProtocols.sha, authKey: 'audit-secret-1' },
      ],
      onRequest: (request) => {
        seen.push(request);
        return decide(request) ?? answerRequest(view, request);
      },
      onRefused: (reason) => void refused.push(reason),
      onSocketError: () => undefined,
      onSendError: (err) => {
        throw err;
      },
    });
    relay = await startUdpRelay(port);
  });

  afterAll(async () => {
    decide = () => undefined;
    await relay?.close();
    await agent?.close();
  });

  it('hands a v2c request to our hook and sends our answer', async () => {
    const r = await snmpCmd('snmpget', ['-v2c', '-c', 'c0ntract', '-On', target, '1.3.6.1.4.1.99999.1.0']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseVarBindLines(r.stdout)).toMatchObject([{ oid: '1.3.6.1.4.1.99999.1.0', type: 'STRING', text: 'from our view' }]);
    expect(seen.at(-1)).toMatchObject({ kind: 'get', version: 'v2c', community: 'c0ntract', authenticated: false, claimedEngine: undefined, oids: [[1, 3, 6, 1, 4, 1, 99999, 1, 0]] });
  });

  it('hands an authenticated v3 request over with the user and the engine boots and time it claims', async () => {
    const r = await snmpCmd('snmpget', ['-v3', '-l', 'authPriv', '-u', 'ops', '-a', 'SHA', '-A', 'auth-secret-1', '-x', 'AES', '-X', 'priv-secret-1', '-On', target, '1.3.6.1.4.1.99999.1.0']);
    expect(r.code, r.stderr).toBe(0);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ kind: 'get', version: 'v3', userName: 'ops', authenticated: true });
    expect(last.claimedEngine?.engineId).toBe(ENGINE_ID);
    // The manager learnt them by discovery, from the engine clock we gave the agent.
    expect(last.claimedEngine?.boots).toBe(clock.boots);
    expect(Math.abs((last.claimedEngine?.time ?? -99) - clock.time())).toBeLessThanOrEqual(2);
  });

  it('a SET is refused with the request varbinds; a wrong community never reaches the hook', async () => {
    const before = seen.length;
    const set = await snmpCmd('snmpset', ['-v2c', '-c', 'c0ntract', target, '1.3.6.1.4.1.99999.1.0', 's', 'x']);
    expect(set.stderr).toMatch(/notWritable/);
    expect(seen.length).toBe(before + 1);
    const wrong = await snmpCmd('snmpget', ['-v2c', '-c', 'wrong', '-t', '0.3', '-r', '0', target, '1.3.6.1.4.1.99999.1.0']);
    expect(wrong.code).not.toBe(0);
    expect(seen.length).toBe(before + 1);
    expect(refused.some((r) => /community/i.test(r))).toBe(true);
  });

  it('notInTimeWindow: a Report authenticated as the request\'s user (authNoPriv), with our boots, time and count, which snmpget trusts to resynchronize', async () => {
    decide = (r) => (r.claimedEngine !== undefined && r.claimedEngine.boots !== clock.boots ? { kind: 'notInTimeWindow', count: 7 } : undefined);
    for (const auth of [AUDIT, OPS]) {
      const mark = relay.datagrams.length;
      const before = seen.length;
      // A lower boots than ours: Net-SNMP takes our boots and time from the Report only if its digest is right, then asks again.
      const r = await snmpCmd('snmpget', [...auth, '-Z', `${clock.boots - 1},5`, '-t', '1', '-r', '0', relay.target, '1.3.6.1.4.1.99999.1.0']);
      expect(r.code, r.stderr).toBe(0);
      expect(parseVarBindLines(r.stdout)[0]?.text).toBe('from our view');
      const claims = seen.slice(before).map((q) => q.claimedEngine?.boots);
      expect(claims).toEqual([clock.boots - 1, clock.boots]);
      const messages = wire(mark);
      // (The first Report is discovery's, net-snmp's own, usmStatsUnknownEngineIDs.)
      const report = messages.find((m) => m.from === 'agent' && m.pdu?.varbinds[0]?.oid === USM_STATS_NOT_IN_TIME_WINDOWS)!;
      expect(report.pdu?.type).toBe(PDU.report);
      const request = messages.filter((m) => m.from === 'manager' && m.boots === clock.boots - 1).at(-1)!;
      expect(report).toMatchObject({ flags: FLAGS.auth, userName: auth[4], engineId: ENGINE_ID, boots: clock.boots, msgId: request.msgId });
      expect(Math.abs(report.time - clock.time())).toBeLessThanOrEqual(2);
      expect(report.pdu?.varbinds).toEqual([{ oid: USM_STATS_NOT_IN_TIME_WINDOWS, tag: 0x41, value: 7 }]);
      // The request-id is the request's, where the request's PDU can be read (authNoPriv); net-snmp would put the msgID.
      if (request.pdu !== undefined) expect(report.pdu?.requestId).toBe(request.pdu.requestId);
    }
    decide = () => undefined;
  });

  it('unknownEngineId: a noAuthNoPriv Report with usmStatsUnknownEngineIDs and our count; nothing answered', async () => {
    decide = (r) => (r.claimedEngine?.engineId !== ENGINE_ID ? { kind: 'unknownEngineId', count: 3 } : undefined);
    const mark = relay.datagrams.length;
    const r = await snmpCmd('snmpget', [...AUDIT, '-e', '0x80001f8804aabbccddee', '-t', '0.5', '-r', '0', relay.target, '1.3.6.1.4.1.99999.1.0']);
    decide = () => undefined;
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(seen.at(-1)?.claimedEngine?.engineId).toBe('80001f8804aabbccddee');
    const messages = wire(mark);
    const request = messages.find((m) => m.from === 'manager' && m.engineId === '80001f8804aabbccddee')!;
    // -e: no discovery; the one datagram back is our Report.
    const replies = messages.filter((m) => m.from === 'agent');
    expect(replies.map((m) => m.pdu?.type)).toEqual([PDU.report]);
    expect(replies[0]).toMatchObject({ flags: 0, userName: '', engineId: ENGINE_ID, boots: clock.boots, msgId: request.msgId });
    expect(replies[0]?.pdu?.varbinds).toEqual([{ oid: USM_STATS_UNKNOWN_ENGINE_IDS, tag: 0x41, value: 3 }]);
    expect(replies[0]?.pdu?.requestId).toBe(request.pdu?.requestId);
  });

  it('a v3 response carries our boots and time (RFC 3414 3.1), not the ones the request claimed', async () => {
    const mark = relay.datagrams.length;
    // Inside the window but 100 s ahead of us: the hook answers, the response must tell the manager our real time.
    const ahead = clock.time() + 100;
    const r = await snmpCmd('snmpget', [...AUDIT, '-Z', `${clock.boots},${ahead}`, '-t', '1', '-r', '0', relay.target, '1.3.6.1.4.1.99999.1.0']);
    expect(r.code, r.stderr).toBe(0);
    expect(seen.at(-1)?.claimedEngine).toMatchObject({ boots: clock.boots, time: ahead });
    const response = wire(mark).find((m) => m.from === 'agent' && m.pdu?.type === PDU.response)!;
    expect(response.boots).toBe(clock.boots);
    expect(Math.abs(response.time - clock.time())).toBeLessThanOrEqual(2);
    expect(response.pdu?.varbinds.map((vb) => vb.oid)).toEqual(['1.3.6.1.4.1.99999.1.0']);
  });
});
