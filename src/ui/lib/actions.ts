import type { ExportFormat } from '../../protocol/ws.ts';
import { labStore, selectCurrent, selectHeldRecords, type LabStoreApi } from '../store.ts';
import { certificatesPem, download, fileStem, sessionEventOf, type DownloadFile } from './downloads.ts';
import { forgetReplay, replayOf, transcriptOf } from './replay.ts';
import { startConfig } from './setup.ts';
import { getAppSocket } from './ws-client.ts';

/**
 * What the controls, the keyboard and the playground do. One place, so a key press and a click do
 * exactly the same thing; live sessions go to the service, replays to their Replay.
 */

export function run(store: LabStoreApi = labStore): boolean {
  const st = store.getState();
  const ws = getAppSocket();
  if (!ws) {
    st.notify({ type: 'error', key: 'ws.offline', text: 'not connected to the lab service' });
    return false;
  }
  if (st.playback.playing) st.setPlayback({ playing: false });
  const config = startConfig(st.setup, st.catalog);
  return ws.start(config, { prediction: st.prediction, label: st.setup.faults.join(' + ') }) !== null;
}

/** Releases the next record (or flight) of the current session. False when there is nothing to step. */
export function step(store: LabStoreApi = labStore): boolean {
  const st = store.getState();
  const cur = selectCurrent(st);
  if (!cur || cur.status !== 'running') return false;
  if (cur.source === 'live') {
    if (cur.mode !== 'step' || selectHeldRecords(st) === 0) return false;
    return getAppSocket()?.step(cur.id, st.stepUnit) ?? false;
  }
  return replayOf(cur.id)?.step(st.stepUnit) ?? false;
}

export function togglePlay(store: LabStoreApi = labStore): void {
  const st = store.getState();
  st.setPlayback({ playing: !st.playback.playing });
}

/** Releases everything (live: `play`; replay: the rest at the recorded pace). */
export function finish(store: LabStoreApi = labStore): boolean {
  const st = store.getState();
  const cur = selectCurrent(st);
  if (!cur || cur.status !== 'running') return false;
  st.setPlayback({ playing: false });
  if (cur.source === 'live') return getAppSocket()?.play(cur.id) ?? false;
  const r = replayOf(cur.id);
  if (!r) return false;
  r.runToEnd(st.reducedMotion);
  return true;
}

export function abort(store: LabStoreApi = labStore): boolean {
  const st = store.getState();
  const cur = selectCurrent(st);
  if (!cur || cur.status !== 'running') return false;
  st.setPlayback({ playing: false });
  if (cur.source === 'live') return getAppSocket()?.abort(cur.id) ?? false;
  replayOf(cur.id)?.abort();
  return true;
}

/** Clears the board: aborts what is running here, stops playback, no session selected (the list keeps them). */
export function reset(store: LabStoreApi = labStore): void {
  abort(store);
  store.getState().reset();
}

export function forget(id: string, store: LabStoreApi = labStore): void {
  const s = store.getState().sessions[id];
  if (s?.status === 'running') {
    if (s.source === 'live') getAppSocket()?.abort(id);
  }
  forgetReplay(id);
  store.getState().removeSession(id);
}

/** Exports the current session: from the service for live sessions, from the transcript for replays. */
export function exportAs(format: ExportFormat | 'pem', store: LabStoreApi = labStore, save: (f: DownloadFile) => void = download): boolean {
  const st = store.getState();
  const cur = selectCurrent(st);
  if (!cur) return false;
  if (format === 'pem') {
    const ev = sessionEventOf(cur.events);
    if (!ev) {
      st.notify({ type: 'error', key: 'export.noCertificates', text: 'this session has no certificates to export' });
      return false;
    }
    save({ name: `${fileStem(ev.id)}-certificates.pem`, type: 'application/x-pem-file', data: certificatesPem(ev) });
    return true;
  }
  if (cur.source === 'live') {
    if (cur.status === 'running') {
      st.notify({ type: 'error', key: 'ws.error.not_finished', text: 'the session is still running' });
      return false;
    }
    return getAppSocket()?.requestExport(cur.id, format) ?? false;
  }
  const tr = transcriptOf(cur.id);
  if (!tr) {
    st.notify({ type: 'error', key: 'export.notFromCapture', text: 'an imported capture is already a file: only its certificates can be exported' });
    return false;
  }
  const stem = fileStem(sessionEventOf(tr.events)?.id ?? cur.id);
  if (format === 'transcript') save({ name: `${stem}.json`, type: 'application/json', data: `${JSON.stringify(tr, null, 1)}\n` });
  else if (format === 'keylog') save({ name: `${stem}.keys`, type: 'text/plain', data: tr.keyLog });
  else {
    import('./transcript-pcapng.ts')
      .then(({ transcriptPcapng }) => save({ name: `${stem}.pcapng`, type: 'application/vnd.tcpdump.pcap', data: transcriptPcapng(tr) }))
      .catch((e: unknown) => st.notify({ type: 'error', key: 'export.failed', text: (e as Error).message, detail: (e as Error).message }));
  }
  return true;
}
