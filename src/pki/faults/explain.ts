/**
 * The explainer: predicts, WITHOUT running TLS, what the real verifiers will say about a Scenario.
 *
 * It re-enacts OpenSSL 3.0's X509_verify_cert() (crypto/x509/x509_vfy.c) on the certificates,
 * trust stores and CRLs, letting every check run the way Node.js does (Node's verify callback
 * accepts every error, then reads SSL_get_verify_result(): the LAST error met):
 *
 *   0. (x509_verify_x509) EE key security level                  → 66
 *   1. build_chain: issuer lookup, trusted store first           → 18 / 19 / 20 / 2
 *   2. check_extensions, cert by cert from the leaf up:
 *      unhandled critical extension 34, CA 79 (INVALID_CA; 24 in OpenSSL 1.1), purpose 26, path length 25
 *   3. check_auth_level (CA key 67, signature digest 68)
 *   4. check_id: hostname 62 / IP 64 (the CPE side only; set by -verify_hostname / SSL_set1_host)
 *   5. check_revocation (-crl_check[_all]): no CRL 3, CRL not yet valid 11 / expired 12,
 *      CRL signature 8, revoked 23. Node.js checks revocation only when given CRLs, and then the
 *      whole chain (CRL_CHECK | CRL_CHECK_ALL); asked to check without a CRL it accepts (fails open)
 *   6. internal_verify, from the top of the chain down: issuer may sign (32), unable to verify
 *      the leaf 21, signature 7, notBefore 9, notAfter 10
 *   7. check_name_constraints (after internal_verify in 3.0): each certificate (self-issued CAs
 *      skipped) against the dNSName subtrees of every CA above it — its DNS SANs, and the leaf's
 *      host-like CN when it has no DNS SAN: permitted 47 / excluded 48. Other name types: not modelled.
 *
 * OpenSSL with -verify_return_error stops at the FIRST error and sends the alert
 * ssl_verify_alarm_type() maps it to ({@link alertFor}); Node finishes the handshake, reads the
 * last error, and closes the socket WITHOUT an alert (then, only if the chain is fine, runs its
 * own tls.checkServerIdentity → ERR_TLS_CERT_ALTNAME_INVALID, reported as HOSTNAME_MISMATCH 62 or,
 * for an IP host, IP_ADDRESS_MISMATCH 64). Node names only some X509 errors (x509-errors.ts
 * NODE_X509_NAMES): the others reach it, and are reported, as X509_V_ERR_UNSPECIFIED (1).
 * A side with verification off completes the handshake but still reports what it found; with an
 * on-path attacker that makes the session compromised.
 */
import 'reflect-metadata';
import { X509Certificate, createPrivateKey, createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import tls from 'node:tls';
import * as px from '@peculiar/x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, CertificateList, NameConstraints, SubjectAlternativeName, id_ce_nameConstraints, id_ce_subjectAltName, type GeneralName } from '@peculiar/asn1-x509';
import type { Scenario, Text, TlsOverride, Verifier } from './types.ts';
import { ALERTS, alertFor, nodeCodeFor, nodeVerifyError, x509Error, type AlertName } from './x509-errors.ts';

export type Side = 'cpe' | 'acs';

export interface ExplainOptions {
  /** After the handshake a CWMP session runs (on the Node endpoints; the openssl endpoints send one placeholder request). */
  cwmp?: boolean;
  tls: '1.2' | '1.3';
  kx: 'ecdhe' | 'rsa';
  verifier: Verifier;
  /** SSL security level of both endpoints (default: Node.js 20 → 1, the openssl binary here → 2). */
  securityLevel?: number;
  /** Evaluation time (default now). */
  now?: Date;
}

export interface Check {
  /** Stable id, e.g. 'cert-has-expired', 'tls-version'. */
  id: string;
  /** Who runs the check (the verifying side). */
  side: Side;
  /** load: a side cannot load its own certificate/key; handshake: negotiation; verify: certificate verification. */
  phase: 'load' | 'handshake' | 'verify';
  /** The certificate concerned (CN and depth in the verified chain), or null for TLS-level checks. */
  subject: { cn: string; depth: number } | null;
  x509: { name: string; code: number } | null;
  depth: number | null;
  reason: Text;
}

export interface Verdict {
  /** The session succeeded: handshake done, both peers verified, no attacker in the middle. */
  ok: boolean;
  /** The CPE completed a handshake with an on-path attacker: whatever it sends, the attacker reads. */
  compromised: boolean;
  abortedBy: Side | null;
  alert: { description: string; code: number; from: Side } | null;
  /**
   * The verify error the session reports: the aborting side's, else one a side with verification
   * off met and ignored. For a Node.js side, what Node can name (others: X509_V_ERR_UNSPECIFIED).
   */
  verifyError: { name: string; code: number; side: Side } | null;
  /** Node's error code (authorizationError, ERR_TLS_CERT_ALTNAME_INVALID, ERR_SSL_…) when verifier is node. */
  nodeError?: string;
}

export interface Explanation {
  /** Every failing check, per verifying side in OpenSSL's order (CPE's verification first). */
  checks: Check[];
  /** Context for the outcome (verification off, an attacker, revocation that fails open …). */
  notes: Text[];
  /** What OpenSSL reports first (and stops at with -verify_return_error). */
  first: Check | null;
  /** What Node.js reports: the last X509 error of the side that aborts (or its own hostname check). */
  last: Check | null;
  verdict: Verdict;
  /** Which check decides the outcome and why. */
  why: Text;
  summary: Text;
}

// ------------------------------------------------------------------------------ certificates

const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  nsSGC: '2.16.840.1.113730.4.1',
  msSGC: '1.3.6.1.4.1.311.10.3.3',
};

/** Extensions OpenSSL 3.0 handles when critical (v3_purp.c X509_supported_extension). */
const SUPPORTED_EXTENSIONS = new Set([
  '2.16.840.1.113730.1.1', // netscape cert type
  '2.5.29.15', // key usage
  '2.5.29.17', // subject alt name
  '2.5.29.19', // basic constraints
  '2.5.29.32', // certificate policies
  '2.5.29.37', // extended key usage
  '1.3.6.1.5.5.7.1.7', // sbgp-ipAddrBlock
  '1.3.6.1.5.5.7.1.8', // sbgp-autonomousSysNum
  '2.5.29.36', // policy constraints
  '1.3.6.1.5.5.7.1.14', // proxyCertInfo
  '2.5.29.30', // name constraints
  '2.5.29.33', // policy mappings
  '2.5.29.54', // inhibit any policy
]);

const KU = { digitalSignature: 1, keyEncipherment: 4, keyAgreement: 16, keyCertSign: 32, cRLSign: 64 };

const SIG_DIGEST: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5',
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

interface Cert {
  pem: string;
  node: X509Certificate;
  cn: string;
  subject: string;
  issuer: string;
  ski: string | null;
  akid: string | null;
  hasBC: boolean;
  bcCA: boolean;
  pathLen: number | null;
  /** Key usage bits, or null when the extension is absent. */
  ku: number | null;
  eku: string[] | null;
  unknownCritical: string[];
  /** subjectAltName dNSName entries (empty without the extension). */
  dnsSans: string[];
  /** Every commonName of the subject. */
  cns: string[];
  /** nameConstraints dNSName subtrees (null: no extension). Other name types are not modelled. */
  nameConstraints: { permitted: string[]; excluded: string[] } | null;
  notBefore: Date;
  notAfter: Date;
  serial: string;
  keyBits: number;
  digest: string;
  selfIssued: boolean;
}

const certCache = new Map<string, Cert>();

function splitPems(pems: readonly string[]): string[] {
  return pems.flatMap((p) => p.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []);
}

function normSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

function parseCert(pem: string): Cert {
  const hit = certCache.get(pem);
  if (hit) return hit;
  const node = new X509Certificate(pem);
  const p = new px.X509Certificate(pem);
  const ext = <T extends px.Extension>(type: new (...a: never[]) => T): T | null => p.getExtension(type as never) as T | null;
  const bc = ext(px.BasicConstraintsExtension);
  const ku = ext(px.KeyUsagesExtension);
  const eku = ext(px.ExtendedKeyUsageExtension);
  const ski = ext(px.SubjectKeyIdentifierExtension);
  const akid = ext(px.AuthorityKeyIdentifierExtension);
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(node.subject)?.[1] ?? node.subject;
  const details = node.publicKey.asymmetricKeyDetails;
  const asn = AsnConvert.parse(p.rawData, Certificate);
  const rawExt = (oid: string) => asn.tbsCertificate.extensions?.find((e) => e.extnID === oid)?.extnValue.buffer;
  const sanDer = rawExt(id_ce_subjectAltName);
  const dnsSans = sanDer ? AsnConvert.parse(sanDer, SubjectAlternativeName).flatMap((g) => (g.dNSName !== undefined ? [g.dNSName] : [])) : [];
  const ncDer = rawExt(id_ce_nameConstraints);
  const dnsBases = (list: Iterable<{ base: GeneralName }> | undefined) => [...(list ?? [])].flatMap((t) => (t.base.dNSName !== undefined ? [t.base.dNSName] : []));
  const nc = ncDer ? AsnConvert.parse(ncDer, NameConstraints) : null;
  const c: Cert = {
    pem,
    node,
    cn,
    subject: p.subject,
    issuer: p.issuer,
    ski: ski?.keyId.toLowerCase() ?? null,
    akid: akid?.keyId?.toLowerCase() ?? null,
    hasBC: bc !== null,
    bcCA: bc?.ca === true,
    pathLen: bc?.pathLength ?? null,
    ku: ku ? ku.usages : null,
    eku: eku ? eku.usages.map(String) : null,
    unknownCritical: p.extensions.filter((e) => e.critical && !SUPPORTED_EXTENSIONS.has(e.type)).map((e) => e.type),
    dnsSans,
    cns: [...node.subject.matchAll(/(?:^|\n)CN=([^\n]*)/g)].map((m) => m[1]!),
    nameConstraints: nc ? { permitted: dnsBases(nc.permittedSubtrees), excluded: dnsBases(nc.excludedSubtrees) } : null,
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    serial: normSerial(node.serialNumber),
    keyBits: details?.modulusLength ?? 0,
    digest: SIG_DIGEST[asn.signatureAlgorithm.algorithm] ?? 'unknown',
    selfIssued: false,
  };
  c.selfIssued = likelyIssued(c, c);
  certCache.set(pem, c);
  return c;
}

/** ossl_x509_likely_issued(): names match and the AKID (if any) names the issuer's SKI. */
function likelyIssued(issuer: Cert, subject: Cert): boolean {
  if (issuer.subject !== subject.issuer) return false;
  if (subject.akid && issuer.ski && subject.akid !== issuer.ski) return false;
  return true;
}

function signedBy(subject: Cert, issuer: Cert): boolean {
  try {
    return subject.node.verify(issuer.node.publicKey);
  } catch {
    return false;
  }
}

const kuReject = (c: Cert, bits: number): boolean => c.ku !== null && (c.ku & bits) === 0;

/** X509_check_ca(). */
function checkCa(c: Cert): number {
  if (kuReject(c, KU.keyCertSign)) return 0;
  if (c.hasBC) return c.bcCA ? 1 : 0;
  if (c.ku !== null) return 4;
  return 0;
}

/** X509_check_purpose() for sslserver / sslclient (v3_purp.c). */
function purposeOk(c: Cert, purpose: 'sslserver' | 'sslclient', requireCa: boolean): boolean {
  const usages = purpose === 'sslserver' ? [OID.serverAuth, OID.nsSGC, OID.msSGC] : [OID.clientAuth];
  if (c.eku !== null && !c.eku.some((u) => usages.includes(u))) return false;
  if (requireCa) return checkCa(c) !== 0;
  const ku = purpose === 'sslserver' ? KU.digitalSignature | KU.keyEncipherment | KU.keyAgreement : KU.digitalSignature | KU.keyAgreement;
  return !kuReject(c, ku);
}

// ---------------------------------------------------------------------- name constraints

/** v3_ncons.c nc_dns(): empty base matches all; else equal, or more labels on the left. */
function ncDns(dns: string, base: string): boolean {
  if (base.length === 0) return true;
  if (dns.length < base.length) return false;
  const tail = dns.slice(dns.length - base.length);
  if (dns.length > base.length && !base.startsWith('.') && dns[dns.length - base.length - 1] !== '.') return false;
  return tail.toLowerCase() === base.toLowerCase();
}

/** nc_match() for a dNSName: 0, 47 (no permitted subtree matches) or 48 (an excluded one does). */
function ncMatchDns(dns: string, nc: { permitted: string[]; excluded: string[] }): number {
  if (nc.permitted.length > 0 && !nc.permitted.some((b) => ncDns(dns, b))) return 47;
  if (nc.excluded.some((b) => ncDns(dns, b))) return 48;
  return 0;
}

/** cn2dnsid(): a CN is checked as a DNS name only if it looks like one (two or more labels). */
function cnLooksLikeHost(cn: string): boolean {
  let isDns = false;
  for (let i = 0; i < cn.length; i++) {
    const ch = cn[i]!;
    if (/[A-Za-z0-9_]/.test(ch)) continue;
    if (i > 0 && i < cn.length - 1) {
      if (ch === '-') continue;
      if (ch === '.' && cn[i + 1] !== '.' && cn[i - 1] !== '-' && cn[i + 1] !== '-') {
        isDns = true;
        continue;
      }
    }
    return false;
  }
  return isDns;
}

/**
 * NAME_CONSTRAINTS_check() (+ _check_CN for the leaf without a DNS SAN) of `x` against one CA's
 * dNSName constraints: the first violation, or 0.
 */
function nameConstraintError(x: Cert, nc: { permitted: string[]; excluded: string[] }, isLeaf: boolean): { code: number; name: string } | null {
  for (const d of x.dnsSans) {
    const code = ncMatchDns(d, nc);
    if (code) return { code, name: d };
  }
  if (isLeaf && x.dnsSans.length === 0) {
    for (const cn of x.cns) {
      if (!cnLooksLikeHost(cn)) continue;
      const code = ncMatchDns(cn, nc);
      if (code) return { code, name: cn };
    }
  }
  return null;
}

// ------------------------------------------------------------------------------------- CRLs

interface Crl {
  issuer: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
  revoked: Set<string>;
  tbs: Buffer;
  signature: Buffer;
  digest: string;
}

function parseCrl(pem: string): Crl {
  const der = Buffer.from(pem.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const p = new px.X509Crl(der);
  const list = AsnConvert.parse(der, CertificateList);
  return {
    issuer: p.issuer,
    thisUpdate: p.thisUpdate,
    nextUpdate: p.nextUpdate ?? null,
    revoked: new Set(p.entries.map((e) => normSerial(e.serialNumber))),
    tbs: Buffer.from(list.tbsCertListRaw ?? AsnConvert.serialize(list.tbsCertList)),
    signature: Buffer.from(list.signature),
    digest: SIG_DIGEST[list.signatureAlgorithm.algorithm] ?? 'sha256',
  };
}

function crlSignedBy(crl: Crl, issuer: Cert): boolean {
  try {
    return nodeVerify(crl.digest, crl.tbs, issuer.node.publicKey, crl.signature);
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------------ X509_verify_cert()

interface VerifyInput {
  side: Side;
  /** As sent: leaf first. */
  chain: readonly string[];
  trust: readonly string[];
  purpose: 'sslserver' | 'sslclient';
  /** check_id: host or IP (only the CPE sets one). */
  host: string | null;
  crls: readonly string[];
  crlCheck: 'leaf' | 'all' | null;
  /** SSL security level of the verifier (Node 1, the openssl binary here 2); null: off (`openssl verify`). */
  authLevel: number | null;
  now: Date;
}

export interface Raw {
  code: number;
  depth: number;
  cert: Cert;
  /** For name-constraint errors: the offending name and the constraining CA. */
  nc?: { name: string; ca: Cert };
}

function minRsaBits(level: number): number {
  return level >= 3 ? 3072 : level === 2 ? 2048 : level === 1 ? 1024 : 0;
}
const weakDigest = (level: number, d: string): boolean => level >= 1 && (d === 'md5' || d === 'sha1');

/** OpenSSL 3.0's X509_verify_cert() with a verify callback that accepts every error (Node's). */
export function simulateVerify(input: VerifyInput): Raw[] {
  const errs: Raw[] = [];
  const sent = splitPems(input.chain).map(parseCert);
  const trusted = splitPems(input.trust).map(parseCert);
  const leaf = sent[0];
  if (!leaf) return errs;
  const err = (code: number, depth: number, cert: Cert) => errs.push({ code, depth, cert });

  // x509_verify_x509: "If the peer's public key is too weak, we can stop early."
  if (input.authLevel !== null && leaf.keyBits < minRsaBits(input.authLevel)) err(66, 0, leaf);

  // ---- build_chain (X509_V_FLAG_TRUSTED_FIRST is the default) ----
  const chain: Cert[] = [leaf];
  let numUntrusted = 1;
  let trustedTop = false;
  const untrusted = sent.slice(1);
  for (let guard = 0; guard < 32; guard++) {
    const cur = chain[chain.length - 1]!;
    if (cur.selfIssued) {
      // A self-signed certificate is trusted if the store holds exactly it.
      const match = trusted.find((t) => t.pem === cur.pem || t.node.fingerprint256 === cur.node.fingerprint256);
      if (match) {
        if (chain.length === 1) numUntrusted = 0;
        trustedTop = true;
      }
      break;
    }
    const fromStore = pickIssuer(trusted.filter((t) => likelyIssued(t, cur)), input.now);
    if (fromStore) {
      chain.push(fromStore);
      if (fromStore.selfIssued) {
        trustedTop = true;
        break;
      }
      continue; // a non-self-signed store cert is not a trust anchor (no partial chains): keep going
    }
    const fromPeer = pickIssuer(untrusted.filter((u) => likelyIssued(u, cur) && !chain.includes(u)), input.now);
    if (!fromPeer) break;
    chain.push(fromPeer);
    numUntrusted++;
  }
  const num = chain.length;
  const top = chain[num - 1]!;
  if (!trustedTop) {
    if (top.selfIssued && num === 1) err(18, 0, top);
    else if (top.selfIssued) err(19, num - 1, top);
    else if (numUntrusted < num) err(2, num - 1, top);
    else err(20, num - 1, top);
  }

  // ---- check_extensions ----
  let plen = 0;
  for (let i = 0; i < num; i++) {
    const x = chain[i]!;
    if (x.unknownCritical.length > 0) err(34, i, x);
    const mustBeCa = i > 0;
    if (mustBeCa) {
      const ret = checkCa(x);
      if (ret === 0 || (i + 1 < num && ret !== 1)) err(79, i, x);
    }
    if (!purposeOk(x, input.purpose, mustBeCa)) err(26, i, x);
    if (i > 1 && x.pathLen !== null && plen > x.pathLen) err(25, i, x);
    if (i > 0 && !x.selfIssued) plen++;
  }

  // ---- check_auth_level ----
  if (input.authLevel !== null && input.authLevel > 0) {
    for (let i = 0; i < num; i++) {
      const x = chain[i]!;
      if (i > 0 && x.keyBits < minRsaBits(input.authLevel)) err(67, i, x);
      if (i < num - 1 && weakDigest(input.authLevel, x.digest)) err(68, i, x);
    }
  }

  // ---- check_id ----
  if (input.host !== null) {
    if (isIP(input.host)) {
      if (leaf.node.checkIP(input.host) === undefined) err(64, 0, leaf);
    } else if (leaf.node.checkHost(input.host) === undefined) err(62, 0, leaf);
  }

  // ---- check_revocation (CRLs) ----
  if (input.crlCheck) {
    const crls = input.crls.map(parseCrl);
    const last = input.crlCheck === 'all' ? num - 1 : 0;
    for (let i = 0; i <= last; i++) {
      const x = chain[i]!;
      const issuer = x.selfIssued ? x : chain[i + 1];
      const candidates = crls.filter((c) => c.issuer === x.issuer);
      // get_crl_sk prefers a CRL whose times are valid.
      const crl = candidates.find((c) => crlTimeOk(c, input.now)) ?? candidates[0];
      if (!crl) {
        err(3, i, x);
        continue;
      }
      if (!issuer) {
        err(33, i, x);
        continue;
      }
      if (crl.thisUpdate.getTime() > input.now.getTime()) err(11, i, x);
      else if (crl.nextUpdate && crl.nextUpdate.getTime() < input.now.getTime()) err(12, i, x);
      if (!crlSignedBy(crl, issuer)) err(8, i, x);
      if (crl.revoked.has(x.serial)) err(23, i, x);
    }
  }

  // ---- internal_verify: from the top down ----
  const timeCheck = (c: Cert, depth: number) => {
    if (c.notBefore.getTime() > input.now.getTime()) err(9, depth, c);
    else if (c.notAfter.getTime() < input.now.getTime()) err(10, depth, c);
  };
  let n = num - 1;
  let xi = chain[n]!;
  if (!xi.selfIssued && n <= 0) {
    // The lone leaf's issuer is unknown: no signature to check, only its validity period.
    err(21, 0, xi);
    timeCheck(xi, 0);
  } else {
    let xs: Cert;
    if (xi.selfIssued) xs = xi;
    else {
      n--;
      xs = chain[n]!;
    }
    for (;;) {
      if (xs !== xi) {
        if (kuReject(xi, KU.keyCertSign)) err(32, n + 1, xi);
        if (!signedBy(xs, xi)) err(7, n, xs);
      }
      timeCheck(xs, n);
      if (--n < 0) break;
      xi = xs;
      xs = chain[n]!;
    }
  }

  // ---- check_name_constraints (after internal_verify in OpenSSL 3.0) ----
  // Every certificate from the top down (self-issued CAs skipped: "unless last in chain", i.e. the
  // leaf), against the nameConstraints of each CA above it, from the top.
  for (let i = num - 1; i >= 0; i--) {
    const x = chain[i]!;
    if (i !== 0 && x.selfIssued) continue;
    for (let j = num - 1; j > i; j--) {
      const ca = chain[j]!;
      if (!ca.nameConstraints) continue;
      const v = nameConstraintError(x, ca.nameConstraints, i === 0);
      if (v) errs.push({ code: v.code, depth: i, cert: x, nc: { name: v.name, ca } });
    }
  }
  return errs;
}

function crlTimeOk(c: Crl, now: Date): boolean {
  return c.thisUpdate.getTime() <= now.getTime() && (c.nextUpdate === null || c.nextUpdate.getTime() >= now.getTime());
}

/** get0_best_issuer_sk: the first candidate valid now, else the one expiring last. */
function pickIssuer(candidates: Cert[], now: Date): Cert | undefined {
  const valid = candidates.find((c) => c.notBefore.getTime() <= now.getTime() && c.notAfter.getTime() >= now.getTime());
  return valid ?? [...candidates].sort((a, b) => b.notAfter.getTime() - a.notAfter.getTime())[0];
}

// ------------------------------------------------------------------------------ the verdict

const ID_OF: Record<number, string> = {};

function checkId(code: number): string {
  return ID_OF[code] ?? x509Error(code).short.toLowerCase().replace(/_/g, '-');
}

function x509Reason(r: Raw, side: Side): Text {
  const e = x509Error(r.code);
  const who = { en: side === 'cpe' ? 'the CPE' : 'the ACS', zh: side === 'cpe' ? 'CPE' : 'ACS' };
  const at = { en: `"${r.cert.cn}" (depth ${r.depth})`, zh: `“${r.cert.cn}”（深度 ${r.depth}）` };
  const detail: Record<number, Text> = {
    9: { en: `notBefore is ${r.cert.notBefore.toISOString()}, in the future`, zh: `notBefore 为 ${r.cert.notBefore.toISOString()}，尚在未来` },
    10: { en: `notAfter was ${r.cert.notAfter.toISOString()}`, zh: `notAfter 为 ${r.cert.notAfter.toISOString()}，已经过去` },
    18: { en: 'the leaf signs itself and is not in the trust store', zh: '叶证书自己签发自己，且不在信任库中' },
    19: { en: 'the chain ends in a self-signed CA that is not in the trust store', zh: '证书链顶端是不在信任库中的自签名 CA' },
    20: { en: 'no certificate in the trust store issued it', zh: '信任库中没有任何证书签发了它' },
    21: { en: 'its issuer was not found, so its signature cannot be checked', zh: '找不到颁发者，无法校验其签名' },
    7: { en: 'the signature does not verify with the issuer\'s public key', zh: '用颁发者公钥验证签名失败' },
    26: {
      en: `extendedKeyUsage/keyUsage do not allow ${side === 'cpe' ? 'TLS server' : 'TLS client'} authentication`,
      zh: `扩展密钥用途/密钥用途不允许用于 ${side === 'cpe' ? 'TLS 服务器' : 'TLS 客户端'} 认证`,
    },
    34: { en: `critical extension ${r.cert.unknownCritical.join(', ')} is unknown to OpenSSL`, zh: `关键扩展 ${r.cert.unknownCritical.join(', ')} 不被 OpenSSL 识别` },
    79: { en: 'it signs other certificates but is not a CA (basicConstraints)', zh: '它签发了其他证书，但不是 CA（basicConstraints）' },
    23: { en: `serial ${r.cert.serial} is on the CRL`, zh: `序列号 ${r.cert.serial} 在 CRL 中` },
    3: { en: 'revocation checking is on but no CRL from its issuer is loaded', zh: '已启用吊销检查，但没有加载其颁发者的 CRL' },
    62: { en: 'neither subjectAltName dNSName nor CN matches the ACS hostname', zh: 'subjectAltName 的 dNSName 与 CN 都与 ACS 主机名不符' },
    64: { en: 'no subjectAltName iPAddress matches the ACS address', zh: 'subjectAltName 中没有与 ACS 地址相符的 iPAddress' },
  };
  if (r.nc) {
    const nc = r.nc.ca.nameConstraints!;
    const list = (xs: string[]) => xs.map((x) => `"${x}"`).join(', ');
    detail[47] = {
      en: `the name "${r.nc.name}" is outside every permitted dNSName subtree (${list(nc.permitted)}) of "${r.nc.ca.cn}"'s nameConstraints`,
      zh: `名称“${r.nc.name}”不在“${r.nc.ca.cn}”的 nameConstraints 允许的任何 dNSName 子树（${list(nc.permitted)}）之内`,
    };
    detail[48] = {
      en: `the name "${r.nc.name}" is inside an excluded dNSName subtree (${list(nc.excluded)}) of "${r.nc.ca.cn}"'s nameConstraints`,
      zh: `名称“${r.nc.name}”落在“${r.nc.ca.cn}”的 nameConstraints 排除的 dNSName 子树（${list(nc.excluded)}）之内`,
    };
  }
  const d = detail[r.code];
  return {
    en: `${who.en} rejects ${at.en}: ${e.text} (X509_V_ERR_${e.short} = ${e.code})${d ? ` — ${d.en}` : ''}`,
    zh: `${who.zh} 拒绝 ${at.zh}：${e.zh}（X509_V_ERR_${e.short} = ${e.code}）${d ? `——${d.zh}` : ''}`,
  };
}

function toCheck(r: Raw, side: Side): Check {
  const e = x509Error(r.code);
  return {
    id: checkId(r.code),
    side,
    phase: 'verify',
    subject: { cn: r.cert.cn, depth: r.depth },
    x509: { name: `X509_V_ERR_${e.short}`, code: e.code },
    depth: r.depth,
    reason: x509Reason(r, side),
  };
}

function tlsCheck(id: string, side: Side, reason: Text, phase: Check['phase'] = 'handshake'): Check {
  return { id, side, phase, subject: null, x509: null, depth: null, reason };
}

const TLS13_SUITES = ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'];
const MODE_SUITE = { ecdhe: 'ECDHE-RSA-AES128-GCM-SHA256', rsa: 'AES128-GCM-SHA256' } as const;
const CLIENT_TLS12_DEFAULTS = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305';

/** true / false, or null when a list uses OpenSSL keywords we do not evaluate. */
function overlap(a: string, b: string): boolean | null {
  const la = a.split(/[:, ]+/).filter(Boolean);
  const lb = b.split(/[:, ]+/).filter(Boolean);
  const plain = (t: string) => /^[A-Z0-9_-]+$/.test(t) && /[-_]/.test(t);
  if (![...la, ...lb].every(plain)) return null;
  return la.some((x) => lb.includes(x));
}

const V = (v: '1.2' | '1.3') => (v === '1.2' ? 2 : 3);

function publicKeyMatches(certPem: string | undefined, keyPem: string): boolean {
  if (!certPem) return true;
  try {
    const fromKey: KeyObject = createPublicKey(createPrivateKey(keyPem));
    const fromCert = new X509Certificate(certPem).publicKey;
    return fromKey.export({ type: 'spki', format: 'der' }).equals(fromCert.export({ type: 'spki', format: 'der' }));
  } catch {
    return false;
  }
}

/** Why a side cannot even load its certificate/key (SSL_CTX_use_certificate / _check_private_key). */
function startupProblem(side: Side, chain: readonly string[], key: string, level: number, sendsCert: boolean): { check: Check; nodeError: string } | null {
  if (!sendsCert) return null;
  const certs = splitPems(chain).map(parseCert);
  const who = side === 'cpe' ? { en: 'The CPE', zh: 'CPE' } : { en: 'The ACS', zh: 'ACS' };
  for (const [i, c] of certs.entries()) {
    if (c.keyBits < minRsaBits(level)) {
      const code = i === 0 ? 66 : 67;
      return {
        check: { ...tlsCheck(i === 0 ? 'ee-key-too-small' : 'ca-key-too-small', side, {
          en: `${who.en} cannot load "${c.cn}": a ${c.keyBits}-bit RSA key is below security level ${level} (${minRsaBits(level)} bits) — it never sends a byte`,
          zh: `${who.zh} 无法加载“${c.cn}”：${c.keyBits} 位 RSA 密钥低于安全级别 ${level}（${minRsaBits(level)} 位）——连一个字节都不会发送`,
        }, 'load'), subject: { cn: c.cn, depth: i }, depth: i, x509: { name: `X509_V_ERR_${x509Error(code).short}`, code } },
        nodeError: i === 0 ? 'ERR_SSL_EE_KEY_TOO_SMALL' : 'ERR_SSL_CA_KEY_TOO_SMALL',
      };
    }
    if (!c.selfIssued && weakDigest(level, c.digest)) {
      return {
        check: { ...tlsCheck('ca-md-too-weak', side, {
          en: `${who.en} cannot load "${c.cn}": its ${c.digest.toUpperCase()} signature is below security level ${level} (SSL_CTX_use_certificate: ca md too weak)`,
          zh: `${who.zh} 无法加载“${c.cn}”：其 ${c.digest.toUpperCase()} 签名低于安全级别 ${level}（ca md too weak）`,
        }, 'load'), subject: { cn: c.cn, depth: i }, depth: i, x509: { name: 'X509_V_ERR_CA_MD_TOO_WEAK', code: 68 } },
        nodeError: 'ERR_SSL_CA_MD_TOO_WEAK',
      };
    }
  }
  if (!publicKeyMatches(certs[0]?.pem, key)) {
    return {
      check: tlsCheck('key-values-mismatch', side, {
        en: `${who.en} cannot start: its private key does not belong to its certificate (X509_check_private_key: key values mismatch) — no TLS byte is sent`,
        zh: `${who.zh} 无法启动：私钥与证书不匹配（key values mismatch）——不会发送任何 TLS 字节`,
      }, 'load'),
      nodeError: 'ERR_OSSL_X509_KEY_VALUES_MISMATCH',
    };
  }
  return null;
}

interface Stage {
  /** The check that ends the session at this stage. */
  decisive: Check;
  abortedBy: Side;
  alert: AlertName | null;
  nodeError: string;
  verifyError: { name: string; code: number; side: Side } | null;
}

interface Analysis {
  checks: Check[];
  stages: Stage[];
  /** What a side with verification off found and ignored (it completes the handshake but still reports it); CPE first. */
  ignored: Stage[];
  notes: Text[];
  version: '1.2' | '1.3';
}

function analyse(scenario: Scenario, opts: ExplainOptions): Analysis {
  const now = opts.now ?? new Date();
  const level = opts.securityLevel ?? (opts.verifier === 'node' ? 1 : 2);
  const tlsAcs: TlsOverride = scenario.tls.acs ?? {};
  const tlsCpe: TlsOverride = scenario.tls.cpe ?? {};
  const server = scenario.attacker ? { chain: scenario.attacker.chain, key: scenario.attacker.key } : { chain: scenario.acs.chain, key: scenario.acs.key };
  const checks: Check[] = [];
  const stages: Stage[] = [];
  const ignored: Stage[] = [];
  const notes: Text[] = [];

  /**
   * Revocation checking as each verifier really applies it. The openssl binary: -crl_check[_all]
   * as configured (no CRL → UNABLE_TO_GET_CRL, it fails closed). Node.js turns CRL checking on only
   * when it is given CRLs (its `crl` option sets X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL:
   * the whole chain); asked to check revocation without a CRL, it cannot check, and accepts.
   */
  const revocation = (side: Side, s: Scenario['acs']): { crls: string[]; crlCheck: 'leaf' | 'all' | null } => {
    const crls = s.crls ?? [];
    if (opts.verifier === 'openssl') return { crls, crlCheck: s.crlCheck ?? null };
    if (s.crlCheck && crls.length === 0) {
      const who = side === 'acs' ? { en: 'the ACS', zh: 'ACS' } : { en: 'the CPE', zh: 'CPE' };
      notes.push({
        en: `${who.en} is configured to check revocation but has no CRL. Node.js turns CRL checking on only when it is given CRLs (its crl option sets X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL), so it cannot check and accepts the certificate: it fails open, where OpenSSL with -crl_check fails closed (X509_V_ERR_UNABLE_TO_GET_CRL, 3). A revoked certificate would be accepted too`,
        zh: `${who.zh} 配置了吊销检查，却没有任何 CRL。Node.js 只有在收到 CRL 时才会开启 CRL 检查（其 crl 选项会设置 X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL），因此它无法检查，直接接受证书：这是“失败即放行”（fail open），而使用 -crl_check 的 OpenSSL 是“失败即拒绝”（X509_V_ERR_UNABLE_TO_GET_CRL，3）。即使证书已被吊销，也同样会被接受`,
      });
    }
    return { crls, crlCheck: crls.length > 0 ? 'all' : null };
  };

  // 0. Loading certificates and keys (before any byte).
  const acsStart = startupProblem('acs', server.chain, server.key, level, tlsAcs.sendCertificate !== false);
  const cpeStart = startupProblem('cpe', scenario.cpe.chain, scenario.cpe.key, level, tlsCpe.sendCertificate !== false);
  for (const s of [acsStart, cpeStart]) {
    if (!s) continue;
    checks.push(s.check);
    stages.push({ decisive: s.check, abortedBy: s.check.side, alert: null, nodeError: s.nodeError, verifyError: null });
  }

  // 1. ClientHello → ServerHello: version, then cipher suite.
  const acsMin = tlsAcs.minVersion ?? opts.tls;
  const acsMax = tlsAcs.maxVersion ?? opts.tls;
  const cpeMin = tlsCpe.minVersion ?? '1.2';
  const cpeMax = tlsCpe.maxVersion ?? opts.tls;
  const hi = Math.min(V(acsMax), V(cpeMax));
  const lo = Math.max(V(acsMin), V(cpeMin));
  const version: '1.2' | '1.3' = hi === 3 ? '1.3' : '1.2';
  if (hi < lo) {
    const c = tlsCheck('tls-version', 'acs', {
      en: `No common TLS version: the ACS accepts TLS ${acsMin}–${acsMax}, the CPE offers TLS ${cpeMin}–${cpeMax}; the ACS answers the ClientHello with protocol_version (70)`,
      zh: `没有共同的 TLS 版本：ACS 接受 TLS ${acsMin}–${acsMax}，CPE 提供 TLS ${cpeMin}–${cpeMax}；ACS 以 protocol_version (70) 告警回应 ClientHello`,
    });
    checks.push(c);
    stages.push({ decisive: c, abortedBy: 'acs', alert: 'protocol_version', nodeError: 'ERR_SSL_UNSUPPORTED_PROTOCOL', verifyError: null });
  } else {
    const acsList = version === '1.3' ? (tlsAcs.ciphersuites ?? TLS13_SUITES.join(':')) : (tlsAcs.ciphers ?? MODE_SUITE[opts.kx]);
    const cpeList = version === '1.3'
      ? (tlsCpe.ciphersuites ?? TLS13_SUITES.join(':'))
      : (tlsCpe.ciphers ?? (opts.kx === 'rsa' ? MODE_SUITE.rsa : `${MODE_SUITE[opts.kx]}:${CLIENT_TLS12_DEFAULTS}`));
    const common = overlap(acsList, cpeList);
    if (common === null) notes.push({ en: 'cipher lists use OpenSSL keywords; assumed to overlap', zh: '密码套件列表使用了 OpenSSL 关键字，假定二者有交集' });
    if (common === false) {
      const c = tlsCheck('no-shared-cipher', 'acs', {
        en: `No common TLS ${version} cipher suite: the ACS allows ${acsList}, the CPE offers ${cpeList}; the ACS sends handshake_failure (40)`,
        zh: `没有共同的 TLS ${version} 密码套件：ACS 允许 ${acsList}，CPE 提供 ${cpeList}；ACS 发送 handshake_failure (40)`,
      });
      checks.push(c);
      stages.push({ decisive: c, abortedBy: 'acs', alert: 'handshake_failure', nodeError: 'ERR_SSL_NO_SHARED_CIPHER', verifyError: null });
    }
  }

  // 2. The CPE verifies what the server presents (the ACS, or the attacker).
  const cpeRaw = simulateVerify({
    side: 'cpe', chain: server.chain, trust: scenario.cpe.trust, purpose: 'sslserver', host: scenario.acsHostname,
    ...revocation('cpe', scenario.cpe), authLevel: level, now,
  });
  const cpeChecks = cpeRaw.map((r) => toCheck(r, 'cpe'));
  checks.push(...cpeChecks);
  const cpeVerifies = tlsCpe.verifyPeer !== false;
  const cpeStage = verificationStage('cpe', cpeRaw, cpeChecks, opts.verifier, scenario.acsHostname, splitPems(server.chain)[0]);
  if (!cpeVerifies && cpeStage) {
    ignored.push(cpeStage);
    notes.push({
      en: 'the CPE does not verify the server\'s certificate (verification disabled): it completes the handshake anyway, still reporting the errors it ignored',
      zh: 'CPE 未校验服务器证书（已禁用校验）：它照样完成握手，但仍会报告被它忽略的错误',
    });
  }

  // 3. The ACS verifies the CPE (not when an attacker terminates the CPE's TLS).
  const acsStages: Stage[] = [];
  const acsVerifies = tlsAcs.verifyPeer !== false && !scenario.attacker;
  /** The ACS's verification of the CPE's chain (purpose sslclient, CRLs when set): its checks, and its stage if it fails. */
  const verifyCpeCertificate = () => {
    const acsRaw = simulateVerify({
      side: 'acs', chain: scenario.cpe.chain, trust: scenario.acs.trust, purpose: 'sslclient', host: null,
      ...revocation('acs', scenario.acs), authLevel: level, now,
    });
    const acsChecks = acsRaw.map((r) => toCheck(r, 'acs'));
    checks.push(...acsChecks);
    return verificationStage('acs', acsRaw, acsChecks, opts.verifier, null, undefined);
  };
  if (!scenario.attacker && !acsVerifies && tlsCpe.sendCertificate !== false) {
    // Verification off: the client certificate is still verified and the result reported, not acted on.
    const s = verifyCpeCertificate();
    if (s) {
      ignored.push(s);
      notes.push({
        en: 'the ACS does not verify the CPE\'s certificate (verification disabled): it completes the handshake anyway, still reporting the errors it ignored',
        zh: 'ACS 未校验 CPE 证书（已禁用校验）：它照样完成握手，但仍会报告被它忽略的错误',
      });
    }
  }
  if (acsVerifies) {
    if (tlsCpe.sendCertificate === false) {
      const alert: AlertName = version === '1.3' ? 'certificate_required' : 'handshake_failure';
      const c = tlsCheck('no-client-certificate', 'acs', {
        en: `The CPE sends an empty Certificate message; the ACS requires one (SSL_VERIFY_FAIL_IF_NO_PEER_CERT) and sends ${alert} (${ALERTS[alert]})`,
        zh: `CPE 发送了空的 Certificate 消息；ACS 要求客户端证书（SSL_VERIFY_FAIL_IF_NO_PEER_CERT），发送 ${alert} (${ALERTS[alert]}) 告警`,
      });
      checks.push(c);
      acsStages.push({ decisive: c, abortedBy: 'acs', alert, nodeError: 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE', verifyError: null });
    } else {
      const s = verifyCpeCertificate();
      if (s) acsStages.push(s);
    }
  } else if (scenario.attacker) {
    notes.push({ en: 'an on-path attacker terminates the CPE\'s TLS: the CPE verifies the attacker\'s certificate, the real ACS is never reached', zh: '中间人攻击者终结了 CPE 的 TLS：CPE 校验的是攻击者的证书，真正的 ACS 不会被连接' });
  }

  // Order of the handshake: OpenSSL verifies the server's chain as soon as it arrives (before the
  // CPE sends its own certificate). Node verifies in JavaScript once its handshake is done: in
  // TLS 1.3 the client finishes first, in TLS 1.2 the server does (observed: the CPE then sees
  // ECONNRESET before 'secureConnect').
  const cpeStages = cpeVerifies && cpeStage ? [cpeStage] : [];
  const missingCert = acsStages.find((s) => s.decisive.id === 'no-client-certificate');
  if (opts.verifier === 'node' && version === '1.2') stages.push(...acsStages, ...cpeStages);
  else if (opts.verifier === 'node' && missingCert) stages.push(...acsStages, ...cpeStages);
  else stages.push(...cpeStages, ...acsStages);

  return { checks, stages, ignored, notes, version };
}

/** CN of the certificate the CPE presents (its chain's leaf), or '' without one. */
function cpeCertificateCn(scenario: Scenario): string {
  const pem = scenario.cpe.chain[0];
  if (!pem) return '';
  const cn = /^CN=(.*)$/m.exec(new X509Certificate(pem).subject);
  return cn?.[1] ?? '';
}

/** Predicts what real sessions do with this scenario. Pure: inspects certificates, runs no TLS. */
export function explain(scenario: Scenario, opts: ExplainOptions): Explanation {
  const { checks, stages, ignored, notes, version } = analyse(scenario, opts);
  const other = analyse(scenario, { ...opts, verifier: opts.verifier === 'node' ? 'openssl' : 'node' });
  const byOpenssl = opts.verifier === 'openssl' ? stages : other.stages;
  const byNode = opts.verifier === 'node' ? stages : other.stages;
  const decisive = stages[0] ?? null;
  const nodeOnly = (e: string | undefined) => (opts.verifier === 'node' && e ? { nodeError: e } : {});
  let verdict: Verdict;
  if (decisive) {
    verdict = {
      ok: false,
      compromised: false,
      abortedBy: decisive.abortedBy,
      alert: decisive.alert ? { description: decisive.alert, code: ALERTS[decisive.alert], from: decisive.abortedBy } : null,
      verifyError: decisive.verifyError,
      ...nodeOnly(decisive.nodeError),
    };
  } else {
    // Nobody aborts. With an attacker, the CPE's handshake was with the attacker; a side with
    // verification off still reports what it found (its peer is not verified: not a success).
    const compromised = scenario.attacker !== null;
    const seen = ignored[0] ?? null;
    // TLS accepts a CPE certificate naming another device; a CWMP ACS compares its CN with the Inform's
    // DeviceId (TR-069 Amd 6 §3.4.4) and refuses the session with HTTP 403.
    const refused = opts.cwmp === true && opts.verifier === 'node' && !compromised && !seen && cpeCertificateCn(scenario) !== scenario.expectedCpeId;
    if (refused) {
      notes.push({
        en: `TLS accepts the CPE certificate (CN ${cpeCertificateCn(scenario)}), but the ACS checks it against the Inform's DeviceId ${scenario.expectedCpeId} and refuses the session with HTTP 403: the application-level check TLS cannot make.`,
        zh: `TLS 接受了 CPE 证书（CN ${cpeCertificateCn(scenario)}），但 ACS 将其与 Inform 中的 DeviceId ${scenario.expectedCpeId} 比对，并以 HTTP 403 拒绝会话：这是 TLS 无法完成的应用层检查。`,
      });
    }
    verdict = {
      ok: !compromised && !seen && !refused,
      compromised,
      abortedBy: null,
      alert: null,
      verifyError: seen?.verifyError ?? null,
      ...nodeOnly(seen?.nodeError),
    };
  }
  return {
    checks,
    notes,
    first: byOpenssl[0]?.decisive ?? null,
    last: byNode[0]?.decisive ?? null,
    verdict,
    why: whyText(decisive, checks, opts.verifier, verdict, ignored[0] ?? null, notes),
    summary: summaryText(verdict, decisive, version, opts.verifier, notes),
  };
}

function nodeHostnameCheck(host: string, leaf: Cert): Check | null {
  const subjectaltname = leaf.node.subjectAltName;
  const peer = { subject: { CN: leaf.cn }, ...(subjectaltname ? { subjectaltname } : {}) } as unknown as tls.PeerCertificate;
  const e = tls.checkServerIdentity(host, peer);
  if (!e) return null;
  return {
    id: 'node-hostname',
    side: 'cpe',
    phase: 'verify',
    subject: { cn: leaf.cn, depth: 0 },
    x509: null,
    depth: 0,
    reason: {
      en: `Node's own tls.checkServerIdentity fails (ERR_TLS_CERT_ALTNAME_INVALID, reported as the OpenSSL check it corresponds to, X509_V_ERR_${isIP(host) ? 'IP_ADDRESS_MISMATCH' : 'HOSTNAME_MISMATCH'}): ${e.message}`,
      zh: `Node 自身的 tls.checkServerIdentity 检查失败（ERR_TLS_CERT_ALTNAME_INVALID，按其对应的 OpenSSL 检查报告为 X509_V_ERR_${isIP(host) ? 'IP_ADDRESS_MISMATCH' : 'HOSTNAME_MISMATCH'}）：证书的 subjectAltName 不包含 ${host}`,
    },
  };
}

function verificationStage(side: Side, raw: Raw[], checks: Check[], verifier: Verifier, host: string | null, leafPem: string | undefined): Stage | null {
  if (verifier === 'openssl') {
    const r = raw[0];
    const c = checks[0];
    if (!r || !c) return null;
    const a = alertFor(r.code);
    return { decisive: c, abortedBy: side, alert: a.description, nodeError: '', verifyError: { name: c.x509!.name, code: r.code, side } };
  }
  // Node: X509 errors except the hostname (Node sets no host in X509_VERIFY_PARAM); last one wins,
  // reported by the name Node gives it (X509ErrorCode(): others are UNSPECIFIED).
  const idx = raw.map((r, i) => ({ r, i })).filter(({ r }) => r.code !== 62 && r.code !== 64);
  const lastOne = idx[idx.length - 1];
  if (lastOne) {
    const c = checks[lastOne.i]!;
    return { decisive: c, abortedBy: side, alert: null, nodeError: nodeCodeFor(lastOne.r.code), verifyError: { ...nodeVerifyError(lastOne.r.code), side } };
  }
  if (side === 'cpe' && host !== null && leafPem) {
    const h = nodeHostnameCheck(host, parseCert(leafPem));
    // ERR_TLS_CERT_ALTNAME_INVALID is reported as the OpenSSL check it corresponds to.
    const code = isIP(host) ? 64 : 62;
    if (h) return { decisive: h, abortedBy: 'cpe', alert: null, nodeError: 'ERR_TLS_CERT_ALTNAME_INVALID', verifyError: { name: `X509_V_ERR_${x509Error(code).short}`, code, side } };
  }
  return null;
}

function whyText(decisive: Stage | null, checks: Check[], verifier: Verifier, v: Verdict, seen: Stage | null, notes: Text[]): Text {
  if (!decisive) {
    const n = notes.length ? { en: ` ${notes.map((x) => `${x.en[0]!.toUpperCase()}${x.en.slice(1)}.`).join(' ')}`, zh: ` ${notes.map((x) => `${x.zh}。`).join('')}` } : { en: '', zh: '' };
    if (v.compromised) {
      return {
        en: `Nobody aborts: the CPE completes its handshake with the on-path attacker, so the session is compromised${seen ? ` (it still reports ${seen.verifyError?.name ?? seen.decisive.id}: ${seen.decisive.reason.en})` : ''}.${n.en}`,
        zh: `没有任何一方中止握手：CPE 与中间人攻击者完成了握手，会话已被攻破${seen ? `（它仍会报告 ${seen.verifyError?.name ?? seen.decisive.id}：${seen.decisive.reason.zh}）` : ''}。${n.zh}`,
      };
    }
    if (seen) {
      return {
        en: `Nobody aborts, but the peer is not verified: ${seen.decisive.reason.en} — reported and ignored.${n.en}`,
        zh: `没有任何一方中止握手，但对端未通过校验：${seen.decisive.reason.zh}——错误被报告但被忽略。${n.zh}`,
      };
    }
    return { en: `Every check passes.${n.en}`, zh: `所有检查均通过。${n.zh}` };
  }
  const d = decisive.decisive;
  const others = checks.filter((c) => c !== d);
  const also = others.length ? { en: ` ${others.length} other failing check(s) are never reached or not reported.`, zh: ` 其余 ${others.length} 项失败检查不会被执行到或不会被报告。` } : { en: '', zh: '' };
  if (d.x509 && verifier === 'openssl') {
    return {
      en: `OpenSSL stops at the first error of X509_verify_cert (build chain → extensions/purpose → hostname → revocation → signatures and validity from the top down): ${d.reason.en}.${also.en}`,
      zh: `OpenSSL 在 X509_verify_cert 遇到的第一个错误处停止（构建证书链 → 扩展/用途 → 主机名 → 吊销 → 自顶向下的签名与有效期）：${d.reason.zh}。${also.zh}`,
    };
  }
  if (d.x509 && verifier === 'node') {
    const unnamed = decisive.verifyError && decisive.verifyError.code !== d.x509.code
      ? {
          en: ` Node names only some X509 errors: this one reaches it as ${decisive.nodeError}, reported as ${decisive.verifyError.name} (${decisive.verifyError.code}).`,
          zh: ` Node 只为部分 X509 错误命名：该错误到达 Node 时为 ${decisive.nodeError}，报告为 ${decisive.verifyError.name} (${decisive.verifyError.code})。`,
        }
      : { en: '', zh: '' };
    return {
      en: `Node lets OpenSSL run every check and reports the last error it met: ${d.reason.en}.${unnamed.en}${also.en}`,
      zh: `Node 让 OpenSSL 执行全部检查，并报告最后遇到的错误：${d.reason.zh}。${unnamed.zh}${also.zh}`,
    };
  }
  return { en: `${d.reason.en}.${also.en}`, zh: `${d.reason.zh}。${also.zh}` };
}

function summaryText(v: Verdict, d: Stage | null, version: '1.2' | '1.3', verifier: Verifier, notes: Text[]): Text {
  const n = notes.length ? { en: ` Note: ${notes.map((x) => x.en).join('; ')}.`, zh: ` 注意：${notes.map((x) => x.zh).join('；')}。` } : { en: '', zh: '' };
  if (v.compromised) {
    const what = v.verifyError ? { en: `, ignoring ${v.verifyError.name} (${v.verifyError.code})`, zh: `，忽略了 ${v.verifyError.name} (${v.verifyError.code})` } : { en: '', zh: '' };
    return {
      en: `TLS ${version}, ${verifier} verifier: the CPE completes the handshake with the attacker${what.en}: compromised.${n.en}`,
      zh: `TLS ${version}，${verifier} 校验器：CPE 与攻击者完成了握手${what.zh}：会话已被攻破。${n.zh}`,
    };
  }
  if (!d && v.verifyError) {
    const who = v.verifyError.side === 'cpe' ? { en: 'the CPE', zh: 'CPE' } : { en: 'the ACS', zh: 'ACS' };
    return {
      en: `TLS ${version}, ${verifier} verifier: the handshake completes, but ${who.en} reports ${v.verifyError.name} (${v.verifyError.code}) and ignores it (verification off).${n.en}`,
      zh: `TLS ${version}，${verifier} 校验器：握手完成，但 ${who.zh} 报告 ${v.verifyError.name} (${v.verifyError.code}) 并忽略了它（未启用校验）。${n.zh}`,
    };
  }
  if (v.ok || !d) return { en: `TLS ${version} handshake succeeds with the ${verifier} verifier.${n.en}`, zh: `使用 ${verifier} 校验器时 TLS ${version} 握手成功。${n.zh}` };
  const who = { en: d.abortedBy === 'cpe' ? 'The CPE' : 'The ACS', zh: d.abortedBy === 'cpe' ? 'CPE' : 'ACS' };
  const how = v.alert
    ? { en: `sends the alert ${v.alert.description} (${v.alert.code})`, zh: `发送 ${v.alert.description} (${v.alert.code}) 告警` }
    : { en: `closes the connection without an alert${v.nodeError ? ` (${v.nodeError})` : ''}`, zh: `不发送告警直接关闭连接${v.nodeError ? `（${v.nodeError}）` : ''}` };
  const what = v.verifyError ? { en: ` after ${v.verifyError.name} (${v.verifyError.code})`, zh: `，原因是 ${v.verifyError.name} (${v.verifyError.code})` } : { en: '', zh: '' };
  return { en: `TLS ${version}, ${verifier} verifier: ${who.en} aborts and ${how.en}${what.en}.${n.en}`, zh: `TLS ${version}，${verifier} 校验器：${who.zh} 中止握手并${how.zh}${what.zh}。${n.zh}` };
}
