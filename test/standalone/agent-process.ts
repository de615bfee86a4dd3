import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnManaged, type ManagedProcess } from '../support/managed-process.js';
import { freeUdpPort, snmpCmd } from '../support/net-snmp.js';

export const REPO = join(import.meta.dirname, '..', '..');
export const BIN = join(REPO, 'bin', 'bonding-agentx.js');

export interface RunningAgent {
  readonly process: ManagedProcess;
  readonly port: number;
  readonly target: string;
}

/**
 * Starts `bonding-agentx run --standalone udp:127.0.0.1:<free port>` with
 * `args`, and waits until it answers `probe` (an snmpget argument list
 * without the target). A port taken between the probe and the bind makes the
 * agent exit: then another port is tried.
 */
export async function startStandaloneAgent(args: readonly string[], probe: readonly string[]): Promise<RunningAgent> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeUdpPort();
    const target = `127.0.0.1:${port}`;
    const proc = await spawnManaged(process.execPath, [BIN, 'run', '--standalone', `udp:${target}`, ...args], process.env);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && proc.isRunning()) {
      const r = await snmpCmd('snmpget', ['-t', '0.5', '-r', '0', ...probe, target, '1.3.6.1.2.1.1.3.0']);
      if (r.code === 0) return { process: proc, port, target };
      await sleep(100);
    }
    const output = proc.output();
    await proc.stop();
    if (attempt >= 3 || !/EADDRINUSE/.test(output)) throw new Error(`standalone agent did not answer on ${target}:\n${output}`);
  }
}
