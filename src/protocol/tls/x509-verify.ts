/**
 * OpenSSL's certificate verification errors (X509_V_ERR_*): numbers and names exactly as in
 * include/openssl/x509_vfy.h of OpenSSL 3.0.19 (24 is NO_ISSUER_PUBLIC_KEY and 79 INVALID_CA since
 * 3.0), texts as X509_verify_cert_error_string() gives them (crypto/x509/x509_txt.c). Pure data:
 * the CLI, the server and the browser show the same words.
 */
export const OPENSSL_VERIFY_ERRORS: Readonly<Record<number, string>> = {
  0: 'X509_V_OK',
  1: 'X509_V_ERR_UNSPECIFIED',
  2: 'X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT',
  3: 'X509_V_ERR_UNABLE_TO_GET_CRL',
  4: 'X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  5: 'X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  6: 'X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  7: 'X509_V_ERR_CERT_SIGNATURE_FAILURE',
  8: 'X509_V_ERR_CRL_SIGNATURE_FAILURE',
  9: 'X509_V_ERR_CERT_NOT_YET_VALID',
  10: 'X509_V_ERR_CERT_HAS_EXPIRED',
  11: 'X509_V_ERR_CRL_NOT_YET_VALID',
  12: 'X509_V_ERR_CRL_HAS_EXPIRED',
  13: 'X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD',
  14: 'X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD',
  15: 'X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD',
  16: 'X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  17: 'X509_V_ERR_OUT_OF_MEM',
  18: 'X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT',
  19: 'X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN',
  20: 'X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  21: 'X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  22: 'X509_V_ERR_CERT_CHAIN_TOO_LONG',
  23: 'X509_V_ERR_CERT_REVOKED',
  24: 'X509_V_ERR_NO_ISSUER_PUBLIC_KEY',
  25: 'X509_V_ERR_PATH_LENGTH_EXCEEDED',
  26: 'X509_V_ERR_INVALID_PURPOSE',
  27: 'X509_V_ERR_CERT_UNTRUSTED',
  28: 'X509_V_ERR_CERT_REJECTED',
  29: 'X509_V_ERR_SUBJECT_ISSUER_MISMATCH',
  30: 'X509_V_ERR_AKID_SKID_MISMATCH',
  31: 'X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH',
  32: 'X509_V_ERR_KEYUSAGE_NO_CERTSIGN',
  33: 'X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER',
  34: 'X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION',
  35: 'X509_V_ERR_KEYUSAGE_NO_CRL_SIGN',
  36: 'X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION',
  37: 'X509_V_ERR_INVALID_NON_CA',
  38: 'X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED',
  39: 'X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE',
  40: 'X509_V_ERR_PROXY_CERTIFICATES_NOT_ALLOWED',
  41: 'X509_V_ERR_INVALID_EXTENSION',
  42: 'X509_V_ERR_INVALID_POLICY_EXTENSION',
  43: 'X509_V_ERR_NO_EXPLICIT_POLICY',
  44: 'X509_V_ERR_DIFFERENT_CRL_SCOPE',
  45: 'X509_V_ERR_UNSUPPORTED_EXTENSION_FEATURE',
  46: 'X509_V_ERR_UNNESTED_RESOURCE',
  47: 'X509_V_ERR_PERMITTED_VIOLATION',
  48: 'X509_V_ERR_EXCLUDED_VIOLATION',
  49: 'X509_V_ERR_SUBTREE_MINMAX',
  50: 'X509_V_ERR_APPLICATION_VERIFICATION',
  51: 'X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE',
  52: 'X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX',
  53: 'X509_V_ERR_UNSUPPORTED_NAME_SYNTAX',
  54: 'X509_V_ERR_CRL_PATH_VALIDATION_ERROR',
  55: 'X509_V_ERR_PATH_LOOP',
  56: 'X509_V_ERR_SUITE_B_INVALID_VERSION',
  57: 'X509_V_ERR_SUITE_B_INVALID_ALGORITHM',
  58: 'X509_V_ERR_SUITE_B_INVALID_CURVE',
  59: 'X509_V_ERR_SUITE_B_INVALID_SIGNATURE_ALGORITHM',
  60: 'X509_V_ERR_SUITE_B_LOS_NOT_ALLOWED',
  61: 'X509_V_ERR_SUITE_B_CANNOT_SIGN_P_384_WITH_P_256',
  62: 'X509_V_ERR_HOSTNAME_MISMATCH',
  63: 'X509_V_ERR_EMAIL_MISMATCH',
  64: 'X509_V_ERR_IP_ADDRESS_MISMATCH',
  65: 'X509_V_ERR_DANE_NO_MATCH',
  66: 'X509_V_ERR_EE_KEY_TOO_SMALL',
  67: 'X509_V_ERR_CA_KEY_TOO_SMALL',
  68: 'X509_V_ERR_CA_MD_TOO_WEAK',
  69: 'X509_V_ERR_INVALID_CALL',
  70: 'X509_V_ERR_STORE_LOOKUP',
  71: 'X509_V_ERR_NO_VALID_SCTS',
  72: 'X509_V_ERR_PROXY_SUBJECT_NAME_VIOLATION',
  73: 'X509_V_ERR_OCSP_VERIFY_NEEDED',
  74: 'X509_V_ERR_OCSP_VERIFY_FAILED',
  75: 'X509_V_ERR_OCSP_CERT_UNKNOWN',
  76: 'X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM',
  77: 'X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH',
  78: 'X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY',
  79: 'X509_V_ERR_INVALID_CA',
  80: 'X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA',
  81: 'X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN',
  82: 'X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA',
  83: 'X509_V_ERR_ISSUER_NAME_EMPTY',
  84: 'X509_V_ERR_SUBJECT_NAME_EMPTY',
  85: 'X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER',
  86: 'X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER',
  87: 'X509_V_ERR_EMPTY_SUBJECT_ALT_NAME',
  88: 'X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL',
  89: 'X509_V_ERR_CA_BCONS_NOT_CRITICAL',
  90: 'X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL',
  91: 'X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL',
  92: 'X509_V_ERR_CA_CERT_MISSING_KEY_USAGE',
  93: 'X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3',
  94: 'X509_V_ERR_EC_KEY_EXPLICIT_PARAMS',
};

/** The X509_V_ERR_* name of an OpenSSL 3.0 verify error number. */
export function verifyErrorName(code: number): string {
  return OPENSSL_VERIFY_ERRORS[code] ?? `X509_V_ERR_${code}`;
}


/** X509_verify_cert_error_string() for the errors the lab meets; others fall back to the name. */
const TEXT: Readonly<Record<string, string>> = {
  X509_V_OK: "ok",
  X509_V_ERR_UNSPECIFIED: "unspecified certificate verification error",
  X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT: "unable to get issuer certificate",
  X509_V_ERR_UNABLE_TO_GET_CRL: "unable to get certificate CRL",
  X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE: "unable to decrypt certificate's signature",
  X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE: "unable to decrypt CRL's signature",
  X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: "unable to decode issuer public key",
  X509_V_ERR_CERT_SIGNATURE_FAILURE: "certificate signature failure",
  X509_V_ERR_CRL_SIGNATURE_FAILURE: "CRL signature failure",
  X509_V_ERR_CERT_NOT_YET_VALID: "certificate is not yet valid",
  X509_V_ERR_CERT_HAS_EXPIRED: "certificate has expired",
  X509_V_ERR_CRL_NOT_YET_VALID: "CRL is not yet valid",
  X509_V_ERR_CRL_HAS_EXPIRED: "CRL has expired",
  X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD: "format error in certificate's notBefore field",
  X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD: "format error in certificate's notAfter field",
  X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD: "format error in CRL's lastUpdate field",
  X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD: "format error in CRL's nextUpdate field",
  X509_V_ERR_OUT_OF_MEM: "out of memory",
  X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed certificate",
  X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: "self-signed certificate in certificate chain",
  X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "unable to get local issuer certificate",
  X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: "unable to verify the first certificate",
  X509_V_ERR_CERT_CHAIN_TOO_LONG: "certificate chain too long",
  X509_V_ERR_CERT_REVOKED: "certificate revoked",
  X509_V_ERR_INVALID_CA: "invalid CA certificate",
  X509_V_ERR_PATH_LENGTH_EXCEEDED: "path length constraint exceeded",
  X509_V_ERR_INVALID_PURPOSE: "unsupported certificate purpose",
  X509_V_ERR_CERT_UNTRUSTED: "certificate not trusted",
  X509_V_ERR_CERT_REJECTED: "certificate rejected",
  X509_V_ERR_SUBJECT_ISSUER_MISMATCH: "subject issuer mismatch",
  X509_V_ERR_AKID_SKID_MISMATCH: "authority and subject key identifier mismatch",
  X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH: "authority and issuer serial number mismatch",
  X509_V_ERR_KEYUSAGE_NO_CERTSIGN: "key usage does not include certificate signing",
  X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER: "unable to get CRL issuer certificate",
  X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION: "unhandled critical extension",
  X509_V_ERR_KEYUSAGE_NO_CRL_SIGN: "key usage does not include CRL signing",
  X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION: "unhandled critical CRL extension",
  X509_V_ERR_INVALID_NON_CA: "invalid non-CA certificate (has CA markings)",
  X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED: "proxy path length constraint exceeded",
  X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE: "key usage does not include digital signature",
  X509_V_ERR_INVALID_EXTENSION: "invalid or inconsistent certificate extension",
  X509_V_ERR_INVALID_POLICY_EXTENSION: "invalid or inconsistent certificate policy extension",
  X509_V_ERR_NO_EXPLICIT_POLICY: "no explicit policy",
  X509_V_ERR_DIFFERENT_CRL_SCOPE: "Different CRL scope",
  X509_V_ERR_UNSUPPORTED_EXTENSION_FEATURE: "Unsupported extension feature",
  X509_V_ERR_PERMITTED_VIOLATION: "permitted subtree violation",
  X509_V_ERR_EXCLUDED_VIOLATION: "excluded subtree violation",
  X509_V_ERR_SUBTREE_MINMAX: "name constraints minimum and maximum not supported",
  X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE: "unsupported name constraint type",
  X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX: "unsupported or invalid name constraint syntax",
  X509_V_ERR_UNSUPPORTED_NAME_SYNTAX: "unsupported or invalid name syntax",
  X509_V_ERR_CRL_PATH_VALIDATION_ERROR: "CRL path validation error",
  X509_V_ERR_HOSTNAME_MISMATCH: "hostname mismatch",
  X509_V_ERR_EMAIL_MISMATCH: "email address mismatch",
  X509_V_ERR_IP_ADDRESS_MISMATCH: "IP address mismatch",
  X509_V_ERR_INVALID_CALL: "invalid certificate verification context",
  X509_V_ERR_STORE_LOOKUP: "issuer certificate lookup error",
  X509_V_ERR_NO_VALID_SCTS: "Certificate Transparency required, but no valid SCTs found",
  X509_V_ERR_PROXY_SUBJECT_NAME_VIOLATION: "proxy subject name violation",
  X509_V_ERR_OCSP_VERIFY_NEEDED: "OCSP verification needed",
  X509_V_ERR_OCSP_VERIFY_FAILED: "OCSP verification failed",
  X509_V_ERR_OCSP_CERT_UNKNOWN: "OCSP unknown cert",
  X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH: "subject signature algorithm and issuer public key algorithm mismatch",
  X509_V_ERR_NO_ISSUER_PUBLIC_KEY: "issuer certificate doesn\\'t have a public key",
  X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM: "Cannot find certificate signature algorithm",
  X509_V_ERR_EE_KEY_TOO_SMALL: "EE certificate key too weak",
  X509_V_ERR_CA_KEY_TOO_SMALL: "CA certificate key too weak",
  X509_V_ERR_CA_MD_TOO_WEAK: "CA signature digest algorithm too weak",
  X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA: "Path length invalid for non-CA cert",
  X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN: "Path length given without key usage keyCertSign",
  X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA: "Key usage keyCertSign invalid for non-CA cert",
  X509_V_ERR_ISSUER_NAME_EMPTY: "Issuer name empty",
  X509_V_ERR_SUBJECT_NAME_EMPTY: "Subject name empty",
  X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER: "Missing Authority Key Identifier",
  X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER: "Missing Subject Key Identifier",
  X509_V_ERR_EMPTY_SUBJECT_ALT_NAME: "Empty Subject Alternative Name extension",
  X509_V_ERR_CA_BCONS_NOT_CRITICAL: "Basic Constraints of CA cert not marked critical",
  X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL: "Subject empty and Subject Alt Name extension not critical",
  X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL: "Authority Key Identifier marked critical",
  X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL: "Subject Key Identifier marked critical",
  X509_V_ERR_CA_CERT_MISSING_KEY_USAGE: "CA cert does not include key usage extension",
  X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3: "Using cert extension requires at least X509v3",
  X509_V_ERR_EC_KEY_EXPLICIT_PARAMS: "Certificate public key has explicit ECC parameters",
};

const BY_NAME = new Map(Object.entries(OPENSSL_VERIFY_ERRORS).map(([code, name]) => [name, Number(code)]));

export interface X509VerifyError {
  name: string;
  code: number;
  text: string;
}

export function x509ErrorByCode(code: number): X509VerifyError {
  const name = verifyErrorName(code);
  return { name, code, text: TEXT[name] ?? name.replace(/^X509_V_ERR_/, '').toLowerCase().replace(/_/g, ' ') };
}

export function x509ErrorByName(name: string): X509VerifyError | undefined {
  const code = BY_NAME.get(name);
  return code === undefined ? undefined : x509ErrorByCode(code);
}

/**
 * The X509 error a Node error code stands for: `CERT_HAS_EXPIRED` → X509_V_ERR_CERT_HAS_EXPIRED (10).
 * Node names only some errors (others arrive as UNSPECIFIED, 1). Its own hostname check
 * (ERR_TLS_CERT_ALTNAME_INVALID) is reported as the OpenSSL check it corresponds to,
 * X509_V_ERR_HOSTNAME_MISMATCH (62), or X509_V_ERR_IP_ADDRESS_MISMATCH (64) for an IP address. Other codes (ECONNRESET …) are not verify errors.
 */
export function x509ErrorOfNodeCode(code: string, message = ''): X509VerifyError | undefined {
  // Node's message says which: "Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list".
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return x509ErrorByName(/altnames: IP: /.test(message) ? 'X509_V_ERR_IP_ADDRESS_MISMATCH' : 'X509_V_ERR_HOSTNAME_MISMATCH');
  return x509ErrorByName(`X509_V_ERR_${code}`);
}
