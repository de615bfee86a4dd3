// Preloaded with --import by bench/check-local.js: when the process exits, it
// writes the CPU time it used (user + system, all threads, since it started)
// on stderr, as `cpu-ms <n>`. CPU time moves far less with the machine's load
// than wall time does.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`cpu-ms ${((user + system) / 1000).toFixed(2)}\n`);
});
