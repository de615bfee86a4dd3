// Compares two fixture captures structurally: the same files in every state,
// and values of the same kind (MACs, ifindexes and counters may differ
// between captures; a number turning into text or a file vanishing may not).
// /proc/net/bonding files are compared line by line on their labels.
// Usage: node test/vm/compare-fixtures.js EXPECTED_DIR ACTUAL_DIR
// Exit status 1 when they differ structurally.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const [expectedRoot, actualRoot] = process.argv.slice(2);
if (expectedRoot === undefined || actualRoot === undefined) {
  process.stderr.write('usage: compare-fixtures.js EXPECTED_DIR ACTUAL_DIR\n');
  process.exit(2);
}

/** @param {string} root @returns {string[]} */
function listFiles(root) {
  /** @type {string[]} */
  const files = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(root, path));
    }
  };
  walk(root);
  return files.sort();
}

/** The kind of a value, ignoring what may legitimately differ. @param {string} text */
function kind(text) {
  const v = text.trim();
  if (v === '') return 'empty';
  if (/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(v)) return 'mac';
  if (/^-?\d+$/.test(v)) return 'integer';
  if (/^0x[0-9a-f]+$/i.test(v)) return 'hex';
  if (/^\.\.\//.test(v)) return 'link';
  if (/^[\w.+-]+ \d+$/.test(v)) return 'name-and-number';
  if (/^[a-z][a-z0-9 _-]*$/i.test(v) && !v.includes('  ')) return 'word';
  return `text:${v.replace(/\d+/g, '#').replace(/([0-9a-f]{2}:){5}[0-9a-f]{2}/gi, 'MAC')}`;
}

/** Labels of a procfs report, in order, without values. @param {string} text */
function labels(text) {
  return text.split('\n').map((line) => line.replace(/:.*$/, ':').replace(/\d+/g, '#'));
}

let differences = 0;
/** @param {string} message */
const report = (message) => { differences++; process.stdout.write(`${message}\n`); };

const states = readdirSync(expectedRoot).filter((s) => statSync(join(expectedRoot, s)).isDirectory()).sort();
for (const state of states) {
  const expectedFiles = listFiles(join(expectedRoot, state));
  let actualFiles;
  try {
    actualFiles = listFiles(join(actualRoot, state));
  } catch {
    report(`${state}: missing`);
    continue;
  }
  const actualSet = new Set(actualFiles);
  const expectedSet = new Set(expectedFiles);
  for (const f of expectedFiles) if (!actualSet.has(f)) report(`${state}/${f}: missing`);
  for (const f of actualFiles) if (!expectedSet.has(f)) report(`${state}/${f}: extra`);
  for (const f of expectedFiles) {
    if (!actualSet.has(f)) continue;
    const expected = readFileSync(join(expectedRoot, state, f), 'utf8');
    const actual = readFileSync(join(actualRoot, state, f), 'utf8');
    if (f === 'ip-link.json') {
      const names = (/** @type {string} */ t) => JSON.parse(t).map((/** @type {{ifname: string}} */ l) => l.ifname).join(' ');
      if (names(expected) !== names(actual)) report(`${state}/${f}: interfaces ${names(expected)} vs ${names(actual)}`);
    } else if (f.startsWith('proc')) {
      const a = labels(expected).join('\n');
      const b = labels(actual).join('\n');
      if (a !== b) report(`${state}/${f}: report lines differ`);
    } else if (kind(expected) !== kind(actual)) {
      report(`${state}/${f}: ${JSON.stringify(expected.trim())} vs ${JSON.stringify(actual.trim())}`);
    }
  }
}
process.stdout.write(`${differences} structural difference(s) in ${states.length} state(s)\n`);
process.exit(differences === 0 ? 0 : 1);
