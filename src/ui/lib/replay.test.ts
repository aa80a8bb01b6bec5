import { describe, expect, it } from 'vitest';
import type { LabEvent, MessageEvent } from '../../protocol/events.ts';
import { createLabStore, messagesOf } from '../store.ts';
import { FRAME_MS, MAX_GAP_MS, preludeEnd, Replay, startReplay, stepEnd } from './replay.ts';
import { loadFixture } from './testdata/load.ts';

const paper = loadFixture('paper');
const tls13 = loadFixture('tls13-connection-request');

function fakeTimers() {
  const q: { cb: () => void; ms: number }[] = [];
  return {
    q,
    timers: { set: (cb: () => void, ms: number) => q.push({ cb, ms }), clear: () => {} },
    /** Runs queued timers until none is left; returns the delays seen. */
    drain() {
      const seen: number[] = [];
      while (q.length) {
        const t = q.shift()!;
        seen.push(t.ms);
        t.cb();
      }
      return seen;
    },
  };
}

/** The records of a session: messages grouped by (connection, sender, record index), in order. */
function records(events: LabEvent[]): MessageEvent[][] {
  const out: MessageEvent[][] = [];
  let key = '';
  for (const m of messagesOf(events)) {
    const k = `${m.conn}/${m.from}/${m.record.index}`;
    if (k !== key) out.push([]);
    key = k;
    out.at(-1)!.push(m);
  }
  return out;
}

describe('stepEnd', () => {
  it('paper mode: a step reveals one record — the ACS’s first flight comes in as many steps as it has records', () => {
    const recs = records(paper);
    let at = preludeEnd(paper);
    expect(paper.slice(0, at).some((e) => e.kind === 'message')).toBe(false);
    const revealed: string[][] = [];
    while (at < paper.length) {
      const end = stepEnd(paper, at, 'record');
      expect(end).toBeGreaterThan(at);
      const names = messagesOf(paper.slice(at, end)).map((m) => m.name);
      if (names.length) revealed.push(names);
      at = end;
    }
    expect(revealed).toEqual(recs.map((r) => r.map((m) => m.name)));
  });

  it('flight steps: each reveals one whole flight (consecutive messages of one sender on one connection)', () => {
    let at = preludeEnd(tls13);
    const flights: string[] = [];
    while (at < tls13.length) {
      const end = stepEnd(tls13, at, 'flight');
      const ms = messagesOf(tls13.slice(at, end));
      if (ms.length) {
        expect(new Set(ms.map((m) => `${m.conn}/${m.from}/${m.flight}`)).size).toBe(1);
        flights.push(`${ms[0]!.from}:${ms.map((m) => m.name).join('+')}`);
      }
      at = end;
    }
    expect(flights[0]).toBe('cpe:ClientHello');
    expect(flights[1]).toMatch(/^acs:ServerHello\+ChangeCipherSpec\+EncryptedExtensions\+CertificateRequest\+Certificate\+CertificateVerify\+Finished/);
  });
});

describe('Replay', () => {
  it('step mode: opens at the prelude, each step one record, the session ends when all is shown', () => {
    const store = createLabStore();
    const { timers } = fakeTimers();
    const r = startReplay(store, { source: 'transcript', label: 'paper.json', events: paper, mode: 'step' }, timers);
    const id = r.id;
    const view = () => store.getState().sessions[id]!;
    expect(store.getState().current).toBe(id);
    expect(view().config?.paper).toBe(true);
    expect(messagesOf(view().events)).toHaveLength(0);
    expect(view().pendingEvents).toBe(paper.length - preludeEnd(paper));
    const recs = records(paper);
    for (let i = 0; i < recs.length; i++) {
      expect(r.step('record')).toBe(true);
      expect(messagesOf(view().events).length).toBe(recs.slice(0, i + 1).flat().length);
    }
    // Whatever follows the last message (outcome) comes with the last step.
    expect(view().events.at(-1)!.kind).toBe('outcome');
    expect(view()).toMatchObject({ status: 'ended', endReason: 'finished', pendingEvents: 0 });
    expect(r.step('record')).toBe(false);
  });

  it('run mode: the recorded pace, every pause capped; reduced motion shows everything at once', () => {
    const store = createLabStore();
    const ft = fakeTimers();
    const r = startReplay(store, { source: 'transcript', label: 'f', events: tls13, mode: 'run' }, ft.timers);
    const delays = ft.drain();
    expect(delays.length).toBeGreaterThan(3);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_GAP_MS);
    expect(store.getState().sessions[r.id]!.events).toHaveLength(tls13.length);
    expect(store.getState().sessions[r.id]!.status).toBe('ended');

    const store2 = createLabStore();
    store2.getState().setReducedMotion(true);
    const ft2 = fakeTimers();
    const r2 = startReplay(store2, { source: 'transcript', label: 'f', events: tls13, mode: 'run' }, ft2.timers);
    expect(ft2.q).toHaveLength(0);
    expect(store2.getState().sessions[r2.id]!.events).toHaveLength(tls13.length);
  });

  it('run mode reveals at most one batch per frame: each batch spans under 16 ms of the recording, batches at least 16 ms apart', () => {
    // A dense recording: 300 events 1 ms apart (a long CWMP session over loopback looks like this).
    const dense: LabEvent[] = Array.from({ length: 300 }, (_, i) => ({ ...tls13[Math.min(i, tls13.length - 2)]!, seq: i, t: i }) as LabEvent);
    const store = createLabStore();
    const batches: number[] = [];
    store.subscribe((st, prev) => {
      const id = st.current!;
      const n = st.sessions[id]?.events.length ?? 0;
      const before = prev.sessions[id]?.events.length ?? 0;
      if (n > before) batches.push(n - before);
    });
    const ft = fakeTimers();
    startReplay(store, { source: 'transcript', label: 'dense', events: dense, mode: 'run' }, ft.timers);
    const delays = ft.drain();
    expect(batches.reduce((a, b) => a + b, 0)).toBe(300);
    expect(Math.max(...batches)).toBeLessThanOrEqual(FRAME_MS);
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(300 / FRAME_MS) + 1);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(FRAME_MS);
    // and the pace is the recording's: about 300 ms in all
    expect(delays.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(280);
    expect(delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(320);
  });

  it('the same transcript opened twice gets two sessions; abort stops a timed replay where it is', () => {
    const store = createLabStore();
    const ft = fakeTimers();
    const a = startReplay(store, { source: 'transcript', label: 'f', events: tls13, mode: 'run' }, ft.timers);
    const b = startReplay(store, { source: 'transcript', label: 'f', events: tls13, mode: 'run' }, ft.timers);
    expect(a.id).not.toBe(b.id);
    const shown = store.getState().sessions[b.id]!.events.length;
    b.abort();
    ft.drain(); // a runs to its end; b does not move
    expect(store.getState().sessions[b.id]).toMatchObject({ status: 'ended', endReason: 'aborted' });
    expect(store.getState().sessions[b.id]!.events).toHaveLength(shown);
    expect(store.getState().sessions[a.id]!.events).toHaveLength(tls13.length);
  });

  it('a replay whose session was removed stops quietly', () => {
    const store = createLabStore();
    store.getState().addSession({ id: 'x', source: 'transcript', label: 'f', config: null, mode: 'step' });
    const r = new Replay(store, 'x', paper);
    r.begin('step', false);
    store.getState().removeSession('x');
    expect(r.step('record')).toBe(true);
    expect(store.getState().sessions.x).toBeUndefined();
  });
});
