import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent, MessageEvent, OutcomeEvent } from '../protocol/events.ts';
import { RecordDeframer } from '../protocol/tls/deframer.ts';
import type { StepUnit } from '../protocol/ws.ts';
import { requireTool } from '../../test/tools.ts';
import { SessionControl, type HeldState } from './control.ts';
import { scenarioFor, wireScenario } from './faults.ts';
import { resolveConfig, type ModeRequest } from './modes.ts';
import { labForTests } from './test-lab.ts';
import { runSession, type RunOptions, type SessionMaterial, type SessionResult } from './session.ts';
import type { WireScenario } from './wire/protocol.ts';
import { InProcessWireHost } from './wire/host.ts';

const hasOpenssl = requireTool('openssl', 'openssl', 'step mode with the openssl verifier');

const lab = labForTests();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** A step-mode session whose events are tagged with the number of steps taken before each was emitted. */
function startStepped(req: ModeRequest, options: RunOptions = {}, input: SessionMaterial | WireScenario = lab.material) {
  const control = new SessionControl('step');
  const tagged: { step: number; e: LabEvent }[] = [];
  let steps = 0;
  // Releases the relay reported: a held state in which some lane holds fewer records than before.
  // (Any change of the held state is not enough: an endpoint's next record arriving at the relay is
  // one too, and the release's own events may still be on their way.) Data and the held state come
  // in one batch, data first, so once a release is seen here its events have been emitted.
  let releases = 0;
  let last: HeldState[] = [];
  control.onHeld((held) => {
    const count = (h: HeldState[], l: HeldState) => h.find((x) => x.conn === l.conn && x.from === l.from)?.records ?? 0;
    if (last.some((l) => count(held, l) < l.records)) releases++;
    last = held;
  });
  let finished = false;
  const run = runSession(resolveConfig(req), input, (e) => tagged.push({ step: steps, e }), { ...options, control }).finally(() => {
    finished = true;
  });
  const s = {
    control,
    run,
    tagged,
    get steps() {
      return steps;
    },
    get finished() {
      return finished;
    },
    messages: () => tagged.map((t) => t.e).filter((e): e is MessageEvent => e.kind === 'message'),
    /** Waits until something is held, steps once, and waits until the relay reported the change. */
    async step(unit: StepUnit): Promise<boolean> {
      await waitFor('a held record', () => finished || control.pending.length > 0);
      if (finished) return false;
      const before = releases;
      expect(control.step(unit)).toBe(true);
      steps++;
      await waitFor('the relay to report the release', () => finished || releases > before);
      return true;
    },
    /** Steps until the session ends; `before(n)` runs before the n-th step (from 0). */
    async drive(unit: StepUnit, before?: (n: number) => Promise<void> | void): Promise<SessionResult> {
      for (;;) {
        await waitFor('a held record', () => finished || control.pending.length > 0);
        if (finished) break;
        await before?.(steps);
        if (!(await s.step(unit))) break;
      }
      return run;
    },
  };
  return s;
}

const names = (r: SessionResult, from: 'cpe' | 'acs') =>
  r.events.filter((e): e is MessageEvent => e.kind === 'message' && e.from === from && e.conn === 0).map((m) => (m.name === 'Alert' ? `Alert(${m.alert?.description})` : m.name));

/** Every TLS chunk the relay forwarded was exactly one whole record. */
function everyDataIsOneRecord(r: SessionResult): number {
  let n = 0;
  for (const c of r.wire.connections) {
    for (const ev of c.events) {
      if (ev.kind !== 'data') continue;
      const d = new RecordDeframer();
      const recs = d.push(ev.bytes);
      expect(recs.length).toBe(1);
      expect(d.pending).toBe(0);
      n++;
    }
  }
  return n;
}

function expectOk(o: OutcomeEvent): void {
  expect(o.summary).toMatch(/succeeded/);
  expect(o.ok).toBe(true);
  expect(o.abort).toBeNull();
}

async function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

/** This process's `openssl` children (s_server is started through `sh -c exec`, so it is named openssl too). */
function opensslChildren(): number[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there is no child at all
  }
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, comm]) => comm === 'openssl')
    .map(([pid]) => Number(pid));
}

describe('step mode: the relay holds every record until a step', () => {
  let runMode: SessionResult;
  beforeAll(async () => {
    runMode = await runSession(resolveConfig({}), lab.material);
    expectOk(runMode.outcome);
  });

  it('holds the ClientHello until the first step, then releases record by record in wire order', async () => {
    const s = startStepped({});
    await waitFor('the ClientHello at the relay', () => s.control.pending.length > 0);
    await sleep(300); // time enough for anything not held to go through
    expect(s.control.pending).toEqual([{ conn: 0, from: 'client', records: 1, bytes: expect.any(Number) }]);
    expect(s.messages()).toEqual([]);

    await s.step('record');
    await waitFor('the ServerHello at the relay', () => s.control.pending.some((h) => h.from === 'server'));
    expect(s.messages().map((m) => m.name)).toEqual(['ClientHello']);

    const r = await s.drive('record');
    expectOk(r.outcome);
    // The same conversation as in run mode.
    expect(names(r, 'cpe')).toEqual(names(runMode, 'cpe'));
    expect(names(r, 'acs')).toEqual(names(runMode, 'acs'));
    // One record per step: each forwarded chunk is one record, and each step's messages come from that one record.
    const forwarded = everyDataIsOneRecord(r);
    expect(forwarded).toBe(s.steps);
    const groups = new Map<number, MessageEvent[]>();
    for (const { step, e } of s.tagged) if (e.kind === 'message') groups.set(step, [...(groups.get(step) ?? []), e]);
    const lastIndex = new Map<string, number>();
    for (const [, ms] of [...groups].sort(([a], [b]) => a - b)) {
      const lanes = new Set(ms.map((m) => `${m.conn}/${m.from}/${m.record.index}`));
      expect(lanes.size).toBe(1);
      const m = ms[0]!;
      const key = `${m.conn}/${m.from}`;
      expect(m.record.index).toBeGreaterThan(lastIndex.get(key) ?? -1); // wire order within each direction
      lastIndex.set(key, m.record.index);
    }
    // Events come out in release order: their times never go back.
    const ts = r.events.map((e) => e.t);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(s.control.pending).toEqual([]);
    expect(s.control.step('record')).toBe(false); // the session is over
  });

  it('flight by flight: one step releases the whole server flight', async () => {
    const s = startStepped({});
    const serverFlight = ['ServerHello', 'EncryptedExtensions', 'CertificateRequest', 'Certificate', 'CertificateVerify', 'Finished'];
    const r = await s.drive('flight', (n) => {
      if (n !== 2) return;
      // After two steps (ClientHello, the server's flight) the CPE's answer is what waits.
      expect(s.control.pending.map((h) => `${h.conn}/${h.from}`)).toEqual(['0/client']);
      const acs = s.messages().filter((m) => m.from === 'acs').map((m) => m.name);
      for (const name of serverFlight) expect(acs).toContain(name);
      expect(s.messages().filter((m) => m.from === 'cpe').map((m) => m.name)).toEqual(['ClientHello']);
    });
    expectOk(r.outcome);
    expect(names(r, 'cpe')).toEqual(names(runMode, 'cpe'));
    expect(names(r, 'acs')).toEqual(names(runMode, 'acs'));
    expect(s.steps).toBeLessThan(everyDataIsOneRecord(r));
  });

  it('play releases everything and the session runs to its end', async () => {
    const s = startStepped({});
    await s.step('record');
    await s.step('record');
    await waitFor('a held record', () => s.control.pending.length > 0);
    expect(s.control.play()).toBe(true);
    const r = await s.run;
    expectOk(r.outcome);
    expect(s.control.step('record')).toBe(false);
  });

  it('a pause longer than HTTP keep-alive (Node: 5 s + 1 s) between CWMP requests does not break the session', async () => {
    const s = startStepped({}, { idleMs: 9000 });
    let paused = 0;
    const r = await s.drive('record', async () => {
      if (paused || !s.tagged.some((t) => t.e.kind === 'cwmp' && t.e.rpc === 'InformResponse')) return;
      paused = Date.now();
      await sleep(6500);
    });
    expect(paused).toBeGreaterThan(0);
    expectOk(r.outcome);
    expect(names(r, 'cpe')).toEqual(names(runMode, 'cpe'));
  });

  it('nobody steps for the idle limit: the session ends, stopped (idle)', async () => {
    const s = startStepped({}, { idleMs: 600 });
    await s.step('record');
    const r = await s.run;
    expect(r.outcome.ok).toBe(false);
    expect(r.outcome.abort).toEqual({ kind: 'stopped', reason: 'idle' });
    expect(r.outcome.abortedBy).toBeNull();
    expect(r.outcome.summary).toMatch(/^Ended after 600 ms without a step before the handshake finished/);
    expect(r.events.at(-1)!.kind).toBe('outcome');
  });

  it('abort mid-handshake: stopped (user), and every socket, port and wire session is gone', async () => {
    const host = new InProcessWireHost();
    const before = process.getActiveResourcesInfo().filter((x) => x.startsWith('TCP')).length;
    const s = startStepped({}, { host });
    await s.step('record');
    await s.step('record');
    await waitFor('a held record', () => s.control.pending.length > 0);
    const session = s.tagged.find((t) => t.e.kind === 'session')!.e;
    if (session.kind !== 'session') throw new Error('no session event');
    expect(host.sessionCount).toBe(1);
    expect(await refused(session.endpoints.relay.port)).toBe(false);
    expect(s.control.abort('user')).toBe(true);
    const r = await s.run;
    expect(r.outcome.abort).toEqual({ kind: 'stopped', reason: 'user' });
    expect(r.outcome.ok).toBe(false);
    expect(r.outcome.summary).toMatch(/^Stopped by the user before the handshake finished/);
    expect(host.sessionCount).toBe(0);
    expect(s.control.pending).toEqual([]);
    expect(s.control.abort('user')).toBe(false);
    await sleep(50);
    expect(await refused(session.endpoints.relay.port)).toBe(true);
    expect(await refused(session.endpoints.acs.port)).toBe(true);
    await waitFor('the sockets to close', () => process.getActiveResourcesInfo().filter((x) => x.startsWith('TCP')).length <= before, 2000);
  });

  it('an abort before the session starts ends it as soon as it starts', async () => {
    const control = new SessionControl('step');
    expect(control.abort('disconnected')).toBe(false);
    const r = await runSession(resolveConfig({}), lab.material, undefined, { control });
    expect(r.outcome.abort).toEqual({ kind: 'stopped', reason: 'disconnected' });
    expect(r.outcome.summary).toMatch(/^Stopped because the client disconnected/);
  });

  it('paper mode (TLS 1.2 static RSA) steps record by record to the same conversation', async () => {
    const run = await runSession(resolveConfig({ paper: true }), lab.material);
    const s = startStepped({ paper: true });
    const r = await s.drive('record');
    expectOk(r.outcome);
    expect(r.outcome.negotiated.version).toBe('TLS 1.2');
    expect(names(r, 'cpe')).toEqual(names(run, 'cpe'));
    expect(names(r, 'acs')).toEqual(names(run, 'acs'));
    expect(everyDataIsOneRecord(r)).toBe(s.steps);
  });
});

describe('step mode: plain connections and failing handshakes', () => {
  it('the Connection Request (plain HTTP, ACS → CPE) is held per chunk and stepped like the rest', async () => {
    const run = await runSession(resolveConfig({ connectionRequest: 'on' }), lab.material);
    expectOk(run.outcome);
    const s = startStepped({ connectionRequest: 'on' });
    const plainHeld = new Set<number>();
    s.control.onHeld((held) => {
      const plain = s.tagged.filter((t) => t.e.kind === 'tcp' && t.e.action === 'open' && t.e.from === 'acs').map((t) => (t.e.kind === 'tcp' ? t.e.conn : -1));
      for (const h of held) if (plain.includes(h.conn)) plainHeld.add(h.conn);
    });
    const r = await s.drive('record');
    expectOk(r.outcome);
    expect(plainHeld.size).toBeGreaterThan(0);
    const http = (x: SessionResult) => x.events.filter((e) => e.kind === 'http' && e.plain).map((e) => (e.kind === 'http' ? `${e.from}:${e.request?.method ?? e.response?.status}` : ''));
    expect(http(r)).toEqual(http(run));
    expect(http(r)).toEqual(['acs:GET', 'cpe:401', 'acs:GET', 'cpe:200']);
  });

  it.each(['cpe-no-certificate', 'mitm'])('%s: the same outcome as in run mode, and each FIN follows the records its sender sent before it', async (fault) => {
    const config = resolveConfig({ faults: [fault] });
    const scenario = wireScenario(await scenarioFor(config));
    const run = await runSession(config, scenario);
    // The session event names what the attacker showed the CPE: its own chain, not the ACS's.
    const certs = run.events[0]!.kind === 'session' ? run.events[0]!.certificates : null;
    if (fault === 'mitm') {
      expect(certs?.attacker?.chain).toEqual(scenario.attacker!.chain);
      expect(certs?.attacker?.chain[0]).not.toBe(certs?.acs.chain[0]);
    } else expect(certs?.attacker).toBeUndefined();
    const s = startStepped({ faults: [fault] }, {}, scenario);
    const r = await s.drive('record');
    for (const k of ['ok', 'abort', 'abortedBy', 'compromised', 'summary'] as const) expect(r.outcome[k]).toEqual(run.outcome[k]);
    const halfCloses = r.events.filter((e) => e.kind === 'tcp' && e.action === 'half-close');
    expect(halfCloses.length).toBeGreaterThan(0);
    for (const fin of halfCloses) {
      if (fin.kind !== 'tcp') continue;
      const lastRecord = r.events.findLastIndex((e) => e.kind === 'message' && e.conn === fin.conn && e.from === fin.from);
      expect(lastRecord).toBeLessThan(r.events.indexOf(fin));
    }
  });
});

describe.runIf(hasOpenssl)('step mode with the openssl verifier', () => {
  it('steps an openssl s_client ⇄ s_server session record by record, with a pause', async () => {
    const run = await runSession(resolveConfig({ verifier: 'openssl' }), lab.material);
    expectOk(run.outcome);
    const s = startStepped({ verifier: 'openssl' }, { idleMs: 5000 });
    const r = await s.drive('record', (n) => (n === 3 ? sleep(1500) : undefined));
    expectOk(r.outcome);
    expect(names(r, 'cpe')).toEqual(names(run, 'cpe'));
    expect(names(r, 'acs')).toEqual(names(run, 'acs'));
  });

  it('abort mid-handshake leaves no openssl process behind', async () => {
    const s = startStepped({ verifier: 'openssl' });
    await s.step('record');
    await waitFor('a held record', () => s.control.pending.length > 0);
    await waitFor('s_server and s_client', () => opensslChildren().length === 2, 5000);
    s.control.abort('user');
    const r = await s.run;
    expect(r.outcome.abort).toEqual({ kind: 'stopped', reason: 'user' });
    await waitFor('the openssl processes to exit', () => opensslChildren().length === 0, 3000);
  });
});
