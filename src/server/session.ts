import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { LabEvent, OutcomeEvent, SessionConfig, Side } from '../protocol/events.ts';
import { EventStream, FlightCounter, messageEventBody, OTHER, ROLE } from '../protocol/session-events.ts';
import { TlsConnectionAnalyzer, type AnalyzedMessage } from '../protocol/tls/connection.ts';
import { enumName } from '../protocol/tls/enums.ts';
import { KeyLogStore, parseKeyLogLine } from '../protocol/tls/keylog.ts';
import { CIPHER_SUITE, NAMED_GROUP, SIGNATURE_SCHEME } from '../protocol/tls/registry.ts';
import { nodeCrypto } from './crypto-node.ts';
import { tlsSettings } from './modes.ts';
import { WiretapRelay, type Direction } from './relay.ts';

/** One side's certificate material, PEM. */
export interface SideMaterial {
  /** Leaf first; what this side sends in its Certificate message. */
  chain: string[];
  key: string;
  /** Trust anchors this side verifies its peer against. */
  trust: string[];
}

export interface SessionMaterial {
  acs: SideMaterial;
  cpe: SideMaterial;
  /** The name the CPE expects in the ACS certificate (SNI and hostname check). */
  acsHostname: string;
}

/** A TCP-level record of the session for the pcapng writer: what crossed the relay, with wall-clock µs. */
export interface WireLog {
  startEpochUs: number;
  endpoints?: { client: net.AddressInfo; server: net.AddressInfo };
  events: ({ kind: 'open'; tUs: number } | { kind: 'data'; tUs: number; from: Direction; bytes: Uint8Array } | { kind: 'fin' | 'rst'; tUs: number; from: Direction })[];
}

export interface SessionResult {
  outcome: OutcomeEvent;
  events: LabEvent[];
  keyLog: string;
  wire: WireLog;
}

const HTTP_PLACEHOLDER_BODY = 'Handshake Lab: placeholder request (CWMP comes later)\n';

/**
 * Runs one real mutual-TLS session: ACS (Node tls server) ← relay (wiretap) ← CPE (Node tls client),
 * then one HTTP/1.1 POST and its answer, then close_notify both ways. Resolves with the outcome;
 * never hangs: the deadline ends the session.
 */
export interface RunOptions {
  /** Benchmark baseline only: the CPE connects straight to the ACS, with no relay and no analysis. */
  direct?: boolean;
}

export async function runSession(
  config: SessionConfig,
  material: SessionMaterial,
  onEvent: (e: LabEvent) => void = () => {},
  options: RunOptions = {},
): Promise<SessionResult> {
  const t0 = performance.now();
  const startEpochUs = Math.round((performance.timeOrigin + t0) * 1000);
  const clock = () => performance.now() - t0;
  const events: LabEvent[] = [];
  const stream = new EventStream((e) => {
    events.push(e);
    onEvent(e);
  });
  const keys = new KeyLogStore();
  const wire: WireLog = { startEpochUs, events: [] };
  const us = (t: number) => startEpochUs + Math.round(t * 1000);
  const settings = tlsSettings(config);

  // What the wire showed, for the outcome.
  const alerts: OutcomeEvent['alerts'] = [];
  const messages: AnalyzedMessage[] = [];
  let firstClose: Side | null = null;
  const flights = new FlightCounter();

  const analyzer = new TlsConnectionAnalyzer(nodeCrypto, keys, {
    message(m) {
      messages.push(m);
      const flight = flights.next(ROLE[m.from]);
      if (m.alert) alerts.push({ from: ROLE[m.from], alert: m.alert, encrypted: m.encrypted });
      stream.push(messageEventBody(m, 0, flight), m.t);
    },
    error(e) {
      stream.push({ kind: 'error', from: ROLE[e.from], code: e.code, message: e.message }, e.t);
    },
  });

  const learnKeyLine = (side: Side) => (line: Buffer) => {
    let entry;
    try {
      entry = parseKeyLogLine(line.toString('latin1'));
    } catch (e) {
      stream.push({ kind: 'error', from: side, code: 'ERR_BAD_KEYLOG', message: (e as Error).message }, clock());
      return;
    }
    if (entry && keys.add(entry)) {
      stream.push({ kind: 'secret', label: entry.label, clientRandom: entry.clientRandom, from: side, line: entry.line }, clock());
      analyzer.secretsChanged();
    }
  };

  // Endpoint state, as each side's Node sees it.
  type SideState = { error: { code: string | null; message: string } | null; authorizationError: string | null; verifiedPeer: boolean | null; secure: boolean; closed: boolean };
  const sides: Record<Side, SideState> = {
    cpe: { error: null, authorizationError: null, verifiedPeer: null, secure: false, closed: false },
    acs: { error: null, authorizationError: null, verifiedPeer: null, secure: false, closed: false },
  };
  const endpointError = (side: Side, err: NodeJS.ErrnoException) => {
    if (sides[side].error) return;
    sides[side].error = { code: err.code ?? null, message: err.message };
    stream.push({ kind: 'endpoint', side, what: 'error', code: err.code ?? null, message: err.message }, clock());
  };
  const secured = (side: Side, s: tls.TLSSocket) => {
    const authErr = s.authorizationError ? String((s.authorizationError as unknown as { code?: string }).code ?? s.authorizationError) : null;
    sides[side].secure = true;
    sides[side].verifiedPeer = s.authorized;
    sides[side].authorizationError = authErr;
    stream.push(
      { kind: 'endpoint', side, what: 'secure', authorized: s.authorized, authorizationError: authErr, protocol: s.getProtocol(), cipher: s.getCipher()?.standardName ?? null },
      clock(),
    );
  };

  let applicationData = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let relayClosed = false;
  const maybeDone = () => {
    if (relayClosed && sides.cpe.closed && sides.acs.closed) resolveDone();
  };
  const sideClosed = (side: Side) => () => {
    if (sides[side].closed) return;
    sides[side].closed = true;
    stream.push({ kind: 'endpoint', side, what: 'closed' }, clock());
    maybeDone();
  };

  // ACS: Node tls server, requires and verifies a client certificate against the lab trust store only.
  const acsHttp = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = `Handshake Lab ACS: received ${Buffer.concat(chunks).length} bytes over mutual TLS\n`;
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
      res.end(body);
    });
  });
  const acs = tls.createServer({
    ...settings.server,
    key: material.acs.key,
    cert: material.acs.chain.join('\n'),
    ca: material.acs.trust,
    requestCert: true,
    rejectUnauthorized: true,
  });
  acs.on('keylog', learnKeyLine('acs'));
  const acsSockets = new Set<net.Socket>();
  acs.on('connection', (raw: net.Socket) => {
    acsSockets.add(raw);
    raw.once('close', () => {
      acsSockets.delete(raw);
      sideClosed('acs')();
    });
  });
  acs.on('tlsClientError', (err: NodeJS.ErrnoException, s: tls.TLSSocket) => {
    endpointError('acs', err);
    s.destroy();
  });
  acs.on('secureConnection', (s: tls.TLSSocket) => {
    secured('acs', s);
    s.on('error', (e) => endpointError('acs', e));
    acsHttp.emit('connection', s);
  });
  await new Promise<void>((r) => acs.listen(0, '127.0.0.1', () => r()));
  const acsAddr = acs.address() as net.AddressInfo;

  const relay = new WiretapRelay(
    { host: '127.0.0.1', port: acsAddr.port },
    {
      open(conn, t, ep) {
        wire.endpoints = ep;
        wire.events.push({ kind: 'open', tUs: us(t) });
        stream.push({ kind: 'tcp', conn, action: 'open', from: 'cpe' }, t);
      },
      data(_conn, from, bytes, t) {
        wire.events.push({ kind: 'data', tUs: us(t), from, bytes: bytes.slice() });
        analyzer.feed(from, bytes, t);
      },
      end(conn, from, t) {
        wire.events.push({ kind: 'fin', tUs: us(t), from });
        firstClose ??= ROLE[from];
        stream.push({ kind: 'tcp', conn, action: 'half-close', from: ROLE[from] }, t);
      },
      reset(conn, from, t) {
        wire.events.push({ kind: 'rst', tUs: us(t), from });
        firstClose ??= ROLE[from];
        stream.push({ kind: 'tcp', conn, action: 'reset', from: ROLE[from] }, t);
      },
      close(conn, t) {
        stream.push({ kind: 'tcp', conn, action: 'close', from: null }, t);
        relayClosed = true;
        maybeDone();
      },
    },
    clock,
  );
  const relayAddr = options.direct ? acsAddr : await relay.listen();
  if (options.direct) relayClosed = true;

  stream.push(
    {
      kind: 'session',
      id: randomUUID(),
      startedAt: new Date(startEpochUs / 1000).toISOString(),
      config,
      endpoints: {
        cpe: { ip: '127.0.0.1', port: 0 },
        relay: { ip: relayAddr.address, port: relayAddr.port },
        acs: { ip: acsAddr.address, port: acsAddr.port },
      },
      certificates: {
        cpe: { chain: material.cpe.chain, trust: material.cpe.trust, expectsPeerName: material.acsHostname },
        acs: { chain: material.acs.chain, trust: material.acs.trust, expectsPeerName: null },
      },
    },
    0,
  );

  // CPE: Node tls client through the relay, SNI and hostname check on the ACS name.
  const cpe = tls.connect({
    ...settings.client,
    host: '127.0.0.1',
    port: relayAddr.port,
    servername: material.acsHostname,
    ca: material.cpe.trust,
    cert: material.cpe.chain.join('\n'),
    key: material.cpe.key,
    rejectUnauthorized: true,
  });
  cpe.on('keylog', learnKeyLine('cpe')); // attached before any byte is sent
  cpe.on('error', (e) => endpointError('cpe', e));
  cpe.once('close', sideClosed('cpe'));
  cpe.once('secureConnect', () => {
    secured('cpe', cpe);
    const req = http.request(
      {
        createConnection: () => cpe,
        method: 'POST',
        path: '/acs',
        headers: { Host: material.acsHostname, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(HTTP_PLACEHOLDER_BODY) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          applicationData = res.statusCode === 200;
          cpe.end(); // close_notify, then FIN
        });
      },
    );
    req.on('error', (e) => endpointError('cpe', e));
    req.end(HTTP_PLACEHOLDER_BODY);
  });

  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    resolveDone();
  }, config.deadlineMs);
  await done;
  clearTimeout(deadline);
  // A timed-out session may have sockets left: destroy everything, however the session ended.
  cpe.destroy();
  for (const raw of acsSockets) raw.destroy();
  await relay.close();
  acsHttp.close();
  await new Promise<void>((r) => acs.close(() => r()));
  const tEnd = clock();
  analyzer.finish(tEnd);

  const outcome = decideOutcome({ config, sides, alerts, messages, firstClose, applicationData, timedOut, durationMs: tEnd });
  const ev = stream.push(outcome, tEnd) as OutcomeEvent;
  stream.close(); // the outcome is the last event
  return { outcome: ev, events, keyLog: keys.toText(), wire };
}

interface OutcomeInput {
  config: SessionConfig;
  sides: Record<Side, { error: { code: string | null; message: string } | null; authorizationError: string | null; verifiedPeer: boolean | null; secure: boolean }>;
  alerts: OutcomeEvent['alerts'];
  messages: AnalyzedMessage[];
  firstClose: Side | null;
  applicationData: boolean;
  timedOut: boolean;
  durationMs: number;
}

const BENIGN_ALERTS = new Set([0 /* close_notify */, 90 /* user_canceled */]);

function decideOutcome(o: OutcomeInput): Omit<OutcomeEvent, 'v' | 'seq' | 't'> {
  const negotiated = negotiatedFromWire(o.messages);
  const bad = o.alerts.find((a) => a.alert.level === 2 || !BENIGN_ALERTS.has(a.alert.code));
  const ok = !o.timedOut && !bad && o.applicationData && o.sides.cpe.verifiedPeer === true && o.sides.acs.verifiedPeer === true;
  let abort: OutcomeEvent['abort'] = null;
  if (o.timedOut) abort = { kind: 'timeout', afterMs: o.config.deadlineMs };
  else if (bad) abort = { kind: 'alert', from: bad.from, alert: bad.alert };
  else if (!ok) abort = { kind: 'close', from: o.firstClose ?? (o.sides.cpe.error ? 'cpe' : 'acs') };
  const abortedBy: Side | null = abort && abort.kind !== 'timeout' ? abort.from : null;
  return {
    kind: 'outcome',
    ok,
    summary: describe(ok, abort, o, negotiated),
    abortedBy,
    abort,
    alerts: o.alerts,
    firstClose: o.firstClose,
    cpe: { ...o.sides.cpe },
    acs: { ...o.sides.acs },
    negotiated,
    applicationData: o.applicationData,
    durationMs: Math.round(o.durationMs * 1000) / 1000,
  };
}

function describe(ok: boolean, abort: OutcomeEvent['abort'], o: OutcomeInput, n: OutcomeEvent['negotiated']): string {
  if (ok) {
    return `Mutual TLS succeeded: ${n.version ?? '?'} with ${n.cipherSuite ?? '?'}; each side verified the other's certificate, the HTTP request was answered, both closed with close_notify.`;
  }
  if (!abort) return 'The session did not complete.';
  if (abort.kind === 'timeout') return `No result within the ${abort.afterMs} ms deadline; the session was ended.`;
  const why = (s: Side) => {
    const st = o.sides[s];
    return st.authorizationError ?? st.error?.code ?? st.error?.message ?? null;
  };
  if (abort.kind === 'alert') {
    const w = why(abort.from);
    return `The ${abort.from.toUpperCase()} aborted with a ${abort.alert.levelName} ${abort.alert.description} (${abort.alert.code}) alert${w ? ` (${w})` : ''}.`;
  }
  const w = why(abort.from) ?? why(OTHER[abort.from]);
  return `The ${abort.from.toUpperCase()} closed the connection without a TLS alert${w ? ` (${w})` : ''}.`;
}

function negotiatedFromWire(messages: AnalyzedMessage[]): OutcomeEvent['negotiated'] {
  const n: OutcomeEvent['negotiated'] = { version: null, cipherSuite: null, group: null, serverSignature: null, clientSignature: null };
  for (const m of messages) {
    const h = m.handshake;
    if (!h) continue;
    if (h.kind === 'ServerHello' && !h.helloRetryRequest) {
      n.version = h.selectedVersion === 0x0304 ? 'TLS 1.3' : h.legacyVersion === 0x0303 ? 'TLS 1.2' : enumName({}, h.legacyVersion);
      n.cipherSuite = enumName(CIPHER_SUITE, h.cipherSuite);
      if (h.keyShareGroup !== undefined) n.group = enumName(NAMED_GROUP, h.keyShareGroup);
    } else if (h.kind === 'ServerKeyExchange') {
      if (h.group !== undefined) n.group = enumName(NAMED_GROUP, h.group);
      if (h.signatureScheme !== undefined) n.serverSignature = enumName(SIGNATURE_SCHEME, h.signatureScheme);
    } else if (h.kind === 'CertificateVerify') {
      if (m.from === 'server') n.serverSignature = enumName(SIGNATURE_SCHEME, h.signatureScheme);
      else n.clientSignature = enumName(SIGNATURE_SCHEME, h.signatureScheme);
    }
  }
  return n;
}
