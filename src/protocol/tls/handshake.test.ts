import { generateKeyPairSync } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import forge from 'node-forge';
import { Certificate } from '@peculiar/asn1-x509';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TlsDecodeError } from './errors.ts';
import type { Field } from './fields.ts';
import { fromHex, toHex } from './fields.ts';
import { decodeAlert, decodeChangeCipherSpec, decodeHandshake, isHelloRetryRequestRandom } from './handshake.ts';
import type { DecodedHandshake, HandshakeContext, HandshakeInfo } from './handshake.ts';
import rfc8448 from './testdata/rfc8448-simple-1rtt.json';
import openssl from './testdata/tls12-openssl.json';

// ---- helpers ---------------------------------------------------------------------------------

const TLS13: HandshakeContext = { from: 'server', version: 'tls13', cipherSuite: 0x1301 };

function kind<K extends HandshakeInfo['kind']>(d: DecodedHandshake, k: K): Extract<HandshakeInfo, { kind: K }> {
  expect(d.info.kind).toBe(k);
  return d.info as Extract<HandshakeInfo, { kind: K }>;
}

function find(fields: Field[], name: string): Field | undefined {
  for (const f of fields) {
    if (f.name === name) return f;
    const c = f.children ? find(f.children, name) : undefined;
    if (c) return c;
  }
  return undefined;
}

function all(fields: Field[], name: string, out: Field[] = []): Field[] {
  for (const f of fields) {
    if (f.name === name) out.push(f);
    if (f.children) all(f.children, name, out);
  }
  return out;
}

/** 0 ≤ start ≤ end ≤ len, children nested inside their parent. Returns the node count. */
function checkTree(fields: Field[], lo: number, hi: number): number {
  let n = 0;
  for (const f of fields) {
    expect(Number.isInteger(f.start) && Number.isInteger(f.end)).toBe(true);
    if (!(lo <= f.start && f.start <= f.end && f.end <= hi)) {
      throw new Error(`field ${f.name} [${f.start},${f.end}) outside parent [${lo},${hi})`);
    }
    expect(typeof f.display).toBe('string');
    n += 1 + (f.children ? checkTree(f.children, f.start, f.end) : 0);
  }
  return n;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof TlsDecodeError) return e.code;
    throw e;
  }
  return 'no error';
}

const u16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
const u24 = (v: number): number[] => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const vec8 = (b: number[]): number[] => [b.length, ...b];
const vec16 = (b: number[]): number[] => [...u16(b.length), ...b];
const ext = (type: number, data: number[]): number[] => [...u16(type), ...vec16(data)];
const hs = (type: number, body: number[]): Uint8Array => new Uint8Array([type, ...u24(body.length), ...body]);
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

function clientHello(suites: number[], exts: number[][]): Uint8Array {
  return hs(1, [
    ...u16(0x0303),
    ...zeros(32),
    ...vec8([]),
    ...vec16(suites.flatMap(u16)),
    ...vec8([0]),
    ...vec16(exts.flat()),
  ]);
}

const golden13: { name: string; hex: string; ctx: HandshakeContext }[] = [
  { name: 'ClientHello', hex: rfc8448.clientHello, ctx: { from: 'client' } },
  { name: 'ServerHello', hex: rfc8448.serverHello, ctx: { from: 'server' } },
  { name: 'EncryptedExtensions', hex: rfc8448.encryptedExtensions, ctx: TLS13 },
  { name: 'Certificate', hex: rfc8448.certificate, ctx: TLS13 },
  { name: 'CertificateVerify', hex: rfc8448.certificateVerify, ctx: TLS13 },
  { name: 'Finished', hex: rfc8448.serverFinished, ctx: TLS13 },
  { name: 'Finished', hex: rfc8448.clientFinished, ctx: { ...TLS13, from: 'client' } },
  { name: 'NewSessionTicket', hex: rfc8448.newSessionTicket, ctx: TLS13 },
];

const E = openssl.sessions.ecdhe;
const R = openssl.sessions.rsa;
const ECDHE12: HandshakeContext = { from: 'server', version: 'tls12', cipherSuite: 0xc02f };
const RSA12: HandshakeContext = { from: 'server', version: 'tls12', cipherSuite: 0x009c };
const golden12: { name: string; hex: string; ctx: HandshakeContext }[] = [
  ...E.client.map((hex, i) => ({ name: ['ClientHello', 'Certificate', 'ClientKeyExchange', 'CertificateVerify'][i]!, hex, ctx: { ...ECDHE12, from: 'client' as const } })),
  ...E.server.map((hex, i) => ({
    name: ['ServerHello', 'Certificate', 'ServerKeyExchange', 'CertificateRequest', 'ServerHelloDone', 'NewSessionTicket'][i]!,
    hex,
    ctx: ECDHE12,
  })),
  ...R.client.map((hex, i) => ({ name: ['ClientHello', 'Certificate', 'ClientKeyExchange', 'CertificateVerify'][i]!, hex, ctx: { ...RSA12, from: 'client' as const } })),
  ...R.server.map((hex, i) => ({ name: ['ServerHello', 'Certificate', 'CertificateRequest', 'ServerHelloDone', 'NewSessionTicket'][i]!, hex, ctx: RSA12 })),
];
const golden = [...golden13, ...golden12];

// ---- RFC 8448 §3 golden vectors -----------------------------------------------------------------

describe('RFC 8448 §3 Simple 1-RTT Handshake', () => {
  it('ClientHello', () => {
    const msg = fromHex(rfc8448.clientHello);
    const d = decodeHandshake(msg, { from: 'client' });
    expect(d.name).toBe('ClientHello');
    expect(d.type).toBe(1);
    expect(d.length).toBe(192);
    const i = kind(d, 'ClientHello');
    expect(i.serverName).toBe('server');
    expect(i.cipherSuites).toEqual([0x1301, 0x1303, 0x1302]);
    expect(i.supportedVersions).toEqual([0x0304]);
    expect(i.keyShareGroups).toEqual([0x001d]);
    expect(i.extensions).toEqual([0, 0xff01, 10, 35, 51, 43, 13, 45, 28]);
    expect(i.signatureAlgorithms?.[0]).toBe(0x0403);
    expect(toHex(i.random)).toBe('cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7');
    expect(i.sessionId.length).toBe(0);
    expect(d.summary).toBe('SNI=server, 3 suites, versions TLS 1.3, key_share x25519');
    expect(d.fields.map((f) => f.name)).toEqual([
      'msg_type',
      'length',
      'legacy_version',
      'random',
      'legacy_session_id',
      'cipher_suites',
      'legacy_compression_methods',
      'extensions',
    ]);
    const suites = find(d.fields, 'cipher_suites')!;
    expect([suites.start, suites.end]).toEqual([39, 47]);
    expect(suites.ref).toBe('RFC 8446 §4.1.2');
    expect(suites.children?.filter((c) => c.name === 'cipher_suite').map((c) => c.display)).toEqual([
      'TLS_AES_128_GCM_SHA256 (0x1301)',
      'TLS_CHACHA20_POLY1305_SHA256 (0x1303)',
      'TLS_AES_256_GCM_SHA384 (0x1302)',
    ]);
    const random = find(d.fields, 'random')!;
    expect(toHex(msg.subarray(random.start, random.end))).toBe(random.value);
    const sni = find(d.fields, 'server_name')!;
    expect(sni.display).toBe('server_name: server');
    expect(toHex(msg.subarray(sni.start, sni.end))).toBe('0000000b000900000673657276657200'.slice(0, 30));
    const share = find(d.fields, 'KeyShareEntry')!;
    expect(share.display).toBe('x25519, 32-byte key_exchange');
    const keyEx = find(share.children!, 'key_exchange')!;
    expect(toHex(msg.subarray(keyEx.end - 32, keyEx.end))).toBe('99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c');
  });

  it('ServerHello', () => {
    const d = decodeHandshake(fromHex(rfc8448.serverHello), { from: 'server' });
    expect(d.name).toBe('ServerHello');
    const i = kind(d, 'ServerHello');
    expect(i.legacyVersion).toBe(0x0303);
    expect(i.selectedVersion).toBe(0x0304);
    expect(i.cipherSuite).toBe(0x1301);
    expect(i.keyShareGroup).toBe(0x001d);
    expect(i.helloRetryRequest).toBe(false);
    expect(i.extensions).toEqual([51, 43]);
    expect(d.summary).toBe('TLS 1.3, TLS_AES_128_GCM_SHA256, x25519');
    expect(find(d.fields, 'cipher_suite')?.display).toBe('TLS_AES_128_GCM_SHA256 (0x1301)');
    expect(find(d.fields, 'server_share')?.display).toBe('x25519, 32-byte key_exchange');
    expect(find(d.fields, 'selected_version')?.display).toBe('TLS 1.3 (0x0304)');
  });

  it('EncryptedExtensions', () => {
    const d = decodeHandshake(fromHex(rfc8448.encryptedExtensions), TLS13);
    expect(d.name).toBe('EncryptedExtensions');
    expect(kind(d, 'EncryptedExtensions').extensions).toEqual([10, 28, 0]);
    expect(d.summary).toBe('supported_groups, record_size_limit, server_name');
    expect(find(d.fields, 'server_name')?.display).toBe('server_name: (empty)');
    expect(find(d.fields, 'record_size_limit')?.display).toBe('record_size_limit: 16385');
  });

  it('Certificate (TLS 1.3 CertificateEntry)', () => {
    const msg = fromHex(rfc8448.certificate);
    const d = decodeHandshake(msg, TLS13);
    expect(d.name).toBe('Certificate');
    const i = kind(d, 'Certificate');
    expect(i.context?.length).toBe(0);
    expect(i.certificates).toHaveLength(1);
    const c = i.certificates[0]!;
    expect(c.der.length).toBe(432);
    expect(c.summary?.subject).toBe('CN=rsa');
    expect(c.summary?.subjectCN).toBe('rsa');
    expect(c.summary?.keyType).toBe('RSA');
    expect(c.summary?.keyBits).toBe(1024);
    expect(c.summary?.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(c.summary?.selfIssued).toBe(true);
    expect(c.summary?.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(d.summary).toBe('1 cert: CN=rsa');
    const entry = find(d.fields, 'CertificateEntry')!;
    expect([entry.start, entry.end]).toEqual([8, 445]);
    const data = all(entry.children!, 'cert_data').find((f) => f.children !== undefined && f.start === 11)!;
    expect([data.start, data.end]).toEqual([11, 443]);
    expect(find(data.children!, 'subject')?.display).toBe('CN=rsa');
    expect(find(data.children!, 'subjectPublicKeyInfo')?.display).toBe('RSA 1024 bits');
    expect(entry.children!.find((c) => c.name === 'extensions')?.display).toBe('0 extensions');
    expect(find(data.children!, 'x509_extensions')?.display).toBe('2 extensions');
    // without a known version the 1.3 form is found too
    expect(decodeHandshake(msg, { from: 'server' }).summary).toBe('1 cert: CN=rsa');
  });

  it('certificate fields point at their own bytes in the message, not the whole certificate', () => {
    const msg = fromHex(openssl.sessions.ecdhe.server[1]!);
    const d = decodeHandshake(msg, { version: 'tls12', from: 'server' });
    const leaf = all(d.fields, 'cert_data').find((f) => f.children?.some((c) => c.name === 'subject'))!;
    const cert = AsnConvert.parse(msg.subarray(leaf.start, leaf.end), Certificate);
    const bytes = (f: Field | undefined) => toHex(msg.subarray(f!.start, f!.end));
    const enc = (v: object) => toHex(new Uint8Array(AsnConvert.serialize(v)));
    expect(bytes(find(leaf.children!, 'subject'))).toBe(enc(cert.tbsCertificate.subject));
    expect(bytes(find(leaf.children!, 'issuer'))).toBe(enc(cert.tbsCertificate.issuer));
    expect(bytes(find(leaf.children!, 'notAfter'))).toBe(enc(cert.tbsCertificate.validity.notAfter));
    expect(bytes(find(leaf.children!, 'subjectPublicKeyInfo'))).toBe(enc(cert.tbsCertificate.subjectPublicKeyInfo));
    expect(bytes(find(leaf.children!, 'signatureAlgorithm'))).toBe(enc(cert.signatureAlgorithm));
    const san = cert.tbsCertificate.extensions!.find((e) => e.extnID === '2.5.29.17')!;
    expect(bytes(find(leaf.children!, 'subjectAltName'))).toBe(enc(san));
    const names = find(leaf.children!, 'subjectAltName')!.children!;
    expect(names.map((n) => n.display)).toEqual(['DNS:acs.lab.test', 'IP:127.0.0.1']);
    // 'acs.lab.test' in ASCII lies inside the first GeneralName, and the two names do not overlap
    expect(Buffer.from(msg.subarray(names[0]!.start, names[0]!.end)).toString('latin1')).toContain('acs.lab.test');
    expect(names[1]!.start).toBeGreaterThanOrEqual(names[0]!.end);
    const exts = find(leaf.children!, 'x509_extensions')!.children!;
    expect(exts.map((e) => bytes(e))).toEqual(cert.tbsCertificate.extensions!.map(enc));
  });

  it('a certificate with subjectAltName twice (forbidden, but on the wire all the same): the names point at the extensions, not at one of them', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date('2026-01-01T00:00:00Z');
    cert.validity.notAfter = new Date('2027-01-01T00:00:00Z');
    cert.setSubject([{ name: 'commonName', value: 'twice' }]);
    cert.setIssuer([{ name: 'commonName', value: 'twice' }]);
    cert.setExtensions([
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'one.test' }] },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'two.test' }] },
    ]);
    cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()), forge.md.sha256.create());
    const der = Uint8Array.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), (c) => c.charCodeAt(0));
    const u24 = (n: number) => [n >> 16, (n >> 8) & 0xff, n & 0xff];
    const msg = Uint8Array.from([0x0b, ...u24(der.length + 6), ...u24(der.length + 3), ...u24(der.length), ...der]);
    const d = decodeHandshake(msg, { version: 'tls12', from: 'server' });
    const leaf = all(d.fields, 'cert_data').find((f) => f.children?.some((c) => c.name === 'subject'))!;
    const exts = find(leaf.children!, 'x509_extensions')!;
    const san = find(leaf.children!, 'subjectAltName')!;
    expect(san.display).toBe('DNS:one.test, DNS:two.test');
    expect([san.start, san.end]).toEqual([exts.start, exts.end]);
    for (const g of san.children!) expect([g.start, g.end], g.display).toEqual([exts.start, exts.end]);
    // each extension node still has its own bytes
    const [e1, e2] = exts.children!;
    expect(e2!.start).toBeGreaterThanOrEqual(e1!.end);
  });

  it('CertificateVerify, Finished, NewSessionTicket', () => {
    const cv = decodeHandshake(fromHex(rfc8448.certificateVerify), TLS13);
    expect(cv.name).toBe('CertificateVerify');
    expect(kind(cv, 'CertificateVerify').signatureScheme).toBe(0x0804);
    expect(cv.summary).toBe('rsa_pss_rsae_sha256, 128-byte signature');
    expect(find(cv.fields, 'algorithm')?.ref).toBe('RFC 8446 §4.4.3');

    const fin = decodeHandshake(fromHex(rfc8448.serverFinished), TLS13);
    expect(fin.name).toBe('Finished');
    expect(toHex(kind(fin, 'Finished').verifyData)).toBe('9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718');

    const nst = decodeHandshake(fromHex(rfc8448.newSessionTicket), TLS13);
    expect(nst.name).toBe('NewSessionTicket');
    expect(kind(nst, 'NewSessionTicket').lifetime).toBe(30);
    expect(find(nst.fields, 'ticket_age_add')?.value).toBe(0xfad6aac5);
    expect(find(nst.fields, 'early_data')?.display).toBe('early_data: max_early_data_size 1024');
    expect(nst.summary).toBe('lifetime 30 s, 178-byte ticket, early data ≤ 1024');
  });
});

// ---- real OpenSSL TLS 1.2 messages ------------------------------------------------------------

describe('OpenSSL TLS 1.2 mutual-TLS handshake (testdata/tls12-openssl.json)', () => {
  it('ClientHello and ServerHello', () => {
    const ch = decodeHandshake(fromHex(E.client[0]!), { from: 'client' });
    const ci = kind(ch, 'ClientHello');
    expect(ci.serverName).toBe('acs.lab.test');
    expect(ci.cipherSuites).toEqual([0xc02f, 0x00ff]);
    expect(ci.supportedVersions).toBeUndefined();
    expect(ch.summary).toBe('SNI=acs.lab.test, 2 suites, version TLS 1.2');
    expect(find(ch.fields, 'cipher_suites')?.children?.[2]?.display).toBe('TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00FF)');

    const sh = decodeHandshake(fromHex(E.server[0]!), { from: 'server' });
    const si = kind(sh, 'ServerHello');
    expect(si.cipherSuite).toBe(0xc02f);
    expect(si.legacyVersion).toBe(0x0303);
    expect(si.selectedVersion).toBeUndefined();
    expect(sh.summary).toBe('TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(find(sh.fields, 'cipher_suite')?.ref).toBe('RFC 5246 §7.4.1.3');
    expect(kind(decodeHandshake(fromHex(R.server[0]!), { from: 'server' }), 'ServerHello').cipherSuite).toBe(0x009c);
  });

  it('server Certificate chain (TLS 1.2 certificate_list)', () => {
    const d = decodeHandshake(fromHex(E.server[1]!), ECDHE12);
    const certs = kind(d, 'Certificate').certificates;
    expect(certs).toHaveLength(2);
    expect(d.summary).toBe('2 certs: CN=acs.lab.test ← CN=Handshake Lab Root CA');
    const leaf = certs[0]!.summary!;
    expect(leaf.subject).toBe('CN=acs.lab.test, O=Handshake Lab');
    expect(leaf.issuer).toBe('CN=Handshake Lab Root CA, O=Handshake Lab');
    expect(leaf.san).toEqual(['DNS:acs.lab.test', 'IP:127.0.0.1']);
    expect(leaf.extKeyUsage).toEqual(['serverAuth']);
    expect(leaf.keyType).toBe('RSA');
    expect(leaf.keyBits).toBe(2048);
    expect(leaf.selfIssued).toBe(false);
    expect(leaf.basicConstraints).toEqual({ ca: false });
    const ca = certs[1]!.summary!;
    expect(ca.keyType).toBe('EC');
    expect(ca.curve).toBe('P-256');
    expect(ca.basicConstraints?.ca).toBe(true);
    expect(ca.selfIssued).toBe(true);
    expect(all(d.fields, 'ASN.1Cert')).toHaveLength(2);
    expect(find(d.fields, 'certificate_list')?.ref).toBe('RFC 5246 §7.4.2');
    // a 1.2 Certificate is recognised without a version hint too
    expect(decodeHandshake(fromHex(E.server[1]!), { from: 'server' }).summary).toBe(d.summary);
  });

  it('client Certificate carries clientAuth', () => {
    const d = decodeHandshake(fromHex(E.client[1]!), { ...ECDHE12, from: 'client' });
    const leaf = kind(d, 'Certificate').certificates[0]!.summary!;
    expect(leaf.subjectCN).toBe('cpe-0001');
    expect(leaf.extKeyUsage).toEqual(['clientAuth']);
    expect(leaf.san).toEqual(['DNS:cpe-0001.lab.test']);
  });

  it('ServerKeyExchange (ECDHE, RFC 8422 §5.4)', () => {
    const d = decodeHandshake(fromHex(E.server[2]!), ECDHE12);
    expect(d.name).toBe('ServerKeyExchange');
    const i = kind(d, 'ServerKeyExchange');
    expect(i.group).toBe(0x001d);
    expect(i.signatureScheme).toBeDefined();
    expect(find(d.fields, 'curve_type')?.display).toBe('named_curve (0x03)');
    expect(find(d.fields, 'public')?.children?.[0]?.value).toBe(32);
    expect(d.summary).toMatch(/^ECDHE x25519, signed (rsa_pss_rsae_sha256|rsa_pkcs1_sha256)$/);
  });

  it('CertificateRequest (TLS 1.2)', () => {
    const d = decodeHandshake(fromHex(E.server[3]!), ECDHE12);
    expect(d.name).toBe('CertificateRequest');
    const i = kind(d, 'CertificateRequest');
    expect(i.certificateTypes).toEqual([1, 2, 64]);
    expect(i.signatureAlgorithms).toContain(0x0804);
    expect(i.authorities).toEqual(['CN=Handshake Lab Root CA, O=Handshake Lab']);
    expect(find(d.fields, 'DistinguishedName')?.display).toBe('CN=Handshake Lab Root CA, O=Handshake Lab');
  });

  it('ServerHelloDone, ClientKeyExchange forms, CertificateVerify, NewSessionTicket (RFC 5077)', () => {
    const done = decodeHandshake(fromHex(E.server[4]!), ECDHE12);
    expect(done.name).toBe('ServerHelloDone');
    expect(done.fields.map((f) => f.name)).toEqual(['msg_type', 'length']);

    const ecdhe = decodeHandshake(fromHex(E.client[2]!), { ...ECDHE12, from: 'client' });
    expect(ecdhe.name).toBe('ClientKeyExchange');
    expect(kind(ecdhe, 'ClientKeyExchange').form).toBe('ecdhe');
    expect(find(ecdhe.fields, 'ecdh_Yc')?.ref).toBe('RFC 8422 §5.7');

    const rsa = decodeHandshake(fromHex(R.client[2]!), { ...RSA12, from: 'client' });
    expect(kind(rsa, 'ClientKeyExchange').form).toBe('rsa');
    expect(find(rsa.fields, 'EncryptedPreMasterSecret')?.children?.[0]?.value).toBe(256);

    const unknown = decodeHandshake(fromHex(R.client[2]!), { from: 'client' });
    expect(kind(unknown, 'ClientKeyExchange').form).toBe('unknown');

    const cv = decodeHandshake(fromHex(E.client[3]!), { ...ECDHE12, from: 'client' });
    expect(kind(cv, 'CertificateVerify').signatureScheme).toBe(0x0403);

    const nst = decodeHandshake(fromHex(E.server[5]!), ECDHE12);
    expect(nst.name).toBe('NewSessionTicket');
    expect(kind(nst, 'NewSessionTicket').lifetime).toBe(7200);
    expect(find(nst.fields, 'ticket_lifetime_hint')?.ref).toBe('RFC 5077 §3.3');
  });

  it('a certificate whose DER does not parse keeps its bytes and an error, the message still decodes', () => {
    const msg = fromHex(E.server[1]!);
    const bad = msg.slice();
    bad[10] = 0x31; // first byte of the first cert's DER: SEQUENCE → SET
    const d = decodeHandshake(bad, ECDHE12);
    const [first, second] = kind(d, 'Certificate').certificates;
    expect(first!.summary).toBeUndefined();
    expect(first!.error).toMatch(/ERR_BAD_VALUE/);
    expect(first!.der[0]).toBe(0x31);
    expect(second!.summary?.subjectCN).toBe('Handshake Lab Root CA');
    expect(d.summary).toBe('2 certs: <unparsable> ← CN=Handshake Lab Root CA');
  });
});

// ---- constructed messages ---------------------------------------------------------------------

describe('constructed messages', () => {
  it('HelloRetryRequest is recognised from the RFC 8446 §4.1.3 random', () => {
    const hrrRandom = fromHex('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c');
    expect(isHelloRetryRequestRandom(hrrRandom)).toBe(true);
    expect(isHelloRetryRequestRandom(zeros(32) as unknown as Uint8Array)).toBe(false);
    const msg = hs(2, [
      ...u16(0x0303),
      ...hrrRandom,
      ...vec8([]),
      ...u16(0x1301),
      0,
      ...vec16([...ext(43, u16(0x0304)), ...ext(51, u16(23)), ...ext(44, vec16([1, 2, 3]))]),
    ]);
    const d = decodeHandshake(msg, { from: 'server' });
    expect(d.name).toBe('HelloRetryRequest');
    const i = kind(d, 'ServerHello');
    expect(i.helloRetryRequest).toBe(true);
    expect(i.keyShareGroup).toBe(23);
    expect(find(d.fields, 'selected_group')?.display).toBe('secp256r1 (0x0017)');
    expect(find(d.fields, 'cookie')?.display).toBe('cookie: 3 bytes');
    expect(d.summary).toBe('TLS 1.3, TLS_AES_128_GCM_SHA256, retry with secp256r1');
  });

  it('unknown values stay visible: extension 0xFAFA, cipher suite 0x1234, group 0x7777', () => {
    const msg = clientHello([0x1234, 0x1301], [ext(0xfafa, [0xde, 0xad]), ext(0xabcd, []), ext(10, u16(0x7777).length ? vec16(u16(0x7777)) : [])]);
    const d = decodeHandshake(msg, { from: 'client' });
    expect(kind(d, 'ClientHello').extensions).toEqual([0xfafa, 0xabcd, 10]);
    const exts = find(d.fields, 'extensions')!.children!;
    expect(exts[1]?.name).toBe('0xFAFA');
    expect(exts[1]?.display).toBe('0xFAFA (GREASE): dead');
    expect(exts[1]?.children?.[0]?.display).toBe('unknown (0xFAFA)');
    expect(exts[2]?.name).toBe('0xABCD');
    expect(find(d.fields, 'cipher_suites')?.children?.[1]?.display).toBe('unknown (0x1234)');
    expect(find(d.fields, 'named_group')?.display).toBe('unknown (0x7777)');
    expect(d.summary).toContain('2 suites');
  });

  it('unknown handshake type keeps its body as hex', () => {
    const d = decodeHandshake(hs(0x63, [1, 2, 3]), { from: 'client' });
    expect(d.name).toBe('Handshake(0x63)');
    expect(d.info.kind).toBe('other');
    expect(find(d.fields, 'body')?.value).toBe('010203');
    expect(find(d.fields, 'msg_type')?.display).toBe('unknown (0x63)');
  });

  it('KeyUpdate (RFC 8446 §4.6.3), EndOfEarlyData, CertificateRequest 1.3', () => {
    expect(kind(decodeHandshake(hs(24, [1]), TLS13), 'KeyUpdate').updateRequested).toBe(true);
    expect(decodeHandshake(hs(24, [0]), TLS13).summary).toBe('update_not_requested');
    expect(decodeHandshake(hs(5, []), TLS13).name).toBe('EndOfEarlyData');
    const cr = decodeHandshake(hs(13, [...vec8([]), ...vec16(ext(13, vec16([...u16(0x0804), ...u16(0x0403)])))]), TLS13);
    expect(kind(cr, 'CertificateRequest').signatureAlgorithms).toEqual([0x0804, 0x0403]);
    expect(find(cr.fields, 'certificate_request_context')?.ref).toBe('RFC 8446 §4.3.2');
  });

  it('bad lengths, trailing data and truncation raise the right codes', () => {
    const fin = fromHex(rfc8448.serverFinished);
    expect(codeOf(() => decodeHandshake(new Uint8Array([...fin, 0]), TLS13))).toBe('ERR_TRAILING_DATA');
    expect(codeOf(() => decodeHandshake(fin.subarray(0, fin.length - 1), TLS13))).toBe('ERR_TRUNCATED');
    expect(codeOf(() => decodeHandshake(hs(14, [0]), ECDHE12))).toBe('ERR_BAD_LENGTH');
    expect(codeOf(() => decodeHandshake(hs(24, [1, 0]), TLS13))).toBe('ERR_TRAILING_DATA');
    // a byte inside the ClientHello body after the extensions block
    const ch = fromHex(rfc8448.clientHello);
    const longer = new Uint8Array([1, ...u24(193), ...ch.subarray(4), 0]);
    expect(codeOf(() => decodeHandshake(longer, { from: 'client' }))).toBe('ERR_TRAILING_DATA');
    // odd cipher_suites length
    const odd = hs(1, [...u16(0x0303), ...zeros(32), 0, ...u16(3), 0x13, 0x01, 0x13, 1, 0]);
    expect(codeOf(() => decodeHandshake(odd, { from: 'client' }))).toBe('ERR_BAD_LENGTH');
    // extension_data longer than its declared length inside an extension
    expect(codeOf(() => decodeHandshake(clientHello([0x1301], [ext(43, [2, 3, 4, 0])]), { from: 'client' }))).toBe('ERR_TRAILING_DATA');
    expect(codeOf(() => decodeHandshake(new Uint8Array([1, 0]), { from: 'client' }))).toBe('ERR_TRUNCATED');
  });
});

describe('Alert and ChangeCipherSpec', () => {
  it('decodes alerts and keeps unknown descriptions visible', () => {
    const a = decodeAlert(new Uint8Array([2, 42]));
    expect(a.summary).toBe('fatal bad_certificate (42)');
    expect([a.levelName, a.descriptionName]).toEqual(['fatal', 'bad_certificate']);
    expect(decodeAlert(new Uint8Array([2, 116])).descriptionName).toBe('certificate_required');
    expect(decodeAlert(new Uint8Array([1, 0])).summary).toBe('warning close_notify (0)');
    expect(decodeAlert(new Uint8Array([2, 0xee])).descriptionName).toBe('0xEE');
    expect(codeOf(() => decodeAlert(new Uint8Array([2])))).toBe('ERR_TRUNCATED');
    expect(codeOf(() => decodeAlert(new Uint8Array([2, 40, 0])))).toBe('ERR_TRAILING_DATA');
    checkTree(a.fields, 0, 2);
  });
  it('decodes ChangeCipherSpec', () => {
    expect(decodeChangeCipherSpec(new Uint8Array([1])).summary).toBe('change_cipher_spec');
    expect(decodeChangeCipherSpec(new Uint8Array([2])).summary).toMatch(/invalid/);
    expect(codeOf(() => decodeChangeCipherSpec(new Uint8Array([])))).toBe('ERR_TRUNCATED');
    expect(codeOf(() => decodeChangeCipherSpec(new Uint8Array([1, 1])))).toBe('ERR_TRAILING_DATA');
  });
});

// ---- properties -------------------------------------------------------------------------------

const ctxArb: fc.Arbitrary<HandshakeContext> = fc.record(
  {
    from: fc.constantFrom('client' as const, 'server' as const),
    version: fc.constantFrom('tls12' as const, 'tls13' as const),
    cipherSuite: fc.constantFrom(0x1301, 0xc02f, 0x009c, 0x009e, 0x00a8, 0x1234),
  },
  { requiredKeys: ['from'] },
);

/** Decode; success must give a well-formed tree, failure must be a TlsDecodeError. */
function decodeOrDecodeError(msg: Uint8Array, ctx: HandshakeContext): DecodedHandshake | TlsDecodeError {
  try {
    const d = decodeHandshake(msg, ctx);
    checkTree(d.fields, 0, msg.length);
    return d;
  } catch (e) {
    if (e instanceof TlsDecodeError) return e;
    throw e;
  }
}

describe('properties', () => {
  it('every golden message decodes to the expected name with a well-nested field tree', () => {
    for (const g of golden) {
      const msg = fromHex(g.hex);
      const d = decodeHandshake(msg, g.ctx);
      expect(d.name).toBe(g.name);
      expect(checkTree(d.fields, 0, msg.length)).toBeGreaterThanOrEqual(2);
      expect(d.fields[0]?.name).toBe('msg_type');
      expect(d.summary.length).toBeGreaterThan(0);
    }
  });

  it('every truncated prefix of every golden message throws TlsDecodeError(ERR_TRUNCATED)', () => {
    for (const g of golden) {
      const msg = fromHex(g.hex);
      for (let n = 0; n < msg.length; n++) {
        let err: unknown;
        try {
          decodeHandshake(msg.subarray(0, n), g.ctx);
        } catch (e) {
          err = e;
        }
        if (!(err instanceof TlsDecodeError) || err.code !== 'ERR_TRUNCATED') {
          throw new Error(`${g.name} prefix ${n}/${msg.length}: ${String(err)}`);
        }
      }
    }
  });

  it('prefixes with a consistent header either decode or throw TlsDecodeError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...golden), fc.nat(), (g, k) => {
        const full = fromHex(g.hex);
        const bodyLen = k % (full.length - 4);
        const msg = new Uint8Array([full[0]!, ...u24(bodyLen), ...full.subarray(4, 4 + bodyLen)]);
        decodeOrDecodeError(msg, g.ctx);
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes never throw anything but TlsDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), ctxArb, (bytes, ctx) => {
        decodeOrDecodeError(bytes, ctx);
      }),
      { numRuns: 3000 },
    );
  });

  it('random bodies behind a valid-looking header never throw anything but TlsDecodeError', () => {
    const types = [0, 1, 2, 4, 5, 8, 11, 12, 13, 14, 15, 16, 20, 22, 24, 25, 254, 99];
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.uint8Array({ maxLength: 400 }), ctxArb, (type, body, ctx) => {
        decodeOrDecodeError(hs(type, [...body]), ctx);
      }),
      { numRuns: 5000 },
    );
  });

  it('golden messages with random byte mutations decode to well-nested trees or throw TlsDecodeError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...golden),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (g, edits, keepCtx) => {
          const msg = fromHex(g.hex);
          for (const [pos, v] of edits) msg[4 + (pos % (msg.length - 4))] = v;
          decodeOrDecodeError(msg, keepCtx ? g.ctx : { from: g.ctx.from });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('alerts: any byte string gives an alert or a TlsDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4 }), (b) => {
        try {
          const a = decodeAlert(b);
          expect(b.length).toBe(2);
          checkTree(a.fields, 0, 2);
        } catch (e) {
          expect(e).toBeInstanceOf(TlsDecodeError);
        }
      }),
    );
  });
});
