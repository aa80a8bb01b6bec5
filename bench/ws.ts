/**
 * The WebSocket service's figures (printed, never asserted): `npx tsx bench/ws.ts [seconds]`, or
 * as part of `npm run bench` (bench/run.ts calls benchWs()).
 *
 *  - Event latency: from the relay seeing a record to a WebSocket client receiving that record's
 *    `message` event, p50 and p95, on an idle server (target p95 ≤ 5 ms on loopback) and under the
 *    load of the next part.
 *  - Load: 100 concurrent WebSocket clients, each running TLS 1.3 sessions back to back for a while
 *    (60 s by default): sessions per second, errors (target 0), peak RSS and RSS per live session.
 *
 * The gateway and its wire worker run in this process, as `npm start` runs them. The clients run in
 * a thread of their own (plain `ws` clients that stamp each frame's arrival, then parse it), standing
 * in for browsers, which never share the server's event loop; their memory is part of the RSS
 * figures, which makes those conservative.
 *
 * How the latency is measured. An event's `t` is ms since the session's t = 0, computed from the
 * wall-clock µs (`nowUs()`: performance.timeOrigin + performance.now()) at which the relay in the
 * wire worker read the bytes. The `session` event's `startedAt` gives t = 0 only to the ms, which is
 * too coarse, so the benchmark wraps the wire host (a gateway option) and notes the exact `tUs` the
 * relay reported when the session's first TCP connection opened; the client receives that
 * connection's `tcp open` event with its `t`, so t = 0 is exactly `tUs − t·1000`. A `message` event
 * with time `t` was seen by the relay at t0 + t·1000 µs; the client stamped the frame's arrival with
 * its own nowUs() before parsing it. All three threads read the same wall clock through
 * performance.timeOrigin; event `t` is rounded to the µs and never runs backwards within a session.
 * A gateway hook (`onEventSend`) also stamps each event just before the gateway serialises and sends
 * it, which splits the latency into the engine's part and the WebSocket's part.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StartConfig } from '../src/protocol/ws.ts';
import { startGateway, type Gateway } from '../src/server/gateway/index.ts';
import { closeLabKeyPool, labKeyPool } from '../src/server/material.ts';
import { closeSharedWireHost, sharedWireHost } from '../src/server/wire/host.ts';
import { nowUs, type WireHost } from '../src/server/wire/protocol.ts';

export interface WsBenchOptions {
  /** Length of the load phase, seconds (default 60). */
  durationS?: number;
  /** Concurrent clients in the load phase (default 100). */
  clients?: number;
  /** Sequential sessions for the idle latency (default 100). */
  latencySessions?: number;
  /** Sessions run through the gateway before the latency is measured (default 500; BENCH_WS_WARMUP). */
  latencyWarmup?: number;
  /** What each session runs (default: TLS 1.3 with the default CWMP session, as the web app starts it). */
  config?: StartConfig;
  out?: (line: string) => void;
}

export interface WsBenchResult {
  idle: { sessions: number; records: number; p50Ms: number; p95Ms: number };
  load: {
    clients: number;
    seconds: number;
    sessions: number;
    sessionsPerSecond: number;
    errors: number;
    errorSamples: string[];
    latency: { records: number; p50Ms: number; p95Ms: number };
    peakLive: number;
    baselineRssMiB: number;
    peakRssMiB: number;
    rssPerLiveSessionMiB: number;
  };
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** The shared wire host, noting when the relay saw each session's first connection open. */
class TimingHost implements WireHost {
  private readonly inner = sharedWireHost();
  readonly openUs = new Map<string, number>();
  /** When the gateway sent each message event ("session:seq" → wall-clock µs); taken out as the client reports it. */
  readonly sentUs = new Map<string, number>();

  start(s: Parameters<WireHost['start']>[0], report: Parameters<WireHost['start']>[1]): void {
    this.inner.start(s, (r) => {
      if (r.type === 'open' && r.conn === 0) this.openUs.set(s.id, r.tUs);
      report(r);
    });
  }
  finish(id: string): void {
    this.inner.finish(id);
    // Kept a while: the client's report of the session arrives after the session is over here.
    setTimeout(() => this.openUs.delete(id), 60_000).unref();
  }
  control(id: string, request: Parameters<WireHost['control']>[1]): void {
    this.inner.control(id, request);
  }
}

/** What the client thread reports per finished session. */
interface SessionReport {
  engineId: string;
  /** `t` of the `tcp open` event of connection 0. */
  openT: number;
  /** The gateway's session id. */
  session: string;
  /** Triples: message event `t` (ms), its seq, arrival (wall-clock µs). */
  samples: number[];
  ok: boolean;
  reason: string;
  summary: string;
}

interface ClientsDone {
  sessions: number;
  errors: number;
  errorSamples: string[];
}

/**
 * The clients' thread (plain JavaScript, evaluated): `clients` WebSocket clients, each running
 * sessions back to back until `sessions` each are done or `untilMs` (performance.now() of this
 * thread's clock, converted from wall clock) has passed; one report per session, one summary at the end.
 */
const CLIENTS_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const WebSocket = require(workerData.wsPath);
const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;
const { url, clients, config, sessions: perClient, untilEpochMs } = workerData;
let sessions = 0, errors = 0; const errorSamples = [];
const fail = (why) => { errors++; if (errorSamples.length < 5) errorSamples.push(why); };
const more = (done) => (perClient ? done < perClient : Date.now() < untilEpochMs);
function client() {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let done = 0, cur = null, ref = 0;
    const next = () => {
      if (!more(done)) { ws.close(1000); return; }
      cur = { session: '', engineId: '', openT: -1, samples: [], ok: false, reason: '', summary: '' };
      ws.send(JSON.stringify({ type: 'start', config, ref: 'r' + ++ref }));
    };
    // Each frame is stamped as it arrives and parsed afterwards: the ws library hands over every frame
    // of one socket read back to back, and parsing frame 1 must not count in frame 2's arrival time.
    const inbox = [];
    ws.on('message', (data) => {
      if (inbox.length === 0) setImmediate(drain);
      inbox.push([data, nowUs()]);
    });
    const drain = () => {
      for (const [data, at] of inbox.splice(0)) handle(data, at);
    };
    const handle = (data, at) => {
      const m = JSON.parse(data.toString());
      if (m.type === 'hello') return next();
      if (m.type === 'started') { cur.session = m.session; return; }
      if (m.type === 'error') { fail(m.code + ': ' + m.message); if (m.ref) { done++; next(); } return; }
      if (m.type === 'event') {
        const e = m.event;
        if (e.kind === 'session') cur.engineId = e.id;
        else if (e.kind === 'tcp' && e.action === 'open' && e.conn === 0) cur.openT = e.t;
        else if (e.kind === 'message') cur.samples.push(e.t, e.seq, at);
        else if (e.kind === 'outcome') { cur.ok = e.ok; cur.summary = e.summary; }
        return;
      }
      if (m.type === 'ended') {
        cur.reason = m.reason;
        if (m.reason === 'finished' && cur.ok) sessions++;
        else fail('session ' + m.reason + (cur.ok ? '' : ': ' + cur.summary));
        parentPort.postMessage({ type: 'session', report: cur });
        done++;
        next();
      }
    };
    ws.on('error', (e) => fail('websocket: ' + e.message));
    ws.on('close', () => resolve());
  });
}
Promise.all(Array.from({ length: clients }, client)).then(() => parentPort.postMessage({ type: 'done', sessions, errors, errorSamples }));
`;

async function runClients(gw: Gateway, host: TimingHost, opts: { clients: number; config: StartConfig; sessions?: number; durationMs?: number }): Promise<ClientsDone & { latenciesMs: number[]; engineMs: number[]; hopMs: number[] }> {
  const wsPath = createRequire(import.meta.url).resolve('ws');
  const worker = new Worker(CLIENTS_THREAD, {
    eval: true,
    workerData: { wsPath, url: gw.wsUrl, clients: opts.clients, config: opts.config, sessions: opts.sessions ?? 0, untilEpochMs: Date.now() + (opts.durationMs ?? 0) },
  });
  const latenciesMs: number[] = [];
  const engineMs: number[] = [];
  const hopMs: number[] = [];
  try {
    return await new Promise((resolve, reject) => {
      worker.on('message', (m: { type: 'session'; report: SessionReport } | ({ type: 'done' } & ClientsDone)) => {
        if (m.type === 'done') {
          resolve({ sessions: m.sessions, errors: m.errors, errorSamples: m.errorSamples, latenciesMs, engineMs, hopMs });
          return;
        }
        const open = host.openUs.get(m.report.engineId);
        if (open === undefined || m.report.openT < 0) return;
        const t0 = open - m.report.openT * 1000;
        const s = m.report.samples;
        for (let i = 0; i < s.length; i += 3) {
          const seen = t0 + s[i]! * 1000;
          const arrived = s[i + 2]!;
          latenciesMs.push((arrived - seen) / 1000);
          const key = `${m.report.session}:${s[i + 1]!}`;
          const sent = host.sentUs.get(key);
          host.sentUs.delete(key);
          if (sent !== undefined) {
            engineMs.push((sent - seen) / 1000);
            hopMs.push((arrived - sent) / 1000);
          }
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the clients' thread exited with code ${code}`)));
    });
  } finally {
    await worker.terminate();
  }
}

const rssMiB = () => process.memoryUsage().rss / 1024 / 1024;

export async function benchWs(options: WsBenchOptions = {}): Promise<WsBenchResult> {
  const out = options.out ?? ((s: string) => console.log(s));
  const durationS = options.durationS ?? 60;
  const nClients = options.clients ?? 100;
  const nLatency = options.latencySessions ?? 100;
  const config: StartConfig = options.config ?? { tls: '1.3' };
  const host = new TimingHost();
  // The per-connection start rate limit (30/min by default) is for a classroom; clients running
  // sessions back to back as fast as they can would reach it within seconds. The other limits
  // (4 per connection, 200 in all) allow 100 clients × 1 session as they are.
  const gw: Gateway = await startGateway({ port: 0, wireHost: host, onEventSend: (session, e) => void (e.kind === 'message' && host.sentUs.set(`${session}:${e.seq}`, nowUs())), limits: { startsPerMinute: 1_000_000 }, log: (l) => out(`  [gateway] ${l}`) });
  await labKeyPool().warm();
  try {
    // ---- idle latency: one client, sessions one after another, after a warm-up (worker, OpenSSL
    // contexts, certificates, and the JIT: V8 keeps optimizing the gateway's and the analysis's code
    // for hundreds of sessions, on background threads that take CPU from the main thread and the
    // wire worker on a 2-core machine; p95 here was 5.2–5.4 ms after 100 warm-up sessions, 4.0–4.1
    // after 500, same code and machine)
    const warmup = options.latencyWarmup ?? Number(process.env.BENCH_WS_WARMUP ?? 500);
    // The same measurement early on (after 100 sessions), for comparison, then the rest of the warm-up.
    const early = Math.min(100, warmup);
    const probed = Math.min(nLatency, warmup - early);
    await runClients(gw, host, { clients: 1, config, sessions: early });
    const before = probed > 0 ? await runClients(gw, host, { clients: 1, config, sessions: probed }) : null;
    if (warmup - early - probed > 0) await runClients(gw, host, { clients: 1, config, sessions: warmup - early - probed });
    const one = await runClients(gw, host, { clients: 1, config, sessions: nLatency });
    const idle = { sessions: nLatency, records: one.latenciesMs.length, p50Ms: quantile(one.latenciesMs, 0.5), p95Ms: quantile(one.latenciesMs, 0.95) };
    out(`WebSocket service (gateway and wire worker in this process, clients in a thread of their own; sessions: ${JSON.stringify(config)})`);
    out(`  event latency, relay saw the record → client received its event, idle server (${idle.sessions} sessions after ${warmup} warm-up sessions, ${idle.records} records):`);
    out(`    p50 ${idle.p50Ms.toFixed(3)} ms  p95 ${idle.p95Ms.toFixed(3)} ms   (target p95 ≤ 5 ms)${one.errors ? `  [${one.errors} errors: ${one.errorSamples[0]}]` : ''}`);
    out(`    of which relay → the gateway has the event (worker → main thread, decoding): p50 ${quantile(one.engineMs, 0.5).toFixed(3)} ms  p95 ${quantile(one.engineMs, 0.95).toFixed(3)} ms;`);
    out(`             gateway → client (JSON, WebSocket send, loopback, client thread): p50 ${quantile(one.hopMs, 0.5).toFixed(3)} ms  p95 ${quantile(one.hopMs, 0.95).toFixed(3)} ms`);
    if (before) out(`    early on (the ${probed} sessions after the first ${early}, while V8 is still optimizing): p50 ${quantile(before.latenciesMs, 0.5).toFixed(3)} ms  p95 ${quantile(before.latenciesMs, 0.95).toFixed(3)} ms`);

    // ---- load: N clients, sessions back to back
    global.gc?.();
    const baselineRss = rssMiB();
    let peakRss = baselineRss;
    let peakLive = 0;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssMiB());
      peakLive = Math.max(peakLive, gw.health().sessions);
    }, 100);
    const t0 = performance.now();
    const r = await runClients(gw, host, { clients: nClients, config, durationMs: durationS * 1000 });
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const load = {
      clients: nClients,
      seconds,
      sessions: r.sessions,
      sessionsPerSecond: r.sessions / seconds,
      errors: r.errors,
      errorSamples: r.errorSamples,
      latency: { records: r.latenciesMs.length, p50Ms: quantile(r.latenciesMs, 0.5), p95Ms: quantile(r.latenciesMs, 0.95) },
      peakLive,
      baselineRssMiB: baselineRss,
      peakRssMiB: peakRss,
      rssPerLiveSessionMiB: (peakRss - baselineRss) / Math.max(1, peakLive),
    };
    out(`  ${nClients} clients × back-to-back sessions for ${seconds.toFixed(1)} s: ${r.sessions} sessions ok, ${load.sessionsPerSecond.toFixed(1)} sessions/s, errors ${r.errors} (target 0)`);
    for (const s of r.errorSamples) out(`    error: ${s}`);
    out(`    event latency under this load (${load.latency.records} records): p50 ${load.latency.p50Ms.toFixed(2)} ms  p95 ${load.latency.p95Ms.toFixed(2)} ms`);
    out(`    RSS ${baselineRss.toFixed(1)} MiB before → peak ${peakRss.toFixed(1)} MiB with up to ${peakLive} live sessions ≈ ${load.rssPerLiveSessionMiB.toFixed(2)} MiB per live session (clients' thread included)`);
    return { idle, load };
  } finally {
    await gw.close();
  }
}

// Standalone: npx tsx bench/ws.ts [seconds]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const durationS = process.argv[2] ? Number(process.argv[2]) : undefined;
  benchWs(durationS !== undefined ? { durationS } : {})
    .then(async () => {
      await closeLabKeyPool();
      await closeSharedWireHost();
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
