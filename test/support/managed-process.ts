import { spawn } from 'node:child_process';

/** A child process that tests own: stopped by PID, and killed when the test process exits. */
export interface ManagedProcess {
  readonly pid: number;
  readonly name: string;
  /** Resolves with the exit code (null after a signal) once the process is gone. */
  readonly exited: Promise<number | null>;
  isRunning(): boolean;
  /** Everything the process wrote on stdout and stderr so far. */
  output(): string;
  /** `signal` (SIGTERM by default), then SIGKILL when it has not exited after `graceMs`. */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<void>;
  kill9(): Promise<void>;
}

const running = new Set<ManagedProcess>();

function killAll(): void {
  for (const p of running) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

// Safety net for a test that failed before its afterAll: nothing we started
// outlives us. A test runner ends its workers with SIGTERM, where 'exit'
// handlers do not run; after killing ours, let the signal do what it would.
process.once('exit', killAll);
const onSigterm = (): void => {
  killAll();
  process.off('SIGTERM', onSigterm);
  if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
};
process.on('SIGTERM', onSigterm);

export interface SpawnOptions {
  readonly cwd?: string | undefined;
  /** Run as this user and group (the test runs as root). */
  readonly runAs?: { readonly uid: number; readonly gid: number } | undefined;
  /** Keep only the last this many characters of the output (a daemon's log may be long); all by default. */
  readonly outputLimit?: number | undefined;
}

export function spawnManaged(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: SpawnOptions = {},
): Promise<ManagedProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {}),
    });
    let out = '';
    let alive = true;
    const limit = options.outputLimit ?? Infinity;
    const append = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      if (out.length > limit) out = out.slice(out.length - limit);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const exited = new Promise<number | null>((done) => {
      child.once('exit', (code) => {
        alive = false;
        running.delete(managed);
        done(code);
      });
    });
    const signalAndWait = async (signal: NodeJS.Signals, graceMs: number): Promise<boolean> => {
      if (!alive) return true;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((done) => (timer = setTimeout(() => done(false), graceMs)));
      const gone = await Promise.race([exited.then(() => true as const), timedOut]);
      clearTimeout(timer);
      return gone;
    };
    const managed: ManagedProcess = {
      pid: -1,
      name: file,
      exited,
      isRunning: () => alive,
      output: () => out,
      stop: async (graceMs = 3000, signal = 'SIGTERM') => {
        if (await signalAndWait(signal, graceMs)) return;
        if (!(await signalAndWait('SIGKILL', 5000))) throw new Error(`${file} (pid ${child.pid}) survived SIGKILL`);
      },
      kill9: async () => {
        if (!(await signalAndWait('SIGKILL', 5000))) throw new Error(`${file} (pid ${child.pid}) survived SIGKILL`);
      },
    };
    child.once('error', (err) => {
      alive = false;
      reject(err);
    });
    child.once('spawn', () => {
      Object.defineProperty(managed, 'pid', { value: child.pid });
      running.add(managed);
      resolve(managed);
    });
  });
}
