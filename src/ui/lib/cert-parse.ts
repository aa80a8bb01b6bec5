/**
 * Certificates parsed in the browser with node-forge, and the browser's own verification checks.
 *
 * node-forge reads RSA certificates only: for another key type (EC, Ed25519 …) its parser throws.
 * Then we give forge a copy of the certificate whose subjectPublicKeyInfo is swapped for a
 * placeholder RSA key (forge's own ASN.1 tools), read everything else from it, restore the real
 * TBSCertificate so signatures the certificate carries still verify, and report the key type from
 * the original OIDs with a note that forge does not show the key. A PEM that is not a certificate
 * gives a clear error, never an exception.
 *
 * The checks re-enact what a TLS verifier does (chain building trusted-store-first, validity,
 * signature, CA constraints, purpose, host name, key size, digest); they are the browser's view and
 * are shown next to — never instead of — the real verdict OpenSSL or Node.js reported.
 */
import forge from 'node-forge';
import { CURVE, EKU, KEY_ALG } from '../../protocol/tls/oids.ts';

export type NameAttr = { short: string; value: string };

export interface DistinguishedName {
  /** RFC 4514 order: `CN=…, O=…`. */
  text: string;
  cn: string | null;
  attrs: NameAttr[];
}

export interface AltName {
  kind: 'DNS' | 'IP' | 'URI' | 'email' | 'RID' | 'other';
  value: string;
}

export interface KeyInfo {
  /** 'RSA', 'EC', 'Ed25519', 'Ed448', 'DSA', 'RSA-PSS', or the OID when unknown. */
  type: string;
  bits: number | null;
  curve: string | null;
  oid: string;
  /** false: node-forge could not read this key (non-RSA); the rest of the certificate is still shown. */
  shownByForge: boolean;
}

export interface ParsedCert {
  pem: string;
  /** SHA-256 of the DER, colon-separated hex. */
  fingerprint: string;
  version: number;
  serial: string;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  /** null: no subjectAltName extension. */
  san: AltName[] | null;
  keyUsage: string[] | null;
  extKeyUsage: string[] | null;
  basicConstraints: { ca: boolean; pathLen: number | null; critical: boolean } | null;
  key: KeyInfo;
  signature: { oid: string; name: string; hash: string | null };
  ski: string | null;
  aki: string | null;
  extensions: { oid: string; name: string; critical: boolean; known: boolean }[];
  /** subject == issuer. */
  selfIssued: boolean;
  /** node-forge's certificate object (for signature checks). */
  forge: forge.pki.Certificate;
}

export type ParseErrorCode = 'ERR_NOT_PEM' | 'ERR_NOT_CERTIFICATE' | 'ERR_BAD_CERTIFICATE';
export type ParseResult = { ok: true; cert: ParsedCert } | { ok: false; code: ParseErrorCode; message: string };

const FIXED_BITS: Readonly<Record<string, number>> = { Ed25519: 256, Ed448: 456, X25519: 256, X448: 448 };
const SIG_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};
/** Extensions OpenSSL 3.0 understands when critical (v3_purp.c X509_supported_extension). */
const SUPPORTED_CRITICAL = new Set([
  '2.16.840.1.113730.1.1', '2.5.29.15', '2.5.29.17', '2.5.29.19', '2.5.29.32', '2.5.29.37', '2.5.29.30', '2.5.29.36', '2.5.29.54',
  '1.3.6.1.5.5.7.1.7', '1.3.6.1.5.5.7.1.8', '1.3.6.1.5.5.7.1.14', '1.3.6.1.5.5.7.1.24', '2.5.29.14', '2.5.29.35',
]);
const EXT_NAMES: Readonly<Record<string, string>> = { '2.5.29.35': 'authorityKeyIdentifier', '2.5.29.30': 'nameConstraints', '2.5.29.31': 'cRLDistributionPoints', '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess' };
const KU_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'] as const;

const HASH_OF = (name: string): string | null => {
  const n = name.toLowerCase();
  for (const h of ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']) if (n.includes(h) || n.includes(h.replace('sha', 'sha-'))) return h;
  return null;
};

function oidName(oid: string): string {
  const n = (forge.pki.oids as Record<string, string>)[oid];
  return n ?? SIG_NAMES[oid] ?? EXT_NAMES[oid] ?? oid;
}

function dn(name: forge.pki.Certificate['subject']): DistinguishedName {
  const attrs: NameAttr[] = name.attributes.map((a) => ({
    short: a.shortName ?? a.name ?? (a.type ? oidName(String(a.type)) : '?'),
    value: String(a.value ?? ''),
  }));
  const text = [...attrs].reverse().map((a) => `${a.short}=${a.value}`).join(', ');
  const cn = attrs.find((a) => a.short === 'CN')?.value ?? null;
  return { text, cn, attrs };
}

function hex(bytes: string): string {
  return forge.util.bytesToHex(bytes);
}

/** The placeholder RSA SubjectPublicKeyInfo forge reads instead of a key it does not support. */
let placeholderSpki: forge.asn1.Asn1 | undefined;
function placeholder(): forge.asn1.Asn1 {
  placeholderSpki ??= forge.pki.publicKeyToAsn1(forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger('00c3', 16), new forge.jsbn.BigInteger('10001', 16)));
  return placeholderSpki;
}

function spkiInfo(spki: forge.asn1.Asn1): { oid: string; params: string | null } {
  const alg = (spki.value as forge.asn1.Asn1[])[0]!;
  const algParts = alg.value as forge.asn1.Asn1[];
  const oid = forge.asn1.derToOid(algParts[0]!.value as string);
  const p = algParts[1];
  const params = p && p.type === forge.asn1.Type.OID ? forge.asn1.derToOid(p.value as string) : null;
  return { oid, params };
}

/** Index of subjectPublicKeyInfo in TBSCertificate (after the optional [0] version). */
function spkiIndex(tbs: forge.asn1.Asn1): number {
  const first = (tbs.value as forge.asn1.Asn1[])[0]!;
  return first.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && first.type === 0 ? 6 : 5;
}

function readCertificate(der: string): { cert: forge.pki.Certificate; key: KeyInfo } {
  const asn = forge.asn1.fromDer(der);
  try {
    const cert = forge.pki.certificateFromAsn1(asn);
    const pub = cert.publicKey as forge.pki.rsa.PublicKey;
    return { cert, key: { type: 'RSA', bits: pub.n.bitLength(), curve: null, oid: '1.2.840.113549.1.1.1', shownByForge: true } };
  } catch (e) {
    if (!/OID is not RSA|Cannot read public key/i.test(e instanceof Error ? e.message : '')) throw e;
    const tbs = (asn.value as forge.asn1.Asn1[])[0]!;
    const idx = spkiIndex(tbs);
    const original = (tbs.value as forge.asn1.Asn1[])[idx]!;
    const info = spkiInfo(original);
    // forge.asn1.copy exists at runtime (lib/asn1.js) but is missing from @types/node-forge.
    const copy = (forge.asn1 as unknown as { copy(o: forge.asn1.Asn1): forge.asn1.Asn1 }).copy(asn);
    ((copy.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[])[idx] = placeholder();
    const cert = forge.pki.certificateFromAsn1(copy);
    // Signatures over this certificate must be checked on the real bytes.
    cert.tbsCertificate = tbs;
    (cert as { publicKey: unknown }).publicKey = null;
    const type = KEY_ALG[info.oid] ?? info.oid;
    const curve = info.params ? (CURVE[info.params]?.name ?? info.params) : null;
    const bits = (info.params ? CURVE[info.params]?.bits : undefined) ?? FIXED_BITS[type] ?? null;
    return { cert, key: { type, bits, curve, oid: info.oid, shownByForge: false } };
  }
}

function extOf(cert: forge.pki.Certificate, name: string): (Record<string, unknown> & { critical?: boolean; value: string }) | undefined {
  return cert.extensions.find((e: { name?: string }) => e.name === name);
}

function parseAki(value: string): string | null {
  try {
    const seq = forge.asn1.fromDer(value);
    const kid = (seq.value as forge.asn1.Asn1[]).find((v) => v.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && v.type === 0);
    return kid && typeof kid.value === 'string' ? hex(kid.value) : null;
  } catch {
    return null;
  }
}

function colonHex(h: string): string {
  return h.toUpperCase().replace(/(..)(?=.)/g, '$1:');
}

/** Parse one PEM certificate; never throws. */
export function parseCertificate(pem: string): ParseResult {
  let msgs: forge.pem.ObjectPEM[];
  try {
    msgs = forge.pem.decode(pem);
  } catch (e) {
    return { ok: false, code: 'ERR_NOT_PEM', message: `not PEM: ${e instanceof Error ? e.message : String(e)}` };
  }
  const m = msgs[0];
  if (!m) return { ok: false, code: 'ERR_NOT_PEM', message: 'no -----BEGIN …----- block found' };
  if (m.type !== 'CERTIFICATE' && m.type !== 'X509 CERTIFICATE' && m.type !== 'TRUSTED CERTIFICATE') {
    return { ok: false, code: 'ERR_NOT_CERTIFICATE', message: `this PEM holds a ${m.type}, not a CERTIFICATE` };
  }
  try {
    const { cert, key } = readCertificate(m.body);
    const subject = dn(cert.subject);
    const issuer = dn(cert.issuer);
    const sanExt = extOf(cert, 'subjectAltName');
    const san = sanExt
      ? ((sanExt.altNames as { type: number; value: string; ip?: string; oid?: string }[]) ?? []).map((a): AltName => {
          switch (a.type) {
            case 2:
              return { kind: 'DNS', value: a.value };
            case 7:
              return { kind: 'IP', value: a.ip ?? hex(a.value) };
            case 6:
              return { kind: 'URI', value: a.value };
            case 1:
              return { kind: 'email', value: a.value };
            case 8:
              return { kind: 'RID', value: a.oid ?? '' };
            default:
              return { kind: 'other', value: `[${a.type}]` };
          }
        })
      : null;
    const kuExt = extOf(cert, 'keyUsage');
    const ekuExt = extOf(cert, 'extKeyUsage');
    let extKeyUsage: string[] | null = null;
    if (ekuExt) {
      const seq = forge.asn1.fromDer(ekuExt.value);
      extKeyUsage = (seq.value as forge.asn1.Asn1[]).map((v) => {
        const oid = forge.asn1.derToOid(v.value as string);
        return EKU[oid] ?? oid;
      });
    }
    const bcExt = extOf(cert, 'basicConstraints');
    const skiExt = extOf(cert, 'subjectKeyIdentifier');
    const akiExt = cert.extensions.find((e: { id?: string }) => e.id === '2.5.29.35') as { value: string } | undefined;
    const sigName = oidName(cert.signatureOid ?? '');
    const der = forge.pem.decode(pem)[0]!.body;
    return {
      ok: true,
      cert: {
        pem,
        fingerprint: colonHex(forge.md.sha256.create().update(der).digest().toHex()),
        version: cert.version + 1,
        serial: cert.serialNumber,
        subject,
        issuer,
        notBefore: cert.validity.notBefore,
        notAfter: cert.validity.notAfter,
        san,
        keyUsage: kuExt ? KU_BITS.filter((b) => kuExt[b] === true) : null,
        extKeyUsage,
        basicConstraints: bcExt
          ? { ca: bcExt.cA === true, pathLen: typeof bcExt.pathLenConstraint === 'number' ? bcExt.pathLenConstraint : null, critical: bcExt.critical === true }
          : null,
        key,
        signature: { oid: cert.signatureOid ?? '', name: sigName, hash: HASH_OF(sigName) },
        ski: skiExt && typeof skiExt.subjectKeyIdentifier === 'string' ? skiExt.subjectKeyIdentifier : null,
        aki: akiExt ? parseAki(akiExt.value) : null,
        extensions: cert.extensions.map((e: { id: string; name?: string; critical?: boolean }) => ({
          oid: e.id,
          name: e.name || EXT_NAMES[e.id] || e.id,
          critical: e.critical === true,
          known: SUPPORTED_CRITICAL.has(e.id),
        })),
        selfIssued: subject.text === issuer.text,
        forge: cert,
      },
    };
  } catch (e) {
    return { ok: false, code: 'ERR_BAD_CERTIFICATE', message: `not a readable X.509 certificate: ${e instanceof Error ? e.message : String(e)}` };
  }
}

// ------------------------------------------------------------------------------------ checks

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';
export type CheckId =
  | 'validity'
  | 'issuer'
  | 'signature'
  | 'ca'
  | 'keyCertSign'
  | 'pathLen'
  | 'critical'
  | 'purpose'
  | 'hostname'
  | 'keySize'
  | 'digest'
  | 'digitalSignature'
  | 'anchor';

export interface CertCheck {
  id: CheckId;
  status: CheckStatus;
  /** i18n key (certs.reason.*) and its parameters. */
  reason: string;
  params?: Record<string, string | number>;
}

export interface ChainNode {
  /** Index in the verified path: 0 is the leaf (OpenSSL's "depth"). */
  depth: number;
  pem: string;
  parsed: ParseResult;
  /** Where the certificate came from: the peer's Certificate message, or the verifier's trust store. */
  source: 'chain' | 'trust';
  role: 'leaf' | 'intermediate' | 'anchor' | 'root';
  checks: CertCheck[];
}

export interface ChainReport {
  /** Leaf first, up to the anchor (or as far as issuers were found). */
  path: ChainNode[];
  /** Certificates the peer sent that are not on the path (out of order or unrelated). */
  unused: ChainNode[];
  /** The verifier's trust anchors that the path does not use. */
  otherAnchors: ParseResult[];
  /** When the path stops at a certificate whose issuer is nowhere: that issuer's name. */
  missingIssuer: string | null;
  /** Chain-level result: does the path end at a trusted self-signed root? */
  anchor: CertCheck;
  /** No check failed. */
  ok: boolean;
}

export interface VerifyInput {
  /** What the peer sent, leaf first (PEM). */
  chain: string[];
  /** The verifier's trust anchors (PEM). */
  trust: string[];
  /** Host name or IP the verifier expects in the leaf (the CPE checks the ACS); null: no name check. */
  expectedName: string | null;
  /** The purpose the leaf must allow: serverAuth (the ACS), clientAuth (the CPE). */
  purpose: 'serverAuth' | 'clientAuth';
  /** Security level of the verifier (Node.js 20: 1, the openssl binary: 2). */
  securityLevel: number;
  /** When the verification happened. */
  at: Date;
}

/** OpenSSL's minimum RSA size per security level (ssl/ssl_cert.c: 80/112/128/192/256 bits of security). */
export function minRsaBits(level: number): number {
  return [0, 1024, 2048, 3072, 7680, 15360][Math.max(0, Math.min(5, level))]!;
}

function sameKeyId(child: ParsedCert, issuer: ParsedCert): boolean {
  return child.aki === null || issuer.ski === null || child.aki === issuer.ski;
}

function isIssuerOf(issuer: ParsedCert, child: ParsedCert): boolean {
  return issuer.subject.text === child.issuer.text && sameKeyId(child, issuer);
}

function isIp(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(':');
}

/** RFC 6125 §6.4: DNS SANs (one left-most wildcard label), IP SANs for addresses, the CN only without DNS/IP/URI SANs. */
export function matchHost(cert: ParsedCert, name: string): { ok: boolean; via: 'SAN' | 'CN' | null; against: string[] } {
  const host = name.toLowerCase().replace(/\.$/, '');
  if (isIp(host)) {
    const ips = (cert.san ?? []).filter((s) => s.kind === 'IP').map((s) => s.value.toLowerCase());
    return { ok: ips.includes(host), via: ips.includes(host) ? 'SAN' : null, against: ips.map((i) => `IP:${i}`) };
  }
  const dns = (cert.san ?? []).filter((s) => s.kind === 'DNS').map((s) => s.value.toLowerCase());
  const matches = (pattern: string): boolean => {
    if (pattern === host) return true;
    if (!pattern.startsWith('*.')) return false;
    const rest = pattern.slice(1);
    return host.endsWith(rest) && !host.slice(0, host.length - rest.length).includes('.') && host.length > rest.length;
  };
  if (dns.length) {
    const ok = dns.some(matches);
    return { ok, via: ok ? 'SAN' : null, against: dns.map((d) => `DNS:${d}`) };
  }
  const anyIdSan = (cert.san ?? []).some((s) => s.kind === 'IP' || s.kind === 'URI');
  const cn = cert.subject.cn;
  if (!anyIdSan && cn !== null) {
    const ok = matches(cn.toLowerCase());
    return { ok, via: ok ? 'CN' : null, against: [`CN=${cn}`] };
  }
  return { ok: false, via: null, against: (cert.san ?? []).map((s) => `${s.kind}:${s.value}`) };
}

const check = (id: CheckId, status: CheckStatus, reason: string, params?: Record<string, string | number>): CertCheck =>
  params ? { id, status, reason, params } : { id, status, reason };

const fmt = (d: Date): string => d.toISOString().replace('.000Z', 'Z');

function certChecks(node: ChainNode, issuer: ChainNode | null, path: ChainNode[], input: VerifyInput, top: boolean): CertCheck[] {
  if (!node.parsed.ok) return [];
  const c = node.parsed.cert;
  const out: CertCheck[] = [];
  const t = input.at.getTime();
  // Validity (RFC 5280 §4.1.2.5; OpenSSL checks every certificate, the anchor included).
  if (t < c.notBefore.getTime()) out.push(check('validity', 'fail', 'certs.reason.notYetValid', { from: fmt(c.notBefore) }));
  else if (t > c.notAfter.getTime()) out.push(check('validity', 'fail', 'certs.reason.expired', { until: fmt(c.notAfter) }));
  else out.push(check('validity', 'pass', 'certs.reason.valid', { from: fmt(c.notBefore), until: fmt(c.notAfter) }));

  // Issuer and signature.
  if (issuer?.parsed.ok) {
    const ic = issuer.parsed.cert;
    out.push(check('issuer', 'pass', issuer.source === 'trust' ? 'certs.reason.issuerInTrust' : 'certs.reason.issuerInChain', { issuer: ic.subject.text }));
    if (!ic.key.shownByForge) out.push(check('signature', 'skip', 'certs.reason.sigKeyUnsupported', { type: ic.key.type }));
    else {
      try {
        const ok = ic.forge.verify(c.forge);
        out.push(check('signature', ok ? 'pass' : 'fail', ok ? 'certs.reason.sigOk' : 'certs.reason.sigBad', { issuer: ic.subject.cn ?? ic.subject.text, alg: c.signature.name }));
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        // forge throws for algorithms it lacks (ECDSA, unknown OIDs): not checked. Any other throw
        // comes from the RSA verification itself (a broken PKCS#1 block): the signature is bad.
        if (/unknown signature|could not compute|unsupported|not supported/i.test(why)) {
          out.push(check('signature', 'skip', 'certs.reason.sigUnchecked', { alg: c.signature.name, why }));
        } else out.push(check('signature', 'fail', 'certs.reason.sigBad', { issuer: ic.subject.cn ?? ic.subject.text, alg: c.signature.name }));
      }
    }
  } else if (top && c.selfIssued) {
    out.push(
      check('issuer', node.source === 'trust' ? 'pass' : 'fail', node.source === 'trust' ? 'certs.reason.selfSignedAnchor' : 'certs.reason.selfSignedUntrusted'),
    );
  } else {
    out.push(check('issuer', 'fail', 'certs.reason.issuerMissing', { issuer: c.issuer.text }));
  }

  // CA constraints for every certificate that signs another on the path.
  if (node.depth > 0) {
    const bc = c.basicConstraints;
    out.push(bc?.ca ? check('ca', 'pass', 'certs.reason.isCa') : check('ca', 'fail', 'certs.reason.notCa'));
    if (c.keyUsage) {
      out.push(c.keyUsage.includes('keyCertSign') ? check('keyCertSign', 'pass', 'certs.reason.kuCertSign') : check('keyCertSign', 'fail', 'certs.reason.kuNoCertSign', { ku: c.keyUsage.join(', ') || '—' }));
    }
    if (bc?.pathLen !== null && bc?.pathLen !== undefined) {
      // CAs below this one on the path (the leaf does not count; self-issued CAs do not either).
      const below = path.slice(1, node.depth).filter((n) => n.parsed.ok && !n.parsed.cert.selfIssued).length;
      out.push(check('pathLen', below <= bc.pathLen ? 'pass' : 'fail', below <= bc.pathLen ? 'certs.reason.pathLenOk' : 'certs.reason.pathLenExceeded', { pathLen: bc.pathLen, below }));
    }
  }

  // Critical extensions the verifier does not understand (RFC 5280 §4.2).
  const unknown = c.extensions.filter((e) => e.critical && !e.known);
  out.push(unknown.length ? check('critical', 'fail', 'certs.reason.unknownCritical', { oids: unknown.map((e) => e.oid).join(', ') }) : check('critical', 'pass', 'certs.reason.criticalOk'));

  // Leaf: purpose, host name, digitalSignature.
  if (node.depth === 0) {
    const eku = c.extKeyUsage;
    if (eku === null) out.push(check('purpose', 'pass', 'certs.reason.noEku', { purpose: input.purpose }));
    else if (eku.includes(input.purpose) || eku.includes('anyExtendedKeyUsage')) out.push(check('purpose', 'pass', 'certs.reason.ekuOk', { purpose: input.purpose }));
    else out.push(check('purpose', 'fail', 'certs.reason.ekuWrong', { purpose: input.purpose, eku: eku.join(', ') }));
    if (input.expectedName === null) out.push(check('hostname', 'skip', 'certs.reason.noNameCheck'));
    else {
      const m = matchHost(c, input.expectedName);
      out.push(
        m.ok
          ? check('hostname', m.via === 'CN' ? 'warn' : 'pass', m.via === 'CN' ? 'certs.reason.nameViaCn' : 'certs.reason.nameOk', { name: input.expectedName })
          : check('hostname', 'fail', isIp(input.expectedName) ? 'certs.reason.ipMismatch' : 'certs.reason.nameMismatch', {
              name: input.expectedName,
              against: m.against.join(', ') || '—',
            }),
      );
    }
    if (c.keyUsage && !c.keyUsage.includes('digitalSignature')) out.push(check('digitalSignature', 'warn', 'certs.reason.kuNoDigitalSignature', { ku: c.keyUsage.join(', ') || '—' }));
  }

  // Key size against the verifier's security level.
  const min = minRsaBits(input.securityLevel);
  if (c.key.type === 'RSA' && c.key.bits !== null) {
    out.push(
      c.key.bits >= min
        ? check('keySize', 'pass', 'certs.reason.keyOk', { bits: c.key.bits, min, level: input.securityLevel })
        : check('keySize', 'fail', 'certs.reason.keyWeak', { bits: c.key.bits, min, level: input.securityLevel }),
    );
  } else if (!c.key.shownByForge) out.push(check('keySize', 'skip', 'certs.reason.keyNotShown', { type: c.key.type, bits: c.key.bits ?? '?' }));

  // Signature digest (not for a self-signed anchor: its own signature is not used).
  if (!(top && c.selfIssued && node.source === 'trust') && input.securityLevel >= 1) {
    const weak = c.signature.hash === 'md5' || c.signature.hash === 'sha1';
    out.push(weak ? check('digest', 'fail', 'certs.reason.digestWeak', { alg: c.signature.name, level: input.securityLevel }) : check('digest', 'pass', 'certs.reason.digestOk', { alg: c.signature.name }));
  }
  return out;
}

/** Build the path the verifier would (trusted store first, then the peer's certificates) and check every certificate. */
export function verifyChain(input: VerifyInput): ChainReport {
  const chain = input.chain.map((pem) => ({ pem, parsed: parseCertificate(pem) }));
  const trust = input.trust.map((pem) => ({ pem, parsed: parseCertificate(pem) }));
  const path: ChainNode[] = [];
  const usedChain = new Set<number>();
  const usedTrust = new Set<number>();
  let missingIssuer: string | null = null;
  let impostor = false;
  const leaf = chain[0];
  if (leaf) {
    usedChain.add(0);
    path.push({ depth: 0, pem: leaf.pem, parsed: leaf.parsed, source: 'chain', role: 'leaf', checks: [] });
  }
  while (path.length > 0 && path.length < 10) {
    const cur = path[path.length - 1]!;
    if (!cur.parsed.ok) break;
    const c = cur.parsed.cert;
    // A certificate the verifier trusts, exactly, is an anchor where the path may stop.
    if (cur.source === 'chain') {
      const ti = trust.findIndex((t) => t.parsed.ok && t.parsed.cert.fingerprint === c.fingerprint);
      if (ti >= 0) {
        usedTrust.add(ti);
        cur.source = 'trust';
        if (c.selfIssued) break;
      }
    }
    if (c.selfIssued) break;
    const ti = trust.findIndex((t, i) => !usedTrust.has(i) && t.parsed.ok && isIssuerOf(t.parsed.cert, c));
    if (ti >= 0) {
      usedTrust.add(ti);
      path.push({ depth: path.length, pem: trust[ti]!.pem, parsed: trust[ti]!.parsed, source: 'trust', role: 'anchor', checks: [] });
      continue;
    }
    const ci = chain.findIndex((x, i) => !usedChain.has(i) && x.parsed.ok && isIssuerOf(x.parsed.cert, c));
    if (ci >= 0) {
      usedChain.add(ci);
      path.push({ depth: path.length, pem: chain[ci]!.pem, parsed: chain[ci]!.parsed, source: 'chain', role: 'intermediate', checks: [] });
      continue;
    }
    missingIssuer = c.issuer.text;
    impostor = trust.some((t) => t.parsed.ok && t.parsed.cert.subject.text === c.issuer.text);
    break;
  }
  // Roles: the top is the root when self-issued; an anchor when it came from the trust store.
  path.forEach((n, i) => {
    if (i === 0) return;
    const top = i === path.length - 1;
    n.role = top && n.parsed.ok && n.parsed.cert.selfIssued ? 'root' : n.source === 'trust' ? 'anchor' : 'intermediate';
  });
  path.forEach((n, i) => {
    n.checks = certChecks(n, path[i + 1] ?? null, path, input, i === path.length - 1);
  });
  const top = path[path.length - 1];
  let anchor: CertCheck;
  if (!top) anchor = check('anchor', 'fail', 'certs.reason.noChain');
  else if (!top.parsed.ok) anchor = check('anchor', 'fail', 'certs.reason.unparsable');
  else if (top.source === 'trust' && top.parsed.cert.selfIssued) anchor = check('anchor', 'pass', 'certs.reason.anchorOk', { anchor: top.parsed.cert.subject.text });
  else if (top.source === 'trust') anchor = check('anchor', 'fail', 'certs.reason.partialChain', { anchor: top.parsed.cert.subject.text, issuer: missingIssuer ?? '' });
  else if (top.parsed.cert.selfIssued) anchor = check('anchor', 'fail', 'certs.reason.selfSignedUntrusted');
  else if (impostor) anchor = check('anchor', 'fail', 'certs.reason.impostor', { issuer: missingIssuer ?? '' });
  else anchor = check('anchor', 'fail', 'certs.reason.noAnchor', { issuer: missingIssuer ?? '' });
  const unused = chain
    .map((x, i) => ({ x, i }))
    .filter(({ i }) => !usedChain.has(i))
    .map(({ x }, k): ChainNode => ({ depth: -1 - k, pem: x.pem, parsed: x.parsed, source: 'chain', role: 'intermediate', checks: [] }));
  const otherAnchors = trust.filter((_, i) => !usedTrust.has(i)).map((t) => t.parsed);
  const ok = anchor.status !== 'fail' && path.every((n) => n.parsed.ok && n.checks.every((c) => c.status !== 'fail'));
  return { path, unused, otherAnchors, missingIssuer, anchor, ok };
}

/** The side that verifies a chain, and what it checks: the CPE verifies the ACS (serverAuth + host name); the ACS verifies the CPE (clientAuth). */
export function verifierOf(chainOwner: 'cpe' | 'acs'): 'cpe' | 'acs' {
  return chainOwner === 'cpe' ? 'acs' : 'cpe';
}
