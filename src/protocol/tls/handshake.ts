/**
 * TLS handshake message decoders (RFC 8446 §4 for TLS 1.3, RFC 5246 §7.4 for TLS 1.2), plus the
 * Alert and ChangeCipherSpec bodies. Each decoder turns one whole handshake message (4-byte header
 * included) into a Field tree with absolute offsets, a one-line summary and the facts other code
 * needs. Malformed input always surfaces as TlsDecodeError.
 */
import { enumDisplay, enumName, hexValue } from './enums.ts';
import { TlsDecodeError } from './errors.ts';
import { bytesValue, field, toHex } from './fields.ts';
import type { Field } from './fields.ts';
import { Reader } from './reader.ts';
import {
  ALERT_DESCRIPTION,
  ALERT_LEVEL,
  CERTIFICATE_STATUS_TYPE,
  CERT_COMPRESSION_ALGORITHM,
  CIPHER_SUITE,
  CLIENT_CERTIFICATE_TYPE,
  COMPRESSION_METHOD,
  EC_CURVE_TYPE,
  HANDSHAKE_MESSAGE_NAME,
  HANDSHAKE_TYPE,
  KEY_UPDATE_REQUEST,
  NAMED_GROUP,
  PROTOCOL_VERSION,
  SIGNATURE_SCHEME,
  cipherSuiteKeyExchange,
  versionName,
} from './registry.ts';
import {
  bytesDisplay,
  distinguishedNames,
  decodeExtensions,
  enumField,
  enumList,
  fixedBytes,
  listVector,
  numField,
  opaqueVector,
} from './extensions.ts';
import type { ExtensionFacts, ExtensionMessage } from './extensions.ts';
import { id_ce_basicConstraints, id_ce_extKeyUsage, id_ce_keyUsage, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { decodeCertificate } from './x509.ts';
import type { CertSpans, Span } from './x509-spans.ts';
import type { CertSummary } from './x509.ts';

export type VersionFamily = 'tls12' | 'tls13';

export interface HandshakeContext {
  /** Who sent the message. */
  from: 'client' | 'server';
  /** Negotiated version family, once known. Without it, version-dependent forms are tried 1.3 first, then 1.2. */
  version?: VersionFamily;
  /** Negotiated cipher suite, once known (selects the TLS 1.2 key exchange forms). */
  cipherSuite?: number;
}

export interface CertificateItem {
  der: Uint8Array;
  summary?: CertSummary;
  /** Why the DER did not parse (the message still decodes). */
  error?: string;
}

export type HandshakeInfo =
  | {
      kind: 'ClientHello';
      random: Uint8Array;
      sessionId: Uint8Array;
      cipherSuites: number[];
      supportedVersions?: number[];
      keyShareGroups?: number[];
      serverName?: string;
      signatureAlgorithms?: number[];
      alpn?: string[];
      extensions: number[];
    }
  | {
      kind: 'ServerHello';
      random: Uint8Array;
      legacyVersion: number;
      sessionId: Uint8Array;
      cipherSuite: number;
      selectedVersion?: number;
      keyShareGroup?: number;
      helloRetryRequest: boolean;
      extensions: number[];
    }
  | { kind: 'EncryptedExtensions'; extensions: number[]; alpn?: string[] }
  | { kind: 'Certificate'; context?: Uint8Array; certificates: CertificateItem[] }
  | { kind: 'CertificateRequest'; context?: Uint8Array; signatureAlgorithms?: number[]; certificateTypes?: number[]; authorities: string[] }
  | { kind: 'ServerKeyExchange'; group?: number; signatureScheme?: number }
  | { kind: 'ClientKeyExchange'; form: 'ecdhe' | 'rsa' | 'dhe' | 'unknown' }
  | { kind: 'CertificateVerify'; signatureScheme: number }
  | { kind: 'Finished'; verifyData: Uint8Array }
  | { kind: 'KeyUpdate'; updateRequested: boolean }
  | { kind: 'NewSessionTicket'; lifetime: number }
  | { kind: 'other' };

export interface DecodedHandshake {
  /** HandshakeType (msg_type). */
  type: number;
  /** RFC spelling: ClientHello, ServerHello, HelloRetryRequest, …; `Handshake(0xNN)` when unknown. */
  name: string;
  /** The body length from the header. */
  length: number;
  fields: Field[];
  summary: string;
  info: HandshakeInfo;
}

interface Body {
  fields: Field[];
  summary: string;
  info: HandshakeInfo;
  name?: string;
}

const HRR_RANDOM = [
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11,
  0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];
/** "DOWNGRD" (RFC 8446 §4.1.3), followed by 01 (TLS 1.2) or 00 (TLS 1.1 and below). */
const DOWNGRADE = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44];

function startsWith(b: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (b.length < at + prefix.length) return false;
  return prefix.every((x, i) => b[at + i] === x);
}

/** RFC 8446 §4.1.3: a ServerHello whose random is SHA-256("HelloRetryRequest") is a HelloRetryRequest. */
export function isHelloRetryRequestRandom(random: Uint8Array): boolean {
  return random.length === 32 && startsWith(random, HRR_RANDOM);
}

function randomField(r: Reader, ref: string): { field: Field; bytes: Uint8Array } {
  const f = fixedBytes(r, 32, 'random', ref);
  const b = f.bytes;
  if (isHelloRetryRequestRandom(b)) f.field.display = `${toHex(b)} (HelloRetryRequest magic, RFC 8446 §4.1.3)`;
  else if (startsWith(b, DOWNGRADE, 24)) {
    f.field.display = `${toHex(b)} (downgrade sentinel DOWNGRD${b[31] === 1 ? '01' : '00'}, RFC 8446 §4.1.3)`;
  } else f.field.display = toHex(b);
  return f;
}

function versionField(r: Reader, name: string, ref: string): { field: Field; value: number } {
  return enumField(r, 2, name, PROTOCOL_VERSION, ref);
}

function suiteName(v: number): string {
  return enumName(CIPHER_SUITE, v);
}
function groupName(v: number): string {
  return enumName(NAMED_GROUP, v);
}

/** Decodes one handshake message (RFC 8446 §4 `Handshake`, RFC 5246 §7.4): 4-byte header + body. */
export function decodeHandshake(msg: Uint8Array, ctx: HandshakeContext): DecodedHandshake {
  const r = new Reader(msg, 0, msg.length, 'handshake message');
  const type = enumField(r, 1, 'msg_type', HANDSHAKE_TYPE, 'RFC 8446 §4');
  const length = numField(r, 3, 'length', 'RFC 8446 §4', (v) => `${v} bytes`);
  const body = r.sub(length.value, `${enumName(HANDSHAKE_MESSAGE_NAME, type.value, 1)} body`);
  r.expectEnd();
  const decoded = decodeBody(type.value, body, ctx);
  body.expectEnd();
  return {
    type: type.value,
    name: decoded.name ?? HANDSHAKE_MESSAGE_NAME[type.value] ?? `Handshake(${hexValue(type.value, 1)})`,
    length: length.value,
    fields: [type.field, length.field, ...decoded.fields],
    summary: decoded.summary,
    info: decoded.info,
  };
}

function decodeBody(type: number, r: Reader, ctx: HandshakeContext): Body {
  switch (type) {
    case 0:
      return emptyBody(r, 'HelloRequest', 'RFC 5246 §7.4.1.1');
    case 1:
      return clientHello(r);
    case 2:
      return serverHello(r);
    case 4:
      return byFamily(r, ctx, newSessionTicket13, newSessionTicket12);
    case 5:
      return emptyBody(r, 'EndOfEarlyData', 'RFC 8446 §4.5');
    case 8:
      return encryptedExtensions(r);
    case 11:
      return byFamily(r, ctx, certificate13, certificate12);
    case 12:
      return serverKeyExchange(r, ctx);
    case 13:
      return byFamily(r, ctx, certificateRequest13, certificateRequest12);
    case 14:
      return emptyBody(r, 'ServerHelloDone', 'RFC 5246 §7.4.5');
    case 15:
      return certificateVerify(r, ctx);
    case 16:
      return clientKeyExchange(r, ctx);
    case 20:
      return finished(r, ctx);
    case 22:
      return certificateStatus(r);
    case 24:
      return keyUpdate(r);
    case 25:
      return compressedCertificate(r);
    case 254:
      return messageHash(r);
    default: {
      const b = fixedBytes(r, r.remaining, 'body');
      return { fields: [b.field], summary: `${b.bytes.length}-byte body`, info: { kind: 'other' } };
    }
  }
}

/**
 * Messages whose layout differs between TLS 1.2 and 1.3. With a known family only that form is
 * used; otherwise 1.3 is tried first and 1.2 second, and the 1.3 error is reported if neither fits.
 */
function byFamily(r: Reader, ctx: HandshakeContext, d13: (r: Reader) => Body, d12: (r: Reader) => Body): Body {
  const attempt = (d: (r: Reader) => Body): Body => {
    const sub = new Reader(r.buf, r.offset, r.end, r.what);
    const b = d(sub);
    sub.expectEnd();
    r.bytes(r.remaining);
    return b;
  };
  if (ctx.version === 'tls13') return attempt(d13);
  if (ctx.version === 'tls12') return attempt(d12);
  try {
    return attempt(d13);
  } catch (e13) {
    try {
      return attempt(d12);
    } catch {
      throw e13;
    }
  }
}

function emptyBody(r: Reader, name: string, ref: string): Body {
  if (!r.done) throw new TlsDecodeError('ERR_BAD_LENGTH', `${name} has an empty body (${ref})`, r.offset);
  return { fields: [], summary: '(empty)', info: { kind: 'other' } };
}

// RFC 8446 §4.1.2 (and RFC 5246 §7.4.1.2): ClientHello.
function clientHello(r: Reader): Body {
  const ref = 'RFC 8446 §4.1.2';
  const version = versionField(r, 'legacy_version', ref);
  const random = randomField(r, ref);
  const sid = opaqueVector(r, 1, 'legacy_session_id', ref);
  if (sid.bytes.length > 32) throw new TlsDecodeError('ERR_BAD_LENGTH', `legacy_session_id of ${sid.bytes.length} bytes (max 32)`, sid.field.start);
  const suites = enumList(r, 2, 2, 'cipher_suites', 'cipher_suite', CIPHER_SUITE, ref);
  suites.field.display = `${suites.values.length} suite${suites.values.length === 1 ? '' : 's'}`;
  if (suites.values.length === 0) throw new TlsDecodeError('ERR_BAD_LENGTH', 'cipher_suites must not be empty', suites.field.start);
  const comp = enumList(r, 1, 1, 'legacy_compression_methods', 'compression_method', COMPRESSION_METHOD, ref);
  if (comp.values.length === 0) throw new TlsDecodeError('ERR_BAD_LENGTH', 'legacy_compression_methods must not be empty', comp.field.start);
  const fields = [version.field, random.field, sid.field, suites.field, comp.field];
  let facts: ExtensionFacts = { types: [] };
  if (!r.done) {
    const ext = decodeExtensions(r, { msg: 'client_hello' });
    fields.push(ext.field);
    facts = ext.facts;
  }
  const parts: string[] = [];
  if (facts.serverName !== undefined) parts.push(`SNI=${facts.serverName}`);
  parts.push(`${suites.values.length} suite${suites.values.length === 1 ? '' : 's'}`);
  if (facts.supportedVersions) parts.push(`versions ${facts.supportedVersions.map(versionName).join(',')}`);
  else parts.push(`version ${versionName(version.value)}`);
  if (facts.keyShareGroups) parts.push(`key_share ${facts.keyShareGroups.map(groupName).join(',') || 'none'}`);
  if (facts.alpn) parts.push(`ALPN ${facts.alpn.join(',')}`);
  const info: HandshakeInfo = {
    kind: 'ClientHello',
    random: random.bytes,
    sessionId: sid.bytes,
    cipherSuites: suites.values,
    extensions: facts.types,
  };
  if (facts.supportedVersions) info.supportedVersions = facts.supportedVersions;
  if (facts.keyShareGroups) info.keyShareGroups = facts.keyShareGroups;
  if (facts.serverName !== undefined) info.serverName = facts.serverName;
  if (facts.signatureAlgorithms) info.signatureAlgorithms = facts.signatureAlgorithms;
  if (facts.alpn) info.alpn = facts.alpn;
  return { fields, summary: parts.join(', '), info };
}

// RFC 8446 §4.1.3 ServerHello / HelloRetryRequest (and RFC 5246 §7.4.1.3).
function serverHello(r: Reader): Body {
  const ref = 'RFC 8446 §4.1.3';
  const version = versionField(r, 'legacy_version', ref);
  const random = randomField(r, ref);
  const hrr = isHelloRetryRequestRandom(random.bytes);
  const sid = opaqueVector(r, 1, 'legacy_session_id_echo', ref);
  if (sid.bytes.length > 32) throw new TlsDecodeError('ERR_BAD_LENGTH', `legacy_session_id_echo of ${sid.bytes.length} bytes (max 32)`, sid.field.start);
  const suite = enumField(r, 2, 'cipher_suite', CIPHER_SUITE, ref);
  const comp = enumField(r, 1, 'legacy_compression_method', COMPRESSION_METHOD, ref);
  const fields = [version.field, random.field, sid.field, suite.field, comp.field];
  let facts: ExtensionFacts = { types: [] };
  if (!r.done) {
    const ext = decodeExtensions(r, { msg: hrr ? 'hello_retry_request' : 'server_hello' });
    fields.push(ext.field);
    facts = ext.facts;
  }
  const v = facts.selectedVersion ?? version.value;
  const parts = [versionName(v), suiteName(suite.value)];
  if (facts.keyShareGroup !== undefined) parts.push(hrr ? `retry with ${groupName(facts.keyShareGroup)}` : groupName(facts.keyShareGroup));
  const info: HandshakeInfo = {
    kind: 'ServerHello',
    random: random.bytes,
    legacyVersion: version.value,
    sessionId: sid.bytes,
    cipherSuite: suite.value,
    helloRetryRequest: hrr,
    extensions: facts.types,
  };
  if (facts.selectedVersion !== undefined) info.selectedVersion = facts.selectedVersion;
  if (facts.keyShareGroup !== undefined) info.keyShareGroup = facts.keyShareGroup;
  if (v !== 0x0304) for (const f of fields) if (f.ref === ref) f.ref = 'RFC 5246 §7.4.1.3';
  return { fields, summary: parts.join(', '), info, ...(hrr ? { name: 'HelloRetryRequest' } : {}) };
}

// RFC 8446 §4.3.1 EncryptedExtensions.
function encryptedExtensions(r: Reader): Body {
  const ext = decodeExtensions(r, { msg: 'encrypted_extensions' });
  ext.field.ref = 'RFC 8446 §4.3.1';
  const names = ext.facts.types.map((t) => ext.field.children?.find((c) => c.value === t)?.name ?? hexValue(t));
  const info: HandshakeInfo = { kind: 'EncryptedExtensions', extensions: ext.facts.types };
  if (ext.facts.alpn) info.alpn = ext.facts.alpn;
  return { fields: [ext.field], summary: names.length ? names.join(', ') : 'no extensions', info };
}

/**
 * One certificate's bytes as a node whose children render its summary. Each child spans its own
 * part of the DER (subject, validity, each extension …) when the certificate has the RFC 5280
 * shape; otherwise (spans null) the whole certificate.
 */
function certNode(name: string, start: number, end: number, item: CertificateItem, lenField: Field, spans: CertSpans | null): Field {
  const ref = 'RFC 5280 §4.1';
  const s = item.summary;
  const children: Field[] = [lenField];
  const der = lenField.end; // the DER starts right after its 3-byte length
  const at = (n: string, where: Span | undefined, display: string, extra: { value?: string | number | boolean; children?: Field[] } = {}): Field =>
    where ? field(n, der + where.start, der + where.end, display, { ref, ...extra }) : field(n, der, end, display, { ref, ...extra });
  if (!s) {
    children.push(field('cert_data', der, end, `unparsable certificate: ${item.error ?? 'unknown error'}`, { ref, ...bytesValue(item.der) }));
    return field(name, start, end, `${item.der.length}-byte certificate (unparsable)`, { ref, children });
  }
  // The extension node of a given OID (its index in the summary is its index in the DER). A
  // certificate with the same extension twice (RFC 5280 §4.2 forbids it, a forged one may not care)
  // gets the whole extensions block: the summary merged what the two say.
  const extSpan = (oid: string): Span | undefined => {
    const at = s.extensions.flatMap((e, i) => (e.oid === oid ? [i] : []));
    if (at.length !== 1 || spans?.extension.length !== s.extensions.length) return spans?.extensions;
    return spans.extension[at[0]!];
  };
  const sanSpan = extSpan(id_ce_subjectAltName);
  const oneSan = s.extensions.filter((e) => e.oid === id_ce_subjectAltName).length === 1;
  const sanNames = spans && oneSan && spans.subjectAltNames.length === s.san.length ? spans.subjectAltNames : null;
  const kids: Field[] = [
    at('subject', spans?.subject, s.subject, { value: s.subject }),
    at('issuer', spans?.issuer, s.issuer, { value: s.issuer }),
    at('serialNumber', spans?.serialNumber, s.serial, { value: s.serial }),
    at('validity', spans?.validity, `${s.notBefore} → ${s.notAfter}`, {
      children: [at('notBefore', spans?.notBefore, s.notBefore, { value: s.notBefore }), at('notAfter', spans?.notAfter, s.notAfter, { value: s.notAfter })],
    }),
    at('subjectPublicKeyInfo', spans?.subjectPublicKeyInfo, [s.keyType, s.curve, s.keyBits !== undefined ? `${s.keyBits} bits` : undefined].filter(Boolean).join(' '), {
      value: s.keyType,
    }),
  ];
  if (s.san.length) {
    kids.push(at('subjectAltName', sanSpan, s.san.join(', '), { children: s.san.map((n, i) => at('GeneralName', sanNames?.[i] ?? sanSpan, n, { value: n })) }));
  }
  if (s.keyUsage.length) kids.push(at('keyUsage', extSpan(id_ce_keyUsage), s.keyUsage.join(', ')));
  if (s.extKeyUsage.length) kids.push(at('extendedKeyUsage', extSpan(id_ce_extKeyUsage), s.extKeyUsage.join(', ')));
  if (s.basicConstraints) {
    const bc = s.basicConstraints;
    kids.push(at('basicConstraints', extSpan(id_ce_basicConstraints), `CA:${bc.ca ? 'TRUE' : 'FALSE'}${bc.pathLen !== undefined ? `, pathlen:${bc.pathLen}` : ''}`, { value: bc.ca }));
  }
  if (s.extensions.length) {
    const one = spans?.extension.length === s.extensions.length;
    kids.push(
      at('x509_extensions', spans?.extensions, `${s.extensions.length} extension${s.extensions.length === 1 ? '' : 's'}`, {
        children: s.extensions.map((e, i) => at('extension', one ? spans?.extension[i] : spans?.extensions, `${e.name}${e.critical ? ' (critical)' : ''}`, { value: e.oid })),
      }),
    );
  }
  kids.push(at('signatureAlgorithm', spans?.signatureAlgorithm, s.signatureAlgorithm, { value: s.signatureAlgorithm }));
  children.push(field('cert_data', der, end, `${item.der.length} bytes${s.selfIssued ? ', self-issued' : ''}`, { ref, ...bytesValue(item.der), children: kids }));
  return field(name, start, end, `${s.subjectCN !== undefined ? `CN=${s.subjectCN}` : s.subject} (issuer ${s.issuer})`, { ref, children });
}

function readCert(r: Reader, name: string): { field: Field; item: CertificateItem } {
  const start = r.offset;
  const len = numField(r, 3, 'cert_data_length');
  if (len.value === 0) throw new TlsDecodeError('ERR_BAD_LENGTH', 'empty cert_data (opaque cert_data<1..2^24-1>)', start);
  const der = r.bytes(len.value, 'cert_data');
  const item: CertificateItem = { der };
  let spans: CertSpans | null = null;
  try {
    const d = decodeCertificate(der);
    item.summary = d.summary;
    spans = d.spans;
  } catch (e) {
    item.error = e instanceof Error ? e.message : String(e);
  }
  return { field: certNode(name, start, r.offset, item, len.field, spans), item };
}

function certificateSummary(items: CertificateItem[]): string {
  if (items.length === 0) return 'no certificate';
  const label = (c: CertificateItem): string =>
    c.summary ? (c.summary.subjectCN !== undefined ? `CN=${c.summary.subjectCN}` : c.summary.subject || '(empty subject)') : '<unparsable>';
  return `${items.length} cert${items.length === 1 ? '' : 's'}: ${items.map(label).join(' ← ')}`;
}

// RFC 8446 §4.4.2 Certificate (TLS 1.3): certificate_request_context + CertificateEntry list.
function certificate13(r: Reader): Body {
  const ref = 'RFC 8446 §4.4.2';
  const context = opaqueVector(r, 1, 'certificate_request_context', ref);
  const items: CertificateItem[] = [];
  const list = listVector(
    r,
    3,
    'certificate_list',
    (s) => {
      const st = s.offset;
      const c = readCert(s, 'cert_data');
      const ext = decodeExtensions(s, { msg: 'certificate' });
      items.push(c.item);
      const node = field('CertificateEntry', st, s.offset, c.field.display, { ref, children: [c.field, ext.field] });
      return { field: node, value: c.item };
    },
    { ref, display: (vs) => `${vs.length} certificate${vs.length === 1 ? '' : 's'}` },
  );
  return { fields: [context.field, list.field], summary: certificateSummary(items), info: { kind: 'Certificate', context: context.bytes, certificates: items } };
}

// RFC 5246 §7.4.2 (server) / §7.4.6 (client) Certificate (TLS 1.2): ASN.1Cert certificate_list<0..2^24-1>.
function certificate12(r: Reader): Body {
  const ref = 'RFC 5246 §7.4.2';
  const items: CertificateItem[] = [];
  const list = listVector(
    r,
    3,
    'certificate_list',
    (s) => {
      const c = readCert(s, 'ASN.1Cert');
      items.push(c.item);
      return { field: c.field, value: c.item };
    },
    { ref, display: (vs) => `${vs.length} certificate${vs.length === 1 ? '' : 's'}` },
  );
  return { fields: [list.field], summary: certificateSummary(items), info: { kind: 'Certificate', certificates: items } };
}

// RFC 8446 §4.3.2 CertificateRequest (TLS 1.3): certificate_request_context + extensions.
function certificateRequest13(r: Reader): Body {
  const ref = 'RFC 8446 §4.3.2';
  const context = opaqueVector(r, 1, 'certificate_request_context', ref);
  const ext = decodeExtensions(r, { msg: 'certificate_request' });
  const f = ext.facts;
  if (!f.types.includes(13)) {
    throw new TlsDecodeError('ERR_BAD_VALUE', 'TLS 1.3 CertificateRequest without signature_algorithms (RFC 8446 §4.3.2)', ext.field.start);
  }
  const info: HandshakeInfo = { kind: 'CertificateRequest', context: context.bytes, authorities: f.certificateAuthorities ?? [] };
  if (f.signatureAlgorithms) info.signatureAlgorithms = f.signatureAlgorithms;
  const parts = [`${f.signatureAlgorithms?.length ?? 0} signature schemes`];
  if (f.certificateAuthorities?.length) parts.push(`CAs: ${f.certificateAuthorities.join('; ')}`);
  return { fields: [context.field, ext.field], summary: parts.join(', '), info };
}

// RFC 5246 §7.4.4 CertificateRequest (TLS 1.2).
function certificateRequest12(r: Reader): Body {
  const ref = 'RFC 5246 §7.4.4';
  const types = enumList(r, 1, 1, 'certificate_types', 'certificate_type', CLIENT_CERTIFICATE_TYPE, ref);
  const algs = enumList(r, 2, 2, 'supported_signature_algorithms', 'signature_scheme', SIGNATURE_SCHEME, ref);
  const { field: casField, names: authorities } = distinguishedNames(r, 'certificate_authorities', ref);
  const parts = [
    `types ${types.values.map((v) => enumName(CLIENT_CERTIFICATE_TYPE, v, 1)).join(',')}`,
    `${algs.values.length} signature schemes`,
  ];
  if (authorities.length) parts.push(`CAs: ${authorities.join('; ')}`);
  return {
    fields: [types.field, algs.field, casField],
    summary: parts.join(', '),
    info: { kind: 'CertificateRequest', certificateTypes: types.values, signatureAlgorithms: algs.values, authorities },
  };
}

/** RFC 5246 §4.7 digitally-signed (TLS 1.2 form with SignatureAndHashAlgorithm, RFC 5246 §7.4.1.4.1). */
function digitallySigned(r: Reader, ref: string): { fields: Field[]; scheme: number } {
  const scheme = enumField(r, 2, 'algorithm', SIGNATURE_SCHEME, ref);
  const sig = opaqueVector(r, 2, 'signature', ref);
  return { fields: [scheme.field, sig.field], scheme: scheme.value };
}

// RFC 8422 §5.4 (ECDHE) / RFC 5246 §7.4.3 (DHE) / RFC 4279 §2 (PSK) ServerKeyExchange.
function serverKeyExchange(r: Reader, ctx: HandshakeContext): Body {
  const kx = ctx.cipherSuite !== undefined ? cipherSuiteKeyExchange(ctx.cipherSuite) : undefined;
  const fields: Field[] = [];
  const info: { kind: 'ServerKeyExchange'; group?: number; signatureScheme?: number } = { kind: 'ServerKeyExchange' };
  let summary: string;
  if (kx === 'ecdhe' || (kx === undefined && startsWithByte(r, 3))) {
    const ref = 'RFC 8422 §5.4';
    const st = r.offset;
    const curveType = enumField(r, 1, 'curve_type', EC_CURVE_TYPE, ref);
    if (curveType.value !== 3) {
      throw new TlsDecodeError('ERR_BAD_VALUE', `curve_type ${enumDisplay(EC_CURVE_TYPE, curveType.value, 1)} is not supported (RFC 8422 §5.4: named_curve only)`, st);
    }
    const curve = enumField(r, 2, 'namedcurve', NAMED_GROUP, ref);
    const point = opaqueVector(r, 1, 'public', ref);
    const paramsEnd = r.offset;
    fields.push(
      field('ServerECDHParams', st, paramsEnd, `${groupName(curve.value)}, ${point.bytes.length}-byte point`, {
        ref,
        children: [field('curve_params', st, curve.field.end, groupName(curve.value), { ref, children: [curveType.field, curve.field] }), point.field],
      }),
    );
    info.group = curve.value;
    summary = `ECDHE ${groupName(curve.value)}`;
  } else if (kx === 'dhe') {
    const ref = 'RFC 5246 §7.4.3';
    const st = r.offset;
    const p = opaqueVector(r, 2, 'dh_p', ref);
    const g = opaqueVector(r, 2, 'dh_g', ref);
    const ys = opaqueVector(r, 2, 'dh_Ys', ref);
    fields.push(field('ServerDHParams', st, r.offset, `${p.bytes.length * 8}-bit group`, { ref, children: [p.field, g.field, ys.field] }));
    summary = `DHE ${p.bytes.length * 8}-bit`;
  } else if (kx === 'psk') {
    const hint = opaqueVector(r, 2, 'psk_identity_hint', 'RFC 4279 §2');
    fields.push(hint.field);
    if (!r.done) fields.push(fixedBytes(r, r.remaining, 'params').field);
    return { fields, summary: 'PSK identity hint', info };
  } else {
    const b = fixedBytes(r, r.remaining, 'params');
    return { fields: [b.field], summary: `${b.bytes.length} bytes (key exchange not known)`, info };
  }
  if (!r.done) {
    const st = r.offset;
    const sig = digitallySigned(r, 'RFC 5246 §4.7');
    fields.push(field('signed_params', st, r.offset, enumName(SIGNATURE_SCHEME, sig.scheme), { ref: 'RFC 8422 §5.4', children: sig.fields }));
    info.signatureScheme = sig.scheme;
    summary += `, signed ${enumName(SIGNATURE_SCHEME, sig.scheme)}`;
  }
  return { fields, summary, info };
}

function startsWithByte(r: Reader, v: number): boolean {
  if (r.done) return false;
  return new Reader(r.buf, r.offset, r.end).u8() === v;
}

// RFC 8422 §5.7 (ECDHE) / RFC 5246 §7.4.7 (RSA, DHE) ClientKeyExchange.
function clientKeyExchange(r: Reader, ctx: HandshakeContext): Body {
  const kx = ctx.cipherSuite !== undefined ? cipherSuiteKeyExchange(ctx.cipherSuite) : 'other';
  if (kx === 'ecdhe') {
    const p = opaqueVector(r, 1, 'ecdh_Yc', 'RFC 8422 §5.7');
    return { fields: [p.field], summary: `ECDHE public point, ${p.bytes.length} bytes`, info: { kind: 'ClientKeyExchange', form: 'ecdhe' } };
  }
  if (kx === 'rsa') {
    const p = opaqueVector(r, 2, 'EncryptedPreMasterSecret', 'RFC 5246 §7.4.7.1');
    return { fields: [p.field], summary: `RSA-encrypted premaster secret, ${p.bytes.length} bytes`, info: { kind: 'ClientKeyExchange', form: 'rsa' } };
  }
  if (kx === 'dhe') {
    const p = opaqueVector(r, 2, 'dh_Yc', 'RFC 5246 §7.4.7.2');
    return { fields: [p.field], summary: `DH public value, ${p.bytes.length} bytes`, info: { kind: 'ClientKeyExchange', form: 'dhe' } };
  }
  const b = fixedBytes(r, r.remaining, 'exchange_keys');
  return { fields: [b.field], summary: `${b.bytes.length} bytes (key exchange not known)`, info: { kind: 'ClientKeyExchange', form: 'unknown' } };
}

// RFC 8446 §4.4.3 CertificateVerify (TLS 1.3) / RFC 5246 §7.4.8 (TLS 1.2): same wire layout.
function certificateVerify(r: Reader, ctx: HandshakeContext): Body {
  const ref = ctx.version === 'tls12' ? 'RFC 5246 §7.4.8' : 'RFC 8446 §4.4.3';
  const scheme = enumField(r, 2, 'algorithm', SIGNATURE_SCHEME, ref);
  const sig = opaqueVector(r, 2, 'signature', ref);
  return {
    fields: [scheme.field, sig.field],
    summary: `${enumName(SIGNATURE_SCHEME, scheme.value)}, ${sig.bytes.length}-byte signature`,
    info: { kind: 'CertificateVerify', signatureScheme: scheme.value },
  };
}

// RFC 8446 §4.4.4 Finished (verify_data is Hash.length bytes) / RFC 5246 §7.4.9 (12 bytes).
function finished(r: Reader, ctx: HandshakeContext): Body {
  const ref = ctx.version === 'tls12' ? 'RFC 5246 §7.4.9' : 'RFC 8446 §4.4.4';
  if (r.done) throw new TlsDecodeError('ERR_BAD_LENGTH', 'Finished with empty verify_data', r.offset);
  const v = fixedBytes(r, r.remaining, 'verify_data', ref);
  return { fields: [v.field], summary: `verify_data ${bytesDisplay(v.bytes)}`, info: { kind: 'Finished', verifyData: v.bytes } };
}

// RFC 8446 §4.6.3 KeyUpdate.
function keyUpdate(r: Reader): Body {
  const v = enumField(r, 1, 'request_update', KEY_UPDATE_REQUEST, 'RFC 8446 §4.6.3');
  return { fields: [v.field], summary: enumName(KEY_UPDATE_REQUEST, v.value, 1), info: { kind: 'KeyUpdate', updateRequested: v.value === 1 } };
}

function lifetimeText(s: number): string {
  return s % 3600 === 0 && s > 0 ? `${s} s (${s / 3600} h)` : `${s} s`;
}

// RFC 8446 §4.6.1 NewSessionTicket (TLS 1.3).
function newSessionTicket13(r: Reader): Body {
  const ref = 'RFC 8446 §4.6.1';
  const lifetime = numField(r, 4, 'ticket_lifetime', ref, lifetimeText);
  const ageAdd = numField(r, 4, 'ticket_age_add', ref);
  const nonce = opaqueVector(r, 1, 'ticket_nonce', ref);
  const ticket = opaqueVector(r, 2, 'ticket', ref);
  if (ticket.bytes.length === 0) throw new TlsDecodeError('ERR_BAD_LENGTH', 'empty ticket (opaque ticket<1..2^16-1>)', ticket.field.start);
  const ext = decodeExtensions(r, { msg: 'new_session_ticket' });
  const parts = [`lifetime ${lifetimeText(lifetime.value)}`, `${ticket.bytes.length}-byte ticket`];
  if (ext.facts.maxEarlyDataSize !== undefined) parts.push(`early data ≤ ${ext.facts.maxEarlyDataSize}`);
  return {
    fields: [lifetime.field, ageAdd.field, nonce.field, ticket.field, ext.field],
    summary: parts.join(', '),
    info: { kind: 'NewSessionTicket', lifetime: lifetime.value },
  };
}

// RFC 5077 §3.3 NewSessionTicket (TLS 1.2).
function newSessionTicket12(r: Reader): Body {
  const ref = 'RFC 5077 §3.3';
  const lifetime = numField(r, 4, 'ticket_lifetime_hint', ref, lifetimeText);
  const ticket = opaqueVector(r, 2, 'ticket', ref);
  return {
    fields: [lifetime.field, ticket.field],
    summary: `lifetime hint ${lifetimeText(lifetime.value)}, ${ticket.bytes.length}-byte ticket`,
    info: { kind: 'NewSessionTicket', lifetime: lifetime.value },
  };
}

// RFC 6066 §8 CertificateStatus.
function certificateStatus(r: Reader): Body {
  const ref = 'RFC 6066 §8';
  const t = enumField(r, 1, 'status_type', CERTIFICATE_STATUS_TYPE, ref);
  const resp = opaqueVector(r, 3, 'response', ref);
  return { fields: [t.field, resp.field], summary: `${enumName(CERTIFICATE_STATUS_TYPE, t.value, 1)}, ${resp.bytes.length} bytes`, info: { kind: 'other' } };
}

// RFC 8879 §4 CompressedCertificate.
function compressedCertificate(r: Reader): Body {
  const ref = 'RFC 8879 §4';
  const alg = enumField(r, 2, 'algorithm', CERT_COMPRESSION_ALGORITHM, ref);
  const ulen = numField(r, 3, 'uncompressed_length', ref);
  const data = opaqueVector(r, 3, 'compressed_certificate_message', ref);
  return {
    fields: [alg.field, ulen.field, data.field],
    summary: `${enumName(CERT_COMPRESSION_ALGORITHM, alg.value)}, ${data.bytes.length} → ${ulen.value} bytes`,
    info: { kind: 'other' },
  };
}

// RFC 8446 §4.4.1 message_hash: the synthetic message that replaces ClientHello1 in the transcript after a HelloRetryRequest.
function messageHash(r: Reader): Body {
  const h = fixedBytes(r, r.remaining, 'hash', 'RFC 8446 §4.4.1');
  return { fields: [h.field], summary: `Hash(ClientHello1) ${bytesDisplay(h.bytes)}`, info: { kind: 'other' } };
}

// RFC 8446 §6 / RFC 5246 §7.2 Alert.
export function decodeAlert(bytes: Uint8Array): {
  level: number;
  description: number;
  levelName: string;
  descriptionName: string;
  fields: Field[];
  summary: string;
} {
  const r = new Reader(bytes, 0, bytes.length, 'alert');
  const level = enumField(r, 1, 'level', ALERT_LEVEL, 'RFC 8446 §6');
  const desc = enumField(r, 1, 'description', ALERT_DESCRIPTION, 'RFC 8446 §6');
  r.expectEnd();
  const levelName = enumName(ALERT_LEVEL, level.value, 1);
  const descriptionName = enumName(ALERT_DESCRIPTION, desc.value, 1);
  return {
    level: level.value,
    description: desc.value,
    levelName,
    descriptionName,
    fields: [level.field, desc.field],
    summary: `${levelName} ${descriptionName} (${desc.value})`,
  };
}

// RFC 5246 §7.1 ChangeCipherSpec; in TLS 1.3 only the compatibility-mode record (RFC 8446 §5, §D.4).
export function decodeChangeCipherSpec(bytes: Uint8Array): { fields: Field[]; summary: string } {
  const r = new Reader(bytes, 0, bytes.length, 'change_cipher_spec');
  const v = numField(r, 1, 'type', 'RFC 5246 §7.1', (x) => (x === 1 ? 'change_cipher_spec (1)' : `invalid (${hexValue(x, 1)})`));
  r.expectEnd();
  return { fields: [v.field], summary: v.value === 1 ? 'change_cipher_spec' : `invalid ChangeCipherSpec value ${hexValue(v.value, 1)}` };
}

// Re-exported for callers that build their own views.
export type { CertSummary, ExtensionMessage };
