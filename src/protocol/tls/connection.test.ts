import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../server/crypto-node.ts';
import { TlsConnectionAnalyzer, type AnalyzedMessage, type AnalyzerError, type Peer } from './connection.ts';
import { DECODE_ERROR_CODES } from './errors.ts';
import { fromHex, toHex } from './fields.ts';
import { KeyLogStore, parseKeyLog } from './keylog.ts';

interface Fixture {
  mode: string;
  keyLog: string;
  chunks: { from: Peer; t: number; hex: string }[];
}
const FIXTURES = ['tls13-aes128gcm', 'tls13-chacha20', 'tls12-ecdhe', 'paper'].map(
  (m) => JSON.parse(readFileSync(join(import.meta.dirname, '../../../test/fixtures', `wire-${m}.json`), 'utf8')) as Fixture,
);

function analyze(chunks: { from: Peer; bytes: Uint8Array; t: number }[], keyLog: string | null) {
  const keys = new KeyLogStore();
  if (keyLog) for (const e of parseKeyLog(keyLog).entries) keys.add(e);
  const msgs: AnalyzedMessage[] = [];
  const errors: AnalyzerError[] = [];
  const a = new TlsConnectionAnalyzer(nodeCrypto, keys, { message: (m) => msgs.push(m), error: (e) => errors.push(e) });
  for (const c of chunks) a.feed(c.from, c.bytes, c.t);
  return { a, keys, msgs, errors };
}

/** Typed decode errors (ERR_INTERNAL would mean a decoder threw something untyped). */
const TYPED: string[] = [...DECODE_ERROR_CODES, 'ERR_UNSUPPORTED_CIPHER'];

const view = (ms: AnalyzedMessage[]) => ms.map((m) => `${m.from} ${m.name} ${m.encrypted ? (m.decrypted ? 'dec' : 'enc') : 'plain'} ${toHex(m.bytes)}`);
const bytesOf = (f: Fixture) => f.chunks.map((c) => ({ from: c.from, bytes: fromHex(c.hex), t: c.t }));

/** Re-chunk each direction's stream at arbitrary points, keeping the interleaving of the original chunks. */
function rechunk(f: Fixture, cuts: number[]): { from: Peer; bytes: Uint8Array; t: number }[] {
  const out: { from: Peer; bytes: Uint8Array; t: number }[] = [];
  let k = 0;
  for (const c of bytesOf(f)) {
    let prev = 0;
    const points = cuts.slice(k, k + 4).map((x) => x % (c.bytes.length + 1)).sort((a, b) => a - b);
    k += 4;
    for (const p of [...points, c.bytes.length]) {
      out.push({ from: c.from, bytes: c.bytes.subarray(prev, p), t: c.t });
      prev = p;
    }
  }
  return out;
}

describe.each(FIXTURES)('TlsConnectionAnalyzer on the recorded $mode session', (f) => {
  const reference = analyze(bytesOf(f), f.keyLog);
  reference.a.finish(1e6);

  it('decrypts every protected record and decodes every message without error', () => {
    expect(reference.errors).toEqual([]);
    expect(reference.msgs.filter((m) => m.error)).toEqual([]);
    expect(reference.msgs.filter((m) => m.encrypted && !m.decrypted)).toEqual([]);
    expect(reference.msgs.some((m) => m.name === 'Finished' && m.decrypted)).toBe(true);
  });

  it('gives the same messages for any chunking of the byte streams', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), (cuts) => {
        const r = analyze(rechunk(f, cuts), f.keyLog);
        r.a.finish(1e6);
        expect(view(r.msgs)).toEqual(view(reference.msgs));
        expect(r.errors).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('holds encrypted records until their secret arrives, then releases them in wire order', () => {
    const r = analyze(bytesOf(f), null);
    const firstProtected = reference.msgs.findIndex((m) => m.encrypted);
    expect(r.msgs.length).toBe(firstProtected); // only what precedes the first protected record
    expect(r.a.held).toBeGreaterThan(0);
    for (const e of parseKeyLog(f.keyLog).entries) {
      r.keys.add(e);
      r.a.secretsChanged();
    }
    r.a.finish(1e6);
    expect(view(r.msgs)).toEqual(view(reference.msgs));
  });

  it('without any key, shows protected records as encrypted and never stalls past finish()', () => {
    const r = analyze(bytesOf(f), null);
    r.a.finish(1e6);
    expect(r.msgs.length).toBeGreaterThan(0);
    const enc = r.msgs.filter((m) => m.encrypted);
    expect(enc.length).toBeGreaterThan(0);
    expect(enc.every((m) => !m.decrypted)).toBe(true);
    expect(r.a.held).toBe(0);
  });

  it('reports a wrong secret as ERR_DECRYPT on the record and carries on', () => {
    const wrong = f.keyLog.replace(/^(\S+ \S+ )(\S)/gm, (_m, a: string, c: string) => a + (c === '0' ? '1' : '0'));
    const r = analyze(bytesOf(f), wrong);
    r.a.finish(1e6);
    const bad = r.msgs.filter((m) => m.error?.code === 'ERR_DECRYPT');
    expect(bad.length).toBeGreaterThan(0);
    expect(r.msgs.filter((m) => m.decrypted)).toEqual([]);
  });

  it('rejects every truncated stream with typed errors only, never an exception', () => {
    const all = bytesOf(f);
    for (let cut = 0; cut < all.length; cut++) {
      const last = all[cut]!;
      for (const n of [1, 5, Math.floor(last.bytes.length / 2), last.bytes.length - 1]) {
        if (n <= 0 || n >= last.bytes.length) continue;
        const r = analyze([...all.slice(0, cut), { ...last, bytes: last.bytes.subarray(0, n) }], f.keyLog);
        r.a.finish(1e6);
        expect(r.errors.length).toBeGreaterThan(0);
        expect(r.errors.every((e) => e.code === 'ERR_TRUNCATED')).toBe(true);
      }
    }
  });
});

describe('TlsConnectionAnalyzer on hostile input', () => {
  it('never throws on random bytes; reports typed errors', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ from: fc.constantFrom<Peer>('client', 'server'), bytes: fc.uint8Array({ maxLength: 80 }) }), { maxLength: 12 }), (chunks) => {
        const r = analyze(chunks.map((c, i) => ({ ...c, t: i })), null);
        r.a.finish(99);
        for (const e of r.errors) expect(TYPED).toContain(e.code);
      }),
    );
  });

  it('never throws when real records are mutated', () => {
    const f = FIXTURES[0]!;
    const all = bytesOf(f);
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (ci, bi, x) => {
        const chunks = all.map((c) => ({ ...c, bytes: c.bytes.slice() }));
        const c = chunks[ci % chunks.length]!;
        c.bytes[bi % c.bytes.length]! ^= x;
        const r = analyze(chunks, f.keyLog);
        r.a.finish(1e6);
        for (const m of r.msgs) if (m.error) expect(TYPED).toContain(m.error.code);
      }),
      { numRuns: 200 },
    );
  });
});
