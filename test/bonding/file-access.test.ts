import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeptFile, readAttributeText, readText } from '../../src/bonding/file-access.js';
import { FingerprintReader } from '../../src/bonding/fingerprints.js';

const dir = mkdtempSync(join(tmpdir(), 'file-access-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file access', () => {
  it('reads files larger than its buffer whole, in both modes', () => {
    // 64 KiB is the first buffer; a file that fills it exactly, and one that overflows it twice.
    for (const size of [65536, 200_000]) {
      const text = Array.from({ length: size }, (_, i) => String.fromCharCode(33 + (i % 90))).join('');
      const file = join(dir, `big-${size}`);
      writeFileSync(file, text, 'latin1');
      expect(readAttributeText(file)).toEqual({ text });
      expect(readText(file)).toEqual({ text });
    }
  });

  it('reads an empty file as empty text, and keeps every byte (latin1)', () => {
    writeFileSync(join(dir, 'empty'), '');
    expect(readAttributeText(join(dir, 'empty'))).toEqual({ text: '' });
    writeFileSync(join(dir, 'bytes'), Buffer.from([0x65, 0x74, 0x68, 0xff, 0x00, 0x0a]));
    expect(readAttributeText(join(dir, 'bytes'))).toEqual({ text: 'eth\u00ff\u0000\n' });
  });

  it('turns a failure into its errno name instead of throwing', () => {
    expect(readAttributeText(join(dir, 'absent'))).toMatchObject({ code: 'ENOENT' });
    expect(readText(dir)).toMatchObject({ code: 'EISDIR' });
  });

  it('a kept file reads what is there now: written in place, replaced by a rename, removed, made again', () => {
    const file = join(dir, 'kept');
    writeFileSync(file, 'one\n');
    const kept = new KeptFile(file);
    expect(kept.read()).toEqual({ text: 'one\n' });
    writeFileSync(file, 'two, longer than one\n');
    expect(kept.read()).toEqual({ text: 'two, longer than one\n' });
    writeFileSync(file, '3\n');
    expect(kept.read()).toEqual({ text: '3\n' });
    writeFileSync(`${file}.new`, 'four\n');
    renameSync(`${file}.new`, file);
    expect(kept.read()).toEqual({ text: 'four\n' });
    unlinkSync(file);
    expect(kept.read()).toMatchObject({ code: 'ENOENT' });
    writeFileSync(file, 'five\n');
    expect(kept.read()).toEqual({ text: 'five\n' });
    kept.close();
    expect(kept.read()).toEqual({ text: 'five\n' });
    kept.close();
  });

  it('a kept procfs file is rendered afresh at each read, to its end', () => {
    const kept = new KeptFile('/proc/self/stat');
    const fields = (text: string) => text.slice(text.lastIndexOf(')') + 2).split(' ');
    const first = kept.read();
    // Burn CPU until our utime moves: the same descriptor must show it.
    const start = 'text' in first ? Number(fields(first.text)[11]) : NaN;
    let now = start;
    for (let i = 0; i < 2000 && now === start; i++) {
      const until = Date.now() + 5;
      while (Date.now() < until);
      const again = kept.read();
      now = 'text' in again ? Number(fields(again.text)[11]) : NaN;
    }
    expect(now).toBeGreaterThan(start);
    kept.close();
    // More than a page (seq_file hands out one page per read): the whole file.
    const maps = new KeptFile('/proc/self/maps');
    const text = maps.read();
    maps.close();
    expect('text' in text && text.text.length).toBeGreaterThan(4096);
    expect('text' in text && text.text.endsWith('\n')).toBe(true);
  });

  it('the fingerprint reader keeps one file per listed bond and lets go of the others', () => {
    const root = join(dir, 'tree');
    const net = join(root, 'sys', 'class', 'net');
    const proc = join(root, 'proc', 'net', 'bonding');
    mkdirSync(net, { recursive: true });
    mkdirSync(proc, { recursive: true });
    writeFileSync(join(net, 'bonding_masters'), 'bond0 bond1\n');
    writeFileSync(join(proc, 'bond0'), 'zero\n');
    writeFileSync(join(proc, 'bond1'), 'one\n');
    const reader = new FingerprintReader({ sysfs: join(root, 'sys'), procfs: join(root, 'proc') });
    const first = reader.read()!;
    expect([...first.keys()]).toEqual(['bond0', 'bond1']);
    expect(reader.following).toBe(2);
    // Nothing changed: the same versions, also after the descriptors were let go.
    expect(reader.read()).toEqual(first);
    reader.close();
    expect(reader.read()).toEqual(first);
    writeFileSync(join(net, 'bonding_masters'), 'bond1\n');
    writeFileSync(join(proc, 'bond1'), 'one, changed\n');
    const second = reader.read()!;
    expect([...second.keys()]).toEqual(['bond1']);
    expect(second.get('bond1')).not.toBe(first.get('bond1'));
    expect(reader.following).toBe(1);
    // The same length, one byte different: a change.
    writeFileSync(join(proc, 'bond1'), 'one, chanGed\n');
    expect(reader.read()!.get('bond1')).not.toBe(second.get('bond1'));
    // A listed bond without its file (procfs hidden from us): version 0, not a full read at every check.
    writeFileSync(join(net, 'bonding_masters'), 'bond1 bond2\n');
    const third = reader.read()!;
    expect(third.get('bond2')).toBe(0);
    expect(reader.read()).toEqual(third);
    writeFileSync(join(proc, 'bond2'), 'two\n');
    expect(reader.read()!.get('bond2')).toBeGreaterThan(0);
    // The list unreadable: only a full read can tell.
    rmSync(join(net, 'bonding_masters'));
    expect(reader.read()).toBeUndefined();
    reader.close();
    expect(readFileSync(join(proc, 'bond1'), 'utf8')).toBe('one, chanGed\n');
  });
});
