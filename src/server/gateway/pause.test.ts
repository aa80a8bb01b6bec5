import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent, MessageEvent } from '../../protocol/events.ts';
import { LabClient, type LiveRun } from './client.ts';
import { startGateway, type Gateway } from './server.ts';
import { health, shutdown } from './test-helpers.ts';

/**
 * Real step-through survives a long pause: a TLS 1.3 session (with its CWMP session) held by the
 * relay for three minutes of real time — longer than any TLS handshake, HTTP keep-alive, headers
 * or request timeout would allow — then stepped to its end, record by record, in order.
 * This file takes about 3.5 minutes; it runs in parallel with the other test files.
 */
const PAUSE_MS = 180_000;

let gw: Gateway;
beforeAll(async () => {
  gw = await startGateway({ port: 0 });
});
afterAll(() => shutdown(gw));

const messages = (events: LabEvent[]) => events.filter((e): e is MessageEvent => e.kind === 'message');
/** Per connection and direction: the message names in order. */
function lanes(events: LabEvent[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of messages(events)) (out[`${m.conn}:${m.from}`] ??= []).push(m.name);
  return out;
}

async function stepToEnd(s: LiveRun): Promise<number> {
  let steps = 0;
  while (s.endReason === null) {
    const pending = s.held.at(-1) ?? [];
    if (pending.length === 0) {
      await s.until(() => s.pending.length > 0 || s.endReason !== null, 10_000);
      continue;
    }
    const before = s.held.length;
    s.step('record');
    steps++;
    await s.until(() => s.held.length > before || s.endReason !== null, 10_000);
    if (steps > 500) throw new Error('the session does not end');
  }
  return steps;
}

describe('step mode: a long pause', () => {
  it(
    'holds a TLS 1.3 session for 3 minutes, then completes it with the records released in order',
    async () => {
      const c = await LabClient.connect(gw.wsUrl);
      // The same session in run mode, for the order each side sends its messages in.
      const reference = await c.run({ tls: '1.3' });
      expect(reference.events.at(-1)).toMatchObject({ kind: 'outcome', ok: true });

      const s = await c.start({ tls: '1.3', mode: 'step' });
      await s.until(() => s.pending.length > 0);
      s.step('record'); // the ClientHello goes through
      await s.until(() => s.pending.some((p) => p.from === 'server'), 10_000);
      const before = messages(s.events).length;
      expect(messages(s.events).map((m) => m.name)).toEqual(['ClientHello']);

      await new Promise((r) => setTimeout(r, PAUSE_MS));

      // Nothing moved while paused, and the session is still alive with its server flight held.
      expect(messages(s.events)).toHaveLength(before);
      expect(s.endReason).toBeNull();
      expect(s.held.at(-1)?.some((p) => p.from === 'server' && p.records > 0)).toBe(true);
      expect((await health(gw)).sessions).toBe(1);

      const steps = await stepToEnd(s);
      expect(s.endReason).toBe('finished');
      const outcome = s.events.at(-1);
      expect(outcome, JSON.stringify(outcome).slice(0, 400)).toMatchObject({ kind: 'outcome', ok: true, abort: null, negotiated: { version: 'TLS 1.3' } });
      // no endpoint gave up while it waited
      expect(s.events.filter((e) => e.kind === 'endpoint' && e.what === 'error')).toEqual([]);
      // in order: events numbered without gaps, each side's records in sequence, each side's messages as in run mode
      expect(s.events.map((e) => e.seq)).toEqual(s.events.map((_, i) => i));
      const byLane = new Map<string, number[]>();
      for (const m of messages(s.events)) {
        const k = `${m.conn}:${m.from}`;
        byLane.set(k, [...(byLane.get(k) ?? []), m.record.index]);
      }
      for (const [k, idx] of byLane) {
        for (let i = 1; i < idx.length; i++) expect(idx[i]! - idx[i - 1]!, `${k} record order`).toBeGreaterThanOrEqual(0);
        for (let i = 1; i < idx.length; i++) expect(idx[i]! - idx[i - 1]!, `${k} no record skipped`).toBeLessThanOrEqual(1);
      }
      expect(lanes(s.events)).toEqual(lanes(reference.events));
      // one step per record: as many steps as records released after the first
      const records = new Set(messages(s.events).map((m) => `${m.conn}:${m.from}:${m.record.index}`));
      expect(steps).toBeGreaterThanOrEqual(records.size - 1);
      await c.close();
    },
    PAUSE_MS + 60_000,
  );
});
