/**
 * Reads one attribute file and parses it, turning every failure into `undefined` plus, where it
 * is worth telling, a warning that names the file.
 */
import { isQuietFailure, readAttributeText, type TextResult } from './file-access.js';
import type { Parsed } from './parse-result.js';
import type { ReadWarning } from './types.js';

export class WarningSink {
  readonly warnings: ReadWarning[] = [];
  readonly #seen = new Set<string>();

  /** One warning per file, line and problem: a file read twice in one pass (ifindex) warns once. */
  add(warning: ReadWarning): void {
    const key = `${warning.file}\0${warning.line ?? ''}\0${warning.message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.warnings.push(warning);
  }

  /** A read failure that is not one of the kernel's ordinary "not here" answers. */
  failure(file: string, result: TextResult): void {
    if ('code' in result && !isQuietFailure(result)) this.add({ file, message: `cannot read: ${result.code}` });
  }
}

/** Parse text that was read from `file`; a rejected value is a warning on its first line. */
export function parseFileText<T>(file: string, text: string, parse: (raw: string) => Parsed<T>, sink: WarningSink): T | undefined {
  const result = parse(text);
  if (result.ok) return result.value;
  sink.add({ file, line: 1, message: result.problem });
  return undefined;
}

export function readAttribute<T>(
  file: string,
  parse: (raw: string) => Parsed<T>,
  sink: WarningSink,
): T | undefined {
  const result = readAttributeText(file);
  if ('code' in result) {
    sink.failure(file, result);
    return undefined;
  }
  return parseFileText(file, result.text, parse, sink);
}
