/**
 * The CPE side of ONE CWMP session (TR-069 Amendment 6 §3.7, Annex A.3) as a pure state machine:
 * `start()` gives the Inform POST, `receive(httpResponse)` gives the next POST or null when the session is over.
 * ACS requests are executed on the TR-181 `DataModel`. `CpeDevice` keeps the model and the pending events
 * (M Reboot, 1 BOOT, 7 TRANSFER COMPLETE …) across sessions.
 */
import {
  CwmpFault, type DataModel,
} from '../datamodel/index.ts';
import {
  decodeEnvelope, encodeEnvelope, faultInfo, faultString, isEmptyHttpBody, isSoapError, summarize,
  type CwmpMessage, type CwmpNs, type DecodedEnvelope, type Download, type EventStruct, type Fault,
  type TransferCompleteFaultStruct, type ValueType,
} from '../soap/index.ts';
import {
  SOAP_CONTENT_TYPE, UNKNOWN_DATETIME, basicAuthorization, getHeader, parseSetCookie, utf8Length, xsdDateTime,
  type HttpRequest, type HttpResponse,
} from './http.ts';
import { sniffId } from './rpc.ts';

/** A Download accepted with Status 1: its TransferComplete goes in a later session. */
export interface PendingTransfer {
  commandKey: string;
  fileType: string;
  url: string;
  startTime: string;
  completeTime: string;
  faultCode: number;
  faultString: string;
}

export type CpeState =
  | 'idle'
  /** Inform sent, waiting for InformResponse. */
  | 'inform-sent'
  /** A CPE request (TransferComplete) sent, waiting for its response. */
  | 'request-sent'
  /** Empty POST sent: the ACS may send requests. */
  | 'empty-sent'
  /** Response to an ACS request sent. */
  | 'response-sent'
  /** The ACS ended the session (204 / empty 200). */
  | 'done'
  /** The session broke off (HTTP error, fault, bad message). */
  | 'failed';

/** Structured facts for the UI, in order. */
export type CpeNote =
  | { kind: 'inform-sent'; events: EventStruct[]; parameterCount: number; retryCount: number }
  | { kind: 'auth-challenge'; retrying: boolean }
  | { kind: 'cookie-set'; name: string }
  | { kind: 'inform-delivered' }
  | { kind: 'transfer-complete-sent'; commandKey: string; faultCode: number }
  | { kind: 'transfer-complete-delivered'; commandKey: string }
  | { kind: 'empty-post' }
  | { kind: 'rpc-executed'; method: string; id: string | undefined; ok: boolean; summary: string; fault?: { code: number; string: string } }
  | { kind: 'malformed-request'; code: string; message: string; answer: string }
  | { kind: 'session-end'; status: number }
  | { kind: 'session-failed'; reason: string }
  | { kind: 'pending'; events: EventStruct[] };

export interface CpeSessionOptions {
  model: DataModel;
  /** Events of this session's Inform. */
  events: readonly EventStruct[];
  /** CWMP version the CPE speaks ('1-3'/'1-4' are written in the cwmp-1-2 namespace, as their schemas are). */
  ns: CwmpNs;
  retryCount?: number;
  now?: () => Date;
  /** Request path of the ACS URL (default '/'). */
  path?: string;
  /**
   * HTTP Basic credentials sent when the ACS answers 401 (default: ManagementServer.Username/Password of the
   * model); null never answers a challenge.
   */
  credentials?: { username: string; password: string } | null;
  /** TransferCompletes to deliver in this session (adds '7 TRANSFER COMPLETE' and 'M Download' when missing). */
  transfers?: readonly PendingTransfer[];
  /** Outcome of a simulated download (default: success). */
  downloadOutcome?: (d: Download) => TransferCompleteFaultStruct;
  /** Called once when the session ends (done or failed). */
  onEnd?: (session: CpeSession) => void;
}

/** Methods this CPE answers (GetRPCMethodsResponse). */
export const CPE_METHODS: readonly string[] = [
  'GetRPCMethods', 'GetParameterNames', 'GetParameterValues', 'SetParameterValues', 'AddObject', 'DeleteObject',
  'Reboot', 'Download', 'FactoryReset',
];

/** Event codes that appear at most once in an Inform (all but the 'M …' ones, which are per CommandKey). */
function eventKey(e: EventStruct): string {
  return e.EventCode.startsWith('M ') ? `${e.EventCode}\u0000${e.CommandKey}` : e.EventCode;
}
export function mergeEvents(...lists: readonly (readonly EventStruct[])[]): EventStruct[] {
  const out = new Map<string, EventStruct>();
  for (const l of lists) for (const e of l) if (!out.has(eventKey(e))) out.set(eventKey(e), { ...e });
  return [...out.values()];
}

const MAX_FAULT_STRING = 256;

export class CpeSession {
  readonly model: DataModel;
  readonly ns: CwmpNs;
  readonly events: readonly EventStruct[];
  readonly retryCount: number;
  readonly path: string;
  readonly transfers: readonly PendingTransfer[];
  /** Everything that happened, in order. */
  readonly notes: CpeNote[] = [];

  private readonly now: () => Date;
  private readonly credentials: { username: string; password: string } | null;
  private readonly downloadOutcome: (d: Download) => TransferCompleteFaultStruct;
  private readonly onEnd: ((s: CpeSession) => void) | undefined;
  private _state: CpeState = 'idle';
  private idCounter = 0;
  private cookies = new Map<string, string>();
  private authorization: string | undefined;
  private challenged = false;
  private last: { body: string } | undefined;
  private transferIndex = 0;
  private _informDelivered = false;
  private readonly _deliveredTransfers: PendingTransfer[] = [];
  private reboot: { commandKey: string } | undefined;
  private factoryReset = false;
  private readonly newTransfers: (PendingTransfer & { firmware: boolean })[] = [];
  private _failure: string | undefined;
  private readonly _executed: { method: string; ok: boolean; faultCode?: number }[] = [];

  constructor(options: CpeSessionOptions) {
    this.model = options.model;
    this.ns = options.ns;
    this.transfers = [...(options.transfers ?? [])];
    const transferEvents: EventStruct[] = this.transfers.length === 0 ? [] : [
      { EventCode: '7 TRANSFER COMPLETE', CommandKey: '' },
      ...this.transfers.map((t) => ({ EventCode: 'M Download', CommandKey: t.commandKey })),
    ];
    this.events = mergeEvents(options.events, transferEvents);
    this.retryCount = options.retryCount ?? 0;
    this.now = options.now ?? (() => new Date());
    this.path = options.path ?? '/';
    this.credentials = options.credentials === undefined
      ? {
        username: this.model.internalValue('Device.ManagementServer.Username') ?? '',
        password: this.model.internalValue('Device.ManagementServer.Password') ?? '',
      }
      : options.credentials;
    this.downloadOutcome = options.downloadOutcome ?? (() => ({ FaultCode: 0, FaultString: '' }));
    this.onEnd = options.onEnd;
  }

  get state(): CpeState { return this._state; }
  get ended(): boolean { return this._state === 'done' || this._state === 'failed'; }
  /** Why the session failed, when it did. */
  get failure(): string | undefined { return this._failure; }
  /** The ACS acknowledged the Inform (its events are delivered). */
  get informDelivered(): boolean { return this._informDelivered; }
  /** TransferCompletes the ACS acknowledged. */
  get deliveredTransfers(): readonly PendingTransfer[] { return this._deliveredTransfers; }
  /** ACS requests executed, in order. */
  get executed(): readonly { method: string; ok: boolean; faultCode?: number }[] { return this._executed; }

  /** Events caused by a Reboot / FactoryReset (or a firmware download) in this session, for the next Inform. */
  get pendingBootEvents(): EventStruct[] {
    if (this.factoryReset) return [{ EventCode: '0 BOOTSTRAP', CommandKey: '' }, { EventCode: '1 BOOT', CommandKey: '' }];
    const out: EventStruct[] = [];
    if (this.reboot !== undefined) out.push({ EventCode: 'M Reboot', CommandKey: this.reboot.commandKey });
    if (this.reboot !== undefined || this.newTransfers.some((t) => t.firmware && t.faultCode === 0)) {
      out.push({ EventCode: '1 BOOT', CommandKey: '' });
    }
    return out;
  }
  /** Downloads accepted in this session (Status 1): TransferComplete goes in the next session. */
  get pendingTransfers(): PendingTransfer[] {
    if (this.factoryReset) return [];
    return this.newTransfers.map(({ firmware: _f, ...t }) => t);
  }
  /** Every event this session leaves for the next Inform. */
  get nextSessionEvents(): EventStruct[] {
    const t = this.pendingTransfers;
    return mergeEvents(
      this.pendingBootEvents,
      t.length === 0 ? [] : [{ EventCode: '7 TRANSFER COMPLETE', CommandKey: '' }],
      t.map((x) => ({ EventCode: 'M Download', CommandKey: x.commandKey })),
    );
  }

  /** The Inform POST that opens the session. */
  start(): HttpRequest {
    if (this._state !== 'idle') throw new Error('CpeSession.start: the session has already started');
    const id = this.model.identity;
    const codes = this.events.map((e) => e.EventCode);
    const inform: CwmpMessage = {
      method: 'Inform',
      DeviceId: { Manufacturer: id.manufacturer, OUI: id.oui, ProductClass: id.productClass, SerialNumber: id.serialNumber },
      Event: this.events.map((e) => ({ ...e })),
      MaxEnvelopes: 1,
      CurrentTime: xsdDateTime(this.now()),
      RetryCount: this.retryCount,
      ParameterList: this.model.informParameterList(codes).map((p) => ({ Name: p.name, Value: p.value, Type: `xsd:${p.type}` as ValueType })),
    };
    this._state = 'inform-sent';
    this.notes.push({ kind: 'inform-sent', events: [...this.events], parameterCount: inform.ParameterList.length, retryCount: this.retryCount });
    return this.post(encodeEnvelope(inform, { ns: this.ns, id: this.nextId() }));
  }

  /** The ACS's HTTP response → the next POST, or null when the session is over. Never throws. */
  receive(res: HttpResponse): HttpRequest | null {
    if (this._state === 'idle' || this.ended) return null;
    try {
      return this.receiveInner(res);
    } catch (e) {
      return this.fail(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  // ------------------------------------------------------------------------------------------------

  private receiveInner(res: HttpResponse): HttpRequest | null {
    for (const c of parseSetCookie(getHeader(res.headers, 'set-cookie'))) {
      if (c.remove) this.cookies.delete(c.name);
      else {
        this.cookies.set(c.name, c.value);
        this.notes.push({ kind: 'cookie-set', name: c.name });
      }
    }
    if (res.status === 401) {
      const www = getHeader(res.headers, 'www-authenticate') ?? '';
      const canRetry = !this.challenged && this.credentials !== null && /^\s*Basic\b/i.test(www) && this.last !== undefined;
      this.notes.push({ kind: 'auth-challenge', retrying: canRetry });
      if (!canRetry) return this.fail('HTTP 401: authentication failed');
      this.challenged = true;
      this.authorization = basicAuthorization(this.credentials!.username, this.credentials!.password);
      return this.post(this.last!.body);
    }
    const empty = isEmptyHttpBody(res.body);
    if (res.status === 204 || (res.status === 200 && empty)) {
      if (this._state === 'empty-sent' || this._state === 'response-sent') {
        this.notes.push({ kind: 'session-end', status: res.status });
        return this.finish('done');
      }
      return this.fail(`HTTP ${res.status} without a message while waiting for ${this._state === 'inform-sent' ? 'InformResponse' : 'TransferCompleteResponse'}`);
    }
    if (empty || (res.status !== 200 && res.status !== 500)) return this.fail(`HTTP ${res.status}`);

    let env: DecodedEnvelope;
    try {
      env = decodeEnvelope(res.body);
    } catch (e) {
      if (!isSoapError(e)) throw e;
      return this.onMalformed(e.code, e.message, res.body);
    }
    const rpc = env.rpc;
    switch (this._state) {
      case 'inform-sent':
        if (rpc.method !== 'InformResponse') return this.fail(`expected InformResponse, got ${summarize(rpc)}`);
        this._informDelivered = true;
        this.model.informDelivered();
        this.notes.push({ kind: 'inform-delivered' });
        return this.nextCpeRequest();
      case 'request-sent': {
        if (rpc.method !== 'TransferCompleteResponse') return this.fail(`expected TransferCompleteResponse, got ${summarize(rpc)}`);
        const t = this.transfers[this.transferIndex - 1];
        if (t !== undefined) {
          this._deliveredTransfers.push(t);
          this.notes.push({ kind: 'transfer-complete-delivered', commandKey: t.commandKey });
        }
        return this.nextCpeRequest();
      }
      case 'empty-sent':
      case 'response-sent':
        if (!CPE_METHODS.includes(rpc.method)) return this.fail(`expected an ACS request or the end of the session, got ${summarize(rpc)}`);
        return this.answer(env);
      default:
        return null;
    }
  }

  /** After InformResponse (or a TransferCompleteResponse): the next CPE request, or the empty POST. */
  private nextCpeRequest(): HttpRequest {
    const t = this.transfers[this.transferIndex];
    if (t !== undefined) {
      this.transferIndex++;
      this._state = 'request-sent';
      this.notes.push({ kind: 'transfer-complete-sent', commandKey: t.commandKey, faultCode: t.faultCode });
      return this.post(encodeEnvelope({
        method: 'TransferComplete', CommandKey: t.commandKey,
        FaultStruct: { FaultCode: t.faultCode, FaultString: t.faultString },
        StartTime: t.startTime, CompleteTime: t.completeTime,
      }, { ns: this.ns, id: this.nextId() }));
    }
    this._state = 'empty-sent';
    this.notes.push({ kind: 'empty-post' });
    return this.post('');
  }

  private answer(env: DecodedEnvelope): HttpRequest {
    const rpc = env.rpc;
    const reply = this.execute(rpc);
    const ok = reply.method !== 'Fault';
    this._executed.push(ok ? { method: rpc.method, ok } : { method: rpc.method, ok, faultCode: (reply as Fault).FaultCode });
    this.notes.push({
      kind: 'rpc-executed', method: rpc.method, id: env.id, ok, summary: summarize(reply),
      ...(ok ? {} : { fault: { code: (reply as Fault).FaultCode, string: (reply as Fault).FaultString ?? '' } }),
    });
    this._state = 'response-sent';
    return this.post(this.encodeReply(reply, env.id));
  }

  /** Encode a reply; a Fault the namespace cannot carry (or an unwritable reply) becomes 9002. */
  private encodeReply(reply: CwmpMessage, id: string | undefined): string {
    const opts = id === undefined ? { ns: this.ns } : { ns: this.ns, id };
    try {
      return encodeEnvelope(reply, opts);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const fallback = faultMessage(9002, clip(`Internal error: ${msg}`), []);
      try {
        return encodeEnvelope(fallback, opts);
      } catch {
        return encodeEnvelope(fallback, { ns: this.ns });
      }
    }
  }

  private execute(rpc: CwmpMessage): CwmpMessage {
    const m = this.model;
    try {
      switch (rpc.method) {
        case 'GetRPCMethods':
          return { method: 'GetRPCMethodsResponse', MethodList: [...CPE_METHODS] };
        case 'GetParameterNames':
          return {
            method: 'GetParameterNamesResponse',
            ParameterList: m.getParameterNames(rpc.ParameterPath, rpc.NextLevel).map((p) => ({ Name: p.name, Writable: p.writable })),
          };
        case 'GetParameterValues':
          return {
            method: 'GetParameterValuesResponse',
            ParameterList: m.getParameterValues(rpc.ParameterNames).map((p) => ({ Name: p.name, Value: p.value, Type: `xsd:${p.type}` as ValueType })),
          };
        case 'SetParameterValues': {
          const r = m.setParameterValues(rpc.ParameterList.map((p) => ({ name: p.Name, value: p.Value, type: p.Type })), rpc.ParameterKey);
          return { method: 'SetParameterValuesResponse', Status: r.status };
        }
        case 'AddObject': {
          const r = m.addObject(rpc.ObjectName, rpc.ParameterKey);
          return { method: 'AddObjectResponse', InstanceNumber: r.instanceNumber, Status: r.status };
        }
        case 'DeleteObject':
          return { method: 'DeleteObjectResponse', Status: m.deleteObject(rpc.ObjectName, rpc.ParameterKey).status };
        case 'Reboot':
          this.reboot = { commandKey: rpc.CommandKey };
          return { method: 'RebootResponse' };
        case 'FactoryReset':
          this.factoryReset = true;
          return { method: 'FactoryResetResponse' };
        case 'Download':
          return this.download(rpc);
        default:
          return faultMessage(9000, `${rpc.method} is not supported by this CPE`, []);
      }
    } catch (e) {
      if (e instanceof CwmpFault) {
        const details = rpc.method === 'SetParameterValues' && e.details !== undefined
          ? e.details.map((d) => ({ ParameterName: d.name, FaultCode: d.code, FaultString: clip(d.string) }))
          : [];
        return faultMessage(e.code, clip(e.string), details);
      }
      return faultMessage(9002, clip(`Internal error: ${e instanceof Error ? e.message : String(e)}`), []);
    }
  }

  /** Download (A.3.2.8), simulated: accepted with Status 1, the TransferComplete follows in the next session. */
  private download(d: Download): CwmpMessage {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(d.URL)?.[1]?.toLowerCase();
    if (scheme === undefined) return faultMessage(9003, 'Invalid arguments: URL is not an absolute URL', []);
    if (!['http', 'https', 'ftp'].includes(scheme)) return faultMessage(9013, `Unsupported protocol for file transfer: ${scheme}`, []);
    const outcome = this.downloadOutcome(d);
    const start = new Date(this.now().getTime() + d.DelaySeconds * 1000);
    this.newTransfers.push({
      commandKey: d.CommandKey, fileType: d.FileType, url: d.URL,
      startTime: xsdDateTime(start), completeTime: xsdDateTime(new Date(start.getTime() + 3000)),
      faultCode: outcome.FaultCode, faultString: outcome.FaultString,
      firmware: d.FileType.startsWith('1 '),
    });
    return { method: 'DownloadResponse', Status: 1, StartTime: UNKNOWN_DATETIME, CompleteTime: UNKNOWN_DATETIME };
  }

  private onMalformed(code: string, message: string, raw: string): HttpRequest | null {
    if (this._state !== 'empty-sent' && this._state !== 'response-sent') return this.fail(`malformed message from the ACS: ${message}`);
    let fault: Fault;
    if (code === 'ERR_UNKNOWN_RPC' || code === 'ERR_UNSUPPORTED_RPC') fault = faultMessage(9000, clip(message), []);
    else if (code === 'ERR_BAD_ARGUMENT' || code === 'ERR_BAD_HEADER' || code === 'ERR_MULTIPLE_RPCS' || code === 'ERR_UNKNOWN_NS') {
      fault = faultMessage(9003, clip(message), []);
    } else return this.fail(`malformed message from the ACS: ${message}`);
    this.notes.push({ kind: 'malformed-request', code, message, answer: `Fault ${fault.FaultCode}` });
    this._state = 'response-sent';
    return this.post(this.encodeReply(fault, sniffId(raw)));
  }

  private fail(reason: string): null {
    this._failure = reason;
    this.notes.push({ kind: 'session-failed', reason });
    return this.finish('failed');
  }

  /** The session is over: a Reboot / FactoryReset requested in it happens now (after the session, as TR-069 says). */
  private finish(state: 'done' | 'failed'): null {
    this._state = state;
    if (this.factoryReset) {
      this.model.factoryReset();
      this.model.rebooted();
    } else if (this.reboot !== undefined || this.newTransfers.some((t) => t.firmware && t.faultCode === 0)) {
      this.model.rebooted();
    }
    const next = this.nextSessionEvents;
    if (next.length > 0) this.notes.push({ kind: 'pending', events: next });
    this.onEnd?.(this);
    return null;
  }

  private nextId(): string {
    return `cpe-${++this.idCounter}`;
  }

  private post(body: string): HttpRequest {
    this.last = { body };
    const headers: Record<string, string> = {};
    if (body === '') headers['Content-Length'] = '0';
    else {
      headers['Content-Type'] = SOAP_CONTENT_TYPE;
      headers['Content-Length'] = String(utf8Length(body));
      headers['SOAPAction'] = '';
    }
    if (this.cookies.size > 0) headers['Cookie'] = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.authorization !== undefined) headers['Authorization'] = this.authorization;
    return { method: 'POST', path: this.path, headers, body };
  }
}

function clip(s: string): string {
  return s.length > MAX_FAULT_STRING ? `${s.slice(0, MAX_FAULT_STRING - 1)}…` : s;
}

function faultMessage(code: number, string: string, details: Fault['SetParameterValuesFault']): Fault {
  return {
    method: 'Fault', faultcode: faultInfo(code)?.type ?? 'Server', faultstring: 'CWMP fault',
    FaultCode: code, FaultString: string || faultString(code), SetParameterValuesFault: details,
  };
}

// ---- CpeDevice -------------------------------------------------------------------------------------

export interface CpeDeviceOptions {
  model: DataModel;
  ns: CwmpNs;
  now?: () => Date;
  path?: string;
  credentials?: { username: string; password: string } | null;
  downloadOutcome?: (d: Download) => TransferCompleteFaultStruct;
  /** Events of the first session (default '0 BOOTSTRAP' + '1 BOOT': a device fresh from the factory). */
  initialEvents?: readonly EventStruct[];
}

/**
 * A CPE across sessions: keeps the model, undelivered events (until an InformResponse), TransferCompletes
 * (until their response) and the retry count (consecutive failed sessions).
 */
export class CpeDevice {
  readonly model: DataModel;
  readonly ns: CwmpNs;
  private readonly opts: CpeDeviceOptions;
  private events: EventStruct[];
  private transfers: PendingTransfer[] = [];
  private retryCount = 0;
  private _sessions = 0;

  constructor(options: CpeDeviceOptions) {
    this.opts = options;
    this.model = options.model;
    this.ns = options.ns;
    this.events = [...(options.initialEvents ?? [{ EventCode: '0 BOOTSTRAP', CommandKey: '' }, { EventCode: '1 BOOT', CommandKey: '' }])];
  }

  /** Events waiting for the next Inform. */
  get pendingEvents(): readonly EventStruct[] { return this.events; }
  get pendingTransfers(): readonly PendingTransfer[] { return this.transfers; }
  get sessions(): number { return this._sessions; }

  /**
   * A new session carrying the pending events plus `extraEvents` (e.g. '6 CONNECTION REQUEST', '2 PERIODIC');
   * '4 VALUE CHANGE' is added when the model has pending changes.
   */
  nextSession(extraEvents: readonly (string | EventStruct)[] = []): CpeSession {
    const extra = extraEvents.map((e) => (typeof e === 'string' ? { EventCode: e, CommandKey: '' } : e));
    const vc = this.model.valueChangeStatus().valueChange ? [{ EventCode: '4 VALUE CHANGE', CommandKey: '' }] : [];
    const events = mergeEvents(this.events, extra, vc);
    this._sessions++;
    return new CpeSession({
      model: this.model, ns: this.ns, events, retryCount: this.retryCount,
      transfers: this.transfers,
      ...(this.opts.now === undefined ? {} : { now: this.opts.now }),
      ...(this.opts.path === undefined ? {} : { path: this.opts.path }),
      ...(this.opts.credentials === undefined ? {} : { credentials: this.opts.credentials }),
      ...(this.opts.downloadOutcome === undefined ? {} : { downloadOutcome: this.opts.downloadOutcome }),
      onEnd: (s) => this.sessionEnded(s, events),
    });
  }

  private sessionEnded(s: CpeSession, sent: readonly EventStruct[]): void {
    // Undelivered events stay; events of what happened in the session are added.
    const kept = s.informDelivered ? [] : sent.filter((e) => e.EventCode !== '7 TRANSFER COMPLETE' && e.EventCode !== 'M Download');
    const delivered = new Set(s.deliveredTransfers);
    this.transfers = [...s.transfers.filter((t) => !delivered.has(t)), ...s.pendingTransfers];
    const resetOrBoot = s.pendingBootEvents;
    if (resetOrBoot.some((e) => e.EventCode === '0 BOOTSTRAP')) this.transfers = [];
    const transferEvents: EventStruct[] = this.transfers.length === 0 ? [] : [
      { EventCode: '7 TRANSFER COMPLETE', CommandKey: '' },
      ...this.transfers.map((t) => ({ EventCode: 'M Download', CommandKey: t.commandKey })),
    ];
    this.events = mergeEvents(resetOrBoot, kept, transferEvents);
    this.retryCount = s.state === 'done' ? 0 : this.retryCount + 1;
  }
}
