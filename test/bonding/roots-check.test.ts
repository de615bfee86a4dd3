import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bondsMissingFromProcfs, missingRoot } from '../../src/bonding/roots-check.js';
import { CAPTURES } from '../support/fixture-host.js';

const dir = mkdtempSync(join(tmpdir(), 'roots-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const rootsOf = (d: string) => ({ sysfs: join(d, 'sys'), procfs: join(d, 'proc') });

describe('the roots', () => {
  it('names a root that is not a directory', () => {
    expect(missingRoot(rootsOf(join(CAPTURES, '01-all-up')))).toBeUndefined();
    expect(missingRoot({ sysfs: join(CAPTURES, '01-all-up', 'sys'), procfs: join(dir, 'nowhere') })).toMatch(/^procfs root .*nowhere does not exist/);
  });

  it('says which bonds sysfs lists and /proc/net/bonding does not show (procfs hidden from us)', () => {
    const copy = join(dir, 'capture');
    cpSync(join(CAPTURES, '01-all-up'), copy, { recursive: true });
    expect(bondsMissingFromProcfs(rootsOf(copy))).toBeUndefined();
    rmSync(join(copy, 'proc', 'net', 'bonding', 'bond3'));
    expect(bondsMissingFromProcfs(rootsOf(copy))).toMatch(/net\/bonding does not show bond3 that sysfs lists \(procfs hidden/);
    rmSync(join(copy, 'proc', 'net', 'bonding'), { recursive: true });
    expect(bondsMissingFromProcfs(rootsOf(copy))).toMatch(/does not show any of the bonds that sysfs lists/);
  });
});
