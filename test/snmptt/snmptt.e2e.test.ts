/**
 * snmptt reads the agent's notifications unmodified: snmpd + bonding-agentx
 * send the real notifications of the fixture states (the four real-kernel
 * captures, then a hand-made 802.3ad aggregator mismatch and its end) to a
 * recording snmptrapd and to two snmptrapd that hand each one to snmptt in
 * standalone mode, with examples/snmptt/bonding-agentx.conf: one without
 * the MIB (enumerations arrive as numbers), one with it (as labels). Each
 * snmptt log must have one line per notification, in order, with the
 * severity and the text an operator should read, the same in both.
 *
 * Then a slave released and a bond deleted (hand-made states beside the
 * captures, membership-states.ts) and both back: bondSlaveRemoved,
 * bondDeleted, bondSlaveAdded and bondCreated, as the agent sends them.
 *
 * And: the file is what scripts/generate-snmptt.js makes of the MIB, and that
 * script fails when the MIB has a notification it has no text for.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reread, startAgentX } from '../support/agent.js';
import { MISMATCH_STATE, addAggregatorMismatchState } from '../support/aggregator-mismatch.js';
import { addDeletedBondState, addReleasedState } from '../support/membership-states.js';
import { FixtureHost, REPO, STATES } from '../support/fixture-host.js';
import type { ManagedProcess } from '../support/managed-process.js';
import {
  snmpCmd,
  startSnmpd,
  startSnmptrapd,
  type ReceivedNotification,
  type RunningSnmpd,
  type RunningSnmptrapd,
} from '../support/net-snmp.js';
import { SNMPTT_CONF, startSnmptt, type RunningSnmptt, type SnmpttLine } from './snmptt.js';

const MIB = join(REPO, 'mibs', 'LINUX-BONDING-MIB.txt');
const NOTIFY = '1.3.6.1.4.1.8072.9999.9999.8023.0.';
const OBJECTS = '1.3.6.1.4.1.8072.9999.9999.8023.1.';
const BOND_COLUMN = (column: number, bond: number) => `${OBJECTS}2.1.${column}.${bond}`;
const SLAVE_COLUMN = (column: number, bond: number, slave: number) => `${OBJECTS}3.1.${column}.${bond}.${slave}`;

let host: FixtureHost;
let recorder: RunningSnmptrapd;
let numeric: RunningSnmptt;
let labels: RunningSnmptt;
let snmpd: RunningSnmpd;
let agent: ManagedProcess;
let work: string;

beforeAll(async () => {
  host = FixtureHost.create(STATES, 'bonding-agentx-snmptt-');
  addAggregatorMismatchState(host);
  work = mkdtempSync(join(tmpdir(), 'bonding-agentx-snmptt-work-'));
  [recorder, numeric, labels] = await Promise.all([startSnmptrapd(), startSnmptt({ loadMib: false }), startSnmptt({ loadMib: true })]);
  snmpd = await startSnmpd({
    trapSink: { port: recorder.port },
    extraConf: [`trap2sink ${numeric.target} public`, `trap2sink ${labels.target} public`],
    agentXTimeoutSeconds: 5,
  });
  agent = await startAgentX(snmpd.agentxSocket, host.roots);
  // The agent has read 01-all-up and registered: notifications tell changes from here.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await snmpCmd('snmpget', ['-v2c', '-c', 'public', '-Oqv', snmpd.target, `${OBJECTS}1.2.0`]);
    if (r.code === 0 && r.stdout.trim() === String(host.bonds('01-all-up').length)) break;
    if (Date.now() > deadline) throw new Error(`the agent does not serve 01-all-up through snmpd:\n${r.stdout}${r.stderr}\n${agent.output()}`);
    await sleep(100);
  }
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await snmpd?.stop();
  await Promise.all([recorder?.stop(), numeric?.stop(), labels?.stop()]);
  host?.remove();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** Ours only (snmpd sends its coldStart to every sink too). */
const ours = (): ReceivedNotification[] => recorder.received().filter((n) => n.trapOid.startsWith(NOTIFY));

/** Waits for the notifications of a state change: some arrive, then nothing more for half a second. */
async function settle(before: number): Promise<number> {
  const deadline = Date.now() + 15_000;
  let count = ours().length;
  for (let quiet = 0; quiet < 10; ) {
    if (Date.now() > deadline) throw new Error(`no notifications after ${before}:\n${agent.output()}`);
    await sleep(50);
    const now = ours().length;
    quiet = now === count && now > before ? quiet + 1 : 0;
    count = now;
  }
  return count;
}

const str = (n: ReceivedNotification, i: number): string => {
  const vb = n.varbinds[i];
  if (vb === undefined) throw new Error(`notification ${n.trapOid} has no varbind ${i + 1}`);
  return vb.bytes ? Buffer.from(vb.bytes).toString('utf8') : vb.text;
};
const num = (n: ReceivedNotification, i: number): number => Number(str(n, i));
const slaves = (count: number) => `${count} slave${count === 1 ? '' : 's'}`;

/**
 * What an operator must read for a notification: severity and text, from its
 * varbinds in the MIB's order. Written out here, apart from the script that
 * makes the configuration.
 */
function expectedLine(n: ReceivedNotification): { severity: string; text: string } {
  const kind = Number(n.trapOid.slice(NOTIFY.length));
  const bond = str(n, 0);
  switch (kind) {
    case 1:
    case 2: {
      const [slave, mii, failures, active, up, inferred, total] = [str(n, 1), num(n, 2), num(n, 3), str(n, 4), num(n, 5), num(n, 6), num(n, 7)];
      const link = kind === 2 ? 'up' : mii === 3 ? 'going down (downdelay)' : mii === 4 ? 'down, coming back (updelay)' : 'down';
      // Said only where the bond has an active slave (not in balance-rr, xor, broadcast, 802.3ad).
      const activeText = active === '' ? '' : kind === 1 ? `, active slave now ${active}` : `, active slave ${active}`;
      const flap = inferred === 1 ? '; a flap between two reads, told by the link failure count' : '';
      return {
        severity: kind === 1 ? 'Major' : 'Normal',
        text: `${bond}: slave ${slave} link ${link}${activeText}, ${up} of ${slaves(total)} up (link failures of ${slave}: ${failures})${flap}`,
      };
    }
    case 3: {
      const [previous, active, failovers] = [str(n, 1), str(n, 3), num(n, 5)];
      return {
        severity: 'Warning',
        text: `${bond}: ${active === '' ? 'no active slave' : `active slave now ${active}`}, was ${previous === '' ? 'none' : previous} (failovers seen: ${failovers})`,
      };
    }
    case 4:
      return { severity: 'Critical', text: `${bond}: bond down, no usable slave (${num(n, 3)} of ${num(n, 2)} slaves up)` };
    case 5:
      return { severity: 'Normal', text: `${bond}: bond up again, ${num(n, 3)} of ${num(n, 2)} slaves up` };
    case 6:
      return {
        severity: 'Major',
        text: `${bond}: slave ${str(n, 1)} left the active aggregator: it is in aggregator ${num(n, 2)}, the bond uses ${num(n, 3)}, so it carries no traffic (LACP partner?)`,
      };
    case 7:
      return { severity: 'Normal', text: `${bond}: slave ${str(n, 1)} is back in the active aggregator ${num(n, 3)}` };
    case 8:
      return { severity: 'Normal', text: `${bond}: slave ${str(n, 1)} added, ${slaves(num(n, 2))} now` };
    case 9:
      return { severity: 'Warning', text: `${bond}: slave ${str(n, 1)} removed, ${slaves(num(n, 2))} left` };
    case 10:
    case 11: {
      const mode = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'][num(n, 1)];
      return { severity: kind === 10 ? 'Normal' : 'Warning', text: `${bond}: bond ${kind === 10 ? 'created' : 'deleted'}, mode ${mode}` };
    }
    default:
      throw new Error(`unexpected notification ${n.trapOid}`);
  }
}

const shown = (line: SnmpttLine) => `${line.oid} ${line.severity} ${line.text}`;

describe('snmptrapd -> snmptt (standalone) with examples/snmptt/bonding-agentx.conf', () => {
  it('logs one line per real notification, in order, with its severity and text, whether enumerations arrive as numbers or labels', async () => {
    const released = addReleasedState(host, '04-bond1-down', '06-eth3-released', 'bond1', 'eth3');
    const deleted = addDeletedBondState(host, released, '07-bond7-deleted', 'bond7');
    const steps = ['02-failover', '03-recovered', '04-bond1-down', MISMATCH_STATE, '04-bond1-down', released, deleted, '04-bond1-down'];
    let count = 0;
    for (const state of steps) {
      host.show(state);
      reread(agent);
      count = await settle(count);
    }
    const received = ours();
    const kinds = new Set(received.map((n) => Number(n.trapOid.slice(NOTIFY.length))));
    // Every notification of the MIB but bondLinkUp occurred.
    expect([...kinds].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10, 11]);
    const want = received.map((n) => `.${n.trapOid} ${expectedLine(n).severity} ${expectedLine(n).text}`);
    for (const snmptt of [numeric, labels]) {
      const lines = await snmptt.waitForLines(received.length);
      expect(lines.map(shown)).toEqual(want);
      expect(lines.every((l) => l.category === 'Status Events' && l.host === 'localhost')).toBe(true);
    }
    // A few as an operator reads them, written out.
    const texts = numeric.lines().map((l) => `${l.severity}: ${l.text}`);
    expect(texts.slice(0, 2)).toEqual([
      'Major: bond0: slave eth0 link down, active slave now eth1, 1 of 2 slaves up (link failures of eth0: 1)',
      'Warning: bond0: active slave now eth1, was eth0 (failovers seen: 1)',
    ]);
    expect(texts).toContain('Critical: bond7: bond down, no usable slave (0 of 2 slaves up)');
    expect(texts).toContain('Warning: bond7: no active slave, was eth13 (failovers seen: 1)');
    expect(texts).toContain('Normal: bond0: slave eth0 link up, active slave eth1, 2 of 2 slaves up (link failures of eth0: 1)');
    expect(texts).toContain('Critical: bond1: bond down, no usable slave (0 of 2 slaves up)');
    expect(texts).toContain(
      'Major: bond2: slave eth5 left the active aggregator: it is in aggregator 2, the bond uses 1, so it carries no traffic (LACP partner?)',
    );
    expect(texts).toContain('Normal: bond2: slave eth5 is back in the active aggregator 1');
    expect(texts).toContain('Warning: bond1: slave eth3 removed, 1 slave left');
    expect(texts).toContain('Warning: bond7: bond deleted, mode active-backup');
    expect(texts.slice(-4)).toEqual([
      'Normal: bond1: slave eth3 added, 2 slaves now',
      'Normal: bond7: bond created, mode active-backup',
      'Normal: bond7: slave eth13 added, 1 slave now',
      'Normal: bond7: slave eth14 added, 2 slaves now',
    ]);
  });
});

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'scripts', 'generate-snmptt.js'), ...args], { encoding: 'utf8' }, (error, _stdout, stderr) => {
      const err = error as (Error & { code?: number | string }) | null;
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stderr });
    });
  });
}

describe('examples/snmptt/bonding-agentx.conf and the MIB', () => {
  it('has one EVENT per NOTIFICATION-TYPE of the MIB, with its OID', () => {
    const mib = readFileSync(MIB, 'utf8');
    const inMib = [...mib.matchAll(/^(\w+) NOTIFICATION-TYPE[\s\S]*?::= \{ bondNotifications (\d+) \}/gm)].map((m) => `${m[1]} .${NOTIFY}${m[2]}`);
    const inConf = [...readFileSync(SNMPTT_CONF, 'utf8').matchAll(/^EVENT (\w+) (\S+) /gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(inMib).toHaveLength(11);
    expect(inConf).toEqual(inMib);
  });

  it('is what snmpttconvertmib and scripts/generate-snmptt.js make of the MIB today', async () => {
    const out = join(work, 'regenerated.conf');
    const r = await run(['--output', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(SNMPTT_CONF, 'utf8'));
  });

  it('cannot be regenerated from a MIB that has a notification the file has no text for', async () => {
    const mib = readFileSync(MIB, 'utf8');
    const extra = [
      'bondSomethingNew NOTIFICATION-TYPE',
      '    OBJECTS     { bondName }',
      '    STATUS      current',
      '    DESCRIPTION "A notification added to the MIB."',
      '    ::= { bondNotifications 99 }',
      '',
      '-- Conformance',
    ].join('\n');
    expect(mib).toMatch(/^-- Conformance$/m);
    const grown = join(work, 'LINUX-BONDING-MIB.txt');
    writeFileSync(grown, mib.replace(/^-- Conformance$/m, extra));
    const out = join(work, 'grown.conf');
    copyFileSync(SNMPTT_CONF, out);
    const r = await run(['--mib', grown, '--output', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bondSomethingNew.*no FORMAT/);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(SNMPTT_CONF, 'utf8'));
  });
});
