/** Command-line entry: `bonding-agentx <command> [options]`. */
import { demoCommand, DEMO } from './commands/demo.js';
import { dumpCommand, DUMP } from './commands/dump.js';
import { runCommand, RUN } from './commands/run.js';
import { EXIT_OK, EXIT_USAGE, processIo, type CommandIo } from './commands/command-io.js';
import type { CommandSpec } from './commands/flags.js';
import { packageVersion } from './version.js';

export interface Command {
  /** One line for the command list in --help. */
  readonly summary: string;
  readonly spec: CommandSpec;
  readonly run: (args: readonly string[], io: CommandIo) => Promise<number>;
}

/** Every command; add one here and it appears in --help. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  run: { summary: 'serve LINUX-BONDING-MIB through snmpd (AgentX) or on its own (--standalone), and send notifications', spec: RUN, run: runCommand },
  demo: { summary: 'a simulated bonding host served by the embedded agent, notifications printed live', spec: DEMO, run: demoCommand },
  dump: { summary: "print the bonding driver's state once (table or --json)", spec: DUMP, run: dumpCommand },
};

export function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  const list = names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n]?.summary ?? ''}`).join('\n');
  return `Usage: bonding-agentx <command> [options]

Serves Linux bonding state to snmpd over AgentX (RFC 2741), or on its own.
First time? Try 'bonding-agentx demo'.

Commands:
${list}

Options:
  -h, --help     show this help ('bonding-agentx <command> --help' for a command's options)
  -V, --version  print the version

Exit status: 0 done, 1 failed, 2 bad usage.
`;
}

export async function main(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.stdout(usage());
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '-V' || first === '--version') {
    io.stdout(`bonding-agentx ${packageVersion()}\n`);
    return EXIT_OK;
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (command === undefined) {
    io.stderr(`bonding-agentx: unknown command ${JSON.stringify(first)}\nTry 'bonding-agentx --help'.\n`);
    return EXIT_USAGE;
  }
  return command.run(rest, io);
}
