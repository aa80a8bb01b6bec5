/**
 * The explainer against the real thing: its OpenSSL first-error prediction against the `openssl
 * verify` binary (the oracle), its Node prediction against real Node TLS sessions.
 */
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCert, type IssuedCert } from '../cert.ts';
import { KeyPool } from '../keys.ts';
import { ACS_HOSTNAME, acsSpec, createLabCa, cpeSpec } from '../lab.ts';
import { openssl, opensslTestsEnabled, pemDir } from '../openssl.testkit.ts';
import { explain, type Explanation } from './explain.ts';
import type { Scenario, TlsOverride } from './types.ts';
import { nodeCodeFor, nodeVerifyError } from './x509-errors.ts';

const DAY = 86_400_000;
const RUN = opensslTestsEnabled('explain.test.ts (openssl verify oracle)');

interface Material {
  ca: IssuedCert;
  rogue: IssuedCert;
  acs: Record<string, IssuedCert>;
  cpe: Record<string, IssuedCert>;
}

let m: Material;
let pool: KeyPool;
const dir = pemDir();

beforeAll(async () => {
  pool = new KeyPool({ size: 4, concurrency: 4 });
  const ca = await createLabCa({ pool });
  const rogue = await issueCert({ subject: { CN: 'Rogue CA' }, isCA: true }, { pool });
  const past = { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) };
  const acsSpecs = {
    correct: acsSpec(ca),
    expired: { ...acsSpec(ca), ...past },
    notYetValid: { ...acsSpec(ca), notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 400 * DAY) },
    selfSigned: { ...acsSpec(ca), issuer: undefined },
    unknownCa: acsSpec(rogue),
    hostname: acsSpec(ca, 'other.lab.test'),
    wrongEku: { ...acsSpec(ca), extKeyUsage: ['clientAuth' as const] },
    expiredWrongEku: { ...acsSpec(ca), extKeyUsage: ['clientAuth' as const], ...past },
    badSignature: { ...acsSpec(ca), flipSignatureBit: true },
    badSignatureExpired: { ...acsSpec(ca), flipSignatureBit: true, ...past },
    unknownCaExpired: { ...acsSpec(rogue), ...past },
    hostnameExpired: { ...acsSpec(ca, 'other.lab.test'), ...past },
    criticalExt: { ...acsSpec(ca), extraExtensions: [{ oid: '1.3.6.1.4.1.55555.1', critical: true }] },
  };
  const acs: Record<string, IssuedCert> = {};
  await Promise.all(Object.entries(acsSpecs).map(async ([k, s]) => (acs[k] = await issueCert(s, { pool }))));
  const cpe: Record<string, IssuedCert> = {
    correct: await issueCert(cpeSpec(ca), { pool }),
    untrusted: await issueCert(cpeSpec(rogue), { pool }),
    wrongEku: await issueCert({ ...cpeSpec(ca), extKeyUsage: ['serverAuth'] }, { pool }),
  };
  m = { ca, rogue, acs, cpe };
});

afterAll(async () => {
  await pool?.close();
  dir.cleanup();
});

function scenario(acsKey: string, cpeKey = 'correct', extra: { acsChain?: string[]; tls?: { acs?: TlsOverride; cpe?: TlsOverride } } = {}): Scenario {
  const a = m.acs[acsKey]!;
  const c = m.cpe[cpeKey]!;
  return {
    faults: [],
    acs: { chain: extra.acsChain ?? [a.certPem], key: a.keyPem, trust: [m.ca.certPem] },
    cpe: { chain: [c.certPem], key: c.keyPem, trust: [m.ca.certPem] },
    acsHostname: ACS_HOSTNAME,
    tls: { acs: extra.tls?.acs ?? {}, cpe: extra.tls?.cpe ?? {} },
    attacker: null,
    expectedCpeId: '00D09E-HL0001',
  };
}

/**
 * `openssl verify` on what `side` verifies, as a TLS endpoint would: security level 1 (Node 20's;
 * `openssl verify` alone checks none), -verify_ip for an IP host, and revocation checking whenever
 * it is configured (with no CRL: UNABLE_TO_GET_CRL). The first "error N at D depth" line, or null when OK.
 */
function oracle(sc: Scenario, side: 'cpe' | 'acs'): { code: number; depth: number } | null {
  const verified = side === 'cpe' ? (sc.attacker?.chain ?? sc.acs.chain) : sc.cpe.chain;
  const me = side === 'cpe' ? sc.cpe : sc.acs;
  const id = Math.random().toString(36).slice(2);
  const args = ['verify', '-auth_level', '1', '-CAfile', dir.write(`trust-${id}.pem`, me.trust.join(''))];
  if (verified.length > 1) args.push('-untrusted', dir.write(`untrusted-${id}.pem`, verified.slice(1).join('')));
  args.push('-purpose', side === 'cpe' ? 'sslserver' : 'sslclient');
  if (side === 'cpe') args.push(isIP(sc.acsHostname) ? '-verify_ip' : '-verify_hostname', sc.acsHostname);
  if (me.crlCheck) {
    args.push(me.crlCheck === 'all' ? '-crl_check_all' : '-crl_check');
    if (me.crls?.length) args.push('-CRLfile', dir.write(`crl-${id}.pem`, me.crls.join('')));
  }
  args.push(dir.write(`leaf-${id}.pem`, verified[0]!));
  const r = openssl(args, dir.dir);
  const hit = /error (\d+) at (\d+) depth lookup/.exec(r.output);
  if (!hit) {
    expect(r.output, r.output).toMatch(/: OK/);
    return null;
  }
  return { code: Number(hit[1]), depth: Number(hit[2]) };
}

interface NodeResult {
  /** The CPE (client, rejectUnauthorized) error code, or null. */
  client: string | null;
  /** The ACS (server, requestCert) socket.authorizationError, read with rejectUnauthorized: false. */
  serverAuthorizationError: string | null;
}

/** A real Node TLS session with the scenario's material (mode: server pinned to `version`). */
function nodeSession(sc: Scenario, version: '1.2' | '1.3'): Promise<NodeResult> {
  const v = version === '1.3' ? 'TLSv1.3' : 'TLSv1.2';
  return new Promise((resolve, reject) => {
    const out: NodeResult = { client: null, serverAuthorizationError: null };
    let pending = 2;
    const done = () => {
      if (--pending === 0) {
        server.close();
        resolve(out);
      }
    };
    const server = tls.createServer(
      { cert: sc.acs.chain.join(''), key: sc.acs.key, ca: sc.acs.trust, requestCert: true, rejectUnauthorized: false, minVersion: v, maxVersion: v },
      (s) => {
        out.serverAuthorizationError = (s.authorizationError as unknown as string | undefined) ?? null;
        s.on('error', () => {});
        s.end();
      },
    );
    let serverDone = false;
    const serverEnd = () => {
      if (!serverDone) {
        serverDone = true;
        done();
      }
    };
    server.on('secureConnection', (s) => s.on('close', serverEnd));
    server.on('tlsClientError', serverEnd);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      const c = tls.connect({ port, host: '127.0.0.1', servername: sc.acsHostname, ca: sc.cpe.trust, cert: sc.cpe.chain.join(''), key: sc.cpe.key, minVersion: 'TLSv1.2', maxVersion: v });
      c.on('error', (e: NodeJS.ErrnoException) => (out.client ??= e.code ?? e.message));
      c.on('data', () => {});
      c.on('close', done);
    });
    server.on('error', reject);
  });
}

const CASES: Array<{ name: string; acs: string; cpe?: string; side: 'cpe' | 'acs'; openssl: number | null; node: string | null }> = [
  { name: 'correct', acs: 'correct', side: 'cpe', openssl: null, node: null },
  { name: 'expired ACS', acs: 'expired', side: 'cpe', openssl: 10, node: 'CERT_HAS_EXPIRED' },
  { name: 'not-yet-valid ACS', acs: 'notYetValid', side: 'cpe', openssl: 9, node: 'CERT_NOT_YET_VALID' },
  { name: 'self-signed ACS', acs: 'selfSigned', side: 'cpe', openssl: 18, node: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
  { name: 'unknown CA', acs: 'unknownCa', side: 'cpe', openssl: 20, node: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
  { name: 'hostname mismatch', acs: 'hostname', side: 'cpe', openssl: 62, node: 'ERR_TLS_CERT_ALTNAME_INVALID' },
  { name: 'wrong EKU', acs: 'wrongEku', side: 'cpe', openssl: 26, node: 'INVALID_PURPOSE' },
  { name: 'expired + wrong EKU', acs: 'expiredWrongEku', side: 'cpe', openssl: 26, node: 'CERT_HAS_EXPIRED' },
  { name: 'bad signature', acs: 'badSignature', side: 'cpe', openssl: 7, node: 'CERT_SIGNATURE_FAILURE' },
  { name: 'bad signature + expired', acs: 'badSignatureExpired', side: 'cpe', openssl: 7, node: 'CERT_HAS_EXPIRED' },
  { name: 'unknown CA + expired', acs: 'unknownCaExpired', side: 'cpe', openssl: 20, node: 'CERT_HAS_EXPIRED' },
  { name: 'hostname mismatch + expired', acs: 'hostnameExpired', side: 'cpe', openssl: 62, node: 'CERT_HAS_EXPIRED' },
  { name: 'unknown critical extension', acs: 'criticalExt', side: 'cpe', openssl: 34, node: 'UNSPECIFIED' },
  { name: 'untrusted CPE certificate', acs: 'correct', cpe: 'untrusted', side: 'acs', openssl: 20, node: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
  { name: 'CPE certificate with serverAuth only', acs: 'correct', cpe: 'wrongEku', side: 'acs', openssl: 26, node: 'INVALID_PURPOSE' },
];

describe('explain: hand-built scenarios', () => {
  it('the expected values are not vacuous (a wrong prediction fails)', () => {
    const e = explain(scenario('expiredWrongEku'), { tls: '1.3', kx: 'ecdhe', verifier: 'openssl' });
    expect(e.first?.x509?.code).toBe(26);
    expect(e.first?.x509?.code).not.toBe(10);
    expect(e.last?.x509?.code).toBe(10);
    expect(e.checks.map((c) => c.x509?.code)).toEqual([26, 10]);
  });

  for (const c of CASES) {
    it.runIf(RUN)(`${c.name}: OpenSSL's first error = openssl verify`, () => {
      const sc = scenario(c.acs, c.cpe);
      const e = explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'openssl' });
      const real = oracle(sc, c.side);
      expect(real?.code ?? null).toBe(c.openssl);
      expect(e.first?.x509?.code ?? null).toBe(real?.code ?? null);
      if (real) {
        expect(e.first?.depth).toBe(real.depth);
        expect(e.first?.side).toBe(c.side);
        expect(e.verdict.abortedBy).toBe(c.side);
        expect(e.verdict.alert?.from).toBe(c.side);
        expect(e.verdict.verifyError?.code).toBe(real.code);
      } else {
        expect(e.verdict.ok).toBe(true);
      }
    });

    it(`${c.name}: Node's error = a real Node session`, async () => {
      const sc = scenario(c.acs, c.cpe);
      const e = explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'node' });
      const real = await nodeSession(sc, '1.3');
      const observed = c.side === 'cpe' ? real.client : real.serverAuthorizationError;
      expect(observed).toBe(c.node);
      expect(e.verdict.nodeError ?? null).toBe(observed);
      expect(e.verdict.alert).toBeNull();
      if (observed) expect(e.verdict.abortedBy).toBe(c.side);
      else expect(e.verdict.ok).toBe(true);
    });
  }

  it('alerts: ssl_verify_alarm_type for the first error', () => {
    const alert = (k: string, cpe?: string) => explain(scenario(k, cpe), { tls: '1.2', kx: 'ecdhe', verifier: 'openssl' }).verdict.alert;
    expect(alert('expired')).toEqual({ description: 'certificate_expired', code: 45, from: 'cpe' });
    expect(alert('notYetValid')).toEqual({ description: 'bad_certificate', code: 42, from: 'cpe' });
    expect(alert('selfSigned')?.code).toBe(48);
    expect(alert('unknownCa')?.code).toBe(48);
    expect(alert('badSignature')?.code).toBe(51);
    expect(alert('wrongEku')?.code).toBe(43);
    expect(alert('expiredWrongEku')?.code).toBe(43);
    expect(alert('hostname')?.code).toBe(42);
    expect(alert('criticalExt')?.code).toBe(46);
    expect(alert('correct', 'untrusted')).toEqual({ description: 'unknown_ca', code: 48, from: 'acs' });
  });

  it('both sides faulty: OpenSSL — the CPE verifies first; Node TLS 1.2 — the ACS closes first (observed)', async () => {
    const sc = scenario('expired', 'untrusted');
    expect(explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'openssl' }).verdict.abortedBy).toBe('cpe');
    expect(explain(sc, { tls: '1.2', kx: 'ecdhe', verifier: 'openssl' }).verdict.abortedBy).toBe('cpe');
    expect(explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'node' }).verdict.abortedBy).toBe('cpe');
    expect(explain(sc, { tls: '1.2', kx: 'ecdhe', verifier: 'node' }).verdict.abortedBy).toBe('acs');
  });
});

describe('explain: non-certificate faults against real Node sessions', () => {
  /** Node client + server with TLS overrides applied the way the lab does (ciphers string carries 1.3 suites). */
  function run(sc: Scenario, version: '1.2' | '1.3', sendCert = true): Promise<{ client: string | null; server: string | null }> {
    const ver = (v: string | undefined, d: string) => ((v ?? d) === '1.3' ? 'TLSv1.3' : 'TLSv1.2') as tls.SecureVersion;
    const a = sc.tls.acs;
    const c = sc.tls.cpe;
    return new Promise((resolve) => {
      const out = { client: null as string | null, server: null as string | null };
      const server = tls.createServer({ cert: sc.acs.chain.join(''), key: sc.acs.key, ca: sc.acs.trust, requestCert: true, rejectUnauthorized: true, minVersion: ver(a.minVersion, version), maxVersion: ver(a.maxVersion, version), ...(a.ciphers ? { ciphers: a.ciphers } : {}) }, (s) => s.end());
      server.on('tlsClientError', (e: NodeJS.ErrnoException) => (out.server ??= e.code ?? null));
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        let cl: tls.TLSSocket;
        try {
          cl = tls.connect({ port, host: '127.0.0.1', servername: sc.acsHostname, ca: sc.cpe.trust, ...(sendCert ? { cert: sc.cpe.chain.join(''), key: sc.cpe.key } : {}), minVersion: ver(c.minVersion, '1.2'), maxVersion: ver(c.maxVersion, version), ...(c.ciphers ? { ciphers: c.ciphers } : {}) });
        } catch (err) {
          out.client = (err as NodeJS.ErrnoException).code ?? null;
          server.close();
          resolve(out);
          return;
        }
        cl.on('error', (e: NodeJS.ErrnoException) => (out.client ??= e.code ?? null));
        cl.on('data', () => {});
        cl.on('close', () => setTimeout(() => { server.close(); resolve(out); }, 50));
      });
    });
  }

  it('TLS version mismatch: protocol_version (70) from the ACS', async () => {
    const sc = scenario('correct', 'correct', { tls: { cpe: { maxVersion: '1.2' } } });
    for (const verifier of ['node', 'openssl'] as const) {
      const e = explain(sc, { tls: '1.3', kx: 'ecdhe', verifier });
      expect(e.verdict.alert).toEqual({ description: 'protocol_version', code: 70, from: 'acs' });
      expect(e.first?.id).toBe('tls-version');
    }
    const real = await run(sc, '1.3');
    expect(real.client).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    expect(real.server).toBe(explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'node' }).verdict.nodeError);
  });

  it('no common cipher (TLS 1.2): handshake_failure (40) from the ACS', async () => {
    const sc = scenario('correct', 'correct', { tls: { acs: { ciphers: 'AES256-GCM-SHA384' }, cpe: { ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' } } });
    const e = explain(sc, { tls: '1.2', kx: 'ecdhe', verifier: 'node' });
    expect(e.verdict.alert).toEqual({ description: 'handshake_failure', code: 40, from: 'acs' });
    const real = await run(sc, '1.2');
    expect(real.client).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
    expect(real.server).toBe(e.verdict.nodeError);
  });

  it('CPE sends no certificate: certificate_required (116) in TLS 1.3, handshake_failure (40) in TLS 1.2', async () => {
    const sc = scenario('correct', 'correct', { tls: { cpe: { sendCertificate: false } } });
    const e13 = explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'node' });
    const e12 = explain(sc, { tls: '1.2', kx: 'ecdhe', verifier: 'openssl' });
    expect(e13.verdict.alert).toEqual({ description: 'certificate_required', code: 116, from: 'acs' });
    expect(e12.verdict.alert).toEqual({ description: 'handshake_failure', code: 40, from: 'acs' });
    const r13 = await run(sc, '1.3', false);
    expect(r13.client).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    expect(r13.server).toBe(e13.verdict.nodeError);
    const r12 = await run(sc, '1.2', false);
    expect(r12.client).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  });

  it('CPE key does not match its certificate: the CPE cannot start (no alert, no bytes)', async () => {
    const sc = scenario('correct');
    sc.cpe.key = m.acs.expired!.keyPem;
    const e = explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'node' });
    expect(e.verdict).toMatchObject({ ok: false, abortedBy: 'cpe', alert: null, nodeError: 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' });
    const real = await run(sc, '1.3');
    expect(real.client).toBe('ERR_OSSL_X509_KEY_VALUES_MISMATCH');
  });

  it('verification disabled on the CPE: the handshake completes, the errors are listed and still reported', () => {
    const sc = scenario('expiredWrongEku', 'correct', { tls: { cpe: { verifyPeer: false } } });
    const e = explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'openssl' });
    expect(e.checks.map((c) => c.x509?.code)).toEqual([26, 10]);
    // Not a success (the peer is not verified), not an abort, not an attacker.
    expect(e.verdict).toMatchObject({ ok: false, compromised: false, abortedBy: null, alert: null });
    expect(e.verdict.verifyError).toEqual({ name: 'X509_V_ERR_INVALID_PURPOSE', code: 26, side: 'cpe' });
    const n = explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'node' });
    expect(n.verdict).toMatchObject({ ok: false, compromised: false, abortedBy: null, alert: null, nodeError: 'CERT_HAS_EXPIRED' });
    expect(n.verdict.verifyError).toEqual({ name: 'X509_V_ERR_CERT_HAS_EXPIRED', code: 10, side: 'cpe' });
    expect(n.summary.en).toMatch(/reports X509_V_ERR_CERT_HAS_EXPIRED \(10\) and ignores it/);
  });

  it('on-path attacker, CPE verification off: compromised; the CPE still reports what it ignored', () => {
    const sc = scenario('correct', 'correct', { tls: { cpe: { verifyPeer: false } } });
    sc.attacker = { chain: [m.acs.unknownCa!.certPem], key: m.acs.unknownCa!.keyPem };
    const o = explain(sc, { tls: '1.2', kx: 'ecdhe', verifier: 'openssl' });
    expect(o.verdict).toMatchObject({ ok: false, compromised: true, abortedBy: null, alert: null });
    expect(o.verdict.verifyError?.name).toBe('X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    const n = explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'node' });
    expect(n.verdict).toMatchObject({ ok: false, compromised: true, abortedBy: null, alert: null });
    expect(n.verdict.verifyError?.name).toBe('X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(n.summary.en).toMatch(/compromised/);
    expect(n.summary.zh).toMatch(/攻破/);
  });

  it('Node reports X509 errors by the names it knows; others as X509_V_ERR_UNSPECIFIED (1)', () => {
    // By name, not by number: INVALID_CA is 79 in OpenSSL 3.0 (24 is now NO_ISSUER_PUBLIC_KEY).
    expect(nodeCodeFor(79)).toBe('INVALID_CA');
    expect(nodeCodeFor(24)).toBe('UNSPECIFIED');
    expect(nodeCodeFor(20)).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    for (const code of [32, 34, 47, 48, 64, 66, 67, 68]) expect(nodeVerifyError(code)).toEqual({ name: 'X509_V_ERR_UNSPECIFIED', code: 1 });
    const crit = explain(scenario('criticalExt'), { tls: '1.3', kx: 'ecdhe', verifier: 'node' });
    expect(crit.verdict.nodeError).toBe('UNSPECIFIED');
    expect(crit.verdict.verifyError).toEqual({ name: 'X509_V_ERR_UNSPECIFIED', code: 1, side: 'cpe' });
    expect(crit.last?.x509?.code).toBe(34); // the real error stays in the check
    expect(crit.why.en).toMatch(/unhandled critical extension/);
    const host = explain(scenario('hostname'), { tls: '1.3', kx: 'ecdhe', verifier: 'node' });
    expect(host.verdict.nodeError).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(host.verdict.verifyError).toEqual({ name: 'X509_V_ERR_HOSTNAME_MISMATCH', code: 62, side: 'cpe' });
    const ip = scenario('correct');
    ip.acsHostname = '192.0.2.1'; // TEST-NET-1: in no certificate of the lab
    for (const verifier of ['node', 'openssl'] as const) {
      expect(explain(ip, { tls: '1.3', kx: 'ecdhe', verifier }).verdict.verifyError).toEqual({ name: 'X509_V_ERR_IP_ADDRESS_MISMATCH', code: 64, side: 'cpe' });
    }
  });

  it('on-path attacker: the CPE verifies the attacker\'s chain', () => {
    const sc = scenario('correct');
    sc.attacker = { chain: [m.acs.selfSigned!.certPem], key: m.acs.selfSigned!.keyPem };
    const e = explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'openssl' });
    expect(e.first?.x509?.code).toBe(18);
    expect(e.verdict.alert).toEqual({ description: 'unknown_ca', code: 48, from: 'cpe' });
    expect(e.summary.zh).toMatch(/中间人/);
  });

  it('an untrusted root sent in the chain: 19 first for OpenSSL, and for Node', async () => {
    const sc = scenario('unknownCa', 'correct', { acsChain: [m.acs.unknownCa!.certPem, m.rogue.certPem] });
    const e = explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'node' });
    expect(e.first?.x509?.code).toBe(19);
    if (RUN) expect(oracle(sc, 'cpe')).toEqual({ code: 19, depth: 1 });
    expect((await nodeSession(sc, '1.3')).client).toBe(e.verdict.nodeError);
  });
});

// --------------------------------------------------------------- every catalog fault (once built)

const BUILD = join(import.meta.dirname, 'build.ts');
describe.runIf(existsSync(BUILD))('explain: every catalog fault', () => {
  type Build = (ids: string[]) => Promise<Scenario> | Scenario;
  const load = async (): Promise<{ buildScenario: Build; list: Array<{ id: string; group: string }> }> => {
    const build = (await import(/* @vite-ignore */ BUILD)) as Record<string, unknown>;
    const catalog = (await import(/* @vite-ignore */ join(import.meta.dirname, 'catalog.ts'))) as Record<string, unknown>;
    const list = Object.values(catalog).find((v) => Array.isArray(v) && v.every((f) => typeof (f as { id?: unknown }).id === 'string')) as Array<{ id: string; group: string }>;
    return { buildScenario: build.buildScenario as Build, list };
  };

  it.runIf(RUN)('OpenSSL first-error prediction = openssl verify on the built chain, for each verifying side', async () => {
    const { buildScenario, list } = await load();
    expect(list?.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const f of list) {
      if (f.group === 'handshake') continue;
      const sc = await buildScenario([f.id]);
      // At Node 20's security level, as the oracle's -auth_level 1.
      const e: Explanation = explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'openssl', securityLevel: 1 });
      for (const side of ['cpe', 'acs'] as const) {
        if (sc.tls[side].verifyPeer === false) continue;
        if (side === 'acs' && (sc.attacker || sc.tls.cpe.sendCertificate === false)) continue;
        const first = e.checks.find((c) => c.phase === 'verify' && c.side === side && c.x509) ?? null;
        const real = oracle(sc, side);
        const predicted = first ? `${first.x509!.code}@${first.depth}` : 'OK';
        const seen = real ? `${real.code}@${real.depth}` : 'OK';
        if (predicted !== seen) failures.push(`${f.id} (${side} verifies): predicted ${predicted}, openssl verify ${seen}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it.runIf(RUN)('name constraints: 47 after internal_verify (openssl verify on name constraints + expired leaf)', async () => {
    const { buildScenario } = await load();
    const sc = await buildScenario(['name-constraints-violation']);
    const o = explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'openssl' });
    expect(o.verdict).toMatchObject({ ok: false, abortedBy: 'cpe', alert: { description: 'certificate_unknown', code: 46, from: 'cpe' } });
    expect(o.verdict.verifyError).toEqual({ name: 'X509_V_ERR_PERMITTED_VIOLATION', code: 47, side: 'cpe' });
    expect(o.first?.reason.en).toMatch(/permitted dNSName subtree/);
    const n = explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'node' });
    expect(n.verdict).toMatchObject({ ok: false, abortedBy: 'cpe', alert: null, nodeError: 'UNSPECIFIED' });
    expect(n.verdict.verifyError?.name).toBe('X509_V_ERR_UNSPECIFIED');
    // The same chain a year later: every certificate has expired. OpenSSL's order, confirmed by
    // `openssl verify -attime`: the validity errors (internal_verify) come first, then 47.
    const later = new Date(Date.now() + 3 * 365 * 86_400_000);
    const e = explain(sc, { tls: '1.3', kx: 'ecdhe', verifier: 'openssl', now: later });
    const codes = e.checks.filter((c) => c.side === 'cpe' && c.phase === 'verify').map((c) => c.x509!.code);
    expect(codes[codes.length - 1]).toBe(47);
    expect(codes.slice(0, -1).every((c) => c === 10)).toBe(true);
    const args = ['verify', '-auth_level', '1', '-attime', String(Math.floor(later.getTime() / 1000)), '-purpose', 'sslserver'];
    args.push('-CAfile', dir.write('nc-trust.pem', sc.cpe.trust.join('')), '-untrusted', dir.write('nc-untrusted.pem', sc.acs.chain.slice(1).join('')));
    args.push(dir.write('nc-leaf.pem', sc.acs.chain[0]!));
    const real = [...openssl(args, dir.dir).output.matchAll(/error (\d+) at (\d+) depth lookup/g)].map((m) => Number(m[1]));
    expect(real).toEqual(codes);
  });

  it('crl-missing: OpenSSL fails closed (3); Node is given no CRL, cannot check, and accepts (fails open)', async () => {
    const { buildScenario } = await load();
    const sc = await buildScenario(['crl-missing']);
    const o = explain(sc, { tls: '1.2', kx: 'ecdhe', verifier: 'openssl' });
    expect(o.verdict.verifyError).toEqual({ name: 'X509_V_ERR_UNABLE_TO_GET_CRL', code: 3, side: 'acs' });
    const n = explain(sc, { tls: '1.2', kx: 'ecdhe', verifier: 'node' });
    expect(n.verdict).toMatchObject({ ok: true, compromised: false, abortedBy: null, verifyError: null });
    expect(n.checks).toEqual([]);
    expect(n.why.en).toMatch(/fails open/);
    expect(n.why.zh).toMatch(/失败即放行/);
    expect(n.summary.zh).toMatch(/X509_V_FLAG_CRL_CHECK/);
  });
});
