/**
 * The only place that touches the filesystem. Reads are synchronous on purpose: a sysfs
 * attribute is a few bytes, and node:fs/promises pays several thread-pool round trips per file
 * (open, fstat, read, close), which made a 256-bond tree twenty times slower to read than plain
 * open/read/close. The reader keeps the event loop responsive by yielding between bonds instead.
 */
import { closeSync, openSync, readSync, readdirSync } from 'node:fs';

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
 * Read a whole file as latin1 text: the kernel's files are ASCII, latin1 never rejects a byte.
 * With `shortReadIsEnd`, a read that does not fill the buffer is taken as the whole file, which
 * saves the read that would return 0: true of sysfs attributes (the kernel renders a value, at
 * most a page, in one go) and of regular files. procfs's seq_file is read to the end.
 */
function read(path: string, shortReadIsEnd: boolean): TextResult {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return failure(err);
  }
  try {
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const space = buffer.length - length;
      const n = readSync(fd, buffer, length, space, null);
      length += n;
      if (n === 0 || (shortReadIsEnd && n < space)) break;
    }
    return { text: buffer.toString('latin1', 0, length) };
  } catch (err) {
    return failure(err);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Closing a file we only read cannot lose data; nothing to report.
    }
  }
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
