// Reaching into a second network namespace without a process start per
// change: its sysfs, mounted once from inside it, is writable from here, and
// one long-lived `ip -batch` in it takes the commands sysfs cannot express.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/**
 * sysfs shows the network devices of the namespace that mounted it, whoever
 * reads it later: mounting it through `nsenter --net` (which keeps our mount
 * namespace) gives this process a view of the other namespace's links.
 * @param {string} netns a name under /run/netns
 * @param {string} mountPoint
 * @returns {string} the mount point's class/net directory
 */
export function mountNetnsSysfs(netns, mountPoint) {
  mkdirSync(mountPoint, { recursive: true });
  execFileSync('nsenter', [`--net=/run/netns/${netns}`, 'mount', '-t', 'sysfs', 'sysfs', mountPoint]);
  return `${mountPoint}/class/net`;
}

/**
 * One `ip -batch -` kept running (in a namespace when given): each line
 * written is run at once, so a change costs a pipe write, not a process.
 * ip stops at the first failing command; its stderr is kept for the error.
 */
export class IpShell {
  /** @param {string | undefined} netns */
  constructor(netns) {
    const args = netns === undefined ? ['-batch', '-'] : ['-n', netns, '-batch', '-'];
    this.child = spawn('ip', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    /** @type {string} */
    this.stderr = '';
    this.child.stderr?.setEncoding('utf8').on('data', (chunk) => {
      this.stderr += chunk;
    });
    /** @type {number | null} */
    this.exitCode = null;
    this.child.on('exit', (code) => {
      this.exitCode = code ?? -1;
    });
  }

  /**
   * @param {string} command iproute2 command without the leading `ip`
   * @returns {number} performance.now() once the line is handed to ip
   */
  run(command) {
    if (this.exitCode !== null) throw new Error(`ip -batch exited (${this.exitCode}): ${this.stderr.trim()}`);
    this.child.stdin?.write(`${command}\n`);
    return performance.now();
  }

  /** Closes ip's input and waits (bounded) for it to exit. */
  async close() {
    this.child.stdin?.end();
    const deadline = performance.now() + 5000;
    while (this.exitCode === null && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (this.exitCode === null && this.child.pid !== undefined) process.kill(this.child.pid, 'SIGKILL');
  }
}
