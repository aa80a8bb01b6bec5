import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../protocol/ws.ts';
import { createLabStore } from '../store.ts';
import { loadFixture } from './testdata/load.ts';
import { BACKOFF_MS, LabSocket, wsUrl, type SocketLike } from './ws-client.ts';

/**
 * The browser's protocol client against a fake socket (the parsing and store feeding are what is
 * tested here; the real server is exercised by the e2e tests). Events are real recorded ones.
 */
const events = loadFixture('acs-expired-openssl');
const first = events[0];
const config = first?.kind === 'session' ? first.config : null;

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  recv(m: ServerMessage | string) {
    this.onmessage?.({ data: typeof m === 'string' ? m : JSON.stringify(m) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }
}

const HELLO: ServerMessage = { type: 'hello', protocol: 1, server: 'handshake-lab', limits: { sessionsPerConnection: 4, sessionsTotal: 32, maxMessageBytes: 65536, startsPerMinute: 30 } };

/** A client on fake sockets and timers; `open` (default) opens the first socket and says hello. */
function setup(opts: { url?: string; probe?: () => Promise<boolean>; open?: boolean } = {}) {
  const store = createLabStore();
  const sockets: FakeSocket[] = [];
  const frames: (() => void)[] = [];
  const timers: { cb: () => void; ms: number }[] = [];
  const exports: unknown[] = [];
  const client = new LabSocket({
    url: opts.url ?? 'ws://lab/ws',
    store,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    frame: (cb) => frames.push(cb),
    setTimer: (cb, ms) => timers.push({ cb, ms }),
    clearTimer: () => {},
    random: () => 0.5, // jitter factor exactly 1
    now: () => 1000,
    onExport: (m) => exports.push(m),
    ...(opts.probe ? { probe: opts.probe } : {}),
  });
  client.connect();
  const s = sockets[0]!;
  if (opts.open !== false) {
    s.open();
    s.recv(HELLO);
  }
  return { store, sockets, frames, timers, exports, client, s };
}

const started = (ref?: string): ServerMessage => ({ type: 'started', session: 'S1', config: config!, mode: 'run', ...(ref ? { ref } : {}) });

describe('LabSocket', () => {
  it('hello: connected, the server named, the catalog asked for', () => {
    const { store, s } = setup();
    expect(store.getState().connection).toBe('open');
    expect(store.getState().server?.limits.sessionsPerConnection).toBe(4);
    expect(s.sent).toEqual([{ type: 'catalog' }]);
  });

  it('start → started: the session appears with the prediction made before it, matched by ref', () => {
    const { store, client, s } = setup();
    const ref = client.start({ tls: '1.3', faults: ['acs-expired'], verifier: 'openssl' }, { prediction: { aborts: 'cpe', alert: 'certificate_expired' }, label: 'acs-expired' });
    expect(s.sent[1]).toEqual({ type: 'start', config: { tls: '1.3', faults: ['acs-expired'], verifier: 'openssl' }, ref });
    s.recv(started(ref!));
    const sv = store.getState().sessions.S1!;
    expect(store.getState().current).toBe('S1');
    expect(sv).toMatchObject({ source: 'live', mode: 'run', status: 'running', label: 'acs-expired', prediction: { aborts: 'cpe', alert: 'certificate_expired' } });
    expect(sv.config?.verifier).toBe('openssl');
  });

  it('events are batched: nothing reaches the store until the frame, then all of them in one update, in order', () => {
    const { store, frames, s } = setup();
    s.recv(started());
    let updates = 0;
    const unsub = store.subscribe(() => updates++);
    for (const e of events) s.recv({ type: 'event', session: 'S1', event: e });
    expect(store.getState().sessions.S1!.events).toHaveLength(0);
    expect(frames).toHaveLength(1); // one frame scheduled for the whole burst
    frames[0]!();
    unsub();
    expect(updates).toBe(1);
    expect(store.getState().sessions.S1!.events.map((e) => e.seq)).toEqual(events.map((e) => e.seq));
  });

  it('held and ended come after the events before them (the buffer is flushed first); ended stops playback', () => {
    const { store, s } = setup();
    s.recv({ ...started(), mode: 'step' } as ServerMessage);
    store.getState().setPlayback({ playing: true });
    s.recv({ type: 'event', session: 'S1', event: events[0]! });
    s.recv({ type: 'held', session: 'S1', pending: [{ conn: 0, from: 'client', records: 1, bytes: 517 }] });
    let sv = store.getState().sessions.S1!;
    expect(sv.events).toHaveLength(1);
    expect(sv.held).toEqual([{ conn: 0, from: 'client', records: 1, bytes: 517 }]);
    for (const e of events.slice(1)) s.recv({ type: 'event', session: 'S1', event: e });
    s.recv({ type: 'ended', session: 'S1', reason: 'finished' });
    sv = store.getState().sessions.S1!;
    expect(sv.events).toHaveLength(events.length);
    expect(sv.status).toBe('ended');
    expect(sv.endReason).toBe('finished');
    expect(sv.held).toEqual([]);
    expect(store.getState().playback.playing).toBe(false);
  });

  it('server errors become notices in words (code → key, message and field as detail)', () => {
    const { store, s } = setup();
    s.recv({ type: 'error', code: 'unknown_fault', message: 'no fault "acs-expird"', field: 'config.faults[0]', ref: 'r9' });
    const n = store.getState().notices.at(-1)!;
    expect(n).toMatchObject({ type: 'error', key: 'ws.error.unknown_fault' });
    expect(n.detail).toBe('no fault "acs-expird" (config.faults[0])');
  });

  it('frames that are not protocol messages are reported with where they are wrong, and change nothing else', () => {
    const { store, s } = setup();
    const before = store.getState().sessions;
    s.recv('{not json');
    s.recv({ type: 'event', session: 'S1', event: { ...events[1]!, seq: -1 } } as unknown as ServerMessage);
    s.recv(JSON.stringify({ type: 'teleport' }));
    const n = store.getState().notices;
    expect(n.map((x) => x.key)).toEqual(['ws.invalidMessage', 'ws.invalidMessage', 'ws.invalidMessage']);
    expect(n[0]!.detail).toMatch(/^not JSON/);
    expect(n[1]!.detail).toMatch(/^event: event\.seq/);
    expect(n[2]!.detail).toMatch(/^teleport: type/);
    expect(store.getState().sessions).toBe(before);
  });

  it('a server of another protocol version is named as such', () => {
    const { store, s } = setup();
    s.recv(JSON.stringify({ ...HELLO, protocol: 2 }));
    expect(store.getState().notices.at(-1)!.key).toBe('ws.protocolMismatch');
  });

  it('exports go to the export handler (the app downloads them)', () => {
    const { exports, s } = setup();
    s.recv({ type: 'export', session: 'S1', format: 'keylog', filename: 'x.keys', text: 'CLIENT_RANDOM aa bb\n' });
    expect(exports).toEqual([{ type: 'export', session: 'S1', format: 'keylog', filename: 'x.keys', text: 'CLIENT_RANDOM aa bb\n' }]);
  });

  it('a lost connection: banner state, running sessions cut, reconnection with growing backoff, then back', () => {
    const { store, sockets, timers, s } = setup();
    s.recv(started());
    s.drop();
    let st = store.getState();
    expect(st.connection).toBe('closed');
    expect(st.sessions.S1!.status).toBe('ended');
    expect(st.sessions.S1!.endReason).toBe('failed');
    expect(st.notices.at(-1)!.key).toBe('ws.sessionsCut');
    expect(timers.map((t) => t.ms)).toEqual([BACKOFF_MS[0]]);
    expect(st.reconnectAt).toBe(1000 + BACKOFF_MS[0]);
    expect(sockets.length).toBe(1);
    timers[0]!.cb();
    expect(sockets.length).toBe(2);
    expect(store.getState().connection).toBe('connecting');
    sockets[1]!.drop(); // refused again
    expect(timers.map((t) => t.ms)).toEqual([BACKOFF_MS[0], BACKOFF_MS[1]]);
    timers[1]!.cb();
    sockets[2]!.open();
    sockets[2]!.recv(HELLO);
    st = store.getState();
    expect(st.connection).toBe('open');
    expect(st.reconnectAt).toBeNull();
    sockets[2]!.drop();
    expect(timers.at(-1)!.ms).toBe(BACKOFF_MS[0]); // a successful hello resets the backoff
  });

  it('sending with no connection tells the user instead of failing silently', () => {
    const { store, client, s } = setup();
    s.drop();
    expect(client.step('S1', 'record')).toBe(false);
    expect(store.getState().notices.at(-1)!.key).toBe('ws.offline');
  });

  it('close() stops for good: no reconnection', () => {
    const { timers, client, s } = setup();
    client.close();
    expect(s.closed).toBe(true);
    expect(timers).toHaveLength(0);
  });
});

describe('a service that refuses the page', () => {
  it('connections closing before hello while /healthz answers: the user is told about the join code, once', async () => {
    let probes = 0;
    const { store, sockets, timers, client } = setup({
      url: 'ws://10.0.0.5:8080/ws',
      open: false,
      probe: async () => {
        probes++;
        return true;
      },
    });
    sockets[0]!.drop(); // 401 on the upgrade looks like this in a browser: closed, no hello
    expect(probes).toBe(0); // one failure may be a restart
    timers.shift()!.cb();
    sockets[1]!.drop();
    await Promise.resolve();
    await Promise.resolve();
    expect(probes).toBe(1);
    expect(store.getState().notices.map((n) => n.key)).toEqual(['ws.refusedNoJoin']);
    timers.shift()!.cb();
    sockets[2]!.drop();
    await Promise.resolve();
    expect(probes).toBe(1);
    client.close();
  });

  it('a service that is simply down (the probe fails) is not called a refusal', async () => {
    const { store, sockets, timers, client } = setup({ url: 'ws://h/ws?join=ABCD-EFGH', open: false, probe: async () => false });
    for (let i = 0; i < 3; i++) {
      sockets[i]!.drop();
      await Promise.resolve();
      timers.shift()!.cb();
    }
    expect(store.getState().notices).toEqual([]);
    expect(store.getState().connection).toBe('connecting');
    client.close();
  });
});

describe('wsUrl', () => {
  it('same origin /ws, wss on https, the page’s join code passed on', () => {
    expect(wsUrl({ protocol: 'http:', host: '127.0.0.1:8080', search: '' })).toBe('ws://127.0.0.1:8080/ws');
    expect(wsUrl({ protocol: 'https:', host: 'lab.example', search: '?join=K7QX-M2PD&x=1' })).toBe('wss://lab.example/ws?join=K7QX-M2PD');
  });
});
