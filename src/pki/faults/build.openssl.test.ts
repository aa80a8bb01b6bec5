/**
 * Every fault's artifacts, judged by the real `openssl` binary: `openssl verify` of each side's
 * certificate as its peer would check it (trust store, intermediates sent, CRLs, host name,
 * purpose, security level 1 as in Node.js 20), plus `x509 -text` / `crl -text` for the property.
 */
import { isIP } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyPool } from '../keys.ts';
import { openssl, opensslTestsEnabled, pemDir } from '../openssl.testkit.ts';
import { buildScenario } from './build.ts';
import { FAULTS } from './catalog.ts';
import type { Scenario, ScenarioSide } from './types.ts';

const enabled = opensslTestsEnabled('src/pki/faults/build.openssl.test.ts (openssl verify of every fault)');

/** First verify error: code, depth and a text fragment; 0 = "OK". */
type Outcome = 0 | { code: number; depth?: number; text: RegExp };
const E = (code: number, text: RegExp, depth = 0): Outcome => ({ code, depth, text });

interface Expectation {
  /** openssl verify of the ACS chain against the CPE's trust (what the CPE checks). */
  cpeSeesAcs: Outcome;
  /** openssl verify of the CPE chain against the ACS's trust (+ its CRL settings). */
  acsSeesCpe: Outcome;
  /** `openssl x509 -noout -text` (and -dates) of a certificate must match these. */
  text?: Array<[which: 'acs' | 'cpe' | 'root' | 'intermediate', re: RegExp]>;
  check?: (s: Scenario, h: Helpers) => void;
}

interface Helpers {
  run(...args: string[]): { status: number; output: string };
  file(name: string, pem: string): string;
}

const EXPIRED = E(10, /certificate has expired/);
const EXPECT: Record<string, Expectation> = {
  '': { cpeSeesAcs: 0, acsSeesCpe: 0 },
  'acs-expired': { cpeSeesAcs: EXPIRED, acsSeesCpe: 0, text: [['acs', /notAfter=/]] },
  'cpe-expired': { cpeSeesAcs: 0, acsSeesCpe: EXPIRED },
  'acs-not-yet-valid': { cpeSeesAcs: E(9, /certificate is not yet valid/), acsSeesCpe: 0 },
  'cpe-not-yet-valid': { cpeSeesAcs: 0, acsSeesCpe: E(9, /certificate is not yet valid/) },
  'root-expired': { cpeSeesAcs: E(10, /certificate has expired/, 1), acsSeesCpe: E(10, /certificate has expired/, 1) },
  'acs-self-signed': { cpeSeesAcs: E(18, /self.signed certificate/), acsSeesCpe: 0, text: [['acs', /Issuer: O = Handshake Lab ACS, CN = acs\.lab\.test/]] },
  'cpe-self-signed': { cpeSeesAcs: 0, acsSeesCpe: E(18, /self.signed certificate/) },
  'acs-unknown-ca': { cpeSeesAcs: E(20, /unable to get local issuer certificate/), acsSeesCpe: 0, text: [['acs', /Issuer: O = Elsewhere Networks, CN = Elsewhere Root CA/]] },
  'cpe-unknown-ca': { cpeSeesAcs: 0, acsSeesCpe: E(20, /unable to get local issuer certificate/) },
  'acs-incomplete-chain': {
    cpeSeesAcs: E(20, /unable to get local issuer certificate/),
    acsSeesCpe: 0,
    text: [['acs', /Issuer: O = Handshake Lab, CN = Handshake Lab Intermediate CA/]],
    check: (s) => expect(s.acs.chain).toHaveLength(1),
  },
  'cpe-trusts-intermediate-only': {
    cpeSeesAcs: E(2, /unable to get issuer certificate/, 1),
    acsSeesCpe: 0,
    check: (s, h) => {
      expect(s.acs.chain).toHaveLength(2);
      // with partial-chain trust the same material verifies
      const r = h.run('verify', '-partial_chain', '-CAfile', h.file('t.pem', s.cpe.trust.join('')), '-untrusted', h.file('i.pem', s.acs.chain[1]!), h.file('l.pem', s.acs.chain[0]!));
      expect(r.output).toContain('l.pem: OK');
    },
  },
  'acs-impostor-ca': {
    cpeSeesAcs: E(20, /unable to get local issuer certificate/),
    acsSeesCpe: 0,
    text: [['acs', /Issuer: O = Handshake Lab, CN = Handshake Lab Root CA/]],
  },
  'acs-hostname-mismatch': { cpeSeesAcs: E(62, /hostname mismatch/), acsSeesCpe: 0, text: [['acs', /DNS:portal\.lab\.test\n/]] },
  'acs-san-wrong-cn-right': { cpeSeesAcs: E(62, /hostname mismatch/), acsSeesCpe: 0, text: [['acs', /CN = acs\.lab\.test[\s\S]*DNS:wrong\.lab\.test\n/]] },
  'acs-cn-only': {
    cpeSeesAcs: 0,
    acsSeesCpe: 0,
    check: (s, h) => expect(h.run('x509', '-noout', '-text', '-in', h.file('a.pem', s.acs.chain[0]!)).output).not.toContain('Subject Alternative Name'),
  },
  'acs-ip-url': {
    cpeSeesAcs: E(64, /IP address mismatch/),
    acsSeesCpe: 0,
    text: [['acs', /Subject Alternative Name: \s+DNS:acs\.lab\.test\n/]],
    check: (s) => expect(s.acsHostname).toBe('127.0.0.1'),
  },
  'cpe-identity-mismatch': {
    cpeSeesAcs: 0,
    acsSeesCpe: 0,
    text: [['cpe', /Subject: O = Handshake Lab, CN = 00D09E-HL0042/]],
    check: (s) => expect(s.expectedCpeId).toBe('00D09E-HL0001'),
  },
  'cpe-wrong-eku': { cpeSeesAcs: 0, acsSeesCpe: E(26, /unsuitable certificate purpose/), text: [['cpe', /Extended Key Usage: \s+TLS Web Server Authentication\n/]] },
  'acs-wrong-eku': { cpeSeesAcs: E(26, /unsuitable certificate purpose/), acsSeesCpe: 0 },
  'acs-ku-no-digital-signature': { cpeSeesAcs: 0, acsSeesCpe: 0, text: [['acs', /Key Usage: critical\s+Key Encipherment\n/]] },
  'intermediate-not-ca': { cpeSeesAcs: E(79, /invalid CA certificate/, 1), acsSeesCpe: 0, text: [['intermediate', /Basic Constraints: \s+CA:FALSE/]] },
  'intermediate-no-keycertsign': {
    cpeSeesAcs: E(79, /invalid CA certificate/, 1),
    acsSeesCpe: 0,
    text: [['intermediate', /CA:TRUE[\s\S]*Key Usage: critical\s+CRL Sign\n/]],
    check: (s, h) => expect(verifyAcs(s, h).output).toMatch(/error 32 at 1 depth lookup: key usage does not include certificate signing/),
  },
  'pathlen-exceeded': { cpeSeesAcs: E(25, /path length constraint exceeded/, 2), acsSeesCpe: 0, text: [['root', /CA:TRUE, pathlen:0/]] },
  'acs-unknown-critical-extension': { cpeSeesAcs: E(34, /unhandled critical extension/), acsSeesCpe: 0, text: [['acs', /1\.3\.6\.1\.4\.1\.55555\.1\.1: critical/]] },
  'name-constraints-violation': {
    cpeSeesAcs: E(47, /permitted subtree violation/),
    acsSeesCpe: 0,
    text: [['intermediate', /Name Constraints: critical\s+Permitted:\s+DNS:\.example\.org/]],
  },
  'acs-bad-signature': { cpeSeesAcs: E(7, /certificate signature failure/), acsSeesCpe: 0 },
  'acs-sha1-signature': { cpeSeesAcs: E(68, /CA signature digest algorithm too weak/), acsSeesCpe: 0, text: [['acs', /Signature Algorithm: sha1WithRSAEncryption/]] },
  'acs-md5-signature': { cpeSeesAcs: E(68, /CA signature digest algorithm too weak/), acsSeesCpe: 0, text: [['acs', /Signature Algorithm: md5WithRSAEncryption/]] },
  'acs-rsa-1024': {
    cpeSeesAcs: 0, // security level 1 (Node.js 20)
    acsSeesCpe: 0,
    text: [['acs', /Public-Key: \(1024 bit\)/]],
    check: (s, h) => expect(verifyAcs(s, h, '2').output).toMatch(/error 66 at 0 depth lookup: EE certificate key too weak/),
  },
  'acs-rsa-512': { cpeSeesAcs: E(66, /EE certificate key too weak/), acsSeesCpe: 0, text: [['acs', /Public-Key: \(512 bit\)/]] },
  'cpe-revoked': {
    cpeSeesAcs: 0,
    acsSeesCpe: E(23, /certificate revoked/),
    check: (s, h) => {
      const serial = h.run('x509', '-noout', '-serial', '-in', h.file('c.pem', s.cpe.chain[0]!)).output.trim().replace('serial=', '');
      const t = h.run('crl', '-noout', '-text', '-in', h.file('crl.pem', s.acs.crls![0]!)).output;
      expect(t).toContain(`Serial Number: ${serial}`);
      expect(t).toContain('Key Compromise');
    },
  },
  'crl-expired': {
    cpeSeesAcs: 0,
    acsSeesCpe: E(12, /CRL has expired/),
    check: (s, h) => {
      const next = /Next Update: (.+)/.exec(h.run('crl', '-noout', '-text', '-in', h.file('crl.pem', s.acs.crls![0]!)).output)?.[1];
      expect(new Date(next!).getTime()).toBeLessThan(Date.now());
    },
  },
  'crl-missing': { cpeSeesAcs: 0, acsSeesCpe: E(3, /unable to get certificate CRL/), check: (s) => expect(s.acs.crls).toEqual([]) },
  'cpe-no-certificate': { cpeSeesAcs: 0, acsSeesCpe: 0, check: (s) => expect(s.tls.cpe.sendCertificate).toBe(false) },
  'cpe-key-mismatch': {
    cpeSeesAcs: 0,
    acsSeesCpe: 0,
    check: (s, h) => {
      const fromCert = h.run('x509', '-noout', '-pubkey', '-in', h.file('c.pem', s.cpe.chain[0]!)).output;
      const fromKey = h.run('pkey', '-pubout', '-in', h.file('k.pem', s.cpe.key)).output;
      expect(fromKey).toContain('BEGIN PUBLIC KEY');
      expect(fromKey).not.toBe(fromCert);
    },
  },
  'tls-version-mismatch': {
    cpeSeesAcs: 0,
    acsSeesCpe: 0,
    check: (s) => expect(s.tls).toEqual({ acs: { minVersion: '1.3', maxVersion: '1.3' }, cpe: { minVersion: '1.2', maxVersion: '1.2' } }),
  },
  'no-common-cipher': {
    cpeSeesAcs: 0,
    acsSeesCpe: 0,
    check: (s, h) => {
      const suites = (o: typeof s.tls.acs) =>
        new Set(h.run('ciphers', '-s', '-ciphersuites', o.ciphersuites!, o.ciphers!).output.trim().split(':'));
      const a = suites(s.tls.acs);
      const c = suites(s.tls.cpe);
      expect(a.size).toBeGreaterThan(1);
      expect(c.size).toBeGreaterThan(1);
      expect([...a].filter((x) => c.has(x))).toEqual([]);
    },
  },
  mitm: { cpeSeesAcs: 0, acsSeesCpe: 0, check: (s, h) => expectAttackerRejected(s, h) },
  'mitm-verify-off': {
    cpeSeesAcs: 0,
    acsSeesCpe: 0,
    check: (s, h) => {
      expectAttackerRejected(s, h);
      expect(s.tls.cpe.verifyPeer).toBe(false);
    },
  },
};

function expectAttackerRejected(s: Scenario, h: Helpers) {
  expect(s.attacker).not.toBeNull();
  const r = verifyChain(h, s.attacker!.chain, s.cpe, 'sslserver', s.acsHostname);
  expect(r.output).toMatch(/error 20 at 0 depth lookup: unable to get local issuer certificate/);
  expect(h.run('x509', '-noout', '-issuer', '-in', h.file('att.pem', s.attacker!.chain[0]!)).output).toContain('On-Path Attacker');
}

/** openssl verify of `chain` as the side `verifier` checks it. */
function verifyChain(h: Helpers, chain: string[], verifier: ScenarioSide, purpose: 'sslserver' | 'sslclient', host?: string, authLevel = '1') {
  const args = ['verify', '-auth_level', authLevel, '-purpose', purpose, '-CAfile', h.file('trust.pem', verifier.trust.join(''))];
  if (chain.length > 1) args.push('-untrusted', h.file('untrusted.pem', chain.slice(1).join('')));
  if (verifier.crlCheck) {
    args.push(verifier.crlCheck === 'all' ? '-crl_check_all' : '-crl_check');
    if (verifier.crls?.length) args.push('-CRLfile', h.file('crls.pem', verifier.crls.join('')));
  }
  if (host) args.push(isIP(host) ? '-verify_ip' : '-verify_hostname', host);
  args.push(h.file('leaf.pem', chain[0]!));
  return h.run(...args);
}

function verifyAcs(s: Scenario, h: Helpers, authLevel = '1') {
  return verifyChain(h, s.acs.chain, s.cpe, 'sslserver', s.acsHostname, authLevel);
}

function expectOutcome(r: { status: number; output: string }, want: Outcome, what: string) {
  if (want === 0) {
    expect(r.output, what).toMatch(/leaf\.pem: OK/);
    expect(r.status, what).toBe(0);
    return;
  }
  expect(r.status, what).not.toBe(0);
  const first = /error (\d+) at (\d+) depth lookup: (.*)/.exec(r.output);
  expect(first, `${what}: ${r.output}`).not.toBeNull();
  expect(Number(first![1]), `${what}: ${r.output}`).toBe(want.code);
  if (want.depth !== undefined) expect(Number(first![2]), what).toBe(want.depth);
  expect(first![3], what).toMatch(want.text);
}

describe.runIf(enabled)('every fault under openssl', () => {
  const tmp = pemDir();
  const pool = new KeyPool({ size: 6, concurrency: 4 });
  const scenarios = new Map<string, Scenario>();
  const h: Helpers = {
    run: (...args) => openssl(args, tmp.dir),
    file: (name, pem) => tmp.write(name, pem),
  };

  beforeAll(async () => {
    const ids = ['', ...FAULTS.map((f) => f.id)];
    const built = await Promise.all(ids.map((id) => buildScenario(id ? [id] : [], { pool })));
    ids.forEach((id, i) => scenarios.set(id, built[i]!));
  });
  afterAll(async () => {
    tmp.cleanup();
    await pool.close();
  });

  it('has an expectation for every fault', () => {
    expect(Object.keys(EXPECT).sort()).toEqual(['', ...FAULTS.map((f) => f.id)].sort());
  });

  it.each(['', ...FAULTS.map((f) => f.id)])('fault %s: openssl verify both ways gives the intended result', (id) => {
    const s = scenarios.get(id)!;
    const want = EXPECT[id]!;
    expectOutcome(verifyAcs(s, h), want.cpeSeesAcs, `${id || 'no fault'}: CPE verifying the ACS`);
    expectOutcome(verifyChain(h, s.cpe.chain, s.acs, 'sslclient'), want.acsSeesCpe, `${id || 'no fault'}: ACS verifying the CPE`);
    const pems = {
      acs: s.acs.chain[0]!,
      cpe: s.cpe.chain[0]!,
      root: s.acs.trust[0]!,
      intermediate: s.acs.chain[1] ?? '',
    };
    for (const [which, re] of want.text ?? []) {
      const file = h.file(`${which}.pem`, pems[which]);
      const out = h.run('x509', '-noout', '-text', '-dates', '-in', file).output;
      expect(out, `${id}: ${which}`).toMatch(re);
    }
    want.check?.(s, h);
  });

  it('validity faults really are dated as intended (openssl x509 -checkend)', () => {
    const expired = (pem: string) => h.run('x509', '-noout', '-checkend', '0', '-in', h.file('d.pem', pem)).status !== 0;
    expect(expired(scenarios.get('acs-expired')!.acs.chain[0]!)).toBe(true);
    expect(expired(scenarios.get('cpe-expired')!.cpe.chain[0]!)).toBe(true);
    expect(expired(scenarios.get('root-expired')!.cpe.trust[0]!)).toBe(true);
    expect(expired(scenarios.get('root-expired')!.acs.chain[0]!)).toBe(false);
    expect(expired(scenarios.get('')!.acs.chain[0]!)).toBe(false);
  });

  it('every CRL is accepted by openssl crl -CAfile and carries the X509 CRL label', () => {
    for (const id of ['cpe-revoked', 'crl-expired']) {
      const s = scenarios.get(id)!;
      const crl = s.acs.crls![0]!;
      expect(crl).toMatch(/^-----BEGIN X509 CRL-----\n[\s\S]+-----END X509 CRL-----\n?$/);
      const r = h.run('crl', '-noout', '-CAfile', h.file('ca.pem', s.acs.trust[0]!), '-in', h.file('crl.pem', crl));
      expect(r.output).toContain('verify OK');
      expect(r.status).toBe(0);
    }
  });

  it('combined faults compose into one certificate (acs-expired + acs-wrong-eku)', async () => {
    const s = await buildScenario(['acs-expired', 'acs-wrong-eku'], { pool });
    const r = verifyAcs(s, h);
    expect(r.output).toMatch(/error 10 at 0 depth lookup: certificate has expired/);
    expect(r.output).toMatch(/error 26 at 0 depth lookup: unsuitable certificate purpose/);
    expect(h.run('x509', '-noout', '-text', '-in', h.file('x.pem', s.acs.chain[0]!)).output).toMatch(/Extended Key Usage: \s+TLS Web Client Authentication\n/);
  });

  it('cpe-revoked + crl-expired: one expired CRL listing the CPE', async () => {
    const s = await buildScenario(['cpe-revoked', 'crl-expired'], { pool });
    const r = verifyChain(h, s.cpe.chain, s.acs, 'sslclient');
    expect(r.output).toMatch(/certificate revoked/);
    expect(r.output).toMatch(/CRL has expired/);
  });
});
