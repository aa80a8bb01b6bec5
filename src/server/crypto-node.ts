import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { AeadName, CbcName, CryptoProvider, HashName } from '../protocol/tls/crypto.ts';
import { AEAD_TAG_LEN } from '../protocol/tls/crypto.ts';

const HASH: Record<HashName, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384' };
const CBC: Record<CbcName, string> = { 'AES-128-CBC': 'aes-128-cbc', 'AES-256-CBC': 'aes-256-cbc' };
const CIPHER: Record<AeadName, 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305'> = {
  'AES-128-GCM': 'aes-128-gcm',
  'AES-256-GCM': 'aes-256-gcm',
  'CHACHA20-POLY1305': 'chacha20-poly1305',
};

/** node:crypto (OpenSSL) behind the protocol layer's CryptoProvider interface. */
export const nodeCrypto: CryptoProvider = {
  hmac(hash, key, data) {
    return new Uint8Array(createHmac(HASH[hash], key).update(data).digest());
  },
  aeadOpen(alg, key, nonce, aad, ciphertext) {
    if (ciphertext.length < AEAD_TAG_LEN) return null;
    const body = ciphertext.subarray(0, ciphertext.length - AEAD_TAG_LEN);
    const tag = ciphertext.subarray(ciphertext.length - AEAD_TAG_LEN);
    const d = createDecipheriv(CIPHER[alg] as 'aes-128-gcm', key, nonce, { authTagLength: AEAD_TAG_LEN });
    d.setAAD(aad, { plaintextLength: body.length });
    d.setAuthTag(tag);
    try {
      const a = d.update(body);
      const b = d.final();
      return new Uint8Array(b.length ? Buffer.concat([a, b]) : a);
    } catch {
      return null;
    }
  },
  aeadSeal(alg, key, nonce, aad, plaintext) {
    const c = createCipheriv(CIPHER[alg] as 'aes-128-gcm', key, nonce, { authTagLength: AEAD_TAG_LEN });
    c.setAAD(aad, { plaintextLength: plaintext.length });
    const out = Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
    return new Uint8Array(out);
  },  cbcDecrypt(alg, key, iv, ciphertext) {
    if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) return null;
    const d = createDecipheriv(CBC[alg], key, iv).setAutoPadding(false);
    return new Uint8Array(Buffer.concat([d.update(ciphertext), d.final()]));
  },
};
