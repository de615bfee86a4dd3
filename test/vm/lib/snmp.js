// Net-SNMP command-line tools against the VM's snmpd, numeric OIDs, no MIBs:
// the scenario compares numbers with what the kernel shows, so nothing is
// left to a MIB file's interpretation.
import { execFileSync, spawnSync } from 'node:child_process';

/**
 * @typedef {{ readonly type: string, readonly value: string }} Varbind
 *   type as the tools print it (STRING, INTEGER, Gauge32, Counter32, Hex-STRING, Timeticks...),
 *   '' for an empty string; value without quotes, Timeticks as the bare number
 */

const COMMON = ['-m', '', '-v2c', '-c', 'public', '-On', '-t', '3', '-r', '1'];

/**
 * Parses `-On` output: `.OID = TYPE: value` lines, values that run over
 * several lines (long hex strings) joined.
 * @param {string} text
 * @returns {Map<string, Varbind>} OID without the leading dot -> varbind
 */
export function parseVarbinds(text) {
  return new Map(parseVarbindList(text));
}

/**
 * The same, in the order printed, duplicates kept (a GetBulk's repetitions).
 * @param {string} text
 * @returns {Array<[string, Varbind]>}
 */
export function parseVarbindList(text) {
  /** @type {Array<[string, Varbind]>} */
  const out = [];
  /** @type {{ oid: string, rest: string } | undefined} */
  let current;
  const flush = () => {
    if (current === undefined) return;
    out.push([current.oid, typed(current.rest)]);
    current = undefined;
  };
  for (const line of text.split('\n')) {
    const m = /^\.?(\d+(?:\.\d+)+) = (.*)$/.exec(line);
    if (m) {
      flush();
      current = { oid: m[1] ?? '', rest: m[2] ?? '' };
    } else if (current !== undefined && line.trim() !== '') {
      current.rest += ` ${line.trim()}`;
    }
  }
  flush();
  return out;
}

/** @param {string} rest what follows `OID = ` @returns {Varbind} */
function typed(rest) {
  const m = /^([\w-]+): ?(.*)$/s.exec(rest);
  if (m === null) {
    // An empty string prints as "" with no type; exceptions print as a sentence.
    if (rest === '""') return { type: '', value: '' };
    return { type: rest, value: '' };
  }
  const type = m[1] ?? '';
  let value = (m[2] ?? '').trim();
  if (type === 'STRING' && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  if (type === 'Timeticks') value = /^\((\d+)\)/.exec(value)?.[1] ?? value;
  return { type, value };
}

/**
 * One snmpget of many OIDs; those the agent has no instance for come back
 * with the exception as their type ("No Such Instance currently exists at this OID").
 * @param {string} target
 * @param {readonly string[]} oids
 * @returns {Map<string, Varbind>}
 */
export function getMany(target, oids) {
  if (oids.length === 0) return new Map();
  // snmpget exits non-zero when any OID has no instance; its output still says which.
  const r = spawnSync('snmpget', [...COMMON, target, ...oids], { encoding: 'utf8' });
  if (r.error !== undefined) throw r.error;
  const parsed = parseVarbinds(r.stdout);
  if (parsed.size === 0) throw new Error(`snmpget ${target} failed (${r.status}): ${r.stderr.trim()}`);
  return parsed;
}

/**
 * Walks table columns side by side, as a manager reads a table: each
 * GetBulk asks for the next rows of every column still going (snmpd passes
 * the columns to the subagent together, so one AgentX round trip serves a
 * row of every column, where a plain walk costs one per value).
 * @param {string} target
 * @param {readonly string[]} scalars instances fetched once (non-repeaters)
 * @param {readonly string[]} columns column OIDs
 * @param {number} [repetitions]
 * @param {readonly string[]} [options] more options for the tool (-Ox: octet strings in hex)
 * @returns {Map<string, Varbind>} every instance of the scalars and columns
 */
export function walkColumns(target, scalars, columns, repetitions = 20, options = []) {
  /** @type {Map<string, Varbind>} */
  const out = new Map();
  /** @type {Map<string, string>} column -> where its walk has got to */
  let going = new Map(columns.map((c) => [c, c]));
  let nonRepeaters = scalars.length;
  for (let round = 0; going.size > 0 || nonRepeaters > 0; round++) {
    if (round >= 50) throw new Error(`walkColumns: still going after ${round} GetBulks: ${[...going.keys()].join(' ')}`);
    const from = [...going.entries()];
    const args = [...COMMON, ...options, `-Cn${nonRepeaters}`, `-Cr${repetitions}`, target, ...scalars.slice(0, nonRepeaters), ...from.map(([, at]) => at)];
    const list = parseVarbindList(execFileSync('snmpbulkget', args, { encoding: 'utf8', maxBuffer: 16 << 20 }));
    for (const [oid, v] of list.slice(0, nonRepeaters)) out.set(oid, v);
    const repeated = list.slice(nonRepeaters);
    /** @type {Map<string, string>} */
    const next = new Map();
    for (const [i, [column]] of from.entries()) {
      let last;
      let ended = false;
      for (let r = i; r < repeated.length; r += from.length) {
        const entry = repeated[r];
        if (entry === undefined) break;
        const [oid, v] = entry;
        if (!oid.startsWith(`${column}.`) || v.type.startsWith('No more variables')) {
          ended = true;
          break;
        }
        out.set(oid, v);
        last = oid;
      }
      // A response cut short (too big for one message) ends without leaving the column.
      if (!ended) next.set(column, last ?? going.get(column) ?? column);
    }
    going = next;
    nonRepeaters = 0;
  }
  return out;
}
