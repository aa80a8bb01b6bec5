import type { CryptoProvider } from './crypto.ts';
import { AEAD_TAG_LEN } from './crypto.ts';
import { concat, seqBytes, xorNonce, type TrafficKeys } from './keyschedule.ts';

export interface Opened {
  /** The real content type (TLS 1.3: from TLSInnerPlaintext; TLS 1.2: the record header's). */
  type: number;
  plaintext: Uint8Array;
  /** TLS 1.3 zero padding removed from TLSInnerPlaintext. */
  padding: number;
}

/**
 * One direction's record protection, with its 64-bit sequence number.
 * TLS 1.3: RFC 8446 §5.2 (TLSInnerPlaintext), §5.3 (per-record nonce); AAD = the 5-byte record header.
 * TLS 1.2 AES-GCM: RFC 5288 §3 (nonce = salt(4) || explicit_nonce(8) carried in the record);
 * TLS 1.2 ChaCha20-Poly1305: RFC 7905 §2 (nonce = IV XOR seq). AAD: RFC 5246 §6.2.3.3.
 */
export class RecordProtection {
  seq = 0n;

  constructor(
    private readonly c: CryptoProvider,
    readonly keys: TrafficKeys,
    readonly mode: 'tls12' | 'tls13',
  ) {}

  /** Decrypts one record's fragment. Returns null when authentication fails (the sequence still advances). */
  open(header: Uint8Array, fragment: Uint8Array): Opened | null {
    const seq = this.seq++;
    const { aead, key, iv } = this.keys;
    if (this.mode === 'tls13') {
      const inner = this.c.aeadOpen(aead, key, xorNonce(iv, seq), header, fragment);
      if (!inner) return null;
      let end = inner.length;
      while (end > 0 && inner[end - 1] === 0) end--;
      if (end === 0) return null; // all padding, no content type: RFC 8446 §5.4 unexpected_message
      return { type: inner[end - 1]!, plaintext: inner.subarray(0, end - 1), padding: inner.length - end };
    }
    const type = header[0]!;
    const version = header.subarray(1, 3);
    let nonce: Uint8Array;
    let body: Uint8Array;
    if (aead === 'CHACHA20-POLY1305') {
      nonce = xorNonce(iv, seq);
      body = fragment;
    } else {
      if (fragment.length < 8 + AEAD_TAG_LEN) return null;
      nonce = concat(iv, fragment.subarray(0, 8));
      body = fragment.subarray(8);
    }
    const len = body.length - AEAD_TAG_LEN;
    if (len < 0) return null;
    const aad = concat(seqBytes(seq), Uint8Array.of(type), version, Uint8Array.of(len >> 8, len & 0xff));
    const pt = this.c.aeadOpen(aead, key, nonce, aad, body);
    return pt ? { type, plaintext: pt, padding: 0 } : null;
  }

  /** Encrypts one record (header + fragment bytes returned). Used by tests and an active attacker. */
  seal(type: number, plaintext: Uint8Array, version = 0x0303): Uint8Array {
    const seq = this.seq++;
    const { aead, key, iv } = this.keys;
    if (this.mode === 'tls13') {
      const inner = concat(plaintext, Uint8Array.of(type));
      const len = inner.length + AEAD_TAG_LEN;
      const header = Uint8Array.of(23, 0x03, 0x03, len >> 8, len & 0xff);
      return concat(header, this.c.aeadSeal(aead, key, xorNonce(iv, seq), header, inner));
    }
    const v = Uint8Array.of(version >> 8, version & 0xff);
    const aad = concat(seqBytes(seq), Uint8Array.of(type), v, Uint8Array.of(plaintext.length >> 8, plaintext.length & 0xff));
    let frag: Uint8Array;
    if (aead === 'CHACHA20-POLY1305') {
      frag = this.c.aeadSeal(aead, key, xorNonce(iv, seq), aad, plaintext);
    } else {
      const explicit = seqBytes(seq);
      frag = concat(explicit, this.c.aeadSeal(aead, key, concat(iv, explicit), aad, plaintext));
    }
    return concat(Uint8Array.of(type, v[0]!, v[1]!, frag.length >> 8, frag.length & 0xff), frag);
  }
}
