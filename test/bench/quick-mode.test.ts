/**
 * Every benchmark runs in CI in quick mode (`npm run bench:quick`, which
 * also fails on a benchmark that does not declare it); this says so earlier,
 * in `npm test`: each bench/*.js has the declaration line and takes its sizes
 * from bench/lib/quick.js.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BENCH = join(import.meta.dirname, '..', '..', 'bench');
const benches = readdirSync(BENCH).filter((f) => f.endsWith('.js')).sort();

describe('benchmarks in quick mode', () => {
  it('there are benchmarks', () => {
    expect(benches.length).toBeGreaterThan(0);
  });

  for (const file of benches) {
    it(`${file} declares quick mode and honours BENCH_QUICK through bench/lib/quick.js`, () => {
      const text = readFileSync(join(BENCH, file), 'utf8');
      expect(text).toMatch(/^\/\/ Quick mode \(BENCH_QUICK=1\): \S/m);
      expect(text).toMatch(/from '\.\/lib\/quick\.js'/);
    });
  }
});
