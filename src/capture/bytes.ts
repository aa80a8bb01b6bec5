/**
 * A bounded little/big-endian reader over a byte view. Every read is checked against the view's
 * end; a short read calls `short`, which throws the caller's typed error (a truncated file, or a
 * malformed packet that is skipped). Nothing in src/capture indexes capture bytes another way.
 */
export class BoundedReader {
  private readonly dv: DataView;
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    public le: boolean,
    private readonly short: (need: number, at: number, what: string) => never,
    start = 0,
    readonly end = buf.length,
  ) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  need(n: number, what: string): void {
    if (n > this.end - this.pos || n < 0) this.short(n, this.pos, what);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.dv.getUint8(this.pos++);
  }

  u16(what: string): number {
    this.need(2, what);
    const v = this.dv.getUint16(this.pos, this.le);
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.dv.getUint32(this.pos, this.le);
    this.pos += 4;
    return v;
  }

  i32(what: string): number {
    this.need(4, what);
    const v = this.dv.getInt32(this.pos, this.le);
    this.pos += 4;
    return v;
  }

  /** A view (never a copy) of the next n bytes. */
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }

  /** A reader over the next n bytes (same byte order and error), advancing past them. */
  sub(n: number, what: string): BoundedReader {
    this.need(n, what);
    const r = new BoundedReader(this.buf, this.le, this.short, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
}
