/**
 * `bonding-agentx check` run by a real Nagios 4 core (Debian's nagios4), as a
 * user would set it up: the command installed as a link in a bin directory,
 * the command definitions of examples/monitoring/nagios-bonding.cfg (the
 * README's) with the SNMP secrets in resource.cfg, one service per case. Local checks of the four real-kernel states (plus one OK and one
 * UNKNOWN case), and remote checks (v2c, v3) of the standalone agent serving
 * 02-failover. What Nagios recorded in its status file (state, output, long
 * output, performance data), in its perf data spool file, and what
 * nagios4stats counts must be what the check is expected to say. One Nagios
 * for the whole suite; every service is checked once, at start.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, READ_ON_SIGHUP, rootArgs as agentRootArgs, startStandaloneAgent, type RunningStandalone } from '../support/agent.js';
import { FixtureHost, REPO } from '../support/fixture-host.js';
import { EXPECTED, expectedPerf, STATES } from '../check/expected.js';
import { CAPTURES, check, rootArgs, captureRoots } from '../check/support.js';
import { RunningNagios, type ServiceStatus } from './nagios.js';

const COMMUNITY = 'nagios-ro-5Tz';
const OPS = { name: 'nagios', authKey: 'auth-key-for-nagios', privKey: 'priv-key-for-nagios' };

let work: string;
let host: FixtureHost;
let agent: RunningStandalone;
let nagios: RunningNagios;
let results: Map<string, ServiceStatus>;
let startedMs: number;
let checkedMs: number;

/** Nagios's state numbers. */
const STATE_NAME = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];

const localArgs = (state: string) => rootArgs(captureRoots(state)).join(' ');

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'bonding-nagios-suite-'));
  // As `npm install -g` leaves it: a link named bonding-agentx in a bin directory.
  const bin = join(work, 'bin');
  mkdirSync(bin);
  symlinkSync(BIN, join(bin, 'bonding-agentx'));

  host = FixtureHost.create(['02-failover'], 'bonding-nagios-host-');
  const config = join(work, 'agent.json');
  writeFileSync(
    config,
    JSON.stringify({ communities: [COMMUNITY], users: [{ name: OPS.name, authProtocol: 'sha256', authKey: OPS.authKey, privProtocol: 'aes', privKey: OPS.privKey }] }),
    { mode: 0o600 },
  );
  agent = await startStandaloneAgent(['--config', config, ...agentRootArgs(host.roots), ...READ_ON_SIGHUP], ['-v2c', '-c', COMMUNITY]);

  startedMs = performance.now();
  nagios = await RunningNagios.start({
    path: [dirname(process.execPath)],
    // The secrets in resource.cfg, as the example's comments say.
    resources: { USER3: COMMUNITY, USER4: OPS.name, USER5: OPS.authKey, USER6: OPS.privKey },
    // The README's command definitions, the command where this test installed it.
    commands: readFileSync(join(REPO, 'examples', 'monitoring', 'nagios-bonding.cfg'), 'utf8').replaceAll('/usr/local/bin/bonding-agentx', join(bin, 'bonding-agentx')),
    services: [
      ...STATES.map((state) => ({ description: `bonding ${state}`, checkCommand: `check_bonding!${localArgs(state)}` })),
      { description: 'bonding bond0 and bond2', checkCommand: `check_bonding!${localArgs('01-all-up')} --bond bond0,bond2` },
      { description: 'bonding no such root', checkCommand: `check_bonding!--sysfs ${join(work, 'nonexistent')}` },
      { description: 'bonding SNMPv2c', checkCommand: `check_bonding_snmp!${agent.port}` },
      { description: 'bonding SNMPv3', checkCommand: `check_bonding_snmpv3!${agent.port}` },
    ],
  });
  results = await nagios.waitForResults(8);
  checkedMs = performance.now() - startedMs;
}, 120_000);

afterAll(async () => {
  await nagios?.stop();
  await agent?.process.stop();
  host?.remove();
  nagios?.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The first line as Nagios keeps it: plugin_output, then performance_data. */
const recorded = (s: ServiceStatus | undefined) => ({
  state: STATE_NAME[Number(s?.current_state)],
  hard: s?.state_type === '1',
  output: s?.plugin_output,
  perf: s?.performance_data,
  long: s?.long_plugin_output,
});

describe('Nagios 4 runs the check', () => {
  it('started and checked every service once', () => {
    expect([...results.keys()].sort()).toHaveLength(8);
    // Stated, not asserted: how long the core took from start to the last result.
    console.log(`nagios4: 8 services checked ${(checkedMs / 1000).toFixed(1)} s after the core was started`);
  });

  it.each(STATES)('local, %s: the state, output and perf data Nagios recorded are the expected ones', async (state) => {
    const r = recorded(results.get(`bonding ${state}`));
    const expected = EXPECTED[state];
    expect(r).toMatchObject({ state: STATE_NAME[expected.code], hard: true, output: expected.first, perf: expectedPerf(join(CAPTURES, state)) });
    // The long output reached Nagios line for line.
    expect(r.long).toBe((await check(rootArgs(captureRoots(state)))).long.join('\n'));
    expect(r.long?.split('\n')).toHaveLength(8);
  });

  it('local, two bonds chosen with --bond: OK', () => {
    expect(recorded(results.get('bonding bond0 and bond2'))).toMatchObject({
      state: 'OK',
      output: 'BONDING OK - 2 bonds OK, 4 of 4 slaves up',
      perf: "'bonds'=2;;;0 'bond0_slaves'=2;;;0 'bond0_slaves_up'=2;;;0;2 'bond0_link_failures'=0c;;;0 'bond2_slaves'=2;;;0 'bond2_slaves_up'=2;;;0;2 'bond2_link_failures'=0c;;;0",
    });
  });

  it('local, a root that does not exist: UNKNOWN with its one line', () => {
    expect(recorded(results.get('bonding no such root'))).toMatchObject({
      state: 'UNKNOWN',
      output: `BONDING UNKNOWN - sysfs root ${join(work, 'nonexistent')} does not exist or is not a directory`,
      perf: '',
    });
  });

  it.each(['SNMPv2c', 'SNMPv3'])('remote over %s from the standalone agent: 02-failover, with the agent failover counts', (version) => {
    const r = recorded(results.get(`bonding ${version}`));
    // The agent started in 02-failover and saw no failover since.
    const noFailovers = new Map(host.bonds('02-failover').map((b) => [b, 0]));
    expect(r).toMatchObject({ state: 'CRITICAL', hard: true, output: EXPECTED['02-failover'].first, perf: expectedPerf(join(CAPTURES, '02-failover'), noFailovers) });
    expect(r.long?.split('\n')[0]).toBe(
      '[WARNING] bond0: active-backup, MII up, active eth1, primary eth0, 0 failovers seen by the agent; eth0 down (backup, 10000 Mb/s, 1 link failure); eth1 up (active, 10000 Mb/s, 0 link failures)',
    );
  });

  it('the perf data spool (what PNP4Nagios and the like read) has each service perf data intact', () => {
    const lines = nagios.perfdataFile().trim().split('\n').map((l) => l.split('\t'));
    const spooled = new Map(lines.map(([description, state, perf]) => [description, { state, perf }]));
    for (const [description, s] of results) {
      expect(spooled.get(description), description).toEqual({ state: STATE_NAME[Number(s.current_state)], perf: s.performance_data });
    }
    expect(spooled.get('bonding 01-all-up')?.perf).toContain("'bond4_slaves_up'=1;;;0;1");
  });

  it('nagios4stats counts the same states', () => {
    expect(Object.fromEntries(nagios.stats(['NUMSERVICES', 'NUMSVCOK', 'NUMSVCWARN', 'NUMSVCCRIT', 'NUMSVCUNKN']))).toEqual({
      NUMSERVICES: 8,
      NUMSVCOK: 1,
      NUMSVCWARN: 1,
      NUMSVCCRIT: 5,
      NUMSVCUNKN: 1,
    });
  });

  it('stops with nothing left running', async () => {
    await nagios.stop();
    expect(nagios.process.isRunning()).toBe(false);
    expect(nagios.leftovers()).toEqual([]);
  });
});
