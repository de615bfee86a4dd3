import { AgentXDecodeError } from './errors.js';
import type { PduHeader } from './pdu.js';

/**
 * Bounds-checked reads over one PDU. Every read past `end` becomes an
 * AgentXDecodeError, so a lying length field can never read a neighbour's bytes
 * or throw a RangeError.
 */
export class ByteReader {
  private readonly view: DataView;
  pos: number;

  constructor(
    private readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
    start: number,
    readonly end: number,
    /** Offsets in errors are relative to this (the start of the PDU). */
    private readonly origin: number,
    readonly header?: PduHeader,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(message: string): never {
    throw new AgentXDecodeError(message, this.pos - this.origin, this.header);
  }

  private need(n: number, what: string): void {
    if (this.end - this.pos < n) this.fail(`truncated ${what}: need ${n} bytes, ${this.end - this.pos} left`);
  }

  u8(what = 'byte'): number {
    this.need(1, what);
    return this.view.getUint8(this.pos++);
  }

  u16(what = 'uint16'): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, this.littleEndian);
    this.pos += 2;
    return v;
  }

  u32(what = 'uint32'): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  i32(what = 'int32'): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  u64(what = 'uint64'): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, this.littleEndian);
    this.pos += 8;
    return v;
  }

  /** A copy, so a decoded PDU never pins the socket's buffer. */
  bytesCopy(n: number, what: string): Uint8Array {
    this.need(n, what);
    // Not .slice(): on a Buffer that is a view into the socket's memory.
    const out = new Uint8Array(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }
}
