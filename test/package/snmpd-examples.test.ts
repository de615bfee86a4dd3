// The snmpd lines the project gives operators (examples/snmpd.conf, shipped
// in the package's docs, and the package's drop-in with its commented lines
// taken in) are lines Debian's snmpd accepts and applies: no line rejected,
// the view limits what the community sees, agentXPerms sets the socket's
// mode and group, and what the agent serves (LINUX-BONDING-MIB and the
// standard tables: ifStackTable, IEEE8023-LAG-MIB) is in the view. The
// drop-in in Debian's real configuration is test/vm/test-vm-systemd.sh's job.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentX } from '../support/agent.js';
import { FixtureHost } from '../support/fixture-host.js';
import type { ManagedProcess } from '../support/managed-process.js';
import { snmpCmd } from '../support/snmp-cmd.js';
import { startSnmpd, type RunningSnmpd } from '../support/snmpd.js';

const repo = join(import.meta.dirname, '..', '..');
// A group stands in for snmp-agentx: the test user's own, or for root (whose
// group is gid 0, which Net-SNMP takes for "no group") any other.
const group = process.getuid?.() === 0 ? 'daemon' : execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();

/** The file's configuration lines, comments and blank lines dropped. */
function lines(file: string, uncomment = false): string[] {
  return readFileSync(join(repo, file), 'utf8')
    .split('\n')
    .map((l) => (uncomment ? l.replace(/^#(view|trap2sink) /, '$1 ') : l))
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

/** Lines the test's snmpd keeps its own (socket path), the rest adapted to the test. */
function adapt(conf: readonly string[]): string[] {
  return conf
    .filter((l) => !/^(master|agentXSocket)\s/.test(l))
    .map((l) => l.replace(/snmp-agentx/, group).replace(/nms\.example\.net:162/, '127.0.0.1:9').replace(/^rocommunity\s+public\b/, 'rocommunity examplero'));
}

/**
 * With the agent on a real capture behind `snmpd`: the first OID under each of the agent's
 * subtrees that the community `examplero` sees (undefined where the view hides it).
 */
async function agentTreesSeen(snmpd: RunningSnmpd): Promise<Record<string, string | undefined>> {
  const host = FixtureHost.create(['01-all-up'], 'bonding-agentx-snmpd-examples-');
  let agent: ManagedProcess | undefined;
  try {
    agent = await startAgentX(snmpd.agentxSocket, host.roots);
    const trees = {
      bondTable: '1.3.6.1.4.1.8072.9999.9999.8023.1.2',
      ifStackStatus: '1.3.6.1.2.1.31.1.2.1.3',
      ifStackLastChange: '1.3.6.1.2.1.31.1.6',
      dot3adAggTable: '1.2.840.10006.300.43.1.1.1',
      dot3adAggPortTable: '1.2.840.10006.300.43.1.2.1',
    };
    const first = async (oid: string, community: string) => {
      const r = await snmpCmd('snmpgetnext', ['-v2c', '-c', community, '-On', snmpd.target, oid]);
      const line = r.stdout.trim();
      return line.startsWith(`.${oid}.`) || line.startsWith(`.${oid} `) ? line : undefined;
    };
    // Registered once the unrestricted community sees the bond table.
    for (let i = 0; i < 100 && (await first(trees.bondTable, snmpd.community)) === undefined; i++) await sleep(100);
    const seen: Record<string, string | undefined> = {};
    for (const [name, oid] of Object.entries(trees)) seen[name] = await first(oid, 'examplero');
    return seen;
  } finally {
    await agent?.stop();
    host.remove();
  }
}

function expectAllSeen(seen: Record<string, string | undefined>): void {
  expect(Object.entries(seen).filter(([, line]) => line === undefined).map(([name]) => name)).toEqual([]);
  expect(seen.ifStackStatus).toMatch(/INTEGER: (1|active)/);
}

const problems = (log: string): string[] => log.split('\n').filter((l) => /error|can't|invalid|unknown token/i.test(l));

describe('examples/snmpd.conf', () => {
  let snmpd: RunningSnmpd;
  beforeAll(async () => {
    snmpd = await startSnmpd({ extraConf: adapt(lines('examples/snmpd.conf')) });
  });
  afterAll(async () => {
    await snmpd?.stop();
  });

  it('has no line snmpd rejects', () => {
    expect(problems(snmpd.log())).toEqual([]);
  });

  it("sets the AgentX socket's mode and group (agentXPerms)", () => {
    const socket = snmpd.agentxSocket.slice('unix:'.length);
    const st = statSync(socket);
    expect((st.mode & 0o777).toString(8)).toBe('660');
    expect(st.uid).toBe(userInfo().uid);
    expect(execFileSync('stat', ['-c', '%G', socket], { encoding: 'utf8' }).trim()).toBe(group);
  });

  it("shows its view to the community: the system group, not what the view leaves out", async () => {
    const sysDescr = await snmpCmd('snmpget', ['-v2c', '-c', 'examplero', '-On', snmpd.target, '1.3.6.1.2.1.1.1.0']);
    expect(sysDescr.stdout).toMatch(/^\.1\.3\.6\.1\.2\.1\.1\.1\.0 = STRING: /);
    const hrSystem = await snmpCmd('snmpget', ['-v2c', '-c', 'examplero', '-On', snmpd.target, '1.3.6.1.2.1.25.1.1.0']);
    expect(hrSystem.stdout).toMatch(/No Such Object/);
    // The same OID through the test's unrestricted community: there, so the view is what hid it.
    const open = await snmpCmd('snmpget', ['-v2c', '-c', snmpd.community, '-On', snmpd.target, '1.3.6.1.2.1.25.1.1.0']);
    expect(open.stdout).toMatch(/Timeticks/);
  });

  it('lets the community see what the agent serves: LINUX-BONDING-MIB, ifStackTable, ifStackLastChange, IEEE8023-LAG-MIB', async () => {
    expectAllSeen(await agentTreesSeen(snmpd));
  });
});

describe("the package's snmpd drop-in, its commented lines taken in", () => {
  let snmpd: RunningSnmpd;
  beforeAll(async () => {
    // Debian's default snmpd.conf defines the view it extends.
    const debianView = ['view systemonly included .1.3.6.1.2.1.1', 'rocommunity public default -V systemonly'];
    snmpd = await startSnmpd({ extraConf: [...adapt(debianView), ...adapt(lines('packaging/snmpd.conf.d/bonding-agentx.conf', true))] });
  });
  afterAll(async () => {
    await snmpd?.stop();
  });

  it('has no line snmpd rejects', () => {
    expect(problems(snmpd.log())).toEqual([]);
  });

  it("sets the AgentX socket's mode and group", () => {
    const socket = snmpd.agentxSocket.slice('unix:'.length);
    expect((statSync(socket).mode & 0o777).toString(8)).toBe('660');
    expect(execFileSync('stat', ['-c', '%G', socket], { encoding: 'utf8' }).trim()).toBe(group);
  });

  it('adds to the view what the agent serves', async () => {
    expectAllSeen(await agentTreesSeen(snmpd));
  });
});
