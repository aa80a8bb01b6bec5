import { CbcRecordProtection, cbcSuiteInfo, keyBlockCbc12 } from './cbc.ts';
import type { AeadName, CryptoProvider, HashName } from './crypto.ts';
import { RecordDeframer, type TlsRecord } from './deframer.ts';
import { enumName } from './enums.ts';
import { TlsDecodeError } from './errors.ts';
import { field, toHex, type Field } from './fields.ts';
import {
  decodeAlert,
  decodeChangeCipherSpec,
  decodeHandshake,
  type DecodedHandshake,
  type HandshakeInfo,
  type VersionFamily,
} from './handshake.ts';
import { keyBlock12, nextTrafficSecret13, trafficKeys13 } from './keyschedule.ts';
import type { KeyLogLabel, KeyLogStore } from './keylog.ts';
import { RecordProtection, type Opened } from './record-protection.ts';
import { CIPHER_SUITE, CONTENT_TYPE, HANDSHAKE_TYPE, cipherSuiteInfo } from './registry.ts';
import { Reader } from './reader.ts';

export type Peer = 'client' | 'server';

export interface AnalyzedAlert {
  level: number;
  levelName: string;
  description: string;
  code: number;
}

/** One protocol message as it crossed the wire, decoded (and decrypted when the key log allows). */
export interface AnalyzedMessage {
  from: Peer;
  /** Time the record completing this message was seen. */
  t: number;
  name: string;
  contentType: number;
  record: { type: number; contentType: number; version: number; length: number; index: number; count: number; header: string };
  encrypted: boolean;
  decrypted: boolean;
  /** Message bytes: plaintext when decrypted; field offsets index into these. */
  bytes: Uint8Array;
  fields: Field[];
  summary: string;
  alert?: AnalyzedAlert;
  handshake?: HandshakeInfo;
  error?: { code: string; message: string };
}

export interface AnalyzerError {
  from: Peer;
  t: number;
  code: string;
  message: string;
}

export interface AnalyzerSink {
  message(m: AnalyzedMessage): void;
  error(e: AnalyzerError): void;
}

interface Queued {
  from: Peer;
  record: TlsRecord;
  t: number;
  index: number;
}

interface DirState {
  deframer: RecordDeframer;
  records: number;
  /** Records from here on are protected (TLS 1.2 after ChangeCipherSpec; TLS 1.3 after ServerHello, outer type 23). */
  protected: boolean;
  /** TLS 1.3 epoch. */
  epoch: 'handshake' | 'application';
  /** TLS 1.3 application traffic secret generation (KeyUpdate). */
  generation: number;
  protection?: RecordOpener;
  /** Decryption failed once: later records from this side are shown as they are. */
  broken: boolean;
  /** Handshake bytes not yet forming a whole message. */
  hs: Uint8Array;
  hsRecords: number;
  dead: boolean;
}

/** AEAD (record-protection.ts) or TLS 1.2 CBC (cbc.ts) record protection of one direction. */
type RecordOpener = { open(header: Uint8Array, fragment: Uint8Array): Opened | null };

const NO_BYTES = new Uint8Array(0);

function newDir(): DirState {
  return {
    deframer: new RecordDeframer(),
    records: 0,
    protected: false,
    epoch: 'handshake',
    generation: 0,
    broken: false,
    hs: NO_BYTES,
    hsRecords: 0,
    dead: false,
  };
}

function append(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * One TLS connection seen from the middle: bytes in, decoded messages out, in wire order.
 *
 * Records are processed strictly in the order they crossed the relay (both directions share one
 * queue). An encrypted record whose key-log secret has not arrived yet holds the queue until
 * `secretsChanged()` brings it, or until `finish()` shows the rest as they are.
 */
export class TlsConnectionAnalyzer {
  private readonly dirs: Record<Peer, DirState> = { client: newDir(), server: newDir() };
  private readonly queue: Queued[] = [];
  version: VersionFamily | undefined;
  cipherSuite: number | undefined;
  clientRandom: Uint8Array | undefined;
  serverRandom: Uint8Array | undefined;
  /** ServerHello.legacy_version (TLS 1.0/1.1 CBC cannot be decrypted: another PRF). */
  private serverVersion: number | undefined;
  private finished = false;

  constructor(
    private readonly crypto: CryptoProvider,
    private readonly keys: KeyLogStore,
    private readonly sink: AnalyzerSink,
  ) {}

  /** Records waiting for a secret. */
  get held(): number {
    return this.queue.length;
  }

  feed(from: Peer, bytes: Uint8Array, t: number): void {
    const d = this.dirs[from];
    if (d.dead || this.finished) return;
    let records: TlsRecord[];
    try {
      records = d.deframer.push(bytes);
    } catch (e) {
      d.dead = true;
      const err = e instanceof TlsDecodeError ? e : new TlsDecodeError('ERR_BAD_VALUE', String(e));
      this.sink.error({ from, t, code: err.code, message: err.message });
      return;
    }
    for (const record of records) this.queue.push({ from, record, t, index: d.records++ });
    if (d.deframer.failed && !d.dead) {
      d.dead = true;
      this.drain(false);
      const err = d.deframer.failed;
      this.sink.error({ from, t, code: err.code, message: err.message });
      return;
    }
    this.drain(false);
  }

  /** New key log lines arrived: retry held records. */
  secretsChanged(): void {
    if (!this.finished) this.drain(false);
  }

  /** End of capture: show held records as they are, report leftovers. */
  finish(t: number): void {
    if (this.finished) return;
    this.drain(true);
    this.finished = true;
    for (const from of ['client', 'server'] as const) {
      const d = this.dirs[from];
      if (d.hs.length) {
        this.sink.error({ from, t, code: 'ERR_TRUNCATED', message: `${d.hs.length} byte(s) of an unfinished handshake message at the end of the stream` });
      }
      if (d.deframer.pending && !d.dead) {
        this.sink.error({ from, t, code: 'ERR_TRUNCATED', message: `${d.deframer.pending} byte(s) of an unfinished record at the end of the stream` });
      }
    }
  }

  private drain(force: boolean): void {
    while (this.queue.length) {
      if (!this.process(this.queue[0]!, force)) return;
      this.queue.shift();
    }
  }

  /** Returns false when the record must wait for a secret. */
  private process(q: Queued, force: boolean): boolean {
    const d = this.dirs[q.from];
    const rec = q.record;
    const header = rec.bytes.subarray(0, 5);
    const fragment = rec.bytes.subarray(5);
    const isProtected = d.protected && (this.version !== 'tls13' || rec.type === ContentTypeValue.application_data);
    if (!isProtected) {
      this.content(q, rec.type, fragment, false);
      return true;
    }
    if (d.broken) {
      this.opaque(q, fragment);
      return true;
    }
    const prot = this.protection(q.from);
    if (prot === 'blocked' && !force) return false;
    if (prot === 'blocked' || prot === 'unsupported') {
      this.opaque(q, fragment, prot === 'unsupported' ? { code: 'ERR_UNSUPPORTED_CIPHER', message: `cannot decrypt ${this.suiteName()}` } : undefined);
      return true;
    }
    const opened = prot.open(header, fragment);
    if (!opened) {
      d.broken = true;
      this.opaque(q, fragment, { code: 'ERR_DECRYPT', message: 'record authentication failed with the logged secret' });
      return true;
    }
    this.content(q, opened.type, opened.plaintext, true);
    return true;
  }

  private suiteName(): string {
    return this.cipherSuite === undefined ? 'an unknown cipher suite' : enumName(CIPHER_SUITE, this.cipherSuite);
  }

  private protection(from: Peer): RecordOpener | 'blocked' | 'unsupported' {
    const d = this.dirs[from];
    if (d.protection) return d.protection;
    const info = this.cipherSuite === undefined ? undefined : cipherSuiteInfo(this.cipherSuite);
    const aead = info?.aead;
    if (!info || !aead || !isSupportedAead(aead)) return this.cbcProtection(from);
    const hash = info.hash as HashName;
    if (!this.clientRandom) return 'unsupported';
    if (this.version === 'tls13') {
      const side = from === 'client' ? 'CLIENT' : 'SERVER';
      const label = (d.epoch === 'handshake' ? `${side}_HANDSHAKE_TRAFFIC_SECRET` : `${side}_TRAFFIC_SECRET_0`) as KeyLogLabel;
      let secret = this.keys.get(this.clientRandom, label);
      if (!secret) return 'blocked';
      if (d.epoch === 'application') for (let i = 0; i < d.generation; i++) secret = nextTrafficSecret13(this.crypto, hash, secret);
      d.protection = new RecordProtection(this.crypto, trafficKeys13(this.crypto, hash, aead, secret), 'tls13');
    } else {
      const master = this.keys.get(this.clientRandom, 'CLIENT_RANDOM');
      if (!master) return 'blocked';
      if (!this.serverRandom) return 'unsupported';
      const kb = keyBlock12(this.crypto, hash, aead, master, this.clientRandom, this.serverRandom);
      d.protection = new RecordProtection(this.crypto, from === 'client' ? kb.client : kb.server, 'tls12');
    }
    return d.protection;
  }

  /** TLS 1.2 CBC suites (RFC 5246 §6.2.3.2), when the CryptoProvider has AES-CBC. */
  private cbcProtection(from: Peer): RecordOpener | 'blocked' | 'unsupported' {
    const suite = this.cipherSuite === undefined ? undefined : cbcSuiteInfo(this.cipherSuite);
    if (!suite || this.version !== 'tls12' || this.serverVersion !== 0x0303 || !this.crypto.cbcDecrypt) return 'unsupported';
    if (!this.clientRandom || !this.serverRandom) return 'unsupported';
    const master = this.keys.get(this.clientRandom, 'CLIENT_RANDOM');
    if (!master) return 'blocked';
    const kb = keyBlockCbc12(this.crypto, suite, master, this.clientRandom, this.serverRandom);
    const d = this.dirs[from];
    d.protection = new CbcRecordProtection(this.crypto, suite, from === 'client' ? kb.client : kb.server);
    return d.protection;
  }

  private recordInfo(q: Queued, contentType: number, count = 1): AnalyzedMessage['record'] {
    return {
      type: q.record.type,
      contentType,
      version: q.record.version,
      length: q.record.length,
      index: q.index,
      count,
      header: toHex(q.record.bytes.subarray(0, 5)),
    };
  }

  private emit(q: Queued, m: Omit<AnalyzedMessage, 'from' | 't'>): void {
    this.sink.message({ from: q.from, t: q.t, ...m });
  }

  /** A protected record shown as it is on the wire (no key, or decryption failed). */
  private opaque(q: Queued, fragment: Uint8Array, error?: { code: string; message: string }): void {
    // RFC 5246/8446 naming as Wireshark shows undecrypted records.
    const name =
      q.record.type === ContentTypeValue.handshake ? 'EncryptedHandshakeMessage' : q.record.type === ContentTypeValue.alert ? 'EncryptedAlert' : 'ApplicationData';
    this.emit(q, {
      name,
      contentType: q.record.type,
      record: this.recordInfo(q, q.record.type),
      encrypted: true,
      decrypted: false,
      bytes: fragment,
      fields: [field('encrypted_record', 0, fragment.length, `${fragment.length} bytes of ciphertext (AEAD)`, { ref: this.version === 'tls13' ? 'RFC 8446 §5.2' : 'RFC 5246 §6.2.3.3' })],
      summary: error ? `${fragment.length} bytes, not decrypted: ${error.message}` : `${fragment.length} bytes, encrypted (no key)`,
      ...(error ? { error } : {}),
    });
  }

  private content(q: Queued, type: number, body: Uint8Array, decrypted: boolean): void {
    switch (type) {
      case ContentTypeValue.handshake:
        return this.handshake(q, body, decrypted);
      case ContentTypeValue.change_cipher_spec:
        return this.changeCipherSpec(q, body, decrypted);
      case ContentTypeValue.alert:
        return this.alerts(q, body, decrypted);
      case ContentTypeValue.application_data:
        this.emit(q, {
          name: 'ApplicationData',
          contentType: type,
          record: this.recordInfo(q, type),
          encrypted: decrypted,
          decrypted,
          bytes: body,
          fields: [field('application_data', 0, body.length, `${body.length} bytes`, { ref: 'RFC 8446 §5.1' })],
          summary: summarizeAppData(body),
        });
        return;
      default:
        this.emit(q, {
          name: enumName(CONTENT_TYPE, type, 1),
          contentType: type,
          record: this.recordInfo(q, type),
          encrypted: decrypted,
          decrypted,
          bytes: body,
          fields: [field('fragment', 0, body.length, `${body.length} bytes`)],
          summary: `${body.length} bytes`,
        });
    }
  }

  /** RFC 5246 §7.1 / RFC 8446 §5 ChangeCipherSpec (TLS 1.3: compatibility only, §D.4). */
  private changeCipherSpec(q: Queued, body: Uint8Array, decrypted: boolean): void {
    let fields: Field[];
    let summary: string;
    let error: AnalyzedMessage['error'];
    try {
      ({ fields, summary } = decodeChangeCipherSpec(body));
    } catch (e) {
      fields = [field('fragment', 0, body.length, toHex(body))];
      summary = 'malformed';
      error = asError(e);
    }
    this.emit(q, {
      name: 'ChangeCipherSpec',
      contentType: ContentTypeValue.change_cipher_spec,
      record: this.recordInfo(q, ContentTypeValue.change_cipher_spec),
      encrypted: decrypted,
      decrypted,
      bytes: body,
      fields,
      summary: this.version === 'tls13' ? `${summary} (middlebox compatibility, no effect in TLS 1.3)` : summary,
      ...(error ? { error } : {}),
    });
    if (this.version !== 'tls13') {
      const d = this.dirs[q.from];
      d.protected = true;
      d.protection = undefined;
    }
  }

  /** RFC 8446 §6 / RFC 5246 §7.2: one or more 2-byte alerts. */
  private alerts(q: Queued, body: Uint8Array, decrypted: boolean): void {
    const r = new Reader(body, 0, body.length, 'alert record');
    do {
      const start = r.offset;
      const n = Math.min(2, r.remaining);
      const bytes = r.bytes(n);
      let error: AnalyzedMessage['error'];
      let a: ReturnType<typeof decodeAlert> | undefined;
      try {
        a = decodeAlert(bytes);
      } catch (e) {
        error = asError(e);
      }
      this.emit(q, {
        name: 'Alert',
        contentType: ContentTypeValue.alert,
        record: this.recordInfo(q, ContentTypeValue.alert),
        encrypted: decrypted,
        decrypted,
        bytes: bytes.slice(),
        fields: a ? a.fields : [field('fragment', 0, bytes.length, toHex(bytes))],
        summary: a ? a.summary : `malformed alert at offset ${start}`,
        ...(a ? { alert: { level: a.level, levelName: a.levelName, description: a.descriptionName, code: a.description } } : {}),
        ...(error ? { error } : {}),
      });
    } while (!r.done);
  }

  private handshake(q: Queued, body: Uint8Array, decrypted: boolean): void {
    const d = this.dirs[q.from];
    d.hs = append(d.hs, body);
    d.hsRecords++;
    for (;;) {
      const r = new Reader(d.hs, 0, d.hs.length, 'handshake stream');
      if (r.remaining < 4) break;
      const type = r.u8();
      const len = r.u24();
      if (r.remaining < len) break;
      const msg = d.hs.slice(0, 4 + len);
      d.hs = d.hs.subarray(4 + len);
      const count = d.hsRecords;
      d.hsRecords = d.hs.length ? 1 : 0;
      let dec: DecodedHandshake | undefined;
      let error: AnalyzedMessage['error'];
      try {
        dec = decodeHandshake(msg, { from: q.from, ...(this.version ? { version: this.version } : {}), ...(this.cipherSuite !== undefined ? { cipherSuite: this.cipherSuite } : {}) });
      } catch (e) {
        error = asError(e);
      }
      this.emit(q, {
        name: dec ? dec.name : enumName(HANDSHAKE_TYPE, type, 1),
        contentType: ContentTypeValue.handshake,
        record: this.recordInfo(q, ContentTypeValue.handshake, count),
        encrypted: decrypted,
        decrypted,
        bytes: msg,
        fields: dec ? dec.fields : [field('msg_type', 0, 1, enumName(HANDSHAKE_TYPE, type, 1)), field('length', 1, 4, String(len)), field('body', 4, msg.length, `${len} bytes (not decoded)`)],
        summary: dec ? dec.summary : `malformed: ${error?.message ?? ''}`,
        ...(dec ? { handshake: dec.info } : {}),
        ...(error ? { error } : {}),
      });
      if (dec) this.learn(q.from, dec.info, decrypted);
    }
    if (!d.hs.length) d.hsRecords = 0;
  }

  /** What the analyzer needs to know from handshake messages to follow the connection's keys. */
  private learn(from: Peer, info: HandshakeInfo, decrypted: boolean): void {
    switch (info.kind) {
      case 'ClientHello':
        if (!this.clientRandom) this.clientRandom = info.random.slice();
        break;
      case 'ServerHello':
        if (info.helloRetryRequest) break;
        this.serverRandom = info.random.slice();
        this.serverVersion = info.legacyVersion;
        this.cipherSuite = info.cipherSuite;
        this.version = info.selectedVersion === 0x0304 ? 'tls13' : 'tls12';
        if (this.version === 'tls13') {
          this.dirs.client.protected = true;
          this.dirs.server.protected = true;
        }
        break;
      case 'Finished':
        if (this.version === 'tls13' && decrypted) {
          const d = this.dirs[from];
          d.epoch = 'application';
          d.protection = undefined;
        }
        break;
      case 'KeyUpdate':
        if (this.version === 'tls13' && decrypted) {
          const d = this.dirs[from];
          d.generation++;
          d.protection = undefined;
        }
        break;
      default:
        break;
    }
  }
}

const ContentTypeValue = { change_cipher_spec: 20, alert: 21, handshake: 22, application_data: 23 } as const;

function isSupportedAead(a: string): a is AeadName {
  return a === 'AES-128-GCM' || a === 'AES-256-GCM' || a === 'CHACHA20-POLY1305';
}

function asError(e: unknown): { code: string; message: string } {
  if (e instanceof TlsDecodeError) return { code: e.code, message: e.message };
  return { code: 'ERR_INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/** The first line of an HTTP message, or a byte count. */
export function summarizeAppData(body: Uint8Array): string {
  const head = body.subarray(0, Math.min(body.length, 200));
  let line = '';
  for (const b of head) {
    if (b === 13 || b === 10) break;
    if (b < 32 || b > 126) return `${body.length} bytes`;
    line += String.fromCharCode(b);
  }
  return /^(?:[A-Z]+ \S+ HTTP\/\d\.\d|HTTP\/\d\.\d \d{3})/.test(line) ? `${line} (${body.length} bytes)` : `${body.length} bytes`;
}

