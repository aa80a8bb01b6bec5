import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../protocol/events.ts';
import { loadFixture } from './lib/testdata/load.ts';
import {
  createLabStore,
  messagesOf,
  outcomeOf,
  selectCanStep,
  selectCurrent,
  selectHeldRecords,
  selectMessages,
  selectOutcome,
  selectSessionEvent,
} from './store.ts';

/** Real engine events (recorded sessions, see lib/testdata/regen.ts). */
const expired = loadFixture('acs-expired-openssl');
const paper = loadFixture('paper');

function withSession(events: LabEvent[] = [], mode: 'run' | 'step' = 'run') {
  const store = createLabStore();
  store.getState().addSession({ id: 's1', source: 'live', label: 'x', config: null, mode });
  if (events.length) store.getState().pushEvents('s1', events);
  return store;
}

describe('store: sessions', () => {
  it('addSession makes the new session current, keeps the order, and clears the selection', () => {
    const store = withSession();
    store.getState().select(3);
    store.getState().addSession({ id: 's2', source: 'transcript', label: 'file.json', config: null, mode: 'run' });
    const st = store.getState();
    expect(st.order).toEqual(['s1', 's2']);
    expect(st.current).toBe('s2');
    expect(st.selected).toBeNull();
    expect(st.sessions.s2!.status).toBe('running');
  });

  it('pushEvents appends in order, ignores duplicates and replays of older seqs, and takes the config from the session event', () => {
    const store = withSession();
    const st = store.getState();
    st.pushEvents('s1', expired.slice(0, 5));
    st.pushEvents('s1', expired.slice(3, 8)); // overlap: 3,4 are old
    const s = selectCurrent(store.getState())!;
    expect(s.events.map((e) => e.seq)).toEqual(expired.slice(0, 8).map((e) => e.seq));
    expect(s.config?.faults).toEqual(['acs-expired']);
    // Unknown session: nothing changes.
    const before = store.getState().sessions;
    st.pushEvents('nope', expired);
    expect(store.getState().sessions).toBe(before);
  });

  it('selectors: messages (cached per events array), session event, outcome only once it is there', () => {
    const store = withSession(expired.slice(0, -1));
    expect(selectOutcome(store.getState())).toBeNull();
    store.getState().pushEvents('s1', expired.slice(-1));
    const st = store.getState();
    const o = selectOutcome(st)!;
    expect(o.kind).toBe('outcome');
    expect(o.ok).toBe(false);
    expect(selectSessionEvent(st)?.config.verifier).toBe('openssl');
    const m = selectMessages(st);
    expect(m.length).toBe(expired.filter((e) => e.kind === 'message').length);
    expect(selectMessages(store.getState())).toBe(m); // same array while events are unchanged
    expect(messagesOf(paper)).not.toBe(m);
    expect(outcomeOf(paper)?.ok).toBe(true);
  });

  it('held records and selectCanStep: live step sessions can step while running; run sessions never', () => {
    const store = withSession([], 'step');
    expect(selectCanStep(store.getState())).toBe(true);
    store.getState().setHeld('s1', [
      { conn: 0, from: 'client', records: 1, bytes: 300 },
      { conn: 0, from: 'server', records: 2, bytes: 900 },
    ]);
    expect(selectHeldRecords(store.getState())).toBe(3);
    store.getState().endSession('s1', 'finished');
    expect(selectCanStep(store.getState())).toBe(false);
    expect(selectHeldRecords(store.getState())).toBe(0); // ending clears what was held
    const run = withSession([], 'run');
    expect(selectCanStep(run.getState())).toBe(false);
  });

  it('replays can step while events are still hidden', () => {
    const store = createLabStore();
    store.getState().addSession({ id: 't', source: 'transcript', label: 'f', config: null, mode: 'step', pendingEvents: 10 });
    expect(selectCanStep(store.getState())).toBe(true);
    store.getState().setPendingEvents('t', 0);
    expect(selectCanStep(store.getState())).toBe(false);
  });

  it('attachPrediction stores the prediction with the session; removeSession moves current to the newest left', () => {
    const store = withSession();
    store.getState().addSession({ id: 's2', source: 'live', label: '', config: null, mode: 'run' });
    store.getState().attachPrediction('s1', { aborts: 'cpe', alert: 'certificate_expired' });
    expect(store.getState().sessions.s1!.prediction).toEqual({ aborts: 'cpe', alert: 'certificate_expired' });
    store.getState().setCompareWith('s1');
    store.getState().removeSession('s2');
    expect(store.getState().current).toBe('s1');
    store.getState().removeSession('s1');
    const st = store.getState();
    expect(st.current).toBeNull();
    expect(st.compareWith).toBeNull();
    expect(st.order).toEqual([]);
  });
});

describe('store: compare', () => {
  it('a session is never compared with itself: making the compared session current ends the comparison', () => {
    const store = withSession();
    store.getState().addSession({ id: 's2', source: 'live', label: '', config: null, mode: 'run' });
    store.getState().setCompareWith('s1');
    store.getState().setCurrent('s1');
    expect(store.getState()).toMatchObject({ current: 's1', compareWith: null });
    // Forgetting the current session moves current to the compared one: same rule.
    store.getState().setCurrent('s2');
    store.getState().setCompareWith('s1');
    store.getState().removeSession('s2');
    expect(store.getState()).toMatchObject({ current: 's1', compareWith: null });
  });
});

describe('store: settings and notices', () => {
  it('setSetup merges, reset stops playback and clears the view but keeps sessions and setup', () => {
    const store = withSession(expired);
    const st = store.getState();
    st.setSetup({ faults: ['acs-expired'], verifier: 'openssl' });
    st.setPlayback({ playing: true, intervalMs: 500 });
    st.setPrediction({ aborts: 'cpe', alert: null });
    st.reset();
    const after = store.getState();
    expect(after.setup).toMatchObject({ preset: 'tls13', faults: ['acs-expired'], verifier: 'openssl', mode: 'run' });
    expect(after.playback).toEqual({ playing: false, intervalMs: 500 });
    expect(after.current).toBeNull();
    expect(after.prediction).toBeNull();
    expect(after.order).toEqual(['s1']);
  });

  it('notify keeps the five newest, each with a distinct stamp; dismiss removes exactly one', () => {
    const store = createLabStore();
    for (let i = 0; i < 7; i++) store.getState().notify({ type: 'error', key: 'ws.offline', text: `n${i}` });
    const n = store.getState().notices;
    expect(n.map((x) => x.text)).toEqual(['n2', 'n3', 'n4', 'n5', 'n6']);
    expect(new Set(n.map((x) => x.at)).size).toBe(5);
    store.getState().dismissNotice(n[1]!.at);
    expect(store.getState().notices.map((x) => x.text)).toEqual(['n2', 'n4', 'n5', 'n6']);
  });
});
