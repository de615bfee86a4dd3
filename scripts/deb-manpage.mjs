#!/usr/bin/env node
// Writes bonding-agentx(1) to stdout: the CLI's own --help texts (the
// program's, then each command's), so the manual page says exactly what
// `--help` says, plus where the Debian package puts its files.
//
// Usage: deb-manpage.mjs CLI VERSION DATE
//   CLI      bin/bonding-agentx.js of a built tree
//   VERSION  the package version; DATE  YYYY-MM-DD
import { execFileSync } from 'node:child_process';

const [cli, version, date] = process.argv.slice(2);
if (cli === undefined || version === undefined || date === undefined) {
  process.stderr.write('usage: deb-manpage.mjs CLI VERSION DATE\n');
  process.exit(2);
}

/** @param {string[]} args */
function help(args) {
  return execFileSync(process.execPath, [cli, ...args, '--help'], { encoding: 'utf8' }).trimEnd();
}

/** Text shown as is: backslashes, minus signs and leading control characters escaped. */
function literal(text) {
  return text
    .split('\n')
    .map((line) => line.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^([.'])/, '\\&$1'))
    .join('\n');
}

const section = (title, text) => `.SH ${title}\n.nf\n${literal(text)}\n.fi`;

const page = [
  `.TH BONDING\\-AGENTX 1 "${date}" "bonding\\-agentx ${version}" "User Commands"`,
  '.SH NAME',
  'bonding\\-agentx \\- SNMP AgentX subagent for Linux NIC bonding (LINUX\\-BONDING\\-MIB)',
  section('SYNOPSIS', help([])),
  section('RUN', help(['run'])),
  section('DUMP', help(['dump'])),
  section('DEMO', help(['demo'])),
  '.SH FILES',
  '.TP',
  '.I /lib/systemd/system/bonding\\-agentx.service',
  'the service: "run" as the user bonding\\-agentx, connected to snmpd.',
  '.TP',
  '.I /etc/snmp/snmpd.conf.d/bonding\\-agentx.conf',
  "snmpd's side: the AgentX socket's permissions, and the view and trap lines to uncomment.",
  '.TP',
  '.I /usr/share/snmp/mibs/LINUX\\-BONDING\\-MIB.txt',
  'the MIB.',
  '.TP',
  '.I /usr/share/doc/bonding\\-agentx/',
  'the README (every object and notification), and examples/standalone.conf, the drop\\-in that runs the service without snmpd.',
  '.SH SEE ALSO',
  '.BR snmpd (8),',
  '.BR snmpd.conf (5),',
  '.BR systemd.exec (5)',
  '',
].join('\n');
process.stdout.write(page);
