import type { CaptureVerdict, LabEvent, OutcomeEvent, Party, SessionConfig } from '../protocol/events.ts';
import { EventStream, type Roles } from '../protocol/session-events.ts';
import type { AnalyzedMessage } from '../protocol/tls/connection.ts';
import type { CryptoProvider } from '../protocol/tls/crypto.ts';
import { browserCrypto } from '../protocol/tls/crypto-web.ts';
import { enumName } from '../protocol/tls/enums.ts';
import { toHex } from '../protocol/tls/fields.ts';
import type { HandshakeInfo } from '../protocol/tls/handshake.ts';
import { KeyLogStore, parseKeyLog, type KeyLogEntry } from '../protocol/tls/keylog.ts';
import { CIPHER_SUITE, NAMED_GROUP, SIGNATURE_SCHEME, cipherSuiteKeyExchange } from '../protocol/tls/registry.ts';
import { toBase64 } from '../protocol/transcript.ts';
import { CaptureError, type CaptureNotice, type CaptureNoticeCode, type Params } from './errors.ts';
import { readCaptureFile, type CaptureFormat } from './file.ts';
import { decodePacket, linktypeName, type SkipReason } from './packet.ts';
import { connectionPipeline, type ConnectionPipeline } from './pipeline.ts';
import { TcpReassembler, type Dir, type TcpConnection, type TcpEndpoint } from './tcp.ts';

/**
 * Capture import: a pcap or pcapng file (and optionally an SSLKEYLOGFILE) → the same LabEvents a
 * live session gives, from the same connection pipeline (src/capture/pipeline.ts: records →
 * decryption → handshake messages → HTTP → CWMP). Pure and synchronous: runs in the browser's Web
 * Worker (workers/capture.worker.ts) and in Node tests alike.
 *
 * Decisions (documented in src/capture/README.md):
 * - Roles: a TLS connection's client is the CPE and its server the ACS (in TR-069 the CPE always
 *   opens the CWMP session, TR-069 §3.2). A plain-HTTP connection whose first request is a GET is
 *   a Connection Request (TR-069 §3.2.2): its client is the ACS; any other plain HTTP connection's
 *   client is the CPE (a CWMP session over http://).
 * - Client and server of a TCP connection: the SYN's sender is the client; when the capture missed
 *   the SYN, the side that sends a ClientHello (or an HTTP request) is, else the side with the
 *   higher port number (the ephemeral one).
 * - Sessions: one imported session per pair of hosts (IP addresses), holding every TLS and HTTP
 *   connection between them in order of appearance (conn 0, 1, …), like a live session's
 *   connections. A capture of one ACS and many CPEs gives one session per CPE.
 * - Other TCP connections (neither TLS nor HTTP) are left out, with a notice.
 */
export interface ImportOptions {
  /** SSLKEYLOGFILE text given by the user, used with any key log the pcapng carries. */
  keylog?: string;
  /** The file's name, used in session ids. */
  name?: string;
  /** Default: the browser provider (@noble), so Node tests run exactly what the worker runs. */
  crypto?: CryptoProvider;
  onProgress?: (p: ImportProgress) => void;
  /** Bytes between progress calls (default 1 MiB). */
  progressEvery?: number;
}

export interface ImportProgress {
  /** Bytes of the file read. */
  bytes: number;
  total: number;
  packets: number;
}

export interface ImportedSession {
  id: string;
  /** Index among the capture's sessions, from 0. */
  index: number;
  /** The two hosts (IP addresses) and the role each plays. */
  hosts: { cpe: string; acs: string };
  /** session, tcp, message, secret, error, http, cwmp events …, outcome last: like a live session. */
  events: LabEvent[];
  /** SSLKEYLOGFILE text of the secrets this session's connections used. */
  keyLog: string;
  notices: CaptureNotice[];
  /**
   * Event fields the wire cannot show, filled with placeholders (e.g. `config.verifier`: which TLS
   * stack verified certificates; `outcome.cpe.verifiedPeer`: an endpoint's own verdict). Views should
   * show these as unknown.
   */
  unknown: string[];
  stats: { connections: number; tlsConnections: number; httpConnections: number };
}

export interface CaptureImport {
  format: CaptureFormat;
  sessions: ImportedSession[];
  /** Notices about the whole capture (also copied into every session's notices). */
  notices: CaptureNotice[];
  stats: {
    bytes: number;
    packets: number;
    tcpSegments: number;
    skipped: Record<SkipReason, number>;
    retransmissions: number;
    outOfOrder: number;
    connections: number;
    keyLogLines: number;
  };
}

/** Placeholders for what a capture cannot know; listed in ImportedSession.unknown. */
const ALWAYS_UNKNOWN = [
  'config.verifier',
  'config.faults',
  'config.rpcs',
  'config.deadlineMs',
  'endpoints.relay',
  'certificates.cpe.trust',
  'certificates.acs.trust',
  'certificates.acs.expectsPeerName',
  'outcome.cpe.verifiedPeer',
  'outcome.acs.verifiedPeer',
  'outcome.cpe.error',
  'outcome.acs.error',
  'outcome.cpe.verifyError',
  'outcome.acs.verifyError',
  'outcome.cpe.authorizationError',
  'outcome.acs.authorizationError',
];

const BENIGN_ALERTS = new Set([0 /* close_notify */, 90 /* user_canceled */]);
const CLASSIFY_BYTES = 16;

type Kind = 'pending' | 'tls' | 'http' | 'other';
type Queued =
  | { type: 'data'; dir: Dir; bytes: Uint8Array; us: number }
  | { type: 'fin' | 'rst'; dir: Dir; us: number }
  | { type: 'gap'; dir: Dir; missing: number; us: number };

interface ConnState {
  tcp: TcpConnection;
  kind: Kind;
  queue: Queued[];
  /** First bytes of the first direction that sent data, for classification. */
  head: Uint8Array;
  headDir: Dir | null;
  clientDir: Dir;
  roles: Roles;
  session?: SessionState;
  conn: number;
  pipeline?: ConnectionPipeline;
  fins: Set<Dir>;
  closed: boolean;
  // What the wire showed, for config/outcome/notices.
  clientHello?: Extract<HandshakeInfo, { kind: 'ClientHello' }>;
  serverHello?: Extract<HandshakeInfo, { kind: 'ServerHello' }>;
  /** DER of the certificates each side sent (PEM made only for the session event). */
  certificates: Partial<Record<'client' | 'server', Uint8Array[]>>;
  certificateRequest: boolean;
  serverKx?: { group?: number; signatureScheme?: number };
  signatures: Partial<Record<'client' | 'server', number>>;
  finished: Set<'client' | 'server'>;
  appRecords: Set<'client' | 'server'>;
  decryptedAny: boolean;
  serverHandshakeDecrypted: boolean;
  undecrypted: number;
  decryptErrors: number;
  unsupported?: string;
  alerts: OutcomeEvent['alerts'];
  firstClose: Party | null;
  secretsShown: Set<string>;
}

interface SessionState {
  index: number;
  key: string;
  t0Us: number;
  lastUs: number;
  events: LabEvent[];
  stream: EventStream;
  conns: ConnState[];
  notices: CaptureNotice[];
  /** Connections whose ClientHello was just decoded: their secrets follow the ClientHello's event. */
  secretCheck: ConnState[];
  keyLines: string[];
  cwmp: boolean;
}

function notice(code: CaptureNoticeCode, conn: number | null, params: Params, message: string): CaptureNotice {
  return { code, conn, params, message };
}

function pem(der: Uint8Array): string {
  const b64 = toBase64(der);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function isoOf(us: number): string {
  const d = new Date(us / 1000);
  return Number.isFinite(d.getTime()) ? d.toISOString() : new Date(0).toISOString();
}

/** A TLS record header: content type 20–23, version 3.x (x ≤ 4). */
function looksTls(b: Uint8Array): boolean {
  return b.length >= 3 && b[0]! >= 20 && b[0]! <= 23 && b[1] === 3 && b[2]! <= 4;
}

const HTTP_REQUEST = /^[A-Z][A-Z_-]{1,19} [^\s]/;
const latin1 = new TextDecoder('latin1');

function httpStart(b: Uint8Array): 'request' | 'response' | null {
  const s = latin1.decode(b.subarray(0, CLASSIFY_BYTES));
  if (/^HTTP\/1\.[01] /.test(s) || (b.length < 9 && 'HTTP/1.1 '.startsWith(s) && s.length >= 5)) return 'response';
  if (HTTP_REQUEST.test(s)) return 'request';
  return null;
}

export function importCapture(bytes: Uint8Array, options: ImportOptions = {}): CaptureImport {
  const crypto = options.crypto ?? browserCrypto;
  const name = options.name ?? 'capture';
  const every = options.progressEvery ?? 1 << 20;
  const keys = new KeyLogStore();
  /** Key log entries by client random (hex). */
  const entries = new Map<string, KeyLogEntry[]>();
  const globalNotices: CaptureNotice[] = [];
  const stats: CaptureImport['stats'] = {
    bytes: bytes.length,
    packets: 0,
    tcpSegments: 0,
    skipped: { linktype: 0, 'not-ip': 0, 'not-tcp': 0, fragment: 0, malformed: 0 },
    retransmissions: 0,
    outOfOrder: 0,
    connections: 0,
    keyLogLines: 0,
  };
  const unsupportedLinktypes = new Set<number>();
  let snapCut = 0;
  let nowUs = 0;

  const sessions = new Map<string, SessionState>();
  const sessionList: SessionState[] = [];
  const states = new Map<TcpConnection, ConnState>();
  const otherStreams: string[] = [];

  const addKeyLog = (text: string, source: 'file' | 'dsb') => {
    const { entries: es, errors } = parseKeyLog(text);
    for (const e of es) {
      if (keys.add(e)) {
        const list = entries.get(e.clientRandom);
        if (list) list.push(e);
        else entries.set(e.clientRandom, [e]);
        stats.keyLogLines++;
      }
    }
    if (errors.length) {
      const first = errors[0]!;
      globalNotices.push(
        notice('KEYLOG_LINES_IGNORED', null, { count: errors.length, line: first.line, source, reason: first.error.message }, `${errors.length} line(s) of the ${source === 'dsb' ? "capture's" : 'given'} key log are not NSS key log lines (first: line ${first.line}: ${first.error.message})`),
      );
    }
  };
  if (options.keylog) addKeyLog(options.keylog, 'file');

  const tOf = (s: SessionState, us: number) => Math.max(0, (us - s.t0Us) / 1000);

  const publishSecrets = (c: ConnState, us: number) => {
    const s = c.session;
    const random = c.clientHello ? toHex(c.clientHello.random) : undefined;
    if (!s || !random) return;
    for (const e of entries.get(random) ?? []) {
      if (c.secretsShown.has(e.label)) continue;
      c.secretsShown.add(e.label);
      s.keyLines.push(`${e.label} ${e.clientRandom} ${toHex(e.secret)}`);
      s.stream.push({ kind: 'secret', label: e.label, clientRandom: e.clientRandom, from: c.roles.client, line: e.line }, tOf(s, us));
    }
  };

  const sessionFor = (c: ConnState, cpe: TcpEndpoint, acs: TcpEndpoint): SessionState => {
    const key = [cpe.ip, acs.ip].sort().join(' ');
    let s = sessions.get(key);
    if (s) return s;
    const events: LabEvent[] = [];
    const st: SessionState = {
      index: sessionList.length,
      key,
      t0Us: c.tcp.firstUs,
      lastUs: c.tcp.firstUs,
      events,
      stream: undefined as unknown as EventStream,
      conns: [],
      notices: [],
      secretCheck: [],
      keyLines: [],
      cwmp: false,
    };
    st.stream = new EventStream((e) => {
      events.push(e);
      if (e.kind === 'cwmp') st.cwmp = true;
      if (e.kind === 'message' && st.secretCheck.length) {
        const pending = st.secretCheck.splice(0);
        for (const p of pending) publishSecrets(p, nowUs);
      }
    });
    // The session event comes first; its content (what the handshake showed) is filled in at the end.
    st.stream.push({ kind: 'session', id: '', startedAt: isoOf(st.t0Us), config: placeholderConfig(), endpoints: { cpe: cpe, relay: acs, acs }, certificates: { cpe: { chain: [], trust: [], expectsPeerName: null }, acs: { chain: [], trust: [], expectsPeerName: null } } }, 0);
    sessions.set(key, st);
    sessionList.push(st);
    return st;
  };

  const onMessage = (c: ConnState) => (m: AnalyzedMessage) => {
    const h = m.handshake;
    if (m.decrypted) c.decryptedAny = true;
    if (m.encrypted && !m.decrypted) {
      if (m.error?.code === 'ERR_DECRYPT') c.decryptErrors++;
      else if (m.error?.code === 'ERR_UNSUPPORTED_CIPHER') c.unsupported = m.error.message;
      else c.undecrypted++;
    }
    if (m.name === 'ApplicationData') c.appRecords.add(m.from);
    if (m.alert) {
      c.alerts.push({ from: c.roles[m.from], alert: m.alert, encrypted: m.encrypted, conn: c.conn });
    }
    if (!h) return;
    if (m.from === 'server' && m.decrypted) c.serverHandshakeDecrypted = true;
    switch (h.kind) {
      case 'ClientHello':
        if (!c.clientHello) {
          c.clientHello = h;
          c.session?.secretCheck.push(c);
        }
        break;
      case 'ServerHello':
        if (!h.helloRetryRequest) c.serverHello = h;
        break;
      case 'Certificate':
        c.certificates[m.from] ??= h.certificates.map((x) => x.der);
        break;
      case 'CertificateRequest':
        c.certificateRequest = true;
        break;
      case 'ServerKeyExchange':
        c.serverKx = { ...(h.group !== undefined ? { group: h.group } : {}), ...(h.signatureScheme !== undefined ? { signatureScheme: h.signatureScheme } : {}) };
        break;
      case 'CertificateVerify':
        c.signatures[m.from] = h.signatureScheme;
        break;
      case 'Finished':
        c.finished.add(m.from);
        break;
      default:
        break;
    }
  };

  const sideOf = (c: ConnState, dir: Dir): 'client' | 'server' => (dir === c.clientDir ? 'client' : 'server');

  /** Applies one stream event to a classified connection. */
  const apply = (c: ConnState, q: Queued) => {
    const s = c.session!;
    s.lastUs = Math.max(s.lastUs, q.us);
    const t = tOf(s, q.us);
    const side = sideOf(c, q.dir);
    switch (q.type) {
      case 'data':
        c.pipeline!.feed(side, q.bytes, t);
        return;
      case 'fin':
        c.firstClose ??= c.roles[side];
        c.fins.add(q.dir);
        s.stream.push({ kind: 'tcp', conn: c.conn, action: 'half-close', from: c.roles[side] }, t);
        if (c.fins.size === 2 && !c.closed) {
          c.closed = true;
          s.stream.push({ kind: 'tcp', conn: c.conn, action: 'close', from: null }, t);
        }
        return;
      case 'rst':
        c.firstClose ??= c.roles[side];
        s.stream.push({ kind: 'tcp', conn: c.conn, action: 'reset', from: c.roles[side] }, t);
        if (!c.closed) {
          c.closed = true;
          s.stream.push({ kind: 'tcp', conn: c.conn, action: 'close', from: null }, t);
        }
        return;
      case 'gap': {
        const who = c.roles[side];
        s.notices.push(notice('TCP_GAP', c.conn, { conn: c.conn, from: who.toUpperCase(), missing: q.missing }, `connection ${c.conn}: ${q.missing} byte(s) from the ${who.toUpperCase()} were never captured; the stream stops there`));
        return;
      }
    }
  };

  const classify = (c: ConnState, final: boolean) => {
    if (c.kind !== 'pending') return;
    const head = c.head;
    if (!final && head.length < CLASSIFY_BYTES) return;
    const tls = looksTls(head);
    const http = tls ? null : httpStart(head);
    if (!tls && !http) {
      c.kind = 'other';
      c.queue = [];
      otherStreams.push(`${c.tcp.a.ip}:${c.tcp.a.port} ↔ ${c.tcp.b.ip}:${c.tcp.b.port}`);
      return;
    }
    c.kind = tls ? 'tls' : 'http';
    const sender = c.headDir!;
    if (c.tcp.clientDir !== null) c.clientDir = c.tcp.clientDir;
    else if (tls && head.length >= 6 && head[0] === 22 && (head[5] === 1 || head[5] === 2)) c.clientDir = head[5] === 1 ? sender : sender === 0 ? 1 : 0;
    else if (http) c.clientDir = http === 'request' ? sender : sender === 0 ? 1 : 0;
    else c.clientDir = c.tcp.a.port > c.tcp.b.port ? 0 : 1;
    const client = c.clientDir === 0 ? c.tcp.a : c.tcp.b;
    const server = c.clientDir === 0 ? c.tcp.b : c.tcp.a;
    // A plain-HTTP GET from the TCP client is the ACS's Connection Request (TR-069 §3.2.2).
    const connectionRequest = !tls && http === 'request' && sender === c.clientDir && /^GET /.test(latin1.decode(head.subarray(0, 4)));
    c.roles = connectionRequest ? { client: 'acs', server: 'cpe' } : { client: 'cpe', server: 'acs' };
    const [cpe, acs] = connectionRequest ? [server, client] : [client, server];
    const s = sessionFor(c, cpe, acs);
    c.session = s;
    c.conn = s.conns.length;
    s.conns.push(c);
    const t = tOf(s, c.tcp.firstUs);
    s.stream.push({ kind: 'tcp', conn: c.conn, action: 'open', from: c.roles.client }, t);
    c.pipeline = connectionPipeline(c.conn, c.roles, tls, keys, s.stream, onMessage(c), crypto);
    const queued = c.queue;
    c.queue = [];
    for (const q of queued) apply(c, q);
  };

  const enqueue = (c: ConnState, q: Queued) => {
    if (c.kind === 'other') return;
    if (c.kind !== 'pending') return apply(c, q);
    c.queue.push(q);
    if (q.type === 'data') {
      if (c.headDir === null) c.headDir = q.dir;
      if (q.dir === c.headDir && c.head.length < CLASSIFY_BYTES) {
        const need = CLASSIFY_BYTES - c.head.length;
        const more = q.bytes.subarray(0, need);
        const h = new Uint8Array(c.head.length + more.length);
        h.set(c.head);
        h.set(more, c.head.length);
        c.head = h;
      }
      classify(c, false);
    } else if (c.headDir !== null && (q.type !== 'fin' || q.dir === c.headDir)) {
      classify(c, true); // the first sender stopped: decide with what it sent
    }
  };

  const reassembler = new TcpReassembler({
    open(tcp) {
      stats.connections++;
      states.set(tcp, {
        tcp,
        kind: 'pending',
        queue: [],
        head: new Uint8Array(0),
        headDir: null,
        clientDir: 0,
        roles: { client: 'cpe', server: 'acs' },
        conn: -1,
        fins: new Set(),
        closed: false,
        certificates: {},
        certificateRequest: false,
        signatures: {},
        finished: new Set(),
        appRecords: new Set(),
        decryptedAny: false,
        serverHandshakeDecrypted: false,
        undecrypted: 0,
        decryptErrors: 0,
        alerts: [],
        firstClose: null,
        secretsShown: new Set(),
      });
    },
    data(tcp, dir, b, us) {
      enqueue(states.get(tcp)!, { type: 'data', dir, bytes: b, us });
    },
    fin(tcp, dir, us) {
      enqueue(states.get(tcp)!, { type: 'fin', dir, us });
    },
    rst(tcp, dir, us) {
      enqueue(states.get(tcp)!, { type: 'rst', dir, us });
    },
    gap(tcp, dir, missing, us) {
      enqueue(states.get(tcp)!, { type: 'gap', dir, missing, us });
    },
  });

  let nextProgress = every;
  const format = readCaptureFile(bytes, {
    packet(p) {
      stats.packets++;
      nowUs = p.tsUs;
      const d = decodePacket(p.linktype, p.data);
      if (d.kind === 'skip') {
        stats.skipped[d.reason]++;
        if (d.reason === 'linktype') unsupportedLinktypes.add(p.linktype);
        return;
      }
      stats.tcpSegments++;
      if (d.seg.payload.length < d.seg.payloadLen) snapCut++;
      reassembler.push(d.seg, p.tsUs);
    },
    keylog(text) {
      addKeyLog(text, 'dsb');
      // Secrets that arrive mid-capture: show them for connections already past their ClientHello, then retry held records.
      for (const s of sessionList) for (const c of s.conns) publishSecrets(c, nowUs);
      for (const c of states.values()) c.pipeline?.analyzer?.secretsChanged();
    },
    otherSecrets(type) {
      globalNotices.push(notice('OTHER_SECRETS', null, { type: `0x${type.toString(16)}` }, `a Decryption Secrets Block of type 0x${type.toString(16)} (not a TLS key log) was ignored`));
    },
    progress(offset) {
      if (offset >= nextProgress || offset === bytes.length) {
        nextProgress = offset + every;
        options.onProgress?.({ bytes: offset, total: bytes.length, packets: stats.packets });
      }
    },
  });
  reassembler.finish();
  for (const c of states.values()) classify(c, true);
  stats.retransmissions = reassembler.stats.retransmissions;
  stats.outOfOrder = reassembler.stats.outOfOrder;

  if (stats.tcpSegments === 0) {
    if (unsupportedLinktypes.size) {
      const lt = [...unsupportedLinktypes][0]!;
      throw new CaptureError('ERR_UNSUPPORTED_LINKTYPE', `link type ${lt} (${linktypeName(lt)}) is not supported`, { linktype: lt, name: linktypeName(lt) });
    }
    throw new CaptureError('ERR_NO_TCP', `none of the ${stats.packets} packet(s) is a TCP segment over IPv4 or IPv6`, { packets: stats.packets });
  }
  if (sessionList.length === 0) {
    throw new CaptureError('ERR_NO_TLS', `${stats.connections} TCP connection(s), none carrying TLS or HTTP`, { connections: stats.connections });
  }

  // Capture-wide notices.
  if (unsupportedLinktypes.size) {
    const lt = [...unsupportedLinktypes][0]!;
    globalNotices.push(notice('UNSUPPORTED_LINKTYPE', null, { linktype: lt, name: linktypeName(lt), packets: stats.skipped.linktype }, `${stats.skipped.linktype} packet(s) of link type ${lt} (${linktypeName(lt)}) were not decoded`));
  }
  const skipped = stats.skipped.malformed + stats.skipped.fragment;
  if (skipped) {
    globalNotices.push(notice('SKIPPED_PACKETS', null, { malformed: stats.skipped.malformed, fragments: stats.skipped.fragment }, `${stats.skipped.malformed} malformed packet(s) and ${stats.skipped.fragment} IP fragment(s) were skipped`));
  }
  if (snapCut) globalNotices.push(notice('SNAPLEN', null, { packets: snapCut }, `${snapCut} packet(s) were cut short by the capture's snapshot length`));
  if (otherStreams.length) {
    globalNotices.push(notice('OTHER_STREAMS', null, { count: otherStreams.length, first: otherStreams[0]! }, `${otherStreams.length} TCP connection(s) carry neither TLS nor HTTP and were left out (first: ${otherStreams[0]})`));
  }

  const out = sessionList.map((s) => finishSession(s, name, globalNotices));
  return { format, sessions: out, notices: globalNotices, stats };
}

function placeholderConfig(): SessionConfig {
  return { tls: '1.2', kx: 'ecdhe', cipher: '', paper: false, deadlineMs: 1, faults: [], verifier: 'node', cwmp: false, rpcs: [], connectionRequest: 'off', serverAuthOnly: false };
}

function finishSession(s: SessionState, name: string, globalNotices: CaptureNotice[]): ImportedSession {
  const tEnd = Math.max(0, (s.lastUs - s.t0Us) / 1000);
  for (const c of s.conns) {
    c.pipeline!.finish(tEnd);
    if (c.kind !== 'tls') continue;
    const cr = c.clientHello ? toHex(c.clientHello.random) : null;
    if (!c.clientHello) {
      s.notices.push(notice('NO_CLIENT_HELLO', c.conn, { conn: c.conn }, `connection ${c.conn}: the capture starts after the ClientHello, so its records cannot be decrypted`));
    } else if (c.unsupported) {
      s.notices.push(notice('UNSUPPORTED_CIPHER', c.conn, { conn: c.conn, cipher: c.serverHello ? enumName(CIPHER_SUITE, c.serverHello.cipherSuite) : '?' }, `connection ${c.conn}: ${c.unsupported}`));
    } else if (c.decryptErrors) {
      s.notices.push(notice('DECRYPT_FAILED', c.conn, { conn: c.conn, clientRandom: cr! }, `connection ${c.conn}: the logged secret for client random ${cr!.slice(0, 16)}… does not decrypt its records`));
    } else if (c.undecrypted) {
      s.notices.push(notice('NO_KEYS', c.conn, { conn: c.conn, clientRandom: cr!, records: c.undecrypted }, `connection ${c.conn}: no key log secret for client random ${cr!.slice(0, 16)}…; the handshake is shown, its ${c.undecrypted} encrypted record(s) are not decrypted`));
    }
  }
  const tlsConns = s.conns.filter((c) => c.kind === 'tls');
  const main = tlsConns.find((c) => c.serverHello) ?? tlsConns[0] ?? s.conns[0]!;
  const unknown = [...ALWAYS_UNKNOWN];

  // Configuration, from what the handshake showed.
  const sh = main.serverHello;
  const ch = main.clientHello;
  let tls: SessionConfig['tls'] = '1.2';
  if (sh) tls = sh.selectedVersion === 0x0304 ? '1.3' : '1.2';
  else {
    if (ch?.supportedVersions?.includes(0x0304)) tls = '1.3';
    unknown.push('config.tls');
  }
  const suite = sh?.cipherSuite;
  const kxName = suite === undefined ? 'other' : cipherSuiteKeyExchange(suite);
  const kx: SessionConfig['kx'] = kxName === 'rsa' ? 'rsa' : 'ecdhe';
  if (suite === undefined || (kxName !== 'rsa' && kxName !== 'ecdhe' && kxName !== 'tls13')) unknown.push('config.kx');
  if (suite === undefined) unknown.push('config.cipher');
  const serverAuthOnlyKnown = tls === '1.2' ? !!sh : main.serverHandshakeDecrypted && main.finished.has('server');
  if (!serverAuthOnlyKnown && main.kind === 'tls') unknown.push('config.serverAuthOnly');
  const statuses = httpStatuses(s.events);
  const crConns = s.conns.filter((c) => c.kind === 'http' && c.roles.client === 'acs');
  const crStatuses = crConns.flatMap((c) => statuses.get(c.conn) ?? []);
  const config: SessionConfig = {
    tls,
    kx,
    cipher: suite === undefined ? '' : enumName(CIPHER_SUITE, suite),
    paper: tls === '1.2' && kx === 'rsa',
    deadlineMs: Math.max(1, Math.ceil(tEnd)),
    faults: [],
    verifier: 'node',
    cwmp: s.cwmp,
    rpcs: [],
    connectionRequest: crConns.length === 0 ? 'off' : crStatuses.some((x) => x >= 200 && x < 300) || crStatuses.length === 0 ? 'on' : 'bad-credentials',
    serverAuthOnly: main.kind === 'tls' && serverAuthOnlyKnown && !main.certificateRequest,
  };
  const clientEp = main.clientDir === 0 ? main.tcp.a : main.tcp.b;
  const serverEp = main.clientDir === 0 ? main.tcp.b : main.tcp.a;
  const [cpeEp, acsEp] = main.roles.client === 'cpe' ? [clientEp, serverEp] : [serverEp, clientEp];
  const withCerts = tlsConns.find((c) => c.certificates.server || c.certificates.client) ?? main;
  const chainOf = (p: 'client' | 'server') => (withCerts.certificates[p] ?? []).map(pem);
  if (!withCerts.certificates.client) unknown.push('certificates.cpe.chain');
  if (!withCerts.certificates.server) unknown.push('certificates.acs.chain');
  if (!ch?.serverName) unknown.push('certificates.cpe.expectsPeerName');
  const id = `${name}#${s.index + 1}`;
  const first = s.events[0]!;
  s.events[0] = {
    ...first,
    kind: 'session',
    id,
    startedAt: isoOf(s.t0Us),
    config,
    endpoints: { cpe: { ...cpeEp }, relay: { ...acsEp }, acs: { ...acsEp } },
    certificates: {
      cpe: { chain: chainOf('client'), trust: [], expectsPeerName: ch?.serverName ?? null },
      acs: { chain: chainOf('server'), trust: [], expectsPeerName: null },
    },
  } as LabEvent;

  // Outcome, from the wire only.
  const alerts = s.conns.flatMap((c) => c.alerts);
  const bad = alerts.find((a) => a.alert.level === 2 || !BENIGN_ALERTS.has(a.alert.code));
  const completedConn = (c: ConnState) => (c.finished.has('client') && c.finished.has('server')) || (tls === '1.2' && c.appRecords.has('client') && c.appRecords.has('server'));
  const completed = main.kind === 'tls' && completedConn(main);
  const tlsStatuses = tlsConns.flatMap((c) => statuses.get(c.conn) ?? []);
  const applicationData = tlsStatuses.some((x) => x >= 200 && x < 300);
  // Application data we decrypted that is not HTTP at all (a capture of another protocol over TLS):
  // the TLS session is the whole story, and it succeeded if the handshake completed without a bad alert.
  // Only when every TLS connection that carried decrypted data spoke something else entirely (no HTTP message at all).
  const notHttp = tlsStatuses.length === 0 && tlsConns.some((c) => c.pipeline?.app.notHttp) && tlsConns.every((c) => !c.decryptedAny || c.pipeline?.app.notHttp);
  const decryptedApp = tlsConns.some((c) => c.decryptedAny);
  const ok = completed && !bad && (applicationData || (notHttp && decryptedApp));
  let abort: { kind: "alert"; from: Party; alert: OutcomeEvent["alerts"][number]["alert"] } | { kind: "close"; from: Party } | null = null;
  if (bad) abort = { kind: 'alert', from: bad.from, alert: bad.alert };
  else if (!completed && main.firstClose) abort = { kind: 'close', from: main.firstClose };
  const negotiated = negotiatedOf(main, tls);
  const side = (secure: boolean): OutcomeEvent['cpe'] => ({ error: null, authorizationError: null, verifiedPeer: null, secure, verifyError: null });
  const secure = completed;
  let summary: string;
  let captureVerdict: CaptureVerdict;
  if (main.kind !== 'tls') {
    captureVerdict = 'plain-http';
    summary = `Plain HTTP only (${s.conns.length} connection(s)); no TLS between these hosts in the capture.`;
  } else if (bad) {
    captureVerdict = 'alert';
    summary = `From the capture: the ${bad.from.toUpperCase()} sent a ${bad.alert.levelName} ${bad.alert.description} (${bad.alert.code}) alert${completed ? ' after the handshake' : ' during the handshake'}.`;
  } else if (ok && !applicationData) {
    captureVerdict = 'ok-not-http';
    summary = `From the capture: ${negotiated.version ?? 'TLS'} with ${negotiated.cipherSuite ?? '?'} completed and application data went through decrypted; it is not HTTP, so there is no CWMP here. Whether each side verified the other's certificate is not on the wire.`;
  } else if (ok) {
    captureVerdict = 'ok-http';
    summary = `From the capture: ${negotiated.version ?? 'TLS'} with ${negotiated.cipherSuite ?? '?'} completed and the HTTP exchange was answered (${tlsStatuses.join(', ')}). Whether each side verified the other's certificate is not on the wire.`;
  } else if (completed && !decryptedApp) {
    captureVerdict = 'no-keys';
    summary = `From the capture: the ${negotiated.version ?? 'TLS'} handshake completed; the application data could not be read (no keys).`;
  } else if (completed) {
    captureVerdict = 'no-http-response';
    summary = `From the capture: the ${negotiated.version ?? 'TLS'} handshake completed, but no successful HTTP response was seen.`;
  } else if (abort) {
    captureVerdict = 'closed-early';
    summary = `From the capture: the ${abort.from.toUpperCase()} closed the connection before the handshake completed, without a TLS alert.`;
  } else if (main.undecrypted && tls === '1.3') {
    captureVerdict = 'tls13-no-keys';
    summary = 'From the capture: whether the TLS 1.3 handshake completed cannot be seen without keys.';
  } else {
    captureVerdict = 'incomplete';
    summary = 'From the capture: the capture ends before the handshake completed.';
  }
  if (tls === '1.3' && !main.finished.size) unknown.push('outcome.cpe.secure', 'outcome.acs.secure');
  s.stream.push(
    {
      kind: 'outcome',
      ok,
      summary,
      compromised: false,
      abortedBy: abort ? abort.from : null,
      abort,
      alerts,
      firstClose: main.firstClose,
      cpe: side(secure),
      acs: side(secure),
      attacker: null,
      negotiated,
      applicationData,
      durationMs: Math.round(tEnd * 1000) / 1000,
      captureVerdict,
    },
    tEnd,
  );
  s.stream.close();
  const cpeIp = cpeEp.ip;
  const acsIp = acsEp.ip;
  return {
    id,
    index: s.index,
    hosts: { cpe: cpeIp, acs: acsIp },
    events: s.events,
    keyLog: s.keyLines.length ? s.keyLines.join('\n') + '\n' : '',
    notices: [...globalNotices, ...s.notices],
    unknown,
    stats: { connections: s.conns.length, tlsConnections: tlsConns.length, httpConnections: s.conns.length - tlsConns.length },
  };
}

/** HTTP response statuses per connection, in order. */
function httpStatuses(events: LabEvent[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const e of events) {
    if (e.kind !== 'http' || !e.response) continue;
    const list = out.get(e.conn);
    if (list) list.push(e.response.status);
    else out.set(e.conn, [e.response.status]);
  }
  return out;
}

function negotiatedOf(c: ConnState, tls: SessionConfig['tls']): OutcomeEvent['negotiated'] {
  const n: OutcomeEvent['negotiated'] = { version: null, cipherSuite: null, group: null, serverSignature: null, clientSignature: null };
  const sh = c.serverHello;
  if (sh) {
    n.version = tls === '1.3' ? 'TLS 1.3' : sh.legacyVersion === 0x0303 ? 'TLS 1.2' : enumName({}, sh.legacyVersion);
    n.cipherSuite = enumName(CIPHER_SUITE, sh.cipherSuite);
    if (sh.keyShareGroup !== undefined) n.group = enumName(NAMED_GROUP, sh.keyShareGroup);
  }
  if (c.serverKx?.group !== undefined) n.group = enumName(NAMED_GROUP, c.serverKx.group);
  if (c.serverKx?.signatureScheme !== undefined) n.serverSignature = enumName(SIGNATURE_SCHEME, c.serverKx.signatureScheme);
  if (c.signatures.server !== undefined) n.serverSignature = enumName(SIGNATURE_SCHEME, c.signatures.server);
  if (c.signatures.client !== undefined) n.clientSignature = enumName(SIGNATURE_SCHEME, c.signatures.client);
  return n;
}
