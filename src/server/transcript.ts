import type { OutcomeEvent } from '../protocol/events.ts';
import { fromBase64, toBase64, TRANSCRIPT_FORMAT, TRANSCRIPT_VERSION, TranscriptSchema, type Transcript } from '../protocol/transcript.ts';
import { sessionPcapng, type SessionResult, type WireLog } from './session.ts';

/**
 * A finished session as a self-contained transcript (src/protocol/transcript.ts), and the other
 * exports made from the same data: pcapng and SSLKEYLOGFILE text. A transcript converts back into
 * the SessionResult it came from, so `transcriptPcapng(sessionTranscript(r))` is byte for byte
 * `sessionPcapng(r)`.
 */

export const TRANSCRIPT_GENERATOR = 'Handshake Lab (src/server/transcript.ts)';

/** SessionResult → Transcript, validated against the schema (throws ZodError if the engine produced something the schema rejects). */
export function sessionTranscript(r: SessionResult, now: Date = new Date()): Transcript {
  const t: Transcript = {
    format: TRANSCRIPT_FORMAT,
    version: TRANSCRIPT_VERSION,
    createdAt: now.toISOString(),
    generator: TRANSCRIPT_GENERATOR,
    events: r.events,
    keyLog: r.keyLog,
    wire: {
      startEpochUs: r.wire.startEpochUs,
      connections: r.wire.connections.map((c) => ({
        conn: c.conn,
        client: { address: c.client.address, port: c.client.port, family: c.client.family },
        server: { address: c.server.address, port: c.server.port, family: c.server.family },
        events: c.events.map((e) => (e.kind === 'data' ? { kind: 'data' as const, tUs: e.tUs, from: e.from, base64: toBase64(e.bytes) } : e)),
      })),
    },
  };
  return TranscriptSchema.parse(t);
}

/** Transcript → the TCP-level byte log (base64 decoded). */
export function transcriptWireLog(t: Transcript): WireLog {
  return {
    startEpochUs: t.wire.startEpochUs,
    connections: t.wire.connections.map((c) => ({
      conn: c.conn,
      client: { ...c.client },
      server: { ...c.server },
      events: c.events.map((e) => (e.kind === 'data' ? { kind: 'data' as const, tUs: e.tUs, from: e.from, bytes: fromBase64(e.base64) } : { ...e })),
    })),
  };
}

/** Transcript → SessionResult. Throws TranscriptDataError when the transcript has no outcome event. */
export function transcriptResult(t: Transcript): SessionResult {
  const outcome = t.events.findLast((e): e is OutcomeEvent => e.kind === 'outcome');
  if (!outcome) throw new TranscriptDataError('the transcript has no outcome event (the session did not finish)');
  return { outcome, events: t.events, keyLog: t.keyLog, wire: transcriptWireLog(t) };
}

/** Transcript → pcapng (the same bytes sessionPcapng writes for the original session). */
export function transcriptPcapng(t: Transcript): Uint8Array {
  return sessionPcapng(transcriptResult(t));
}

/** Transcript → SSLKEYLOGFILE text. */
export function transcriptKeyLog(t: Transcript): string {
  return t.keyLog;
}

export class TranscriptDataError extends Error {
  override readonly name = 'TranscriptDataError';
  readonly code = 'ERR_TRANSCRIPT_DATA';
}
