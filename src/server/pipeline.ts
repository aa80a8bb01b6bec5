import type { LabEventBody } from '../protocol/events.ts';
import type { EventStream, Roles } from '../protocol/session-events.ts';
import type { AnalyzedMessage } from '../protocol/tls/connection.ts';
import type { CryptoProvider } from '../protocol/tls/crypto.ts';
import { parseKeyLogLine, type KeyLogStore } from '../protocol/tls/keylog.ts';
import { connectionPipeline as purePipeline, type ConnectionPipeline } from '../capture/pipeline.ts';
import { nodeCrypto } from './crypto-node.ts';
import type { WireReport } from './wire/protocol.ts';

export type { ConnectionPipeline };

/**
 * The byte pipeline of one relayed TCP connection: records → decryption → messages → HTTP → CWMP,
 * each step an event on `stream`. Shared by sessions and the standalone ACS and CPE. The pipeline
 * itself is pure (src/capture/pipeline.ts, also run by capture import in the browser); here it gets
 * node:crypto unless another CryptoProvider is given.
 */
export function connectionPipeline(
  conn: number,
  roles: Roles,
  tls: boolean,
  keys: KeyLogStore,
  stream: EventStream,
  /** Called for every decoded message before its event (e.g. to collect what the outcome needs). */
  onMessage: (m: AnalyzedMessage) => void = () => {},
  crypto: CryptoProvider = nodeCrypto,
): ConnectionPipeline {
  return purePipeline(conn, roles, tls, keys, stream, onMessage, crypto);
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
