/**
 * The layers of README.md's Development section, checked on the source: which
 * layer imports which, and where the kernel's files may be touched.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

/** Layer -> the layers of ours it may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  support: [],
  snmp: [],
  net: [],
  bonding: [],
  mib: ['snmp'],
  agentx: ['snmp', 'support', 'mib'],
  'bond-mib': ['bonding', 'mib', 'snmp'],
  'if-mib': ['bonding', 'mib', 'snmp'],
  'lag-mib': ['bonding', 'bond-mib', 'mib', 'snmp'],
  standalone: ['snmp', 'mib', 'support'],
  runtime: ['bonding', 'bond-mib', 'if-mib', 'lag-mib', 'mib', 'snmp', 'support'],
  dump: ['bonding'],
  demo: ['bond-mib', 'net', 'snmp', 'standalone'],
  check: ['bonding', 'bond-mib', 'snmp'],
};

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

const layers = readdirSync(SRC, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const filesOf = (layer: string) => readdirSync(join(SRC, layer)).filter((f) => f.endsWith('.ts')).map((f) => join(SRC, layer, f));

describe('the layers', () => {
  it('every layer is known', () => {
    expect(layers.filter((l) => ALLOWED[l] === undefined && l !== 'commands').sort()).toEqual([]);
  });

  for (const layer of Object.keys(ALLOWED)) {
    it(`${layer} imports only ${ALLOWED[layer]!.join(', ') || 'nothing of ours'}`, () => {
      const wrong: string[] = [];
      for (const file of filesOf(layer)) {
        for (const spec of imports(file)) {
          const m = /^\.\.\/([a-z-]+)\//.exec(spec);
          if (m && !ALLOWED[layer]!.includes(m[1]!)) wrong.push(`${file.slice(SRC.length + 1)} -> ${spec}`);
          if (/^\.\.\/[a-z-]+\.js$/.test(spec)) wrong.push(`${file.slice(SRC.length + 1)} -> ${spec}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  it('runtime and commands touch no file: the kernel is the bonding layer\'s', () => {
    const touching = ['runtime', 'commands'].flatMap(filesOf).filter((f) => imports(f).some((s) => s === 'node:fs' || s === 'node:fs/promises'));
    expect(touching).toEqual([]);
  });

  it('only the adapter uses net-snmp\'s agent internals', () => {
    const internals = /\.(listener|engine)\b|getResponsePduForRequest|sendResponse|createReportResponseMessage|\bsend\s*=/;
    const using = filesOf('standalone')
      .concat(filesOf('demo'))
      .filter((f) => !f.endsWith('net-snmp-adapter.ts') && !f.endsWith('.d.ts'))
      .filter((f) => internals.test(readFileSync(f, 'utf8')));
    expect(using.map((f) => f.slice(SRC.length + 1))).toEqual([]);
  });
});
