import { describe, expect, it } from 'vitest';
import { createLabStore, messagesOf } from '../store.ts';
import { installPlayback } from './playback.ts';
import { startReplay } from './replay.ts';
import { LabSocket, setAppSocket } from './ws-client.ts';
import { loadFixture } from './testdata/load.ts';

const paper = loadFixture('paper');

/** setInterval/clearInterval stand-ins: tick() fires the running interval once. */
function fakeInterval() {
  let cb: (() => void) | null = null;
  let ms = 0;
  let cleared = 0;
  return {
    timers: {
      set: ((f: () => void, t: number) => {
        cb = f;
        ms = t;
        return 1 as unknown as ReturnType<typeof setInterval>;
      }) as unknown as typeof setInterval,
      clear: (() => {
        cb = null;
        cleared++;
      }) as unknown as typeof clearInterval,
    },
    tick: () => cb?.(),
    get ms() {
      return ms;
    },
    get running() {
      return cb !== null;
    },
    get cleared() {
      return cleared;
    },
  };
}

describe('Play/Pause (client-side stepping)', () => {
  it('plays a step-mode replay one record per interval, at the chosen speed, and stops by itself at the end', () => {
    const store = createLabStore();
    const fi = fakeInterval();
    const stop = installPlayback(store, fi.timers);
    const r = startReplay(store, { source: 'transcript', label: 'f', events: paper, mode: 'step' }, { set: () => 0, clear: () => {} });
    const shown = () => messagesOf(store.getState().sessions[r.id]!.events).length;
    store.getState().setPlayback({ playing: true, intervalMs: 500 });
    expect(fi.ms).toBe(500);
    expect(shown()).toBe(1); // the first step happens at once
    fi.tick();
    expect(shown()).toBe(2);
    store.getState().setPlayback({ intervalMs: 250 }); // speed change: restarted at the new interval
    expect(fi.ms).toBe(250);
    expect(shown()).toBe(3);
    store.getState().setPlayback({ playing: false });
    expect(fi.running).toBe(false);
    fi.tick();
    expect(shown()).toBe(3);
    store.getState().setPlayback({ playing: true });
    for (let i = 0; i < 100 && store.getState().playback.playing; i++) fi.tick();
    expect(store.getState().sessions[r.id]!.status).toBe('ended');
    expect(shown()).toBe(messagesOf(paper).length);
    expect(store.getState().playback.playing).toBe(false);
    expect(fi.running).toBe(false);
    stop();
  });

  it('switching to another session stops playing; a live run-mode session cannot be played', () => {
    const store = createLabStore();
    const fi = fakeInterval();
    installPlayback(store, fi.timers);
    const r = startReplay(store, { source: 'transcript', label: 'f', events: paper, mode: 'step' }, { set: () => 0, clear: () => {} });
    store.getState().setPlayback({ playing: true });
    store.getState().addSession({ id: 'live1', source: 'live', label: '', config: null, mode: 'run' });
    expect(store.getState().playback.playing).toBe(false);
    expect(fi.running).toBe(false);
    store.getState().setPlayback({ playing: true });
    expect(store.getState().playback.playing).toBe(false);
    expect(messagesOf(store.getState().sessions[r.id]!.events).length).toBe(1);
  });

  it('a live step session is stepped only while the relay holds a record', () => {
    const store = createLabStore();
    const sent: unknown[] = [];
    const socket = new LabSocket({
      url: 'ws://x/ws',
      store,
      createSocket: () => ({ readyState: 1, send: (d: string) => sent.push(JSON.parse(d)), close: () => {}, onopen: null, onmessage: null, onclose: null, onerror: null }),
    });
    socket.connect();
    setAppSocket(socket);
    try {
      const fi = fakeInterval();
      installPlayback(store, fi.timers);
      store.getState().addSession({ id: 'L', source: 'live', label: '', config: null, mode: 'step' });
      store.getState().setStepUnit('flight');
      store.getState().setPlayback({ playing: true, intervalMs: 1000 });
      fi.tick(); // nothing held yet (the endpoints are still computing): no step sent
      expect(sent).toEqual([]);
      store.getState().setHeld('L', [{ conn: 0, from: 'client', records: 1, bytes: 100 }]);
      fi.tick();
      expect(sent).toEqual([{ type: 'step', session: 'L', unit: 'flight' }]);
      store.getState().endSession('L', 'finished');
      fi.tick();
      expect(store.getState().playback.playing).toBe(false);
      expect(sent).toHaveLength(1);
    } finally {
      setAppSocket(null);
      socket.close();
    }
  });
});
