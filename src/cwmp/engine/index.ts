/**
 * CWMP session engines (TR-069 Amendment 6 §3.7): the ACS and the CPE side of a session as pure,
 * transport-agnostic state machines over HTTP/1.1 messages. No I/O, no timers.
 */
export {
  AcsSession, ACS_METHODS, expectedCertificateCn,
  type AcsSessionOptions, type AcsState, type AcsNote, type AcsReply, type RpcResult, type FaultSummary,
} from './acs.ts';
export {
  CpeSession, CpeDevice, CPE_METHODS, mergeEvents,
  type CpeSessionOptions, type CpeDeviceOptions, type CpeState, type CpeNote, type PendingTransfer,
} from './cpe.ts';
export { rpcToMessage, CPE_RPC_METHODS, type AcsRpc, type AcsRpcMethod } from './rpc.ts';
export {
  SOAP_CONTENT_TYPE, UNKNOWN_DATETIME, basicAuthorization, getHeader, parseBasicAuthorization, parseCookieHeader,
  parseSetCookie, utf8Length, xsdDateTime, type HttpRequest, type HttpResponse,
} from './http.ts';
