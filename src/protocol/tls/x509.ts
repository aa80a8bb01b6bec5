/**
 * X.509 certificate summaries for the field tree, via the @peculiar/asn1-x509 schema classes
 * (RFC 5280 §4.1). No hand-rolled ASN.1: every structure is parsed with `AsnConvert.parse`.
 * Pure: Uint8Array in, plain data out.
 */
import { AsnConvert, AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import {
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  KeyUsage,
  Name,
  SubjectAlternativeName,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
} from '@peculiar/asn1-x509';
import type { GeneralName } from '@peculiar/asn1-x509';
import { TlsDecodeError } from './errors.ts';
import { toHex } from './fields.ts';
import { CURVE, EKU, KEY_ALG } from './oids.ts';
import { certificateSpans, type CertSpans } from './x509-spans.ts';

export interface CertSummary {
  /** One-line DN, most specific RDN first (RFC 4514 order): `CN=acs.lab.test, O=Handshake Lab`. */
  subject: string;
  subjectCN?: string;
  issuer: string;
  /** Serial number, lowercase hex without the DER sign byte. */
  serial: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  /** `DNS:acs.lab.test`, `IP:127.0.0.1`, `email:…`, `URI:…`, `DirName:…`. */
  san: string[];
  keyUsage: string[];
  /** serverAuth, clientAuth, … or the OID when unnamed. */
  extKeyUsage: string[];
  basicConstraints?: { ca: boolean; pathLen?: number };
  keyType: 'RSA' | 'EC' | 'Ed25519' | 'Ed448' | string;
  keyBits?: number;
  curve?: string;
  /** e.g. sha256WithRSAEncryption, ecdsa-with-SHA256, or the OID. */
  signatureAlgorithm: string;
  /** Subject and issuer are the same name (a root, or a self-signed leaf). */
  selfIssued: boolean;
  extensions: { oid: string; name: string; critical: boolean }[];
}

// RFC 8017 §A.1.1 RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }.
// Declared with the schema decorators applied as plain calls (no decorator syntax needed).
class RSAPublicKey {
  declare modulus: ArrayBuffer;
  declare publicExponent: ArrayBuffer;
}
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(RSAPublicKey.prototype, 'modulus');
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(RSAPublicKey.prototype, 'publicExponent');
AsnType({ type: AsnTypeTypes.Sequence })(RSAPublicKey);

// RFC 5480 §2.1.1 ECParameters ::= CHOICE { namedCurve OBJECT IDENTIFIER, … } (only namedCurve in PKIX).
class ECParameters {
  declare namedCurve?: string;
}
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(ECParameters.prototype, 'namedCurve');
AsnType({ type: AsnTypeTypes.Choice })(ECParameters);

/** Attribute type short names (RFC 4514 §3 plus the common extras OpenSSL prints). */
const ATTR: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

const SIG_ALG: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
  '2.16.840.1.101.3.4.3.17': 'ML-DSA-44',
  '2.16.840.1.101.3.4.3.18': 'ML-DSA-65',
  '2.16.840.1.101.3.4.3.19': 'ML-DSA-87',
};

const EXTENSION: Readonly<Record<string, string>> = {
  '2.5.29.9': 'subjectDirectoryAttributes',
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.15': 'keyUsage',
  '2.5.29.16': 'privateKeyUsagePeriod',
  '2.5.29.17': 'subjectAltName',
  '2.5.29.18': 'issuerAltName',
  '2.5.29.19': 'basicConstraints',
  '2.5.29.30': 'nameConstraints',
  '2.5.29.31': 'cRLDistributionPoints',
  '2.5.29.32': 'certificatePolicies',
  '2.5.29.33': 'policyMappings',
  '2.5.29.35': 'authorityKeyIdentifier',
  '2.5.29.36': 'policyConstraints',
  '2.5.29.37': 'extendedKeyUsage',
  '2.5.29.46': 'freshestCRL',
  '2.5.29.54': 'inhibitAnyPolicy',
  '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess',
  '1.3.6.1.5.5.7.1.11': 'subjectInfoAccess',
  '1.3.6.1.5.5.7.1.24': 'tlsFeature',
  '1.3.6.1.4.1.11129.2.4.2': 'ctPrecertificateSCTs',
  '1.3.6.1.4.1.11129.2.4.3': 'ctPrecertificatePoison',
  '2.16.840.1.113730.1.1': 'nsCertType',
  '2.16.840.1.113730.1.13': 'nsComment',
};

/** The name of an X.509 extension OID, or the OID itself. */
export function extensionName(oid: string): string {
  return EXTENSION[oid] ?? oid;
}

/** The name of a signature algorithm OID, or the OID itself. */
export function signatureAlgorithmName(oid: string): string {
  return SIG_ALG[oid] ?? oid;
}

/** RFC 4514 §2.4 escaping of an attribute value. */
function escapeValue(v: string): string {
  let s = v.replace(/[\\,+"<>;=]/g, (c) => '\\' + c);
  if (s.startsWith('#') || s.startsWith(' ')) s = '\\' + s;
  if (s.endsWith(' ') && s.length > 1) s = s.slice(0, -1) + '\\ ';
  return s;
}

/** One-line DN, most specific RDN first (`CN=…, OU=…, O=…, C=…`), multi-valued RDNs joined by `+`. */
export function renderName(name: Name): string {
  const rdns: string[] = [];
  for (const rdn of name) {
    const parts: string[] = [];
    for (const atv of rdn) parts.push(`${ATTR[atv.type] ?? atv.type}=${escapeValue(atv.value.toString())}`);
    rdns.push(parts.join('+'));
  }
  return rdns.reverse().join(', ');
}

/** The last (most specific) commonName of a Name. */
function commonName(name: Name): string | undefined {
  let cn: string | undefined;
  for (const rdn of name) for (const atv of rdn) if (atv.type === '2.5.4.3') cn = atv.value.toString();
  return cn;
}

/** A DER DistinguishedName (RFC 5280 §4.1.2.4 Name) as a one-line DN; throws TlsDecodeError if malformed. */
const nameCache = new Map<string, string>();

export function formatDistinguishedName(der: Uint8Array): string {
  const key = toHex(der);
  const hit = nameCache.get(key);
  if (hit !== undefined) return hit;
  let text: string;
  try {
    text = renderName(AsnConvert.parse(der, Name));
  } catch (e) {
    throw new TlsDecodeError('ERR_BAD_VALUE', `malformed DistinguishedName: ${errText(e)}`);
  }
  nameCache.set(key, text);
  if (nameCache.size > CACHE_SIZE) nameCache.delete(nameCache.keys().next().value!);
  return text;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function generalName(g: GeneralName): string {
  if (g.dNSName !== undefined) return `DNS:${g.dNSName}`;
  if (g.iPAddress !== undefined) return `IP:${g.iPAddress}`;
  if (g.rfc822Name !== undefined) return `email:${g.rfc822Name}`;
  if (g.uniformResourceIdentifier !== undefined) return `URI:${g.uniformResourceIdentifier}`;
  if (g.directoryName !== undefined) return `DirName:${renderName(g.directoryName)}`;
  if (g.registeredID !== undefined) return `RID:${g.registeredID}`;
  if (g.otherName !== undefined) return `othername:${g.otherName.typeId}`;
  return 'unsupported';
}

function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  const first = bytes[i];
  if (first === undefined) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(first));
}

function serialHex(b: Uint8Array): string {
  const h = toHex(b);
  return h.length > 2 && h.startsWith('00') ? h.slice(2) : h;
}

/**
 * Decoded certificates by DER (hex), most recent last. Decoding is pure, so identical bytes give an
 * identical result; a lab CA certificate is in every session's chains, and a session shows each
 * leaf twice (Certificate message, session event), so a small cache saves most of the ASN.1 work.
 * Returned values are shared: treat them as read-only.
 */
const CACHE_SIZE = 128;
const cache = new Map<string, DecodedCertificate>();

export interface DecodedCertificate {
  summary: CertSummary;
  /** Where each summarised part lies in the DER; null when the DER's shape has no such layout. */
  spans: CertSpans | null;
}

/** A summary and the spans of its parts; throws TlsDecodeError('ERR_BAD_VALUE') on malformed DER. */
export function decodeCertificate(der: Uint8Array): DecodedCertificate {
  const key = toHex(der);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const d = { summary: summarizeUncached(der), spans: certificateSpans(der) };
  cache.set(key, d);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return d;
}

/** A summary of the fields the handshake view shows; throws TlsDecodeError('ERR_BAD_VALUE') on malformed DER. */
export function summarizeCertificate(der: Uint8Array): CertSummary {
  return decodeCertificate(der).summary;
}

function summarizeUncached(der: Uint8Array): CertSummary {
  let cert: Certificate;
  try {
    cert = AsnConvert.parse(der, Certificate);
  } catch (e) {
    throw new TlsDecodeError('ERR_BAD_VALUE', `malformed certificate DER: ${errText(e)}`);
  }
  try {
    return summarize(cert);
  } catch (e) {
    if (e instanceof TlsDecodeError) throw e;
    throw new TlsDecodeError('ERR_BAD_VALUE', `malformed certificate content: ${errText(e)}`);
  }
}

function summarize(cert: Certificate): CertSummary {
  const tbs = cert.tbsCertificate;
  const subjectCN = commonName(tbs.subject);
  const spki = tbs.subjectPublicKeyInfo;
  const keyOid = spki.algorithm.algorithm;
  const s: CertSummary = {
    subject: renderName(tbs.subject),
    issuer: renderName(tbs.issuer),
    serial: serialHex(new Uint8Array(tbs.serialNumber)),
    notBefore: tbs.validity.notBefore.getTime().toISOString(),
    notAfter: tbs.validity.notAfter.getTime().toISOString(),
    san: [],
    keyUsage: [],
    extKeyUsage: [],
    keyType: KEY_ALG[keyOid] ?? keyOid,
    signatureAlgorithm: signatureAlgorithmName(cert.signatureAlgorithm.algorithm),
    selfIssued: sameBytes(
      new Uint8Array(AsnConvert.serialize(tbs.subject)),
      new Uint8Array(AsnConvert.serialize(tbs.issuer)),
    ),
    extensions: [],
  };
  if (subjectCN !== undefined) s.subjectCN = subjectCN;

  if (s.keyType === 'RSA' || s.keyType === 'RSA-PSS') {
    const rsa = AsnConvert.parse(spki.subjectPublicKey, RSAPublicKey);
    s.keyBits = bitLength(new Uint8Array(rsa.modulus));
  } else if (s.keyType === 'EC' && spki.algorithm.parameters) {
    const oid = AsnConvert.parse(spki.algorithm.parameters, ECParameters).namedCurve;
    if (oid !== undefined) {
      const c = CURVE[oid];
      s.curve = c?.name ?? oid;
      if (c) s.keyBits = c.bits;
    }
  } else if (s.keyType === 'Ed25519' || s.keyType === 'X25519') {
    s.keyBits = 256;
  } else if (s.keyType === 'Ed448') {
    s.keyBits = 456;
  } else if (s.keyType === 'X448') {
    s.keyBits = 448;
  }

  for (const ext of tbs.extensions ?? []) {
    s.extensions.push({ oid: ext.extnID, name: extensionName(ext.extnID), critical: ext.critical });
    const value = ext.extnValue.buffer;
    switch (ext.extnID) {
      case id_ce_subjectAltName:
        for (const g of AsnConvert.parse(value, SubjectAlternativeName)) s.san.push(generalName(g));
        break;
      case id_ce_keyUsage:
        s.keyUsage = AsnConvert.parse(value, KeyUsage).toJSON();
        break;
      case id_ce_extKeyUsage:
        for (const oid of AsnConvert.parse(value, ExtendedKeyUsage)) s.extKeyUsage.push(EKU[oid] ?? oid);
        break;
      case id_ce_basicConstraints: {
        const bc = AsnConvert.parse(value, BasicConstraints);
        s.basicConstraints = { ca: bc.cA };
        if (bc.pathLenConstraint !== undefined) s.basicConstraints.pathLen = bc.pathLenConstraint;
        break;
      }
    }
  }
  return s;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
