// Follows snmptrapd's log as it grows and dates each notification by the
// moment it appeared there: inotify wakes us when snmptrapd writes (a tight
// poll would steal the emulated CPUs from the agent being measured), and a
// slow poll covers a wake-up inotify coalesced or missed.
import { closeSync, openSync, readSync, statSync, watch } from 'node:fs';
import { parseNotifications } from './traps.js';

/**
 * @typedef {import('./traps.js').LoggedNotification & { readonly arrivedAt: number }} ArrivedNotification
 *   arrivedAt: performance.now() when the complete record was first seen in the log
 */

export class TrapWatch {
  /** @param {string} logPath */
  constructor(logPath) {
    this.logPath = logPath;
    this.offset = 0;
    this.pending = '';
    /** @type {ArrivedNotification[]} */
    this.all = [];
    this.watcher = watch(logPath, () => this.poll());
    /** @type {NodeJS.Timeout | undefined} */
    this.timer = setInterval(() => this.poll(), 50);
  }

  /** Reads what was appended since the last call; returns how many records arrived. */
  poll() {
    const now = performance.now();
    let size;
    try {
      size = statSync(this.logPath).size;
    } catch {
      return 0;
    }
    if (size <= this.offset) return 0;
    const fd = openSync(this.logPath, 'r');
    const buffer = Buffer.alloc(size - this.offset);
    let got = 0;
    try {
      got = readSync(fd, buffer, 0, buffer.length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset += got;
    this.pending += buffer.subarray(0, got).toString('utf8');
    // Keep a record still being written (no END yet) for the next read.
    const lastEnd = this.pending.lastIndexOf('\tEND\n');
    if (lastEnd < 0) return 0;
    const complete = this.pending.slice(0, lastEnd + 5);
    this.pending = this.pending.slice(lastEnd + 5);
    const records = parseNotifications(complete).map((n) => ({ ...n, arrivedAt: now }));
    this.all.push(...records);
    return records.length;
  }

  close() {
    this.watcher.close();
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
