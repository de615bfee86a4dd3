/** `bonding-agentx dump`: print what the reader sees, as a table or as JSON. */
import { missingRoot, readSnapshot } from '../bonding/index.js';
import { snapshotJson, snapshotTable } from '../dump/snapshot-text.js';
import { EXIT_OK, type CommandIo } from './command-io.js';
import { booleanFlag, ConfigurationError, ROOT_FLAGS, rootsOf, runWithFlags, type CommandSpec } from './flags.js';

export const DUMP: CommandSpec = {
  name: 'dump',
  synopsis: '[--sysfs DIR] [--procfs DIR] [--json]',
  description: "Read the bonding driver's state once and print it.",
  flags: [
    ...ROOT_FLAGS,
    { name: 'json', type: 'boolean', help: 'print JSON ({"bonds": [...]}; values the kernel did not give are null)' },
  ],
  footer:
    'Warnings about unreadable or malformed kernel files go to stderr, one per line; they do not change the exit status. ' +
    'Exit status: 0 done, 2 bad usage or a root directory that does not exist.',
};

export function dumpCommand(args: readonly string[], io: CommandIo): Promise<number> {
  return runWithFlags(DUMP, args, io, async (values) => {
    const roots = rootsOf(values);
    const problem = await missingRoot(roots);
    if (problem) throw new ConfigurationError(problem);
    const snapshot = await readSnapshot(roots);
    for (const w of snapshot.warnings) {
      io.stderr(`bonding-agentx dump: warning: ${w.file}${w.line === undefined ? '' : `:${w.line}`}: ${w.message}\n`);
    }
    io.stdout(booleanFlag(values, 'json') ? snapshotJson(snapshot) : snapshotTable(snapshot));
    return EXIT_OK;
  });
}
