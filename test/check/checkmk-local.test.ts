/**
 * examples/monitoring/checkmk-local-bonding, the Checkmk local check, run as
 * the agent runs it (sh, MK_VARDIR set, bonding-agentx on the PATH): its one
 * line must be "<state> "Bonding" <metrics> <summary>\n<one line per bond>"
 * with the metrics Checkmk's parser takes (name=value;warn;crit;min;max,
 * joined by |, no quotes, no unit).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/agent.js';
import { REPO } from '../support/fixture-host.js';
import { EXPECTED, expectedPerf } from './expected.js';
import { CAPTURES, captureRoots, check, rootArgs } from './support.js';

const SCRIPT = join(REPO, 'examples', 'monitoring', 'checkmk-local-bonding');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bonding-checkmk-'));
  mkdirSync(join(dir, 'bin'));
  symlinkSync(BIN, join(dir, 'bin', 'bonding-agentx'));
  mkdirSync(join(dir, 'var'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runLocalCheck(args: readonly string[], path = [join(dir, 'bin'), dirname(process.execPath), '/usr/bin', '/bin']) {
  const r = spawnSync('/bin/sh', [SCRIPT, ...args], { encoding: 'utf8', env: { PATH: path.join(':'), MK_VARDIR: join(dir, 'var') } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the Checkmk local check', () => {
  it('02-failover: state, service name, metrics and details in one line', async () => {
    const roots = captureRoots('02-failover');
    const r = runLocalCheck(rootArgs(roots));
    expect([r.status, r.stderr]).toEqual([0, '']);
    const metrics = expectedPerf(join(CAPTURES, '02-failover')).replace(/'/g, '').replace(/c;/g, ';').split(' ').join('|');
    const details = [EXPECTED['02-failover'].first.replace(/^BONDING CRITICAL - /, ''), ...(await check(rootArgs(roots))).long].join('\\n');
    expect(r.stdout).toBe(`2 "Bonding" ${metrics} ${details}\n`);
    expect(metrics).toMatch(/^bonds=8;;;0\|bond0_slaves=2;;;0\|bond0_slaves_up=1;;;0;2\|bond0_link_failures=1;;;0\|/);
    // It keeps the link failure counts where the agent keeps its files.
    expect(existsSync(join(dir, 'var', 'bonding-check.state'))).toBe(true);
  });

  it('UNKNOWN: state 3, no metrics, the reason', () => {
    const r = runLocalCheck(['--sysfs', join(dir, 'nonexistent')]);
    expect(r.stdout).toBe(`3 "Bonding" - sysfs root ${join(dir, 'nonexistent')} does not exist or is not a directory\n`);
  });

  it('bonding-agentx not on the PATH: UNKNOWN that says so', () => {
    const r = runLocalCheck([], [dirname(process.execPath), '/usr/bin', '/bin']);
    expect(r.stdout).toBe('3 "Bonding" - bonding-agentx check gave no output (is it on the PATH?)\n');
  });
});
