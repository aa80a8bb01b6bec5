import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../server/crypto-node.ts';
import { AEAD_KEY_LEN, type AeadName, type CryptoProvider, type HashName } from './crypto.ts';
import { browserCrypto } from './crypto-web.ts';
import { fromHex, toHex } from './fields.ts';
import { hkdfExpandLabel, keyBlock12 } from './keyschedule.ts';

const PROVIDERS: [string, CryptoProvider][] = [
  ['browser (@noble)', browserCrypto],
  ['node:crypto', nodeCrypto],
];
const ascii = (s: string) => new TextEncoder().encode(s);

describe.each(PROVIDERS)('%s: published test vectors', (_name, c) => {
  // RFC 4231 §4.2, §4.3, §4.7
  const HMAC: [Uint8Array, Uint8Array, string, string][] = [
    [new Uint8Array(20).fill(0x0b), ascii('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7', 'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6'],
    [ascii('Jefe'), ascii('what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649'],
    [new Uint8Array(131).fill(0xaa), ascii('Test Using Larger Than Block-Size Key - Hash Key First'), '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54', '4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952'],
  ];
  it.each(HMAC.map((v, i) => [i, ...v] as const))('HMAC RFC 4231 vector %i', (_i, key, data, s256, s384) => {
    expect(toHex(c.hmac('SHA-256', key, data))).toBe(s256);
    expect(toHex(c.hmac('SHA-384', key, data))).toBe(s384);
  });

  // The GCM specification's test cases 3, 4 (AES-128) and 16 (AES-256) (McGrew & Viega, also NIST SP 800-38D validation).
  const P = 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
  const K128 = 'feffe9928665731c6d6a8f9467308308';
  const IV = 'cafebabefacedbaddecaf888';
  const A = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';
  const GCM: [AeadName, string, string, string, string, string][] = [
    ['AES-128-GCM', K128, '', P, '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985', '4d5c2af327cd64a62cf35abd2ba6fab4'],
    ['AES-128-GCM', K128, A, P.slice(0, 120), '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091', '5bc94fbc3221a5db94fae95ae7121a47'],
    ['AES-256-GCM', K128 + K128, A, P.slice(0, 120), '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662', '76fc6ece0f4e1768cddf8853bb2d551b'],
  ];
  it.each(GCM)('%s GCM spec vector (key %s)', (alg, k, aad, p, ct, tag) => {
    const sealed = c.aeadSeal(alg, fromHex(k), fromHex(IV), fromHex(aad), fromHex(p));
    expect(toHex(sealed)).toBe(ct + tag);
    expect(toHex(c.aeadOpen(alg, fromHex(k), fromHex(IV), fromHex(aad), sealed)!)).toBe(p);
  });

  it('ChaCha20-Poly1305 RFC 8439 §2.8.2', () => {
    const key = fromHex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
    const nonce = fromHex('070000004041424344454647');
    const aad = fromHex('50515253c0c1c2c3c4c5c6c7');
    const pt = ascii("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
    const sealed = c.aeadSeal('CHACHA20-POLY1305', key, nonce, aad, pt);
    expect(toHex(sealed)).toBe(
      'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116' +
        '1ae10b594f09e26a7e902ecbd0600691',
    );
    expect(c.aeadOpen('CHACHA20-POLY1305', key, nonce, aad, sealed)).toEqual(pt);
  });

  it('HMAC-SHA-1 RFC 2202 test cases 1 and 2', () => {
    expect(toHex(c.hmac('SHA-1', new Uint8Array(20).fill(0x0b), ascii('Hi There')))).toBe('b617318655057264e28bc0b6fb378c8ef146be00');
    expect(toHex(c.hmac('SHA-1', ascii('Jefe'), ascii('what do ya want for nothing?')))).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
  });

  it('AES-CBC NIST SP 800-38A F.2.1 / F.2.5 (decrypt, no padding removed)', () => {
    const iv = fromHex('000102030405060708090a0b0c0d0e0f');
    const pt = '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710';
    const ct128 = '7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7';
    const ct256 = 'f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b';
    expect(toHex(c.cbcDecrypt!('AES-128-CBC', fromHex('2b7e151628aed2a6abf7158809cf4f3c'), iv, fromHex(ct128))!)).toBe(pt);
    expect(toHex(c.cbcDecrypt!('AES-256-CBC', fromHex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4'), iv, fromHex(ct256))!)).toBe(pt);
    expect(c.cbcDecrypt!('AES-128-CBC', fromHex('2b7e151628aed2a6abf7158809cf4f3c'), iv, fromHex(ct128).subarray(0, 20))).toBeNull();
  });

  it('TLS 1.3 key schedule: RFC 8448 §3 server handshake key and IV', () => {
    // RFC 8448 §3 "Simple 1-RTT Handshake": server_handshake_traffic_secret → key, iv
    const secret = fromHex('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38');
    expect(toHex(hkdfExpandLabel(c, 'SHA-256', secret, 'key', new Uint8Array(0), 16))).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(toHex(hkdfExpandLabel(c, 'SHA-256', secret, 'iv', new Uint8Array(0), 12))).toBe('5d313eb2671276ee13000b30');
  });
});

const ALGS: AeadName[] = ['AES-128-GCM', 'AES-256-GCM', 'CHACHA20-POLY1305'];

describe('browser provider agrees with node:crypto on random inputs', () => {
  it('HMAC', () => {
    fc.assert(
      fc.property(fc.constantFrom<HashName>('SHA-1', 'SHA-256', 'SHA-384'), fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 600 }), (h, key, data) => {
        expect(toHex(browserCrypto.hmac(h, key, data))).toBe(toHex(nodeCrypto.hmac(h, key, data)));
      }),
      { numRuns: 300 },
    );
  });

  const aeadInput = fc.constantFrom(...ALGS).chain((alg) =>
    fc.record({
      alg: fc.constant(alg),
      key: fc.uint8Array({ minLength: AEAD_KEY_LEN[alg], maxLength: AEAD_KEY_LEN[alg] }),
      nonce: fc.uint8Array({ minLength: 12, maxLength: 12 }),
      aad: fc.uint8Array({ maxLength: 40 }),
      pt: fc.uint8Array({ maxLength: 2000 }),
    }),
  );

  it('AEAD seal gives the same bytes and each side opens the other', () => {
    fc.assert(
      fc.property(aeadInput, ({ alg, key, nonce, aad, pt }) => {
        const a = browserCrypto.aeadSeal(alg, key, nonce, aad, pt);
        const b = nodeCrypto.aeadSeal(alg, key, nonce, aad, pt);
        expect(toHex(a)).toBe(toHex(b));
        expect(toHex(browserCrypto.aeadOpen(alg, key, nonce, aad, b)!)).toBe(toHex(pt));
        expect(toHex(nodeCrypto.aeadOpen(alg, key, nonce, aad, a)!)).toBe(toHex(pt));
      }),
      { numRuns: 300 },
    );
  });

  it('AEAD open of tampered or short input gives null on both', () => {
    fc.assert(
      fc.property(aeadInput, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat({ max: 15 }), ({ alg, key, nonce, aad, pt }, pos, flip, shortLen) => {
        const ct = nodeCrypto.aeadSeal(alg, key, nonce, aad, pt);
        const bad = ct.slice();
        bad[pos % bad.length]! ^= flip;
        expect(browserCrypto.aeadOpen(alg, key, nonce, aad, bad)).toBeNull();
        expect(nodeCrypto.aeadOpen(alg, key, nonce, aad, bad)).toBeNull();
        const short = ct.subarray(0, shortLen);
        expect(browserCrypto.aeadOpen(alg, key, nonce, aad, short)).toBeNull();
        expect(nodeCrypto.aeadOpen(alg, key, nonce, aad, short)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('AES-CBC decrypt is the same', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 1, max: 64 }), fc.uint8Array({ minLength: 1024, maxLength: 1024 }), (big, k, iv, blocks, data) => {
        const alg = big ? 'AES-256-CBC' : 'AES-128-CBC';
        const key = k.subarray(0, big ? 32 : 16);
        const ct = data.subarray(0, blocks * 16);
        expect(toHex(browserCrypto.cbcDecrypt!(alg, key, iv, ct)!)).toBe(toHex(nodeCrypto.cbcDecrypt!(alg, key, iv, ct)!));
      }),
      { numRuns: 200 },
    );
  });

  it('TLS 1.2 key block (PRF over HMAC) is the same', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 48, maxLength: 48 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (ms, cr, sr) => {
        expect(keyBlock12(browserCrypto, 'SHA-384', 'AES-256-GCM', ms, cr, sr)).toEqual(keyBlock12(nodeCrypto, 'SHA-384', 'AES-256-GCM', ms, cr, sr));
      }),
      { numRuns: 50 },
    );
  });

  it('rejects a key of the wrong size with a RangeError', () => {
    expect(() => browserCrypto.aeadOpen('AES-128-GCM', new Uint8Array(15), new Uint8Array(12), new Uint8Array(0), new Uint8Array(16))).toThrow(RangeError);
    expect(() => browserCrypto.aeadSeal('CHACHA20-POLY1305', new Uint8Array(32), new Uint8Array(8), new Uint8Array(0), new Uint8Array(1))).toThrow(RangeError);
  });
});
