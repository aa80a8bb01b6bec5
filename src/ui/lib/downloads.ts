import type { LabEvent, SessionEventT } from '../../protocol/events.ts';
import { fromBase64 } from '../../protocol/transcript.ts';
import type { ExportMessage } from './ws-client.ts';

/**
 * Downloads: the exports the service sends (pcapng, SSLKEYLOGFILE, transcript), the certificates of
 * a session as PEM, and — for a replayed transcript, with no service — the same files made in the
 * browser from the transcript itself.
 */

export interface DownloadFile {
  name: string;
  type: string;
  data: Uint8Array | string;
}

/** The file an `export` message carries. */
export function exportFile(m: ExportMessage): DownloadFile {
  switch (m.format) {
    case 'pcapng':
      return { name: m.filename, type: 'application/vnd.tcpdump.pcap', data: fromBase64(m.base64) };
    case 'keylog':
      return { name: m.filename, type: 'text/plain', data: m.text };
    case 'transcript':
      return { name: m.filename, type: 'application/json', data: `${JSON.stringify(m.transcript, null, 1)}\n` };
  }
}

/** Both sides' certificate chains (leaf first) and trust anchors as one PEM bundle with comment lines. */
export function certificatesPem(session: SessionEventT): string {
  const out: string[] = [`# Handshake Lab session ${session.id} (${session.startedAt})`];
  for (const side of ['acs', 'cpe', 'attacker'] as const) {
    const c = session.certificates[side];
    if (!c) continue; // no attacker in this session
    const who = side === 'attacker' ? 'ATTACKER' : side.toUpperCase();
    c.chain.forEach((pem, i) => {
      out.push(`# ${who} chain [${i}]${i === 0 ? ' (leaf)' : ''}`, pem.trim());
    });
    c.trust.forEach((pem, i) => {
      out.push(`# ${who} trust anchor [${i}]`, pem.trim());
    });
  }
  return `${out.join('\n')}\n`;
}

export function sessionEventOf(events: LabEvent[]): SessionEventT | null {
  const e = events.find((x) => x.kind === 'session');
  return e && e.kind === 'session' ? e : null;
}

/** A short file-name stem for a session: handshake-lab-<id>. */
export function fileStem(id: string): string {
  return `handshake-lab-${id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 48)}`;
}

/** Saves a file through the browser (an object URL on a temporary link). */
export function download(file: DownloadFile): void {
  const part: BlobPart = typeof file.data === 'string' ? file.data : (file.data as Uint8Array<ArrayBuffer>);
  const blob = new Blob([part], { type: file.type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.rel = 'noopener';
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
