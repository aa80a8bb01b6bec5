/**
 * The fault model. A fault is data: a declarative change to certificates, trust stores, CRLs or
 * TLS settings, applied before a session starts. The engine has no `if (fault === …)` branch:
 * it runs whatever Scenario the builder produces, and the wire shows what really happens.
 */

/** Both languages of every user-visible string. */
export interface Text {
  en: string;
  zh: string;
}

/** Which real implementation verifies certificates in a session. */
export type Verifier = 'node' | 'openssl';
export const VERIFIERS: readonly Verifier[] = ['node', 'openssl'];

export type FaultGroup = 'validity' | 'trust' | 'identity' | 'purpose' | 'signature' | 'revocation' | 'handshake' | 'attacker';

/** What the fault changes. */
export type FaultTarget = 'acs-cert' | 'cpe-cert' | 'ca' | 'acs-trust' | 'cpe-trust' | 'tls' | 'attacker';

/** Per-side TLS settings a fault may change (everything else comes from the session mode). */
export interface TlsOverride {
  minVersion?: '1.2' | '1.3';
  maxVersion?: '1.2' | '1.3';
  /** OpenSSL cipher list for TLS 1.2 suites, e.g. 'AES256-GCM-SHA384'. */
  ciphers?: string;
  /** TLS 1.3 suites, e.g. 'TLS_AES_256_GCM_SHA384'. */
  ciphersuites?: string;
  /** false: this side presents no certificate (e.g. a CPE without one). */
  sendCertificate?: boolean;
  /** false: this side does not verify its peer (Node rejectUnauthorized: false; openssl without -verify_return_error). */
  verifyPeer?: boolean;
  /** ACS only — false: no CertificateRequest (a server-auth-only session). */
  requestCertificate?: boolean;
}

/** One side's credentials and trust, PEM. */
export interface ScenarioSide {
  /** Leaf first; what this side sends in its Certificate message (intermediates included or not). */
  chain: string[];
  key: string;
  /** Trust anchors this side verifies its peer against. */
  trust: string[];
  /** CRLs (PEM, `-----BEGIN X509 CRL-----`) this side checks its peer against. */
  crls?: string[];
  /** Revocation checking: 'leaf' (OpenSSL -crl_check) or 'all' (-crl_check_all). Absent: off. */
  crlCheck?: 'leaf' | 'all';
}

/** An on-path attacker: the relay turns active and terminates the CPE's TLS with its own certificate. */
export interface AttackerSpec {
  /** What the attacker presents to the CPE as the ACS (leaf first) and its key. */
  chain: string[];
  key: string;
}

/** Everything a session needs, after faults are applied. */
export interface Scenario {
  /** Fault ids applied, in the order given. */
  faults: string[];
  acs: ScenarioSide;
  cpe: ScenarioSide;
  /** The ACS name the CPE connects to and checks (SNI + hostname check): 'acs.lab.test', or '127.0.0.1' for the IP-URL fault. */
  acsHostname: string;
  tls: { acs: TlsOverride; cpe: TlsOverride };
  attacker: AttackerSpec | null;
  /** The CPE identity (OUI-SerialNumber) the ACS expects at the application layer (CWMP checks it). */
  expectedCpeId: string;
}

export interface FaultDefinition {
  /** Stable id, used in URLs, tests and the CLI: lower-case words joined by '-'. */
  id: string;
  group: FaultGroup;
  target: FaultTarget;
  /** Whose certificate or settings change; the other side is the one whose verification is tested. */
  side: 'acs' | 'cpe' | 'both';
  title: Text;
  explanation: Text;
  /** The rule broken, e.g. 'RFC 5280 §4.1.2.5' or 'TR-069 Amendment 6 §3.3'. */
  rule: string;
  fix: Text;
}
