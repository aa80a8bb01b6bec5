import { cbc, gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { AEAD_KEY_LEN, AEAD_TAG_LEN, type AeadName, type CryptoProvider, type HashName } from './crypto.ts';

/**
 * The protocol layer's CryptoProvider for the browser (and any JS runtime): HMAC-SHA-256/384 from
 * @noble/hashes, AES-GCM and ChaCha20-Poly1305 from @noble/ciphers (both audited, synchronous,
 * no WebCrypto promises, so the decryptor stays the same synchronous code as on the server).
 * AES-CBC (raw, for TLS 1.2 CBC suites) from @noble/ciphers too.
 * Behaves like src/server/crypto-node.ts: aeadOpen gives null when authentication fails, and
 * throws RangeError for a key or nonce of the wrong size (as node:crypto throws).
 */
const HASH = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384 } as const;
const CBC_KEY_LEN = { 'AES-128-CBC': 16, 'AES-256-CBC': 32 } as const;

function cipher(alg: AeadName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) {
  if (key.length !== AEAD_KEY_LEN[alg]) throw new RangeError(`${alg}: key must be ${AEAD_KEY_LEN[alg]} bytes, got ${key.length}`);
  if (alg === 'CHACHA20-POLY1305') {
    if (nonce.length !== 12) throw new RangeError(`${alg}: nonce must be 12 bytes, got ${nonce.length}`);
    return chacha20poly1305(key, nonce, aad);
  }
  if (nonce.length < 1) throw new RangeError(`${alg}: empty nonce`);
  return gcm(key, nonce, aad);
}

export const browserCrypto: CryptoProvider = {
  hmac(hash: HashName, key, data) {
    return hmac(HASH[hash], key, data);
  },
  aeadOpen(alg, key, nonce, aad, ciphertext) {
    const c = cipher(alg, key, nonce, aad);
    if (ciphertext.length < AEAD_TAG_LEN) return null;
    try {
      return c.decrypt(ciphertext);
    } catch {
      return null; // tag mismatch
    }
  },
  aeadSeal(alg, key, nonce, aad, plaintext) {
    return cipher(alg, key, nonce, aad).encrypt(plaintext);
  },  cbcDecrypt(alg, key, iv, ciphertext) {
    if (key.length !== CBC_KEY_LEN[alg]) throw new RangeError(`${alg}: key must be ${CBC_KEY_LEN[alg]} bytes, got ${key.length}`);
    if (iv.length !== 16) throw new RangeError(`${alg}: IV must be 16 bytes, got ${iv.length}`);
    if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) return null;
    return cbc(key, iv, { disablePadding: true }).decrypt(ciphertext);
  },
};
