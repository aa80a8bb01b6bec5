import { writePcapng } from '../../protocol/pcapng.ts';
import { fromBase64, type Transcript } from '../../protocol/transcript.ts';

/** Loaded on demand (only exporting a replayed transcript as pcapng needs the writer). */
/**
 * pcapng (with the key log as a Decryption Secrets Block) from a transcript's byte log, in the
 * browser: the same writer and input as the service's export, so the bytes are the same.
 */
export function transcriptPcapng(t: Transcript): Uint8Array {
  return writePcapng({
    connections: t.wire.connections.map((c) => ({
      client: { ip: c.client.address, port: c.client.port },
      server: { ip: c.server.address, port: c.server.port },
      events: c.events.map((e) => (e.kind === 'data' ? { kind: 'data' as const, tUs: e.tUs, from: e.from, bytes: fromBase64(e.base64) } : { ...e })),
    })),
    keyLog: t.keyLog,
    comment: PCAPNG_COMMENT,
  });
}

/** The section comment the service writes (src/server/session.ts sessionPcapng). */
export const PCAPNG_COMMENT = 'Handshake Lab session: frames synthesized from the byte streams the relay forwarded';

