import { z } from 'zod';
import { Party as Side, SessionConfigSchema } from '../../protocol/events.ts';

/**
 * The wire side of a session (the Node ACS and CPE, and the wiretap relay between them) runs in a
 * worker thread; the analysis side (deframing, decryption, decoding, events, outcome) runs in the
 * caller's thread. These are the messages between the two, checked with zod on arrival.
 *
 * Endpoints report only what they alone know (key log lines, Node's verdict on its peer, Node
 * errors, closes, the HTTP status); the relay reports what crossed it. Times are wall-clock µs.
 */
export const SideMaterialSchema = z.object({
  chain: z.array(z.string()),
  key: z.string(),
  trust: z.array(z.string()),
  crls: z.array(z.string()).optional(),
  crlCheck: z.enum(['leaf', 'all']).optional(),
});
export const SessionMaterialSchema = z.object({ acs: SideMaterialSchema, cpe: SideMaterialSchema, acsHostname: z.string() });
export type SessionMaterial = z.infer<typeof SessionMaterialSchema>;
export type SideMaterial = z.infer<typeof SideMaterialSchema>;

const Version = z.enum(['1.2', '1.3']);
export const TlsOverrideSchema = z.object({
  minVersion: Version.optional(),
  maxVersion: Version.optional(),
  ciphers: z.string().optional(),
  ciphersuites: z.string().optional(),
  sendCertificate: z.boolean().optional(),
  verifyPeer: z.boolean().optional(),
  /** ACS only — false: a server-auth-only session (no CertificateRequest; TR-069 Amd 6 §3.4.4 HTTP Basic instead). */
  requestCertificate: z.boolean().optional(),
});
export const AttackerSchema = z.object({ chain: z.array(z.string()), key: z.string() });

/** What the endpoints run with: material plus per-side TLS overrides and an optional attacker (src/pki/faults/types.ts Scenario). */
export const WireScenarioSchema = SessionMaterialSchema.extend({
  tls: z.object({ acs: TlsOverrideSchema, cpe: TlsOverrideSchema }),
  attacker: AttackerSchema.nullable(),
  /** The CPE's own identity, OUI-SerialNumber (what its Inform says; its certificate may say otherwise). */
  cpeId: z.string(),
  /** Path of the ACS URL the CPE posts to (default '/'). */
  acsPath: z.string().optional(),
});
export type WireScenario = z.infer<typeof WireScenarioSchema>;

const Dir = z.enum(['client', 'server']);
const Addr = z.object({ address: z.string(), port: z.number().int(), family: z.string() });

export const WireReportSchema = z.discriminatedUnion('type', [
  /** The ACS listens, and (unless direct) the relay too; the CPE is connecting. */
  z.object({ type: z.literal('listening'), acsPort: z.number().int(), relayPort: z.number().int().nullable() }),
  z.object({ type: z.literal('keylog'), side: Side, line: z.string(), tUs: z.number() }),
  z.object({
    type: z.literal('secure'),
    side: Side,
    authorized: z.boolean(),
    authorizationError: z.string().nullable(),
    protocol: z.string().nullable(),
    cipher: z.string().nullable(),
    tUs: z.number(),
  }),
  z.object({ type: z.literal('error'), side: Side, code: z.string().nullable(), message: z.string(), tUs: z.number() }),
  /**
   * The certificate verification error this side's verifier reported (OpenSSL's X509_V_ERR name and
   * number, the depth when the verifier says it, and its text). Node reports only the last error.
   */
  z.object({
    type: z.literal('verify'),
    side: Side,
    name: z.string(),
    code: z.number().int(),
    depth: z.number().int().nullable(),
    text: z.string(),
    tUs: z.number(),
  }),
  z.object({ type: z.literal('closed'), side: Side, tUs: z.number() }),
  /** The CPE received the ACS's HTTP response. */
  z.object({ type: z.literal('http'), status: z.number().int(), tUs: z.number() }),
  // What the relay saw, per connection.
  /** A connection through the relay: who is client and server on it, and whether it carries TLS (the Connection Request is plain HTTP). */
  z.object({ type: z.literal('open'), conn: z.number().int(), client: Addr, server: Addr, roles: z.object({ client: Side, server: Side }), tls: z.boolean(), tUs: z.number() }),
  z.object({ type: z.literal('data'), conn: z.number().int(), from: Dir, bytes: z.instanceof(Uint8Array), tUs: z.number() }),
  z.object({ type: z.literal('fin'), conn: z.number().int(), from: Dir, tUs: z.number() }),
  z.object({ type: z.literal('rst'), conn: z.number().int(), from: Dir, message: z.string(), tUs: z.number() }),
  z.object({ type: z.literal('relay-closed'), conn: z.number().int(), tUs: z.number() }),
  /** Step mode: what the relays hold now, per connection and direction (sent after every change; empty: nothing waits). */
  z.object({ type: z.literal('held'), pending: z.array(z.object({ conn: z.number().int(), from: Dir, records: z.number().int(), bytes: z.number().int() })) }),
  /** Starting failed (e.g. a key that does not match its certificate). */
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type WireReport = z.infer<typeof WireReportSchema>;

export const WireStartSchema = z.object({
  id: z.string(),
  config: SessionConfigSchema,
  scenario: WireScenarioSchema,
  /** Benchmark baseline: no relay, the CPE connects straight to the ACS. */
  direct: z.boolean(),
  /**
   * Step mode: the relays hold every record until a `release` (or `play`), and the endpoints run
   * without the timeouts that would end a connection paused for minutes (the caller's idle limit
   * bounds the session instead).
   */
  step: z.boolean().optional(),
});
export type WireStart = z.infer<typeof WireStartSchema>;

/** Steering of a running session's wire side (step mode), through the host. */
export const WireControlSchema = z.discriminatedUnion('type', [
  /** Forward the oldest held record, or the rest of its flight. */
  z.object({ type: z.literal('release'), unit: z.enum(['record', 'flight']) }),
  /** Forward everything held and stop holding. */
  z.object({ type: z.literal('play') }),
  /** Destroy every socket, relay and process of the session now (the host's `finish` still follows). */
  z.object({ type: z.literal('abort') }),
]);
export type WireControl = z.infer<typeof WireControlSchema>;

export const WireRequestSchema = z.discriminatedUnion('type', [
  WireStartSchema.extend({ type: z.literal('start') }),
  z.object({ type: z.literal('finish'), id: z.string() }),
  z.object({ type: z.literal('release'), id: z.string(), unit: z.enum(['record', 'flight']) }),
  z.object({ type: z.literal('play'), id: z.string() }),
  z.object({ type: z.literal('abort'), id: z.string() }),
]);
export type WireRequest = z.infer<typeof WireRequestSchema>;

export const WireMessageSchema = z.object({ id: z.string(), report: WireReportSchema });
export type WireMessage = z.infer<typeof WireMessageSchema>;
/** The worker sends reports in batches, in order. */
export const WireBatchSchema = z.array(WireMessageSchema);

/**
 * Step mode's TLS handshakeTimeout: the largest timer Node accepts (about 24.8 days). Node reads 0 as
 * "use the 120 s default" (`options.handshakeTimeout || 120000`), so 0 cannot turn it off; the
 * session's idle limit ends an abandoned session long before this.
 */
export const PATIENT_HANDSHAKE_TIMEOUT_MS = 2 ** 31 - 1;

/** How patient the endpoints must be: in step mode a connection may wait minutes for its next record. */
export interface EndpointTiming {
  /** Turn off every timeout that measures how long a peer takes (TLS handshake, HTTP keep-alive, headers, request). */
  patient: boolean;
}

/** One session's two endpoints, whatever implements them (Node tls, or the openssl binary). */
export interface EndpointPair {
  /** The ACS listens on 127.0.0.1:0; resolves with its port. */
  listen(): Promise<number>;
  /** The CPE connects to 127.0.0.1:port (the relay, or the ACS directly). */
  connect(port: number): void;
  /** Destroys every socket and child process. Idempotent. */
  destroy(): void;
  /** When the session asks for a Connection Request: the CPE's plain-HTTP listener port. */
  listenConnectionRequest?(): Promise<number | undefined>;
  /** The address (a relay port on 127.0.0.1) at which the ACS reaches that listener. */
  connectionRequestVia?(port: number): void;
}

/** Where sessions' wire sides run. */
export interface WireHost {
  start(s: WireStart, report: (r: WireReport) => void): void;
  /** Destroys whatever the session left open and forgets it. */
  finish(id: string): void;
  /** Step mode steering of a running session (ignored for a session the host does not know). */
  control(id: string, request: WireControl): void;
}

/** Wall-clock microseconds, comparable across threads. */
export function nowUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}
export type TlsOverride = z.infer<typeof TlsOverrideSchema>;
