import type { LabEvent, MessageEvent, OutcomeEvent, Party, SessionEventT } from '../../protocol/events.ts';
import { NOT_HTTP } from '../../protocol/http.ts';
import { firstVerifyError, outcomeSentence } from './outcome.ts';

/**
 * Pure formatting of engine events for the two live views: the ladder's rows (arrows and marks) and
 * the capture terminal's lines. No DOM, no d3, no xterm: the controllers draw what these return.
 * Views never parse bytes; everything here comes from the events' own fields.
 */

import type { Translate } from '../i18n/index.ts';
export type { Translate };
type HttpEventT = Extract<LabEvent, { kind: 'http' }>;
type CwmpEventT = Extract<LabEvent, { kind: 'cwmp' }>;

// ---------------------------------------------------------------------------------------------
// Message kinds (one color family each, in the ladder and in the terminal)

export type MessageKind = 'hello' | 'certificate' | 'keyExchange' | 'finished' | 'ccs' | 'alert' | 'appData' | 'http' | 'cwmp' | 'other';

/** Legend order. */
export const KINDS: readonly MessageKind[] = ['hello', 'certificate', 'keyExchange', 'finished', 'ccs', 'alert', 'appData', 'http', 'cwmp'];

const KIND_OF: Record<string, MessageKind> = {
  HelloRequest: 'hello',
  ClientHello: 'hello',
  ServerHello: 'hello',
  HelloRetryRequest: 'hello',
  EncryptedExtensions: 'hello',
  Certificate: 'certificate',
  CertificateRequest: 'certificate',
  CertificateVerify: 'certificate',
  CertificateStatus: 'certificate',
  CompressedCertificate: 'certificate',
  ServerKeyExchange: 'keyExchange',
  ClientKeyExchange: 'keyExchange',
  ServerHelloDone: 'keyExchange',
  KeyUpdate: 'keyExchange',
  NewSessionTicket: 'keyExchange',
  EndOfEarlyData: 'keyExchange',
  Finished: 'finished',
  ChangeCipherSpec: 'ccs',
  Alert: 'alert',
  EncryptedAlert: 'alert',
  ApplicationData: 'appData',
};

/** The color family of a TLS message by its RFC name. */
export function messageKind(name: string): MessageKind {
  return KIND_OF[name] ?? 'other';
}

/** "ServerHelloDone" → "Server Hello Done" (as Wireshark spells messages in its Info column). */
export function spacedName(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}

/** "certificate_expired" → "Certificate Expired". */
function titleCase(snake: string): string {
  return snake
    .split('_')
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(' ');
}

export type Lock = 'none' | 'closed' | 'open';
/** Closed lock: encrypted on the wire and not decrypted; open lock: we decrypted it with the key log. */
export function lockOf(m: Pick<MessageEvent, 'encrypted' | 'decrypted'>): Lock {
  return !m.encrypted ? 'none' : m.decrypted ? 'open' : 'closed';
}

// ---------------------------------------------------------------------------------------------
// Connections: which lane, who is client and server

export type LaneId = 'main' | 'cr';

export interface ConnInfo {
  conn: number;
  lane: LaneId;
  /** The party that opened the TCP connection (the TLS or HTTP client), when known. */
  client: Party | null;
  /** Its peer, when known (from the messages seen so far). */
  server: Party | null;
}

/** The usual peer of a client when no message has said otherwise yet. */
function defaultPeer(client: Party, mitm: boolean): Party {
  if (client === 'cpe') return mitm ? 'attacker' : 'acs';
  if (client === 'acs') return 'cpe';
  return 'acs';
}

function isMitm(config: SessionEventT['config'] | undefined): boolean {
  // The catalog's attacker faults put an on-path attacker between the CPE and the ACS.
  return config?.faults.some((f) => f.startsWith('mitm')) ?? false;
}

/**
 * Per connection: its lane (the plain-HTTP Connection Request — a connection the ACS opens, or that
 * carries plain HTTP — gets its own lane) and its client and server parties.
 */
export function connections(events: readonly LabEvent[]): Map<number, ConnInfo> {
  const out = new Map<number, ConnInfo>();
  const session = events[0]?.kind === 'session' ? events[0] : undefined;
  const mitm = isMitm(session?.config);
  const get = (conn: number): ConnInfo => {
    let c = out.get(conn);
    if (!c) out.set(conn, (c = { conn, lane: 'main', client: null, server: null }));
    return c;
  };
  for (const e of events) {
    if (e.kind === 'tcp') {
      const c = get(e.conn);
      if (e.action === 'open' && c.client === null && e.from) {
        c.client = e.from;
        if (e.from === 'acs') c.lane = 'cr';
      }
    } else if (e.kind === 'http') {
      const c = get(e.conn);
      if (e.plain) c.lane = 'cr';
      if (c.client === null && e.request) c.client = e.from;
      if (c.server === null && c.client !== null) c.server = e.from === c.client ? e.to : e.from;
    } else if (e.kind === 'message') {
      const c = get(e.conn);
      if (c.client === null && e.name === 'ClientHello') c.client = e.from;
      if (c.server === null && c.client !== null) c.server = e.from === c.client ? e.to : e.from;
    }
  }
  for (const c of out.values()) if (c.client !== null && c.server === null) c.server = defaultPeer(c.client, mitm);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ladder rows

export interface LadderArrow {
  type: 'arrow';
  /** Stable key: the event's seq. */
  key: string;
  seq: number;
  t: number;
  conn: number;
  lane: LaneId;
  /** tls: a TLS message; http / cwmp: what the application data carried (drawn nested inside it). */
  layer: 'tls' | 'http' | 'cwmp';
  /** data-name: the TLS message's name exactly; "HTTP POST" / "HTTP 200"; the CWMP RPC name. */
  name: string;
  from: Party;
  to: Party;
  kind: MessageKind;
  lock: Lock;
  /** TLS flight number on its connection. */
  flight: number | null;
  /** Bytes: the record's length (TLS), the body length (HTTP). */
  bytes: number | null;
  /** Language-neutral text parts (see arrowText). */
  text: {
    summary: string;
    alert?: { level: string; description: string; code: number } | undefined;
    request?: { method: string; path: string } | undefined;
    response?: { status: number; reason: string } | undefined;
    /** The CWMP RPC the HTTP message carries (from the cwmp event that follows it). */
    rpc?: string | undefined;
    header?: string | undefined;
    cwmpId?: string | null | undefined;
  };
  /** The outcome says this side aborted the session with this alert: a ✕ at the sender. */
  aborted: boolean;
  /** The message could not be fully decoded or decrypted. */
  error: { code: string; message: string } | null;
}

/** TCP actions; a close without alert; the deadline; a session stopped from outside (step mode). */
export type MarkKind = 'open' | 'half-close' | 'close' | 'reset' | 'no-alert' | 'timeout' | 'stopped';

export interface LadderMark {
  type: 'mark';
  key: string;
  seq: number;
  t: number;
  conn: number | null;
  lane: LaneId;
  mark: MarkKind;
  /** The lifeline the mark sits on (null: between the connection's two parties). */
  party: Party | null;
  /** The other end of the connection. */
  peer: Party | null;
  /** The connection's client and server (for marks between them, such as a close). */
  ends: [Party, Party] | null;
  /** The outcome says the session was aborted here (a close without alert). */
  aborted: boolean;
  afterMs?: number;
  /** Why it was stopped (mark 'stopped'): the user, the idle limit, the client gone. */
  reason?: string;
}

export type LadderRow = LadderArrow | LadderMark;

export interface LadderFlight {
  key: string;
  conn: number;
  lane: LaneId;
  flight: number;
  from: Party;
  to: Party;
  /** Row indexes of its first and last message. */
  first: number;
  last: number;
  count: number;
}

export interface LadderModel {
  /** Lifelines of the main lane, left to right. */
  parties: Party[];
  /** Is there a Connection Request lane. */
  crLane: boolean;
  rows: LadderRow[];
  flights: LadderFlight[];
  /** Time of the first row (the ladder shows times from there). */
  t0: number | null;
  outcome: { ok: boolean; abortedBy: Party | null; compromised: boolean } | null;
}

const EMPTY_MODEL: LadderModel = { parties: ['cpe', 'acs'], crLane: false, rows: [], flights: [], t0: null, outcome: null };

function headerValue(e: HttpEventT, name: string): string | undefined {
  const lower = name.toLowerCase();
  return e.headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

/** The one header worth showing under an HTTP arrow: the Digest challenge/answer, else the content type. */
function interestingHeader(e: HttpEventT): string | undefined {
  const www = headerValue(e, 'WWW-Authenticate');
  if (www) return `WWW-Authenticate: ${www.split(/\s+/)[0]}`;
  const auth = headerValue(e, 'Authorization');
  if (auth) return `Authorization: ${auth.split(/\s+/)[0]}`;
  const ct = headerValue(e, 'Content-Type');
  return ct ? `Content-Type: ${ct.split(';')[0]}` : undefined;
}

/** Builds the ladder's rows from a session's events (in order). Pure; cheap enough to rebuild per update. */
/** An arrow for an application-layer event (an HTTP message, a CWMP RPC): no lock, no flight, never the abort. */
function appArrow(e: HttpEventT | CwmpEventT, lane: LaneId, layer: 'http' | 'cwmp', name: string, bytes: number | null, text: LadderArrow['text']): LadderArrow {
  return { type: 'arrow', key: String(e.seq), seq: e.seq, t: e.t, conn: e.conn, lane, layer, name, from: e.from, to: e.to, kind: layer, lock: 'none', flight: null, bytes, text, aborted: false, error: null };
}

export function ladderModel(events: readonly LabEvent[]): LadderModel {
  if (events.length === 0) return EMPTY_MODEL;
  const conns = connections(events);
  const laneOf = (conn: number): LaneId => conns.get(conn)?.lane ?? 'main';
  const rows: LadderRow[] = [];
  const flights = new Map<string, LadderFlight>();
  /** Per connection, the flight of its latest TLS message (HTTP and CWMP rows nest inside it). */
  const openFlight = new Map<number, LadderFlight>();
  let attacker = false;
  let outcome: OutcomeEvent | null = null;

  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    switch (e.kind) {
      case 'message': {
        if (e.from === 'attacker' || e.to === 'attacker') attacker = true;
        const lane = laneOf(e.conn);
        const row: LadderArrow = {
          type: 'arrow',
          key: String(e.seq),
          seq: e.seq,
          t: e.t,
          conn: e.conn,
          lane,
          layer: 'tls',
          name: e.name,
          from: e.from,
          to: e.to,
          kind: messageKind(e.name),
          lock: lockOf(e),
          flight: e.flight,
          bytes: e.record.length,
          text: { summary: e.summary, alert: e.alert ? { level: e.alert.levelName, description: e.alert.description, code: e.alert.code } : undefined },
          aborted: false,
          error: e.error ?? null,
        };
        const fk = `${e.conn}:${e.flight}`;
        let f = flights.get(fk);
        if (f) {
          f.last = rows.length;
          f.count++;
        } else flights.set(fk, (f = { key: fk, conn: e.conn, lane, flight: e.flight, from: e.from, to: e.to, first: rows.length, last: rows.length, count: 1 }));
        openFlight.set(e.conn, f);
        rows.push(row);
        break;
      }
      case 'http': {
        if (e.from === 'attacker' || e.to === 'attacker') attacker = true;
        // The CWMP envelope this HTTP message carries comes right after it (same connection and sender).
        let rpc: string | undefined;
        for (let j = i + 1; j < events.length && j <= i + 3; j++) {
          const n = events[j]!;
          if (n.kind === 'cwmp' && n.conn === e.conn && n.from === e.from) {
            rpc = n.rpc;
            break;
          }
          if (n.kind === 'message' || n.kind === 'http') break;
        }
        const nest = openFlight.get(e.conn);
        if (!e.plain && nest && nest.from === e.from) nest.last = rows.length;
        const name = e.request ? `HTTP ${e.request.method}` : `HTTP ${e.response?.status ?? ''}`.trim();
        rows.push(appArrow(e, e.plain ? 'cr' : laneOf(e.conn), 'http', name, e.bodyLength, { summary: '', request: e.request, response: e.response, rpc, header: interestingHeader(e) }));
        break;
      }
      case 'cwmp': {
        if (e.from === 'attacker' || e.to === 'attacker') attacker = true;
        const nest = openFlight.get(e.conn);
        if (nest && nest.from === e.from) nest.last = rows.length;
        const summary = e.summary.startsWith(`${e.rpc} `) ? e.summary.slice(e.rpc.length + 1) : e.summary === e.rpc ? '' : e.summary;
        rows.push(appArrow(e, laneOf(e.conn), 'cwmp', e.rpc, null, { summary, cwmpId: e.id }));
        break;
      }
      case 'tcp': {
        if (e.from === 'attacker') attacker = true;
        const c = conns.get(e.conn);
        const party = e.action === 'close' ? null : e.from;
        const peer = party === null ? null : c ? (party === c.client ? c.server : c.client) : null;
        const ends: [Party, Party] | null = c?.client && c.server ? [c.client, c.server] : null;
        rows.push({ type: 'mark', key: String(e.seq), seq: e.seq, t: e.t, conn: e.conn, lane: laneOf(e.conn), mark: e.action, party, peer, ends, aborted: false });
        break;
      }
      case 'outcome':
        outcome = e;
        break;
      default:
        break;
    }
  }

  if (outcome?.abort) {
    const a = outcome.abort;
    if (a.kind === 'alert') {
      const alerts = rows.filter((r): r is LadderArrow => r.type === 'arrow' && r.layer === 'tls' && r.kind === 'alert' && r.from === a.from);
      const hit = alerts.find((r) => r.text.alert?.description === a.alert.description) ?? alerts[alerts.length - 1];
      if (hit) hit.aborted = true;
    } else if (a.kind === 'close') {
      const closes = rows.filter((r): r is LadderMark => r.type === 'mark' && r.lane === 'main' && r.party === a.from && (r.mark === 'half-close' || r.mark === 'reset'));
      const hit = closes[0];
      if (hit) hit.aborted = true;
      else rows.push({ type: 'mark', key: `${outcome.seq}`, seq: outcome.seq, t: outcome.t, conn: null, lane: 'main', mark: 'no-alert', party: a.from, peer: null, ends: null, aborted: true });
    } else if (a.kind === 'timeout') {
      rows.push({ type: 'mark', key: `${outcome.seq}`, seq: outcome.seq, t: outcome.t, conn: null, lane: 'main', mark: 'timeout', party: null, peer: null, ends: null, aborted: true, afterMs: a.afterMs });
    } else {
      rows.push({ type: 'mark', key: `${outcome.seq}`, seq: outcome.seq, t: outcome.t, conn: null, lane: 'main', mark: 'stopped', party: null, peer: null, ends: null, aborted: true, reason: a.reason });
    }
  }

  const parties: Party[] = attacker ? ['cpe', 'attacker', 'acs'] : ['cpe', 'acs'];
  return {
    parties,
    crLane: rows.some((r) => r.lane === 'cr'),
    rows,
    flights: [...flights.values()],
    t0: rows[0]?.t ?? null,
    outcome: outcome ? { ok: outcome.ok, abortedBy: outcome.abortedBy, compromised: outcome.compromised } : null,
  };
}

/** The party's short name as drawn on its lifeline. */
export function partyName(p: Party, t: Translate): string {
  return t(`ladder.party.${p}`);
}

/** The visible label, the smaller detail line and the spoken label of an arrow. */
export function arrowText(r: LadderArrow, t: Translate): { label: string; detail: string; aria: string } {
  let label: string;
  let detail: string;
  if (r.layer === 'http') {
    const rpc = r.text.rpc ? ` (${r.text.rpc})` : '';
    if (r.text.request) {
      const empty = !rpc && r.bytes === 0 && r.text.request.method === 'POST' ? ` (${t('ladder.http.empty')})` : '';
      label = `${r.text.request.method} ${r.text.request.path}${rpc}${empty}`;
    } else label = `HTTP ${r.text.response?.status ?? ''} ${r.text.response?.reason ?? ''}`.trim() + rpc;
    const parts = [r.text.header, r.bytes ? t('ladder.bytes.body', { n: r.bytes }) : ''].filter(Boolean);
    detail = parts.join(' · ');
  } else if (r.layer === 'cwmp') {
    label = `SOAP ${r.name}`;
    detail = r.text.summary;
  } else {
    label = r.kind === 'alert' && r.text.alert ? `${r.name}: ${r.text.alert.description}` : r.name;
    detail = r.text.summary;
  }
  const lockWords = r.layer === 'tls' ? t(`ladder.lock.${r.lock}`) : r.lane === 'cr' ? t('ladder.lock.plainHttp') : t('ladder.lock.inside');
  const flight = r.flight !== null ? t('ladder.aria.flight', { n: r.flight }) : '';
  const aria = [
    t('ladder.aria.arrow', { label, from: partyName(r.from, t), to: partyName(r.to, t) }),
    lockWords,
    flight,
    t('ladder.aria.conn', { n: r.conn }),
    r.aborted ? t('ladder.mark.aborted') : '',
    r.error ? `${r.error.code}: ${r.error.message}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return { label, detail, aria };
}

/** The words of a lifeline mark. */
export function markText(m: LadderMark, t: Translate): string {
  if (m.mark === 'timeout') return t('ladder.mark.timeout', { ms: Math.round(m.afterMs ?? 0) });
  if (m.mark === 'stopped') return t(`ladder.mark.stopped.${m.reason ?? 'user'}`);
  if (m.mark === 'no-alert' || (m.aborted && (m.mark === 'half-close' || m.mark === 'reset'))) return t('ladder.mark.noAlert');
  return t(`ladder.mark.${m.mark}`, { n: m.conn ?? 0 });
}

/** A record the relay holds in step mode, with its parties resolved. */
export interface HeldView {
  conn: number;
  lane: LaneId;
  from: Party;
  to: Party;
  records: number;
  bytes: number;
}

/** Maps step mode's held records (TLS role per connection) to the parties drawn on the ladder. */
export function heldView(events: readonly LabEvent[], held: readonly { conn: number; from: 'client' | 'server'; records: number; bytes: number }[]): HeldView[] {
  if (held.length === 0) return [];
  const conns = connections(events);
  const session = events[0]?.kind === 'session' ? events[0] : undefined;
  return held
    .filter((h) => h.records > 0)
    .map((h) => {
      const c = conns.get(h.conn);
      const client: Party = c?.client ?? 'cpe';
      const server: Party = c?.server ?? defaultPeer(client, isMitm(session?.config));
      const from = h.from === 'client' ? client : server;
      return { conn: h.conn, lane: c?.lane ?? 'main', from, to: from === client ? server : client, records: h.records, bytes: h.bytes };
    });
}

// ---------------------------------------------------------------------------------------------
// Capture terminal lines (a tshark-like packet list)

export type TermStyle = MessageKind | 'header' | 'dim' | 'text' | 'proto' | 'tcp' | 'warn' | 'error' | 'ok' | 'fail';

export interface TermSeg {
  text: string;
  style: TermStyle;
}

export interface TermLine {
  /** seq of the first event on the line (stable key). */
  seq: number;
  /** Frame number (null for notes and headers). */
  frame: number | null;
  segs: TermSeg[];
  /** Plain text (what Copy copies). */
  text: string;
  /** The last frame may still grow (more messages of the same segment arriving): the terminal holds it back a moment. */
  open: boolean;
}

const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/;
/** Terminal cells a string takes (CJK characters take two). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += WIDE.test(ch) ? 2 : 1;
  return w;
}
function padEnd(s: string, n: number): string {
  const w = displayWidth(s);
  return w >= n ? s : s + ' '.repeat(n - w);
}
function padStart(s: string, n: number): string {
  const w = displayWidth(s);
  return w >= n ? s : ' '.repeat(n - w) + s;
}

const COL = { no: 5, time: 11, addr: 26, proto: 9, len: 6 };

function line(seq: number, frame: number | null, segs: TermSeg[], open = false): TermLine {
  return { seq, frame, segs, text: segs.map((s) => s.text).join('').trimEnd(), open };
}

interface Frame {
  conn: number;
  from: Party;
  to: Party;
  t: number;
  seq: number;
  items: (MessageEvent | HttpEventT | CwmpEventT)[];
}

/** OpenSSL's "C0A6…:error:0A0000C7:SSL routines:func:reason:file:line:" → "reason" (other messages: first line). */
export function endpointMessage(message: string): string {
  const first = message.split('\n')[0]!.trim();
  const m = /^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/.exec(first);
  return m ? m[1]!.trim() : first;
}

/** The capture's packet list: one line per frame (the messages one sender's segment carried), TCP lines, notes. */
/** The outcome line in the user's language: what happened, the verifier's error, what was negotiated. */
function outcomeLine(o: OutcomeEvent, t: Translate, fromCapture: boolean): string {
  const err = firstVerifyError(o);
  const n = o.negotiated;
  const negotiated = o.ok && (n.version || n.cipherSuite) ? ` ${[n.version, n.cipherSuite].filter(Boolean).join(' · ')}` : '';
  return `${outcomeSentence(o, t, fromCapture)}${err ? ` (${err})` : ''}${negotiated}`;
}

export function captureLines(events: readonly LabEvent[], t: Translate, opts: { fromCapture?: boolean } = {}): TermLine[] {
  const out: TermLine[] = [];
  if (events.length === 0) return out;
  const session = events[0]?.kind === 'session' ? events[0] : undefined;
  const conns = connections(events);
  const proto = session ? (session.config.tls === '1.3' ? 'TLSv1.3' : 'TLSv1.2') : 'TLS';
  let t0: number | null = null;
  let n = 0;
  let cur: Frame | null = null;

  const addr = (p: Party | null, conn: number | null): string => {
    if (p === null) return '?';
    const name = t(`terminal.party.${p}`);
    if (!session || conn === null) return name;
    const c = conns.get(conn);
    // The server side of a TLS connection listens on a known port; clients use ephemeral ones (not in events).
    if (p === 'acs' && c?.lane === 'main' && c.server === 'acs') return `${name}:${session.endpoints.acs.port}`;
    if (p === 'cpe' && session.endpoints.cpe.port) return `${name}:${session.endpoints.cpe.port}`;
    return name;
  };
  const time = (at: number) => {
    t0 ??= at;
    return ((at - t0) / 1000).toFixed(6);
  };
  const lead = (at: number, src: string, dst: string, protocol: string, len: number | null): TermSeg[] => [
    { text: padStart(String(++n), COL.no) + '  ', style: 'text' },
    { text: padStart(time(at), COL.time - 1) + '  ', style: 'dim' },
    { text: padEnd(`${src} → ${dst}`, COL.addr) + ' ', style: 'text' },
    { text: padEnd(protocol, COL.proto), style: 'proto' },
    { text: padStart(len === null ? '' : String(len), COL.len - 1) + '  ', style: 'dim' },
  ];
  const note = (seq: number, at: number, style: TermStyle, text: string) => {
    out.push(line(seq, null, [{ text: ' '.repeat(COL.no + 2) + padStart(time(at), COL.time - 1) + '  ', style: 'dim' }, { text, style }]));
  };

  const flush = (open = false) => {
    if (!cur) return;
    const f = cur;
    cur = null;
    const msgs = f.items.filter((x): x is MessageEvent => x.kind === 'message');
    const https = f.items.filter((x): x is HttpEventT => x.kind === 'http');
    const cwmps = f.items.filter((x): x is CwmpEventT => x.kind === 'cwmp');
    // Length: the TLS records on the wire (header + fragment), each counted once.
    const records = new Map<number, number>();
    for (const m of msgs) records.set(m.record.index, m.record.length + 5);
    const len = records.size ? [...records.values()].reduce((a, b) => a + b, 0) : null;
    const protocol = https.length ? (cwmps.length ? 'HTTP/XML' : 'HTTP') : proto;
    const info: TermSeg[] = [];
    const push = (text: string, style: TermStyle) => {
      if (info.length) info.push({ text: ', ', style: 'dim' });
      info.push({ text, style });
    };
    for (let i = 0; i < f.items.length; i++) {
      const x = f.items[i]!;
      if (x.kind === 'message') {
        // Decrypted application data that carried HTTP is shown as that HTTP message.
        const next = f.items[i + 1];
        if (x.name === 'ApplicationData' && next?.kind === 'http') continue;
        const kind = messageKind(x.name);
        if (x.alert) push(`${x.name === 'Alert' ? 'Alert' : spacedName(x.name)} (${t('terminal.alert', { level: titleCase(x.alert.levelName), description: titleCase(x.alert.description) })})`, 'alert');
        else push(spacedName(x.name), kind);
      } else if (x.kind === 'http') {
        const what = x.request ? `${x.request.method} ${x.request.path} HTTP/1.1` : `HTTP/1.1 ${x.response?.status ?? ''} ${x.response?.reason ?? ''}`.trimEnd();
        push(what, 'http');
      } else {
        info.push({ text: ` (CWMP ${x.rpc})`, style: 'cwmp' });
      }
    }
    if (msgs.some((m) => m.encrypted && !m.decrypted)) info.push({ text: ` ${t('terminal.notDecrypted')}`, style: 'dim' });
    const head = lead(f.t, addr(f.from, f.conn), addr(f.to, f.conn), protocol, len);
    out.push(line(f.seq, n, [...head, ...info], open));
  };

  for (const e of events) {
    switch (e.kind) {
      case 'session':
        out.push(line(e.seq, null, [{ text: t('terminal.session', { id: e.id.slice(0, 8), tls: e.config.tls, kx: e.config.kx.toUpperCase(), cipher: e.config.cipher }) + (e.config.paper ? ` ${t('terminal.paper')}` : ''), style: 'header' }]));
        out.push(line(e.seq, null, [{ text: t('terminal.path', { relay: `${e.endpoints.relay.ip}:${e.endpoints.relay.port}`, acs: `${e.endpoints.acs.ip}:${e.endpoints.acs.port}` }), style: 'dim' }]));
        out.push(
          line(e.seq, null, [
            {
              text:
                padStart(t('terminal.col.no'), COL.no) +
                '  ' +
                padStart(t('terminal.col.time'), COL.time - 1) +
                '  ' +
                padEnd(t('terminal.col.addr'), COL.addr) +
                ' ' +
                padEnd(t('terminal.col.proto'), COL.proto) +
                padStart(t('terminal.col.len'), COL.len - 1) +
                '  ' +
                t('terminal.col.info'),
              style: 'header',
            },
          ]),
        );
        break;
      case 'message':
      case 'http':
      case 'cwmp': {
        const plain = e.kind === 'http' && e.plain;
        const joins = cur !== null && cur.conn === e.conn && cur.from === e.from && (e.kind !== 'message' ? true : cur.t === e.t) && !plain;
        if (joins) cur!.items.push(e);
        else if (e.kind === 'cwmp') {
          // An envelope without its HTTP message on screen (should not happen): a line of its own.
          flush();
          cur = { conn: e.conn, from: e.from, to: e.to, t: e.t, seq: e.seq, items: [e] };
        } else {
          flush();
          cur = { conn: e.conn, from: e.from, to: e.to, t: e.t, seq: e.seq, items: [e] };
          if (plain) flush();
        }
        break;
      }
      case 'tcp': {
        flush();
        const c = conns.get(e.conn);
        const from = e.from;
        const peer = from === null ? null : c ? (from === c.client ? c.server : c.client) : null;
        const src = from === null ? addr(c?.client ?? 'cpe', e.conn) : addr(from, e.conn);
        const dst = from === null ? addr(c?.server ?? 'acs', e.conn) : addr(peer, e.conn);
        const flags = e.action === 'open' ? '[SYN] [SYN, ACK] [ACK]' : e.action === 'half-close' ? '[FIN, ACK]' : e.action === 'reset' ? '[RST, ACK]' : '[FIN] [FIN]';
        const words = t(`terminal.tcp.${e.action}`, { n: e.conn, party: from ? t(`terminal.party.${from}`) : '' });
        const head = lead(e.t, src, dst, 'TCP', null);
        out.push(line(e.seq, n, [...head, { text: `${flags}  ${words}`, style: e.action === 'reset' ? 'error' : 'tcp' }]));
        break;
      }
      case 'endpoint':
        if (e.what === 'verify' && e.verifyError) {
          flush();
          const v = e.verifyError;
          note(e.seq, e.t, 'warn', `⚠ ${t('terminal.verify', { party: t(`terminal.party.${e.side}`), name: v.name, code: v.code, text: v.text })}${v.depth !== null ? ` ${t('terminal.depth', { n: v.depth })}` : ''}`);
        } else if (e.what === 'error') {
          flush();
          note(e.seq, e.t, 'warn', `⚠ ${t('terminal.endpointError', { party: t(`terminal.party.${e.side}`), code: e.code ?? '', message: endpointMessage(e.message ?? '') })}`);
        }
        break;
      case 'error':
        flush();
        // Not an error of the session: the protocol above TLS is something other than HTTP.
        if (e.code === NOT_HTTP && e.from) note(e.seq, e.t, 'warn', `ⓘ ${t('terminal.notHttp', { party: t(`terminal.party.${e.from}`) })}`);
        else note(e.seq, e.t, 'error', `! ${e.code}: ${e.message}`);
        break;
      case 'outcome':
        flush();
        out.push(line(e.seq, null, [{ text: e.ok ? `✔ ${t('terminal.ok')}  ` : `✘ ${t('terminal.failed')}  `, style: e.ok ? 'ok' : 'fail' }, { text: outcomeLine(e, t, opts.fromCapture === true), style: 'text' }]));
        break;
      default:
        break;
    }
  }
  flush(true);
  return out;
}

/** The packet list as plain text (the Copy button). */
export function plainText(lines: readonly TermLine[]): string {
  return lines.map((l) => l.text).join('\n') + (lines.length ? '\n' : '');
}

