/**
 * General X.509 v3 certificate builder.
 *
 * Every property of a certificate the lab cares about (validity, issuer,
 * key size, digest, each extension, even a corrupted signature) is plain
 * *data* in a {@link CertSpec}, so the fault catalogue is a list of specs,
 * not code paths. node-forge builds all ASN.1/DER; the RSA signature over the
 * forge-produced TBSCertificate DER is computed by node:crypto (OpenSSL),
 * which is ~100x faster than forge's pure-JS RSA.
 */
import { createPrivateKey, sign as nodeSign, randomBytes, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';
import { PkiError } from './errors.ts';
import { DEFAULT_KEY_BITS, assertKeyBits, generateRsaKey, rsaKeyFromKeyObject, type KeyPool, type RsaKey } from './keys.ts';

export const DIGESTS = ['sha256', 'sha384', 'sha512', 'sha1', 'md5'] as const;
export type DigestName = (typeof DIGESTS)[number];

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

/** RFC 5280 §4.2.1.12 KeyPurposeIds (id-kp-*), plus anyExtendedKeyUsage. */
export const EXT_KEY_USAGE_OIDS = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;
export type ExtKeyUsageName = keyof typeof EXT_KEY_USAGE_OIDS;

export interface DistinguishedName {
  CN: string;
  O?: string;
  OU?: string;
  /** Two-letter country code. */
  C?: string;
}

/** An arbitrary extension, e.g. an unknown critical one. */
export interface ExtraExtension {
  /** Dotted OID, e.g. '1.3.6.1.4.1.55555.1'. */
  oid: string;
  critical?: boolean;
  /** DER placed inside extnValue's OCTET STRING. Default: an ASN.1 NULL. */
  value?: Uint8Array;
}

export interface CertSpec {
  subject: DistinguishedName;
  /** Signing certificate + key; `undefined` = self-signed. Need not be a CA (that's a fault). */
  issuer?: IssuedCert;
  /** Serial number, hex. Default: random positive 16 bytes. */
  serial?: string;
  /** Default: now - 1 h. */
  notBefore?: Date;
  /** Default: now + 1 y (leaf) or now + 10 y (isCA). */
  notAfter?: Date;
  /** basicConstraints cA flag. `null` omits basicConstraints entirely. Default false. */
  isCA?: boolean | null;
  /** basicConstraints pathLenConstraint (only meaningful with isCA). */
  pathLen?: number;
  /** `null` omits the extension. Default: CA → keyCertSign+cRLSign, leaf → digitalSignature+keyEncipherment. */
  keyUsage?: KeyUsageName[] | null;
  /** `null`/undefined omits the extension. Dotted OIDs are accepted too. */
  extKeyUsage?: Array<ExtKeyUsageName | `${number}.${string}`> | null;
  /** `null`/undefined omits the extension (a "CN-only" certificate). */
  san?: { dns?: string[]; ip?: string[] } | null;
  /** Default 'sha256'. */
  digest?: DigestName;
  /** RSA modulus size; default 2048. Ignored when an explicit key is passed. */
  keyBits?: number;
  /** Include subjectKeyIdentifier (default true). */
  subjectKeyIdentifier?: boolean;
  /** Include authorityKeyIdentifier when issued by another cert (default true). */
  authorityKeyIdentifier?: boolean;
  extraExtensions?: ExtraExtension[];
  /** Flip the last bit of the signature after signing (a "tampered" certificate). */
  flipSignatureBit?: boolean;
}

export interface IssuedCert {
  readonly cert: forge.pki.Certificate;
  readonly certPem: string;
  readonly certDer: Uint8Array;
  readonly keyPem: string;
  readonly key: forge.pki.rsa.PrivateKey;
  /** Same private key as a Node KeyObject (used to sign children natively). */
  readonly keyObject: KeyObject;
  readonly spec: CertSpec;
}

export interface IssueOptions {
  /** Take the key from this pool (fast). */
  pool?: KeyPool;
  /** Use exactly this key (e.g. to reuse the issuer's key). Overrides `pool`/`keyBits`. */
  key?: RsaKey;
}

const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;

/** Signature AlgorithmIdentifier per digest (RFC 5280 §4.1.1.2, RFC 4055). */
const SIGNATURE_ALGORITHM: Record<DigestName, string> = {
  sha256: 'sha256WithRSAEncryption',
  sha384: 'sha384WithRSAEncryption',
  sha512: 'sha512WithRSAEncryption',
  sha1: 'sha1WithRSAEncryption',
  md5: 'md5WithRSAEncryption',
};

const pkiInternals = forge.pki as unknown as { getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 };

function bad(message: string): PkiError {
  return new PkiError('ERR_BAD_SPEC', message);
}

export function assertDigest(digest: unknown): asserts digest is DigestName {
  if (typeof digest !== 'string' || !(DIGESTS as readonly string[]).includes(digest)) {
    throw new PkiError('ERR_BAD_DIGEST', `unknown digest ${JSON.stringify(digest)}; expected one of ${DIGESTS.join(', ')}`);
  }
}

function validateSpec(spec: CertSpec): void {
  if (typeof spec?.subject?.CN !== 'string' || spec.subject.CN === '') throw bad('subject.CN must be a non-empty string');
  assertDigest(spec.digest ?? 'sha256');
  assertKeyBits(spec.keyBits ?? DEFAULT_KEY_BITS);
  if (spec.serial !== undefined && !/^[0-9a-fA-F]+$/.test(spec.serial)) throw bad(`serial must be hex, got ${spec.serial}`);
  for (const k of ['notBefore', 'notAfter'] as const) {
    const d = spec[k];
    if (d !== undefined && !(d instanceof Date && Number.isFinite(d.getTime()))) throw bad(`${k} must be a valid Date`);
  }
  if (spec.pathLen !== undefined && !(Number.isInteger(spec.pathLen) && spec.pathLen >= 0)) {
    throw bad(`pathLen must be a non-negative integer, got ${spec.pathLen}`);
  }
  for (const ip of spec.san?.ip ?? []) if (isIP(ip) === 0) throw bad(`san.ip ${JSON.stringify(ip)} is not an IP address`);
  for (const e of spec.extKeyUsage ?? []) {
    if (!(e in EXT_KEY_USAGE_OIDS) && !/^\d+(\.\d+)+$/.test(e)) throw bad(`unknown extKeyUsage ${JSON.stringify(e)}`);
  }
  for (const x of spec.extraExtensions ?? []) if (!/^\d+(\.\d+)+$/.test(x.oid)) throw bad(`bad extension OID ${x.oid}`);
  if (spec.issuer && !spec.issuer.cert) throw bad('issuer must be an IssuedCert');
}

function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) || 0x01; // positive INTEGER, minimal DER encoding
  return b.toString('hex');
}

/** Subject attributes: UTF8String for names, PrintableString for C (RFC 5280 §4.1.2.4, App. A). */
function toAttributes(dn: DistinguishedName): forge.pki.CertificateField[] {
  // @types/node-forge mistypes valueTagClass as asn1.Class; forge reads it as an asn1.Type tag.
  const field = (shortName: string, value: string, tag: forge.asn1.Type) =>
    ({ shortName, value, valueTagClass: tag }) as unknown as forge.pki.CertificateField;
  const attrs: forge.pki.CertificateField[] = [];
  if (dn.C !== undefined) attrs.push(field('C', dn.C, forge.asn1.Type.PRINTABLESTRING));
  for (const name of ['O', 'OU', 'CN'] as const) {
    const value = dn[name];
    if (value !== undefined) attrs.push(field(name, value, forge.asn1.Type.UTF8));
  }
  return attrs;
}

/** The issuer's key identifier: its SKI if present, else SHA-1 of its RSAPublicKey (RFC 5280 §4.2.1.2 method 1). */
function keyIdentifierOf(cert: forge.pki.Certificate): string {
  const ski = cert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  if (ski?.subjectKeyIdentifier) return forge.util.hexToBytes(ski.subjectKeyIdentifier);
  return forge.pki.getPublicKeyFingerprint(cert.publicKey, { type: 'RSAPublicKey', md: forge.md.sha1.create(), encoding: 'binary' });
}

function buildExtensions(spec: CertSpec): object[] {
  const exts: object[] = [];
  const isCA = spec.isCA === true;

  // RFC 5280 §4.2.1.9 Basic Constraints: MUST be critical in CA certificates;
  // MAY be non-critical in end-entity certificates. pathLenConstraint only with cA.
  if (spec.isCA !== null) {
    exts.push({
      name: 'basicConstraints',
      critical: isCA,
      cA: isCA,
      ...(spec.pathLen !== undefined ? { pathLenConstraint: spec.pathLen } : {}),
    });
  }

  // RFC 5280 §4.2.1.3 Key Usage: "conforming CAs SHOULD mark this extension as critical".
  const keyUsage = spec.keyUsage === undefined
    ? (isCA ? ['keyCertSign', 'cRLSign'] : ['digitalSignature', 'keyEncipherment'])
    : spec.keyUsage;
  if (keyUsage !== null) {
    exts.push({ name: 'keyUsage', critical: true, ...Object.fromEntries(keyUsage.map((u) => [u, true])) });
  }

  // RFC 5280 §4.2.1.12 Extended Key Usage (non-critical here; TLS checks it either way).
  if (spec.extKeyUsage) {
    const oids = spec.extKeyUsage.map((e) => (e in EXT_KEY_USAGE_OIDS ? EXT_KEY_USAGE_OIDS[e as ExtKeyUsageName] : e));
    // forge looks keys up in its two-way OID table: pass its name for known OIDs, the dotted OID otherwise.
    exts.push({ name: 'extKeyUsage', ...Object.fromEntries(oids.map((o) => [forge.pki.oids[o] ?? o, true])) });
  }

  // RFC 5280 §4.2.1.6 Subject Alternative Name: dNSName [2], iPAddress [7].
  // (RFC 6125 §6.4.4: TLS clients ignore the CN when a SAN dNSName exists.)
  if (spec.san) {
    const altNames = [
      ...(spec.san.dns ?? []).map((value) => ({ type: 2, value })),
      ...(spec.san.ip ?? []).map((ip) => ({ type: 7, ip })),
    ];
    exts.push({ name: 'subjectAltName', altNames });
  }

  // RFC 5280 §4.2.1.2 Subject Key Identifier: SHA-1 of the subjectPublicKey (method 1).
  if (spec.subjectKeyIdentifier !== false) exts.push({ name: 'subjectKeyIdentifier' });

  // RFC 5280 §4.2.1.1 Authority Key Identifier: keyIdentifier = the issuer's SKI.
  // MAY be omitted in self-signed certificates, so it is only added when issued.
  if (spec.issuer && spec.authorityKeyIdentifier !== false) {
    exts.push({ name: 'authorityKeyIdentifier', keyIdentifier: keyIdentifierOf(spec.issuer.cert) });
  }

  // RFC 5280 §4.2: a verifier MUST reject a certificate with an unrecognised critical extension.
  for (const x of spec.extraExtensions ?? []) {
    const value = x.value
      ? Buffer.from(x.value).toString('binary')
      : forge.asn1.toDer(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, '')).getBytes();
    exts.push({ id: x.oid, critical: x.critical ?? false, value });
  }
  return exts;
}

/** Builds, signs and encodes a certificate from a spec. */
export async function issueCert(spec: CertSpec, options: IssueOptions = {}): Promise<IssuedCert> {
  validateSpec(spec);
  const digest = spec.digest ?? 'sha256';
  const bits = spec.keyBits ?? DEFAULT_KEY_BITS;
  const key = options.key ?? (options.pool ? await options.pool.take(bits) : await generateRsaKey(bits));

  const now = Date.now();
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.forgePublic;
  cert.serialNumber = spec.serial ? (spec.serial.length % 2 ? '0' : '') + spec.serial.toLowerCase() : randomSerial();
  cert.validity.notBefore = spec.notBefore ?? new Date(now - HOUR);
  cert.validity.notAfter = spec.notAfter ?? new Date(now + (spec.isCA ? 10 * YEAR : YEAR));
  const subject = toAttributes(spec.subject);
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer ? spec.issuer.cert.subject.attributes : subject);
  cert.setExtensions(buildExtensions(spec));

  // Sign the forge-encoded TBSCertificate natively (what cert.sign() does, minus pure-JS RSA).
  const sigAlg = forge.pki.oids[SIGNATURE_ALGORITHM[digest]];
  if (!sigAlg) throw new PkiError('ERR_BAD_DIGEST', `node-forge lacks ${SIGNATURE_ALGORITHM[digest]}`);
  cert.signatureOid = cert.siginfo.algorithmOid = sigAlg;
  cert.tbsCertificate = pkiInternals.getTBSCertificate(cert);
  const tbsBytes = forge.asn1.toDer(cert.tbsCertificate).getBytes();
  // As in forge's cert.sign(): cert.md holds the TBS digest state that forge's verify() uses.
  cert.md = forge.md[digest].create().update(tbsBytes);
  const tbsDer = Buffer.from(tbsBytes, 'binary');
  let signature: Buffer;
  try {
    signature = nodeSign(digest, tbsDer, spec.issuer?.keyObject ?? key.keyObject);
  } catch (err) {
    throw new PkiError('ERR_SIGN_FAILED', `cannot sign with ${digest}: ${(err as Error).message}`, { cause: err });
  }
  if (spec.flipSignatureBit) signature[signature.length - 1]! ^= 0x01;
  cert.signature = signature.toString('binary');

  return issuedCert(cert, key, spec);
}

/** The IssuedCert record of a signed forge certificate and its key (DER and PEM from forge's encoder). */
function issuedCert(cert: forge.pki.Certificate, key: RsaKey, spec: CertSpec): IssuedCert {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  return {
    cert,
    certPem: forge.pem.encode({ type: 'CERTIFICATE', body: der }),
    certDer: new Uint8Array(Buffer.from(der, 'binary')),
    keyPem: key.privateKeyPem,
    key: key.forgePrivate,
    keyObject: key.keyObject,
    spec,
  };
}

// ---------------------------------------------------------------- parsing

function badPem(what: string, err?: unknown): PkiError {
  const detail = err instanceof Error ? `: ${err.message}` : '';
  return new PkiError('ERR_BAD_PEM', `not a valid PEM ${what}${detail}`, { cause: err });
}

/** Parses the first certificate of a PEM string. Throws `ERR_BAD_PEM`. */
export function parseCertificatePem(pem: string): forge.pki.Certificate {
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN CERTIFICATE-----')) throw badPem('certificate');
  try {
    return forge.pki.certificateFromPem(pem);
  } catch (err) {
    throw badPem('certificate', err);
  }
}

/** Parses an RSA private key (PKCS#1 or PKCS#8 PEM). Throws `ERR_BAD_PEM`. */
export function parsePrivateKeyPem(pem: string): RsaKey {
  if (typeof pem !== 'string' || !/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) throw badPem('RSA private key');
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw badPem('RSA private key', err);
  }
  if (keyObject.asymmetricKeyType !== 'rsa') throw badPem(`RSA private key (got ${keyObject.asymmetricKeyType})`);
  return rsaKeyFromKeyObject(keyObject);
}

/**
 * Rebuilds an IssuedCert (e.g. a CA persisted to disk) from PEMs. The
 * reconstructed `spec` carries only the subject, CA flag and issuer.
 * Throws `ERR_BAD_PEM` or `ERR_KEY_MISMATCH`.
 */
export function loadIssuedCert(certPem: string, keyPem: string, issuer?: IssuedCert): IssuedCert {
  const cert = parseCertificatePem(certPem);
  const key = parsePrivateKeyPem(keyPem);
  const pub = cert.publicKey as forge.pki.rsa.PublicKey;
  if (pub.n.compareTo(key.forgePrivate.n) !== 0) throw new PkiError('ERR_KEY_MISMATCH', 'private key does not match the certificate');
  const dn = (name: string) => cert.subject.getField(name)?.value as string | undefined;
  const bc = cert.getExtension('basicConstraints') as { cA?: boolean } | undefined;
  const subject: DistinguishedName = { CN: dn('CN') ?? '' };
  for (const f of ['O', 'OU', 'C'] as const) {
    const v = dn(f);
    if (v !== undefined) subject[f] = v;
  }
  return issuedCert(cert, key, { subject, isCA: bc?.cA === true, ...(issuer ? { issuer } : {}) });
}

// ------------------------------------------------------------ chains / TLS

/** `leaf`, its issuer, its issuer's issuer, ... up to the self-signed top. */
export function chainOf(leaf: IssuedCert): IssuedCert[] {
  const chain = [leaf];
  for (let c = leaf.spec.issuer; c && !chain.includes(c); c = c.spec.issuer) chain.push(c);
  return chain;
}

/** PEM material for Node `tls`: `cert` = leaf + intermediates, `ca` = the top of the chain. */
export interface TlsCredentials {
  cert: string;
  key: string;
  ca: string;
}

export function tlsCredentials(leaf: IssuedCert): TlsCredentials {
  const chain = chainOf(leaf);
  const top = chain[chain.length - 1] ?? leaf;
  const presented = chain.length > 1 ? chain.slice(0, -1) : chain;
  return { cert: presented.map((c) => c.certPem).join(''), key: leaf.keyPem, ca: top.certPem };
}
