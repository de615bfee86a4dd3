/**
 * procfs's "None" is an answer. Found on a real kernel (the VM scenarios): a
 * read while a slave was being enslaved to an empty balance-alb bond saw in
 * procfs no slave and "Currently Active Slave: None", then took the active
 * slave from sysfs, read a moment later, where the new slave was already
 * active: a bond whose active slave was not one of its slaves, told as
 * "active none -> eth16" before "eth16 added". The trees below are the real
 * capture with procfs and sysfs at two such moments.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBond, type Roots } from '../../src/bonding/index.js';
import { FIXTURES } from './fixture-roots.js';

let dir: string;
let roots: Roots;
const procFile = () => join(dir, 'proc', 'net', 'bonding', 'bond0');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'procfs-none-'));
  cpSync(join(FIXTURES, 'kernel-6.1-debian', '01-all-up'), dir, { recursive: true });
  roots = { sysfs: join(dir, 'sys'), procfs: join(dir, 'proc') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an active slave or primary that procfs says is None', () => {
  it('the capture as it is: procfs and sysfs both name eth0', async () => {
    const { bond } = await readBond(roots, 'bond0');
    expect(bond).toMatchObject({ activeSlave: 'eth0', primary: 'eth0' });
  });

  it('procfs None, sysfs (read later) eth0: None, not a mix of two moments', async () => {
    const text = readFileSync(procFile(), 'utf8');
    writeFileSync(
      procFile(),
      text.replace('Currently Active Slave: eth0', 'Currently Active Slave: None').replace('Primary Slave: eth0 (', 'Primary Slave: None ('),
    );
    expect(readFileSync(join(dir, 'sys', 'class', 'net', 'bond0', 'bonding', 'active_slave'), 'utf8').trim()).toBe('eth0');
    const { bond, warnings } = await readBond(roots, 'bond0');
    expect(warnings).toEqual([]);
    expect(bond?.activeSlave).toBeUndefined();
    expect(bond?.primary).toBeUndefined();
    expect(bond?.primaryReselect).toBe('better');
  });

  it('no procfs file at all: sysfs tells', async () => {
    rmSync(procFile());
    const { bond } = await readBond(roots, 'bond0');
    expect(bond).toMatchObject({ activeSlave: 'eth0', primary: 'eth0' });
  });
});
