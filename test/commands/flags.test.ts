import { describe, expect, it } from 'vitest';
import { COMMANDS, main } from '../../src/cli.js';
import { CHECK } from '../../src/commands/check-options.js';
import { DEMO } from '../../src/commands/demo.js';
import { DUMP } from '../../src/commands/dump.js';
import { logLevelOf, parseFlags, secondsFlag, UsageError, usage, type CommandSpec } from '../../src/commands/flags.js';
import { RUN } from '../../src/commands/run.js';

/** Every command's flag table: the same that COMMANDS runs (checked below). */
const SPECS: readonly CommandSpec[] = [RUN, DEMO, DUMP, CHECK];

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const SPEC: CommandSpec = {
  name: 'probe',
  synopsis: '[options]',
  description: 'A command for this test.',
  flags: [
    { name: 'every', type: 'string', arg: 'SEC', help: 'how often' },
    { name: 'tag', type: 'string', multiple: true, arg: 'T', help: 'a tag (repeatable)', group: 'More' },
    { name: 'quiet', type: 'boolean', help: 'say less' },
  ],
};

describe('command flags', () => {
  it("every command's --help names each of its flags, with its argument", async () => {
    expect(SPECS.map((s) => s.name).sort()).toEqual(Object.keys(COMMANDS).sort());
    for (const spec of SPECS) {
      const name = spec.name;
      const help = await run(name, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout.startsWith(`Usage: bonding-agentx ${name} `)).toBe(true);
      for (const flag of spec.flags) {
        expect(help.stdout).toContain(`--${flag.name}${flag.type === 'string' ? ` ${flag.arg}` : ''}`);
      }
      expect(help.stdout).toContain('-h, --help');
    }
  });

  it('help puts grouped flags under their heading and wraps at 79 columns', () => {
    const text = usage(SPEC);
    expect(text).toContain(
      ['Options:', '  --every SEC            how often', '  --quiet                say less', '  -h, --help             show this help', '', 'More:', '  --tag T                a tag (repeatable)'].join('\n'),
    );
    for (const line of usage(RUN).split('\n')) expect(line.length).toBeLessThanOrEqual(79);
  });

  it('parses, and refuses an unknown flag or a missing value as bad usage', () => {
    expect(parseFlags(SPEC, ['--every', '2', '--tag', 'a', '--tag', 'b', '--quiet'])).toMatchObject({ every: '2', tag: ['a', 'b'], quiet: true });
    expect(() => parseFlags(SPEC, ['--evry', '2'])).toThrow(UsageError);
    expect(() => parseFlags(SPEC, ['--every'])).toThrow(UsageError);
    expect(() => parseFlags(SPEC, ['stray'])).toThrow(UsageError);
  });

  it('seconds and log levels: defaults, decimals, and a clear refusal naming the flag', () => {
    expect(secondsFlag({}, 'every', 5, 0.05)).toBe(5000);
    expect(secondsFlag({ every: '0.25' }, 'every', 5, 0.05)).toBe(250);
    expect(() => secondsFlag({ every: '0.01' }, 'every', 5, 0.05)).toThrow('--every wants a number of seconds >= 0.05, not "0.01"');
    expect(() => secondsFlag({ every: '' }, 'every', 5, 0)).toThrow(UsageError);
    expect(logLevelOf({}, 'info')).toBe('info');
    expect(logLevelOf({ 'log-level': 'debug' }, 'info')).toBe('debug');
    expect(() => logLevelOf({ 'log-level': 'loud' }, 'info')).toThrow(/--log-level wants one of fatal, error, warn, info, debug, trace, silent/);
  });

  it('every command answers bad usage with one line, a hint, and exit 2 (check: as a monitoring plugin, UNKNOWN)', async () => {
    const plugin = await run('check', '--no-such-flag');
    expect(plugin).toMatchObject({ code: 3, stdout: 'BONDING UNKNOWN - unknown flag --no-such-flag (see bonding-agentx check --help)\n' });
    for (const name of Object.keys(COMMANDS).filter((n) => n !== 'check')) {
      const r = await run(name, '--no-such-flag');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^bonding-agentx ${name}: .*--no-such-flag.*\\nTry 'bonding-agentx ${name} --help'\\.\\n$`));
    }
    const level = await run('run', '--log-level', 'loud');
    expect(level).toMatchObject({ code: 2, stderr: expect.stringContaining('--log-level wants one of') });
    const demo = await run('demo', '--interval', '0.1');
    expect(demo).toMatchObject({ code: 2, stderr: expect.stringContaining('--interval wants a number of seconds >= 0.2') });
  });
});
