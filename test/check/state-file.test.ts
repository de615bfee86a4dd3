/**
 * --state-file: a flap between two checks (link down and up again, unseen)
 * is reported from the link failure count, on the real captures: bond2's eth5
 * is up in 01-all-up and in 03-recovered, with its count 0, then 1.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureHost } from '../support/fixture-host.js';
import { check, rootArgs } from './support.js';

let host: FixtureHost;
let dir: string;
beforeAll(() => {
  host = FixtureHost.create(['01-all-up', '03-recovered'], 'bonding-check-state-');
  dir = mkdtempSync(join(tmpdir(), 'bonding-check-statefile-'));
});
afterAll(() => {
  host?.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe('--state-file', () => {
  it('first run: nothing to compare; a count that rose since: WARNING for that run; then OK again', async () => {
    const file = join(dir, 'bond2.state');
    const args = [...rootArgs(host.roots), '--bond', 'bond2', '--state-file', file, '-v'];
    host.show('01-all-up');
    const first = await check(args);
    expect([first.code, first.summary]).toEqual([0, 'bond2 OK, 2 of 2 slaves up']);
    expect(first.long).toContain(`note: state file ${file}: first run, nothing to compare with`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, bonds: { bond2: { eth4: 0, eth5: 0 } } });

    host.show('03-recovered');
    const flapped = await check(args);
    expect([flapped.code, flapped.summary]).toEqual([1, 'bond2: eth5 link failures 0 -> 1 since the last check']);
    expect(flapped.long).toContain(`note: state file ${file}: compared with the last run`);
    // Without the state file the same tree is OK: the flap is invisible in the state itself.
    expect((await check(args.slice(0, 6))).code).toBe(0);

    const after = await check(args);
    expect([after.code, after.summary]).toEqual([0, 'bond2 OK, 2 of 2 slaves up']);
  });

  it('--link-failures sets the level; a drop (bond re-created) is no flap', async () => {
    const file = join(dir, 'levels.state');
    const args = [...rootArgs(host.roots), '--bond', 'bond2', '--state-file', file, '--link-failures', 'critical'];
    host.show('03-recovered');
    await check(args);
    host.show('01-all-up');
    expect((await check(args)).code).toBe(0);
    host.show('03-recovered');
    const r = await check(args);
    expect([r.code, r.summary]).toEqual([2, 'bond2: eth5 link failures 0 -> 1 since the last check']);
  });

  it('a damaged state file: started over and said so, not an alarm; the file is good again', async () => {
    const file = join(dir, 'damaged.state');
    writeFileSync(file, '{"version": 1, "bonds": {"bond2": {"eth5": "lots"}}}');
    host.show('03-recovered');
    const r = await check([...rootArgs(host.roots), '--bond', 'bond2', '--state-file', file]);
    expect(r.code).toBe(0);
    expect(r.long).toContain(`note: state file ${file} not a state file of this check: started over`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, bonds: { bond2: { eth4: 0, eth5: 1 } } });
  });

  it('a state file that cannot be written: UNKNOWN unless something worse, said in one line', async () => {
    const file = join(dir, 'no-such-dir', 'x.state');
    host.show('01-all-up');
    const ok = await check([...rootArgs(host.roots), '--bond', 'bond2', '--state-file', file]);
    expect([ok.code, ok.summary]).toEqual([3, `cannot write state file ${file}: ENOENT`]);
    expect(ok.long).toContain(`[UNKNOWN] cannot write state file ${file}: ENOENT`);
    const warning = await check([...rootArgs(host.roots), '--bond', 'bond4', '--state-file', file]);
    expect([warning.code, warning.summary]).toEqual([1, `cannot write state file ${file}: ENOENT / bond4: 1 slave only (no redundancy)`]);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });
});
