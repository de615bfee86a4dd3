// The agent under test, started once as a real process (`bonding-agentx
// run`), its JSON log written to a file the scenario reads and the host keeps.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKernelFile, sleep } from './net.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * @typedef {{ readonly msg: string, readonly time: number, readonly level: number } & Record<string, unknown>} AgentLogLine
 */

export class Agent {
  /**
   * @param {{ readonly agentxSocket: string, readonly logPath: string, readonly args?: readonly string[] }} options
   */
  constructor(options) {
    this.logPath = options.logPath;
    const fd = openSync(options.logPath, 'a');
    const args = [join(REPO, 'bin', 'bonding-agentx.js'), 'run', '--agentx-socket', options.agentxSocket, ...(options.args ?? [])];
    this.child = spawn(process.execPath, args, { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    /** @type {number | null} */
    this.exitCode = null;
    this.child.on('exit', (code, signal) => {
      this.exitCode = code ?? (signal === null ? -1 : 128);
    });
    this.pid = this.child.pid;
    // Never outlive the driver, however it ends.
    process.on('exit', () => {
      if (this.exitCode === null && this.pid !== undefined) process.kill(this.pid, 'SIGKILL');
    });
  }

  /** @returns {AgentLogLine[]} every JSON line logged so far */
  log() {
    /** @type {AgentLogLine[]} */
    const lines = [];
    for (const line of (readKernelFile(this.logPath) ?? '').split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(line));
      } catch {
        // A line being written.
      }
    }
    return lines;
  }

  /** Throws when the agent is no longer running. */
  assertAlive() {
    if (this.exitCode !== null) throw new Error(`the agent exited (${this.exitCode}); see its log ${this.logPath}`);
  }

  /**
   * SIGHUP: the agent re-reads everything at once (and tells whatever that
   * read finds changed). Resolves once its log says it took the signal.
   * @param {number} timeoutMs
   */
  async reread(timeoutMs = 10_000) {
    this.assertAlive();
    const said = () => this.log().filter((l) => l.msg === 'SIGHUP: re-reading everything').length;
    const before = said();
    if (this.pid !== undefined) process.kill(this.pid, 'SIGHUP');
    const deadline = performance.now() + timeoutMs;
    while (said() === before) {
      if (performance.now() > deadline) throw new Error(`the agent did not log taking SIGHUP within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /** SIGTERM, then SIGKILL after a bounded wait. @returns {Promise<number | null>} its exit status */
  async stop() {
    if (this.exitCode === null && this.pid !== undefined) {
      process.kill(this.pid, 'SIGTERM');
      const deadline = performance.now() + 10_000;
      while (this.exitCode === null && performance.now() < deadline) await sleep(50);
      if (this.exitCode === null) process.kill(this.pid, 'SIGKILL');
    }
    return this.exitCode;
  }
}
