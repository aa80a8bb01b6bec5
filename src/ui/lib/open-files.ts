import { parseTranscript, TranscriptError } from '../../protocol/transcript.ts';
import { labStore, type LabStoreApi } from '../store.ts';
import { startReplay } from './replay.ts';

/**
 * Opening files (the Open button and drag-and-drop): a transcript JSON is replayed with no backend;
 * a pcap/pcapng (with an optional SSLKEYLOGFILE) goes to the capture importer. Anything else gets a
 * clear message saying what the file is not.
 */

export type FileKind = 'transcript' | 'capture' | 'keylog' | 'unknown' | 'empty';

/** What a file is, from its first bytes (names lie; magic numbers do not). */
export function sniff(head: Uint8Array): FileKind {
  if (head.length === 0) return 'empty';
  const b = (i: number) => head[i] ?? -1;
  const be = ((b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3)) >>> 0;
  // pcapng Section Header Block; classic pcap in either byte order, µs or ns timestamps.
  if (be === 0x0a0d0d0a) return 'capture';
  if (be === 0xa1b2c3d4 || be === 0xd4c3b2a1 || be === 0xa1b23c4d || be === 0x4d3cb2a1) return 'capture';
  let i = 0;
  if (b(0) === 0xef && b(1) === 0xbb && b(2) === 0xbf) i = 3; // UTF-8 BOM
  while (i < head.length && (b(i) === 0x20 || b(i) === 0x0a || b(i) === 0x0d || b(i) === 0x09)) i++;
  if (b(i) === 0x7b /* { */) return 'transcript';
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(i, Math.min(head.length, i + 512)));
  if (/^(#[^\n]*\n\s*)*(CLIENT_RANDOM|CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_TRAFFIC_SECRET_0|SERVER_TRAFFIC_SECRET_0|EXPORTER_SECRET|RSA) /.test(text)) return 'keylog';
  return 'unknown';
}

async function head(file: Blob, n = 4096): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(0, n).arrayBuffer());
}

export interface CaptureOpener {
  (store: LabStoreApi, capture: File, keylog: File | undefined, mode: 'run' | 'step'): Promise<void>;
}

/** The real importer, loaded on first use (its worker and schemas stay out of the initial bundle). */
const defaultCaptureOpener: CaptureOpener = async (store, capture, keylog, mode) => {
  await (await import('./capture-open.ts')).openCapture(store, capture, keylog, mode);
};

let captureOpener: CaptureOpener = defaultCaptureOpener;
/** Tests put a stand-in here; null restores the real importer. */
export function setCaptureOpener(f: CaptureOpener | null): void {
  captureOpener = f ?? defaultCaptureOpener;
}

export async function openTranscriptFile(file: Blob & { name: string }, store: LabStoreApi = labStore): Promise<boolean> {
  const st = store.getState();
  let transcript;
  try {
    transcript = parseTranscript(await file.text());
  } catch (e) {
    const code = e instanceof TranscriptError ? e.code : 'ERR_TRANSCRIPT_READ';
    st.notify({ type: 'error', key: 'files.badTranscript', params: { name: file.name, code }, text: (e as Error).message, detail: (e as Error).message });
    return false;
  }
  if (!transcript.events.some((e) => e.kind === 'message')) {
    st.notify({ type: 'error', key: 'files.emptyTranscript', params: { name: file.name }, text: 'the transcript has no TLS messages' });
    return false;
  }
  startReplay(store, { source: 'transcript', label: file.name, events: transcript.events, mode: st.setup.mode, transcript });
  return true;
}

/** Opens what the user chose or dropped. */
export async function openFiles(files: readonly (Blob & { name: string })[], store: LabStoreApi = labStore): Promise<void> {
  const st = store.getState();
  if (files.length === 0) return;
  const kinds = await Promise.all(files.map(async (f) => ({ f, kind: sniff(await head(f)) })));
  const captures = kinds.filter((k) => k.kind === 'capture');
  const keylogs = kinds.filter((k) => k.kind === 'keylog');
  for (const k of kinds) {
    if (k.kind === 'empty') st.notify({ type: 'error', key: 'files.empty', params: { name: k.f.name }, text: `${k.f.name} is empty` });
    else if (k.kind === 'unknown') st.notify({ type: 'error', key: 'files.unknown', params: { name: k.f.name }, text: `${k.f.name} is neither a transcript nor a capture` });
  }
  if (keylogs.length && !captures.length) {
    st.notify({ type: 'error', key: 'files.keylogAlone', params: { name: keylogs[0]!.f.name }, text: 'a key log alone cannot be shown' });
  }
  if (captures.length > 1) st.notify({ type: 'error', key: 'files.oneCapture', text: 'open one capture at a time' });
  for (const k of kinds) if (k.kind === 'transcript') await openTranscriptFile(k.f, store);
  const cap = captures[0];
  if (cap) await captureOpener(store, cap.f as File, keylogs[0]?.f as File | undefined, st.setup.mode);
}
