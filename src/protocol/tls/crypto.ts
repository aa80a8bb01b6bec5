/**
 * The cryptographic primitives the decryptor needs, injected so that `src/protocol` stays pure:
 * Node supplies node:crypto (src/server/crypto-node.ts); the browser supplies its own provider.
 * Only primitives live behind this interface (HMAC, AEAD); the TLS constructions built on them
 * (HKDF-Expand-Label, the TLS 1.2 PRF) are in keyschedule.ts, each citing its RFC.
 */
/** SHA-1 only as the HMAC of TLS 1.2 CBC suites (src/protocol/tls/cbc.ts), never in a PRF or HKDF. */
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384';
export type AeadName = 'AES-128-GCM' | 'AES-256-GCM' | 'CHACHA20-POLY1305';
export type CbcName = 'AES-128-CBC' | 'AES-256-CBC';

export interface CryptoProvider {
  hmac(hash: HashName, key: Uint8Array, data: Uint8Array): Uint8Array;
  /** Returns the plaintext, or null when authentication fails. `ciphertext` includes the 16-byte tag. */
  aeadOpen(alg: AeadName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array | null;
  /** Returns ciphertext || tag (used by tests and by an active attacker). */
  aeadSeal(alg: AeadName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /**
   * Raw AES-CBC decryption, no padding removed (TLS checks its own padding, RFC 5246 §6.2.3.2);
   * null when the ciphertext is not a whole number of 16-byte blocks. Optional: without it, CBC
   * suites are shown undecrypted.
   */
  cbcDecrypt?(alg: CbcName, key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array | null;
}

export const HASH_LEN: Record<HashName, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48 };
export const AEAD_KEY_LEN: Record<AeadName, number> = { 'AES-128-GCM': 16, 'AES-256-GCM': 32, 'CHACHA20-POLY1305': 32 };
export const AEAD_TAG_LEN = 16;
