/**
 * OpenSSL 3.0 certificate verification errors (include/openssl/x509_vfy.h.in) and their texts
 * (crypto/x509/x509_txt.c). Node reports them as `err.code` / `authorizationError` without the
 * `X509_V_ERR_` prefix; its own hostname check adds ERR_TLS_CERT_ALTNAME_INVALID.
 */
export const X509_V_ERR: Readonly<Record<number, readonly [name: string, text: string]>> = {
  0: ['X509_V_OK', 'ok'],
  2: ['X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT', 'unable to get issuer certificate'],
  3: ['X509_V_ERR_UNABLE_TO_GET_CRL', 'unable to get certificate CRL'],
  4: ['X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE', "unable to decrypt certificate's signature"],
  5: ['X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE', "unable to decrypt CRL's signature"],
  6: ['X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'unable to decode issuer public key'],
  7: ['X509_V_ERR_CERT_SIGNATURE_FAILURE', 'certificate signature failure'],
  8: ['X509_V_ERR_CRL_SIGNATURE_FAILURE', 'CRL signature failure'],
  9: ['X509_V_ERR_CERT_NOT_YET_VALID', 'certificate is not yet valid'],
  10: ['X509_V_ERR_CERT_HAS_EXPIRED', 'certificate has expired'],
  11: ['X509_V_ERR_CRL_NOT_YET_VALID', 'CRL is not yet valid'],
  12: ['X509_V_ERR_CRL_HAS_EXPIRED', 'CRL has expired'],
  13: ['X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD', "format error in certificate's notBefore field"],
  14: ['X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD', "format error in certificate's notAfter field"],
  15: ['X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD', "format error in CRL's lastUpdate field"],
  16: ['X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD', "format error in CRL's nextUpdate field"],
  17: ['X509_V_ERR_OUT_OF_MEM', 'out of memory'],
  18: ['X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'],
  19: ['X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'],
  20: ['X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate'],
  21: ['X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'],
  22: ['X509_V_ERR_CERT_CHAIN_TOO_LONG', 'certificate chain too long'],
  23: ['X509_V_ERR_CERT_REVOKED', 'certificate revoked'],
  24: ['X509_V_ERR_INVALID_CA', 'invalid CA certificate'],
  25: ['X509_V_ERR_PATH_LENGTH_EXCEEDED', 'path length constraint exceeded'],
  26: ['X509_V_ERR_INVALID_PURPOSE', 'unsupported certificate purpose'],
  27: ['X509_V_ERR_CERT_UNTRUSTED', 'certificate not trusted'],
  28: ['X509_V_ERR_CERT_REJECTED', 'certificate rejected'],
  29: ['X509_V_ERR_SUBJECT_ISSUER_MISMATCH', 'subject issuer mismatch'],
  30: ['X509_V_ERR_AKID_SKID_MISMATCH', 'authority and subject key identifier mismatch'],
  31: ['X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH', 'authority and issuer serial number mismatch'],
  32: ['X509_V_ERR_KEYUSAGE_NO_CERTSIGN', 'key usage does not include certificate signing'],
  33: ['X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER', 'unable to get CRL issuer certificate'],
  34: ['X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION', 'unhandled critical extension'],
  35: ['X509_V_ERR_KEYUSAGE_NO_CRL_SIGN', 'key usage does not include CRL signing'],
  36: ['X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION', 'unhandled critical CRL extension'],
  37: ['X509_V_ERR_INVALID_NON_CA', 'invalid non-CA certificate (has CA markings)'],
  38: ['X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED', 'proxy path length constraint exceeded'],
  39: ['X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE', 'key usage does not include digital signature'],
  41: ['X509_V_ERR_INVALID_EXTENSION', 'invalid or inconsistent certificate extension'],
  42: ['X509_V_ERR_INVALID_POLICY_EXTENSION', 'invalid or inconsistent certificate policy extension'],
  43: ['X509_V_ERR_NO_EXPLICIT_POLICY', 'no explicit policy'],
  44: ['X509_V_ERR_DIFFERENT_CRL_SCOPE', 'Different CRL scope'],
  45: ['X509_V_ERR_UNSUPPORTED_EXTENSION_FEATURE', 'Unsupported extension feature'],
  47: ['X509_V_ERR_PERMITTED_VIOLATION', 'permitted subtree violation'],
  48: ['X509_V_ERR_EXCLUDED_VIOLATION', 'excluded subtree violation'],
  49: ['X509_V_ERR_SUBTREE_MINMAX', 'name constraints minimum and maximum not supported'],
  51: ['X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE', 'unsupported name constraint type'],
  52: ['X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX', 'unsupported or invalid name constraint syntax'],
  53: ['X509_V_ERR_UNSUPPORTED_NAME_SYNTAX', 'unsupported or invalid name syntax'],
  54: ['X509_V_ERR_CRL_PATH_VALIDATION_ERROR', 'CRL path validation error'],
  62: ['X509_V_ERR_HOSTNAME_MISMATCH', 'hostname mismatch'],
  63: ['X509_V_ERR_EMAIL_MISMATCH', 'email address mismatch'],
  64: ['X509_V_ERR_IP_ADDRESS_MISMATCH', 'IP address mismatch'],
  66: ['X509_V_ERR_INVALID_CALL', 'invalid certificate verification context'],
  67: ['X509_V_ERR_STORE_LOOKUP', 'issuer certificate lookup error'],
  68: ['X509_V_ERR_NO_VALID_SCTS', 'Certificate Transparency required, but no valid SCTs found'],
  69: ['X509_V_ERR_PROXY_SUBJECT_NAME_VIOLATION', 'proxy subject name violation'],
  70: ['X509_V_ERR_OCSP_VERIFY_NEEDED', 'OCSP verification needed'],
  71: ['X509_V_ERR_OCSP_VERIFY_FAILED', 'OCSP verification failed'],
  72: ['X509_V_ERR_OCSP_CERT_UNKNOWN', 'OCSP unknown cert'],
  76: ['X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH', 'subject signature algorithm and issuer public key algorithm mismatch'],
  77: ['X509_V_ERR_NO_ISSUER_PUBLIC_KEY', 'issuer certificate doesn\'t have a public key'],
  78: ['X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM', 'Cannot find certificate signature algorithm'],
  79: ['X509_V_ERR_EE_KEY_TOO_SMALL', 'EE certificate key too weak'],
  80: ['X509_V_ERR_CA_KEY_TOO_SMALL', 'CA certificate key too weak'],
  81: ['X509_V_ERR_CA_MD_TOO_WEAK', 'CA signature digest algorithm too weak'],
  83: ['X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA', 'Path length invalid for non-CA cert'],
  84: ['X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN', 'Path length given without key usage keyCertSign'],
  85: ['X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA', 'Key usage keyCertSign invalid for non-CA cert'],
  86: ['X509_V_ERR_ISSUER_NAME_EMPTY', 'Issuer name empty'],
  87: ['X509_V_ERR_SUBJECT_NAME_EMPTY', 'Subject name empty'],
  88: ['X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER', 'Missing Authority Key Identifier'],
  89: ['X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER', 'Missing Subject Key Identifier'],
  90: ['X509_V_ERR_EMPTY_SUBJECT_ALT_NAME', 'Empty Subject Alternative Name extension'],
  92: ['X509_V_ERR_CA_BCONS_NOT_CRITICAL', 'Basic Constraints of CA cert not marked critical'],
  93: ['X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL', 'Subject empty and Subject Alt Name extension not critical'],
  94: ['X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL', 'Authority Key Identifier marked critical'],
  95: ['X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL', 'Subject Key Identifier marked critical'],
  96: ['X509_V_ERR_CA_CERT_MISSING_KEY_USAGE', 'CA cert does not include key usage extension'],
  97: ['X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3', 'Using cert extension requires at least X509v3'],
  98: ['X509_V_ERR_EC_KEY_EXPLICIT_PARAMS', 'Certificate public key has explicit ECC parameters'],
};

const BY_NAME = new Map(Object.entries(X509_V_ERR).map(([code, [name, text]]) => [name, { name, code: Number(code), text }]));

export interface X509Error {
  name: string;
  code: number;
  text: string;
}

export function x509ErrorByCode(code: number): X509Error {
  const e = X509_V_ERR[code];
  return e ? { name: e[0], code, text: e[1] } : { name: `X509_V_ERR_${code}`, code, text: `verify error ${code}` };
}

export function x509ErrorByName(name: string): X509Error | undefined {
  return BY_NAME.get(name);
}

/**
 * The X509 error a Node error code stands for: `CERT_HAS_EXPIRED` → X509_V_ERR_CERT_HAS_EXPIRED (10).
 * Node's own hostname check (ERR_TLS_CERT_ALTNAME_INVALID) is reported as the OpenSSL check it
 * corresponds to, X509_V_ERR_HOSTNAME_MISMATCH (62). Other codes (ECONNRESET …) are not verify errors.
 */
export function x509ErrorOfNodeCode(code: string): X509Error | undefined {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return x509ErrorByCode(62);
  return BY_NAME.get(`X509_V_ERR_${code}`);
}
