// Quick mode: `BENCH_QUICK=1 node bench/X.js` runs a benchmark once with few
// runs and small sizes, to prove that it still runs (CI does this for every
// benchmark: `npm run bench:quick`). Its figures mean nothing. A benchmark
// that honours it says so in a comment line starting with
// "// Quick mode (BENCH_QUICK=1):", which bench/lib/run-quick.js looks for.
// Flags given on the command line still win over the quick defaults.

export const QUICK = process.env.BENCH_QUICK === '1';

/** `full` normally, `small` in quick mode. */
export function quick(full, small) {
  return QUICK ? small : full;
}

/** Exit status of a benchmark that cannot run on this machine (no privilege, no tool): the runner reports it as skipped. */
export const EXIT_SKIP = 77;

/** Says why, and exits with EXIT_SKIP. */
export function skip(reason) {
  console.error(`skipped: ${reason}`);
  process.exit(EXIT_SKIP);
}
