import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { standaloneSetup, type StandaloneFlags } from '../../src/commands/standalone-options.js';

const dir = mkdtempSync(join(tmpdir(), 'standalone-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flags = (over: Partial<StandaloneFlags>): StandaloneFlags => ({
  listen: 'udp:127.0.0.1:1161',
  allowRemote: false,
  communities: [],
  configFile: undefined,
  trapTargets: [],
  trapCommunity: undefined,
  stateDir: undefined,
  ...over,
});

describe('standaloneSetup', () => {
  it('merges flags and the config file; --trap-target uses --trap-community, else the first community', async () => {
    const file = join(dir, 'a.json');
    writeFileSync(file, JSON.stringify({ communities: ['fromfile'], trapTargets: [{ address: '127.0.0.1:1162', community: 'x' }] }));
    const s = await standaloneSetup(flags({ configFile: file, communities: ['flag'], trapTargets: ['127.0.0.1:2162'] }));
    expect(s.security.communities).toEqual(['fromfile', 'flag']);
    expect(s.security.trapTargets.map((t) => ['community' in t ? t.community : '', t.address.port])).toEqual([
      ['x', 1162],
      ['fromfile', 2162],
    ]);
    const t = await standaloneSetup(flags({ communities: ['c'], trapTargets: ['127.0.0.1'], trapCommunity: 'tc' }));
    expect(t.security.trapTargets[0]).toEqual({ address: { transport: 'udp4', host: '127.0.0.1', port: 162 }, community: 'tc' });
  });

  it('accepts a v3 user alone as the credential', async () => {
    const file = join(dir, 'b.json');
    writeFileSync(file, JSON.stringify({ users: [{ name: 'ops', authProtocol: 'sha', authKey: 'authauth' }] }));
    const s = await standaloneSetup(flags({ configFile: file }));
    expect(s.security.communities).toEqual([]);
    expect(s.security.users.map((u) => u.name)).toEqual(['ops']);
  });

  it('refuses: no credential, off loopback without the flag, unreadable config, bad address', async () => {
    await expect(standaloneSetup(flags({}))).rejects.toThrow(/needs a credential/);
    await expect(standaloneSetup(flags({ listen: 'udp:10.1.2.3:161', communities: ['c'] }))).rejects.toThrow(/--standalone-allow-remote/);
    await expect(standaloneSetup(flags({ listen: 'udp:10.1.2.3:161', communities: ['c'], allowRemote: true }))).resolves.toBeDefined();
    await expect(standaloneSetup(flags({ configFile: join(dir, 'missing.json') }))).rejects.toThrow(/cannot read .*ENOENT/);
    await expect(standaloneSetup(flags({ listen: 'udp:host:1', communities: ['c'] }))).rejects.toThrow(/--standalone: invalid UDP address/);
  });

  it('keeps the engine state in /var/lib/bonding-agentx unless --state-dir says otherwise', async () => {
    expect((await standaloneSetup(flags({ communities: ['c'] }))).stateDir).toBe('/var/lib/bonding-agentx');
    expect((await standaloneSetup(flags({ communities: ['c'], stateDir: '/srv/state' }))).stateDir).toBe('/srv/state');
    await expect(standaloneSetup(flags({ communities: ['c'], stateDir: '' }))).rejects.toThrow(/--state-dir needs a directory/);
  });
});
