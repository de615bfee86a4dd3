/**
 * Daemons the Zabbix suite starts (PostgreSQL, zabbix_server, php -S,
 * snmptrapd), possibly as another user, with the processes they fork:
 * zabbix_server's workers, its HA manager among them, can outlive the main
 * process, so the children are remembered by PID (and start time, so a
 * recycled PID is never signalled) and killed if still there after the stop.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

export interface OwnedProcess {
  readonly pid: number;
  readonly name: string;
  readonly exited: Promise<number | null>;
  isRunning(): boolean;
  /** What it wrote on stdout and stderr (the last 256 KiB). */
  output(): string;
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
const owned = new Set<OwnedProcess>();
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

function killAll(): void {
  for (const p of owned) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  killAdopted(adopted.keys());
}

// Safety net for a suite that failed before its afterAll: nothing it started
// survives it. A test runner ends its workers with SIGTERM, where 'exit'
// handlers do not run; after killing ours, let the signal do what it would.
process.once('exit', killAll);
const onSigterm = (): void => {
  killAll();
  process.off('SIGTERM', onSigterm);
  if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
};
process.on('SIGTERM', onSigterm);

export function spawnOwned(
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; runAs?: RunAs | undefined } = {},
): Promise<OwnedProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {}),
    });
    let out = '';
    let running = true;
    const mine = new Set<number>();
    const append = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      if (out.length > OUTPUT_LIMIT) out = out.slice(out.length - OUTPUT_LIMIT);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const exited = new Promise<number | null>((done) => {
      child.once('exit', (code) => {
        running = false;
        owned.delete(proc);
        done(code);
      });
    });
    const waitExit = async (ms: number): Promise<boolean> => {
      if (!running) return true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((done) => (timer = setTimeout(() => done(false), ms)));
      const gone = await Promise.race([exited.then(() => true as const), timeout]);
      clearTimeout(timer);
      return gone;
    };
    const survivors = (): number[] => [...mine].filter((pid) => alive(pid, adopted.get(pid)!));
    const proc: OwnedProcess = {
      pid: -1,
      name: file,
      exited,
      isRunning: () => running,
      output: () => out,
      adoptDescendants: () => {
        if (!running) return [];
        const found = descendantsOf(child.pid!);
        for (const pid of found) {
          const started = startTime(pid);
          if (started === undefined) continue;
          adopted.set(pid, started);
          mine.add(pid);
        }
        return found;
      },
      survivors,
      stop: async (signal = 'SIGTERM', graceMs = 10_000) => {
        proc.adoptDescendants();
        if (running) {
          child.kill(signal);
          if (!(await waitExit(graceMs))) {
            child.kill('SIGKILL');
            if (!(await waitExit(5000))) throw new Error(`${file} (pid ${child.pid}) survived SIGKILL`);
          }
        }
        // Workers the main process did not take down with it.
        const deadline = Date.now() + 3000;
        while (survivors().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        killAdopted(survivors());
        const left = Date.now() + 2000;
        while (survivors().length > 0 && Date.now() < left) await new Promise((r) => setTimeout(r, 50));
        if (survivors().length > 0) throw new Error(`${file}: children ${survivors().join(', ')} survived SIGKILL`);
      },
    };
    child.once('error', (err) => {
      running = false;
      reject(err);
    });
    child.once('spawn', () => {
      Object.defineProperty(proc, 'pid', { value: child.pid });
      owned.add(proc);
      resolve(proc);
    });
  });
}
