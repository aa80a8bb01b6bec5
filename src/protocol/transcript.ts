import { z } from 'zod';
import { LabEvent } from './events.ts';

/**
 * A finished session as one self-contained JSON document: every event (certificates included, in
 * the `session` event), the key log, and the TCP-level byte log the relay forwarded. The UI replays
 * it with no backend; pcapng and SSLKEYLOGFILE exports are made from the same data.
 */
export const TRANSCRIPT_FORMAT = 'handshake-lab-transcript';
export const TRANSCRIPT_VERSION = 1;

const Addr = z.object({ address: z.string(), port: z.number().int(), family: z.string() });
const Dir = z.enum(['client', 'server']);

export const TranscriptWireEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('open'), tUs: z.number() }),
  /** Bytes as forwarded, base64. */
  z.object({ kind: z.literal('data'), tUs: z.number(), from: Dir, base64: z.string() }),
  z.object({ kind: z.literal('fin'), tUs: z.number(), from: Dir }),
  z.object({ kind: z.literal('rst'), tUs: z.number(), from: Dir }),
]);

export const TranscriptSchema = z.object({
  format: z.literal(TRANSCRIPT_FORMAT),
  version: z.literal(TRANSCRIPT_VERSION),
  /** ISO time the transcript was written. */
  createdAt: z.string(),
  generator: z.string(),
  events: z.array(LabEvent),
  /** SSLKEYLOGFILE text. */
  keyLog: z.string(),
  wire: z.object({
    /** Wall-clock µs of the session's t = 0. */
    startEpochUs: z.number(),
    connections: z.array(z.object({ conn: z.number().int().nonnegative(), client: Addr, server: Addr, events: z.array(TranscriptWireEvent) })),
  }),
});
export type Transcript = z.infer<typeof TranscriptSchema>;

const CHUNK = 0x8000;

/** Bytes → base64, in Node and in the browser (no Buffer). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}

/** base64 → bytes; throws TypeError on text that is not base64. */
export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Parses a transcript file's text. Throws TranscriptError with a specific message: not JSON, not a
 * transcript, a newer version, or which field is wrong.
 */
export class TranscriptError extends Error {
  override readonly name = 'TranscriptError';
  constructor(
    readonly code: 'ERR_TRANSCRIPT_JSON' | 'ERR_TRANSCRIPT_FORMAT' | 'ERR_TRANSCRIPT_VERSION' | 'ERR_TRANSCRIPT_SCHEMA',
    message: string,
  ) {
    super(message);
  }
}

export function parseTranscript(text: string): Transcript {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new TranscriptError('ERR_TRANSCRIPT_JSON', `not a transcript: the file is not JSON (${(e as Error).message})`);
  }
  const head = raw as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== TRANSCRIPT_FORMAT) {
    throw new TranscriptError('ERR_TRANSCRIPT_FORMAT', `not a Handshake Lab transcript (expected "format": "${TRANSCRIPT_FORMAT}")`);
  }
  if (head.version !== TRANSCRIPT_VERSION) {
    throw new TranscriptError('ERR_TRANSCRIPT_VERSION', `transcript version ${JSON.stringify(head.version)} is not supported (this build reads version ${TRANSCRIPT_VERSION})`);
  }
  const parsed = TranscriptSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TranscriptError('ERR_TRANSCRIPT_SCHEMA', `the transcript is damaged at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
