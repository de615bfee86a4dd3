import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAttributeText, readText } from '../../src/bonding/file-access.js';

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
});
