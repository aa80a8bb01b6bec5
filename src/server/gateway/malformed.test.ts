import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage, WsErrorCode } from '../../protocol/ws.ts';
import { LabClient } from './client.ts';
import { startGateway, type Gateway } from './server.ts';
import { health, shutdown } from './test-helpers.ts';

let gw: Gateway;
const logged: string[] = [];
beforeAll(async () => {
  gw = await startGateway({ port: 0, log: (l) => logged.push(l) });
});
afterAll(() => shutdown(gw));

type Case = { frame: string | Buffer; binary?: boolean; code: WsErrorCode; field?: string };

const OVERSIZED = JSON.stringify({ type: 'catalog', pad: 'x'.repeat(70_000) });

/** The i-th malformed message and the one error it must get (deterministic mix of every kind). */
function malformed(i: number): Case {
  const k = i % 50;
  // oversized: 2 in 50 (they are 70 kB each)
  if (k === 0) return { frame: OVERSIZED, code: 'too_large' };
  if (k === 1) return { frame: Buffer.alloc(64 * 1024 + 1 + (i % 7), 0x7b), binary: true, code: 'too_large' };
  switch (k % 16) {
    // not JSON
    case 0:
      return { frame: ['', '{', 'nope', '{"type":', '[1,2', 'undefined', "{'type':'catalog'}", '\u0000'][i % 8]!, code: 'bad_json' };
    case 1:
      return { frame: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), code: 'bad_json' }; // a text frame that is not UTF-8
    case 2:
      return { frame: Buffer.from(JSON.stringify({ type: 'catalog' })), binary: true, code: 'bad_json' };
    // unknown type
    case 3:
      return { frame: JSON.stringify({ type: ['launch', 'START', 'hello', 'event', ''][i % 5] }), code: 'bad_message', field: 'type' };
    case 4:
      return { frame: JSON.stringify({ session: 'abc' }), code: 'bad_message', field: 'type' };
    case 5:
      return { frame: ['5', 'null', '[]', '"start"', 'true'][i % 5]!, code: 'bad_message' };
    // schema violations
    case 6:
      return { frame: JSON.stringify({ type: 'step', session: `s${i}`, unit: 'byte' }), code: 'bad_message', field: 'unit' };
    case 7:
      return { frame: JSON.stringify({ type: 'start', config: { tls: '1.4' } }), code: 'bad_message', field: 'config.tls' };
    case 8:
      return { frame: JSON.stringify({ type: 'start', config: {}, extra: i }), code: 'bad_message', field: 'extra' };
    case 9:
      return { frame: JSON.stringify({ type: 'start', config: { faults: ['acs-expired', i] } }), code: 'bad_message', field: 'config.faults[1]' };
    case 10:
      return { frame: JSON.stringify({ type: 'export', session: `s${i}`, format: 'pdf' }), code: 'bad_message', field: 'format' };
    // configurations the engine refuses
    case 11:
      return i % 2
        ? { frame: JSON.stringify({ type: 'start', config: { tls: '1.3', kx: 'rsa' } }), code: 'bad_config', field: 'config.kx' }
        : { frame: JSON.stringify({ type: 'start', config: { rpcs: ['reboot', `frobnicate:${i}`] } }), code: 'bad_config', field: 'config.rpcs[1]' };
    // unknown faults
    case 12:
      return { frame: JSON.stringify({ type: 'start', config: { faults: ['acs-expired', `no-such-fault-${i}`] } }), code: 'unknown_fault', field: 'config.faults[1]' };
    case 13:
      return { frame: JSON.stringify({ type: 'start', config: { faults: ['acs-expired', 'acs-not-yet-valid'] } }), code: 'fault_conflict', field: 'config.faults[1]' };
    // sessions that are not there
    case 14:
      return { frame: JSON.stringify({ type: 'step', session: `nobody-${i}`, unit: 'record' }), code: 'unknown_session', field: 'session' };
    default:
      return { frame: JSON.stringify({ type: ['play', 'abort', 'export'][i % 3], session: `nobody-${i}`, ...(i % 3 === 2 ? { format: 'keylog' } : {}) }), code: 'unknown_session', field: 'session' };
  }
}

describe('10 000 malformed messages', () => {
  it('each gets exactly one error with the right code and field; the server stays healthy and runs sessions', async () => {
    const N = 10_000;
    const bystander = await LabClient.connect(gw.wsUrl);
    const c = await LabClient.connect(gw.wsUrl);
    // A real session on another connection runs while the flood arrives; it must not notice.
    const during = bystander.run({ tls: '1.3' }, 60_000);
    const cases: Case[] = [];
    for (let i = 0; i < N; i++) {
      const m = malformed(i);
      cases.push(m);
      c.sendRaw(m.frame, m.binary === true);
    }
    const got: ServerMessage[] = [];
    for (let i = 0; i < N; i++) got.push(await c.next(() => true, 30_000));
    // Exactly one answer each: nothing more arrives.
    await new Promise((r) => setTimeout(r, 300));
    expect(c.inbox).toHaveLength(0);
    const codes = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const m = got[i]!;
      const want = cases[i]!;
      if (m.type !== 'error' || m.code !== want.code || m.field !== want.field) {
        throw new Error(`message ${i} (${String(want.frame).slice(0, 80)}): expected ${want.code} ${want.field ?? ''}, got ${JSON.stringify(m).slice(0, 300)}`);
      }
      expect(m.message.length).toBeGreaterThan(0);
      codes.set(m.code, (codes.get(m.code) ?? 0) + 1);
    }
    // every kind was exercised
    expect([...codes.keys()].sort()).toEqual(['bad_config', 'bad_json', 'bad_message', 'fault_conflict', 'too_large', 'unknown_fault', 'unknown_session']);
    expect(codes.get('too_large')).toBe(400);
    const suggestion = got.find((m) => m.type === 'error' && m.code === 'unknown_fault');
    expect(suggestion?.type === 'error' && suggestion.message).toContain('did you mean');
    expect(logged.filter((l) => l.includes('internal'))).toEqual([]);

    const r = await during;
    expect(r.endReason).toBe('finished');
    expect(r.events.at(-1)).toMatchObject({ kind: 'outcome', ok: true });
    expect(r.events.map((e) => e.seq)).toEqual(r.events.map((_, i) => i));

    // Still healthy and answering, on the same connection too.
    expect(await health(gw)).toMatchObject({ ok: true, sessions: 0, connections: 2 });
    expect((await c.catalog()).faults.length).toBeGreaterThan(20);
    const after = await c.run({ tls: '1.2', kx: 'ecdhe', cwmp: false });
    expect(after.events.at(-1)).toMatchObject({ kind: 'outcome', ok: true });
    await c.close();
    await bystander.close();
  }, 60_000);

  it('a frame over the hard cap closes only that connection (1009); the server and other clients carry on', async () => {
    const other = await LabClient.connect(gw.wsUrl);
    const c = await LabClient.connect(gw.wsUrl);
    c.sendRaw('x'.repeat(gw.limits.hardMaxFrameBytes + 1));
    expect((await c.whenClosed()).code).toBe(1009);
    expect((await other.catalog()).suites.length).toBeGreaterThan(0);
    expect((await health(gw)).connections).toBe(1);
    await other.close();
  });
});
