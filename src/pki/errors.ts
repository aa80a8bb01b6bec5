/**
 * Errors raised by the lab PKI. Every failure caused by bad input is a
 * `PkiError` with a stable, machine-readable `code`; callers (the UI, the
 * fault catalogue) may switch on `code`, never on `message`.
 */
export type PkiErrorCode =
  /** Input is not a parseable PEM certificate / RSA private key. */
  | 'ERR_BAD_PEM'
  /** Digest name is not one of {@link DIGESTS}. */
  | 'ERR_BAD_DIGEST'
  /** RSA modulus size is not an integer in [512, 16384]. */
  | 'ERR_BAD_KEY_SIZE'
  /** A CertSpec field is malformed (empty CN, bad serial hex, bad IP, bad date...). */
  | 'ERR_BAD_SPEC'
  /** The signer refused (e.g. SHA-512 digest does not fit in a 512-bit RSA key). */
  | 'ERR_SIGN_FAILED'
  /** Certificate and private key do not belong together. */
  | 'ERR_KEY_MISMATCH'
  /** The KeyPool was closed. */
  | 'ERR_POOL_CLOSED';

export class PkiError extends Error {
  override readonly name = 'PkiError';
  constructor(
    readonly code: PkiErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${message}`, options);
  }
}
