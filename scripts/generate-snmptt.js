#!/usr/bin/env node
/**
 * Regenerates examples/snmptt/bonding-agentx.conf: snmpttconvertmib (Debian
 * package snmptt) converts mibs/LINUX-BONDING-MIB.txt, then each EVENT gets
 * the FORMAT line, REGEX lines and severity below in place of the ones
 * snmpttconvertmib derives from the DESCRIPTION. The SDESC/EDESC text (the
 * MIB's description and its variables, with syntax and enumerations) is
 * snmpttconvertmib's, untouched.
 *
 *   node scripts/generate-snmptt.js [--mib FILE] [--output FILE]
 *
 * Fails (exit 1, one line saying which) when the MIB has a notification that
 * has no entry below, or an entry names a notification the MIB lacks.
 *
 * The FORMAT lines read the varbinds by position ($1 = the notification's
 * first OBJECT). Enumerated values reach snmptt as numbers (snmptrapd without
 * the MIB, or with -Oe) or as labels (snmptrapd with LINUX-BONDING-MIB
 * loaded): each REGEX accepts both, so the text is the same either way.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const REPO = resolve(import.meta.dirname, '..');

/**
 * An empty name (no active slave): nothing when snmptrapd prints it as "",
 * "(null)" when it prints nothing (the MIB loaded) and snmptt finds no value.
 */
const EMPTY = '(\\(null\\))?';
/** REGEX lines that say "N of 1 slave up", not "of 1 slaves". */
const OF_ONE_SLAVE = ['(\\bof 1 slaves\\b)(of 1 slave)'];
/** bondMode, the last word of the text: the kernel's names. */
const MODE_NAMES = [
  ['0', 'balanceRr', 'balance-rr'],
  ['1', 'activeBackup', 'active-backup'],
  ['2', 'balanceXor', 'balance-xor'],
  ['3', 'broadcast', 'broadcast'],
  ['4', 'ieee8023ad', '802.3ad'],
  ['5', 'balanceTlb', 'balance-tlb'],
  ['6', 'balanceAlb', 'balance-alb'],
].map(([n, label, name]) => `(mode (${n}|${label})$)(mode ${name})`);
/** bondEventInferred ($7 of the slave link notifications) as a marker at the end, then said in words or dropped. */
const INFERRED = [
  '( \\[inferred (2|false)\\]$)()',
  '( \\[inferred (1|true)\\]$)(; a flap between two reads, told by the link failure count)',
];

/**
 * Per notification: severity (Critical: the bond is down; Major: a slave
 * carries nothing; Warning: a change to look at; Normal: a recovery or an
 * addition), FORMAT, REGEX lines.
 */
export const EVENTS = {
  bondSlaveLinkDown: {
    severity: 'Major',
    // bondName, bondSlaveName, bondSlaveMiiStatus, bondSlaveLinkFailureCount, bondActiveSlaveName, bondSlavesUp, bondEventInferred, bondSlaveCount
    format: '$1: slave $2 link $3, active slave now $5, $6 of $8 slaves up (link failures of $2: $4) [inferred $7]',
    regex: [
      '(link (2|down),)(link down,)',
      '(link (3|goingDown),)(link going down (downdelay),)',
      '(link (4|goingBack),)(link down, coming back (updelay),)',
      // Modes without an active slave (balance-rr, xor, broadcast, 802.3ad) and a bond left without one: no clause.
      `(, active slave now ${EMPTY},)(,)`,
      ...OF_ONE_SLAVE,
      ...INFERRED,
    ],
  },
  bondSlaveLinkUp: {
    severity: 'Normal',
    format: '$1: slave $2 link up, active slave $5, $6 of $8 slaves up (link failures of $2: $4) [inferred $7]',
    regex: [`(, active slave ${EMPTY},)(,)`, ...OF_ONE_SLAVE, ...INFERRED],
  },
  bondActiveSlaveChanged: {
    severity: 'Warning',
    // bondName, bondPreviousActiveSlaveName, bondPreviousActiveSlaveIfIndex, bondActiveSlaveName, bondActiveSlaveIfIndex, bondFailoverCount
    format: '$1: active slave now $4, was $2 (failovers seen: $6)',
    regex: [`(active slave now ${EMPTY},)(no active slave,)`, `(, was ${EMPTY} \\(failovers)(, was none (failovers)`],
  },
  bondLinkDown: {
    severity: 'Critical',
    // bondName, bondMiiStatus, bondSlaveCount, bondSlavesUp
    format: '$1: bond down, no usable slave ($4 of $3 slaves up)',
    regex: [],
  },
  bondLinkUp: {
    severity: 'Normal',
    format: '$1: bond up again, $4 of $3 slaves up',
    regex: [],
  },
  bondSlaveAdAggregatorMismatch: {
    severity: 'Major',
    // bondName, bondSlaveName, bondSlaveAdAggregatorId, bondAdAggregatorId
    format: '$1: slave $2 left the active aggregator: it is in aggregator $3, the bond uses $4, so it carries no traffic (LACP partner?)',
    regex: [],
  },
  bondSlaveAdAggregatorMatch: {
    severity: 'Normal',
    format: '$1: slave $2 is back in the active aggregator $4',
    regex: [],
  },
  bondSlaveAdded: {
    severity: 'Normal',
    // bondName, bondSlaveName, bondSlaveCount
    format: '$1: slave $2 added, $3 slaves now',
    regex: ['(, 1 slaves now$)(, 1 slave now)'],
  },
  bondSlaveRemoved: {
    severity: 'Warning',
    format: '$1: slave $2 removed, $3 slaves left',
    regex: ['(, 1 slaves left$)(, 1 slave left)'],
  },
  bondCreated: {
    severity: 'Normal',
    // bondName, bondMode
    format: '$1: bond created, mode $2',
    regex: MODE_NAMES,
  },
  bondDeleted: {
    severity: 'Warning',
    format: '$1: bond deleted, mode $2',
    regex: MODE_NAMES,
  },
};

/** The base MIBs LINUX-BONDING-MIB imports, and where they are. */
function mibDir(mib, work) {
  const dir = join(work, 'mibs');
  const npmMibs = join(REPO, 'node_modules', 'net-snmp', 'lib', 'mibs');
  const netSnmpMibs = process.env.NET_SNMP_MIBS ?? '/usr/share/snmp/mibs';
  mkdirSync(dir);
  symlinkSync(resolve(mib), join(dir, 'LINUX-BONDING-MIB.txt'));
  for (const m of ['SNMPv2-SMI', 'SNMPv2-TC', 'SNMPv2-CONF', 'SNMPv2-MIB', 'IF-MIB', 'IANAifType-MIB']) {
    const file = join(npmMibs, `${m}.mib`);
    if (!existsSync(file)) fail(`${file} missing (run npm ci)`, 2);
    symlinkSync(file, join(dir, `${m}.txt`));
  }
  const netSnmp = join(netSnmpMibs, 'NET-SNMP-MIB.txt');
  if (!existsSync(netSnmp)) fail(`${netSnmp} missing (Debian: apt install libsnmp-base)`, 2);
  symlinkSync(netSnmp, join(dir, 'NET-SNMP-MIB.txt'));
  return dir;
}

function fail(message, code = 1) {
  process.stderr.write(`generate-snmptt: ${message}\n`);
  process.exit(code);
}

/** snmpttconvertmib's output for `mib`, as it wrote it. */
function convert(mib) {
  const work = mkdtempSync(join(tmpdir(), 'generate-snmptt-'));
  try {
    const dir = mibDir(mib, work);
    const out = join(work, 'converted.conf');
    // No snmp.conf of this host: only the MIBs given here.
    const env = { ...process.env, SNMPCONFPATH: work, MIBDIRS: dir, MIBS: 'LINUX-BONDING-MIB' };
    let log;
    try {
      log = execFileSync('snmpttconvertmib', [`--in=${join(dir, 'LINUX-BONDING-MIB.txt')}`, `--out=${out}`, '--net_snmp_perl'], {
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      if (err.code === 'ENOENT') fail('snmpttconvertmib not found (Debian: apt install snmptt)', 2);
      throw err;
    }
    if (!/Failed translations:\s+0\b/.test(log) || !existsSync(out)) fail(`snmpttconvertmib failed:\n${log}`);
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The EVENT blocks of a converted file: name, OID, and the lines from SDESC to EDESC. */
function events(converted) {
  const found = [];
  const re = /^EVENT (\S+) (\S+) "([^"]*)" \S+\n(?:FORMAT .*\n)?(SDESC\n[\s\S]*?\nEDESC)\n/gm;
  for (const m of converted.matchAll(re)) found.push({ name: m[1], oid: m[2], category: m[3], desc: m[4] });
  const declared = converted.match(/^EVENT /gm)?.length ?? 0;
  if (found.length !== declared) fail(`could not read ${declared - found.length} of the ${declared} EVENT blocks snmpttconvertmib wrote`);
  return found;
}

function variableCount(desc) {
  return [...desc.matchAll(/^ {2}(\d+): /gm)].length;
}

export function generate(mibPath) {
  const converted = convert(mibPath);
  const blocks = events(converted);
  const names = blocks.map((b) => b.name);
  const missing = names.filter((n) => !(n in EVENTS));
  if (missing.length > 0) {
    fail(`the MIB has notification(s) ${missing.join(', ')} with no FORMAT in scripts/generate-snmptt.js: add them to EVENTS`);
  }
  const gone = Object.keys(EVENTS).filter((n) => !names.includes(n));
  if (gone.length > 0) fail(`EVENTS names ${gone.join(', ')}, which the MIB does not define`);

  const version = /using snmpttconvertmib (v\S+)/.exec(converted)?.[1] ?? '(unknown version)';
  const lines = [
    '#',
    '# snmptt configuration for LINUX-BONDING-MIB (bonding-agentx): one EVENT per notification.',
    `# Generated from mibs/${basename(mibPath)} by snmpttconvertmib ${version} (--net_snmp_perl);`,
    '# FORMAT, REGEX and severity from scripts/generate-snmptt.js. Regenerate: npm run generate:snmptt',
    '#',
    '# Install: copy to /etc/snmp/ and list it under snmptt_conf_files in snmptt.ini;',
    '# snmptrapd.conf: traphandle default /usr/sbin/snmptt (standalone) or',
    '# /usr/sbin/snmptthandler (daemon mode). See the README, section "snmptt".',
    '# Enumerations may reach snmptt as numbers or as labels (snmptrapd with the',
    '# MIB loaded): the REGEX lines turn either into the same words.',
    '#',
  ];
  for (const block of blocks) {
    const spec = EVENTS[block.name];
    const count = variableCount(block.desc);
    for (const m of spec.format.matchAll(/\$(\d+)/g)) {
      if (Number(m[1]) > count) fail(`${block.name}: FORMAT uses $${m[1]}, the notification has ${count} variables`);
    }
    lines.push(
      '#',
      `EVENT ${block.name} ${block.oid} "${block.category}" ${spec.severity}`,
      `FORMAT ${spec.format}`,
      ...spec.regex.map((r) => `REGEX ${r}`),
      block.desc,
    );
  }
  return `${lines.join('\n')}\n`;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  const { values } = parseArgs({
    options: {
      mib: { type: 'string', default: join(REPO, 'mibs', 'LINUX-BONDING-MIB.txt') },
      output: { type: 'string', default: join(REPO, 'examples', 'snmptt', 'bonding-agentx.conf') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: node scripts/generate-snmptt.js [--mib FILE] [--output FILE]\n');
    process.exit(0);
  }
  const text = generate(values.mib);
  writeFileSync(values.output, text);
  process.stdout.write(`generate-snmptt: wrote ${relative(process.cwd(), values.output) || values.output}\n`);
}
