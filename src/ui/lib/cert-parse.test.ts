import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as px from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { buildScenario } from '../../pki/faults/index.ts';
import type { Scenario } from '../../pki/faults/types.ts';
import { matchHost, minRsaBits, parseCertificate, verifyChain, type ChainReport, type CheckId } from './cert-parse.ts';

/**
 * cert-parse on the lab's real certificates (src/pki builds them, exactly as a session uses them)
 * and on fault scenarios: each fault must show up as the failing browser check, at the right depth.
 */

const at = new Date();

function acsSide(s: Scenario, level = 2): ChainReport {
  return verifyChain({ chain: s.acs.chain, trust: s.cpe.trust, expectedName: s.acsHostname, purpose: 'serverAuth', securityLevel: level, at });
}
function cpeSide(s: Scenario, level = 2): ChainReport {
  return verifyChain({ chain: s.cpe.chain, trust: s.acs.trust, expectedName: null, purpose: 'clientAuth', securityLevel: level, at });
}
/** `depth:id` of every failing check, and the anchor's when it fails. */
function failures(r: ChainReport): string[] {
  const out = r.path.flatMap((n) => n.checks.filter((c) => c.status === 'fail').map((c) => `${n.depth}:${c.id}`));
  if (r.anchor.status === 'fail') out.push('anchor');
  return out;
}
function statusOf(r: ChainReport, depth: number, id: CheckId): string | undefined {
  return r.path[depth]?.checks.find((c) => c.id === id)?.status;
}

describe('cert-parse on the lab certificates', () => {
  it('reads every field of the ACS leaf', async () => {
    const s = await buildScenario([]);
    const p = parseCertificate(s.acs.chain[0]!);
    if (!p.ok) throw new Error(p.message);
    const c = p.cert;
    expect(c.subject.cn).toBe('acs.lab.test');
    expect(c.subject.text).toMatch(/^CN=acs\.lab\.test, O=/);
    expect(c.issuer.cn).toBe('Handshake Lab Root CA');
    expect(c.version).toBe(3);
    expect(c.serial).toMatch(/^[0-9a-f]+$/);
    expect(c.notBefore.getTime()).toBeLessThan(at.getTime());
    expect(c.notAfter.getTime()).toBeGreaterThan(at.getTime());
    expect(c.san).toContainEqual({ kind: 'DNS', value: 'acs.lab.test' });
    expect(c.extKeyUsage).toEqual(['serverAuth']);
    expect(c.keyUsage).toContain('digitalSignature');
    expect(c.basicConstraints?.ca).toBe(false);
    expect(c.key).toMatchObject({ type: 'RSA', bits: 2048, shownByForge: true });
    expect(c.signature).toMatchObject({ name: 'sha256WithRSAEncryption', hash: 'sha256' });
    expect(c.ski).toMatch(/^[0-9a-f]{40}$/);
    expect(c.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const root = parseCertificate(s.cpe.trust[0]!);
    if (!root.ok) throw new Error(root.message);
    expect(c.aki).toBe(root.cert.ski);
    expect(root.cert.selfIssued).toBe(true);
    expect(root.cert.basicConstraints?.ca).toBe(true);
    expect(root.cert.keyUsage).toEqual(expect.arrayContaining(['keyCertSign', 'cRLSign']));
  });

  it('the correct scenario passes every check on both sides, chain leaf → trusted root', async () => {
    const s = await buildScenario([]);
    for (const r of [acsSide(s), cpeSide(s)]) {
      expect(failures(r)).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.path.map((n) => `${n.role}/${n.source}`)).toEqual(['leaf/chain', 'root/trust']);
      expect(statusOf(r, 0, 'signature')).toBe('pass');
      expect(r.anchor.status).toBe('pass');
    }
    expect(statusOf(acsSide(s), 0, 'hostname')).toBe('pass');
    expect(statusOf(cpeSide(s), 0, 'hostname')).toBe('skip');
  });

  it('acs-expired: validity ✕ on the ACS leaf only', async () => {
    const s = await buildScenario(['acs-expired']);
    const r = acsSide(s);
    expect(failures(r)).toEqual(['0:validity']);
    expect(r.path[0]!.checks.find((c) => c.id === 'validity')).toMatchObject({ reason: 'certs.reason.expired' });
    expect(failures(cpeSide(s))).toEqual([]);
  });

  it('hostname faults: the name check ✕ (DNS and IP), CN-only only warns', async () => {
    expect(failures(acsSide(await buildScenario(['acs-hostname-mismatch'])))).toEqual(['0:hostname']);
    expect(failures(acsSide(await buildScenario(['acs-san-wrong-cn-right'])))).toEqual(['0:hostname']);
    const ip = acsSide(await buildScenario(['acs-ip-url']));
    expect(failures(ip)).toEqual(['0:hostname']);
    expect(ip.path[0]!.checks.find((c) => c.id === 'hostname')?.reason).toBe('certs.reason.ipMismatch');
    const cnOnly = acsSide(await buildScenario(['acs-cn-only']));
    expect(failures(cnOnly)).toEqual([]);
    expect(statusOf(cnOnly, 0, 'hostname')).toBe('warn');
  });

  it('trust faults: missing intermediate, untrusted self-signed, impostor root, intermediate-only trust', async () => {
    const incomplete = acsSide(await buildScenario(['acs-incomplete-chain']));
    expect(failures(incomplete)).toEqual(['0:issuer', 'anchor']);
    expect(incomplete.missingIssuer).toMatch(/Intermediate/i);
    const self = acsSide(await buildScenario(['acs-self-signed']));
    expect(self.anchor.reason).toBe('certs.reason.selfSignedUntrusted');
    const impostor = acsSide(await buildScenario(['acs-impostor-ca']));
    expect(impostor.anchor.reason).toBe('certs.reason.impostor');
    const partial = acsSide(await buildScenario(['cpe-trusts-intermediate-only']));
    expect(partial.path.map((n) => n.role)).toEqual(['leaf', 'anchor']);
    expect(partial.anchor.reason).toBe('certs.reason.partialChain');
  });

  it('CA, purpose, signature, key and digest faults fail the matching check at the right depth', async () => {
    expect(failures(acsSide(await buildScenario(['intermediate-not-ca'])))).toEqual(['1:ca']);
    expect(failures(acsSide(await buildScenario(['pathlen-exceeded'])))).toEqual(['2:pathLen']);
    expect(failures(acsSide(await buildScenario(['acs-bad-signature'])))).toEqual(['0:signature']);
    expect(failures(acsSide(await buildScenario(['acs-unknown-critical-extension'])))).toEqual(['0:critical']);
    expect(failures(cpeSide(await buildScenario(['cpe-wrong-eku'])))).toEqual(['0:purpose']);
    const weak = await buildScenario(['acs-rsa-1024']);
    expect(failures(acsSide(weak, 2))).toEqual(['0:keySize']);
    // Node.js 20 runs at security level 1: 1024 bits is enough there.
    expect(failures(acsSide(weak, 1))).toEqual([]);
    expect(failures(acsSide(await buildScenario(['acs-sha1-signature'])))).toEqual(['0:digest']);
  });
});

describe('cert-parse edge cases', () => {
  it('bad input gives a clear error code, never an exception', () => {
    expect(parseCertificate('hello')).toMatchObject({ ok: false, code: 'ERR_NOT_PEM' });
    expect(parseCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toMatchObject({ ok: false, code: 'ERR_BAD_CERTIFICATE' });
    expect(parseCertificate('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')).toMatchObject({ ok: false, code: 'ERR_NOT_CERTIFICATE' });
    const r = verifyChain({ chain: ['nope'], trust: [], expectedName: 'acs.lab.test', purpose: 'serverAuth', securityLevel: 2, at });
    expect(r.ok).toBe(false);
    expect(r.anchor.reason).toBe('certs.reason.unparsable');
    expect(verifyChain({ chain: [], trust: [], expectedName: null, purpose: 'clientAuth', securityLevel: 1, at }).anchor.reason).toBe('certs.reason.noChain');
  });

  it('an EC certificate: forge cannot read the key; everything else is shown and the key type is named', async () => {
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    px.cryptoProvider.set(webcrypto as unknown as Crypto);
    const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
    const cert = await px.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'CN=ec.lab.test',
      notBefore: new Date(at.getTime() - 3600e3),
      notAfter: new Date(at.getTime() + 86400e3),
      keys: keys as CryptoKeyPair,
      signingAlgorithm: alg,
      extensions: [new px.SubjectAlternativeNameExtension([{ type: 'dns', value: 'ec.lab.test' }]), new px.BasicConstraintsExtension(true, undefined, true)],
    });
    const pem = cert.toString('pem');
    const p = parseCertificate(pem);
    if (!p.ok) throw new Error(p.message);
    expect(p.cert.key).toMatchObject({ type: 'EC', curve: 'P-256', bits: 256, shownByForge: false });
    expect(p.cert.subject.cn).toBe('ec.lab.test');
    expect(p.cert.san).toEqual([{ kind: 'DNS', value: 'ec.lab.test' }]);
    expect(p.cert.signature.name).toBe('ecdsa-with-SHA256');
    const r = verifyChain({ chain: [pem], trust: [pem], expectedName: 'ec.lab.test', purpose: 'serverAuth', securityLevel: 2, at });
    expect(r.anchor.status).toBe('pass');
    expect(statusOf(r, 0, 'keySize')).toBe('skip');
    expect(statusOf(r, 0, 'hostname')).toBe('pass');
  });

  it('host names: wildcard in the left-most label only, IPs only against IP SANs', async () => {
    const s = await buildScenario([]);
    const p = parseCertificate(s.acs.chain[0]!);
    if (!p.ok) throw new Error(p.message);
    const c = { ...p.cert, san: [{ kind: 'DNS' as const, value: '*.lab.test' }] };
    expect(matchHost(c, 'acs.lab.test').ok).toBe(true);
    expect(matchHost(c, 'a.b.lab.test').ok).toBe(false);
    expect(matchHost(c, 'lab.test').ok).toBe(false);
    expect(matchHost(p.cert, '127.0.0.1')).toMatchObject({ ok: true, via: 'SAN' });
    expect(matchHost(p.cert, '10.0.0.1').ok).toBe(false);
    expect(minRsaBits(1)).toBe(1024);
    expect(minRsaBits(2)).toBe(2048);
  });
});
