// One fresh process of the check, timed from the inside: how long Node took to
// reach user code, to load the check's modules, and to run it. With
// `read=lean|full` it instead loads and runs one local reader on its own, cold,
// as the check would: the lean read (src/check/read-local.ts) or the full
// reader (readSnapshot, then the check's adapter). Prints one JSON line.
// Usage: node bench/lib/check-phases.js SYSFS PROCFS [check|lean|full]
const reachedUserCode = performance.now();
const [sysfs, procfs, what = 'check'] = process.argv.slice(2);
const roots = { sysfs, procfs };
const t0 = performance.now();
let loaded;
let bonds;
if (what === 'check') {
  const { checkCommand } = await import('../../dist/commands/check.js');
  loaded = performance.now();
  let out = '';
  await checkCommand(['--sysfs', sysfs, '--procfs', procfs], { stdout: (t) => (out += t), stderr: () => {} });
  bonds = out.split('\n').filter((l) => l.startsWith('[')).length;
} else if (what === 'lean') {
  const { readLocal } = await import('../../dist/check/read-local.js');
  loaded = performance.now();
  bonds = (await readLocal(roots)).bonds.length;
} else {
  const [{ readSnapshot }, { checkInputOf }] = await Promise.all([
    import('../../dist/bonding/read-snapshot.js'),
    import('../../dist/check/from-snapshot.js'),
  ]);
  loaded = performance.now();
  bonds = checkInputOf(await readSnapshot(roots)).bonds.length;
}
const done = performance.now();
process.stdout.write(`${JSON.stringify({ what, bonds, nodeStart: reachedUserCode, load: loaded - t0, run: done - loaded })}\n`);
