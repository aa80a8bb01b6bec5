/**
 * Capture import errors and notices, each with a stable code and the parameters the UI needs to say
 * it in words (i18n keys `capture.error.<code>` and `capture.notice.<code>` in src/ui/i18n/capture.ts).
 */
export const CAPTURE_ERROR_CODES = [
  'ERR_NOT_A_CAPTURE', // the first bytes are no pcap or pcapng magic number
  'ERR_TRUNCATED_CAPTURE', // the file ends inside a header, packet record or block
  'ERR_BAD_CAPTURE', // a header or block breaks the format (impossible length, unknown version …)
  'ERR_UNSUPPORTED_LINKTYPE', // packets of a link type we cannot decode, and nothing else
  'ERR_NO_TCP', // the capture holds no TCP segment over IPv4/IPv6
  'ERR_NO_TLS', // TCP, but no connection that carries TLS or HTTP
] as const;
export type CaptureErrorCode = (typeof CAPTURE_ERROR_CODES)[number];

export type Params = Record<string, string | number>;

export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
    /** Values for the UI's sentence (byte offsets, block numbers, link types …). */
    readonly params: Params = {},
  ) {
    super(`${code}: ${message}`);
  }
}

export function isCaptureError(e: unknown): e is CaptureError {
  return e instanceof CaptureError;
}

/** Things the import could not do that do not stop it; shown beside the imported session. */
export const CAPTURE_NOTICE_CODES = [
  'NO_KEYS', // a TLS connection whose ClientHello random has no secret in the key log: shown undecrypted
  'DECRYPT_FAILED', // a logged secret that does not open this connection's records (wrong key log)
  'UNSUPPORTED_CIPHER', // a cipher suite the decryptor does not implement (e.g. CBC suites)
  'NO_CLIENT_HELLO', // a TLS connection captured after its ClientHello: nothing can be decrypted
  'TCP_GAP', // bytes of a TCP stream were never captured: the stream stops at the gap
  'KEYLOG_LINES_IGNORED', // lines of the key log that are not NSS key log lines
  'SKIPPED_PACKETS', // packets that were not IPv4/IPv6 TCP, malformed, or IP fragments
  'UNSUPPORTED_LINKTYPE', // packets on an interface whose link type we cannot decode (others were read)
  'OTHER_STREAMS', // TCP connections that carry neither TLS nor HTTP (not imported)
  'SNAPLEN', // packets cut short by the capture's snapshot length
  'OTHER_SECRETS', // a pcapng Decryption Secrets Block of a type other than TLS key log
] as const;
export type CaptureNoticeCode = (typeof CAPTURE_NOTICE_CODES)[number];

export interface CaptureNotice {
  code: CaptureNoticeCode;
  /** The connection (in the imported session's numbering) it is about; null for the whole capture. */
  conn: number | null;
  params: Params;
  /** The same in English, for logs and tests. */
  message: string;
}
