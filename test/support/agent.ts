/**
 * `bonding-agentx run` as a user starts it, for end-to-end tests: through
 * snmpd (AgentX) or on its own (--standalone), on a tree of files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Roots } from '../../src/bonding/index.js';
import { REPO } from './fixture-host.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import { freeUdpPort, snmpCmd } from './net-snmp.js';

export const BIN = join(REPO, 'bin', 'bonding-agentx.js');

/**
 * Flags that make reads happen only when the test asks (SIGHUP): no link
 * events, a poll too slow to interfere.
 */
export const READ_ON_SIGHUP = ['--no-link-events', '--poll-interval', '3600'] as const;

const rootArgs = (roots: Roots): string[] => ['--sysfs', roots.sysfs, '--procfs', roots.procfs];

/** `bonding-agentx run --agentx-socket SOCKET` on `roots`, reading on SIGHUP only unless `args` says otherwise. */
export function startAgentX(agentxSocket: string, roots: Roots, args: readonly string[] = READ_ON_SIGHUP): Promise<ManagedProcess> {
  return spawnManaged(process.execPath, [BIN, 'run', '--agentx-socket', agentxSocket, ...rootArgs(roots), ...args], process.env);
}

/** Tells a running agent to read everything now. */
export function reread(agent: ManagedProcess): void {
  process.kill(agent.pid, 'SIGHUP');
}

export interface RunningStandalone {
  readonly process: ManagedProcess;
  readonly port: number;
  readonly target: string;
}

/**
 * Starts `bonding-agentx run --standalone udp:127.0.0.1:<free port>` with
 * `args`, and waits until it answers `probe` (an snmpget argument list
 * without the target). A port taken between the probe and the bind makes the
 * agent exit: then another port is tried. Without a `--state-dir` in `args`,
 * the engine state goes to a temp dir removed when the process is stopped,
 * never to the default under /var/lib.
 */
export async function startStandaloneAgent(args: readonly string[], probe: readonly string[]): Promise<RunningStandalone> {
  const stateDir = args.includes('--state-dir') ? undefined : mkdtempSync(join(tmpdir(), 'bonding-agentx-state-'));
  const stateArgs = stateDir === undefined ? [] : ['--state-dir', stateDir];
  const removeState = () => {
    if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
  };
  for (let attempt = 1; ; attempt++) {
    const port = await freeUdpPort();
    const target = `127.0.0.1:${port}`;
    const proc = await spawnManaged(process.execPath, [BIN, 'run', '--standalone', `udp:${target}`, ...stateArgs, ...args], process.env);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && proc.isRunning()) {
      const r = await snmpCmd('snmpget', ['-t', '0.5', '-r', '0', ...probe, target, '1.3.6.1.2.1.1.3.0']);
      if (r.code === 0) {
        const stop = proc.stop.bind(proc);
        const managed: ManagedProcess = {
          pid: proc.pid,
          name: proc.name,
          exited: proc.exited,
          isRunning: () => proc.isRunning(),
          output: () => proc.output(),
          kill9: () => proc.kill9(),
          stop: async (graceMs?: number) => {
            await stop(graceMs);
            removeState();
          },
        };
        return { process: managed, port, target };
      }
      await sleep(100);
    }
    const output = proc.output();
    await proc.stop();
    if (attempt >= 3 || !/EADDRINUSE/.test(output)) {
      removeState();
      throw new Error(`standalone agent did not answer on ${target}:\n${output}`);
    }
  }
}

export { rootArgs };
