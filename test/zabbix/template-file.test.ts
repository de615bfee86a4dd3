/**
 * What the Zabbix template and trap receiver must be before any Zabbix sees
 * them: a 6.0 export whose every uuid is a UUIDv4 (Zabbix refuses others), an
 * SNMP trap item per LINUX-BONDING-MIB notification, every OID in our MIB, and
 * a receiver Perl compiles. zabbix.e2e.test.ts imports and runs it for real.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/fixture-host.js';
import { RECEIVER } from './trap-receiver.js';

const TEMPLATE = readFileSync(join(REPO, 'examples', 'zabbix', 'template_linux_bonding_snmp.yaml'), 'utf8');
const MIB = readFileSync(join(REPO, 'mibs', 'LINUX-BONDING-MIB.txt'), 'utf8');
const ROOT = '1.3.6.1.4.1.8072.9999.9999.8023';

/** name -> OID under ROOT, from the MIB's `name OBJECT-TYPE ... ::= { parent n }` and table structure. */
function mibOids(): Map<string, string> {
  const parents = new Map<string, [string, string]>();
  for (const m of MIB.matchAll(/^(\w+)\s+(?:OBJECT-TYPE|NOTIFICATION-TYPE|OBJECT IDENTIFIER|MODULE-IDENTITY)[\s\S]*?::=\s*\{\s*(\w+)\s+(\d+)\s*\}/gm)) {
    parents.set(m[1]!, [m[2]!, m[3]!]);
  }
  const resolve = (name: string): string | undefined => {
    if (name === 'linuxBondingMIB') return ROOT;
    const p = parents.get(name);
    const base = p && resolve(p[0]);
    return base && `${base}.${p[1]}`;
  };
  return new Map([...parents.keys()].map((n) => [n, resolve(n)!]));
}

describe('examples/zabbix', () => {
  it('is a Zabbix 6.0 export whose uuids are all distinct UUIDv4s', () => {
    expect(TEMPLATE).toMatch(/^zabbix_export:\n {2}version: '6\.0'$/m);
    const uuids = [...TEMPLATE.matchAll(/^\s*(?:- )?uuid: (\S+)$/gm)].map((m) => m[1]!);
    expect(uuids.length).toBeGreaterThan(50);
    for (const uuid of uuids) expect(uuid).toMatch(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(new Set(uuids).size).toBe(uuids.length);
  });

  it('has a log-type SNMP trap item for every notification of the MIB, and the fallback', () => {
    const notifications = [...MIB.matchAll(/^(\w+) NOTIFICATION-TYPE/gm)].map((m) => m[1]!);
    expect(notifications).toHaveLength(11);
    const trapItems = [...TEMPLATE.matchAll(/^ {6}key: (snmptrap\S*)\n(?: {6}\S.*\n)*? {6}value_type: LOG$/gm)].map((m) => m[1]!);
    expect(trapItems.sort()).toEqual([...notifications.map((n) => `snmptrap["${n}"]`), 'snmptrap.fallback'].sort());
  });

  it('polls only OIDs the MIB defines, each column with the right instance', () => {
    const oids = new Map([...mibOids()].map(([name, oid]) => [oid, name]));
    const polled = [...TEMPLATE.matchAll(/snmp_oid: (\S+)/g)].map((m) => m[1]!);
    expect(polled.length).toBeGreaterThan(30);
    for (const entry of polled) {
      const columns = entry.startsWith('discovery[') ? entry.slice(10, -1).split(',').filter((p) => /^\d/.test(p)) : [entry.replace(/\.\{#(SNMPINDEX|BONDIFINDEX)\}$/, '')];
      for (const column of columns) expect(oids.get(column), `${entry}: ${column}`).toMatch(/^bond/);
      if (!entry.startsWith('discovery[')) {
        // Bond columns take the bond's index, slave columns the bond's and the slave's.
        const table = oids.get(columns[0]!)!.startsWith('bondSlave') ? 'slave' : 'bond';
        expect(entry.endsWith('.{#SNMPINDEX}') || (table === 'bond' && entry.endsWith('.{#BONDIFINDEX}')), entry).toBe(true);
      }
    }
  });

  it('ships a trap receiver that names every LINUX-BONDING-MIB object and notification as the MIB does', () => {
    const receiver = readFileSync(RECEIVER, 'utf8');
    expect(receiver).toContain(`my $ROOT = '${ROOT}';`);
    const table = new Map([...receiver.matchAll(/'([\d.]+)' => '(\w+)'/g)].filter((m) => !m[1]!.startsWith('1.3.6')).map((m) => [`${ROOT}.${m[1]}`, m[2]!]));
    const named = [...mibOids()].filter(([name]) => /^bond/.test(name) && !/^bond(Notifications|Objects|Conformance|Globals|Table|Entry|SlaveTable|SlaveEntry|NotificationObjects|Compliances?|Groups|\w+Group)$/.test(name));
    expect(named.length).toBe(11 + 2 + 35 + 18 + 3);
    expect(new Map(named.map(([name, oid]) => [oid, name]))).toEqual(table);
  });

  it('ships a trap receiver Perl compiles', () => {
    // NetSNMP::TrapReceiver loads outside snmptrapd for a syntax check (Debian: libsnmp-perl).
    expect(execFileSync('perl', ['-c', RECEIVER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
  });
});
