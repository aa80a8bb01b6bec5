import { randomUUID } from 'node:crypto';
import type net from 'node:net';
import type { LabEvent, OutcomeEvent, Party, SessionConfig, StopReason, VerifyError } from '../protocol/events.ts';
import { EventStream, ROLE, type Roles } from '../protocol/session-events.ts';
import type { AnalyzedMessage } from '../protocol/tls/connection.ts';
import { enumName } from '../protocol/tls/enums.ts';
import { KeyLogStore } from '../protocol/tls/keylog.ts';
import { CIPHER_SUITE, NAMED_GROUP, SIGNATURE_SCHEME } from '../protocol/tls/registry.ts';
import { writePcapng } from '../protocol/pcapng.ts';
import type { SessionControl } from './control.ts';
import { connectionPipeline, endpointEvent, type ConnectionPipeline } from './pipeline.ts';
import type { Direction } from './relay.ts';
import { sharedWireHost } from './wire/host.ts';
import { nowUs, type SessionMaterial, type WireHost, type WireReport, type WireScenario } from './wire/protocol.ts';

export type { SessionMaterial, SideMaterial } from './wire/protocol.ts';

/** The lab CPE's identity (TR-069 Amd 6 §3.4.4 OUI-SerialNumber), as its certificate says. */
const DEFAULT_CPE_ID = '00D09E-HL0001';

/** A TCP-level record of every connection the relay forwarded, for the pcapng writer (wall-clock µs). */
export interface WireLog {
  startEpochUs: number;
  connections: {
    conn: number;
    client: net.AddressInfo;
    server: net.AddressInfo;
    events: ({ kind: 'open'; tUs: number } | { kind: 'data'; tUs: number; from: Direction; bytes: Uint8Array } | { kind: 'fin' | 'rst'; tUs: number; from: Direction })[];
  }[];
}

export interface SessionResult {
  outcome: OutcomeEvent;
  events: LabEvent[];
  keyLog: string;
  wire: WireLog;
}

export interface RunOptions {
  /** Where the endpoints and the relay run (default: the shared worker thread). */
  host?: WireHost;
  /** Benchmark baseline only: the CPE connects straight to the ACS, with no relay and no analysis. */
  direct?: boolean;
  /**
   * Steering (src/server/control.ts). With `control.mode === 'step'` the relays hold every record
   * until `control.step` releases it; then `config.deadlineMs` does not apply (a pause may last
   * minutes) and the session ends after `idleMs` without a step or play instead; after `play` the
   * session has `config.deadlineMs` to finish. `control.abort` ends the session at once, in any mode.
   */
  control?: SessionControl;
  /** Step mode: how long the session waits for the next step or play (default 15 minutes). */
  idleMs?: number;
}

/** Step mode: a session nobody stepped for this long ends (outcome: stopped, idle). */
export const DEFAULT_IDLE_MS = 15 * 60_000;

type SideState = {
  error: { code: string | null; message: string } | null;
  verifyError: VerifyError | null;
  authorizationError: string | null;
  verifiedPeer: boolean | null;
  secure: boolean;
  closed: boolean;
};

/**
 * Runs one real mutual-TLS session: CPE (Node tls client) → wiretap relay → ACS (Node tls server,
 * requestCert), then one HTTP/1.1 POST and its answer, then close_notify both ways.
 * The wire side runs in a worker thread (see wire/host.ts); every byte the relay forwards comes
 * here, where it is deframed, decrypted and decoded into events. Resolves with the outcome; never
 * hangs: the deadline (step mode: the idle limit) ends the session whatever state it is in, and so
 * does `options.control.abort`. However it ends, every socket, port, process and timer it opened is
 * released (`host.finish`).
 */
export async function runSession(
  config: SessionConfig,
  input: SessionMaterial | WireScenario,
  onEvent: (e: LabEvent) => void = () => {},
  options: RunOptions = {},
): Promise<SessionResult> {
  const host = options.host ?? sharedWireHost();
  const control = options.control;
  const stepping = control?.mode === 'step';
  if (stepping && options.direct) throw new TypeError('step mode holds records in the relay: it cannot run direct (without the relay)');
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const given: WireScenario = 'tls' in input ? input : { ...input, tls: { acs: {}, cpe: {} }, attacker: null, cpeId: DEFAULT_CPE_ID };
  // Server-auth-only (TR-069 Amd 6 §3.4.4): no client certificate; the CPE proves itself with HTTP Basic instead.
  const scenario: WireScenario = config.serverAuthOnly
    ? { ...given, tls: { acs: { ...given.tls.acs, requestCertificate: false }, cpe: { ...given.tls.cpe, sendCertificate: false } } }
    : given;
  const id = randomUUID();
  const startEpochUs = nowUs();
  const tOf = (tUs: number) => Math.max(0, (tUs - startEpochUs) / 1000);
  const events: LabEvent[] = [];
  const stream = new EventStream((e) => {
    events.push(e);
    onEvent(e);
  });
  const keys = new KeyLogStore();
  const wire: WireLog = { startEpochUs, connections: [] };
  const logOf = (conn: number) => wire.connections.find((c) => c.conn === conn);

  // What the wire showed, for the outcome.
  const alerts: OutcomeEvent['alerts'] = [];
  const messages: AnalyzedMessage[] = [];
  let firstClose: Party | null = null;

  // One analyzer per TCP connection the relay forwards, with the roles the wire side announced: with an
  // on-path attacker conn 0 is CPE ⇄ attacker and conn 1 attacker ⇄ ACS; a Connection Request is a
  // plain-HTTP connection ACS → CPE.
  const roleOf = new Map<number, Roles>();
  const rolesOf = (conn: number): Roles => roleOf.get(conn) ?? ROLE;
  const conns = new Map<number, ConnectionPipeline & { open: boolean }>();
  const connection = (conn: number, tls = true) => {
    let c = conns.get(conn);
    if (c) return c;
    const roles = rolesOf(conn);
    const pipeline = connectionPipeline(conn, roles, tls, keys, stream, (m) => {
      if (conn === 0) messages.push(m);
      if (m.alert) alerts.push({ from: roles[m.from], alert: m.alert, encrypted: m.encrypted, conn });
    });
    conns.set(conn, (c = Object.assign(pipeline, { open: true })));
    return c;
  };

  // Endpoint state, as each party's own TLS stack reports it.
  const fresh = (): SideState => ({ error: null, verifyError: null, authorizationError: null, verifiedPeer: null, secure: false, closed: false });
  const sides: Record<Party, SideState> = { cpe: fresh(), acs: fresh(), attacker: fresh() };
  let acsConnected = false;
  let httpStatus: number | null = null;
  let failure: string | undefined;
  let timedOut = false;
  let stopped: StopReason | null = null;
  let over = false;
  let resolveDone!: () => void;
  const done = new Promise<void>(
    (r) =>
      (resolveDone = () => {
        over = true;
        r();
      }),
  );
  // Done when every forwarded connection has closed and every party that took part has closed.
  const maybeDone = () => {
    const relaysClosed = [...conns.values()].every((c) => !c.open);
    const acsDone = sides.acs.closed || !acsConnected;
    const attackerDone = !scenario.attacker || sides.attacker.closed || conns.size === 0;
    if (relaysClosed && sides.cpe.closed && acsDone && attackerDone) resolveDone();
  };

  let announced = false;
  const announce = (acsPort: number, relayPort: number) => {
    if (announced) return;
    announced = true;
    stream.push(
      {
        kind: 'session',
        id,
        startedAt: new Date(startEpochUs / 1000).toISOString(),
        config,
        endpoints: {
          cpe: { ip: '127.0.0.1', port: 0 },
          relay: { ip: '127.0.0.1', port: relayPort },
          acs: { ip: '127.0.0.1', port: acsPort },
        },
        certificates: {
          cpe: { chain: scenario.cpe.chain, trust: scenario.cpe.trust, expectsPeerName: scenario.acsHostname },
          acs: { chain: scenario.acs.chain, trust: scenario.acs.trust, expectsPeerName: null },
          ...(scenario.attacker ? { attacker: { chain: scenario.attacker.chain, trust: [], expectsPeerName: null } } : {}),
        },
      },
      0,
    );
  };

  const onReport = (r: WireReport) => {
    switch (r.type) {
      case 'listening':
        announce(r.acsPort, r.relayPort ?? r.acsPort);
        return;
      case 'failed':
        failure = r.message;
        resolveDone();
        return;
      case 'held':
        if (!over) control?.setHeld(r.pending);
        return;
      case 'keylog':
      case 'secure':
      case 'verify':
      case 'error':
      case 'closed': {
        // This side's state, for the outcome; then the event.
        if (r.type === 'closed') {
          if (sides[r.side].closed) return;
          sides[r.side].closed = true;
        } else if (r.type === 'secure') {
          Object.assign(sides[r.side], { secure: true, verifiedPeer: r.authorized && sides[r.side].verifyError === null, authorizationError: r.authorizationError });
        } else if (r.type === 'verify') {
          sides[r.side].verifyError ??= { name: r.name, code: r.code, depth: r.depth, text: r.text };
          sides[r.side].verifiedPeer = false;
        } else if (r.type === 'error') {
          sides[r.side].error ??= { code: r.code, message: r.message };
        }
        const { body, newSecret } = endpointEvent(r, keys);
        if (body) stream.push(body, tOf(r.tUs));
        if (newSecret) for (const c of conns.values()) c.analyzer?.secretsChanged();
        if (r.type === 'closed') maybeDone();
        return;
      }
      case 'http':
        httpStatus = r.status;
        return;
      case 'open':
        wire.connections.push({ conn: r.conn, client: r.client, server: r.server, events: [{ kind: 'open', tUs: r.tUs }] });
        roleOf.set(r.conn, r.roles);
        connection(r.conn, r.tls);
        if (r.roles.server === 'acs') acsConnected = true;
        stream.push({ kind: 'tcp', conn: r.conn, action: 'open', from: rolesOf(r.conn).client }, tOf(r.tUs));
        return;
      case 'data':
        logOf(r.conn)?.events.push({ kind: 'data', tUs: r.tUs, from: r.from, bytes: r.bytes });
        connection(r.conn).feed(r.from, r.bytes, tOf(r.tUs));
        return;
      case 'fin':
        logOf(r.conn)?.events.push({ kind: 'fin', tUs: r.tUs, from: r.from });
        if (r.conn === 0) firstClose ??= rolesOf(0)[r.from];
        stream.push({ kind: 'tcp', conn: r.conn, action: 'half-close', from: rolesOf(r.conn)[r.from] }, tOf(r.tUs));
        return;
      case 'rst':
        logOf(r.conn)?.events.push({ kind: 'rst', tUs: r.tUs, from: r.from });
        if (r.conn === 0) firstClose ??= rolesOf(0)[r.from];
        stream.push({ kind: 'tcp', conn: r.conn, action: 'reset', from: rolesOf(r.conn)[r.from] }, tOf(r.tUs));
        return;
      case 'relay-closed':
        stream.push({ kind: 'tcp', conn: r.conn, action: 'close', from: null }, tOf(r.tUs));
        connection(r.conn).open = false;
        maybeDone();
        return;
    }
  };

  // One timer: the deadline (run mode, and step mode after play) or the idle limit (step mode).
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number, fire: () => void) => {
    clearTimeout(timer);
    timer = setTimeout(fire, ms);
  };
  const deadline = () => {
    if (over) return;
    timedOut = true;
    resolveDone();
  };
  const stop = (reason: StopReason): boolean => {
    if (over) return false;
    stopped = reason;
    host.control(id, { type: 'abort' }); // sockets and processes go now; finish() below forgets the session
    resolveDone();
    return true;
  };
  let playing = false;
  host.start({ id, config, scenario, direct: options.direct === true, step: stepping }, onReport);
  // Armed once the wire side has the session: a host.start that throws leaves no timer behind.
  if (stepping) arm(idleMs, () => stop('idle'));
  else arm(config.deadlineMs, deadline);
  control?.attach({
    step: (unit) => {
      if (!stepping || playing || over) return false;
      arm(idleMs, () => stop('idle'));
      host.control(id, { type: 'release', unit });
      return true;
    },
    play: () => {
      if (!stepping || playing || over) return false;
      playing = true;
      arm(config.deadlineMs, deadline); // from here on the session runs free, as in run mode
      host.control(id, { type: 'play' });
      return true;
    },
    abort: stop,
  });
  await done;
  clearTimeout(timer);
  host.finish(id); // however the session ended, nothing it opened outlives it
  control?.detach(); // what was held is dropped with the session
  if (failure !== undefined) throw new SessionStartError(`the endpoints could not start: ${failure}`);

  const tEnd = tOf(nowUs());
  announce(0, 0); // a session that timed out before its endpoints listened still opens with its configuration
  for (const c of conns.values()) c.finish(tEnd);
  const outcome = decideOutcome({ config, sides, alerts, messages, firstClose, applicationData: httpStatus !== null && httpStatus >= 200 && httpStatus < 300, timedOut, stopped, idleMs, durationMs: tEnd, attacker: scenario.attacker !== null, connected: conns.size > 0, httpStatus });
  const ev = stream.push(outcome, tEnd) as OutcomeEvent;
  stream.close(); // the outcome is the last event
  return { outcome: ev, events, keyLog: keys.toText(), wire };
}

/** The session as a pcapng file: every connection (TLS and the plain Connection Request), the key log in a Decryption Secrets Block. */
export function sessionPcapng(r: SessionResult, comment = 'Handshake Lab session: frames synthesized from the byte streams the relay forwarded'): Uint8Array {
  return writePcapng({
    connections: r.wire.connections.map((c) => ({ client: { ip: c.client.address, port: c.client.port }, server: { ip: c.server.address, port: c.server.port }, events: c.events })),
    keyLog: r.keyLog,
    comment,
  });
}

/** The endpoints could not be set up (e.g. a private key that does not match its certificate). */
export class SessionStartError extends Error {
  override readonly name = 'SessionStartError';
  readonly code = 'ERR_SESSION_START';
}

interface OutcomeInput {
  config: SessionConfig;
  sides: Record<Party, SideState>;
  alerts: OutcomeEvent['alerts'];
  messages: AnalyzedMessage[];
  firstClose: Party | null;
  applicationData: boolean;
  timedOut: boolean;
  /** Stopped from outside (control.abort, or step mode's idle limit). */
  stopped: StopReason | null;
  idleMs: number;
  durationMs: number;
  attacker: boolean;
  /** A TCP connection reached the relay. */
  connected: boolean;
  /** Status of the last HTTP response the CPE received (null: none). */
  httpStatus: number | null;
}

const BENIGN_ALERTS = new Set([0 /* close_notify */, 90 /* user_canceled */]);

function decideOutcome(o: OutcomeInput): Omit<OutcomeEvent, 'v' | 'seq' | 't'> {
  const negotiated = negotiatedFromWire(o.messages);
  // The CPE's own connection decides how the session ended (with an attacker, conn 1 is the attacker's).
  const bad = o.alerts.find((a) => a.conn === 0 && (a.alert.level === 2 || !BENIGN_ALERTS.has(a.alert.code)));
  const crFailed = o.sides.acs.error?.code === 'CWMP_CONNECTION_REQUEST_FAILED';
  const acsVerified = o.config.serverAuthOnly ? o.sides.acs.secure : o.sides.acs.verifiedPeer === true;
  const ok = !o.timedOut && !o.stopped && !bad && !crFailed && o.applicationData && o.sides.cpe.verifiedPeer === true && acsVerified;
  // The CPE finished a handshake with the on-path attacker: whatever it sent, the attacker read.
  const compromised = o.attacker && o.sides.cpe.secure;
  // Both handshakes done and the HTTP exchange answered: nobody aborted, even when a side with its
  // verification turned off accepted a certificate that failed (then the session is still not ok).
  const completed = o.applicationData && o.sides.cpe.secure && (o.attacker || o.sides.acs.secure);
  // TLS was fine on both sides but the application refused (e.g. CWMP: the certificate names another device).
  const appRefused = !o.applicationData && o.httpStatus !== null && o.sides.cpe.secure && o.sides.acs.secure;
  let abort: OutcomeEvent['abort'] = null;
  if (o.stopped) abort = { kind: 'stopped', reason: o.stopped };
  else if (o.timedOut) abort = { kind: 'timeout', afterMs: o.config.deadlineMs };
  else if (compromised || ((completed || appRefused) && !bad)) abort = null;
  else if (bad) abort = { kind: 'alert', from: bad.from, alert: bad.alert };
  else if (!ok) abort = { kind: 'close', from: o.firstClose ?? (o.sides.cpe.error ? 'cpe' : 'acs') };
  const abortedBy: Party | null = abort && (abort.kind === 'alert' || abort.kind === 'close') ? abort.from : null;
  return {
    kind: 'outcome',
    ok,
    summary: o.stopped
      ? stoppedSummary(o.stopped, o, negotiated)
      : crFailed
      ? `The first CWMP session ran, but the Connection Request failed (${o.sides.acs.error?.message ?? ''}): the CPE did not call back.`
      : appRefused
      ? `Mutual TLS succeeded (${negotiated.version ?? '?'}), but the ACS refused the CPE at the application layer with HTTP ${o.httpStatus}${o.sides.acs.error ? `: ${o.sides.acs.error.message}` : ''}.`
      : compromised
      ? `The CPE accepted the attacker's certificate without a valid verification (${o.sides.cpe.authorizationError ?? 'verification off'}): the attacker decrypted everything the CPE sent${o.applicationData ? ' and answered in the ACS\'s place' : ''}.`
      : describe(ok, abort, o, negotiated),
    compromised,
    abortedBy,
    abort,
    alerts: o.alerts,
    firstClose: o.firstClose,
    cpe: sideOutcome(o.sides.cpe),
    acs: sideOutcome(o.sides.acs),
    attacker: o.attacker ? sideOutcome(o.sides.attacker) : null,
    negotiated,
    applicationData: o.applicationData,
    durationMs: Math.round(o.durationMs * 1000) / 1000,
  };
}

/** ms in words: "15 minutes", "90 seconds", "300 ms". */
function spellMs(ms: number): string {
  const unit = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (ms >= 60_000 && ms % 60_000 === 0) return unit(ms / 60_000, 'minute');
  if (ms >= 1000 && ms % 1000 === 0) return unit(ms / 1000, 'second');
  return `${ms} ms`;
}

/** Why and where a session stopped from outside ended. */
function stoppedSummary(reason: StopReason, o: OutcomeInput, n: OutcomeEvent['negotiated']): string {
  const who = reason === 'user' ? 'Stopped by the user' : reason === 'idle' ? `Ended after ${spellMs(o.idleMs)} without a step` : 'Stopped because the client disconnected';
  const handshakeDone = o.sides.cpe.secure && (o.attacker || o.sides.acs.secure);
  const exchange = o.config.cwmp ? 'the CWMP session' : 'the HTTP exchange';
  const where = !o.connected
    ? 'before the CPE connected'
    : !handshakeDone
      ? 'before the handshake finished'
      : !o.applicationData
        ? `after the handshake (${n.version ?? '?'} with ${n.cipherSuite ?? '?'}), before ${exchange} finished`
        : `after ${exchange} finished, before both sides closed`;
  return `${who} ${where}; every connection and process of the session was closed.`;
}

function sideOutcome(s: SideState): OutcomeEvent['cpe'] {
  return { error: s.error, authorizationError: s.authorizationError, verifiedPeer: s.verifiedPeer, secure: s.secure, verifyError: s.verifyError };
}

function describe(ok: boolean, abort: OutcomeEvent['abort'], o: OutcomeInput, n: OutcomeEvent['negotiated']): string {
  if (ok) {
    const app = o.config.cwmp ? 'the CWMP session ran to its end (204 No Content)' : 'the HTTP request was answered';
    if (o.config.serverAuthOnly) {
      return `Server-authenticated TLS succeeded: ${n.version ?? '?'} with ${n.cipherSuite ?? '?'}; the CPE verified the ACS's certificate and proved itself with HTTP Basic credentials inside TLS, ${app}, both closed with close_notify.`;
    }
    return `Mutual TLS succeeded: ${n.version ?? '?'} with ${n.cipherSuite ?? '?'}; each side verified the other's certificate, ${app}, both closed with close_notify.`;
  }
  if (!abort) {
    const ignored = (['cpe', 'acs'] as const).filter((p) => o.sides[p].verifiedPeer === false);
    if (o.applicationData && ignored.length) {
      const what = ignored.map((p) => `the ${p.toUpperCase()} (${o.sides[p].verifyError?.name ?? o.sides[p].authorizationError ?? 'unverified'})`).join(' and ');
      return `The session completed, but ${what} accepted a certificate that failed verification, because verification was turned off.`;
    }
    return 'The session did not complete.';
  }
  if (abort.kind === 'timeout') return `No result within the ${abort.afterMs} ms deadline; the session was ended.`;
  if (abort.kind === 'stopped') return stoppedSummary(abort.reason, o, n);
  const why = (s: Party) => {
    const st = o.sides[s];
    if (st.verifyError) return `${st.verifyError.name}: ${st.verifyError.text}${st.verifyError.depth !== null ? ` at depth ${st.verifyError.depth}` : ''}`;
    return st.authorizationError ?? st.error?.code ?? st.error?.message ?? null;
  };
  if (abort.kind === 'alert') {
    const w = why(abort.from);
    return `The ${abort.from.toUpperCase()} aborted with a ${abort.alert.levelName} ${abort.alert.description} (${abort.alert.code}) alert${w ? ` (${w})` : ''}.`;
  }
  const w = why(abort.from) ?? why(abort.from === 'cpe' ? (o.attacker ? 'attacker' : 'acs') : 'cpe');
  if (!o.connected && o.sides[abort.from].error) return `The ${abort.from.toUpperCase()} could not start (${w}): not a byte was sent.`;
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
