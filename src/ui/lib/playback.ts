import { labStore, selectCurrent, selectHeldRecords, type LabStoreApi } from '../store.ts';
import { step } from './actions.ts';

/**
 * Play/Pause for step-mode sessions, on the client: while playing, one `step` (record or flight)
 * every `intervalMs`. A live session is stepped only when the relay holds something (the endpoints
 * may still be computing the next flight); playback stops when the session ends or the user switches.
 */
export function installPlayback(store: LabStoreApi = labStore, timers = { set: setInterval, clear: clearInterval }): () => void {
  let handle: ReturnType<typeof setInterval> | null = null;
  let interval = 0;
  let playingId: string | null = null;

  const stop = () => {
    if (handle !== null) timers.clear(handle);
    handle = null;
  };
  const tick = () => {
    const st = store.getState();
    const cur = selectCurrent(st);
    if (!cur || cur.id !== playingId || cur.status !== 'running') {
      st.setPlayback({ playing: false });
      return;
    }
    if (cur.source === 'live' && selectHeldRecords(st) === 0) return;
    step(store);
  };
  const sync = () => {
    const st = store.getState();
    const want = st.playback.playing;
    if (!want) {
      stop();
      playingId = null;
      return;
    }
    const cur = selectCurrent(st);
    if (!cur || cur.status !== 'running' || (cur.source === 'live' && cur.mode !== 'step')) {
      stop();
      if (st.playback.playing) st.setPlayback({ playing: false });
      return;
    }
    if (handle !== null && interval === st.playback.intervalMs && playingId === cur.id) return;
    stop();
    playingId = cur.id;
    interval = st.playback.intervalMs;
    handle = timers.set(tick, interval);
    tick();
  };
  const unsub = store.subscribe((s, prev) => {
    if (s.playback !== prev.playback || s.current !== prev.current) sync();
  });
  return () => {
    unsub();
    stop();
  };
}
