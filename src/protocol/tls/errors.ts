/**
 * Typed decode errors with stable codes (like ws' WS_ERR_* or jose's error codes).
 * Every malformed input the protocol layer sees is reported through this one class.
 */
export const DECODE_ERROR_CODES = [
  'ERR_TRUNCATED', // a length-prefixed field or fixed-size value runs past the end of its container
  'ERR_TRAILING_DATA', // bytes left over after a structure that must fill its container
  'ERR_BAD_LENGTH', // a length that breaks a protocol rule (zero where forbidden, odd where even required …)
  'ERR_BAD_VALUE', // a value no decoder can accept (unknown content type in a record header …)
  'ERR_RECORD_OVERFLOW', // TLSPlaintext/TLSCiphertext length above the RFC limit
  'ERR_DECRYPT', // AEAD authentication failed
  'ERR_UNEXPECTED_MESSAGE', // a message that cannot occur in this state
  'ERR_BAD_KEYLOG', // a key log line that cannot be parsed
] as const;
export type DecodeErrorCode = (typeof DECODE_ERROR_CODES)[number];

export class TlsDecodeError extends Error {
  override readonly name = 'TlsDecodeError';
  constructor(
    readonly code: DecodeErrorCode,
    message: string,
    /** Offset (in the buffer being decoded) where the problem was found. */
    readonly offset = 0,
  ) {
    super(`${code}: ${message}`);
  }
}

export function isTlsDecodeError(e: unknown): e is TlsDecodeError {
  return e instanceof TlsDecodeError;
}
