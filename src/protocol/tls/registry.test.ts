import { describe, expect, it } from 'vitest';
import { enumDisplay, enumName } from './enums.ts';
import {
  ALERT_DESCRIPTION,
  CIPHER_SUITE,
  EXTENSION_TYPE,
  HANDSHAKE_MESSAGE_NAME,
  NAMED_GROUP,
  PROTOCOL_VERSION,
  SIGNATURE_SCHEME,
  cipherSuiteInfo,
  cipherSuiteKeyExchange,
  cipherSuiteShortName,
  isGrease,
  versionName,
} from './registry.ts';

describe('registry', () => {
  it('names IANA values', () => {
    expect(CIPHER_SUITE[0x1301]).toBe('TLS_AES_128_GCM_SHA256');
    expect(CIPHER_SUITE[0xc02f]).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(CIPHER_SUITE[0x009c]).toBe('TLS_RSA_WITH_AES_128_GCM_SHA256');
    expect(CIPHER_SUITE[0xcca8]).toBe('TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256');
    expect(CIPHER_SUITE[0x00ff]).toBe('TLS_EMPTY_RENEGOTIATION_INFO_SCSV');
    expect(CIPHER_SUITE[0x5600]).toBe('TLS_FALLBACK_SCSV');
    expect(NAMED_GROUP[0x001d]).toBe('x25519');
    expect(NAMED_GROUP[0x0017]).toBe('secp256r1');
    expect(NAMED_GROUP[0x11ec]).toBe('X25519MLKEM768');
    expect(NAMED_GROUP[0x0100]).toBe('ffdhe2048');
    expect(SIGNATURE_SCHEME[0x0804]).toBe('rsa_pss_rsae_sha256');
    expect(SIGNATURE_SCHEME[0x0807]).toBe('ed25519');
    expect(SIGNATURE_SCHEME[0x0303]).toBe('ecdsa_sha224');
    expect(EXTENSION_TYPE[0xff01]).toBe('renegotiation_info');
    expect(EXTENSION_TYPE[0xfe0d]).toBe('encrypted_client_hello');
    expect(EXTENSION_TYPE[51]).toBe('key_share');
    expect(ALERT_DESCRIPTION[116]).toBe('certificate_required');
    expect(ALERT_DESCRIPTION[120]).toBe('no_application_protocol');
    expect(ALERT_DESCRIPTION[21]).toBe('decryption_failed');
    expect(PROTOCOL_VERSION[0x0300]).toBe('SSL 3.0');
    expect(HANDSHAKE_MESSAGE_NAME[254]).toBe('MessageHash');
  });

  it('GREASE', () => {
    expect(isGrease(0x0a0a)).toBe(true);
    expect(isGrease(0xfafa)).toBe(true);
    expect(isGrease(0x0a1a)).toBe(false);
    expect(isGrease(0x1301)).toBe(false);
    expect(CIPHER_SUITE[0x2a2a]).toBe('GREASE');
    expect(NAMED_GROUP[0xbaba]).toBe('GREASE');
    expect(versionName(0x7a7a)).toBe('GREASE');
    // extension types are not named GREASE: they show as hex
    expect(enumName(EXTENSION_TYPE, 0xfafa)).toBe('0xFAFA');
  });

  it('unknown values render as hex', () => {
    expect(enumName(CIPHER_SUITE, 0x1234)).toBe('0x1234');
    expect(enumDisplay(NAMED_GROUP, 0x7777)).toBe('unknown (0x7777)');
    expect(cipherSuiteShortName(0x1234)).toBe('0x1234');
    expect(versionName(0x0305)).toBe('0x0305');
  });

  it('cipher suite parameters', () => {
    expect(cipherSuiteInfo(0x1301)).toEqual({ kx: 'tls13', aead: 'AES-128-GCM', hash: 'SHA-256', keyLen: 16, fixedIvLen: 12 });
    expect(cipherSuiteInfo(0x1302)).toEqual({ kx: 'tls13', aead: 'AES-256-GCM', hash: 'SHA-384', keyLen: 32, fixedIvLen: 12 });
    expect(cipherSuiteInfo(0x1303)?.aead).toBe('CHACHA20-POLY1305');
    expect(cipherSuiteInfo(0xc02f)).toEqual({ kx: 'ecdhe', aead: 'AES-128-GCM', hash: 'SHA-256', keyLen: 16, fixedIvLen: 4 });
    expect(cipherSuiteInfo(0xc030)).toEqual({ kx: 'ecdhe', aead: 'AES-256-GCM', hash: 'SHA-384', keyLen: 32, fixedIvLen: 4 });
    expect(cipherSuiteInfo(0xcca8)).toEqual({ kx: 'ecdhe', aead: 'CHACHA20-POLY1305', hash: 'SHA-256', keyLen: 32, fixedIvLen: 12 });
    expect(cipherSuiteInfo(0x009c)?.kx).toBe('rsa');
    expect(cipherSuiteInfo(0x009f)).toEqual({ kx: 'dhe', aead: 'AES-256-GCM', hash: 'SHA-384', keyLen: 32, fixedIvLen: 4 });
    expect(cipherSuiteInfo(0x002f)).toBeUndefined();
    // a returned object is a copy
    const i = cipherSuiteInfo(0x1301)!;
    i.keyLen = 99;
    expect(cipherSuiteInfo(0x1301)?.keyLen).toBe(16);
  });

  it('key exchange of every named suite', () => {
    expect(cipherSuiteKeyExchange(0x1301)).toBe('tls13');
    expect(cipherSuiteKeyExchange(0xc013)).toBe('ecdhe');
    expect(cipherSuiteKeyExchange(0x0033)).toBe('dhe');
    expect(cipherSuiteKeyExchange(0x002f)).toBe('rsa');
    expect(cipherSuiteKeyExchange(0x00a8)).toBe('psk');
    expect(cipherSuiteKeyExchange(0xccac)).toBe('psk');
    expect(cipherSuiteKeyExchange(0x00ff)).toBe('other');
    expect(cipherSuiteKeyExchange(0x1234)).toBe('other');
    for (const [id, name] of Object.entries(CIPHER_SUITE)) {
      const info = cipherSuiteInfo(Number(id));
      if (!info) continue;
      expect(name.includes('SHA384') ? 'SHA-384' : 'SHA-256').toBe(info.hash);
      expect(info.kx).toBe(cipherSuiteKeyExchange(Number(id)));
    }
  });

  it('OpenSSL short names', () => {
    expect(cipherSuiteShortName(0xc02f)).toBe('ECDHE-RSA-AES128-GCM-SHA256');
    expect(cipherSuiteShortName(0x009c)).toBe('AES128-GCM-SHA256');
    expect(cipherSuiteShortName(0x1301)).toBe('TLS_AES_128_GCM_SHA256');
  });
});
