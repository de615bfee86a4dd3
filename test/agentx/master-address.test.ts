import { describe, expect, it } from 'vitest';
import { MasterAddressError, formatMasterAddress, parseMasterAddress } from '../../src/agentx/index.js';

describe('parseMasterAddress (snmpd agentXSocket syntax)', () => {
  it.each([
    [undefined, { kind: 'unix', path: '/var/agentx/master' }],
    ['/var/agentx/master', { kind: 'unix', path: '/var/agentx/master' }],
    ['unix:/run/snmpd/agentx', { kind: 'unix', path: '/run/snmpd/agentx' }],
    ['unix:relative.sock', { kind: 'unix', path: 'relative.sock' }],
    ['tcp:localhost:705', { kind: 'tcp', host: 'localhost', port: 705 }],
    ['TCP:127.0.0.1:1705', { kind: 'tcp', host: '127.0.0.1', port: 1705 }],
    ['127.0.0.1:705', { kind: 'tcp', host: '127.0.0.1', port: 705 }],
    ['tcp:agent.example', { kind: 'tcp', host: 'agent.example', port: 705 }],
    ['tcp6:[::1]:705', { kind: 'tcp', host: '::1', port: 705 }],
    ['[::1]', { kind: 'tcp', host: '::1', port: 705 }],
    ['705', { kind: 'tcp', host: 'localhost', port: 705 }],
  ] as const)('%s', (text, expected) => {
    expect(parseMasterAddress(text)).toEqual(expected);
  });

  it.each(['', 'unix:', 'udp:127.0.0.1:705', 'tcp::705', 'tcp:host:70000', 'tcp:host:abc', '::1:705', '[::1'])('refuses %j', (text) => {
    expect(() => parseMasterAddress(text)).toThrow(MasterAddressError);
  });

  it('formats back to something it parses', () => {
    for (const t of ['unix:/a/b', 'tcp:localhost:705', 'tcp:[::1]:705']) expect(formatMasterAddress(parseMasterAddress(t))).toBe(t);
  });
});
