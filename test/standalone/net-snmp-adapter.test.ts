/**
 * The contract with net-snmp's internals (src/standalone/net-snmp-adapter.ts):
 * the check passes on the version installed, fails naming the internal when
 * one moves, and real requests from Net-SNMP's tools reach our hook and are
 * answered through net-snmp's own response path.
 */
import * as snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MibViewBuilder } from '../../src/mib/index.js';
import { snmp as value } from '../../src/snmp/index.js';
import { engineClock } from '../../src/standalone/engine-clock.js';
import { checkNetSnmpInternals, NetSnmpAgent, NetSnmpContractError, type IncomingRequest } from '../../src/standalone/index.js';
import { answerRequest } from '../../src/standalone/request-answer.js';
import { freeUdpPort, parseVarBindLines, snmpCmd } from '../support/net-snmp.js';

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
  const clock = engineClock(4242);

  beforeAll(async () => {
    const port = await freeUdpPort();
    target = `127.0.0.1:${port}`;
    agent = await NetSnmpAgent.start({
      listen: { transport: 'udp4', host: '127.0.0.1', port },
      engineId: '80001f8804636f6e7472616374',
      clock,
      communities: ['c0ntract'],
      users: [{ name: 'ops', level: snmp.SecurityLevel.authPriv, authProtocol: snmp.AuthProtocols.sha, authKey: 'auth-secret-1', privProtocol: snmp.PrivProtocols.aes, privKey: 'priv-secret-1' }],
      onRequest: (request) => {
        seen.push(request);
        return answerRequest(view, request);
      },
      onRefused: (reason) => void refused.push(reason),
      onSocketError: () => undefined,
      onSendError: (err) => {
        throw err;
      },
    });
  });

  afterAll(() => agent?.close());

  it('hands a v2c request to our hook and sends our answer', async () => {
    const r = await snmpCmd('snmpget', ['-v2c', '-c', 'c0ntract', '-On', target, '1.3.6.1.4.1.99999.1.0']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseVarBindLines(r.stdout)).toMatchObject([{ oid: '1.3.6.1.4.1.99999.1.0', type: 'STRING', text: 'from our view' }]);
    expect(seen.at(-1)).toMatchObject({ kind: 'get', version: 'v2c', community: 'c0ntract', oids: [[1, 3, 6, 1, 4, 1, 99999, 1, 0]] });
  });

  it('hands an authenticated v3 request over with the user and the engine boots and time it claims', async () => {
    const r = await snmpCmd('snmpget', ['-v3', '-l', 'authPriv', '-u', 'ops', '-a', 'SHA', '-A', 'auth-secret-1', '-x', 'AES', '-X', 'priv-secret-1', '-On', target, '1.3.6.1.4.1.99999.1.0']);
    expect(r.code, r.stderr).toBe(0);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ kind: 'get', version: 'v3', userName: 'ops' });
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
});
