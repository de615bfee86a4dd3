// Runs every benchmark once in quick mode (BENCH_QUICK=1: few runs, small
// sizes, no figure checked), one after another, so that a change that breaks
// a benchmark fails CI instead of leaving a stale figure in the README.
//
// Every bench/*.js must say how it honours quick mode, in a comment line
// starting with "// Quick mode (BENCH_QUICK=1):"; a benchmark without that
// line fails the run (a new benchmark cannot be forgotten). A benchmark that
// exits with status 77 could not run on this machine (no privilege, a tool
// missing) and is reported as skipped, with its reason.
//
// Usage (after npm run build; `npm run bench:quick` does both):
//   node bench/lib/run-quick.js [NAME ...]     NAME: a benchmark's file name, with or without .js
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_SKIP } from './quick.js';

const BENCH = join(dirname(fileURLToPath(import.meta.url)), '..');
const MARKER = /^\/\/ Quick mode \(BENCH_QUICK=1\):/m;
/** Bound on one benchmark's quick run; a hung benchmark is a broken one. */
const TIMEOUT_MS = Number(process.env.BENCH_QUICK_TIMEOUT_S ?? 300) * 1000;

const wanted = process.argv.slice(2).map((n) => basename(n).replace(/\.js$/, ''));
const all = readdirSync(BENCH).filter((f) => f.endsWith('.js')).sort();
const unknown = wanted.filter((n) => !all.includes(`${n}.js`));
if (unknown.length > 0) {
  console.error(`run-quick: no benchmark ${unknown.join(', ')} in bench/ (have: ${all.join(', ')})`);
  process.exit(2);
}
const files = wanted.length > 0 ? all.filter((f) => wanted.includes(f.replace(/\.js$/, ''))) : all;

/** Runs one benchmark, its output passed through with its name in front; resolves with its status and time. */
function runOne(file) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(BENCH, file)], {
      env: { ...process.env, BENCH_QUICK: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastErr = '';
    const relay = (stream, out) => {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop();
        for (const line of lines) {
          out.write(`  ${file}: ${line}\n`);
          if (out === process.stderr && line.trim() !== '') lastErr = line.trim();
        }
      });
      stream.on('end', () => {
        if (pending !== '') out.write(`  ${file}: ${pending}\n`);
      });
    };
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - t0) / 1000;
      if (timedOut) resolve({ status: 'FAILED', seconds, why: `no end within ${TIMEOUT_MS / 1000} s` });
      else if (code === 0) resolve({ status: 'ok', seconds });
      else if (code === EXIT_SKIP) resolve({ status: 'skipped', seconds, why: lastErr });
      else resolve({ status: 'FAILED', seconds, why: signal !== null ? `killed by ${signal}` : `exit status ${code}${lastErr ? `: ${lastErr}` : ''}` });
    });
  });
}

const started = performance.now();
const results = [];
for (const file of files) {
  if (!MARKER.test(readFileSync(join(BENCH, file), 'utf8'))) {
    results.push({ file, status: 'FAILED', seconds: 0, why: 'declares no quick mode (a comment line "// Quick mode (BENCH_QUICK=1): ...")' });
    continue;
  }
  console.log(`run-quick: ${file}`);
  results.push({ file, ...(await runOne(file)) });
}

const total = (performance.now() - started) / 1000;
console.log(`\nbenchmarks in quick mode (BENCH_QUICK=1), ${total.toFixed(1)} s in all:`);
for (const r of results) {
  console.log(`  ${r.status.padEnd(7)} ${r.file.padEnd(28)} ${r.seconds.toFixed(1).padStart(6)} s${r.why ? `  ${r.why}` : ''}`);
}
process.exitCode = results.some((r) => r.status === 'FAILED') ? 1 : 0;
