import { AppLayer } from '../cwmp/app-layer.ts';
import { FlightCounter, messageEventBody, type EventStream, type Roles } from '../protocol/session-events.ts';
import { TlsConnectionAnalyzer, type AnalyzedMessage } from '../protocol/tls/connection.ts';
import type { CryptoProvider } from '../protocol/tls/crypto.ts';
import type { KeyLogStore } from '../protocol/tls/keylog.ts';

/**
 * The byte pipeline of one TCP connection: records → decryption → messages → HTTP → CWMP, each
 * step an event on `stream`. Pure (no I/O, no node:*): live sessions (src/server/pipeline.ts wraps
 * it with node:crypto) and capture import in the browser (with src/protocol/tls/crypto-web.ts)
 * run this same code on the same bytes.
 */
export interface ConnectionPipeline {
  /** null for a plain (non-TLS) connection such as the Connection Request. */
  analyzer: TlsConnectionAnalyzer | null;
  app: AppLayer;
  /** Bytes in the order they crossed the wire; `t` in ms of the stream's clock. */
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
  onMessage: (m: AnalyzedMessage) => void,
  crypto: CryptoProvider,
): ConnectionPipeline {
  let tApp = 0;
  const flights = new FlightCounter();
  // HTTP and CWMP above TLS: from the application data the relay decrypted, never from the endpoints.
  const app = new AppLayer(conn, roles, (e) => stream.push(e, tApp), !tls);
  const analyzer = !tls
    ? null
    : new TlsConnectionAnalyzer(crypto, keys, {
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
