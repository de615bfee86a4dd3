import { describe, expect, it } from 'vitest';
import {
  defaultEngineId,
  formatUdpAddress,
  isLoopback,
  parseStandaloneConfig,
  parseUdpAddress,
} from '../../src/standalone/index.js';
import { toWireValue } from '../../src/standalone/varbind-codec.js';
import { snmp } from '../../src/snmp/index.js';

describe('parseUdpAddress', () => {
  it.each([
    ['udp:127.0.0.1:1161', 'udp4', '127.0.0.1', 1161, true],
    ['127.0.0.1:162', 'udp4', '127.0.0.1', 162, true],
    ['udp6:[::1]:1161', 'udp6', '::1', 1161, true],
    ['[::1]:1161', 'udp6', '::1', 1161, true],
    ['udp:localhost:9', 'udp4', '127.0.0.1', 9, true],
    ['udp:127.8.9.10:9', 'udp4', '127.8.9.10', 9, true],
    ['udp:0.0.0.0:161', 'udp4', '0.0.0.0', 161, false],
    ['udp:192.0.2.1:161', 'udp4', '192.0.2.1', 161, false],
    ['udp6:[::]:161', 'udp6', '::', 161, false],
  ])('%s', (text, transport, host, port, loopback) => {
    const a = parseUdpAddress(text);
    expect(a).toEqual({ transport, host, port });
    expect(isLoopback(a)).toBe(loopback);
    expect(parseUdpAddress(formatUdpAddress(a))).toEqual(a);
  });

  it('takes a default port, and refuses what it cannot bind exactly', () => {
    expect(parseUdpAddress('10.0.0.1', 162).port).toBe(162);
    for (const bad of ['udp:127.0.0.1', 'tcp:127.0.0.1:161', 'udp:example.org:161', 'udp:127.0.0.1:0', 'udp:127.0.0.1:70000', 'udp6:127.0.0.1:1']) {
      expect(() => parseUdpAddress(bad), bad).toThrow(/invalid UDP address/);
    }
  });
});

describe('parseStandaloneConfig', () => {
  it('reads communities, users, trap targets and an engine ID', () => {
    const c = parseStandaloneConfig(
      JSON.stringify({
        communities: ['ro'],
        users: [{ name: 'ops', authProtocol: 'SHA256', authKey: 'authauth', privProtocol: 'aes', privKey: 'privpriv' }, { name: 'plain' }],
        trapTargets: [{ address: '127.0.0.1', community: 'traps' }, { address: 'udp6:[::1]:1162', user: 'ops' }],
        engineId: '0x80001F8804AABBCC',
      }),
      'agent.json',
    );
    expect(c.communities).toEqual(['ro']);
    expect(c.users[0]).toEqual({ name: 'ops', authProtocol: 'sha256', authKey: 'authauth', privProtocol: 'aes', privKey: 'privpriv' });
    expect(c.users[1]).toEqual({ name: 'plain' });
    expect(c.trapTargets[0]).toEqual({ address: { transport: 'udp4', host: '127.0.0.1', port: 162 }, community: 'traps' });
    expect('user' in c.trapTargets[1]! && c.trapTargets[1].user.name).toBe('ops');
    expect(c.engineId).toBe('80001f8804aabbcc');
  });

  it.each([
    ['{', /not JSON/],
    ['[]', /JSON object/],
    ['{"community": ["x"]}', /unknown key "community"/],
    ['{"users": [{"name": "u", "authProtocol": "sha", "authKey": "short"}]}', /users\[0\]\.authKey must have at least 8/],
    ['{"users": [{"name": "u", "privProtocol": "aes", "privKey": "longenough"}]}', /privacy needs authentication/],
    ['{"users": [{"name": "u", "authProtocol": "crc", "authKey": "longenough"}]}', /authProtocol must be one of/],
    ['{"users": [{"name": "u"}, {"name": "u"}]}', /defined twice/],
    ['{"trapTargets": [{"address": "127.0.0.1:162", "user": "nobody"}]}', /names no user/],
    ['{"trapTargets": [{"address": "example.org:162", "community": "c"}]}', /trapTargets\[0\]\.address/],
    ['{"engineId": "80"}', /engineId must be 5 to 32 bytes/],
  ])('refuses %s', (json, message) => {
    expect(() => parseStandaloneConfig(json, 'f.json')).toThrow(message);
  });

  it('never puts a secret in an error message', () => {
    let message = '';
    try {
      parseStandaloneConfig('{"users": [{"name": "u", "authProtocol": "sha", "authKey": "s3cr3t"}]}', 'f.json');
    } catch (err) {
      message = String(err);
    }
    expect(message).toMatch(/authKey/);
    expect(message).not.toContain('s3cr3t');
  });

  it('defaults to an engine ID that is stable for a host, in RFC 3411 text format', () => {
    expect(defaultEngineId('host-a')).toBe(defaultEngineId('host-a'));
    expect(defaultEngineId('host-a')).not.toBe(defaultEngineId('host-b'));
    expect(defaultEngineId('x'.repeat(100)).length / 2).toBeLessThanOrEqual(32);
    expect(defaultEngineId('h')).toMatch(/^80001f8804/);
  });
});

describe('toWireValue', () => {
  it('encodes Counter64 as minimal unsigned bytes, with a leading zero when the top bit is set', () => {
    expect(toWireValue(snmp.counter64(0n)).value).toEqual(Buffer.from([0]));
    expect(toWireValue(snmp.counter64(0x80n)).value).toEqual(Buffer.from([0, 0x80]));
    expect(toWireValue(snmp.counter64(2n ** 64n - 1n)).value).toEqual(Buffer.from([0, 255, 255, 255, 255, 255, 255, 255, 255]));
    expect(toWireValue(snmp.ipAddress(Uint8Array.from([192, 0, 2, 1]))).value).toBe('192.0.2.1');
  });
});
