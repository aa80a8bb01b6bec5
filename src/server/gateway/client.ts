import WebSocket from 'ws';
import type { LabEvent } from '../../protocol/events.ts';
import { ServerMessageSchema, type ClientMessage, type ServerMessage, type StartConfig, type StepUnit } from '../../protocol/ws.ts';

/**
 * A small Node client of the gateway's WebSocket protocol, for the tests and the benchmark: it
 * routes a session's messages to its LiveRun and everything else to an inbox. With `validate`
 * (the default) every message from the server is checked against ServerMessageSchema, as the
 * browser does.
 */

type Msg<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
export type EndReason = Msg<'ended'>['reason'];
export type HeldPending = Msg<'held'>['pending'];

export class ServerError extends Error {
  constructor(readonly reply: Msg<'error'>) {
    super(`${reply.code}: ${reply.message}${reply.field ? ` (${reply.field})` : ''}`);
  }
}

export interface ClientOptions {
  /** Extra upgrade headers (e.g. Origin). */
  headers?: Record<string, string>;
  validate?: boolean;
  /** Keep each run's events (default true). */
  keepEvents?: boolean;
  /** Called with every raw frame and its arrival time (performance.now()), before parsing. */
  onFrame?: (text: string, at: number) => void;
  /** Called with every message and the frame's arrival time (performance.now(), taken before parsing). */
  onMessage?: (m: ServerMessage, at: number) => void;
}

interface Waiter {
  pred: (m: ServerMessage) => boolean;
  resolve: (m: ServerMessage) => void;
}

export class LiveRun {
  readonly events: LabEvent[] = [];
  readonly held: HeldPending[] = [];
  readonly errors: Msg<'error'>[] = [];
  endReason: EndReason | null = null;
  readonly ended: Promise<EndReason>;
  private endedResolve!: (r: EndReason) => void;
  private readonly listeners = new Set<(m: ServerMessage) => void>();

  constructor(
    private readonly client: LabClient,
    readonly started: Msg<'started'>,
  ) {
    this.ended = new Promise((r) => (this.endedResolve = r));
  }

  get session(): string {
    return this.started.session;
  }

  /** @internal */
  deliver(m: ServerMessage, keepEvents: boolean): void {
    if (m.type === 'event' && keepEvents) this.events.push(m.event);
    else if (m.type === 'held') this.held.push(m.pending);
    else if (m.type === 'error') this.errors.push(m);
    // State first, listeners after: a waiter's condition (e.g. `endReason !== null`) sees this message's effect.
    if (m.type === 'ended') this.endReason = m.reason;
    for (const f of [...this.listeners]) f(m);
    if (m.type === 'ended') this.endedResolve(m.reason);
  }

  /** The next message of this session that matches (including ones that arrive later). */
  waitFor(pred: (m: ServerMessage) => boolean, timeoutMs = 10_000): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(f);
        reject(new Error(`timed out after ${timeoutMs} ms waiting on session ${this.session}`));
      }, timeoutMs);
      const f = (m: ServerMessage) => {
        if (!pred(m)) return;
        clearTimeout(timer);
        this.listeners.delete(f);
        resolve(m);
      };
      this.listeners.add(f);
    });
  }

  /**
   * Resolves once `cond()` holds: at once if it already does, else after the message that makes it
   * true. (Safer than waitFor when the message may already have arrived in the same TCP read.)
   */
  until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (cond()) return Promise.resolve();
    return this.waitFor(() => cond(), timeoutMs).then(() => undefined);
  }

  /** What the relay holds now (the last `held`). */
  get pending(): HeldPending {
    return this.held.at(-1) ?? [];
  }

  step(unit: StepUnit = 'record'): void {
    this.client.send({ type: 'step', session: this.session, unit });
  }
  play(): void {
    this.client.send({ type: 'play', session: this.session });
  }
  abort(): void {
    this.client.send({ type: 'abort', session: this.session });
  }
}

export class LabClient {
  /** Messages not routed to a run (catalog, export, error …), in arrival order. */
  readonly inbox: ServerMessage[] = [];
  readonly runs = new Map<string, LiveRun>();
  hello!: Msg<'hello'>;
  private readonly waiters = new Set<Waiter>();
  private readonly starts = new Map<string, { resolve: (r: LiveRun) => void; reject: (e: Error) => void }>();
  private refs = 0;
  private readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(
    readonly ws: WebSocket,
    private readonly options: ClientOptions,
  ) {
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data: Buffer) => {
      const at = performance.now();
      const text = data.toString('utf8');
      options.onFrame?.(text, at);
      const raw: unknown = JSON.parse(text);
      const m = (options.validate === false ? raw : ServerMessageSchema.parse(raw)) as ServerMessage;
      options.onMessage?.(m, at);
      this.receive(m);
    });
  }

  /** Connects and waits for the server's `hello`. Rejects with the HTTP status when the upgrade is refused. */
  static connect(url: string, options: ClientOptions = {}): Promise<LabClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: options.headers ?? {}, perMessageDeflate: false });
      const c = new LabClient(ws, options);
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode} ${body.trim()}`), { status: res.statusCode, body })));
      });
      ws.once('error', reject);
      c.next((m) => m.type === 'hello', 10_000).then((h) => {
        c.hello = h as Msg<'hello'>;
        resolve(c);
      }, reject);
    });
  }

  private receive(m: ServerMessage): void {
    if (m.type === 'started' && m.ref !== undefined && this.starts.has(m.ref)) {
      const run = new LiveRun(this, m);
      this.runs.set(m.session, run);
      this.starts.get(m.ref)!.resolve(run);
      this.starts.delete(m.ref);
      return;
    }
    if (m.type === 'error' && m.ref !== undefined && this.starts.has(m.ref) && m.session === undefined) {
      this.starts.get(m.ref)!.reject(new ServerError(m));
      this.starts.delete(m.ref);
      return;
    }
    const run = 'session' in m && m.session !== undefined && m.type !== 'export' ? this.runs.get(m.session) : undefined;
    if (run) {
      run.deliver(m, this.options.keepEvents !== false);
      if (m.type === 'ended' && this.options.keepEvents === false) this.runs.delete(m.session);
      if (m.type !== 'error') return;
    }
    for (const w of this.waiters) {
      if (w.pred(m)) {
        this.waiters.delete(w);
        w.resolve(m);
        return;
      }
    }
    this.inbox.push(m);
  }

  send(m: ClientMessage): void {
    this.ws.send(JSON.stringify(m));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** Takes the first inbox message that matches, waiting for one if need be. */
  next(pred: (m: ServerMessage) => boolean = () => true, timeoutMs = 10_000): Promise<ServerMessage> {
    const i = this.inbox.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for a message`));
      }, timeoutMs);
      this.waiters.add(w);
    });
  }

  /** Starts a session; resolves on `started` (rejects with ServerError on an `error` for it). */
  start(config: StartConfig, timeoutMs = 30_000): Promise<LiveRun> {
    const ref = `r${++this.refs}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.starts.delete(ref);
        reject(new Error(`no answer to start ${ref} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.starts.set(ref, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.send({ type: 'start', config, ref });
    });
  }

  /** Starts a session and waits for its end. */
  async run(config: StartConfig, timeoutMs = 30_000): Promise<LiveRun> {
    const r = await this.start(config, timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([r.ended, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`session ${r.session} did not end within ${timeoutMs} ms`)), timeoutMs)))]);
    clearTimeout(timer);
    return r;
  }

  async export<F extends 'pcapng' | 'keylog' | 'transcript'>(session: string, format: F): Promise<Extract<Msg<'export'>, { format: F }>> {
    this.send({ type: 'export', session, format });
    const m = await this.next((x) => (x.type === 'export' && x.session === session && x.format === format) || (x.type === 'error' && x.session === session), 30_000);
    if (m.type === 'error') throw new ServerError(m);
    return m as Extract<Msg<'export'>, { format: F }>;
  }

  async catalog(): Promise<Msg<'catalog'>['catalog']> {
    this.send({ type: 'catalog' });
    return ((await this.next((m) => m.type === 'catalog')) as Msg<'catalog'>).catalog;
  }

  /** Closes (normal closure) and waits for the close handshake. */
  async close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    return this.closed;
  }

  /** Resolves when the connection closes, with the close code and reason. */
  whenClosed(): Promise<{ code: number; reason: string }> {
    return this.closed;
  }
}
