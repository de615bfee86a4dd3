/** What a pure parser gives back: a value, or `undefined` with the reason it was rejected. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T | undefined }
  | { readonly ok: false; readonly problem: string };

export const parsed = <T>(value: T | undefined): Parsed<T> => ({ ok: true, value });
export const rejected = <T>(problem: string): Parsed<T> => ({ ok: false, problem });

/** Quote a piece of kernel text for a warning, short enough for one log line. */
export function quote(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 60)}...` : text;
  return JSON.stringify(shown);
}
