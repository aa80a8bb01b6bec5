import { randomBytes } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import type { ZodError } from 'zod';
import { FaultError, getFault, mergePatches, type FaultSpec } from '../../pki/faults/index.ts';
import type { LabEvent, OutcomeEvent, SessionConfig } from '../../protocol/events.ts';
import { ClientMessageSchema, type ClientMessage, type ServerMessage, type StartConfig, type WsErrorCode } from '../../protocol/ws.ts';
import { SessionControl } from '../control.ts';
import { parseRpcSpec } from '../cwmp-script.ts';
import { scenarioFor, wireScenario } from '../faults.ts';
import { ConfigError, resolveConfig } from '../modes.ts';
import { runSession, SessionStartError, sessionPcapng, type RunOptions, type SessionResult } from '../session.ts';
import { sessionTranscript } from '../transcript.ts';
import { opensslAvailable } from '../wire/openssl-endpoints.ts';
import type { WireHost } from '../wire/protocol.ts';
import { TokenBucket, type GatewayLimits } from './limits.ts';

/** What every connection shares: the limits, the process-wide session count, the catalog. */
export interface GatewayShared {
  readonly limits: GatewayLimits;
  /** Live sessions in the process (started and not yet ended, including those still preparing). */
  live: number;
  /** The `catalog` answer, serialised once. */
  catalogJson(): string;
  hello(): ServerMessage;
  wireHost: WireHost | undefined;
  /** Benchmark hook: called just before an event is sent (the gateway's session id, the event). */
  onEventSend: ((session: string, event: LabEvent) => void) | undefined;
  log(line: string): void;
  /** Settles when the session has released everything (for close()). */
  track(p: Promise<unknown>): void;
  /** Every finished session kept for export, oldest first, with the connection that keeps it (limits.finishedTotal). */
  readonly kept: Map<string, ClientConnection>;
  /** Bytes waiting in all clients' send buffers, as each last saw its own (an upper bound: buffers drain unseen). */
  buffered: number;
  /** The total went past limits.maxBufferedTotalBytes: recount exactly and close the largest backlogs until under it. */
  overBuffered(): void;
}

type EndReason = Extract<ServerMessage, { type: 'ended' }>['reason'];

/** A send buffer at most this full counts as keeping up (one big message, e.g. an export, is not a stall). */
const KEEPING_UP_BYTES = 64 * 1024;

interface LiveSession {
  id: string;
  mode: 'run' | 'step';
  control: SessionControl;
  /** `started` was sent (the client knows the id). */
  announced: boolean;
}

interface FinishedSession {
  id: string;
  /** null: the session failed before it produced anything. */
  result: SessionResult | null;
  reason: EndReason;
}

/** An error answer, thrown inside message handling and turned into one `error` message. */
class Reply extends Error {
  constructor(
    readonly code: WsErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** zod path → "config.faults[1]". */
export function fieldPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s ? `.${String(p)}` : String(p);
  }
  return s;
}

/** The first schema problem of a client message, as an error with the offending field. */
function schemaReply(err: ZodError): Reply {
  const issue = err.issues[0];
  if (!issue) return new Reply('bad_message', 'not a message of this protocol');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const field = fieldPath([...issue.path, key]);
    return new Reply('bad_message', `unknown field ${JSON.stringify(field)}`, field);
  }
  const field = fieldPath(issue.path);
  if (issue.code === 'invalid_union' && field === 'type') {
    return new Reply('bad_message', 'unknown message type: expected one of start, step, play, abort, export, catalog', 'type');
  }
  if (field === '') return new Reply('bad_message', `not a message of this protocol: ${issue.message} (expected a JSON object with a "type")`);
  return new Reply('bad_message', `${field}: ${issue.message}`, field);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function frameBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function stripCode(message: string): string {
  return message.replace(/^ERR_[A-Z_]+: /, '');
}

function endReason(outcome: OutcomeEvent): EndReason {
  // `stopped` (abort by the user, idle timeout or a closed WebSocket) comes with step mode in the engine.
  const a = outcome.abort as { kind: string; reason?: string } | null;
  if (a?.kind === 'stopped') return a.reason === 'idle' ? 'idle' : 'aborted';
  return 'finished';
}

/**
 * One WebSocket client: its messages, its sessions (live and recently finished). Every message gets
 * its answer or exactly one `error`; nothing a client sends can throw out of here. Validation is
 * synchronous, so errors come back in the order the messages arrived.
 */
export class ClientConnection {
  private readonly live = new Map<string, LiveSession>();
  private readonly finished = new Map<string, FinishedSession>();
  private readonly starts: TokenBucket;
  private closed = false;
  /** Answered the last ping (heartbeat). */
  alive = true;

  constructor(
    private readonly ws: WebSocket,
    private readonly shared: GatewayShared,
  ) {
    this.starts = new TokenBucket(shared.limits.startsPerMinute, shared.limits.startsPerMinute);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => (this.alive = true));
    ws.on('close', () => this.onClose());
    // Protocol violations the ws library itself detects (a frame over the hard cap, a bad opcode):
    // it closes the connection; the 'close' handler releases everything.
    ws.on('error', () => {});
    this.send(shared.hello());
  }

  /** Heartbeat: the client answers with a pong (browsers do it by themselves). */
  ping(): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  /** Ends the connection at once (heartbeat, slow reader, shutdown); its sessions are aborted by onClose. */
  terminate(): void {
    this.terminated = true;
    this.bufferedNow(); // what waited is dropped with the socket: its share leaves the total now
    this.ws.terminate();
  }

  private terminated = false;

  private send(msg: ServerMessage): void {
    this.sendText(JSON.stringify(msg));
  }

  private sendText(text: string): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(text);
    const { limits } = this.shared;
    if (this.bufferedNow() > limits.maxBufferedBytes) {
      this.shared.log(`gateway: a client stopped reading (${this.ws.bufferedAmount} bytes waiting); disconnecting it`);
      this.terminate();
    } else if (this.shared.buffered > limits.maxBufferedTotalBytes) this.shared.overBuffered();
  }

  /** What waits in this client's send buffer now; keeps the process-wide sum up to date. */
  bufferedNow(): number {
    const now = this.closed || this.terminated ? 0 : this.ws.bufferedAmount;
    // Keeping up: its backlog was small before this send, or it shrank since the last look.
    if (this.lastBuffered <= KEEPING_UP_BYTES || now < this.lastBuffered) this.progressAt = performance.now();
    this.shared.buffered += now - this.lastBuffered;
    this.lastBuffered = now;
    return now;
  }

  /** Milliseconds since this client last kept up with what it was sent (see bufferedNow). */
  stalledMs(): number {
    return performance.now() - this.progressAt;
  }

  private lastBuffered = 0;
  private progressAt = performance.now();

  private error(code: WsErrorCode, message: string, extra: { field?: string | undefined; session?: string | undefined; ref?: string | undefined } = {}): void {
    const msg: ServerMessage = { type: 'error', code, message };
    if (extra.field !== undefined && extra.field !== '') msg.field = extra.field;
    if (extra.session !== undefined) msg.session = extra.session;
    if (extra.ref !== undefined) msg.ref = extra.ref;
    this.send(msg);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    let ref: string | undefined;
    let session: string | undefined;
    try {
      const bytes = frameBytes(data);
      if (bytes.byteLength > this.shared.limits.maxMessageBytes) {
        throw new Reply('too_large', `the message is ${bytes.byteLength} bytes; the limit is ${this.shared.limits.maxMessageBytes}`);
      }
      if (isBinary) throw new Reply('bad_json', 'binary frames are not accepted: send one JSON message per text frame');
      let raw: unknown;
      try {
        raw = JSON.parse(utf8.decode(bytes));
      } catch (e) {
        throw new Reply('bad_json', `the message is not JSON (${(e as Error).message})`);
      }
      // Echo what identifies the request, when the client gave it, even if the rest is wrong.
      if (typeof raw === 'object' && raw !== null) {
        const r = raw as { ref?: unknown; session?: unknown };
        if (typeof r.ref === 'string' && r.ref.length <= 64) ref = r.ref;
        if (typeof r.session === 'string' && r.session.length >= 1 && r.session.length <= 64) session = r.session;
      }
      const parsed = ClientMessageSchema.safeParse(raw);
      if (!parsed.success) throw schemaReply(parsed.error);
      this.handle(parsed.data);
    } catch (e) {
      if (e instanceof Reply) {
        this.error(e.code, e.message, { field: e.field, session, ref });
      } else {
        this.shared.log(`gateway: internal error handling a message: ${(e as Error).stack ?? String(e)}`);
        this.error('internal', `internal error: ${(e as Error).message}`, { session, ref });
      }
    }
  }

  private handle(msg: ClientMessage): void {
    switch (msg.type) {
      case 'catalog':
        this.sendText(this.shared.catalogJson());
        return;
      case 'start':
        this.start(msg.config, msg.ref);
        return;
      case 'step': {
        const s = this.control(msg.session, 'step');
        if (s.mode !== 'step') throw new Reply('not_stepping', `session ${msg.session} runs in run mode: nothing is held to step through`, 'session');
        // Nothing held right now (the next record is still on its way) or nothing running any more:
        // say so with what is held (a step is never kept for a record that has not arrived).
        if (s.control.pending.length === 0 || !s.control.step(msg.unit)) this.send({ type: 'held', session: s.id, pending: [...s.control.pending] });
        return;
      }
      case 'play': {
        const s = this.control(msg.session, 'play');
        if (s.mode !== 'step') throw new Reply('not_stepping', `session ${msg.session} runs in run mode already`, 'session');
        if (!s.control.play()) this.send({ type: 'held', session: s.id, pending: [...s.control.pending] });
        return;
      }
      case 'abort':
        this.control(msg.session, 'abort').control.abort('user');
        return;
      case 'export':
        this.export(msg.session, msg.format);
        return;
    }
  }

  /** A live session of this connection, or the reason there is none. */
  private control(id: string, what: string): LiveSession {
    const s = this.live.get(id);
    if (s?.announced) return s;
    if (this.finished.has(id)) throw new Reply('session_finished', `session ${id} has ended; ${what} has nothing to act on (export it instead)`, 'session');
    throw new Reply('unknown_session', `no session ${id} on this connection`, 'session');
  }

  private export(id: string, format: 'pcapng' | 'keylog' | 'transcript'): void {
    const f = this.finished.get(id);
    if (!f) {
      if (this.live.get(id)?.announced) throw new Reply('not_finished', `session ${id} is still running; export it after its "ended" message`, 'session');
      throw new Reply('unknown_session', `no session ${id} on this connection (only the last ${this.shared.limits.finishedPerConnection} finished sessions of a connection, and ${this.shared.limits.finishedTotal} in all, are kept)`, 'session');
    }
    if (!f.result) throw new Reply('session_failed', `session ${id} failed before it produced anything to export`, 'session');
    const base = `handshake-lab-${id}`;
    switch (format) {
      case 'pcapng':
        this.send({ type: 'export', session: id, format, filename: `${base}.pcapng`, base64: Buffer.from(sessionPcapng(f.result)).toString('base64') });
        return;
      case 'keylog':
        this.send({ type: 'export', session: id, format, filename: `${base}.keylog`, text: f.result.keyLog });
        return;
      case 'transcript':
        this.send({ type: 'export', session: id, format, filename: `${base}.transcript.json`, transcript: sessionTranscript(f.result) });
        return;
    }
  }

  private start(req: StartConfig, ref: string | undefined): void {
    const { mode = 'run', ...rest } = req;
    // 1. The configuration, then the faults: checked before anything is spent on them.
    let config: SessionConfig;
    try {
      config = resolveConfig(rest);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      let field = `config.${e.field}`;
      if (e.field === 'rpc') {
        const i = (rest.rpcs ?? []).findIndex((r) => {
          try {
            parseRpcSpec(r);
            return false;
          } catch {
            return true;
          }
        });
        field = i >= 0 ? `config.rpcs[${i}]` : 'config.rpcs';
      }
      // modes.ts words its messages for the CLI ("--tls 1.2"); a web client sets fields ("tls=1.2").
      const message = e.message.replace(/--([a-z-]+) (?=[\w.])([\w.-]+)/g, '$1=$2').replace(/--([a-z-]+)/g, '$1');
      throw new Reply('bad_config', message, field);
    }
    if (config.verifier === 'openssl' && !opensslAvailable().ok) {
      throw new Reply('bad_config', `this server cannot run the openssl verifier: ${opensslAvailable().error}`, 'config.verifier');
    }
    const specs: FaultSpec[] = [];
    const seen = new Set<string>();
    config.faults.forEach((id, i) => {
      try {
        const f = getFault(id);
        if (!seen.has(id)) specs.push(f);
        seen.add(id);
      } catch (e) {
        if (e instanceof FaultError) throw new Reply('unknown_fault', stripCode(e.message), `config.faults[${i}]`);
        throw e;
      }
    });
    try {
      mergePatches(specs);
    } catch (e) {
      if (!(e instanceof FaultError)) throw e;
      const second = e.faultIds[1];
      const i = second === undefined ? -1 : config.faults.indexOf(second);
      throw new Reply('fault_conflict', stripCode(e.message), i >= 0 ? `config.faults[${i}]` : 'config.faults');
    }
    // 2. The limits.
    const { limits } = this.shared;
    if (this.live.size >= limits.sessionsPerConnection) {
      throw new Reply('busy', `this connection already runs ${this.live.size} sessions (the limit is ${limits.sessionsPerConnection}); wait for one to end or abort one`);
    }
    if (this.shared.live >= limits.sessionsTotal) {
      throw new Reply('busy', `the server runs ${this.shared.live} sessions, its limit; try again in a moment`);
    }
    if (!this.starts.take()) {
      throw new Reply('rate_limited', `too many sessions started: at most ${limits.startsPerMinute} a minute per connection; try again in ${Math.ceil(this.starts.retryAfterMs() / 1000)} s`);
    }
    // 3. The session: its slot is taken now, released when runSession has released everything.
    const id = randomBytes(12).toString('base64url');
    const s: LiveSession = { id, mode, control: new SessionControl(mode), announced: false };
    this.live.set(id, s);
    this.shared.live++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.live.delete(id);
      this.shared.live--;
    };
    const run = this.run(s, config, ref, release)
      .catch((e: unknown) => this.shared.log(`gateway: session ${id}: ${(e as Error).stack ?? String(e)}`))
      .finally(release);
    this.shared.track(run);
  }

  /** Runs the session; `release` frees its slot (called before `ended`, so the client may start the next one at once). */
  private async run(s: LiveSession, config: SessionConfig, ref: string | undefined, release: () => void): Promise<void> {
    let result: SessionResult | null = null;
    let reason: EndReason = 'finished';
    try {
      const scenario = await scenarioFor(config);
      if (this.closed) return; // the client left while the certificates were being made: never start
      this.send({ type: 'started', session: s.id, config, mode: s.mode, ...(ref !== undefined ? { ref } : {}) });
      s.announced = true;
      const unsubscribe = s.mode === 'step' ? s.control.onHeld((held) => this.send({ type: 'held', session: s.id, pending: held })) : null;
      const options: RunOptions & { control: SessionControl; idleMs?: number } = { control: s.control, idleMs: this.shared.limits.stepIdleMs };
      if (this.shared.wireHost) options.host = this.shared.wireHost;
      try {
        const hook = this.shared.onEventSend;
        const onEvent = hook
          ? (event: LabEvent) => {
              hook(s.id, event);
              this.send({ type: 'event', session: s.id, event });
            }
          : (event: LabEvent) => this.send({ type: 'event', session: s.id, event });
        result = await runSession(config, wireScenario(scenario), onEvent, options);
      } finally {
        unsubscribe?.();
      }
      reason = endReason(result.outcome);
    } catch (e) {
      reason = 'failed';
      const extra = s.announced ? { session: s.id, ref } : { ref };
      if (e instanceof SessionStartError) this.error('session_failed', e.message, extra);
      else if (e instanceof FaultError) this.error(e.code === 'ERR_UNKNOWN_FAULT' ? 'unknown_fault' : 'fault_conflict', stripCode(e.message), { ...extra, field: 'config.faults' });
      else {
        this.shared.log(`gateway: session ${s.id} failed: ${(e as Error).stack ?? String(e)}`);
        this.error(s.announced ? 'session_failed' : 'internal', `the session could not run: ${(e as Error).message}`, extra);
      }
    }
    release();
    if (!s.announced || this.closed) return;
    this.keep({ id: s.id, result, reason });
    this.send({ type: 'ended', session: s.id, reason });
  }

  /** Keeps a finished session for export: the newest finishedPerConnection here, finishedTotal in the process. */
  private keep(f: FinishedSession): void {
    const { kept, limits } = this.shared;
    this.finished.set(f.id, f);
    kept.set(f.id, this);
    for (const old of this.finished.keys()) {
      if (this.finished.size <= limits.finishedPerConnection) break;
      this.forget(old);
    }
    for (const [old, owner] of kept) {
      if (kept.size <= limits.finishedTotal) break;
      owner.forget(old);
    }
  }

  private forget(id: string): void {
    this.finished.delete(id);
    this.shared.kept.delete(id);
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.bufferedNow(); // 0 now: its share leaves the total
    // The sessions belong to this WebSocket: they end with it (their slots are released when each has released everything).
    for (const s of this.live.values()) s.control.abort('disconnected');
    for (const id of [...this.finished.keys()]) this.forget(id);
  }
}
