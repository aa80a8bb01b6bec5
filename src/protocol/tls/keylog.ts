import { TlsDecodeError } from './errors.ts';
import { fromHex, toHex } from './fields.ts';

/**
 * NSS key log format (SSLKEYLOGFILE), as written by OpenSSL's keylog callback and Node's
 * `keylog` event: `<LABEL> <ClientHello.random hex> <secret hex>`.
 */
export const KEYLOG_LABELS = [
  'CLIENT_RANDOM', // TLS 1.2: the 48-byte master secret
  'RSA', // TLS 1.2 static RSA: first 8 bytes of the encrypted premaster → the 48-byte premaster secret
  'CLIENT_EARLY_TRAFFIC_SECRET',
  'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
  'SERVER_HANDSHAKE_TRAFFIC_SECRET',
  'CLIENT_TRAFFIC_SECRET_0',
  'SERVER_TRAFFIC_SECRET_0',
  'EARLY_EXPORTER_SECRET',
  'EXPORTER_SECRET',
] as const;
export type KeyLogLabel = (typeof KEYLOG_LABELS)[number];

export interface KeyLogEntry {
  label: KeyLogLabel;
  /** Hex, lower case: the ClientHello.random (or, for RSA lines, the encrypted premaster's first 8 bytes). */
  clientRandom: string;
  secret: Uint8Array;
  line: string;
}

/** Parse one key log line. Comments and blank lines give null; malformed lines throw ERR_BAD_KEYLOG. */
export function parseKeyLogLine(raw: string): KeyLogEntry | null {
  const line = raw.trim();
  if (line === '' || line.startsWith('#')) return null;
  const parts = line.split(/\s+/);
  if (parts.length !== 3) {
    throw new TlsDecodeError('ERR_BAD_KEYLOG', `expected "LABEL client_random secret", got ${parts.length} word(s)`);
  }
  const [label, cr, secret] = parts as [string, string, string];
  if (!(KEYLOG_LABELS as readonly string[]).includes(label)) {
    throw new TlsDecodeError('ERR_BAD_KEYLOG', `unknown key log label ${JSON.stringify(label.slice(0, 40))}`);
  }
  if (label === 'RSA' ? !/^[0-9a-fA-F]{16}$/.test(cr) : !/^[0-9a-fA-F]{64}$/.test(cr)) {
    const what = label === 'RSA' ? 'the encrypted premaster prefix must be 8 bytes' : 'client random must be 32 bytes';
    throw new TlsDecodeError('ERR_BAD_KEYLOG', `${what} of hex in ${label} line`);
  }
  if (!/^(?:[0-9a-fA-F]{2}){16,64}$/.test(secret)) {
    throw new TlsDecodeError('ERR_BAD_KEYLOG', `secret must be 16 to 64 bytes of hex in ${label} line`);
  }
  return { label: label as KeyLogLabel, clientRandom: cr.toLowerCase(), secret: fromHex(secret), line };
}

/** Key log text → entries; bad lines are reported, not fatal (a key log file may hold other tools' lines). */
export function parseKeyLog(text: string): { entries: KeyLogEntry[]; errors: { line: number; error: TlsDecodeError }[] } {
  const entries: KeyLogEntry[] = [];
  const errors: { line: number; error: TlsDecodeError }[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    try {
      const e = parseKeyLogLine(l);
      if (e) entries.push(e);
    } catch (err) {
      if (err instanceof TlsDecodeError) errors.push({ line: i + 1, error: err });
      else throw err;
    }
  });
  return { entries, errors };
}

/** The secrets learned so far, by client random and label. */
export class KeyLogStore {
  private readonly byRandom = new Map<string, Map<KeyLogLabel, Uint8Array>>();
  private readonly lines: string[] = [];

  /** Adds an entry; returns false when it was already known. */
  add(e: KeyLogEntry): boolean {
    let m = this.byRandom.get(e.clientRandom);
    if (!m) this.byRandom.set(e.clientRandom, (m = new Map()));
    if (m.has(e.label)) return false;
    m.set(e.label, e.secret);
    this.lines.push(`${e.label} ${e.clientRandom} ${toHex(e.secret)}`);
    return true;
  }

  get(clientRandom: Uint8Array | string, label: KeyLogLabel): Uint8Array | undefined {
    const key = typeof clientRandom === 'string' ? clientRandom.toLowerCase() : toHex(clientRandom);
    return this.byRandom.get(key)?.get(label);
  }

  /** SSLKEYLOGFILE text of everything known, in the order learned. */
  toText(): string {
    return this.lines.length ? this.lines.join('\n') + '\n' : '';
  }

  get size(): number {
    return this.lines.length;
  }
}
