/**
 * promtool (Debian package prometheus) for tests, and what a test needs to
 * know of examples/prometheus/bonding.rules.yml to predict its alerts.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findBinary } from '../support/binaries.js';

export interface ToolResult {
  readonly code: number | null;
  readonly output: string;
}

export function promtoolBinary(): string {
  try {
    return findBinary('promtool');
  } catch {
    throw new Error('promtool not found: install the Debian package prometheus');
  }
}

/** Runs promtool with `args` in `cwd`; never throws on a non-zero exit. */
export function promtool(args: readonly string[], cwd: string): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(promtoolBinary(), args, { cwd, timeout: 120_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const err = error as (Error & { code?: number | string }) | null;
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, output: stdout + stderr });
    });
  });
}

export interface AlertRule {
  readonly alert: string;
  readonly severity: string;
  readonly summary: string;
  readonly description: string;
}

/**
 * The alerting rules of a rules file written as ours is (`- alert: NAME`,
 * then `severity:`, `summary: "…"`, `description: "…"` lines): a reader of
 * that file's layout, not of YAML in general; it throws on anything else.
 */
export function readAlertRules(file: string): Map<string, AlertRule> {
  const rules = new Map<string, AlertRule>();
  const chunks = readFileSync(file, 'utf8').split(/^\s*- alert: /m).slice(1);
  for (const chunk of chunks) {
    const alert = chunk.slice(0, chunk.indexOf('\n')).trim();
    const field = (key: string, quoted: boolean): string => {
      const re = quoted ? new RegExp(`^\\s*${key}: "([^"\\\\]*)"$`, 'm') : new RegExp(`^\\s*${key}: (\\w+)$`, 'm');
      const m = re.exec(chunk);
      if (!m) throw new Error(`${file}: alert ${alert} has no ${key} line this reader understands`);
      return m[1]!;
    };
    rules.set(alert, { alert, severity: field('severity', false), summary: field('summary', true), description: field('description', true) });
  }
  return rules;
}

/**
 * Renders an annotation template that uses only `{{ $labels.NAME }}` and
 * `{{ $value }}` (what ours use); throws on anything else, so a richer
 * template cannot be mis-predicted silently.
 */
export function renderTemplate(template: string, labels: Readonly<Record<string, string>>, value: number): string {
  const out = template.replace(/\{\{ \$labels\.([a-zA-Z_][a-zA-Z0-9_]*) \}\}|\{\{ \$value \}\}/g, (whole, name: string | undefined) => {
    if (name === undefined) return String(value);
    const v = labels[name];
    if (v === undefined) throw new Error(`template ${template} uses label ${name}, which the alert does not have`);
    return v;
  });
  if (out.includes('{{')) throw new Error(`template not understood by this test: ${template}`);
  return out;
}
