import type { AeadName, CryptoProvider, HashName } from './crypto.ts';
import { AEAD_KEY_LEN, HASH_LEN } from './crypto.ts';

const enc = new TextEncoder();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** RFC 5869 §2.3 HKDF-Expand, over the provider's HMAC. */
export function hkdfExpand(c: CryptoProvider, hash: HashName, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const hl = HASH_LEN[hash];
  if (length > 255 * hl) throw new RangeError('HKDF-Expand length too large');
  const out = new Uint8Array(length);
  let t: Uint8Array = new Uint8Array(0);
  for (let i = 1, o = 0; o < length; i++) {
    t = c.hmac(hash, prk, concat(t, info, Uint8Array.of(i)));
    out.set(t.subarray(0, Math.min(hl, length - o)), o);
    o += hl;
  }
  return out;
}

/**
 * RFC 8446 §7.1 HKDF-Expand-Label:
 *   struct { uint16 length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255>; } HkdfLabel;
 */
export function hkdfExpandLabel(
  c: CryptoProvider,
  hash: HashName,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const l = enc.encode('tls13 ' + label);
  const info = concat(Uint8Array.of(length >> 8, length & 0xff, l.length), l, Uint8Array.of(context.length), context);
  return hkdfExpand(c, hash, secret, info, length);
}

export interface TrafficKeys {
  aead: AeadName;
  key: Uint8Array;
  iv: Uint8Array;
}

/** RFC 8446 §7.3 traffic key calculation: key = HKDF-Expand-Label(Secret, "key", "", key_length), iv likewise (12 bytes). */
export function trafficKeys13(c: CryptoProvider, hash: HashName, aead: AeadName, secret: Uint8Array): TrafficKeys {
  return {
    aead,
    key: hkdfExpandLabel(c, hash, secret, 'key', new Uint8Array(0), AEAD_KEY_LEN[aead]),
    iv: hkdfExpandLabel(c, hash, secret, 'iv', new Uint8Array(0), 12),
  };
}

/** RFC 8446 §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length). */
export function nextTrafficSecret13(c: CryptoProvider, hash: HashName, secret: Uint8Array): Uint8Array {
  return hkdfExpandLabel(c, hash, secret, 'traffic upd', new Uint8Array(0), HASH_LEN[hash]);
}

/** RFC 5246 §5: P_hash(secret, seed) and PRF(secret, label, seed) = P_<hash>(secret, label + seed). */
export function prf12(c: CryptoProvider, hash: HashName, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const labelSeed = concat(enc.encode(label), seed);
  const out = new Uint8Array(length);
  let a: Uint8Array = labelSeed; // A(0)
  for (let o = 0; o < length; ) {
    a = c.hmac(hash, secret, a); // A(i) = HMAC(secret, A(i-1))
    const block = c.hmac(hash, secret, concat(a, labelSeed));
    out.set(block.subarray(0, Math.min(block.length, length - o)), o);
    o += block.length;
  }
  return out;
}

export interface KeyBlock12 {
  client: TrafficKeys;
  server: TrafficKeys;
}

/**
 * RFC 5246 §6.3 key block for AEAD suites (no MAC keys):
 *   key_block = PRF(master_secret, "key expansion", server_random + client_random)
 *   client_write_key, server_write_key, client_write_IV, server_write_IV.
 * Fixed IV length: 4 for AES-GCM (RFC 5288 §3), 12 for ChaCha20-Poly1305 (RFC 7905 §2).
 */
export function keyBlock12(
  c: CryptoProvider,
  hash: HashName,
  aead: AeadName,
  masterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): KeyBlock12 {
  const keyLen = AEAD_KEY_LEN[aead];
  const ivLen = aead === 'CHACHA20-POLY1305' ? 12 : 4;
  const kb = prf12(c, hash, masterSecret, 'key expansion', concat(serverRandom, clientRandom), 2 * keyLen + 2 * ivLen);
  return {
    client: { aead, key: kb.slice(0, keyLen), iv: kb.slice(2 * keyLen, 2 * keyLen + ivLen) },
    server: { aead, key: kb.slice(keyLen, 2 * keyLen), iv: kb.slice(2 * keyLen + ivLen, 2 * keyLen + 2 * ivLen) },
  };
}

/** Per-record nonce: the 12-byte IV XORed with the 64-bit sequence number (RFC 8446 §5.3, RFC 7905 §2). */
export function xorNonce(iv: Uint8Array, seq: bigint): Uint8Array {
  const n = iv.slice();
  let s = seq;
  for (let i = n.length - 1; i >= n.length - 8; i--) {
    n[i]! ^= Number(s & 0xffn);
    s >>= 8n;
  }
  return n;
}

export function seqBytes(seq: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, seq);
  return b;
}

export { concat };
