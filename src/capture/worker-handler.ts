import { isCaptureError } from './errors.ts';
import { importCapture } from './import.ts';
import { CaptureRequest, type CaptureResponse } from './worker-protocol.ts';

/**
 * The capture worker's body, apart from the Worker global so that Node tests run it as is: one
 * validated request in, progress messages and then one result or error out. The file is read
 * where it lies (the transferred ArrayBuffer), never copied whole.
 */
export function handleCaptureRequest(data: unknown, post: (m: CaptureResponse) => void): void {
  const parsed = CaptureRequest.safeParse(data);
  if (!parsed.success) {
    const id = typeof (data as { id?: unknown })?.id === 'number' ? (data as { id: number }).id : 0;
    post({ type: 'error', id, code: 'ERR_BAD_REQUEST', params: { issue: parsed.error.issues[0]?.message ?? 'invalid' }, message: `bad request to the capture worker: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
    return;
  }
  const { id, file, keylog, name } = parsed.data;
  const t0 = Date.now();
  try {
    const r = importCapture(new Uint8Array(file), {
      name,
      ...(keylog !== undefined ? { keylog } : {}),
      onProgress: (p) => post({ type: 'progress', id, bytes: p.bytes, total: p.total, packets: p.packets }),
    });
    post({ type: 'result', id, format: r.format, sessions: r.sessions, notices: r.notices, ms: Date.now() - t0 });
  } catch (e) {
    if (isCaptureError(e)) post({ type: 'error', id, code: e.code, params: e.params, message: e.message });
    else post({ type: 'error', id, code: 'ERR_INTERNAL', params: { message: e instanceof Error ? e.message : String(e) }, message: `the capture reader failed: ${e instanceof Error ? e.message : String(e)}` });
  }
}
