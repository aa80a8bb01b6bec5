import type { LabEvent } from '../../protocol/events.ts';
import { ServerMessageSchema, type ClientMessage, type ExportFormat, type ServerMessage, type StartConfig, type StepUnit } from '../../protocol/ws.ts';
import { labStore, type LabStoreApi, type Prediction } from '../store.ts';

/**
 * The browser's connection to the Handshake Lab service (same-origin `/ws`). Every frame the server
 * sends is checked with ServerMessageSchema before it touches the store; events are batched and
 * handed to the store once per animation frame; a lost connection is announced (the store's
 * `connection` and `reconnectAt`, which the banner shows) and retried with backoff.
 */

/** The part of the browser's WebSocket this client uses (tests pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type ExportMessage = Extract<ServerMessage, { type: 'export' }>;

export interface LabSocketOptions {
  url: string;
  store?: LabStoreApi;
  createSocket?: (url: string) => SocketLike;
  /** Schedules the event flush (requestAnimationFrame in the browser). */
  frame?: (cb: () => void) => void;
  setTimer?: (cb: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  random?: () => number;
  now?: () => number;
  /** What to do with an export the server sends (the app downloads it). */
  onExport?: (m: ExportMessage) => void;
  /**
   * Is the service up (HTTP)? Asked when WebSocket connections keep closing before the server's
   * hello: up means it refuses this page (join code, origin), which the user is told. Default: GET /healthz.
   */
  probe?: () => Promise<boolean>;
}

const OPEN = 1;
/** Reconnection delays in ms (then the last one, repeated), each ±20 % so a classroom does not reconnect in lockstep. */
export const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 10_000] as const;

/** The service's address for a page at `loc`: same origin, /ws, and the page's ?join= when present. */
export function wsUrl(loc: { protocol: string; host: string; search: string }): string {
  const proto = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  const join = new URLSearchParams(loc.search).get('join');
  return `${proto}//${loc.host}/ws${join ? `?join=${encodeURIComponent(join)}` : ''}`;
}

interface PendingStart {
  prediction: Prediction | null;
  label: string;
}

export class LabSocket {
  private readonly store: LabStoreApi;
  private readonly opts: LabSocketOptions;
  private socket: SocketLike | null = null;
  private attempts = 0;
  private retryTimer: unknown = null;
  private stopped = false;
  private refSeq = 0;
  private readonly pendingStarts = new Map<string, PendingStart>();
  private readonly buffered = new Map<string, LabEvent[]>();
  private flushScheduled = false;
  /** Connections in a row that closed before the server's hello. */
  private refusals = 0;
  private refusalReported = false;
  private gotHello = false;

  constructor(opts: LabSocketOptions) {
    this.opts = opts;
    this.store = opts.store ?? labStore;
  }

  connect(): void {
    this.stopped = false;
    this.open();
  }

  /** Closes for good (no reconnection). */
  close(): void {
    this.stopped = true;
    if (this.retryTimer !== null) this.clearTimer(this.retryTimer);
    this.retryTimer = null;
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = null;
      s.close(1000, 'bye');
    }
  }

  /** Tries again now instead of waiting for the backoff (the banner's button). */
  reconnectNow(): void {
    if (this.stopped || this.socket) return;
    if (this.retryTimer !== null) this.clearTimer(this.retryTimer);
    this.retryTimer = null;
    this.open();
  }

  get isOpen(): boolean {
    return this.socket?.readyState === OPEN && this.store.getState().connection === 'open';
  }

  /** Starts a session; the prediction (if any) is attached when the server confirms. False when offline. */
  start(config: StartConfig, opts: { prediction?: Prediction | null; label?: string } = {}): string | null {
    const ref = `r${++this.refSeq}`;
    if (!this.send({ type: 'start', config, ref })) return null;
    this.pendingStarts.set(ref, { prediction: opts.prediction ?? null, label: opts.label ?? (config.faults?.join(' + ') || '') });
    return ref;
  }
  step(session: string, unit: StepUnit): boolean {
    return this.send({ type: 'step', session, unit });
  }
  play(session: string): boolean {
    return this.send({ type: 'play', session });
  }
  abort(session: string): boolean {
    return this.send({ type: 'abort', session });
  }
  requestExport(session: string, format: ExportFormat): boolean {
    return this.send({ type: 'export', session, format });
  }
  requestCatalog(): boolean {
    return this.send({ type: 'catalog' });
  }

  /** Sends one message; tells the user (in words) when there is no connection. */
  send(msg: ClientMessage): boolean {
    const s = this.socket;
    if (!s || s.readyState !== OPEN) {
      this.store.getState().notify({ type: 'error', key: 'ws.offline', text: 'not connected to the lab service' });
      return false;
    }
    s.send(JSON.stringify(msg));
    return true;
  }

  /** One frame from the server (public for tests). */
  handle(data: unknown): void {
    if (typeof data !== 'string') {
      this.fail('ws.invalidMessage', 'binary frame');
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch (e) {
      this.fail('ws.invalidMessage', `not JSON: ${(e as Error).message}`);
      return;
    }
    const parsed = ServerMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const type = typeof (raw as { type?: unknown } | null)?.type === 'string' ? (raw as { type: string }).type : '?';
      if (type === 'hello' && (raw as { protocol?: unknown }).protocol !== undefined && issue.path[0] === 'protocol') {
        this.fail('ws.protocolMismatch', `protocol ${JSON.stringify((raw as { protocol?: unknown }).protocol)}`);
      } else {
        this.fail('ws.invalidMessage', `${type}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      }
      return;
    }
    this.dispatch(parsed.data);
  }

  /** Hands buffered events to the store now (public for tests; the app calls it once per frame). */
  flush(): void {
    this.flushScheduled = false;
    if (this.buffered.size === 0) return;
    const st = this.store.getState();
    const batches = [...this.buffered];
    this.buffered.clear();
    for (const [id, events] of batches) st.pushEvents(id, events);
  }

  // ---- internals ----

  private dispatch(m: ServerMessage): void {
    const st = this.store.getState();
    if (m.type === 'event') {
      let buf = this.buffered.get(m.session);
      if (!buf) this.buffered.set(m.session, (buf = []));
      buf.push(m.event);
      this.scheduleFlush();
      return;
    }
    // Everything else comes after the events before it.
    this.flush();
    switch (m.type) {
      case 'hello':
        this.attempts = 0;
        this.gotHello = true;
        this.refusals = 0;
        st.setServer({ name: m.server, limits: m.limits });
        st.setConnection('open');
        st.setReconnectAt(null);
        this.requestCatalog();
        return;
      case 'catalog':
        st.setCatalog(m.catalog);
        return;
      case 'started': {
        const pending = m.ref !== undefined ? this.pendingStarts.get(m.ref) : undefined;
        if (m.ref !== undefined) this.pendingStarts.delete(m.ref);
        st.addSession({ id: m.session, source: 'live', label: pending?.label ?? m.config.faults.join(' + '), config: m.config, mode: m.mode, prediction: pending?.prediction ?? null });
        return;
      }
      case 'held':
        st.setHeld(m.session, m.pending);
        return;
      case 'ended': {
        st.endSession(m.session, m.reason);
        if (st.current === m.session && st.playback.playing) st.setPlayback({ playing: false });
        return;
      }
      case 'export':
        this.opts.onExport?.(m);
        return;
      case 'error': {
        if (m.ref !== undefined) this.pendingStarts.delete(m.ref);
        const where = m.field ? ` (${m.field})` : '';
        st.notify({ type: 'error', key: `ws.error.${m.code}`, text: `${m.message}${where}`, detail: `${m.message}${where}` });
        if (m.session && (m.code === 'session_finished' || m.code === 'unknown_session') && st.sessions[m.session]?.status === 'running') {
          st.endSession(m.session, 'failed');
        }
        return;
      }
    }
  }

  private fail(key: string, detail: string): void {
    this.store.getState().notify({ type: 'error', key, text: detail, detail });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const frame = this.opts.frame ?? defaultFrame;
    frame(() => this.flush());
  }

  private open(): void {
    const st = this.store.getState();
    st.setConnection('connecting');
    let s: SocketLike;
    try {
      s = (this.opts.createSocket ?? defaultSocket)(this.opts.url);
    } catch (e) {
      this.fail('ws.cannotConnect', (e as Error).message);
      this.scheduleReconnect();
      return;
    }
    this.socket = s;
    this.gotHello = false;
    s.onmessage = (ev) => {
      if (this.socket === s) this.handle(ev.data);
    };
    s.onclose = () => {
      if (this.socket !== s) return;
      this.socket = null;
      this.lost();
    };
    s.onerror = () => {
      /* onclose follows and handles it */
    };
  }

  private lost(): void {
    this.flush();
    const st = this.store.getState();
    const wasOpen = st.connection === 'open';
    st.setConnection('closed');
    // The server forgets a connection's sessions when it drops: those still running cannot finish.
    let cut = 0;
    for (const id of st.order) {
      const sv = st.sessions[id];
      if (sv && sv.source === 'live' && sv.status === 'running') {
        st.endSession(id, 'failed');
        cut++;
      }
    }
    if (st.playback.playing) st.setPlayback({ playing: false });
    this.pendingStarts.clear();
    if (wasOpen && cut > 0) st.notify({ type: 'error', key: 'ws.sessionsCut', text: `${cut} running session(s) were cut off`, params: { n: cut } });
    if (!this.gotHello && ++this.refusals >= 2 && !this.refusalReported) this.explainRefusal();
    if (!this.stopped) this.scheduleReconnect();
  }

  /** The upgrade keeps failing: if the service answers over HTTP, it is refusing this page; say why it may be. */
  private explainRefusal(): void {
    this.refusalReported = true;
    const probe = this.opts.probe ?? (() => fetch('/healthz', { cache: 'no-store' }).then((r) => r.ok));
    probe().then(
      (up) => {
        if (!up) {
          this.refusalReported = false;
          return;
        }
        const hasJoin = /[?&]join=/.test(this.opts.url);
        this.store.getState().notify({ type: 'error', key: hasJoin ? 'ws.refusedJoin' : 'ws.refusedNoJoin', text: 'the service refused the WebSocket connection' });
      },
      () => {
        this.refusalReported = false;
      },
    );
  }

  private scheduleReconnect(): void {
    const base = BACKOFF_MS[Math.min(this.attempts, BACKOFF_MS.length - 1)]!;
    this.attempts++;
    const jitter = 0.8 + 0.4 * (this.opts.random ?? Math.random)();
    const delay = Math.round(base * jitter);
    const now = (this.opts.now ?? Date.now)();
    this.store.getState().setReconnectAt(now + delay);
    this.retryTimer = this.setTimer(() => {
      this.retryTimer = null;
      if (!this.stopped) this.open();
    }, delay);
  }

  private setTimer(cb: () => void, ms: number): unknown {
    return (this.opts.setTimer ?? ((f: () => void, t: number) => setTimeout(f, t)))(cb, ms);
  }
  private clearTimer(h: unknown): void {
    (this.opts.clearTimer ?? ((x: unknown) => clearTimeout(x as ReturnType<typeof setTimeout>)))(h);
  }
}

function defaultFrame(cb: () => void): void {
  if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && document.visibilityState !== 'hidden') requestAnimationFrame(cb);
  else setTimeout(cb, 16);
}

function defaultSocket(url: string): SocketLike {
  return new WebSocket(url) as unknown as SocketLike;
}

// ---- the app's one connection ----

let appSocket: LabSocket | null = null;
export function setAppSocket(s: LabSocket | null): void {
  appSocket = s;
}
export function getAppSocket(): LabSocket | null {
  return appSocket;
}
