import { TlsDecodeError } from './errors.ts';
import { Reader } from './reader.ts';

/** RFC 8446 §5.1 / RFC 5246 §6.2.1: the record layer header. */
export interface TlsRecord {
  type: number;
  version: number;
  length: number;
  /** The whole record as on the wire: 5-byte header + fragment. */
  bytes: Uint8Array;
  /** Offset of the record's first byte in this direction's byte stream. */
  streamOffset: number;
}

export const RECORD_HEADER_LEN = 5;
/** RFC 5246 §6.2.3: TLSCiphertext.length MUST NOT exceed 2^14 + 2048 (RFC 8446 §5.2 allows 2^14 + 256). */
export const MAX_RECORD_LEN = (1 << 14) + 2048;
const CONTENT_TYPES = new Set([20, 21, 22, 23, 24]);

type State = { s: 'header' } | { s: 'body'; type: number; version: number; length: number } | { s: 'failed'; error: TlsDecodeError };

/**
 * Incremental record deframer with explicit states (HEADER → BODY → HEADER …, or FAILED), correct
 * for any chunking of the stream: bytes are buffered as a list of chunks and copied once per record.
 */
export class RecordDeframer {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private consumed = 0; // stream offset of the first buffered byte
  private state: State = { s: 'header' };

  /** Bytes received but not yet part of a complete record. */
  get pending(): number {
    return this.buffered;
  }

  get failed(): TlsDecodeError | undefined {
    return this.state.s === 'failed' ? this.state.error : undefined;
  }

  /** Feed bytes; returns every record completed by them. Throws TlsDecodeError once the stream is not TLS. */
  push(chunk: Uint8Array): TlsRecord[] {
    if (this.state.s === 'failed') throw this.state.error;
    if (chunk.length) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const out: TlsRecord[] = [];
    for (;;) {
      const st = this.state as State;
      if (st.s === 'header') {
        if (this.buffered < RECORD_HEADER_LEN) break;
        const r = new Reader(this.peek(RECORD_HEADER_LEN), 0, RECORD_HEADER_LEN, 'record header');
        const type = r.u8('content type');
        const version = r.u16('legacy_record_version');
        const length = r.u16('length');
        if (!CONTENT_TYPES.has(type)) {
          this.fail(new TlsDecodeError('ERR_BAD_VALUE', `not a TLS record: content type ${type} at stream offset ${this.consumed}`, this.consumed));
        } else if ((version >> 8) !== 0x03) {
          this.fail(new TlsDecodeError('ERR_BAD_VALUE', `not a TLS record: version 0x${version.toString(16).padStart(4, '0')} at stream offset ${this.consumed}`, this.consumed));
        } else if (length > MAX_RECORD_LEN) {
          this.fail(new TlsDecodeError('ERR_RECORD_OVERFLOW', `record length ${length} exceeds ${MAX_RECORD_LEN} at stream offset ${this.consumed}`, this.consumed));
        } else {
          this.state = { s: 'body', type, version, length };
        }
      } else if (st.s === 'body') {
        const total = RECORD_HEADER_LEN + st.length;
        if (this.buffered < total) break;
        const bytes = this.take(total);
        out.push({ type: st.type, version: st.version, length: st.length, bytes, streamOffset: this.consumed - total });
        this.state = { s: 'header' };
      } else {
        if (out.length) return out; // hand out what was complete before the bad bytes; throw on the next push
        throw st.error;
      }
    }
    return out;
  }

  private fail(error: TlsDecodeError): void {
    this.state = { s: 'failed', error };
  }

  /** A copy of the first n buffered bytes, without consuming. */
  private peek(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    return this.gather(n, false);
  }

  private take(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length >= n) {
      // The common case: the record lies within one chunk; hand out a view, no copy.
      this.chunks[0] = first.subarray(n);
      if (first.length === n) this.chunks.shift();
      this.buffered -= n;
      this.consumed += n;
      return first.subarray(0, n);
    }
    return this.gather(n, true);
  }

  private gather(n: number, consume: boolean): Uint8Array {
    const out = new Uint8Array(n);
    let o = 0;
    let i = 0;
    while (o < n) {
      const c = this.chunks[i]!;
      const k = Math.min(c.length, n - o);
      out.set(c.subarray(0, k), o);
      o += k;
      if (consume) {
        if (k === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(k);
      } else i++;
    }
    if (consume) {
      this.buffered -= n;
      this.consumed += n;
    }
    return out;
  }
}
