/**
 * One way for every command to declare its flags, parse them, print its
 * `--help` (made from the same table, so it cannot drift from what is
 * parsed) and turn bad usage into one clear line and exit status 2.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ROOTS, type Roots } from '../bonding/types.js';
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../support/logger.js';
import { EXIT_OK, EXIT_USAGE, type CommandIo } from './command-io.js';

export interface FlagSpec {
  readonly name: string;
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** The argument's name in the help (`SEC`, `DIR`); string flags only. */
  readonly arg?: string;
  /** What it does, its default; wrapped to the help's width. */
  readonly help: string;
  /** The heading it is listed under; flags without one come first. */
  readonly group?: string;
}

export interface CommandSpec {
  readonly name: string;
  /** The line after "Usage: bonding-agentx NAME ". */
  readonly synopsis: string;
  /** Paragraphs before the options. */
  readonly description: string;
  readonly flags: readonly FlagSpec[];
  /** Paragraphs after the options (logs, signals, exit status). */
  readonly footer?: string;
}

/** Bad usage: the message names the flag; a hint to --help follows it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Flags that parse but cannot work (a root that does not exist, an unreadable config file): one line, exit 2. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

export type FlagValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

const HELP: FlagSpec = { name: 'help', type: 'boolean', short: 'h', help: 'show this help' };

/** The flags every command shares. */
export const ROOT_FLAGS: readonly FlagSpec[] = [
  { name: 'sysfs', type: 'string', arg: 'DIR', help: `sysfs root to read (default ${DEFAULT_ROOTS.sysfs})` },
  { name: 'procfs', type: 'string', arg: 'DIR', help: `procfs root to read (default ${DEFAULT_ROOTS.procfs})` },
];

export const logLevelFlag = (fallback: LogLevel, where = ''): FlagSpec => ({
  name: 'log-level',
  type: 'string',
  arg: 'LEVEL',
  help: `${where}${LOG_LEVELS.join(', ')} (default ${fallback})`,
});

export function parseFlags(spec: CommandSpec, args: readonly string[]): FlagValues {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const f of [...spec.flags, HELP]) {
    options[f.name] = { type: f.type, ...(f.multiple ? { multiple: true } : {}), ...(f.short ? { short: f.short } : {}) };
  }
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values as FlagValues;
  } catch (err) {
    throw usageErrorOf(err);
  }
}

/** node:util's parse errors, in plain words (its own long hint about '--' would only confuse). */
function usageErrorOf(err: unknown): UsageError {
  const { code, message } = err as { code?: string; message?: string };
  const quoted = /'([^']*)'/.exec(message ?? '')?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) return new UsageError(`unknown flag ${quoted}`);
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted !== undefined) return new UsageError(`unexpected argument ${JSON.stringify(quoted)}`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted) {
    // "Option '-v, --verbose' does not take an argument", "Option '--sysfs <value>' argument missing"
    const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
    return new UsageError(/missing/.test(message ?? '') ? `${flag} needs a value` : `${flag} takes no value`);
  }
  return new UsageError(message ?? String(err));
}

const WIDTH = 79;
const COLUMN = 25;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line);
  }
  return lines;
}

function flagLines(f: FlagSpec): string[] {
  const left = `  ${f.short ? `-${f.short}, ` : ''}--${f.name}${f.type === 'string' ? ` ${f.arg ?? 'VALUE'}` : ''}`;
  const help = wrap(f.help, WIDTH - COLUMN);
  const pad = ' '.repeat(COLUMN);
  if (left.length >= COLUMN - 1) return [left, ...help.map((h) => pad + h)];
  return help.map((h, i) => (i === 0 ? left.padEnd(COLUMN) + h : pad + h));
}

/** The command's --help, made from its spec. */
export function usage(spec: CommandSpec): string {
  const groups = new Map<string, FlagSpec[]>();
  const ungrouped = spec.flags.some((f) => f.group === undefined);
  const help: FlagSpec = ungrouped ? HELP : { ...HELP, group: spec.flags.at(-1)?.group };
  for (const f of ungrouped ? [...spec.flags.filter((f) => f.group === undefined), help, ...spec.flags.filter((f) => f.group !== undefined)] : [...spec.flags, help]) {
    const key = f.group ?? 'Options';
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const sections = [...groups].map(([title, flags]) => `${title}:\n${flags.flatMap(flagLines).join('\n')}`);
  return [
    `Usage: bonding-agentx ${spec.name} ${spec.synopsis}`,
    wrap(spec.description, WIDTH).join('\n'),
    ...sections,
    ...(spec.footer === undefined ? [] : [wrap(spec.footer, WIDTH).join('\n')]),
  ].join('\n\n') + '\n';
}

export const stringFlag = (values: FlagValues, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};
export const booleanFlag = (values: FlagValues, name: string): boolean => values[name] === true;
export const listFlag = (values: FlagValues, name: string): readonly string[] => {
  const v = values[name];
  return Array.isArray(v) ? v : [];
};

/** A number of seconds (decimals allowed) as milliseconds. */
export function secondsFlag(values: FlagValues, name: string, fallbackSeconds: number, minSeconds: number): number {
  const text = stringFlag(values, name);
  if (text === undefined) return fallbackSeconds * 1000;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < minSeconds) {
    throw new UsageError(`--${name} wants a number of seconds >= ${minSeconds}, not ${JSON.stringify(text)}`);
  }
  return Math.round(n * 1000);
}

export function logLevelOf(values: FlagValues, fallback: LogLevel): LogLevel {
  const text = stringFlag(values, 'log-level') ?? fallback;
  if (!isLogLevel(text)) throw new UsageError(`--log-level wants one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(text)}`);
  return text;
}

export function rootsOf(values: FlagValues): Roots {
  return { sysfs: stringFlag(values, 'sysfs') ?? DEFAULT_ROOTS.sysfs, procfs: stringFlag(values, 'procfs') ?? DEFAULT_ROOTS.procfs };
}

/**
 * Parses `args` for `spec` and runs `body` with the values; `--help` prints
 * the usage, bad usage prints one line and a hint (exit 2). What `body`
 * throws as a UsageError is bad usage too.
 */
export async function runWithFlags(
  spec: CommandSpec,
  args: readonly string[],
  io: CommandIo,
  body: (values: FlagValues) => Promise<number>,
): Promise<number> {
  let values: FlagValues;
  try {
    values = parseFlags(spec, args);
  } catch (err) {
    return usageFailure(spec, err, io);
  }
  if (values.help === true) {
    io.stdout(usage(spec));
    return EXIT_OK;
  }
  try {
    return await body(values);
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(spec, err, io);
    if (err instanceof ConfigurationError) {
      io.stderr(`bonding-agentx ${spec.name}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

function usageFailure(spec: CommandSpec, err: unknown, io: CommandIo): number {
  io.stderr(`bonding-agentx ${spec.name}: ${err instanceof Error ? err.message : String(err)}\nTry 'bonding-agentx ${spec.name} --help'.\n`);
  return EXIT_USAGE;
}
