import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../server/crypto-node.ts';
import { TlsConnectionAnalyzer, type AnalyzedMessage, type Peer } from '../../protocol/tls/connection.ts';
import { fromHex, type Field } from '../../protocol/tls/fields.ts';
import { decodeAlert, decodeChangeCipherSpec, decodeHandshake, type HandshakeContext } from '../../protocol/tls/handshake.ts';
import { KeyLogStore, parseKeyLog } from '../../protocol/tls/keylog.ts';
import { fieldDoc, messageDoc, type DocSource } from './field-docs.ts';

/**
 * Every field name the real decoders produce has an explanation (from the table or a rule that
 * describes it, never the generic fallback). Messages come from the recorded live sessions
 * (test/fixtures, all four modes, decrypted with their key logs), the RFC 8448 trace, OpenSSL's
 * TLS 1.2 handshakes, and a few messages our sessions do not send (KeyUpdate, HelloRetryRequest,
 * TLS 1.3 CertificateRequest with certificate_authorities, a NewSessionTicket with early_data)
 * built as bytes and decoded by the same parser.
 */
const root = join(import.meta.dirname, '../../..');

interface Decoded {
  message: string;
  fields: Field[];
}

function fromFixtures(): Decoded[] {
  const out: Decoded[] = [];
  for (const mode of ['tls13-aes128gcm', 'tls13-chacha20', 'tls12-ecdhe', 'paper']) {
    const f = JSON.parse(readFileSync(join(root, 'test/fixtures', `wire-${mode}.json`), 'utf8')) as { keyLog: string; chunks: { from: Peer; t: number; hex: string }[] };
    const keys = new KeyLogStore();
    for (const e of parseKeyLog(f.keyLog).entries) keys.add(e);
    const msgs: AnalyzedMessage[] = [];
    const a = new TlsConnectionAnalyzer(nodeCrypto, keys, { message: (m) => msgs.push(m), error: () => {} });
    for (const c of f.chunks) a.feed(c.from, fromHex(c.hex), c.t);
    // Without keys: the opaque forms (encrypted_record) too.
    const opaque: AnalyzedMessage[] = [];
    const b = new TlsConnectionAnalyzer(nodeCrypto, new KeyLogStore(), { message: (m) => opaque.push(m), error: () => {} });
    for (const c of f.chunks) b.feed(c.from, fromHex(c.hex), c.t);
    b.finish(f.chunks.at(-1)?.t ?? 0);
    for (const m of [...msgs, ...opaque]) out.push({ message: m.name, fields: m.fields });
  }
  return out;
}

function hs(hex: string, ctx: HandshakeContext): Decoded {
  const d = decodeHandshake(fromHex(hex.replace(/\s+/g, '')), ctx);
  return { message: d.name, fields: d.fields };
}

function fromTestdata(): Decoded[] {
  const out: Decoded[] = [];
  const r = JSON.parse(readFileSync(join(root, 'src/protocol/tls/testdata/rfc8448-simple-1rtt.json'), 'utf8')) as Record<string, string>;
  const t13 = { version: 'tls13' } as const;
  out.push(hs(r.clientHello!, { from: 'client' }));
  out.push(hs(r.serverHello!, { from: 'server' }));
  for (const k of ['encryptedExtensions', 'certificate', 'certificateVerify', 'serverFinished', 'newSessionTicket']) out.push(hs(r[k]!, { from: 'server', ...t13 }));
  out.push(hs(r.clientFinished!, { from: 'client', ...t13 }));
  const o = JSON.parse(readFileSync(join(root, 'src/protocol/tls/testdata/tls12-openssl.json'), 'utf8')) as {
    sessions: Record<string, { client: string[]; server: string[] }>;
  };
  const suites: Record<string, number> = { ecdhe: 0xc02f, rsa: 0x009c };
  for (const [name, s] of Object.entries(o.sessions)) {
    for (const m of s.client) out.push(hs(m, { from: 'client', version: 'tls12', cipherSuite: suites[name]! }));
    for (const m of s.server) out.push(hs(m, { from: 'server', version: 'tls12', cipherSuite: suites[name]! }));
  }
  return out;
}

const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';
/** Messages the lab's sessions do not send, as bytes (RFC 8446 layouts), decoded by the parser. */
function synthetic(): Decoded[] {
  const t13 = { from: 'server', version: 'tls13' } as const;
  /** A length-prefixed vector: `size`-byte length, then the bytes. */
  const vec = (size: number, hex: string) => (hex.length / 2).toString(16).padStart(size * 2, '0') + hex;
  const dn = '3011310f300d06035504030c064c6162204341'; // Name: CN=Lab CA
  const certAuthExt = `002f${vec(2, vec(2, vec(2, dn)))}`;
  const sigAlgsExt = `000d${vec(2, vec(2, '0804'))}`;
  const cr = `00${vec(2, sigAlgsExt + certAuthExt)}`;
  const hrrExts = '002b00020304' + '003300020017' + `002c${vec(2, vec(2, '01020304'))}`;
  const hrrBody = `0303${HRR_RANDOM}00130100${vec(2, hrrExts)}`;
  const nstBody = '00001c20' + '01020304' + vec(1, '00') + vec(2, '01020304') + vec(2, `002a${vec(2, '00004000')}`);
  const len = (hex: string) => (hex.length / 2).toString(16).padStart(6, '0');
  const cs = decodeChangeCipherSpec(fromHex('01'));
  const al = decodeAlert(fromHex('022a'));
  return [
    hs(`18000001 01`, t13),
    hs(`02${len(hrrBody)}${hrrBody}`, { from: 'server' }),
    hs(`0d${len(cr)}${cr}`, t13),
    hs(`04${len(nstBody)}${nstBody}`, t13),
    { message: 'ChangeCipherSpec', fields: cs.fields },
    { message: 'Alert', fields: al.fields },
  ];
}

function walk(d: Decoded, f: Field, parent: string | undefined, seen: Map<string, DocSource>): void {
  const { source } = fieldDoc(f, { message: d.message, parent });
  seen.set(`${d.message} ${parent ?? ''}/${f.name}`, source);
  for (const c of f.children ?? []) walk(d, c, f.name, seen);
}

describe('field docs', () => {
  const messages = [...fromFixtures(), ...fromTestdata(), ...synthetic()];

  it('the corpus covers every message kind the inspector shows', () => {
    const names = new Set(messages.map((m) => m.message));
    for (const n of [
      'ClientHello', 'ServerHello', 'HelloRetryRequest', 'EncryptedExtensions', 'Certificate', 'CertificateRequest', 'ServerKeyExchange',
      'ServerHelloDone', 'ClientKeyExchange', 'CertificateVerify', 'Finished', 'NewSessionTicket', 'KeyUpdate', 'ChangeCipherSpec',
      'Alert', 'ApplicationData',
    ]) {
      expect(names, n).toContain(n);
    }
  });

  it('every field name from real decoded messages has an explanation (never the generic fallback)', () => {
    const seen = new Map<string, DocSource>();
    for (const m of messages) for (const f of m.fields) walk(m, f, undefined, seen);
    expect(seen.size).toBeGreaterThan(150);
    const missing = [...seen].filter(([, s]) => s === 'fallback').map(([k]) => k);
    expect(missing).toEqual([]);
  });

  it('every explanation has English, Chinese and a section reference', () => {
    for (const m of messages) {
      const visit = (f: Field, parent?: string): void => {
        const { doc } = fieldDoc(f, { message: m.message, parent });
        expect(doc.en.length, f.name).toBeGreaterThan(5);
        expect(doc.zh, f.name).toMatch(/[\u4e00-\u9fff]/);
        expect(f.ref ?? doc.ref, f.name).toMatch(/^(RFC \d+|TR-069)/);
        for (const c of f.children ?? []) visit(c, f.name);
      };
      for (const f of m.fields) visit(f);
    }
  });

  it('one name, two meanings: context picks the right text', () => {
    const cv = fieldDoc({ name: 'signature' }, { message: 'CertificateVerify' }).doc;
    const ske = fieldDoc({ name: 'signature' }, { message: 'ServerKeyExchange', parent: 'signed_params' }).doc;
    expect(cv.en).toMatch(/transcript/);
    expect(ske.en).toMatch(/ECDH/);
    expect(fieldDoc({ name: 'server_name' }, { message: 'ClientHello', parent: 'extensions' }).doc.en).toMatch(/SNI/);
    expect(fieldDoc({ name: 'server_name' }, { message: 'ClientHello', parent: 'server_name_list' }).doc.en).toMatch(/entry/);
    expect(fieldDoc({ name: 'random' }, { message: 'HelloRetryRequest' }).doc.en).toMatch(/HelloRetryRequest/);
  });

  it('length prefixes and unknown extensions are explained by rule; anything else falls back by shape', () => {
    const l = fieldDoc({ name: 'cipher_suites_length', value: 4 }, { message: 'ClientHello', parent: 'cipher_suites' });
    expect(l.source).toBe('pattern');
    expect(l.doc.en).toContain('cipher_suites');
    expect(fieldDoc({ name: '0x1A1A' }, { message: 'ClientHello', parent: 'extensions' }).source).toBe('pattern');
    const f = fieldDoc({ name: 'mystery', value: 3 }, { message: 'ClientHello' });
    expect(f.source).toBe('fallback');
    expect(f.doc.en).toBe('A number.');
  });

  it('every message kind has its own explanation', () => {
    for (const m of new Set(messages.map((x) => x.message))) expect(messageDoc(m), m).not.toBeNull();
    expect(messageDoc('EncryptedHandshakeMessage')?.zh).toMatch(/密文/);
    expect(messageDoc('NoSuchMessage')).toBeNull();
  });
});
