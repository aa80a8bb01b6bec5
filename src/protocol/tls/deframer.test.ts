import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_LEN, RecordDeframer } from './deframer.ts';
import { TlsDecodeError } from './errors.ts';
import { toHex } from './fields.ts';
import { chunk, concat } from '../../../test/bytes.ts';

const record = fc
  .record({ type: fc.constantFrom(20, 21, 22, 23), minor: fc.constantFrom(1, 3), body: fc.uint8Array({ maxLength: 300 }) })
  .map(({ type, minor, body }) => Uint8Array.of(type, 3, minor, body.length >> 8, body.length & 0xff, ...body));



describe('RecordDeframer', () => {
  it('gives the same records for any chunking of the stream', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), (records, cuts) => {
        const stream = concat(...records);
        const d = new RecordDeframer();
        const got = chunk(stream, cuts).flatMap((c) => d.push(c));
        expect(got.map((r) => toHex(r.bytes))).toEqual(records.map(toHex));
        expect(d.pending).toBe(0);
        let off = 0;
        got.forEach((r, i) => {
          expect(r.streamOffset).toBe(off);
          off += records[i]!.length;
        });
      }),
    );
  });

  it('holds a truncated record back: every strict prefix of a record yields nothing and leaves bytes pending', () => {
    fc.assert(
      fc.property(record, (rec) => {
        for (let n = 0; n < rec.length; n++) {
          const d = new RecordDeframer();
          expect(d.push(rec.subarray(0, n))).toEqual([]);
          expect(d.pending).toBe(n);
        }
      }),
    );
  });

  it('rejects bytes that are not TLS with a typed error, then keeps rejecting', () => {
    const d = new RecordDeframer();
    const ok = Uint8Array.of(22, 3, 3, 0, 1, 0xaa);
    expect(d.push(concat(ok, new TextEncoder().encode('GET / HTTP/1.1\r\n')))).toHaveLength(1);
    expect(() => d.push(new Uint8Array(1))).toThrow(TlsDecodeError);
    expect(d.failed?.code).toBe('ERR_BAD_VALUE');
  });

  it('rejects an oversized record length with ERR_RECORD_OVERFLOW', () => {
    const d = new RecordDeframer();
    const len = MAX_RECORD_LEN + 1;
    expect(() => d.push(Uint8Array.of(23, 3, 3, len >> 8, len & 0xff))).toThrow(/ERR_RECORD_OVERFLOW/);
  });

  it('never throws anything but TlsDecodeError on random bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 10 }), (chunks) => {
        const d = new RecordDeframer();
        try {
          for (const c of chunks) d.push(c);
        } catch (e) {
          expect(e).toBeInstanceOf(TlsDecodeError);
        }
      }),
    );
  });
});
