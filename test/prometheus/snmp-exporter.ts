/**
 * Debian's prometheus-snmp-exporter for tests: one process on a loopback TCP
 * port, with the config file given, stopped by PID; and the Prometheus text
 * format it answers, parsed.
 */
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { findBinary } from '../support/binaries.js';
import { spawnManaged, type ManagedProcess } from '../support/managed-process.js';

export interface RunningExporter {
  readonly process: ManagedProcess;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** GET /snmp?module=…&target=…: the body; throws on a status other than 200. */
  scrape(module: string, target: string): Promise<string>;
}

async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function exporterBinary(): string {
  try {
    return findBinary('prometheus-snmp-exporter');
  } catch {
    throw new Error('prometheus-snmp-exporter not found: install the Debian package prometheus-snmp-exporter');
  }
}

/** Starts the exporter with `configFile` and waits until it answers on /metrics. */
export async function startSnmpExporter(configFile: string): Promise<RunningExporter> {
  const binary = exporterBinary();
  for (let attempt = 1; ; attempt++) {
    const port = await freeTcpPort();
    const url = `http://127.0.0.1:${port}`;
    const proc = await spawnManaged(binary, [`--config.file=${configFile}`, `--web.listen-address=127.0.0.1:${port}`], process.env);
    const deadline = Date.now() + 15_000;
    let up = false;
    while (!up && Date.now() < deadline && proc.isRunning()) {
      up = await fetch(`${url}/metrics`).then(
        (r) => r.ok,
        () => false,
      );
      if (!up) await sleep(50);
    }
    if (up) {
      return {
        process: proc,
        url,
        scrape: async (module, target) => {
          const r = await fetch(`${url}/snmp?module=${encodeURIComponent(module)}&target=${encodeURIComponent(target)}`);
          const body = await r.text();
          if (r.status !== 200) throw new Error(`scrape of ${target} answered ${r.status}: ${body}`);
          return body;
        },
      };
    }
    const output = proc.output();
    await proc.stop();
    if (attempt >= 3 || !/address already in use/.test(output)) throw new Error(`snmp_exporter did not answer on ${url}:\n${output}`);
  }
}

/** One sample of the text format: name, labels, value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A sample's identity: name and labels, sorted (`name{a="1",b="2"}`). */
export function seriesKey(name: string, labels: Readonly<Record<string, string>>): string {
  const body = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
  return `${name}{${body}}`;
}

/** Parses the Prometheus text exposition format (comments skipped). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] ?? '';
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;
    let consumed = 0;
    for (const l of body.matchAll(re)) {
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      consumed += l[0].length;
    }
    if (consumed !== body.length) throw new Error(`labels not understood: ${line}`);
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}
