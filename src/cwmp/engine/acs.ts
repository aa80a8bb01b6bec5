/**
 * The ACS side of ONE CWMP session (TR-069 Amendment 6 §3.7, Annex A.3), as a pure state machine:
 * `handle(httpRequest)` → `{ status, headers, body, notes }`. It never throws for anything a CPE sends.
 *
 * Session flow (MaxEnvelopes 1, one envelope per HTTP message):
 *   CPE POST Inform                → InformResponse (+ Set-Cookie: the session cookie)
 *   CPE POST TransferComplete …    → TransferCompleteResponse (CPE requests, any number)
 *   CPE POST (empty)               → first script RPC (or 204 No Content when the script is empty)
 *   CPE POST <RPC>Response | Fault → next script RPC, or 204 when the script is done
 */
import {
  decodeEnvelope, encodeEnvelope, faultString, isEmptyHttpBody, isSoapError, summarize,
  type CwmpMessage, type CwmpNs, type DecodedEnvelope, type DeviceIdStruct, type EventStruct,
  type SetParameterValuesFault, type SoapErrorCode,
} from '../soap/index.ts';
import {
  SOAP_CONTENT_TYPE, getHeader, parseBasicAuthorization, parseCookieHeader, utf8Length,
  type HttpRequest, type HttpResponse,
} from './http.ts';
import { rpcToMessage, sniffId, sniffNs, type AcsRpc } from './rpc.ts';

export interface AcsSessionOptions {
  /** RPCs the ACS sends, in order, once the CPE has sent its empty POST. */
  script: readonly AcsRpc[];
  /**
   * CN of the CPE's TLS client certificate (mutual TLS), or null/undefined without one. When given, the
   * Inform's DeviceId must match it (`OUI-SerialNumber`): the application-level check TLS cannot make.
   */
  clientCertificateCn?: string | null;
  /**
   * HTTP Basic credentials the CPE must present. Required when there is no client certificate
   * (TR-069 Amd 6 §3.4.4: with server-only TLS the ACS authenticates the CPE over HTTP).
   */
  basicAuth?: { username: string; password: string };
  /** Session cookie name (default 'CWMPSID'). */
  cookieName?: string;
  /** Session id put in the cookie (default: crypto.randomUUID()). */
  sessionId?: string;
  /** Basic auth realm (default 'Handshake Lab ACS'). */
  realm?: string;
}

export type AcsState =
  /** Nothing accepted yet: the next message must be an Inform. */
  | 'await-inform'
  /** InformResponse sent: the CPE may send requests (TransferComplete …) or its empty POST. */
  | 'cpe-requests'
  /** An ACS request is outstanding. */
  | 'await-response'
  /** 204 sent: the session is over. */
  | 'ended'
  /** The CPE was refused (403 identity mismatch). */
  | 'rejected';

export interface FaultSummary {
  code: number;
  string: string;
  /** SetParameterValuesFault entries (only on a SetParameterValues fault). */
  details: SetParameterValuesFault[];
}

/** Result of one scripted RPC. */
export interface RpcResult {
  method: string;
  id: string;
  ok: boolean;
  summary: string;
  fault?: FaultSummary;
  response: CwmpMessage;
}

/** Structured facts for the UI. Every `handle` call returns the notes it produced. */
export type AcsNote =
  | { kind: 'method-not-allowed'; method: string }
  | { kind: 'auth-required'; reason: 'missing' | 'malformed' | 'wrong-credentials'; username?: string }
  | { kind: 'auth-ok'; username: string }
  | { kind: 'cookie-rejected'; reason: 'missing' | 'mismatch'; cookieName: string }
  | { kind: 'session-over'; state: AcsState }
  | { kind: 'session-started'; sessionId: string; cookieName: string }
  | { kind: 'malformed'; code: SoapErrorCode; message: string; answer: 'http-400' | 'fault-8000' | 'fault-8003' }
  | { kind: 'soap-warnings'; warnings: string[] }
  | { kind: 'inform'; deviceId: DeviceIdStruct; events: EventStruct[]; retryCount: number; parameterCount: number; ns: CwmpNs; nsUri: string }
  | { kind: 'namespace'; received: string; answered: string; reason: string }
  | { kind: 'identity-verified'; cn: string }
  | { kind: 'identity-mismatch'; expected: string; got: string; reason: string }
  | { kind: 'no-client-certificate'; authenticatedBy: 'basic' }
  | { kind: 'transfer-complete'; commandKey: string; ok: boolean; fault?: { code: number; string: string }; startTime: string; completeTime: string }
  | { kind: 'cpe-request'; method: string; answer: string }
  | { kind: 'rpc-sent'; method: string; id: string; summary: string; index: number }
  | { kind: 'rpc-result'; method: string; id: string; ok: boolean; summary: string; fault?: FaultSummary }
  | { kind: 'id-mismatch'; expected: string; got: string | undefined }
  | { kind: 'unexpected-message'; state: AcsState; got: string; expected: string }
  | { kind: 'fault-sent'; code: number; string: string; reason: string }
  | { kind: 'session-end'; rpcsSent: number; results: number }
  | { kind: 'internal-error'; message: string };

export interface AcsReply extends HttpResponse {
  notes: AcsNote[];
}

/** Methods the ACS implements as a server (answer to the CPE's GetRPCMethods). */
export const ACS_METHODS: readonly string[] = ['Inform', 'GetRPCMethods', 'TransferComplete'];

/** The identity the ACS expects in the CN of a CPE certificate: `OUI-SerialNumber`. */
export function expectedCertificateCn(d: DeviceIdStruct): string {
  return `${d.OUI}-${d.SerialNumber}`;
}

export class AcsSession {
  readonly script: readonly AcsRpc[];
  readonly clientCertificateCn: string | null;
  readonly basicAuth: { username: string; password: string } | undefined;
  readonly cookieName: string;
  readonly sessionId: string;
  readonly realm: string;

  private _state: AcsState = 'await-inform';
  private authenticated = false;
  private next = 0;
  private idCounter = 0;
  private pending: { method: string; id: string; index: number } | undefined;
  private readonly _results: RpcResult[] = [];
  private _ns: CwmpNs | undefined;
  private _deviceId: DeviceIdStruct | undefined;
  private _events: EventStruct[] = [];
  private readonly _transfers: { commandKey: string; faultCode: number; faultString: string }[] = [];

  constructor(options: AcsSessionOptions) {
    this.script = [...options.script];
    this.clientCertificateCn = options.clientCertificateCn ?? null;
    this.basicAuth = options.basicAuth;
    this.cookieName = options.cookieName ?? 'CWMPSID';
    this.sessionId = options.sessionId ?? globalThis.crypto.randomUUID();
    this.realm = options.realm ?? 'Handshake Lab ACS';
    if (this.clientCertificateCn === null && this.basicAuth === undefined) {
      throw new TypeError('AcsSession: without a client certificate the ACS must authenticate the CPE (basicAuth), TR-069 §3.4.4');
    }
    if (!/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/.test(this.cookieName) || !/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/.test(this.sessionId)) {
      throw new TypeError('AcsSession: cookieName and sessionId must be cookie tokens');
    }
    // A script entry the codec cannot write is a configuration error: report it now, not mid-session.
    this.script.forEach((rpc, i) => {
      try {
        encodeEnvelope(rpcToMessage(rpc), { ns: '1-2', id: 'check' });
      } catch (e) {
        throw new TypeError(`AcsSession: script[${i}] (${rpc.method}): ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  }

  get state(): AcsState { return this._state; }
  /** CWMP version of the session (the Inform's). */
  get ns(): CwmpNs | undefined { return this._ns; }
  get deviceId(): DeviceIdStruct | undefined { return this._deviceId; }
  get events(): readonly EventStruct[] { return this._events; }
  /** Results of the scripted RPCs so far, in order. */
  get results(): readonly RpcResult[] { return this._results; }
  /** TransferComplete messages received. */
  get transfers(): readonly { commandKey: string; faultCode: number; faultString: string }[] { return this._transfers; }
  /** The Set-Cookie value of the session. */
  get cookie(): string { return `${this.cookieName}=${this.sessionId}`; }

  /** Handle one HTTP request of the session. Never throws. */
  handle(req: HttpRequest): AcsReply {
    const notes: AcsNote[] = [];
    try {
      return { ...this.dispatch(req, notes), notes };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      notes.push({ kind: 'internal-error', message });
      return { ...this.fault(8002, `internal error: ${message}`, undefined, notes), notes };
    }
  }

  // ------------------------------------------------------------------------------------------------

  private dispatch(req: HttpRequest, notes: AcsNote[]): HttpResponse {
    if (req.method.toUpperCase() !== 'POST') {
      notes.push({ kind: 'method-not-allowed', method: req.method });
      return text(405, 'CWMP uses HTTP POST only\n', { Allow: 'POST' });
    }
    if (this._state === 'rejected') {
      notes.push({ kind: 'session-over', state: this._state });
      return text(403, 'This session was refused\n');
    }
    if (this._state === 'ended') {
      notes.push({ kind: 'session-over', state: this._state });
      return text(400, 'This CWMP session has ended; start a new session with an Inform\n');
    }
    // The session cookie identifies (and, once authenticated, authenticates) the session after the Inform.
    if (this._state !== 'await-inform') {
      const got = parseCookieHeader(getHeader(req.headers, 'cookie')).get(this.cookieName);
      if (got !== this.sessionId) {
        notes.push({ kind: 'cookie-rejected', reason: got === undefined ? 'missing' : 'mismatch', cookieName: this.cookieName });
        return text(400, `Missing or wrong session cookie ${this.cookieName}\n`);
      }
    }
    if (this.basicAuth !== undefined && !this.authenticated) {
      const header = getHeader(req.headers, 'authorization');
      const creds = parseBasicAuthorization(header);
      if (creds === undefined || creds.username !== this.basicAuth.username || creds.password !== this.basicAuth.password) {
        const reason = header === undefined ? 'missing' : creds === undefined ? 'malformed' : 'wrong-credentials';
        notes.push(creds === undefined ? { kind: 'auth-required', reason } : { kind: 'auth-required', reason, username: creds.username });
        return text(401, 'Authentication required\n', {
          'WWW-Authenticate': `Basic realm="${this.realm}", charset="UTF-8"`,
        });
      }
      notes.push({ kind: 'auth-ok', username: creds.username });
      this.authenticated = true;
    }

    if (isEmptyHttpBody(req.body)) return this.onEmptyPost(notes);

    let env: DecodedEnvelope;
    try {
      env = decodeEnvelope(req.body);
    } catch (e) {
      if (!isSoapError(e)) throw e;
      return this.onMalformed(e.code, e.message, req.body, notes);
    }
    if (env.warnings.length > 0) notes.push({ kind: 'soap-warnings', warnings: env.warnings });
    const rpc = env.rpc;
    if (rpc.method === 'Inform') return this.onInform(env, rpc, notes);
    if (this._state === 'await-inform') {
      return this.unexpected(env, 'Inform (the first message of a session, TR-069 §3.7.1.4)', notes);
    }
    if (rpc.method === 'Fault' || rpc.method.endsWith('Response')) return this.onCpeResponse(env, notes);
    return this.onCpeRequest(env, notes);
  }

  private onInform(env: DecodedEnvelope, rpc: Extract<CwmpMessage, { method: 'Inform' }>, notes: AcsNote[]): HttpResponse {
    if (this._state !== 'await-inform') return this.unexpected(env, 'no second Inform in a session', notes);
    const expected = expectedCertificateCn(rpc.DeviceId);
    if (this.clientCertificateCn !== null) {
      if (this.clientCertificateCn !== expected) {
        notes.push({
          kind: 'identity-mismatch', expected, got: this.clientCertificateCn,
          reason: 'the TLS client certificate is valid, but it names another device than the Inform DeviceId (OUI-SerialNumber)',
        });
        this._state = 'rejected';
        return text(403, `Client certificate CN '${this.clientCertificateCn}' does not match DeviceId ${expected}\n`);
      }
      notes.push({ kind: 'identity-verified', cn: this.clientCertificateCn });
    } else {
      notes.push({ kind: 'no-client-certificate', authenticatedBy: 'basic' });
    }
    this._ns = env.ns;
    this._deviceId = rpc.DeviceId;
    this._events = rpc.Event;
    notes.push({
      kind: 'inform', deviceId: rpc.DeviceId, events: rpc.Event, retryCount: rpc.RetryCount,
      parameterCount: rpc.ParameterList.length, ns: env.ns, nsUri: env.nsUri,
    });
    if (env.ns === '1-3' || env.ns === '1-4') {
      notes.push({
        kind: 'namespace', received: env.nsUri, answered: 'urn:dslforum-org:cwmp-1-2',
        reason: 'cwmp-1-3.xsd and cwmp-1-4.xsd target urn:dslforum-org:cwmp-1-2; no schema defines the literal URN',
      });
    }
    this._state = 'cpe-requests';
    notes.push({ kind: 'session-started', sessionId: this.sessionId, cookieName: this.cookieName });
    const res = this.envelope({ method: 'InformResponse', MaxEnvelopes: 1 }, env.id);
    res.headers['Set-Cookie'] = `${this.cookie}; Path=/; Secure; HttpOnly`;
    return res;
  }

  private onCpeRequest(env: DecodedEnvelope, notes: AcsNote[]): HttpResponse {
    const rpc = env.rpc;
    if (this._state !== 'cpe-requests') {
      return this.unexpected(env, `a response to ${this.pending?.method ?? 'the outstanding request'}`, notes);
    }
    if (rpc.method === 'TransferComplete') {
      const ok = rpc.FaultStruct.FaultCode === 0;
      const fault = ok ? undefined : { code: rpc.FaultStruct.FaultCode, string: rpc.FaultStruct.FaultString || faultString(rpc.FaultStruct.FaultCode) };
      notes.push({
        kind: 'transfer-complete', commandKey: rpc.CommandKey, ok, ...(fault === undefined ? {} : { fault }),
        startTime: rpc.StartTime, completeTime: rpc.CompleteTime,
      });
      this._transfers.push({ commandKey: rpc.CommandKey, faultCode: rpc.FaultStruct.FaultCode, faultString: rpc.FaultStruct.FaultString });
      return this.envelope({ method: 'TransferCompleteResponse' }, env.id);
    }
    if (rpc.method === 'GetRPCMethods') {
      notes.push({ kind: 'cpe-request', method: 'GetRPCMethods', answer: 'GetRPCMethodsResponse' });
      return this.envelope({ method: 'GetRPCMethodsResponse', MethodList: [...ACS_METHODS] }, env.id);
    }
    notes.push({ kind: 'cpe-request', method: rpc.method, answer: 'Fault 8000' });
    return this.fault(8000, `${rpc.method} is not a method the ACS implements`, env.id, notes);
  }

  private onCpeResponse(env: DecodedEnvelope, notes: AcsNote[]): HttpResponse {
    const rpc = env.rpc;
    const p = this.pending;
    if (this._state !== 'await-response' || p === undefined) {
      return this.unexpected(env, 'a request or an empty POST (no ACS request is outstanding)', notes);
    }
    if (rpc.method !== 'Fault' && rpc.method !== `${p.method}Response`) {
      return this.unexpected(env, `${p.method}Response or a Fault`, notes);
    }
    if (env.id !== p.id) notes.push({ kind: 'id-mismatch', expected: p.id, got: env.id });
    const result: RpcResult = { method: p.method, id: p.id, ok: rpc.method !== 'Fault', summary: summarize(rpc), response: rpc };
    if (rpc.method === 'Fault') {
      result.fault = { code: rpc.FaultCode, string: rpc.FaultString ?? faultString(rpc.FaultCode), details: rpc.SetParameterValuesFault };
    }
    this._results.push(result);
    notes.push({
      kind: 'rpc-result', method: result.method, id: result.id, ok: result.ok, summary: result.summary,
      ...(result.fault === undefined ? {} : { fault: result.fault }),
    });
    this.pending = undefined;
    this._state = 'cpe-requests';
    return this.sendNext(notes);
  }

  private onEmptyPost(notes: AcsNote[]): HttpResponse {
    if (this._state === 'await-inform') {
      notes.push({ kind: 'unexpected-message', state: this._state, got: 'empty POST', expected: 'Inform' });
      return this.fault(8003, 'An empty POST cannot open a session: the first message must be an Inform', undefined, notes);
    }
    if (this._state === 'await-response') {
      const method = this.pending?.method ?? '?';
      notes.push({ kind: 'unexpected-message', state: this._state, got: 'empty POST', expected: `${method}Response or a Fault` });
      return this.fault(8003, `Expected the response to ${method}`, undefined, notes);
    }
    return this.sendNext(notes);
  }

  private sendNext(notes: AcsNote[]): HttpResponse {
    const rpc = this.script[this.next];
    if (rpc === undefined) {
      this._state = 'ended';
      notes.push({ kind: 'session-end', rpcsSent: this.next, results: this._results.length });
      return { status: 204, headers: {}, body: '' };
    }
    const index = this.next++;
    const msg = rpcToMessage(rpc);
    const id = `acs-${++this.idCounter}`;
    const res = this.envelope(msg, id);
    this.pending = { method: msg.method, id, index };
    this._state = 'await-response';
    notes.push({ kind: 'rpc-sent', method: msg.method, id, summary: summarize(msg), index });
    return res;
  }

  private onMalformed(code: SoapErrorCode, message: string, raw: string, notes: AcsNote[]): HttpResponse {
    // Not an envelope at all: there is no SOAP message to answer with a SOAP Fault.
    if (code === 'ERR_EMPTY' || code === 'ERR_NOT_XML' || code === 'ERR_NOT_SOAP' || code === 'ERR_NO_BODY') {
      notes.push({ kind: 'malformed', code, message, answer: 'http-400' });
      return text(400, `Malformed CWMP message: ${message}\n`);
    }
    // A SOAP envelope: answer as CWMP does, in the session's (or the sniffed) namespace.
    const unsupported = code === 'ERR_UNKNOWN_RPC' || code === 'ERR_UNSUPPORTED_RPC';
    notes.push({ kind: 'malformed', code, message, answer: unsupported ? 'fault-8000' : 'fault-8003' });
    return this.fault(unsupported ? 8000 : 8003, message, sniffId(raw), notes, sniffNs(raw));
  }

  private unexpected(env: DecodedEnvelope, expected: string, notes: AcsNote[]): HttpResponse {
    notes.push({ kind: 'unexpected-message', state: this._state, got: env.rpc.method, expected });
    return this.fault(8003, `Unexpected ${env.rpc.method}: expected ${expected}`, env.id, notes, env.ns);
  }

  /** A CWMP Fault (SOAP 1.1 Fault carrying cwmp:Fault), with HTTP 500 as SOAP 1.1 §6.2 requires. */
  private fault(code: 8000 | 8002 | 8003, reason: string, id: string | undefined, notes: AcsNote[], ns?: CwmpNs): HttpResponse {
    const fs = faultString(code);
    notes.push({ kind: 'fault-sent', code, string: fs, reason });
    const msg: CwmpMessage = { method: 'Fault', FaultCode: code, FaultString: fs, SetParameterValuesFault: [] };
    const useNs = this._ns ?? ns ?? '1-2';
    let body: string;
    try {
      body = encodeEnvelope(msg, id === undefined ? { ns: useNs } : { ns: useNs, id });
    } catch {
      body = encodeEnvelope(msg, { ns: useNs }); // e.g. a sniffed ID that is not XML-safe
    }
    return { status: 500, headers: soapHeaders(body), body };
  }

  private envelope(msg: CwmpMessage, id: string | undefined): HttpResponse {
    const ns = this._ns ?? '1-2';
    const body = encodeEnvelope(msg, id === undefined ? { ns } : { ns, id });
    return { status: 200, headers: soapHeaders(body), body };
  }
}

function soapHeaders(body: string): Record<string, string> {
  return { 'Content-Type': SOAP_CONTENT_TYPE, 'Content-Length': String(utf8Length(body)) };
}

function text(status: number, body: string, extra: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(utf8Length(body)), ...extra }, body };
}
