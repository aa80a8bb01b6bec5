/** Stable error codes of the CWMP SOAP codec. Callers switch on `code`; `message` is for humans. */
export type SoapErrorCode =
  /** Empty (or whitespace-only) input: an empty HTTP body is not an envelope, see `isEmptyHttpBody`. */
  | 'ERR_EMPTY'
  /** Not well-formed XML (including bad UTF-8, undeclared namespace prefixes, several roots, a DTD). */
  | 'ERR_NOT_XML'
  /** Well-formed XML, but the root is not a SOAP 1.1 Envelope. */
  | 'ERR_NOT_SOAP'
  /** The Envelope has no Body, or the Body holds no element. */
  | 'ERR_NO_BODY'
  /** The Body holds more than one element (CWMP sends one RPC per envelope). */
  | 'ERR_MULTIPLE_RPCS'
  /** The RPC element is not in a CWMP namespace (urn:dslforum-org:cwmp-1-0 … 1-4). */
  | 'ERR_UNKNOWN_NS'
  /** The RPC element's name is not a CWMP method at all. */
  | 'ERR_UNKNOWN_RPC'
  /** A CWMP method this codec does not model (e.g. Upload, ScheduleInform, ChangeDUState). */
  | 'ERR_UNSUPPORTED_RPC'
  /** A header entry is malformed (e.g. HoldRequests that is not a boolean). */
  | 'ERR_BAD_HEADER'
  /** An argument is missing or has the wrong form (on decode or on encode). */
  | 'ERR_BAD_ARGUMENT';

export class SoapError extends Error {
  override readonly name = 'SoapError';
  readonly code: SoapErrorCode;
  /** Path of the offending element when known, e.g. `Inform/DeviceId/OUI`. */
  readonly path: string | undefined;

  constructor(code: SoapErrorCode, message: string, path?: string) {
    super(path === undefined ? message : `${path}: ${message}`);
    this.code = code;
    this.path = path;
  }
}

export function isSoapError(e: unknown): e is SoapError {
  return e instanceof SoapError;
}
