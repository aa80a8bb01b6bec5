import type { CbcName, CryptoProvider, HashName } from './crypto.ts';
import { concat, prf12, seqBytes } from './keyschedule.ts';
import type { Opened } from './record-protection.ts';

/**
 * TLS 1.2 CBC cipher suites: GenericBlockCipher records (RFC 5246 §6.2.3.2), MAC-then-encrypt
 * with HMAC (§6.2.3.1) and an explicit per-record IV. Many deployed CPEs still negotiate these
 * (e.g. TLS_RSA_WITH_AES_128_CBC_SHA, the TLS 1.2 mandatory suite, RFC 5246 §9), so capture
 * import must read them. Decrypt only: the lab's own endpoints never use CBC.
 * Not covered: TLS 1.0/1.1 (another PRF, implicit IVs in 1.0) and Encrypt-then-MAC (RFC 7366);
 * the analyzer reports those as undecryptable.
 */
export interface CbcSuiteInfo {
  cipher: CbcName;
  keyLen: 16 | 32;
  mac: HashName;
  macLen: number;
  /** TLS 1.2 PRF hash: SHA-384 for *_SHA384 suites, else SHA-256 (RFC 5246 §5, RFC 5289 §3.2). */
  prf: 'SHA-256' | 'SHA-384';
}

const A128_SHA: CbcSuiteInfo = { cipher: 'AES-128-CBC', keyLen: 16, mac: 'SHA-1', macLen: 20, prf: 'SHA-256' };
const A256_SHA: CbcSuiteInfo = { cipher: 'AES-256-CBC', keyLen: 32, mac: 'SHA-1', macLen: 20, prf: 'SHA-256' };
const A128_SHA256: CbcSuiteInfo = { cipher: 'AES-128-CBC', keyLen: 16, mac: 'SHA-256', macLen: 32, prf: 'SHA-256' };
const A256_SHA256: CbcSuiteInfo = { cipher: 'AES-256-CBC', keyLen: 32, mac: 'SHA-256', macLen: 32, prf: 'SHA-256' };
const A256_SHA384: CbcSuiteInfo = { cipher: 'AES-256-CBC', keyLen: 32, mac: 'SHA-384', macLen: 48, prf: 'SHA-384' };

const CBC_SUITES: Record<number, CbcSuiteInfo> = {
  0x002f: A128_SHA, // TLS_RSA_WITH_AES_128_CBC_SHA
  0x0035: A256_SHA, // TLS_RSA_WITH_AES_256_CBC_SHA
  0x003c: A128_SHA256, // TLS_RSA_WITH_AES_128_CBC_SHA256
  0x003d: A256_SHA256, // TLS_RSA_WITH_AES_256_CBC_SHA256
  0x0033: A128_SHA, // TLS_DHE_RSA_WITH_AES_128_CBC_SHA
  0x0039: A256_SHA, // TLS_DHE_RSA_WITH_AES_256_CBC_SHA
  0x0067: A128_SHA256, // TLS_DHE_RSA_WITH_AES_128_CBC_SHA256
  0x006b: A256_SHA256, // TLS_DHE_RSA_WITH_AES_256_CBC_SHA256
  0xc009: A128_SHA, // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
  0xc00a: A256_SHA, // TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA
  0xc013: A128_SHA, // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
  0xc014: A256_SHA, // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA
  0xc023: A128_SHA256, // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256
  0xc024: A256_SHA384, // TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384
  0xc027: A128_SHA256, // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256
  0xc028: A256_SHA384, // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384
};

export function cbcSuiteInfo(id: number): CbcSuiteInfo | undefined {
  const i = CBC_SUITES[id];
  return i ? { ...i } : undefined;
}

export interface CbcKeys {
  macKey: Uint8Array;
  key: Uint8Array;
}

/**
 * RFC 5246 §6.3: key_block = PRF(master_secret, "key expansion", server_random + client_random) →
 * client_write_MAC_key, server_write_MAC_key, client_write_key, server_write_key (CBC in TLS 1.2
 * uses explicit IVs, so the IVs of the key block are not used).
 */
export function keyBlockCbc12(c: CryptoProvider, s: CbcSuiteInfo, master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array): { client: CbcKeys; server: CbcKeys } {
  const m = s.macLen;
  const k = s.keyLen;
  const kb = prf12(c, s.prf, master, 'key expansion', concat(serverRandom, clientRandom), 2 * m + 2 * k);
  return {
    client: { macKey: kb.slice(0, m), key: kb.slice(2 * m, 2 * m + k) },
    server: { macKey: kb.slice(m, 2 * m), key: kb.slice(2 * m + k, 2 * m + 2 * k) },
  };
}

/** One direction's CBC record protection with its sequence number (for the MAC). */
export class CbcRecordProtection {
  seq = 0n;

  constructor(
    private readonly c: CryptoProvider,
    readonly suite: CbcSuiteInfo,
    readonly keys: CbcKeys,
  ) {}

  /**
   * fragment = IV(16) || E(content || MAC || padding || padding_length). Returns null when the
   * padding or the MAC is wrong (the sequence number still advances).
   */
  open(header: Uint8Array, fragment: Uint8Array): Opened | null {
    const seq = this.seq++;
    if (!this.c.cbcDecrypt || fragment.length < 32 || fragment.length % 16 !== 0) return null;
    const pt = this.c.cbcDecrypt(this.suite.cipher, this.keys.key, fragment.subarray(0, 16), fragment.subarray(16));
    if (!pt) return null;
    const pad = pt[pt.length - 1]!;
    const contentLen = pt.length - 1 - pad - this.suite.macLen;
    if (contentLen < 0) return null;
    for (let i = pt.length - 1 - pad; i < pt.length - 1; i++) if (pt[i] !== pad) return null;
    const content = pt.subarray(0, contentLen);
    const mac = pt.subarray(contentLen, contentLen + this.suite.macLen);
    const type = header[0]!;
    const macInput = concat(seqBytes(seq), Uint8Array.of(type, header[1]!, header[2]!, contentLen >> 8, contentLen & 0xff), content);
    const expect = this.c.hmac(this.suite.mac, this.keys.macKey, macInput);
    if (expect.length !== mac.length) return null;
    let diff = 0;
    for (let i = 0; i < mac.length; i++) diff |= mac[i]! ^ expect[i]!;
    return diff === 0 ? { type, plaintext: content, padding: pad + 1 } : null;
  }
}
