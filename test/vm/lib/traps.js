// Reads the notifications snmptrapd logged in run-scenarios.sh's record
// format: TRAP<tab>%b<tab>varbind<tab>varbind...<tab>END, numeric OIDs, strings in hex.
import { readKernelFile } from './net.js';

const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';

/**
 * @typedef {{ readonly oid: string, readonly type: string, readonly text: string }} LoggedVarBind
 * @typedef {{ readonly trapOid: string, readonly uptime: number | undefined, readonly source: string,
 *   readonly varbinds: readonly LoggedVarBind[] }} LoggedNotification
 */

/** @param {string} item "OID = TYPE: value" @returns {LoggedVarBind} */
function varbind(item) {
  const [left = '', right = ''] = item.split(/ = (.*)/s);
  const oid = left.trim().replace(/^\./, '');
  const typed = /^([\w-]+): (.*)$/s.exec(right.trim());
  if (typed === null) return { oid, type: right.trim(), text: '' };
  const type = typed[1] ?? '';
  let text = (typed[2] ?? '').trim();
  if (type === 'OID') text = text.replace(/^\./, '');
  if (type === 'Timeticks') text = /^\((\d+)\)/.exec(text)?.[1] ?? text;
  return { oid, type, text };
}

/**
 * Every complete record in the log, oldest first; a record still being
 * written (no END yet) is left for the next read.
 * @param {string} logPath
 * @returns {LoggedNotification[]}
 */
export function readNotifications(logPath) {
  return parseNotifications(readKernelFile(logPath) ?? '');
}

/**
 * The complete records in a piece of the log, oldest first.
 * @param {string} text
 * @returns {LoggedNotification[]}
 */
export function parseNotifications(text) {
  /** @type {LoggedNotification[]} */
  const out = [];
  for (const record of text.split(/^TRAP\t/m).slice(1)) {
    const end = record.indexOf('\tEND\n');
    if (end < 0) continue;
    // Long hex strings wrap onto new lines; the breaks are not part of the value.
    const [source = '', ...items] = record.slice(0, end).replace(/\n/g, ' ').split('\t');
    const all = items.filter((i) => i.trim() !== '').map(varbind);
    const uptime = all.find((v) => v.oid === SYS_UPTIME)?.text;
    out.push({
      trapOid: all.find((v) => v.oid === SNMP_TRAP_OID)?.text ?? '',
      uptime: uptime === undefined ? undefined : Number(uptime),
      source,
      varbinds: all.filter((v) => v.oid !== SYS_UPTIME && v.oid !== SNMP_TRAP_OID),
    });
  }
  return out;
}
