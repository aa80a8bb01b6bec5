/**
 * Capture import off the page's main thread: a pcap/pcapng file (transferred, not copied) and an
 * optional SSLKEYLOGFILE in; progress about every MiB, then the imported sessions (LabEvents from
 * the same decoders as live sessions) or a typed error out. Protocol: src/capture/worker-protocol.ts.
 */
import { handleCaptureRequest } from '../src/capture/worker-handler.ts';

const scope = globalThis as unknown as {
  onmessage: ((e: { data: unknown }) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (e) => handleCaptureRequest(e.data, (m) => scope.postMessage(m));
