import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as oids from '../../src/bond-mib/oids.js';
import { formatOid, type Oid } from '../../src/snmp/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MIB_DIRS = [join(ROOT, 'mibs'), join(ROOT, 'node_modules', 'net-snmp', 'lib', 'mibs'), '/usr/share/snmp/mibs'];

/** Every name the code uses, with the OID the code gives it. */
function codeOids(): Map<string, Oid> {
  const m = new Map<string, Oid>([
    ['linuxBondingMIB', oids.LINUX_BONDING_MIB],
    ['bondDriverVersion', oids.bondDriverVersion],
    ['bondCount', oids.bondCount],
    ['bondEntry', oids.bondEntry],
    ['bondSlaveEntry', oids.bondSlaveEntry],
    ['bondPreviousActiveSlaveName', oids.bondPreviousActiveSlaveName],
    ['bondPreviousActiveSlaveIfIndex', oids.bondPreviousActiveSlaveIfIndex],
    ['bondEventInferred', oids.bondEventInferred],
  ]);
  for (const [name, column] of Object.entries(oids.BOND)) m.set(name, [...oids.bondEntry, column]);
  for (const [name, column] of Object.entries(oids.SLAVE)) m.set(name, [...oids.bondSlaveEntry, column]);
  for (const [name, oid] of Object.entries(oids.NOTIFICATION)) m.set(name, oid);
  return m;
}

describe('LINUX-BONDING-MIB and the code agree', () => {
  it('passes smilint -l 6 with nothing to report', () => {
    const out = execFileSync('smilint', ['-l', '6', '-s', join(ROOT, 'mibs', 'LINUX-BONDING-MIB.txt')], {
      env: { ...process.env, SMIPATH: MIB_DIRS.join(':') },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toBe('');
  });

  it('gives every name the code uses the same OID', () => {
    const expected = codeOids();
    const names = [...expected.keys()];
    const out = execFileSync(
      'snmptranslate',
      ['-M', MIB_DIRS.join(':'), '-m', 'LINUX-BONDING-MIB', '-On', ...names.map((n) => `LINUX-BONDING-MIB::${n}`)],
      { encoding: 'utf8' },
    );
    const translated = out.split('\n').filter((l) => l !== '');
    expect(translated).toHaveLength(names.length);
    names.forEach((name, i) => {
      expect(`${name} ${translated[i]}`).toBe(`${name} .${formatOid(expected.get(name)!)}`);
    });
  });

  it('has no column, scalar or notification the code does not know', () => {
    const out = execFileSync(
      'snmptranslate',
      ['-M', MIB_DIRS.join(':'), '-m', 'LINUX-BONDING-MIB', '-Tz'],
      { encoding: 'utf8' },
    );
    const inMib = out
      .split('\n')
      .map((l) => /^"(\w+)"\s+"([\d.]+)"/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && m[2]!.startsWith(formatOid(oids.LINUX_BONDING_MIB)))
      .map((m) => m[1]!);
    const known = codeOids();
    const structural = new Set(['bondNotifications', 'bondObjects', 'bondConformance', 'bondGlobals', 'bondTable',
      'bondSlaveTable', 'bondNotificationObjects', 'bondCompliances', 'bondGroups', 'bondCompliance',
      'bondGeneralGroup', 'bondSlaveGroup', 'bondAdGroup', 'bondNotifyObjectsGroup', 'bondNotificationsGroup', 'bondMembershipNotificationsGroup']);
    const unknown = inMib.filter((n) => !known.has(n) && !structural.has(n));
    expect(unknown).toEqual([]);
    expect(inMib.length).toBeGreaterThan(60);
  });
});
