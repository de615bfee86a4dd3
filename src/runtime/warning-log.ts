/** A malformed or unreadable kernel file is reported when it first shows up, not at every poll. */
import type { ReadWarning } from '../bonding/index.js';
import type { Logger } from '../support/index.js';

export class WarningLog {
  private warned = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** Logs the warnings not logged before. A full read's warnings replace what is remembered, so one that goes and comes back is told again. */
  report(warnings: readonly ReadWarning[], full: boolean): void {
    const keys = new Set<string>();
    for (const w of warnings) {
      const key = `${w.file}\0${w.line ?? ''}\0${w.message}`;
      if (!this.warned.has(key)) this.logger.warn({ file: w.file, line: w.line }, w.message);
      keys.add(key);
    }
    if (full) this.warned = keys;
    else for (const k of keys) this.warned.add(k);
  }
}
