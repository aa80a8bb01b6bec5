/**
 * IANA TLS parameter name tables (https://www.iana.org/assignments/tls-parameters/ and
 * tls-extensiontype-values/). Open enums: anything not listed still renders through
 * `enumName`/`enumDisplay` as `0x%04X`.
 */
import type { NameTable } from './enums.ts';

/** RFC 8446 §5.1 ContentType (plus RFC 6520 heartbeat, RFC 9146 tls12_cid, RFC 9147 ack). */
export const CONTENT_TYPE: NameTable = {
  20: 'change_cipher_spec',
  21: 'alert',
  22: 'handshake',
  23: 'application_data',
  24: 'heartbeat',
  25: 'tls12_cid',
  26: 'ack',
};

/** RFC 8446 §4 HandshakeType (IANA "TLS HandshakeType"), snake_case as in the registry. */
export const HANDSHAKE_TYPE: NameTable = {
  0: 'hello_request',
  1: 'client_hello',
  2: 'server_hello',
  3: 'hello_verify_request',
  4: 'new_session_ticket',
  5: 'end_of_early_data',
  6: 'hello_retry_request',
  8: 'encrypted_extensions',
  9: 'request_connection_id',
  10: 'new_connection_id',
  11: 'certificate',
  12: 'server_key_exchange',
  13: 'certificate_request',
  14: 'server_hello_done',
  15: 'certificate_verify',
  16: 'client_key_exchange',
  17: 'client_certificate_request',
  20: 'finished',
  21: 'certificate_url',
  22: 'certificate_status',
  23: 'supplemental_data',
  24: 'key_update',
  25: 'compressed_certificate',
  26: 'ekt_key',
  254: 'message_hash',
};

/** The message names as the RFCs spell the structures (ClientHello, ServerHello …). */
export const HANDSHAKE_MESSAGE_NAME: NameTable = {
  0: 'HelloRequest',
  1: 'ClientHello',
  2: 'ServerHello',
  3: 'HelloVerifyRequest',
  4: 'NewSessionTicket',
  5: 'EndOfEarlyData',
  6: 'HelloRetryRequest',
  8: 'EncryptedExtensions',
  11: 'Certificate',
  12: 'ServerKeyExchange',
  13: 'CertificateRequest',
  14: 'ServerHelloDone',
  15: 'CertificateVerify',
  16: 'ClientKeyExchange',
  20: 'Finished',
  21: 'CertificateURL',
  22: 'CertificateStatus',
  23: 'SupplementalData',
  24: 'KeyUpdate',
  25: 'CompressedCertificate',
  254: 'MessageHash',
};

/** ProtocolVersion (RFC 8446 §4.1.2, RFC 5246 §6.2.1, RFC 6347 for DTLS). */
export const PROTOCOL_VERSION: NameTable = withGrease({
  0x0300: 'SSL 3.0',
  0x0301: 'TLS 1.0',
  0x0302: 'TLS 1.1',
  0x0303: 'TLS 1.2',
  0x0304: 'TLS 1.3',
  0xfeff: 'DTLS 1.0',
  0xfefd: 'DTLS 1.2',
  0xfefc: 'DTLS 1.3',
});

/** RFC 8701 GREASE values: 0x?A?A with both bytes equal (0x0A0A, 0x1A1A, … 0xFAFA). */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
}
/** One-byte GREASE values (PskKeyExchangeMode, …): 0x0B, 0x2A, 0x49, 0x68, 0x87, 0xA6, 0xC5, 0xE4. */
export function isGrease8(v: number): boolean {
  return v <= 0xff && (v - 0x0b) % 0x1f === 0 && v >= 0x0b;
}

function withGrease(t: Record<number, string>): NameTable {
  for (let i = 0; i < 16; i++) {
    const v = (i << 12) | 0x0a00 | (i << 4) | 0x0a;
    if (t[v] === undefined) t[v] = 'GREASE';
  }
  return t;
}

/** IANA "TLS Cipher Suites" (the TLS 1.3 ones, RFC 8446 §B.4, and the common TLS 1.2 ones). */
export const CIPHER_SUITE: NameTable = withGrease({
  0x0000: 'TLS_NULL_WITH_NULL_NULL',
  0x0001: 'TLS_RSA_WITH_NULL_MD5',
  0x0002: 'TLS_RSA_WITH_NULL_SHA',
  0x0004: 'TLS_RSA_WITH_RC4_128_MD5',
  0x0005: 'TLS_RSA_WITH_RC4_128_SHA',
  0x000a: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  0x0013: 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA',
  0x0016: 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA',
  0x002c: 'TLS_PSK_WITH_NULL_SHA',
  0x002f: 'TLS_RSA_WITH_AES_128_CBC_SHA',
  0x0032: 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA',
  0x0033: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
  0x0035: 'TLS_RSA_WITH_AES_256_CBC_SHA',
  0x0038: 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA',
  0x0039: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA',
  0x003b: 'TLS_RSA_WITH_NULL_SHA256',
  0x003c: 'TLS_RSA_WITH_AES_128_CBC_SHA256',
  0x003d: 'TLS_RSA_WITH_AES_256_CBC_SHA256',
  0x0040: 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256',
  0x0041: 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA',
  0x0045: 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA',
  0x0067: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
  0x006a: 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA256',
  0x006b: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
  0x0084: 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA',
  0x0088: 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA',
  0x008c: 'TLS_PSK_WITH_AES_128_CBC_SHA',
  0x008d: 'TLS_PSK_WITH_AES_256_CBC_SHA',
  0x0090: 'TLS_DHE_PSK_WITH_AES_128_CBC_SHA',
  0x0091: 'TLS_DHE_PSK_WITH_AES_256_CBC_SHA',
  0x0094: 'TLS_RSA_PSK_WITH_AES_128_CBC_SHA',
  0x0095: 'TLS_RSA_PSK_WITH_AES_256_CBC_SHA',
  0x009c: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
  0x009d: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
  0x009e: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  0x009f: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
  0x00a2: 'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256',
  0x00a3: 'TLS_DHE_DSS_WITH_AES_256_GCM_SHA384',
  0x00a8: 'TLS_PSK_WITH_AES_128_GCM_SHA256',
  0x00a9: 'TLS_PSK_WITH_AES_256_GCM_SHA384',
  0x00aa: 'TLS_DHE_PSK_WITH_AES_128_GCM_SHA256',
  0x00ab: 'TLS_DHE_PSK_WITH_AES_256_GCM_SHA384',
  0x00ac: 'TLS_RSA_PSK_WITH_AES_128_GCM_SHA256',
  0x00ad: 'TLS_RSA_PSK_WITH_AES_256_GCM_SHA384',
  0x00ae: 'TLS_PSK_WITH_AES_128_CBC_SHA256',
  0x00af: 'TLS_PSK_WITH_AES_256_CBC_SHA384',
  0x00b2: 'TLS_DHE_PSK_WITH_AES_128_CBC_SHA256',
  0x00b3: 'TLS_DHE_PSK_WITH_AES_256_CBC_SHA384',
  0x00b6: 'TLS_RSA_PSK_WITH_AES_128_CBC_SHA256',
  0x00b7: 'TLS_RSA_PSK_WITH_AES_256_CBC_SHA384',
  0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV',
  0x1301: 'TLS_AES_128_GCM_SHA256',
  0x1302: 'TLS_AES_256_GCM_SHA384',
  0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0x1304: 'TLS_AES_128_CCM_SHA256',
  0x1305: 'TLS_AES_128_CCM_8_SHA256',
  0x5600: 'TLS_FALLBACK_SCSV',
  0xc007: 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA',
  0xc008: 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA',
  0xc009: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  0xc00a: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  0xc011: 'TLS_ECDHE_RSA_WITH_RC4_128_SHA',
  0xc012: 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  0xc013: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  0xc014: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  0xc023: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  0xc024: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
  0xc027: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  0xc028: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  0xc02b: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  0xc02c: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  0xc030: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  0xc035: 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA',
  0xc036: 'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA',
  0xc037: 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256',
  0xc038: 'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384',
  0xc09c: 'TLS_RSA_WITH_AES_128_CCM',
  0xc09d: 'TLS_RSA_WITH_AES_256_CCM',
  0xc09e: 'TLS_DHE_RSA_WITH_AES_128_CCM',
  0xc09f: 'TLS_DHE_RSA_WITH_AES_256_CCM',
  0xc0a0: 'TLS_RSA_WITH_AES_128_CCM_8',
  0xc0a1: 'TLS_RSA_WITH_AES_256_CCM_8',
  0xc0a2: 'TLS_DHE_RSA_WITH_AES_128_CCM_8',
  0xc0a3: 'TLS_DHE_RSA_WITH_AES_256_CCM_8',
  0xc0a4: 'TLS_PSK_WITH_AES_128_CCM',
  0xc0a5: 'TLS_PSK_WITH_AES_256_CCM',
  0xc0a6: 'TLS_DHE_PSK_WITH_AES_128_CCM',
  0xc0a7: 'TLS_DHE_PSK_WITH_AES_256_CCM',
  0xc0a8: 'TLS_PSK_WITH_AES_128_CCM_8',
  0xc0a9: 'TLS_PSK_WITH_AES_256_CCM_8',
  0xc0aa: 'TLS_PSK_DHE_WITH_AES_128_CCM_8',
  0xc0ab: 'TLS_PSK_DHE_WITH_AES_256_CCM_8',
  0xc0ac: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM',
  0xc0ad: 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM',
  0xc0ae: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8',
  0xc0af: 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8',
  0xc0b4: 'TLS_SHA256_SHA256',
  0xc0b5: 'TLS_SHA384_SHA384',
  0xcca8: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  0xcca9: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  0xccaa: 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  0xccab: 'TLS_PSK_WITH_CHACHA20_POLY1305_SHA256',
  0xccac: 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256',
  0xccad: 'TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256',
  0xccae: 'TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256',
  0xd001: 'TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256',
  0xd002: 'TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384',
  0xd003: 'TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256',
  0xd005: 'TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256',
});

/** OpenSSL's names for the suites a lab session is likely to use (`openssl ciphers -V`). */
const OPENSSL_CIPHER_NAME: NameTable = {
  0x000a: 'DES-CBC3-SHA',
  0x002f: 'AES128-SHA',
  0x0033: 'DHE-RSA-AES128-SHA',
  0x0035: 'AES256-SHA',
  0x0039: 'DHE-RSA-AES256-SHA',
  0x003c: 'AES128-SHA256',
  0x003d: 'AES256-SHA256',
  0x0067: 'DHE-RSA-AES128-SHA256',
  0x006b: 'DHE-RSA-AES256-SHA256',
  0x009c: 'AES128-GCM-SHA256',
  0x009d: 'AES256-GCM-SHA384',
  0x009e: 'DHE-RSA-AES128-GCM-SHA256',
  0x009f: 'DHE-RSA-AES256-GCM-SHA384',
  0x00a8: 'PSK-AES128-GCM-SHA256',
  0x00a9: 'PSK-AES256-GCM-SHA384',
  0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV',
  0x1301: 'TLS_AES_128_GCM_SHA256',
  0x1302: 'TLS_AES_256_GCM_SHA384',
  0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0x1304: 'TLS_AES_128_CCM_SHA256',
  0x1305: 'TLS_AES_128_CCM_8_SHA256',
  0xc009: 'ECDHE-ECDSA-AES128-SHA',
  0xc00a: 'ECDHE-ECDSA-AES256-SHA',
  0xc013: 'ECDHE-RSA-AES128-SHA',
  0xc014: 'ECDHE-RSA-AES256-SHA',
  0xc023: 'ECDHE-ECDSA-AES128-SHA256',
  0xc024: 'ECDHE-ECDSA-AES256-SHA384',
  0xc027: 'ECDHE-RSA-AES128-SHA256',
  0xc028: 'ECDHE-RSA-AES256-SHA384',
  0xc02b: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  0xc02c: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  0xc02f: 'ECDHE-RSA-AES128-GCM-SHA256',
  0xc030: 'ECDHE-RSA-AES256-GCM-SHA384',
  0xc09c: 'AES128-CCM',
  0xc09d: 'AES256-CCM',
  0xc0ac: 'ECDHE-ECDSA-AES128-CCM',
  0xc0ad: 'ECDHE-ECDSA-AES256-CCM',
  0xcca8: 'ECDHE-RSA-CHACHA20-POLY1305',
  0xcca9: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  0xccaa: 'DHE-RSA-CHACHA20-POLY1305',
  0xccab: 'PSK-CHACHA20-POLY1305',
  0xccac: 'ECDHE-PSK-CHACHA20-POLY1305',
};

/** OpenSSL-style short name of a cipher suite (falls back to the IANA name, then hex). */
export function cipherSuiteShortName(id: number): string {
  return OPENSSL_CIPHER_NAME[id] ?? CIPHER_SUITE[id] ?? '0x' + id.toString(16).toUpperCase().padStart(4, '0');
}

/** NamedGroup (RFC 8446 §4.2.7, RFC 8422 §5.1.1, RFC 7919, draft-ietf-tls-ecdhe-mlkem). */
export const NAMED_GROUP: NameTable = withGrease({
  1: 'sect163k1',
  2: 'sect163r1',
  3: 'sect163r2',
  4: 'sect193r1',
  5: 'sect193r2',
  6: 'sect233k1',
  7: 'sect233r1',
  8: 'sect239k1',
  9: 'sect283k1',
  10: 'sect283r1',
  11: 'sect409k1',
  12: 'sect409r1',
  13: 'sect571k1',
  14: 'sect571r1',
  15: 'secp160k1',
  16: 'secp160r1',
  17: 'secp160r2',
  18: 'secp192k1',
  19: 'secp192r1',
  20: 'secp224k1',
  21: 'secp224r1',
  22: 'secp256k1',
  23: 'secp256r1',
  24: 'secp384r1',
  25: 'secp521r1',
  26: 'brainpoolP256r1',
  27: 'brainpoolP384r1',
  28: 'brainpoolP512r1',
  29: 'x25519',
  30: 'x448',
  31: 'brainpoolP256r1tls13',
  32: 'brainpoolP384r1tls13',
  33: 'brainpoolP512r1tls13',
  34: 'GC256A',
  35: 'GC256B',
  36: 'GC256C',
  37: 'GC256D',
  38: 'GC512A',
  39: 'GC512B',
  40: 'GC512C',
  41: 'curveSM2',
  0x0100: 'ffdhe2048',
  0x0101: 'ffdhe3072',
  0x0102: 'ffdhe4096',
  0x0103: 'ffdhe6144',
  0x0104: 'ffdhe8192',
  0x0200: 'MLKEM512',
  0x0201: 'MLKEM768',
  0x0202: 'MLKEM1024',
  0x11eb: 'SecP256r1MLKEM768',
  0x11ec: 'X25519MLKEM768',
  0x11ed: 'SecP384r1MLKEM1024',
  0x6399: 'X25519Kyber768Draft00',
  0x639a: 'SecP256r1Kyber768Draft00',
  0xff01: 'arbitrary_explicit_prime_curves',
  0xff02: 'arbitrary_explicit_char2_curves',
});

/** SignatureScheme (RFC 8446 §4.2.3) plus the RFC 5246 §7.4.1.4.1 hash/signature pairs. */
export const SIGNATURE_SCHEME: NameTable = withGrease({
  0x0101: 'rsa_pkcs1_md5',
  0x0102: 'dsa_md5',
  0x0103: 'ecdsa_md5',
  0x0201: 'rsa_pkcs1_sha1',
  0x0202: 'dsa_sha1',
  0x0203: 'ecdsa_sha1',
  0x0301: 'rsa_pkcs1_sha224',
  0x0302: 'dsa_sha224',
  0x0303: 'ecdsa_sha224',
  0x0401: 'rsa_pkcs1_sha256',
  0x0402: 'dsa_sha256',
  0x0403: 'ecdsa_secp256r1_sha256',
  0x0420: 'rsa_pkcs1_sha256_legacy',
  0x0501: 'rsa_pkcs1_sha384',
  0x0502: 'dsa_sha384',
  0x0503: 'ecdsa_secp384r1_sha384',
  0x0520: 'rsa_pkcs1_sha384_legacy',
  0x0601: 'rsa_pkcs1_sha512',
  0x0602: 'dsa_sha512',
  0x0603: 'ecdsa_secp521r1_sha512',
  0x0620: 'rsa_pkcs1_sha512_legacy',
  0x0704: 'eccsi_sha256',
  0x0705: 'iso_ibs1',
  0x0706: 'iso_ibs2',
  0x0707: 'iso_chinese_ibs',
  0x0708: 'sm2sig_sm3',
  0x0709: 'gostr34102012_256a',
  0x070a: 'gostr34102012_256b',
  0x070b: 'gostr34102012_256c',
  0x070c: 'gostr34102012_256d',
  0x070d: 'gostr34102012_512a',
  0x070e: 'gostr34102012_512b',
  0x070f: 'gostr34102012_512c',
  0x0804: 'rsa_pss_rsae_sha256',
  0x0805: 'rsa_pss_rsae_sha384',
  0x0806: 'rsa_pss_rsae_sha512',
  0x0807: 'ed25519',
  0x0808: 'ed448',
  0x0809: 'rsa_pss_pss_sha256',
  0x080a: 'rsa_pss_pss_sha384',
  0x080b: 'rsa_pss_pss_sha512',
  0x081a: 'ecdsa_brainpoolP256r1tls13_sha256',
  0x081b: 'ecdsa_brainpoolP384r1tls13_sha384',
  0x081c: 'ecdsa_brainpoolP512r1tls13_sha512',
  0x0904: 'mldsa44',
  0x0905: 'mldsa65',
  0x0906: 'mldsa87',
});

/** IANA "TLS ExtensionType Values". GREASE values are deliberately not named here: they show as hex. */
export const EXTENSION_TYPE: NameTable = {
  0: 'server_name',
  1: 'max_fragment_length',
  2: 'client_certificate_url',
  3: 'trusted_ca_keys',
  4: 'truncated_hmac',
  5: 'status_request',
  6: 'user_mapping',
  7: 'client_authz',
  8: 'server_authz',
  9: 'cert_type',
  10: 'supported_groups',
  11: 'ec_point_formats',
  12: 'srp',
  13: 'signature_algorithms',
  14: 'use_srtp',
  15: 'heartbeat',
  16: 'application_layer_protocol_negotiation',
  17: 'status_request_v2',
  18: 'signed_certificate_timestamp',
  19: 'client_certificate_type',
  20: 'server_certificate_type',
  21: 'padding',
  22: 'encrypt_then_mac',
  23: 'extended_master_secret',
  24: 'token_binding',
  25: 'cached_info',
  26: 'tls_lts',
  27: 'compress_certificate',
  28: 'record_size_limit',
  29: 'pwd_protect',
  30: 'pwd_clear',
  31: 'password_salt',
  32: 'ticket_pinning',
  33: 'tls_cert_with_extern_psk',
  34: 'delegated_credential',
  35: 'session_ticket',
  36: 'TLMSP',
  37: 'TLMSP_proxying',
  38: 'TLMSP_delegate',
  39: 'supported_ekt_ciphers',
  41: 'pre_shared_key',
  42: 'early_data',
  43: 'supported_versions',
  44: 'cookie',
  45: 'psk_key_exchange_modes',
  47: 'certificate_authorities',
  48: 'oid_filters',
  49: 'post_handshake_auth',
  50: 'signature_algorithms_cert',
  51: 'key_share',
  52: 'transparency_info',
  53: 'connection_id_deprecated',
  54: 'connection_id',
  55: 'external_id_hash',
  56: 'external_session_id',
  57: 'quic_transport_parameters',
  58: 'ticket_request',
  59: 'dnssec_chain',
  60: 'sequence_number_encryption_algorithms',
  61: 'rrc',
  62: 'tls_flags',
  0x4469: 'application_settings_old',
  0x44cd: 'application_settings',
  0xfd00: 'ech_outer_extensions',
  0xfe0d: 'encrypted_client_hello',
  0xff01: 'renegotiation_info',
};

/** RFC 8446 §6 AlertLevel. */
export const ALERT_LEVEL: NameTable = { 1: 'warning', 2: 'fatal' };

/** RFC 8446 §6 AlertDescription plus the RFC 5246 §7.2 / RFC 6066 / RFC 7301 / RFC 7507 ones. */
export const ALERT_DESCRIPTION: NameTable = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  52: 'too_many_cids_requested',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  111: 'certificate_unobtainable',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  114: 'bad_certificate_hash_value',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  117: 'general_error',
  120: 'no_application_protocol',
  121: 'ech_required',
};

/** RFC 5246 §7.4.4 / RFC 8422 §5.5 ClientCertificateType. */
export const CLIENT_CERTIFICATE_TYPE: NameTable = {
  1: 'rsa_sign',
  2: 'dss_sign',
  3: 'rsa_fixed_dh',
  4: 'dss_fixed_dh',
  5: 'rsa_ephemeral_dh_RESERVED',
  6: 'dss_ephemeral_dh_RESERVED',
  20: 'fortezza_dms_RESERVED',
  64: 'ecdsa_sign',
  65: 'rsa_fixed_ecdh',
  66: 'ecdsa_fixed_ecdh',
  67: 'gost_sign256',
  68: 'gost_sign512',
};

/** RFC 8446 §4.2.9 PskKeyExchangeMode. */
export const PSK_KEY_EXCHANGE_MODE: NameTable = { 0: 'psk_ke', 1: 'psk_dhe_ke' };

/** RFC 8422 §5.1.2 ECPointFormat. */
export const EC_POINT_FORMAT: NameTable = {
  0: 'uncompressed',
  1: 'ansiX962_compressed_prime',
  2: 'ansiX962_compressed_char2',
};

/** RFC 8422 §5.4 ECCurveType. */
export const EC_CURVE_TYPE: NameTable = { 1: 'explicit_prime', 2: 'explicit_char2', 3: 'named_curve' };

/** RFC 6066 §8 / RFC 6961 CertificateStatusType. */
export const CERTIFICATE_STATUS_TYPE: NameTable = { 1: 'ocsp', 2: 'ocsp_multi' };

/** RFC 5246 §7.4.1.2 / RFC 3749 CompressionMethod. */
export const COMPRESSION_METHOD: NameTable = { 0: 'null', 1: 'DEFLATE', 64: 'LZS' };

/** RFC 8446 §4.6.3 KeyUpdateRequest. */
export const KEY_UPDATE_REQUEST: NameTable = { 0: 'update_not_requested', 1: 'update_requested' };

/** RFC 6066 §3 NameType. */
export const SERVER_NAME_TYPE: NameTable = { 0: 'host_name' };

/** RFC 8879 CertificateCompressionAlgorithm. */
export const CERT_COMPRESSION_ALGORITHM: NameTable = { 1: 'zlib', 2: 'brotli', 3: 'zstd' };

/** RFC 6066 §4 MaxFragmentLength. */
export const MAX_FRAGMENT_LENGTH: NameTable = { 1: '2^9', 2: '2^10', 3: '2^11', 4: '2^12' };

// ---------------------------------------------------------------------------------------------
// Cipher suite parameters

export type KeyExchange = 'tls13' | 'ecdhe' | 'dhe' | 'rsa' | 'psk' | 'other';
export type Aead = 'AES-128-GCM' | 'AES-256-GCM' | 'CHACHA20-POLY1305' | 'AES-128-CCM';

export interface CipherSuiteInfo {
  kx: KeyExchange;
  /** The AEAD, when the suite is an AEAD suite this table knows. */
  aead?: Aead;
  /** PRF / HKDF hash. */
  hash: 'SHA-256' | 'SHA-384';
  /** Record protection key length in bytes. */
  keyLen: number;
  /**
   * Bytes of IV derived from the key schedule: 12 for TLS 1.3 and ChaCha20 (RFC 7905), 4 for the
   * TLS 1.2 AES-GCM/CCM implicit salt (RFC 5288 §3, RFC 6655 §3).
   */
  fixedIvLen: number;
}

const INFO: Record<number, CipherSuiteInfo> = {
  0x1301: { kx: 'tls13', aead: 'AES-128-GCM', hash: 'SHA-256', keyLen: 16, fixedIvLen: 12 },
  0x1302: { kx: 'tls13', aead: 'AES-256-GCM', hash: 'SHA-384', keyLen: 32, fixedIvLen: 12 },
  0x1303: { kx: 'tls13', aead: 'CHACHA20-POLY1305', hash: 'SHA-256', keyLen: 32, fixedIvLen: 12 },
  0x1304: { kx: 'tls13', aead: 'AES-128-CCM', hash: 'SHA-256', keyLen: 16, fixedIvLen: 12 },
  0xc02b: { kx: 'ecdhe', aead: 'AES-128-GCM', hash: 'SHA-256', keyLen: 16, fixedIvLen: 4 },
  0xc02c: { kx: 'ecdhe', aead: 'AES-256-GCM', hash: 'SHA-384', keyLen: 32, fixedIvLen: 4 },
  0xc02f: { kx: 'ecdhe', aead: 'AES-128-GCM', hash: 'SHA-256', keyLen: 16, fixedIvLen: 4 },
  0xc030: { kx: 'ecdhe', aead: 'AES-256-GCM', hash: 'SHA-384', keyLen: 32, fixedIvLen: 4 },
  0xcca8: { kx: 'ecdhe', aead: 'CHACHA20-POLY1305', hash: 'SHA-256', keyLen: 32, fixedIvLen: 12 },
  0xcca9: { kx: 'ecdhe', aead: 'CHACHA20-POLY1305', hash: 'SHA-256', keyLen: 32, fixedIvLen: 12 },
  0x009c: { kx: 'rsa', aead: 'AES-128-GCM', hash: 'SHA-256', keyLen: 16, fixedIvLen: 4 },
  0x009d: { kx: 'rsa', aead: 'AES-256-GCM', hash: 'SHA-384', keyLen: 32, fixedIvLen: 4 },
  0x009e: { kx: 'dhe', aead: 'AES-128-GCM', hash: 'SHA-256', keyLen: 16, fixedIvLen: 4 },
  0x009f: { kx: 'dhe', aead: 'AES-256-GCM', hash: 'SHA-384', keyLen: 32, fixedIvLen: 4 },
  0xccaa: { kx: 'dhe', aead: 'CHACHA20-POLY1305', hash: 'SHA-256', keyLen: 32, fixedIvLen: 12 },
  0xc0ac: { kx: 'ecdhe', aead: 'AES-128-CCM', hash: 'SHA-256', keyLen: 16, fixedIvLen: 4 },
  0xc09c: { kx: 'rsa', aead: 'AES-128-CCM', hash: 'SHA-256', keyLen: 16, fixedIvLen: 4 },
  0xc09e: { kx: 'dhe', aead: 'AES-128-CCM', hash: 'SHA-256', keyLen: 16, fixedIvLen: 4 },
};

/** Record-protection parameters of a suite, for the suites where they are known (AEAD suites). */
export function cipherSuiteInfo(id: number): CipherSuiteInfo | undefined {
  const i = INFO[id];
  return i ? { ...i } : undefined;
}

/**
 * Key exchange of any named suite, from its IANA name (TLS 1.3 suites → 'tls13'). Used to pick
 * the ClientKeyExchange / ServerKeyExchange form (RFC 5246 §7.4.3, §7.4.7; RFC 8422 §5.4, §5.7).
 */
export function cipherSuiteKeyExchange(id: number): KeyExchange {
  const known = INFO[id];
  if (known) return known.kx;
  if ((id & 0xff00) === 0x1300 || id === 0xc0b4 || id === 0xc0b5) return 'tls13';
  const n = CIPHER_SUITE[id];
  if (!n) return 'other';
  if (n.startsWith('TLS_ECDHE_PSK_') || n.startsWith('TLS_DHE_PSK_') || n.startsWith('TLS_RSA_PSK_') || n.startsWith('TLS_PSK_')) return 'psk';
  if (n.startsWith('TLS_ECDHE_')) return 'ecdhe';
  if (n.startsWith('TLS_DHE_')) return 'dhe';
  if (n.startsWith('TLS_RSA_WITH_')) return 'rsa';
  return 'other';
}

/** Human one-liner of a version number: `TLS 1.2`, or hex when unknown. */
export function versionName(v: number): string {
  return PROTOCOL_VERSION[v] ?? (isGrease(v) ? 'GREASE' : '0x' + v.toString(16).toUpperCase().padStart(4, '0'));
}
