import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientMessageSchema, ServerMessageSchema, type ClientMessage } from '../../protocol/ws.ts';
import { LabClient } from './client.ts';
import { startGateway, type Gateway } from './server.ts';
import { fieldPath } from './connection.ts';
import { sharedWireHost } from '../wire/host.ts';
import { delayedHost, health, shutdown } from './test-helpers.ts';

let gw: Gateway;
beforeAll(async () => {
  gw = await startGateway({ port: 0, limits: { startsPerMinute: 1000 } });
});
afterAll(() => shutdown(gw));

/** The value with every object's keys sorted (zod rebuilds objects in schema order). */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sortKeys(x)]));
}

const roundTrip = <T>(schema: { parse(x: unknown): T }, m: T): T => schema.parse(JSON.parse(JSON.stringify(m)));

describe('client messages', () => {
  const samples: ClientMessage[] = [
    { type: 'start', config: {} },
    {
      type: 'start',
      ref: 'a-1',
      config: { tls: '1.2', kx: 'rsa', cipher: 'TLS_RSA_WITH_AES_256_GCM_SHA384', paper: true, faults: ['acs-expired', 'cpe-wrong-eku'], verifier: 'openssl', cwmp: false, rpcs: ['reboot'], connectionRequest: 'bad-credentials', serverAuthOnly: true, mode: 'step' },
    },
    { type: 'step', session: 'abc', unit: 'record' },
    { type: 'step', session: 'abc', unit: 'flight' },
    { type: 'play', session: 'abc' },
    { type: 'abort', session: 'abc' },
    { type: 'export', session: 'abc', format: 'pcapng' },
    { type: 'export', session: 'abc', format: 'keylog' },
    { type: 'export', session: 'abc', format: 'transcript' },
    { type: 'catalog' },
  ];
  it('every type survives JSON and zod unchanged', () => {
    expect(new Set(samples.map((m) => m.type))).toEqual(new Set(ClientMessageSchema.options.map((o) => o.shape.type.value)));
    for (const m of samples) expect(roundTrip(ClientMessageSchema, m)).toEqual(m);
  });
  it('zod paths become field names', () => {
    expect(fieldPath(['config', 'faults', 1])).toBe('config.faults[1]');
    expect(fieldPath(['type'])).toBe('type');
    expect(fieldPath([])).toBe('');
  });
});

describe('server messages from a live server', () => {
  it('every type the server sends parses with ServerMessageSchema and survives JSON unchanged', async () => {
    const frames: string[] = [];
    const c = await LabClient.connect(gw.wsUrl, { onFrame: (t) => frames.push(t) });
    // catalog, error
    await c.catalog();
    c.send({ type: 'play', session: 'nobody' });
    await c.next((m) => m.type === 'error');
    // run mode: started, event (every kind of a CWMP session), ended, the three exports
    const r = await c.run({ tls: '1.3', rpcs: ['gpv:Device.DeviceInfo.SoftwareVersion'] });
    for (const f of ['pcapng', 'keylog', 'transcript'] as const) await c.export(r.session, f);
    // step mode: held
    const s = await c.start({ tls: '1.3', cwmp: false, mode: 'step' });
    await s.until(() => s.pending.length > 0);
    s.play();
    await s.ended;

    const seen = new Set<string>();
    for (const text of frames) {
      const m = ServerMessageSchema.parse(JSON.parse(text));
      seen.add(m.type === 'export' ? `export:${m.format}` : m.type);
      // nothing the schema does not know about travels (zod would strip it), and JSON changes nothing
      const same = JSON.stringify(sortKeys(m)) === JSON.stringify(sortKeys(JSON.parse(text))) && JSON.stringify(sortKeys(roundTrip(ServerMessageSchema, m))) === JSON.stringify(sortKeys(m));
      expect(same, `${m.type} differs after parsing: ${text.slice(0, 200)}`).toBe(true);
    }
    expect([...seen].sort()).toEqual(['catalog', 'ended', 'error', 'event', 'export:keylog', 'export:pcapng', 'export:transcript', 'held', 'hello', 'started']);
    const kinds = new Set(r.events.map((e) => e.kind));
    for (const k of ['session', 'tcp', 'message', 'secret', 'endpoint', 'http', 'cwmp', 'outcome']) expect(kinds, k).toContain(k);
    await c.close();
  });
});

describe('each client message gets its answer', () => {
  it('step releases one record at a time; play runs to the end; abort ends with a stopped outcome', async () => {
    const c = await LabClient.connect(gw.wsUrl);
    const s = await c.start({ tls: '1.3', cwmp: false, mode: 'step' }, 20_000);
    expect(s.started.mode).toBe('step');
    await s.until(() => s.pending.length > 0);
    expect(s.pending).toMatchObject([{ conn: 0, from: 'client', records: 1 }]);
    expect(s.events.filter((e) => e.kind === 'message')).toEqual([]); // held on the wire: nobody saw it yet
    s.step('record');
    await s.until(() => s.events.some((e) => e.kind === 'message'));
    expect(s.events.find((e) => e.kind === 'message')).toMatchObject({ name: 'ClientHello', from: 'cpe' });
    // the server's first flight arrives and is held, not forwarded
    await s.until(() => s.pending.some((p) => p.from === 'server'));
    expect(s.events.filter((e) => e.kind === 'message')).toHaveLength(1);
    s.step('flight');
    await s.until(() => s.events.some((e) => e.kind === 'message' && e.name === 'Finished' && e.from === 'acs'));
    s.play();
    expect(await s.ended).toBe('finished');
    expect(s.events.at(-1)).toMatchObject({ kind: 'outcome', ok: true });

    const a = await c.start({ tls: '1.3', cwmp: false, mode: 'step' });
    await a.until(() => a.pending.length > 0);
    a.abort();
    expect(await a.ended).toBe('aborted');
    expect(a.events.at(-1)).toMatchObject({ kind: 'outcome', ok: false, abort: { kind: 'stopped', reason: 'user' } });

    // after the end: step, play and abort say the session is finished; export works
    for (const type of ['step', 'play', 'abort'] as const) {
      c.send(type === 'step' ? { type, session: a.session, unit: 'record' } : { type, session: a.session });
      expect(await c.next((m) => m.type === 'error')).toMatchObject({ code: 'session_finished', field: 'session', session: a.session });
    }
    expect((await c.export(a.session, 'transcript')).transcript.events.at(-1)).toMatchObject({ kind: 'outcome' });
    await c.close();
  });

  it('run-mode sessions cannot be stepped (not_stepping); a running session cannot be exported (not_finished)', async () => {
    // Wire sides that start half a second late keep a run-mode session live long enough to ask.
    const slow = await startGateway({ port: 0, wireHost: delayedHost(500) });
    const c = await LabClient.connect(slow.wsUrl);
    try {
      const r = await c.start({ tls: '1.3', mode: 'run', cwmp: false });
      c.send({ type: 'step', session: r.session, unit: 'record' });
      expect(await c.next((m) => m.type === 'error')).toMatchObject({ code: 'not_stepping', field: 'session', session: r.session });
      c.send({ type: 'play', session: r.session });
      expect(await c.next((m) => m.type === 'error')).toMatchObject({ code: 'not_stepping', session: r.session });
      c.send({ type: 'export', session: r.session, format: 'pcapng' });
      expect(await c.next((m) => m.type === 'error')).toMatchObject({ code: 'not_finished', session: r.session });
      expect(await r.ended).toBe('finished');
      expect((await c.export(r.session, 'keylog')).text).toContain('CLIENT_HANDSHAKE_TRAFFIC_SECRET');
    } finally {
      await c.close();
      await slow.close();
    }
  });

  it('a step while nothing is held is answered at once with an empty held, and releases nothing', async () => {
    // Wire sides that start half a second late: for that long the relay holds nothing.
    const slow = await startGateway({ port: 0, wireHost: delayedHost(500) });
    const c = await LabClient.connect(slow.wsUrl);
    try {
      const s = await c.start({ tls: '1.3', cwmp: false, mode: 'step' });
      s.step('record');
      expect(await s.waitFor((m) => m.type === 'held', 300)).toMatchObject({ type: 'held', pending: [] });
      // the step was not kept for later: the ClientHello, once it comes, waits for a step of its own
      await s.until(() => s.pending.length > 0);
      await new Promise((r) => setTimeout(r, 200));
      expect(s.pending).toMatchObject([{ conn: 0, from: 'client', records: 1 }]);
      expect(s.events.filter((e) => e.kind === 'message')).toEqual([]);
      s.abort();
      expect(await s.ended).toBe('aborted');
    } finally {
      await c.close();
      await slow.close();
    }
  });

  it('an exception while handling a message is an internal error; the connection and the session carry on', async () => {
    const inner = sharedWireHost();
    const logs: string[] = [];
    // A wire host whose `release` throws: the gateway's step handler meets an exception it did not expect.
    const broken = await startGateway({
      port: 0,
      log: (l) => logs.push(l),
      wireHost: {
        start: (w, report) => inner.start(w, report),
        finish: (id) => inner.finish(id),
        control: (id, request) => {
          if (request.type === 'release') throw new Error('injected fault');
          inner.control(id, request);
        },
      },
    });
    const c = await LabClient.connect(broken.wsUrl);
    try {
      const s = await c.start({ tls: '1.3', cwmp: false, mode: 'step' });
      await s.until(() => s.pending.length > 0);
      s.step('record');
      expect(await c.next((m) => m.type === 'error')).toMatchObject({ code: 'internal', session: s.session });
      expect(logs.join('\n')).toContain('injected fault');
      expect((await c.catalog()).verifiers).toContain('node');
      s.play();
      expect(await s.ended).toBe('finished');
      expect(s.events.at(-1)).toMatchObject({ kind: 'outcome', ok: true });
    } finally {
      await c.close();
      await broken.close();
    }
  });

  it('a session whose endpoints cannot start: session_failed, ended failed, nothing to export', async () => {
    const failing = await startGateway({
      port: 0,
      wireHost: {
        start: (_w, report) => setImmediate(() => report({ type: 'failed', message: 'the ACS key does not match its certificate' })),
        finish: () => {},
        control: () => {},
      },
    });
    const c = await LabClient.connect(failing.wsUrl);
    try {
      const s = await c.start({ tls: '1.3' });
      expect(await s.ended).toBe('failed');
      expect(s.errors[0]).toMatchObject({ code: 'session_failed', session: s.session });
      expect(s.errors[0]!.message).toContain('the ACS key does not match its certificate');
      await expect(c.export(s.session, 'pcapng')).rejects.toMatchObject({ reply: { code: 'session_failed' } });
      expect((await health(failing)).sessions).toBe(0);
    } finally {
      await c.close();
      await failing.close();
    }
  });
});
