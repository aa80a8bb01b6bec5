/** The lab PKI as judged by the real OpenSSL command-line tool. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyPool } from './keys.ts';
import { createLabPki, type LabPki } from './lab.ts';
import { openssl, opensslTestsEnabled, pemDir } from './openssl.testkit.ts';

const enabled = opensslTestsEnabled('src/pki/lab.openssl.test.ts (openssl verify / x509 -text of the lab PKI)');

describe.runIf(enabled)('lab PKI under openssl', () => {
  const tmp = pemDir();
  const pool = new KeyPool({ size: 3 });
  let pki: LabPki;
  const run = (...args: string[]) => openssl(args, tmp.dir);
  const text = (file: string) => run('x509', '-noout', '-text', '-in', file).output;

  beforeAll(async () => {
    pki = await createLabPki({ pool });
    tmp.write('ca.pem', pki.root.certPem);
    tmp.write('acs.pem', pki.acs.certPem);
    tmp.write('cpe.pem', pki.cpe.certPem);
  });
  afterAll(async () => {
    tmp.cleanup();
    await pool.close();
  });

  it('openssl verify accepts the ACS and CPE certificates', () => {
    for (const leaf of ['acs.pem', 'cpe.pem']) {
      const r = run('verify', '-CAfile', 'ca.pem', leaf);
      expect(r.output.trim()).toBe(`${leaf}: OK`);
      expect(r.status).toBe(0);
    }
  });

  it('ACS is fit for sslserver only, CPE for sslclient only', () => {
    expect(run('verify', '-purpose', 'sslserver', '-CAfile', 'ca.pem', 'acs.pem').output).toContain('acs.pem: OK');
    expect(run('verify', '-purpose', 'sslclient', '-CAfile', 'ca.pem', 'cpe.pem').output).toContain('cpe.pem: OK');
    for (const [purpose, leaf] of [['sslclient', 'acs.pem'], ['sslserver', 'cpe.pem']] as const) {
      const r = run('verify', '-purpose', purpose, '-CAfile', 'ca.pem', leaf);
      expect(r.status).not.toBe(0);
      expect(r.output).toContain('unsuitable certificate purpose');
    }
  });

  it('root CA has the intended extensions', () => {
    const t = text('ca.pem');
    expect(t).toContain('Subject: O = Handshake Lab, CN = Handshake Lab Root CA');
    expect(t).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
    expect(t).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
    expect(t).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(t).toContain('Public-Key: (2048 bit)');
    expect(t).not.toContain('Authority Key Identifier');
  });

  it('ACS certificate has the intended extensions', () => {
    const t = text('acs.pem');
    expect(t).toContain('Subject: O = Handshake Lab ACS, CN = acs.lab.test');
    expect(t).toContain('Issuer: O = Handshake Lab, CN = Handshake Lab Root CA');
    expect(t).toMatch(/Subject Alternative Name: \s+DNS:acs\.lab\.test, IP Address:127\.0\.0\.1\n/);
    expect(t).toMatch(/Extended Key Usage: \s+TLS Web Server Authentication\n/);
    expect(t).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment\n/);
    expect(t).toMatch(/Basic Constraints: \s+CA:FALSE/);
    expect(t).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(t).toContain('Public-Key: (2048 bit)');
  });

  it('CPE certificate has the TR-069 CN and clientAuth', () => {
    const t = text('cpe.pem');
    expect(t).toContain('Subject: O = Handshake Lab, CN = 00D09E-HL0001');
    expect(t).toMatch(/Extended Key Usage: \s+TLS Web Client Authentication\n/);
    expect(t).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment\n/);
    expect(t).not.toContain('Subject Alternative Name');
    expect(t).toContain('Public-Key: (2048 bit)');
  });

  it("leaves' Authority Key Identifier equals the root's Subject Key Identifier", () => {
    const keyId = (t: string, which: 'Subject' | 'Authority') =>
      new RegExp(`X509v3 ${which} Key Identifier: \\s+(?:keyid:)?([0-9A-F:]{59})`).exec(t)?.[1];
    const rootSki = keyId(text('ca.pem'), 'Subject');
    expect(rootSki).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){19}$/);
    for (const leaf of ['acs.pem', 'cpe.pem']) {
      expect(keyId(text(leaf), 'Authority')).toBe(rootSki);
      expect(keyId(text(leaf), 'Subject')).not.toBe(rootSki);
    }
  });

  it('certDer is exactly the DER openssl reads from certPem', () => {
    const der = run('x509', '-in', 'acs.pem', '-outform', 'DER', '-out', 'acs.der');
    expect(der.status).toBe(0);
    const fromOpenssl = openssl(['base64', '-A', '-in', 'acs.der'], tmp.dir).output.trim();
    expect(fromOpenssl).toBe(Buffer.from(pki.acs.certDer).toString('base64'));
  });
});
