import type { LabStoreApi } from '../store.ts';
import { CaptureImportError, noticeKey, openCaptureFile, type ImportedSession } from './capture-client.ts';
import { startReplay } from './replay.ts';

/**
 * A real capture (pcap/pcapng, with its key log embedded or as a file) opened like a live session:
 * the import worker reads it with the same decoders, each session it finds is replayed through the
 * store (step mode: one record per step), its notices (no keys, gaps, other streams…) are shown in
 * words, and a file it cannot read says why.
 */
export async function openCapture(
  store: LabStoreApi,
  file: File,
  keylog: File | undefined,
  mode: 'run' | 'step',
  open: typeof openCaptureFile = openCaptureFile,
): Promise<ImportedSession[]> {
  const st = store.getState();
  st.setImporting({ name: file.name, fraction: 0 });
  let sessions: ImportedSession[];
  try {
    sessions = await open(file, keylog, { onProgress: (p) => store.getState().setImporting({ name: file.name, fraction: p.fraction }) });
  } catch (e) {
    if (e instanceof CaptureImportError) st.notify({ type: 'error', key: e.key, params: { name: file.name, ...e.params }, text: e.message, detail: e.message });
    else st.notify({ type: 'error', key: 'capture.error.ERR_INTERNAL', params: { name: file.name, message: String(e) }, text: String(e), detail: String(e) });
    return [];
  } finally {
    store.getState().setImporting(null);
  }
  if (sessions.length === 0) {
    st.notify({ type: 'error', key: 'capture.error.ERR_NO_TLS', params: { name: file.name }, text: `${file.name}: no session found` });
    return [];
  }
  const hosts = [...new Set(sessions.map((s) => `${s.hosts.cpe} ↔ ${s.hosts.acs}`))].join(', ');
  st.notify({ type: 'info', key: 'capture.imported', params: { name: file.name, sessions: sessions.length, hosts }, text: `${file.name}: ${sessions.length} session(s)` });
  // Notices once each (capture-wide ones are copied into every session).
  const said = new Set<string>();
  for (const s of sessions) {
    for (const n of s.notices) {
      const k = `${n.code}|${n.conn}|${JSON.stringify(n.params)}`;
      if (said.has(k)) continue;
      said.add(k);
      st.notify({ type: 'error', key: noticeKey(n), params: Object.fromEntries(Object.entries(n.params)), text: n.message, detail: n.message });
    }
  }
  // The first session ends up current (each new one becomes current, so add them last to first).
  for (const s of [...sessions].reverse()) {
    const label = sessions.length > 1 ? `${file.name} #${s.index + 1}` : file.name;
    startReplay(store, { source: 'capture', label, events: s.events, mode, unknown: s.unknown });
  }
  return sessions;
}
