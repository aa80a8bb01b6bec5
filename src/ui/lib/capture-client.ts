import type { ImportedSession } from '../../capture/import.ts';
import type { CaptureNotice } from '../../capture/errors.ts';
import { CaptureResponse, MAX_KEYLOG_CHARS, type CaptureRequest } from '../../capture/worker-protocol.ts';

export type { ImportedSession, CaptureNotice };

/**
 * Opening a real capture in the browser: the file goes to workers/capture.worker.ts (transferred,
 * not copied), which reads it with the same decoders as live sessions; the page stays responsive
 * and gets progress, then the imported sessions. Failures are CaptureImportError with an i18n key
 * and its parameters (src/ui/i18n/capture.ts), so the UI says why in the user's language.
 */

/** The largest capture opened in the browser (the worker holds the file and its events in memory). */
export const MAX_CAPTURE_BYTES = 512 * 1024 * 1024;

export interface CaptureProgress {
  bytes: number;
  total: number;
  packets: number;
  /** 0..1 */
  fraction: number;
}

/** What the client needs of a Worker (the real one, or a stand-in in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  terminate(): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  onerror: ((e: unknown) => void) | null;
}

export interface OpenCaptureOptions {
  onProgress?: (p: CaptureProgress) => void;
  signal?: AbortSignal;
  /** Default: the module worker workers/capture.worker.ts. */
  createWorker?: () => WorkerLike;
}

export class CaptureImportError extends Error {
  override readonly name = 'CaptureImportError';
  constructor(
    /** Stable code: the capture reader's (ERR_NOT_A_CAPTURE …) or the client's (ERR_TOO_LARGE, ERR_WORKER, ERR_ABORTED, ERR_READ). */
    readonly code: string,
    /** i18n key of the sentence to show, e.g. capture.error.ERR_TRUNCATED_CAPTURE.packet. */
    readonly key: string,
    readonly params: Record<string, string | number>,
    message: string,
  ) {
    super(message);
  }
}

/** The i18n key for an error: some codes have a more precise sentence per hint or place in the file. */
export function errorKey(code: string, params: Record<string, string | number>): string {
  if (code === 'ERR_NOT_A_CAPTURE' && ['empty', 'gzip', 'keylog', 'json', 'text'].includes(String(params.hint))) return `capture.error.${code}.${params.hint}`;
  if ((code === 'ERR_TRUNCATED_CAPTURE' || code === 'ERR_BAD_CAPTURE') && ['header', 'packet', 'block'].includes(String(params.unit))) return `capture.error.${code}.${params.unit}`;
  return `capture.error.${code}`;
}

/** The i18n key of a notice shown beside an imported session. */
export function noticeKey(n: CaptureNotice): string {
  return `capture.notice.${n.code}`;
}

function fail(code: string, params: Record<string, string | number>, message: string): CaptureImportError {
  return new CaptureImportError(code, errorKey(code, params), params, message);
}

const mb = (n: number) => Math.round((n / (1024 * 1024)) * 10) / 10;

function defaultWorker(): WorkerLike {
  return new Worker(new URL('../../../workers/capture.worker.ts', import.meta.url), { type: 'module', name: 'capture-import' }) as unknown as WorkerLike;
}

let nextId = 1;

/**
 * Reads a pcap/pcapng file (and an optional SSLKEYLOGFILE, as a File or its text) into imported
 * sessions: LabEvents like a live session's, one session per pair of hosts.
 */
export async function openCaptureFile(file: File, keylog?: File | string, options: OpenCaptureOptions = {}): Promise<ImportedSession[]> {
  if (file.size > MAX_CAPTURE_BYTES) throw fail('ERR_TOO_LARGE', { size: mb(file.size), max: mb(MAX_CAPTURE_BYTES), name: file.name }, `${file.name} is ${mb(file.size)} MB, above ${mb(MAX_CAPTURE_BYTES)} MB`);
  if (typeof keylog === 'object' && keylog.size > MAX_KEYLOG_CHARS) throw fail('ERR_KEYLOG_TOO_LARGE', { size: mb(keylog.size), max: mb(MAX_KEYLOG_CHARS), name: keylog.name }, `the key log ${keylog.name} is too large`);
  let buffer: ArrayBuffer;
  let keylogText: string | undefined;
  try {
    buffer = await file.arrayBuffer();
    keylogText = typeof keylog === 'string' ? keylog : keylog ? await keylog.text() : undefined;
  } catch (e) {
    throw fail('ERR_READ', { name: file.name }, `could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (keylogText !== undefined && keylogText.length > MAX_KEYLOG_CHARS) throw fail('ERR_KEYLOG_TOO_LARGE', { size: mb(keylogText.length), max: mb(MAX_KEYLOG_CHARS), name: 'key log' }, 'the key log is too large');
  if (options.signal?.aborted) throw fail('ERR_ABORTED', {}, 'aborted');

  let worker: WorkerLike;
  try {
    worker = (options.createWorker ?? defaultWorker)();
  } catch (e) {
    throw fail('ERR_WORKER', {}, `the capture worker could not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  const id = nextId++;
  return new Promise<ImportedSession[]>((resolve, reject) => {
    const done = (f: () => void) => {
      worker.onmessage = null;
      worker.onerror = null;
      options.signal?.removeEventListener('abort', onAbort);
      worker.terminate();
      f();
    };
    const onAbort = () => done(() => reject(fail('ERR_ABORTED', {}, 'opening the capture was cancelled')));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.onerror = (e) => done(() => reject(fail('ERR_WORKER', {}, `the capture worker failed: ${(e as { message?: string })?.message ?? 'unknown error'}`)));
    worker.onmessage = (e) => {
      const parsed = CaptureResponse.safeParse(e.data);
      if (!parsed.success) {
        done(() => reject(fail('ERR_INTERNAL', { message: 'malformed answer from the capture worker' }, `malformed answer from the capture worker: ${parsed.error.issues[0]?.message ?? ''}`)));
        return;
      }
      const m = parsed.data;
      if (m.id !== id) return;
      if (m.type === 'progress') options.onProgress?.({ bytes: m.bytes, total: m.total, packets: m.packets, fraction: m.total ? m.bytes / m.total : 1 });
      else if (m.type === 'result') done(() => resolve(m.sessions as ImportedSession[]));
      else done(() => reject(fail(m.code, m.params, m.message)));
    };
    const request: CaptureRequest = { type: 'import', id, file: buffer, name: file.name, ...(keylogText !== undefined ? { keylog: keylogText } : {}) };
    try {
      worker.postMessage(request, [buffer]);
    } catch (e) {
      // e.g. DataCloneError: the worker would never answer, so end it here.
      done(() => reject(fail('ERR_WORKER', {}, `the capture could not be handed to its worker: ${e instanceof Error ? e.message : String(e)}`)));
    }
  });
}
