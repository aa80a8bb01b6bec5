import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../server/crypto-node.ts';
import { requireTool } from '../../../test/tools.ts';
import { fromHex, toHex } from './fields.ts';
import { hkdfExpand, hkdfExpandLabel, keyBlock12, prf12, trafficKeys13, xorNonce } from './keyschedule.ts';
import { RecordProtection } from './record-protection.ts';

const hasOpenssl = requireTool('openssl', 'openssl', 'key schedule cross-checks against openssl kdf');

/** The openssl binary as an independent oracle. */
function opensslKdf(args: string[], keylen: number): string {
  const out = execFileSync('openssl', ['kdf', '-keylen', String(keylen), ...args], { encoding: 'utf8' });
  return out.trim().replace(/:/g, '').toLowerCase();
}

describe('HKDF-Expand (RFC 5869)', () => {
  it('matches RFC 5869 test case 1', () => {
    const prk = fromHex('077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
    const okm = hkdfExpand(nodeCrypto, 'SHA-256', prk, fromHex('f0f1f2f3f4f5f6f7f8f9'), 42);
    expect(toHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });

  it.runIf(hasOpenssl)('agrees with openssl kdf HKDF EXPAND_ONLY for random inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 48 }), fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 1, max: 100 }), fc.boolean(), (prk, info, len, sha384) => {
        const hash = sha384 ? 'SHA-384' : 'SHA-256';
        const ours = toHex(hkdfExpand(nodeCrypto, hash, prk, info, len));
        const args = ['-kdfopt', `digest:${hash.replace('-', '')}`, '-kdfopt', 'mode:EXPAND_ONLY', '-kdfopt', `hexkey:${toHex(prk)}`];
        if (info.length) args.push('-kdfopt', `hexinfo:${toHex(info)}`);
        expect(ours).toBe(opensslKdf([...args, 'HKDF'], len));
      }),
      { numRuns: 15 },
    );
  });
});

describe('HKDF-Expand-Label (RFC 8446 §7.1)', () => {
  it.runIf(hasOpenssl)('equals HKDF-Expand over the HkdfLabel structure, checked by openssl', () => {
    const secret = fromHex('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38');
    const ours = hkdfExpandLabel(nodeCrypto, 'SHA-256', secret, 'key', new Uint8Array(0), 16);
    // HkdfLabel: length=16, label "tls13 key" (9 bytes), empty context
    const info = '0010' + '09' + toHex(new TextEncoder().encode('tls13 key')) + '00';
    expect(toHex(ours)).toBe(opensslKdf(['-kdfopt', 'digest:SHA256', '-kdfopt', 'mode:EXPAND_ONLY', '-kdfopt', `hexkey:${toHex(secret)}`, '-kdfopt', `hexinfo:${info}`, 'HKDF'], 16));
  });

  it('derives the RFC 8448 §3 server handshake key and IV', () => {
    // RFC 8448 §3: server_handshake_traffic_secret → key, iv (AES-128-GCM)
    const secret = fromHex('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38');
    const k = trafficKeys13(nodeCrypto, 'SHA-256', 'AES-128-GCM', secret);
    expect(toHex(k.key)).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(toHex(k.iv)).toBe('5d313eb2671276ee13000b30');
  });
});

describe('TLS 1.2 PRF (RFC 5246 §5)', () => {
  it.runIf(hasOpenssl)('agrees with openssl kdf TLS1-PRF', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 48 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.integer({ min: 1, max: 120 }), fc.boolean(), (secret, seed, len, sha384) => {
        const hash = sha384 ? 'SHA-384' : 'SHA-256';
        const ours = toHex(prf12(nodeCrypto, hash, secret, 'key expansion', seed, len));
        const labelSeed = toHex(new TextEncoder().encode('key expansion')) + toHex(seed);
        expect(ours).toBe(opensslKdf(['-kdfopt', `digest:${hash.replace('-', '')}`, '-kdfopt', `hexsecret:${toHex(secret)}`, '-kdfopt', `hexseed:${labelSeed}`, 'TLS1-PRF'], len));
      }),
      { numRuns: 15 },
    );
  });

  it('splits the key block as RFC 5246 §6.3 orders it', () => {
    const master = new Uint8Array(48).fill(7);
    const cr = new Uint8Array(32).fill(1);
    const sr = new Uint8Array(32).fill(2);
    const kb = keyBlock12(nodeCrypto, 'SHA-256', 'AES-128-GCM', master, cr, sr);
    const block = prf12(nodeCrypto, 'SHA-256', master, 'key expansion', new Uint8Array([...sr, ...cr]), 40);
    expect(toHex(kb.client.key)).toBe(toHex(block.subarray(0, 16)));
    expect(toHex(kb.server.key)).toBe(toHex(block.subarray(16, 32)));
    expect(toHex(kb.client.iv)).toBe(toHex(block.subarray(32, 36)));
    expect(toHex(kb.server.iv)).toBe(toHex(block.subarray(36, 40)));
  });
});

describe('record protection', () => {
  it('xors the sequence number into the last 8 bytes of the IV', () => {
    expect(toHex(xorNonce(fromHex('000000000000000000000000'), 0x0102n))).toBe('000000000000000000000102');
    expect(toHex(xorNonce(fromHex('ffffffffffffffffffffffff'), 1n))).toBe('fffffffffffffffffffffffe');
  });

  for (const mode of ['tls13', 'tls12'] as const) {
    for (const aead of ['AES-128-GCM', 'AES-256-GCM', 'CHACHA20-POLY1305'] as const) {
      it(`${mode} ${aead}: seal then open gives the plaintext back, in sequence; a flipped bit fails`, () => {
        const keyLen = aead === 'AES-128-GCM' ? 16 : 32;
        const ivLen = mode === 'tls12' && aead !== 'CHACHA20-POLY1305' ? 4 : 12;
        const keys = { aead, key: new Uint8Array(keyLen).fill(9), iv: new Uint8Array(ivLen).fill(3) };
        const tx = new RecordProtection(nodeCrypto, keys, mode);
        const rx = new RecordProtection(nodeCrypto, keys, mode);
        for (const [type, text] of [[22, 'finished'], [23, 'GET / HTTP/1.1'], [21, '\x01\x00']] as const) {
          const rec = tx.seal(type, new TextEncoder().encode(text));
          const opened = rx.open(rec.subarray(0, 5), rec.subarray(5));
          expect(opened?.type).toBe(type);
          expect(new TextDecoder().decode(opened!.plaintext)).toBe(text);
        }
        const rec = tx.seal(23, new Uint8Array([1, 2, 3]));
        rec[rec.length - 1]! ^= 1;
        expect(rx.open(rec.subarray(0, 5), rec.subarray(5))).toBeNull();
      });
    }
  }
});
