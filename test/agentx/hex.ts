/** Annotated hex: "01 02 # comment" lines; everything after # is ignored. */
export function hex(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join(' ')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`bad hex: ${digits}`);
  return Uint8Array.from(digits.match(/../g) ?? [], (b) => parseInt(b, 16));
}

export function toHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}
