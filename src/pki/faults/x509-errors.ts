/**
 * OpenSSL 3.0 X509_V_ERR_* codes the explainer can predict, with the TLS alert OpenSSL sends for
 * each (ssl/statem/statem_lib.c `x509table` / ssl_x509err2alert; anything not listed there →
 * certificate_unknown 46), and whether Node.js names it (src/crypto/crypto_common.cc
 * X509ErrorCode(): a fixed list of X509_V_ERR_* NAMES, see {@link NODE_X509_NAMES}; every other
 * error reaches JavaScript as 'UNSPECIFIED', X509_V_ERR_UNSPECIFIED = 1).
 * Alerts for 9, 10, 18, 20, 7, 26, 34, 47, 62 were confirmed against openssl s_server/s_client 3.0.19.
 */
import { verifyErrorName, x509ErrorByName } from '../../protocol/tls/x509-verify.ts';
import type { Text } from './types.ts';

/** TLS alert descriptions (RFC 8446 §6 / RFC 5246 §7.2). */
export const ALERTS = {
  handshake_failure: 40,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_revoked: 44,
  certificate_expired: 45,
  certificate_unknown: 46,
  unknown_ca: 48,
  decrypt_error: 51,
  protocol_version: 70,
  internal_error: 80,
  certificate_required: 116,
} as const;
export type AlertName = keyof typeof ALERTS;

export interface X509ErrorInfo {
  code: number;
  /** Without the X509_V_ERR_ prefix. */
  short: string;
  /** X509_verify_cert_error_string(). */
  text: string;
  alert: AlertName;
  zh: string;
}

const E = (code: number, short: string, text: string, alert: AlertName, zh: string): X509ErrorInfo => ({ code, short, text, alert, zh });

export const X509_ERRORS: readonly X509ErrorInfo[] = [
  E(2, 'UNABLE_TO_GET_ISSUER_CERT', 'unable to get issuer certificate', 'unknown_ca', '找不到颁发者证书'),
  E(3, 'UNABLE_TO_GET_CRL', 'unable to get certificate CRL', 'unknown_ca', '找不到该证书的 CRL'),
  E(7, 'CERT_SIGNATURE_FAILURE', 'certificate signature failure', 'decrypt_error', '证书签名校验失败'),
  E(8, 'CRL_SIGNATURE_FAILURE', 'CRL signature failure', 'decrypt_error', 'CRL 签名校验失败'),
  E(9, 'CERT_NOT_YET_VALID', 'certificate is not yet valid', 'bad_certificate', '证书尚未生效'),
  E(10, 'CERT_HAS_EXPIRED', 'certificate has expired', 'certificate_expired', '证书已过期'),
  E(11, 'CRL_NOT_YET_VALID', 'CRL is not yet valid', 'bad_certificate', 'CRL 尚未生效'),
  E(12, 'CRL_HAS_EXPIRED', 'CRL has expired', 'certificate_expired', 'CRL 已过期'),
  E(18, 'DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'unknown_ca', '自签名证书'),
  E(19, 'SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', 'unknown_ca', '证书链中含有不受信任的自签名证书'),
  E(20, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate', 'unknown_ca', '在本地信任库中找不到颁发者证书'),
  E(21, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', 'unknown_ca', '无法验证第一张证书的签名'),
  E(23, 'CERT_REVOKED', 'certificate revoked', 'certificate_revoked', '证书已被吊销'),
  E(79, 'INVALID_CA', 'invalid CA certificate', 'unknown_ca', '无效的 CA 证书'),
  E(25, 'PATH_LENGTH_EXCEEDED', 'path length constraint exceeded', 'unknown_ca', '超出路径长度约束'),
  E(26, 'INVALID_PURPOSE', 'unsupported certificate purpose', 'unsupported_certificate', '证书用途不符'),
  E(32, 'KEYUSAGE_NO_CERTSIGN', 'key usage does not include certificate signing', 'certificate_unknown', '密钥用途不含证书签名'),
  E(33, 'UNABLE_TO_GET_CRL_ISSUER', 'unable to get CRL issuer certificate', 'unknown_ca', '找不到 CRL 的颁发者证书'),
  E(34, 'UNHANDLED_CRITICAL_EXTENSION', 'unhandled critical extension', 'certificate_unknown', '存在无法处理的关键扩展'),
  E(47, 'PERMITTED_VIOLATION', 'permitted subtree violation', 'certificate_unknown', '违反名称约束的允许子树'),
  E(48, 'EXCLUDED_VIOLATION', 'excluded subtree violation', 'certificate_unknown', '违反名称约束的排除子树'),
  E(62, 'HOSTNAME_MISMATCH', 'hostname mismatch', 'bad_certificate', '主机名不匹配'),
  E(64, 'IP_ADDRESS_MISMATCH', 'IP address mismatch', 'bad_certificate', 'IP 地址不匹配'),
  E(66, 'EE_KEY_TOO_SMALL', 'EE certificate key too weak', 'bad_certificate', '终端实体证书密钥太弱'),
  E(67, 'CA_KEY_TOO_SMALL', 'CA certificate key too weak', 'bad_certificate', 'CA 证书密钥太弱'),
  E(68, 'CA_MD_TOO_WEAK', 'CA signature digest algorithm too weak', 'bad_certificate', '签名摘要算法太弱'),
];

export function x509Error(code: number): X509ErrorInfo {
  const e = X509_ERRORS.find((x) => x.code === code);
  if (!e) throw new Error(`no X509 error ${code} in the table`);
  return e;
}

/** The alert OpenSSL's ssl_verify_alarm_type() sends for an X509 error. */
export function alertFor(code: number): { description: AlertName; code: number } {
  const d = X509_ERRORS.find((x) => x.code === code)?.alert ?? 'certificate_unknown';
  return { description: d, code: ALERTS[d] };
}

/**
 * The X509_V_ERR_* names Node.js reports by name (node's src/crypto/crypto_common.cc
 * X509ErrorCode(), the CASE_X509_ERR list). The list is by NAME: INVALID_CA is 24 in OpenSSL 1.1
 * but 79 in 3.0, and Node names it either way.
 */
export const NODE_X509_NAMES: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_CRL', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'CERT_SIGNATURE_FAILURE', 'CRL_SIGNATURE_FAILURE', 'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED', 'CRL_NOT_YET_VALID', 'CRL_HAS_EXPIRED', 'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD', 'ERROR_IN_CRL_LAST_UPDATE_FIELD', 'ERROR_IN_CRL_NEXT_UPDATE_FIELD', 'OUT_OF_MEM',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_CHAIN_TOO_LONG', 'CERT_REVOKED', 'INVALID_CA', 'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'HOSTNAME_MISMATCH',
]);

/** Node's X509ErrorCode(): the error's name (without X509_V_ERR_) when Node names it, else 'UNSPECIFIED'. */
export function nodeCodeFor(code: number): string {
  const short = verifyErrorName(code).replace(/^X509_V_ERR_/, '');
  return NODE_X509_NAMES.has(short) ? short : 'UNSPECIFIED';
}

/** The verify error a Node.js endpoint can report for an OpenSSL error: itself, or X509_V_ERR_UNSPECIFIED (1). */
export function nodeVerifyError(code: number): { name: string; code: number } {
  const e = x509ErrorByName(`X509_V_ERR_${nodeCodeFor(code)}`);
  if (!e) throw new Error(`no X509 error named ${nodeCodeFor(code)}`);
  return { name: e.name, code: e.code };
}

export const X509_TEXT = (code: number): Text => {
  const e = x509Error(code);
  return { en: e.text, zh: e.zh };
};
