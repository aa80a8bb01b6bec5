import { z } from 'zod';
import type { Field } from './tls/fields.ts';

/**
 * The one event schema shared by the CLI, the server, transcripts and the UI.
 * Every event: `v` (schema version), `seq` (monotonic per session, from 0), `t` (ms since the
 * session started, from the relay's clock), `kind`. Views render events; they never parse bytes.
 */
export const EVENT_SCHEMA_VERSION = 1;

export const Side = z.enum(['cpe', 'acs']);
export type Side = z.infer<typeof Side>;
/** Who is on the wire: the two endpoints, and an on-path attacker when a fault puts one there. */
export const Party = z.enum(['cpe', 'acs', 'attacker']);
export type Party = z.infer<typeof Party>;

export const FieldSchema: z.ZodType<Field> = z.lazy(() =>
  z.object({
    name: z.string(),
    display: z.string(),
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
    ref: z.string().optional(),
    children: z.array(FieldSchema).optional(),
  }),
) as z.ZodType<Field>;

const base = {
  v: z.literal(EVENT_SCHEMA_VERSION),
  seq: z.number().int().nonnegative(),
  t: z.number().nonnegative(),
};

export const TlsMode = z.enum(['1.3', '1.2']);
export const KeyExchange = z.enum(['ecdhe', 'rsa']);

export const SessionConfigSchema = z.object({
  tls: TlsMode,
  kx: KeyExchange,
  /** Cipher suite by IANA name (e.g. TLS_AES_128_GCM_SHA256). */
  cipher: z.string(),
  /** "paper" = TLS 1.2 static-RSA mutual TLS as in the 2014 paper. */
  paper: z.boolean(),
  deadlineMs: z.number().int().positive(),
  /** Fault ids applied (src/pki/faults), in order; [] for a correct session. */
  faults: z.array(z.string()),
  /** Which real implementation verifies certificates: Node's tls, or the openssl binary (s_server / s_client). */
  verifier: z.enum(['node', 'openssl']),
  /** After the handshake, a CWMP session (TR-069) instead of the single placeholder POST. */
  cwmp: z.boolean(),
  /** The ACS's RPC script in the `--rpc` mini-language (src/server/cwmp-script.ts). */
  rpcs: z.array(z.string()),
  /** After the first CWMP session the ACS sends a Connection Request (TR-069 §3.2.2); 'bad-credentials' uses a wrong Digest password. */
  connectionRequest: z.enum(['off', 'on', 'bad-credentials']),
  /** Server authentication only: the ACS sends no CertificateRequest and the CPE authenticates with HTTP Basic (TR-069 Amd 6 §3.4.4). */
  serverAuthOnly: z.boolean(),
});
export type SessionConfig = z.infer<typeof SessionConfigSchema>;

const Endpoint = z.object({ ip: z.string(), port: z.number().int() });

const CertificateSet = z.object({
  /** Leaf first, PEM. */
  chain: z.array(z.string()),
  /** The PEMs this side trusts as anchors. */
  trust: z.array(z.string()),
  /** The identity this side expects of its peer (SNI/hostname for the CPE, null for the ACS). */
  expectsPeerName: z.string().nullable(),
});

export const SessionEvent = z.object({
  ...base,
  kind: z.literal('session'),
  id: z.string(),
  startedAt: z.string(), // ISO wall clock of t = 0
  config: SessionConfigSchema,
  endpoints: z.object({ cpe: Endpoint, relay: Endpoint, acs: Endpoint }),
  /** `attacker`: what an on-path attacker shows the CPE instead of the ACS's chain (faults of the attacker group). */
  certificates: z.object({ cpe: CertificateSet, acs: CertificateSet, attacker: CertificateSet.optional() }),
});

export const TcpEvent = z.object({
  ...base,
  kind: z.literal('tcp'),
  conn: z.number().int().nonnegative(),
  /** open: the client's connection reached the relay (which connects on at once); half-close: `from` sent FIN; close: both ways closed; reset: `from` aborted. */
  action: z.enum(['open', 'half-close', 'close', 'reset']),
  from: Party.nullable(),
});

export const RecordInfo = z.object({
  /** Content type in the record header (23 for every TLS 1.3 encrypted record). */
  type: z.number().int(),
  /** Real content type (TLSInnerPlaintext.type when decrypted). */
  contentType: z.number().int(),
  version: z.number().int(),
  length: z.number().int(),
  /** Index of the record among those sent by `from` on this connection, from 0. */
  index: z.number().int(),
  /** How many records carried this message (handshake messages may span records). */
  count: z.number().int().positive(),
  /** The record header as on the wire (hex, 5 bytes). */
  header: z.string(),
});

export const AlertInfo = z.object({
  level: z.number().int(),
  levelName: z.string(),
  description: z.string(),
  code: z.number().int(),
});
export type AlertInfo = z.infer<typeof AlertInfo>;

export const MessageEvent = z.object({
  ...base,
  kind: z.literal('message'),
  conn: z.number().int().nonnegative(),
  /** RFC spelling: ClientHello, ServerHello, Certificate, …, ChangeCipherSpec, Alert, ApplicationData. */
  name: z.string(),
  from: Party,
  to: Party,
  record: RecordInfo,
  /** Protected by record encryption on the wire. */
  encrypted: z.boolean(),
  /** We removed that protection with the key log. */
  decrypted: z.boolean(),
  /** Consecutive messages from one side form a flight; numbered from 1 per connection. */
  flight: z.number().int().positive(),
  /** One line of key facts. */
  summary: z.string(),
  fields: z.array(FieldSchema),
  /** The message bytes (plaintext when decrypted); field offsets index into these. */
  hex: z.string(),
  /** Alerts only: level and description. */
  alert: AlertInfo.optional(),
  /** Why the message could not be fully decoded or decrypted. */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type MessageEvent = z.infer<typeof MessageEvent>;

export const SecretEvent = z.object({
  ...base,
  kind: z.literal('secret'),
  label: z.string(),
  clientRandom: z.string(),
  from: Party,
  /** The SSLKEYLOGFILE line (lab keys only: these are throwaway sessions). */
  line: z.string(),
});

/** An HTTP/1.1 message carried by the application data (decrypted from the wire) or in plain TCP. */
export const HttpEvent = z.object({
  ...base,
  kind: z.literal('http'),
  conn: z.number().int().nonnegative(),
  from: Party,
  to: Party,
  request: z.object({ method: z.string(), path: z.string() }).optional(),
  response: z.object({ status: z.number().int(), reason: z.string() }).optional(),
  headers: z.array(z.object({ name: z.string(), value: z.string() })),
  bodyLength: z.number().int().nonnegative(),
  /** Carried in plain TCP (the Connection Request), not inside TLS. */
  plain: z.boolean(),
});

/** A CWMP SOAP envelope (TR-069), decoded from an HTTP body the relay decrypted. */
export const CwmpEvent = z.object({
  ...base,
  kind: z.literal('cwmp'),
  conn: z.number().int().nonnegative(),
  from: Party,
  to: Party,
  /** The Body element: Inform, InformResponse, GetParameterValues, …Response, Fault. */
  rpc: z.string(),
  /** cwmp:ID header. */
  id: z.string().nullable(),
  /** cwmp namespace version, e.g. '1-2'. */
  ns: z.string(),
  summary: z.string(),
  /** The full envelope as sent. */
  xml: z.string(),
});

/** Endpoint-side facts the wire cannot show: Node's view of its own socket. */
export const EndpointEvent = z.object({
  ...base,
  kind: z.literal('endpoint'),
  side: Party,
  /** secure: handshake done; verify: this side's verifier rejected the peer's certificate; error: a TLS/socket error; closed. */
  what: z.enum(['secure', 'verify', 'error', 'closed']),
  /** For "secure": did this side's TLS stack accept the peer (Node's socket.authorized)? */
  authorized: z.boolean().optional(),
  authorizationError: z.string().nullable().optional(),
  code: z.string().nullable().optional(),
  message: z.string().optional(),
  protocol: z.string().nullable().optional(),
  cipher: z.string().nullable().optional(),
  /** For "verify": OpenSSL's X509_V_ERR name and number, the depth when known, the verifier's text. */
  verifyError: z.lazy(() => VerifyError).optional(),
});

/** A problem in the byte pipeline itself (bytes that are not TLS, a decode failure outside a message). */
export const ErrorEvent = z.object({
  ...base,
  kind: z.literal('error'),
  from: Party.nullable(),
  code: z.string(),
  message: z.string(),
});

export const VerifyError = z.object({ name: z.string(), code: z.number().int(), depth: z.number().int().nullable(), text: z.string() });
export type VerifyError = z.infer<typeof VerifyError>;

/** Why a session was stopped from outside: the user aborted it, nobody stepped it for the idle limit, or its client went away. */
export const StopReason = z.enum(['user', 'idle', 'disconnected']);
export type StopReason = z.infer<typeof StopReason>;

const SideOutcome = z.object({
  /** Node's error on this side's socket, if any. */
  error: z.object({ code: z.string().nullable(), message: z.string() }).nullable(),
  /** Node's socket.authorizationError (why the peer's certificate was not trusted). */
  authorizationError: z.string().nullable(),
  /** Did this side verify its peer's certificate successfully (null: never got that far). */
  verifiedPeer: z.boolean().nullable(),
  /** Did this side reach a completed handshake. */
  secure: z.boolean(),
  /** The certificate verification error this side's verifier reported about its peer (Node: the last one it met; OpenSSL: the first). */
  verifyError: VerifyError.nullable(),
});

/**
 * What an imported capture shows: plain HTTP only; a bad alert; the handshake and an answered HTTP
 * exchange; the handshake and application data that is not HTTP; the handshake but no keys for the
 * data; the handshake but no successful HTTP response; a close before the handshake completed; a
 * TLS 1.3 handshake whose end cannot be seen without keys; a capture that ends before the handshake did.
 */
export const CaptureVerdict = z.enum(['plain-http', 'alert', 'ok-http', 'ok-not-http', 'no-keys', 'no-http-response', 'closed-early', 'tls13-no-keys', 'incomplete']);
export type CaptureVerdict = z.infer<typeof CaptureVerdict>;

export const OutcomeEvent = z.object({
  ...base,
  kind: z.literal('outcome'),
  ok: z.boolean(),
  /** One sentence in words. */
  summary: z.string(),
  /** An on-path attacker completed a handshake with the CPE and read its traffic. */
  compromised: z.boolean(),
  abortedBy: Party.nullable(),
  /**
   * How the session ended abnormally: an alert on the wire, a close without alert, the deadline, or
   * stopped from outside (step mode: the user's abort, no step for the idle limit, the client gone).
   */
  abort: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('alert'), from: Party, alert: AlertInfo }),
      z.object({ kind: z.literal('close'), from: Party }),
      z.object({ kind: z.literal('timeout'), afterMs: z.number() }),
      z.object({ kind: z.literal('stopped'), reason: StopReason }),
    ])
    .nullable(),
  /** Every alert seen on the wire, in order (close_notify included). */
  alerts: z.array(z.object({ from: Party, alert: AlertInfo, encrypted: z.boolean(), conn: z.number().int().nonnegative() })),
  /** Who closed the CPE's TCP connection first. */
  firstClose: Party.nullable(),
  cpe: SideOutcome,
  acs: SideOutcome,
  /** The on-path attacker, when a fault put one on the wire. */
  attacker: SideOutcome.nullable(),
  negotiated: z.object({
    version: z.string().nullable(),
    cipherSuite: z.string().nullable(),
    group: z.string().nullable(),
    /** Signature scheme of the server's proof (CertificateVerify in 1.3, ServerKeyExchange in 1.2 ECDHE). */
    serverSignature: z.string().nullable(),
    /** Signature scheme of the client's CertificateVerify. */
    clientSignature: z.string().nullable(),
  }),
  /** The HTTP exchange over TLS completed. */
  applicationData: z.boolean(),
  durationMs: z.number(),
  /**
   * Capture import only: which verdict the wire alone supports (the summary says it in English; the
   * UI says it in the user's language). Absent for live sessions.
   */
  captureVerdict: CaptureVerdict.optional(),
});
export type OutcomeEvent = z.infer<typeof OutcomeEvent>;

export const LabEvent = z.discriminatedUnion('kind', [
  SessionEvent,
  TcpEvent,
  MessageEvent,
  SecretEvent,
  EndpointEvent,
  ErrorEvent,
  HttpEvent,
  CwmpEvent,
  OutcomeEvent,
]);
export type LabEvent = z.infer<typeof LabEvent>;
export type SessionEventT = z.infer<typeof SessionEvent>;
export type TcpEventT = z.infer<typeof TcpEvent>;
export type SecretEventT = z.infer<typeof SecretEvent>;
export type EndpointEventT = z.infer<typeof EndpointEvent>;
export type ErrorEventT = z.infer<typeof ErrorEvent>;

/** Distributive Omit over the union, for building events before seq/t/v are stamped. */
type DistOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;
export type LabEventBody = DistOmit<LabEvent, 'v' | 'seq' | 't'>;
