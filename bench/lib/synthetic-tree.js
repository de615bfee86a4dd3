// A synthetic bonding host built from a real kernel capture: `bonds` 802.3ad
// bonds (the mode with the most attributes) of `slaves` slaves each, laid out
// as sysfs and procfs are. Links of the capture are plain files; the copy
// leaves them out, the reader does not need them.
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const capture = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'kernel-6.1-debian', '01-all-up');
const templateNet = join(capture, 'sys', 'class', 'net');
const templateProc = readFileSync(join(capture, 'proc', 'net', 'bonding', 'bond2'), 'latin1');

function copyInterface(from, to, ifindex, rename) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const src = join(from, entry);
    if (statSync(src).isDirectory()) {
      cpSync(src, join(to, entry), { recursive: true });
    } else if (!/^(lower|upper)_/.test(entry)) {
      writeFileSync(join(to, entry), entry === 'ifindex' ? `${ifindex}\n` : rename(readFileSync(src, 'latin1')));
    }
  }
}

/** Builds the tree under `root` (root/sys, root/proc); returns the bond names. */
export function buildSyntheticTree(root, { bonds, slaves }) {
  const net = join(root, 'sys', 'class', 'net');
  const procDir = join(root, 'proc', 'net', 'bonding');
  mkdirSync(net, { recursive: true });
  mkdirSync(procDir, { recursive: true });
  const names = [];
  let ifindex = 1;
  const [procHead, procSlave] = templateProc.split('\nSlave Interface: ');
  for (let b = 0; b < bonds; b++) {
    const bond = `bond${b}`;
    const members = Array.from({ length: slaves }, (_, s) => `s${b}x${s}`);
    const rename = (text) =>
      text.replace(/eth4 eth5/, members.join(' ')).replace(/eth4:0 eth5:0/, members.map((s) => `${s}:0`).join(' '));
    names.push(bond);
    copyInterface(join(templateNet, 'bond2'), join(net, bond), ifindex++, rename);
    writeFileSync(join(net, bond, 'bonding', 'slaves'), `${members.join(' ')}\n`);
    writeFileSync(join(net, bond, 'bonding', 'queue_id'), `${members.map((s) => `${s}:0`).join(' ')}\n`);
    let proc = procHead;
    for (const [s, slave] of members.entries()) {
      copyInterface(join(templateNet, s % 2 === 0 ? 'eth4' : 'eth5'), join(net, slave), ifindex++, (t) => t);
      proc += `\nSlave Interface: ${slave}${procSlave.slice(procSlave.indexOf('\n'))}`;
    }
    writeFileSync(join(procDir, bond), proc);
  }
  writeFileSync(join(net, 'bonding_masters'), `${names.join(' ')}\n`);
  return names;
}
