/**
 * The only place that touches the filesystem. Reads are synchronous on purpose: a sysfs
 * attribute is a few bytes, and node:fs/promises pays several thread-pool round trips per file
 * (open, fstat, read, close), which made a 256-bond tree twenty times slower to read than plain
 * open/read/close. The reader keeps the event loop responsive by yielding between bonds instead.
 */
import { closeSync, fstatSync, openSync, readSync, readdirSync, statfsSync } from 'node:fs';

/** A read that did not produce text: `code` is the errno name (ENOENT, EACCES, ...). */
export interface ReadFailure {
  readonly code: string;
  readonly message: string;
}

export type TextResult = { readonly text: string } | ReadFailure;
export type ListResult = { readonly names: readonly string[] } | ReadFailure;

/** Failures that mean "the kernel does not show this here": absent, hidden, or not applicable. */
const QUIET_CODES = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EINVAL', 'EOPNOTSUPP', 'ENODEV', 'ENXIO', 'EAGAIN']);

export function isQuietFailure(failure: ReadFailure): boolean {
  return QUIET_CODES.has(failure.code);
}

/** Whether the failure means the thing is gone (vanished mid-read, or never there). */
export function isGone(result: TextResult | ListResult): boolean {
  return 'code' in result && (result.code === 'ENOENT' || result.code === 'ENOTDIR');
}

function failure(err: unknown): ReadFailure {
  const e = err as NodeJS.ErrnoException;
  return { code: typeof e?.code === 'string' ? e.code : 'EUNKNOWN', message: e instanceof Error ? e.message : String(err) };
}

const CHUNK = 65536;
let buffer = Buffer.allocUnsafe(CHUNK);

/**
 * Reads `fd` from its start to its end as latin1 text: the kernel's files are ASCII, latin1
 * never rejects a byte. With `shortReadIsEnd`, a read that does not fill the buffer is taken as
 * the whole file, which saves the read that would return 0: true of sysfs attributes (the kernel
 * renders a value, at most a page, in one go) and of regular files. procfs's seq_file hands out
 * at most a page per read, so it is read until a read returns 0. Reads are positioned (pread), so
 * a descriptor kept open reads the file afresh each time.
 */
function readBytes(fd: number, shortReadIsEnd: boolean): number {
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      const bigger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(bigger, 0, 0, length);
      buffer = bigger;
    }
    const space = buffer.length - length;
    const n = readSync(fd, buffer, length, space, length);
    length += n;
    if (n === 0 || (shortReadIsEnd && n < space)) break;
  }
  return length;
}

function readAll(fd: number, shortReadIsEnd: boolean): { readonly text: string } {
  // Read first: the read may replace `buffer` by a bigger one.
  const length = readBytes(fd, shortReadIsEnd);
  return { text: buffer.toString('latin1', 0, length) };
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Closing a file we only read cannot lose data; nothing to report.
  }
}

function read(path: string, shortReadIsEnd: boolean): TextResult {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return failure(err);
  }
  try {
    return readAll(fd, shortReadIsEnd);
  } catch (err) {
    return failure(err);
  } finally {
    closeQuietly(fd);
  }
}

/**
 * A procfs file kept open and read again from its start each time: one positioned read (and the
 * one that finds the end) instead of a path lookup, an open, the reads and a close; what the
 * periodic check does to every bond's /proc/net/bonding file every second. The kernel renders the
 * file afresh at each read from offset 0. A file removed meanwhile (a bond deleted: its procfs
 * entry answers EIO) or replaced by a rename (as fixture trees change: the old file is left with
 * no link) is opened again by name; so is one whose descriptor was let go (`close`). Only a file
 * outside procfs can be replaced by a rename, and only there is the link count looked at (an
 * fstat per read, a third of the cost of a read; procfs is told by its filesystem type, once per
 * open).
 *
 * `version` says whether the bytes changed without turning them into text: it compares them with
 * the last ones seen and only then keeps a copy, so an unchanged file makes no garbage.
 */
export class KeptFile {
  private fd: number | undefined;
  /** Whether the open file may be replaced by a rename (not procfs). */
  private replaceable = true;
  private last: Buffer | undefined;
  private lastVersion = 0;

  constructor(
    readonly path: string,
    /** Where versions come from: one counter shared by files that are compared together. */
    private readonly nextVersion: () => number = counter(),
  ) {}

  /** The file's text now. */
  read(): TextResult {
    const length = this.readNow();
    return typeof length === 'number' ? { text: buffer.toString('latin1', 0, length) } : length;
  }

  /** A number that changes whenever the file's bytes do (and only then), or why it cannot be read. */
  version(): number | ReadFailure {
    const length = this.readNow();
    if (typeof length !== 'number') return length;
    if (this.last === undefined || this.last.length !== length || buffer.compare(this.last, 0, this.last.length, 0, length) !== 0) {
      this.last = Buffer.from(buffer.subarray(0, length));
      this.lastVersion = this.nextVersion();
    }
    return this.lastVersion;
  }

  /** Lets go of the descriptor; the next read opens the file by name again. */
  close(): void {
    if (this.fd !== undefined) closeQuietly(this.fd);
    this.fd = undefined;
  }

  private readNow(): number | ReadFailure {
    if (this.fd !== undefined && this.replaceable && fstatSync(this.fd).nlink === 0) this.close();
    if (this.fd !== undefined) {
      try {
        return readBytes(this.fd, false);
      } catch {
        // Gone behind our back (EIO from a removed procfs entry): try the name again.
        this.close();
      }
    }
    try {
      this.fd = openSync(this.path, 'r');
      this.replaceable = statfsSync(this.path).type !== PROC_SUPER_MAGIC;
    } catch (err) {
      this.close();
      return failure(err);
    }
    try {
      return readBytes(this.fd, false);
    } catch (err) {
      this.close();
      return failure(err);
    }
  }
}

/** statfs(2)'s f_type of procfs (linux/magic.h). */
const PROC_SUPER_MAGIC = 0x9fa0;

/** A counter: 1, 2, 3, ... */
export function counter(): () => number {
  let n = 0;
  return () => ++n;
}

/** A sysfs attribute (or any small regular file). */
export function readAttributeText(path: string): TextResult {
  return read(path, true);
}

/** A file read to its end, however the kernel hands it out (procfs). */
export function readText(path: string): TextResult {
  return read(path, false);
}

export function listDirectory(path: string): ListResult {
  try {
    return { names: readdirSync(path) };
  } catch (err) {
    return failure(err);
  }
}
