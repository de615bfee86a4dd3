// Cost of one MibView.getNext as the table grows: O(log n) means 100x more
// rows costs a few more comparisons, not 100x the time.
// Run after `npm run build`: node bench/mib-getnext.js
// Quick mode (BENCH_QUICK=1): 200 and 2,000 rows, one short batch each.
import { performance } from 'node:perf_hooks';
import { MibViewBuilder, integerIndex } from '../dist/mib/index.js';
import { snmp } from '../dist/snmp/index.js';
import { quick } from './lib/quick.js';

const ENTRY = [1, 3, 6, 1, 4, 1, 99999, 2, 1];
const COLUMNS = [1, 2, 3, 4, 5];

function viewWith(rows) {
  const b = new MibViewBuilder().scalar([1, 3, 6, 1, 4, 1, 99999, 1], snmp.integer(rows)).table(ENTRY, COLUMNS);
  for (let i = 1; i <= rows; i++) {
    b.row(ENTRY, integerIndex(i), {
      1: snmp.integer(i),
      2: snmp.octetString(`eth${i}`),
      3: snmp.counter32(i * 7),
      4: snmp.gauge32(1000),
      5: snmp.oid([1, 3, 6, 1, 2, 1, 2, 2, 1, 1, i]),
    });
  }
  return b.build();
}

/** Random starts (on and between instances) so the branch predictor and caches do not flatter us. */
function starts(rows, n) {
  const out = [];
  let seed = 12345;
  for (let k = 0; k < n; k++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const column = COLUMNS[seed % COLUMNS.length];
    const row = 1 + (seed % rows);
    out.push(seed & 1 ? [...ENTRY, column, row] : [...ENTRY, column, row, 0]);
  }
  return out;
}

function measure(rows) {
  const buildStart = performance.now();
  const view = viewWith(rows);
  const buildMs = performance.now() - buildStart;
  const queries = starts(rows, 10_000);
  const iterations = quick(50_000, 2_000);
  let sink = 0;
  for (let i = 0; i < quick(20_000, 1_000); i++) sink += view.getNext(queries[i % queries.length], false)?.oid.length ?? 0; // warm-up
  // The fastest of several batches: the least disturbed by GC and by other load on the machine.
  let ns = Infinity;
  for (let batch = 0; batch < quick(9, 1); batch++) {
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) sink += view.getNext(queries[i % queries.length], false)?.oid.length ?? 0;
    ns = Math.min(ns, ((performance.now() - t0) * 1e6) / iterations);
  }
  // keeps the sink alive, so the loops are not optimised away
  if (sink < 0) console.log(sink);
  return { rows, instances: view.size, buildMs, ns };
}

const results = quick([200, 2_000, 20_000], [200, 2_000]).map(measure);
for (const r of results) {
  console.log(
    `rows=${String(r.rows).padStart(6)} instances=${String(r.instances).padStart(7)}  getNext ${r.ns.toFixed(0).padStart(5)} ns/op  (build ${r.buildMs.toFixed(1)} ms)`,
  );
}
const small = results[0];
const large = results[results.length - 1];
console.log(
  `getNext at ${large.rows} rows costs ${(large.ns / small.ns).toFixed(2)}x the cost at ${small.rows} rows ` +
    `(log2 ratio of instance counts: ${(Math.log2(large.instances) / Math.log2(small.instances)).toFixed(2)}x; linear would be ${(large.instances / small.instances).toFixed(0)}x)`,
);
