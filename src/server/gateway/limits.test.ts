import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LabClient, ServerError } from './client.ts';
import { TokenBucket } from './limits.ts';
import { startGateway, type Gateway } from './server.ts';
import { health, shutdown, until } from './test-helpers.ts';

const gateways: Gateway[] = [];
async function gateway(limits: Parameters<typeof startGateway>[0] = {}): Promise<Gateway> {
  const g = await startGateway({ port: 0, ...limits });
  gateways.push(g);
  return g;
}
afterAll(() => shutdown(...gateways));

const held = { tls: '1.3', cwmp: false, mode: 'step' } as const;

describe('session limits', () => {
  it('busy past the per-connection and the total limit; a slot frees when a session ends; sessions end with their WebSocket', async () => {
    const gw = await gateway({ limits: { sessionsPerConnection: 2, sessionsTotal: 3 } });
    const a = await LabClient.connect(gw.wsUrl);
    const b = await LabClient.connect(gw.wsUrl);
    const a1 = await a.start(held);
    const a2 = await a.start(held);
    await expect(a.start(held)).rejects.toMatchObject({ reply: { code: 'busy' } });
    const b1 = await b.start(held);
    const err = await b.start(held).catch((e: ServerError) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).reply).toMatchObject({ code: 'busy', ref: expect.any(String) });
    expect((err as ServerError).reply.message).toContain('the server');
    expect((await health(gw)).sessions).toBe(3);

    // someone else's session is not yours to step
    b.send({ type: 'step', session: a1.session, unit: 'record' });
    expect(await b.next((m) => m.type === 'error')).toMatchObject({ code: 'unknown_session', session: a1.session });

    a2.abort();
    expect(await a2.ended).toBe('aborted');
    const b2 = await b.start(held); // the total has room again
    // closing A's WebSocket ends A's sessions (and only those)
    await a.close();
    expect(await until(async () => (await health(gw)).sessions === 2)).toBe(true);
    expect(a1.endReason).toBeNull(); // A never heard: it was gone
    b1.play();
    b2.play();
    expect(await b1.ended).toBe('finished');
    expect(await b2.ended).toBe('finished');
    expect(b1.events.at(-1)).toMatchObject({ kind: 'outcome', ok: true });
    await b.close();
  });

  it('rate_limited past the starts per minute, per connection; the connection stays usable', async () => {
    const gw = await gateway({ limits: { startsPerMinute: 3 } });
    const a = await LabClient.connect(gw.wsUrl);
    for (let i = 0; i < 3; i++) await a.run({ tls: '1.3', cwmp: false });
    const e = (await a.start({ tls: '1.3', cwmp: false }).catch((x: ServerError) => x)) as ServerError;
    expect(e.reply.code).toBe('rate_limited');
    expect(e.reply.message).toMatch(/at most 3 a minute.*try again in \d+ s/);
    // bad input is still answered for what it is, not with rate_limited
    await expect(a.start({ faults: ['nope'] })).rejects.toMatchObject({ reply: { code: 'unknown_fault' } });
    expect((await a.catalog()).faults.length).toBeGreaterThan(0);
    // another connection has its own budget
    const b = await LabClient.connect(gw.wsUrl);
    expect((await b.run({ tls: '1.3', cwmp: false })).endReason).toBe('finished');
    await a.close();
    await b.close();
  });

  it('the token bucket refills over time', () => {
    let now = 0;
    const t = new TokenBucket(3, 3, () => now);
    expect([t.take(), t.take(), t.take(), t.take()]).toEqual([true, true, true, false]);
    expect(t.retryAfterMs()).toBe(20_000);
    now = 19_999;
    expect(t.take()).toBe(false);
    now = 40_000;
    expect(t.take()).toBe(true);
    now = 10_000_000;
    expect([t.take(), t.take(), t.take(), t.take()]).toEqual([true, true, true, false]); // never more than the burst
  });

  it('too_large past 64 KiB keeps the connection; exactly 64 KiB is fine', async () => {
    const gw = await gateway();
    const a = await LabClient.connect(gw.wsUrl);
    const exact = '{"type":"catalog"}'.padEnd(64 * 1024, ' ');
    expect(Buffer.byteLength(exact)).toBe(gw.limits.maxMessageBytes);
    a.sendRaw(exact);
    expect((await a.next()).type).toBe('catalog');
    a.sendRaw(exact + ' ');
    expect(await a.next()).toMatchObject({ type: 'error', code: 'too_large' });
    expect((await a.run({ tls: '1.3', cwmp: false })).endReason).toBe('finished');
    await a.close();
  });

  it('finished sessions kept for export are bounded per connection and in all, oldest forgotten first', async () => {
    const gw = await gateway({ limits: { finishedPerConnection: 2, finishedTotal: 3 } });
    const a = await LabClient.connect(gw.wsUrl);
    const b = await LabClient.connect(gw.wsUrl);
    const cfg = { tls: '1.3', cwmp: false } as const;
    const a1 = await a.run(cfg);
    const a2 = await a.run(cfg);
    const a3 = await a.run(cfg); // a1 leaves: 2 per connection
    await expect(a.export(a1.session, 'keylog')).rejects.toMatchObject({ reply: { code: 'unknown_session' } });
    const b1 = await b.run(cfg);
    const b2 = await b.run(cfg); // 4 kept in all > 3: the oldest (a2) leaves, whoever kept it
    await expect(a.export(a2.session, 'keylog')).rejects.toMatchObject({ reply: { code: 'unknown_session' } });
    for (const [c, r] of [[a, a3], [b, b1], [b, b2]] as const) expect((await c.export(r.session, 'keylog')).text).toContain('CLIENT_HANDSHAKE_TRAFFIC_SECRET');
    // a closed connection gives its kept sessions' room back
    await b.close();
    const a4 = await a.run(cfg);
    const a5 = await a.run(cfg);
    for (const r of [a4, a5]) expect((await a.export(r.session, 'keylog')).text).toContain('SERVER_TRAFFIC_SECRET_0');
    await expect(a.export(a3.session, 'keylog')).rejects.toMatchObject({ reply: { code: 'unknown_session' } });
    await a.close();
  });

  it('a step-mode session nobody touches ends with an idle outcome', async () => {
    const gw = await gateway({ limits: { stepIdleMs: 400 } });
    const a = await LabClient.connect(gw.wsUrl);
    const s = await a.start(held);
    expect(await s.ended).toBe('idle');
    expect(s.events.at(-1)).toMatchObject({ kind: 'outcome', ok: false, abort: { kind: 'stopped', reason: 'idle' } });
    expect((await health(gw)).sessions).toBe(0);
    await a.close();
  });

  it('a client that stops reading is disconnected, its sessions aborted', async () => {
    const gw = await gateway({ limits: { maxBufferedBytes: 64 * 1024, startsPerMinute: 100 } });
    const a = await LabClient.connect(gw.wsUrl);
    const other = await LabClient.connect(gw.wsUrl);
    // Pause reading on A's socket: what the server sends piles up until the limit.
    (a.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let i = 0; i < 200; i++) a.send({ type: 'catalog' }); // ~1 MB of answers
    expect(await until(async () => (await health(gw)).connections === 1, 10_000)).toBe(true);
    expect((await other.catalog()).faults.length).toBeGreaterThan(0);
    await other.close();
    a.ws.terminate();
  });

  it('many slow readers together: past the process-wide send-buffer limit stalled clients are cut off (largest backlog first); the client that reads stays', async () => {
    // Each client may hold 64 MiB, all of them together 1 MiB: three stalled clients cannot all stay.
    const gw = await gateway({ limits: { maxBufferedBytes: 64 * 1024 * 1024, maxBufferedTotalBytes: 1024 * 1024, startsPerMinute: 100 } });
    const reader = await LabClient.connect(gw.wsUrl);
    const stalled = await Promise.all([0, 1, 2].map(() => LabClient.connect(gw.wsUrl)));
    for (const c of stalled) (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = stalled.map((c) => new Promise<boolean>((r) => c.ws.once('close', () => r(true))));
    // A catalog answer is ~40 KiB: 400 of them are ~16 MiB for each stalled client, well under its own
    // limit but, once the kernel's socket buffers are full (a few MiB on loopback), over the total.
    expect(JSON.stringify(await reader.catalog()).length).toBeGreaterThan(30_000);
    for (const c of stalled) for (let i = 0; i < 400; i++) c.send({ type: 'catalog' });
    // At least one stalled client is cut off; not all three may stay.
    expect(await until(async () => (await health(gw)).connections < 4, 10_000)).toBe(true);
    // Reading again, a cut-off client finds its connection closed.
    for (const c of stalled) (c.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const gone = (await Promise.all(closed.map((p) => Promise.race([p, new Promise<boolean>((r) => setTimeout(() => r(false), 2000))])))).filter(Boolean).length;
    expect(gone).toBeGreaterThanOrEqual(1);
    // The client that reads is never the one cut off, and it still gets answers.
    expect((await reader.catalog()).faults.length).toBeGreaterThan(0);
    expect(reader.ws.readyState).toBe(reader.ws.OPEN);
    await reader.close();
    for (const c of stalled) c.ws.terminate();
  });

  it('past the process-wide limit, a client that stopped reading goes before one that just got a big burst', async () => {
    const gw = await gateway({ limits: { maxBufferedBytes: 64 * 1024 * 1024, maxBufferedTotalBytes: 42 * 1024 * 1024, startsPerMinute: 100 } });
    const pause = (c: LabClient) => (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const closedOnServer = async () => (await health(gw)).connections;
    // A stops reading with ~16 MiB sent to it (10–14 MiB left in the server once the kernel's buffers are full) …
    const a = await LabClient.connect(gw.wsUrl);
    pause(a);
    for (let i = 0; i < 400; i++) a.send({ type: 'catalog' });
    // … and has made no progress for over a second when B, until now keeping up, is sent ~40 MiB at once.
    await new Promise((r) => setTimeout(r, 1500));
    const b = await LabClient.connect(gw.wsUrl);
    expect(await closedOnServer()).toBe(2);
    pause(b);
    for (let i = 0; i < 1000; i++) b.send({ type: 'catalog' });
    // The total passes 42 MiB while B's burst piles up: A goes, B (under the limit on its own) stays.
    expect(await until(async () => (await closedOnServer()) === 1, 10_000)).toBe(true);
    const aClosed = new Promise<boolean>((r) => a.ws.once('close', () => r(true)));
    (a.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await Promise.race([aClosed, new Promise<boolean>((r) => setTimeout(() => r(false), 3000))])).toBe(true);
    (b.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(b.ws.readyState).toBe(b.ws.OPEN);
    await b.close();
  }, 30_000);

  it('heartbeat: a client that stops answering pings is disconnected and its sessions end; a live one stays', async () => {
    const gw = await gateway({ limits: { heartbeatMs: 150 } });
    const alive = await LabClient.connect(gw.wsUrl);
    const dead = new WebSocket(gw.wsUrl, { autoPong: false });
    await new Promise((r) => dead.once('message', r)); // hello
    dead.send(JSON.stringify({ type: 'start', config: held }));
    expect(await until(async () => (await health(gw)).sessions === 1, 5000)).toBe(true);
    const closed = await new Promise<number>((r) => dead.once('close', (code) => r(code)));
    expect(closed).toBe(1006); // terminated, no close frame
    expect(await until(async () => (await health(gw)).sessions === 0, 5000)).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect((await alive.catalog()).faults.length).toBeGreaterThan(0);
    expect((await health(gw)).connections).toBe(1);
    await alive.close();
  });
});
