#!/usr/bin/env node
// Writes the package's debian/copyright (machine-readable format) to stdout:
// packaging/debian/copyright with one paragraph per bundled npm module, in
// name order, and the text of every license named.
//
// Usage: deb-copyright.mjs TEMPLATE NODE_MODULES_DIR LICENSES_DIR
//   TEMPLATE          packaging/debian/copyright (@BUNDLED@, @LICENSES@ are replaced)
//   NODE_MODULES_DIR  the production node_modules that goes into the package
//   LICENSES_DIR      one file per license short name (packaging/debian/licenses)
// A module's copyright lines come from its license file, else from the
// author and contributors in its package.json. A license with no text in
// LICENSES_DIR, or a module with no copyright holder at all, is an error:
// the package must say what it ships.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const [template, modulesDir, licensesDir] = process.argv.slice(2);
if (template === undefined || modulesDir === undefined || licensesDir === undefined) {
  process.stderr.write('usage: deb-copyright.mjs TEMPLATE NODE_MODULES_DIR LICENSES_DIR\n');
  process.exit(2);
}

// npm's SPDX identifiers -> the copyright format's short names.
const SHORT_NAME = new Map([
  ['MIT', 'Expat'],
  ['ISC', 'ISC'],
]);

/** Module directories under node_modules, scoped ones included, in byte order. */
function moduleDirs(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) {
      for (const sub of readdirSync(join(dir, name)).sort()) out.push(`${name}/${sub}`);
    } else {
      out.push(name);
    }
  }
  return out;
}

/** @param {unknown} person npm's "Name <email> (url)" or { name, email } */
function personText(person) {
  if (typeof person === 'string') return person.replace(/\s*\(.*\)\s*$/, '').trim();
  if (person !== null && typeof person === 'object' && 'name' in person && typeof person.name === 'string') {
    return 'email' in person && typeof person.email === 'string' ? `${person.name} <${person.email}>` : person.name;
  }
  return '';
}

function copyrightLines(moduleDir, pkg) {
  const licenseFile = readdirSync(moduleDir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  if (licenseFile !== undefined) {
    const lines = readFileSync(join(moduleDir, licenseFile), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^copyright\b/i.test(l) && !/copyright (notice|holders)/i.test(l))
      .map((l) => l.replace(/^copyright\s*(\(c\)|©)?\s*/i, '').trim())
      .filter((l) => l !== '');
    if (lines.length > 0) return lines;
  }
  const people = [pkg.author, ...(Array.isArray(pkg.contributors) ? pkg.contributors : [])]
    .map(personText)
    .filter((p) => p !== '');
  return [...new Set(people)];
}

const used = new Set(['Expat']); // the project's own license (Files: *)
const paragraphs = [];
for (const name of moduleDirs(modulesDir)) {
  const dir = join(modulesDir, name);
  const pkgFile = join(dir, 'package.json');
  if (!existsSync(pkgFile)) continue;
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  const spdx = typeof pkg.license === 'string' ? pkg.license : '';
  const license = SHORT_NAME.get(spdx);
  if (license === undefined || !existsSync(join(licensesDir, license))) {
    throw new Error(`${name}: license "${spdx}" has no text in ${licensesDir}; add it (and map it in deb-copyright.mjs)`);
  }
  const holders = copyrightLines(dir, pkg);
  if (holders.length === 0) throw new Error(`${name}: no copyright holder in its license file or package.json`);
  used.add(license);
  paragraphs.push(
    [
      `Files: usr/lib/bonding-agentx/node_modules/${name}/*`,
      `Copyright: ${holders.join('\n ')}`,
      `License: ${license}`,
      `Comment: ${pkg.name} ${pkg.version}`,
    ].join('\n'),
  );
}

const licenses = [...used].sort().map((l) => readFileSync(join(licensesDir, l), 'utf8').trimEnd());
const text = readFileSync(template, 'utf8')
  .replace('@BUNDLED@', paragraphs.map((p) => `\n${p}`).join('\n'))
  .replace('@LICENSES@', licenses.map((l) => `\n${l}`).join('\n'));
process.stdout.write(text.trimEnd() + '\n');
