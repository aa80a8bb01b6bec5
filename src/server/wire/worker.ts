/** Worker thread entry: runs the wire side of sessions (endpoints + relay) for the session runner. */
import { parentPort } from 'node:worker_threads';
import { WireRequestSchema, type WireMessage } from './protocol.ts';
import { WireSession } from './wire-session.ts';

const port = parentPort;
if (!port) throw new Error('wire/worker.ts must run in a worker thread');
const sessions = new Map<string, WireSession>();

// Reports are batched: one message per turn of the event loop instead of one per report, so the
// endpoints' thread spends its time on TLS, not on messaging. Order is kept.
let batch: WireMessage[] = [];
let transfer: ArrayBuffer[] = [];
function flush(): void {
  const b = batch;
  const t = transfer;
  batch = [];
  transfer = [];
  port!.postMessage(b, t); // chunks are fresh copies: their memory is handed over, not copied again
}
function send(msg: WireMessage): void {
  if (batch.length === 0) setImmediate(flush);
  batch.push(msg);
  if (msg.report.type === 'data') transfer.push(msg.report.bytes.buffer as ArrayBuffer);
}

port.on('message', (raw: unknown) => {
  const parsed = WireRequestSchema.safeParse(raw);
  if (!parsed.success) return; // only our own host talks to us; a bad message is dropped, never half-applied
  const m = parsed.data;
  if (m.type === 'start') {
    const s = new WireSession(m, (report) => send({ id: m.id, report }));
    sessions.set(m.id, s);
    void s.run();
  } else if (m.type === 'finish') {
    sessions.get(m.id)?.destroy();
    sessions.delete(m.id);
  } else {
    sessions.get(m.id)?.control(m.type === 'release' ? { type: 'release', unit: m.unit } : { type: m.type });
  }
});
