import { AppLayer } from '../cwmp/app-layer.ts';
import type { LabEventBody } from '../protocol/events.ts';
import { FlightCounter, messageEventBody, type EventStream, type Roles } from '../protocol/session-events.ts';
import { TlsConnectionAnalyzer, type AnalyzedMessage } from '../protocol/tls/connection.ts';
import { parseKeyLogLine, type KeyLogStore } from '../protocol/tls/keylog.ts';
import { nodeCrypto } from './crypto-node.ts';
import type { WireReport } from './wire/protocol.ts';

/**
 * The byte pipeline of one relayed TCP connection: records → decryption → messages → HTTP → CWMP,
 * each step an event on `stream`. Shared by sessions and the standalone ACS and CPE.
 */
export interface ConnectionPipeline {
  /** null for a plain (non-TLS) connection such as the Connection Request. */
  analyzer: TlsConnectionAnalyzer | null;
  app: AppLayer;
  /** Bytes as the relay forwarded them; `t` in ms of the stream's clock. */
  feed(from: 'client' | 'server', bytes: Uint8Array, t: number): void;
  finish(t: number): void;
}

export function connectionPipeline(
  conn: number,
  roles: Roles,
  tls: boolean,
  keys: KeyLogStore,
  stream: EventStream,
  /** Called for every decoded message before its event (e.g. to collect what the outcome needs). */
  onMessage: (m: AnalyzedMessage) => void = () => {},
): ConnectionPipeline {
  let tApp = 0;
  const flights = new FlightCounter();
  // HTTP and CWMP above TLS: from the application data the relay decrypted, never from the endpoints.
  const app = new AppLayer(conn, roles, (e) => stream.push(e, tApp), !tls);
  const analyzer = !tls
    ? null
    : new TlsConnectionAnalyzer(nodeCrypto, keys, {
        message(m) {
          onMessage(m);
          stream.push(messageEventBody(m, conn, flights.next(roles[m.from]), roles), m.t);
          if (m.name === 'ApplicationData' && m.decrypted) {
            tApp = m.t;
            app.data(m.from, m.bytes);
          }
        },
        error(e) {
          stream.push({ kind: 'error', from: roles[e.from], code: e.code, message: e.message }, e.t);
        },
      });
  return {
    analyzer,
    app,
    feed(from, bytes, t) {
      if (analyzer) analyzer.feed(from, bytes, t);
      else {
        tApp = t;
        app.data(from, bytes); // plain HTTP: no TLS below
      }
    },
    finish(t) {
      analyzer?.finish(t);
      app.finish();
    },
  };
}

/**
 * What an endpoint report becomes on the event stream: key log lines are learned (and say whether
 * a new secret arrived), Node/OpenSSL facts become `endpoint` events. Other reports give null.
 */
export function endpointEvent(r: WireReport, keys: KeyLogStore): { body: LabEventBody | null; newSecret: boolean } {
  switch (r.type) {
    case 'keylog': {
      let entry;
      try {
        entry = parseKeyLogLine(r.line);
      } catch (e) {
        return { body: { kind: 'error', from: r.side, code: 'ERR_BAD_KEYLOG', message: (e as Error).message }, newSecret: false };
      }
      if (!entry || !keys.add(entry)) return { body: null, newSecret: false };
      return { body: { kind: 'secret', label: entry.label, clientRandom: entry.clientRandom, from: r.side, line: entry.line }, newSecret: true };
    }
    case 'secure':
      return { body: { kind: 'endpoint', side: r.side, what: 'secure', authorized: r.authorized, authorizationError: r.authorizationError, protocol: r.protocol, cipher: r.cipher }, newSecret: false };
    case 'verify':
      return { body: { kind: 'endpoint', side: r.side, what: 'verify', verifyError: { name: r.name, code: r.code, depth: r.depth, text: r.text } }, newSecret: false };
    case 'error':
      return { body: { kind: 'endpoint', side: r.side, what: 'error', code: r.code, message: r.message }, newSecret: false };
    case 'closed':
      return { body: { kind: 'endpoint', side: r.side, what: 'closed' }, newSecret: false };
    default:
      return { body: null, newSecret: false };
  }
}
