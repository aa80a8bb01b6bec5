import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../server/crypto-node.ts';
import { CbcRecordProtection, cbcSuiteInfo, keyBlockCbc12, type CbcSuiteInfo } from './cbc.ts';
import { browserCrypto } from './crypto-web.ts';
import { concat, prf12, seqBytes } from './keyschedule.ts';

/** A TLS 1.2 GenericBlockCipher record built with node:crypto directly (RFC 5246 §6.2.3.2), as an independent writer. */
function sealCbc(s: CbcSuiteInfo, macKey: Uint8Array, key: Uint8Array, seq: bigint, type: number, content: Uint8Array, padExtra = 0): Uint8Array {
  const header = (len: number) => Uint8Array.of(type, 3, 3, len >> 8, len & 0xff);
  const mac = createHmac(s.mac.replace('-', '').toLowerCase(), macKey).update(concat(seqBytes(seq), header(content.length))).update(content).digest();
  const body = concat(content, new Uint8Array(mac));
  const pad = 15 - (body.length % 16) + 16 * padExtra;
  const padded = concat(body, new Uint8Array(pad + 1).fill(pad));
  const iv = randomBytes(16);
  const c = createCipheriv(s.cipher.toLowerCase(), key, iv).setAutoPadding(false);
  const frag = concat(new Uint8Array(iv), new Uint8Array(Buffer.concat([c.update(padded), c.final()])));
  return concat(header(frag.length), frag);
}

describe('TLS 1.2 CBC records', () => {
  const suites = [0x002f, 0xc013, 0xc014, 0x003c, 0xc028].map((id) => [id, cbcSuiteInfo(id)!] as const);

  it.each(suites)('suite %d: both providers open what node:crypto sealed, in sequence', (_id, s) => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 4 }), fc.nat({ max: 3 }), (contents, padExtra) => {
        const macKey = randomBytes(s.macLen);
        const key = randomBytes(s.keyLen);
        for (const c of [browserCrypto, nodeCrypto]) {
          const p = new CbcRecordProtection(c, s, { macKey, key });
          contents.forEach((content, i) => {
            const rec = sealCbc(s, macKey, key, BigInt(i), 23, content, padExtra);
            const opened = p.open(rec.subarray(0, 5), rec.subarray(5));
            expect(opened?.type).toBe(23);
            expect(opened && Buffer.from(opened.plaintext).equals(Buffer.from(content))).toBe(true);
          });
        }
      }),
      { numRuns: 30 },
    );
  });

  it('a wrong MAC, a wrong sequence number or bad padding gives null', () => {
    const s = cbcSuiteInfo(0xc013)!;
    const macKey = randomBytes(s.macLen);
    const key = randomBytes(s.keyLen);
    const content = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
    const rec = sealCbc(s, macKey, key, 0n, 23, content);
    // MAC key of the other direction
    expect(new CbcRecordProtection(browserCrypto, s, { macKey: randomBytes(s.macLen), key }).open(rec.subarray(0, 5), rec.subarray(5))).toBeNull();
    // sequence number 1 instead of 0
    const p = new CbcRecordProtection(browserCrypto, s, { macKey, key });
    p.seq = 1n;
    expect(p.open(rec.subarray(0, 5), rec.subarray(5))).toBeNull();
    // a flipped bit in the last block breaks the padding or the MAC
    const bad = rec.slice();
    bad[bad.length - 1]! ^= 0x01;
    expect(new CbcRecordProtection(browserCrypto, s, { macKey, key }).open(bad.subarray(0, 5), bad.subarray(5))).toBeNull();
    // not a whole number of blocks
    expect(new CbcRecordProtection(browserCrypto, s, { macKey, key }).open(rec.subarray(0, 5), rec.subarray(5, rec.length - 3))).toBeNull();
  });

  it('key block: MAC keys, then encryption keys (RFC 5246 §6.3)', () => {
    const s = cbcSuiteInfo(0x002f)!;
    const ms = randomBytes(48);
    const cr = randomBytes(32);
    const sr = randomBytes(32);
    const kb = keyBlockCbc12(browserCrypto, s, ms, cr, sr);
    const raw = prf12(nodeCrypto, 'SHA-256', ms, 'key expansion', concat(sr, cr), 72);
    expect(Buffer.from(concat(kb.client.macKey, kb.server.macKey, kb.client.key, kb.server.key)).equals(Buffer.from(raw))).toBe(true);
  });
});
