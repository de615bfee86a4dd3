// Preloaded (--import) into a check process by remote.e2e.test.ts: when the
// process exits it writes on stderr how long after its own start that was
// (performance.now() counts from the process's time origin). The check itself
// writes nothing on stderr, so this line is the only one there.
process.on('exit', () => process.stderr.write(`exit-at-ms ${performance.now().toFixed(0)}\n`));
