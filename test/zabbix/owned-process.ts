/**
 * Daemons the Zabbix suite starts (PostgreSQL, zabbix_server, php -S,
 * snmptrapd), possibly as another user, with the processes they fork:
 * zabbix_server's workers, its HA manager among them, can outlive the main
 * process, so the children are remembered by PID (and start time, so a
 * recycled PID is never signalled) and killed if still there after the stop.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { spawnManaged, type ManagedProcess } from '../support/managed-process.js';

export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/** A managed process (stopped by PID, killed if the suite dies) whose output is its last 256 KiB. */
export interface OwnedProcess extends Omit<ManagedProcess, 'stop'> {
  /** Remembers the descendants it has now; returns their PIDs. */
  adoptDescendants(): number[];
  /** PIDs of remembered descendants that are still alive. */
  survivors(): number[];
  /**
   * `signal` (SIGTERM by default) to the process itself, SIGKILL after
   * `graceMs`; then SIGKILL to every remembered descendant still alive.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const OUTPUT_LIMIT = 256 * 1024;
const adopted = new Map<number, string>(); // pid -> start time

/** The start time field of /proc/PID/stat, or undefined when the PID is gone. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function descendantsOf(root: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const ppid = parentOf(pid);
    if (ppid === undefined) continue;
    byParent.set(ppid, [...(byParent.get(ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of byParent.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

const alive = (pid: number, started: string): boolean => startTime(pid) === started;

function killAdopted(pids: Iterable<number>): void {
  for (const pid of pids) {
    const started = adopted.get(pid);
    if (started !== undefined && alive(pid, started)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
}

// Safety net for a suite that failed before its afterAll: no descendant of
// what it started survives it (managed-process kills the processes
// themselves). A test runner ends its workers with SIGTERM, where 'exit'
// handlers do not run; after killing ours, let the signal do what it would.
const killAll = (): void => killAdopted(adopted.keys());
process.once('exit', killAll);
const onSigterm = (): void => {
  killAll();
  process.off('SIGTERM', onSigterm);
  if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
};
process.on('SIGTERM', onSigterm);

export async function spawnOwned(
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; runAs?: RunAs | undefined } = {},
): Promise<OwnedProcess> {
  const proc = await spawnManaged(file, args, options.env ?? process.env, {
    cwd: options.cwd,
    runAs: options.runAs,
    outputLimit: OUTPUT_LIMIT,
  });
  const mine = new Set<number>();
  const survivors = (): number[] => [...mine].filter((pid) => alive(pid, adopted.get(pid)!));
  const adoptDescendants = (): number[] => {
    if (!proc.isRunning()) return [];
    const found = descendantsOf(proc.pid);
    for (const pid of found) {
      const started = startTime(pid);
      if (started === undefined) continue;
      adopted.set(pid, started);
      mine.add(pid);
    }
    return found;
  };
  return {
    pid: proc.pid,
    name: proc.name,
    exited: proc.exited,
    isRunning: proc.isRunning,
    output: proc.output,
    kill9: proc.kill9,
    adoptDescendants,
    survivors,
    stop: async (signal = 'SIGTERM', graceMs = 10_000) => {
      adoptDescendants();
      await proc.stop(graceMs, signal);
      // Workers the main process did not take down with it.
      const deadline = Date.now() + 3000;
      while (survivors().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      killAdopted(survivors());
      const left = Date.now() + 2000;
      while (survivors().length > 0 && Date.now() < left) await new Promise((r) => setTimeout(r, 50));
      if (survivors().length > 0) throw new Error(`${file}: children ${survivors().join(', ')} survived SIGKILL`);
    },
  };
}
