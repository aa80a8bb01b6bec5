import { z } from 'zod';
import { LabEvent, SessionConfigSchema } from './events.ts';
import { TranscriptSchema } from './transcript.ts';

/**
 * The WebSocket protocol between the Handshake Lab service (`src/server/gateway/`) and its clients
 * (the browser UI, tests, the benchmark). JSON text frames, one message per frame, every one checked
 * with zod on arrival on both sides. Versioned: the server's `hello` names the version it speaks.
 *
 * Client → server: start, step, play, abort, export, catalog.
 * Server → client: hello, started, event, held, ended, export, catalog, error.
 */
export const WS_PROTOCOL_VERSION = 1;

/** Opaque session id the server hands out in `started`. */
export const SessionId = z.string().min(1).max(64);

/** What a client may ask for: the engine's SessionConfig, all optional (the server fills defaults), plus the mode. */
export const StartConfigSchema = z
  .object({
    tls: z.enum(['1.2', '1.3']).optional(),
    kx: z.enum(['ecdhe', 'rsa']).optional(),
    /** IANA name, e.g. TLS_AES_128_GCM_SHA256 (the catalog lists the offered ones). */
    cipher: z.string().max(64).optional(),
    /** TLS 1.2 static-RSA as in the 2014 paper. */
    paper: z.boolean().optional(),
    /** Fault ids from the catalog, applied in order. */
    faults: z.array(z.string().max(64)).max(16).optional(),
    verifier: z.enum(['node', 'openssl']).optional(),
    cwmp: z.boolean().optional(),
    /** RPC script lines in the `--rpc` mini-language (src/server/cwmp-script.ts). */
    rpcs: z.array(z.string().max(512)).max(16).optional(),
    connectionRequest: z.enum(['off', 'on', 'bad-credentials']).optional(),
    serverAuthOnly: z.boolean().optional(),
    /** run: as fast as the wire goes; step: the relay holds every record until `step`. */
    mode: z.enum(['run', 'step']).optional(),
  })
  .strict();
export type StartConfig = z.infer<typeof StartConfigSchema>;

export const StepUnit = z.enum(['record', 'flight']);
export type StepUnit = z.infer<typeof StepUnit>;
export const ExportFormat = z.enum(['pcapng', 'keylog', 'transcript']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ClientMessageSchema = z.discriminatedUnion('type', [
  /** `ref`: an optional client-chosen tag echoed in `started` / `error`, to match answers to requests. */
  z.object({ type: z.literal('start'), config: StartConfigSchema, ref: z.string().max(64).optional() }).strict(),
  z.object({ type: z.literal('step'), session: SessionId, unit: StepUnit }).strict(),
  /** Release everything held and run to the end. */
  z.object({ type: z.literal('play'), session: SessionId }).strict(),
  z.object({ type: z.literal('abort'), session: SessionId }).strict(),
  z.object({ type: z.literal('export'), session: SessionId, format: ExportFormat }).strict(),
  z.object({ type: z.literal('catalog') }).strict(),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** Stable error codes (the `code` of an `error` message). */
export const WsErrorCode = z.enum([
  'bad_json', // the frame is not JSON
  'bad_message', // JSON, but not a message of this protocol (unknown type, schema violation): `field` names the path
  'too_large', // the frame exceeds the per-message limit
  'bad_config', // the session configuration is invalid (`field` names it)
  'unknown_fault', // a fault id the catalog does not have (`field`: config.faults[i])
  'fault_conflict', // two faults that cannot be combined
  'busy', // too many live sessions (per connection or in all)
  'rate_limited', // too many starts in a short time
  'unknown_session', // no such session on this connection (never started, someone else's, or forgotten)
  'session_finished', // step/play on a session that has ended
  'not_stepping', // step on a session that runs in run mode
  'not_finished', // export of a session still running
  'session_failed', // the engine could not start the session's endpoints
  'internal', // a bug: reported, the connection stays usable
]);
export type WsErrorCode = z.infer<typeof WsErrorCode>;

const HeldRecord = z.object({
  conn: z.number().int().nonnegative(),
  /** TLS role of the sender on that connection. */
  from: z.enum(['client', 'server']),
  /** Records (or, on a plain connection, chunks) waiting at the relay in this direction. */
  records: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});

const FaultInfo = z.object({
  id: z.string(),
  group: z.string(),
  target: z.string(),
  side: z.string(),
  title: z.object({ en: z.string(), zh: z.string() }),
  explanation: z.object({ en: z.string(), zh: z.string() }),
  fix: z.object({ en: z.string(), zh: z.string() }),
  rule: z.string(),
});

export const CatalogSchema = z.object({
  faults: z.array(FaultInfo),
  suites: z.array(z.object({ iana: z.string(), openssl: z.string(), tls: z.enum(['1.2', '1.3']), kx: z.enum(['ecdhe', 'rsa']) })),
  /** RPC scripts the server offers: a name and its lines. */
  rpcScripts: z.array(z.object({ id: z.string(), rpcs: z.array(z.string()) })),
  verifiers: z.array(z.enum(['node', 'openssl'])),
});
export type Catalog = z.infer<typeof CatalogSchema>;

export const ServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    protocol: z.literal(WS_PROTOCOL_VERSION),
    server: z.string(),
    limits: z.object({ sessionsPerConnection: z.number().int(), sessionsTotal: z.number().int(), maxMessageBytes: z.number().int(), startsPerMinute: z.number().int() }),
  }),
  z.object({ type: z.literal('started'), session: SessionId, config: SessionConfigSchema, mode: z.enum(['run', 'step']), ref: z.string().optional() }),
  /** Exactly the engine's events, in order. */
  z.object({ type: z.literal('event'), session: SessionId, event: LabEvent }),
  /** Step mode: what the relay is holding now (sent after every change). Empty `pending` = nothing waits. */
  z.object({ type: z.literal('held'), session: SessionId, pending: z.array(HeldRecord) }),
  /** The session is over (after its outcome event, or on abort / failure); it can now be exported. */
  z.object({ type: z.literal('ended'), session: SessionId, reason: z.enum(['finished', 'aborted', 'failed', 'idle']) }),
  z.discriminatedUnion('format', [
    z.object({ type: z.literal('export'), session: SessionId, format: z.literal('pcapng'), filename: z.string(), base64: z.string() }),
    z.object({ type: z.literal('export'), session: SessionId, format: z.literal('keylog'), filename: z.string(), text: z.string() }),
    z.object({ type: z.literal('export'), session: SessionId, format: z.literal('transcript'), filename: z.string(), transcript: TranscriptSchema }),
  ]),
  z.object({ type: z.literal('catalog'), catalog: CatalogSchema }),
  z.object({
    type: z.literal('error'),
    code: WsErrorCode,
    message: z.string(),
    /** The offending field, as a path (e.g. "config.faults[1]", "type"). */
    field: z.string().optional(),
    session: SessionId.optional(),
    ref: z.string().optional(),
  }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
