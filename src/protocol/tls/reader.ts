import { TlsDecodeError } from './errors.ts';

/**
 * The one bounded reader for TLS presentation-language structures (RFC 8446 §3, RFC 5246 §4).
 * Length-prefixed vectors are read only through the u8/u16/u24-prefixed sub-readers; nothing
 * outside this class indexes the buffer. Offsets are absolute in `buf`, so every decoded node can
 * point back at the bytes it came from.
 */
export class Reader {
  private pos: number;

  constructor(
    readonly buf: Uint8Array,
    readonly start = 0,
    readonly end = buf.length,
    /** What this reader is reading, for error messages. */
    readonly what = 'message',
  ) {
    if (start < 0 || end > buf.length || start > end) {
      throw new RangeError(`Reader bounds ${start}..${end} outside buffer of ${buf.length}`);
    }
    this.pos = start;
  }

  /** Absolute offset of the next byte. */
  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number, what: string): void {
    if (this.end - this.pos < n) {
      throw new TlsDecodeError(
        'ERR_TRUNCATED',
        `${what} in ${this.what} needs ${n} byte(s), ${this.end - this.pos} left`,
        this.pos,
      );
    }
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what = 'u16'): number {
    this.need(2, what);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u24(what = 'u24'): number {
    this.need(3, what);
    const v = (this.buf[this.pos]! << 16) | (this.buf[this.pos + 1]! << 8) | this.buf[this.pos + 2]!;
    this.pos += 3;
    return v;
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const v =
      ((this.buf[this.pos]! << 24) >>> 0) +
      ((this.buf[this.pos + 1]! << 16) | (this.buf[this.pos + 2]! << 8) | this.buf[this.pos + 3]!);
    this.pos += 4;
    return v;
  }

  /** A view (not a copy) of the next n bytes. */
  bytes(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A view of everything left. */
  rest(): Uint8Array {
    return this.bytes(this.remaining, 'rest');
  }

  /** A fixed-size sub-reader of the next n bytes. */
  sub(n: number, what = 'field'): Reader {
    this.need(n, what);
    const r = new Reader(this.buf, this.pos, this.pos + n, what);
    this.pos += n;
    return r;
  }

  /** opaque x<0..2^8-1>: a sub-reader over a u8-length-prefixed vector. */
  sub8(what = 'vector'): Reader {
    return this.sub(this.u8(`${what} length`), what);
  }

  /** opaque x<0..2^16-1> */
  sub16(what = 'vector'): Reader {
    return this.sub(this.u16(`${what} length`), what);
  }

  /** opaque x<0..2^24-1> */
  sub24(what = 'vector'): Reader {
    return this.sub(this.u24(`${what} length`), what);
  }

  /** Throws unless every byte of this reader has been consumed. */
  expectEnd(): void {
    if (this.pos !== this.end) {
      throw new TlsDecodeError(
        'ERR_TRAILING_DATA',
        `${this.end - this.pos} unexpected byte(s) at the end of ${this.what}`,
        this.pos,
      );
    }
  }
}
