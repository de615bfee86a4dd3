// Small helpers for driving the kernel's network stack from inside the test
// VM. Every process start costs tens of milliseconds under emulation, so
// iproute2 commands go through one `ip -batch` process where possible.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/**
 * Runs iproute2 commands (without the leading `ip`) in one process.
 * @param {readonly string[]} commands
 * @param {{ readonly netns?: string, readonly json?: boolean }} [options]
 * @returns {string} what ip printed
 */
export function ipBatch(commands, options = {}) {
  const args = [];
  if (options.netns !== undefined) args.push('-n', options.netns);
  if (options.json === true) args.push('-j');
  args.push('-batch', '-');
  return execFileSync('ip', args, { input: commands.join('\n') + '\n', encoding: 'utf8' });
}

/**
 * Reads a sysfs/procfs file; `undefined` when the kernel refuses (EINVAL on
 * `speed` of a down link, for instance) or the file is gone.
 * @param {string} path
 * @returns {string | undefined}
 */
export function readKernelFile(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Polls until `check` returns a truthy value; throws after `timeoutMs`.
 * @template T
 * @param {() => T} check
 * @param {number} timeoutMs
 * @param {string} what what is awaited, for the error message
 * @param {number} [intervalMs]
 * @returns {Promise<T>}
 */
export async function waitFor(check, timeoutMs, what, intervalMs = 20) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * @param {string} name an interface name
 * @param {string} attribute a file under /sys/class/net/<name>/
 * @returns {string | undefined} the value without its trailing newline
 */
export function sysNet(name, attribute) {
  return readKernelFile(`/sys/class/net/${name}/${attribute}`)?.trim();
}

/**
 * Sets a link administratively up or down by writing its `flags` in sysfs:
 * no process start, so the moment the link changes is known to within a
 * file write (an `ip link set` costs a fifth of a second or more in the VM).
 * @param {string} name
 * @param {boolean} up
 * @param {string} [classNet] a sysfs class/net directory: another namespace's (see netns.js)
 * @returns {number} performance.now() just before the write: the kernel changes
 *   the link within it, so latencies measured from here are never flattered
 */
export function setLinkUp(name, up, classNet = '/sys/class/net') {
  const path = `${classNet}/${name}/flags`;
  const flags = Number.parseInt(readFileSync(path, 'utf8').trim(), 16);
  if (Number.isNaN(flags)) throw new Error(`unreadable flags in ${path}`);
  const IFF_UP = 0x1;
  const text = `0x${(up ? flags | IFF_UP : flags & ~IFF_UP).toString(16)}\n`;
  const at = performance.now();
  writeFileSync(path, text);
  return at;
}
