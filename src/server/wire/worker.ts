/** Worker thread entry: runs the wire side of sessions (endpoints + relay) for the session runner. */
import { parentPort } from 'node:worker_threads';
import { WireRequestSchema, type WireMessage } from './protocol.ts';
import { WireSession } from './wire-session.ts';

const port = parentPort;
if (!port) throw new Error('wire/worker.ts must run in a worker thread');
const sessions = new Map<string, WireSession>();

port.on('message', (raw: unknown) => {
  const parsed = WireRequestSchema.safeParse(raw);
  if (!parsed.success) return; // only our own host talks to us; a bad message is dropped, never half-applied
  const m = parsed.data;
  if (m.type === 'start') {
    const s = new WireSession(m, (report) => {
      const msg: WireMessage = { id: m.id, report };
      // Chunks are fresh copies: hand their memory over instead of copying it again.
      if (report.type === 'data') port.postMessage(msg, [report.bytes.buffer as ArrayBuffer]);
      else port.postMessage(msg);
    });
    sessions.set(m.id, s);
    void s.run();
  } else {
    sessions.get(m.id)?.destroy();
    sessions.delete(m.id);
  }
});
