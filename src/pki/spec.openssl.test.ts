/** CertSpec variations produce what they say, as judged by the real openssl binary. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCert, type CertSpec, type IssuedCert } from './cert.ts';
import { KeyPool } from './keys.ts';
import { acsSpec, createLabCa } from './lab.ts';
import { openssl, opensslTestsEnabled, pemDir } from './openssl.testkit.ts';

const enabled = opensslTestsEnabled('src/pki/spec.openssl.test.ts (CertSpec variations under openssl)');
const DAY = 86_400_000;

describe.runIf(enabled)('CertSpec variations under openssl', () => {
  const tmp = pemDir();
  const pool = new KeyPool({ size: 4 });
  let ca: IssuedCert;
  let n = 0;

  beforeAll(async () => {
    ca = await createLabCa({ pool });
    tmp.write('ca.pem', ca.certPem);
  });
  afterAll(async () => {
    tmp.cleanup();
    await pool.close();
  });

  /** Issues a variant of the good ACS spec; returns its file name, text and verify output. */
  async function variant(overrides: Partial<CertSpec>, untrusted?: IssuedCert) {
    const cert = await issueCert({ ...acsSpec(ca), ...overrides }, { pool });
    const file = tmp.write(`v${++n}.pem`, cert.certPem);
    const args = ['verify', '-CAfile', 'ca.pem'];
    if (untrusted) args.push('-untrusted', tmp.write(`u${n}.pem`, untrusted.certPem));
    return {
      cert,
      text: openssl(['x509', '-noout', '-text', '-in', file], tmp.dir).output,
      verify: openssl([...args, file], tmp.dir),
    };
  }

  it('baseline ACS spec verifies', async () => {
    const v = await variant({});
    expect(v.verify.status).toBe(0);
    expect(v.verify.output).toContain(': OK');
  });

  it('digest sha1 / sha384 / md5 select the signature algorithm', async () => {
    expect((await variant({ digest: 'sha1' })).text).toContain('Signature Algorithm: sha1WithRSAEncryption');
    expect((await variant({ digest: 'sha384' })).text).toContain('Signature Algorithm: sha384WithRSAEncryption');
    expect((await variant({ digest: 'md5' })).text).toContain('Signature Algorithm: md5WithRSAEncryption');
  });

  it('keyBits 1024 / 512 give keys of that size', async () => {
    expect((await variant({ keyBits: 1024 })).text).toContain('Public-Key: (1024 bit)');
    expect((await variant({ keyBits: 512 })).text).toContain('Public-Key: (512 bit)');
  });

  it('notAfter in the past → "certificate has expired"', async () => {
    const v = await variant({ notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - DAY) });
    expect(v.verify.status).not.toBe(0);
    expect(v.verify.output).toContain('certificate has expired');
  });

  it('notBefore in the future → "certificate is not yet valid"', async () => {
    const v = await variant({ notBefore: new Date(Date.now() + DAY) });
    expect(v.verify.output).toContain('certificate is not yet valid');
  });

  it('no issuer → self-signed', async () => {
    const v = await variant({ issuer: undefined });
    expect(v.text).toContain('Issuer: O = Handshake Lab ACS, CN = acs.lab.test');
    expect(v.text).not.toContain('Authority Key Identifier');
    expect(v.verify.output).toContain('self-signed certificate');
  });

  it('issued by another CA → "unable to get local issuer certificate"', async () => {
    const stranger = await issueCert({ subject: { CN: 'Handshake Lab Root CA' }, isCA: true }, { pool });
    const v = await variant({ issuer: stranger });
    expect(v.verify.output).toContain('unable to get local issuer certificate');
  });

  it('flipSignatureBit → "certificate signature failure"', async () => {
    const v = await variant({ flipSignatureBit: true });
    expect(v.verify.output).toContain('certificate signature failure');
  });

  it('san null → CN-only certificate; keyUsage null / extKeyUsage null omit those', async () => {
    const v = await variant({ san: null, keyUsage: null, extKeyUsage: null });
    expect(v.text).toContain('CN = acs.lab.test');
    expect(v.text).not.toContain('Subject Alternative Name');
    expect(v.text).not.toContain('Key Usage');
  });

  it('keyUsage without digitalSignature and a wrong EKU appear as specified', async () => {
    const v = await variant({ keyUsage: ['keyEncipherment'], extKeyUsage: ['codeSigning', '1.3.6.1.4.1.55555.7'] });
    expect(v.text).toMatch(/X509v3 Key Usage: critical\s+Key Encipherment\n/);
    expect(v.text).toMatch(/Extended Key Usage: \s+Code Signing, 1\.3\.6\.1\.4\.1\.55555\.7\n/);
  });

  it('an unknown critical extension → "unhandled critical extension"', async () => {
    const v = await variant({ extraExtensions: [{ oid: '1.3.6.1.4.1.55555.1', critical: true }] });
    expect(v.text).toMatch(/1\.3\.6\.1\.4\.1\.55555\.1: critical/);
    expect(v.verify.output).toContain('unhandled critical extension');
  });

  it('explicit serial and validity are written verbatim', async () => {
    const notBefore = new Date('2024-01-02T03:04:05Z');
    const notAfter = new Date('2060-01-01T00:00:00Z'); // ≥ 2050 → GeneralizedTime
    const v = await variant({ serial: '1a2b3c', notBefore, notAfter });
    expect(v.text).toMatch(/Serial Number: 1715004 \(0x1a2b3c\)/);
    expect(v.text).toContain('Not Before: Jan  2 03:04:05 2024 GMT');
    expect(v.text).toContain('Not After : Jan  1 00:00:00 2060 GMT');
  });

  it('intermediate with CA:FALSE → "invalid CA certificate"', async () => {
    const notCa = await issueCert({ subject: { CN: 'Not A CA' }, issuer: ca, isCA: false, keyUsage: ['keyCertSign'] }, { pool });
    const v = await variant({ issuer: notCa }, notCa);
    expect(v.verify.output).toContain('invalid CA certificate');
  });

  it('pathLen exceeded → "path length constraint exceeded"', async () => {
    const int1 = await issueCert({ subject: { CN: 'Int 1' }, issuer: ca, isCA: true, pathLen: 0 }, { pool });
    const int2 = await issueCert({ subject: { CN: 'Int 2' }, issuer: int1, isCA: true }, { pool });
    expect(openssl(['x509', '-noout', '-text', '-in', tmp.write('int1.pem', int1.certPem)], tmp.dir).output).toMatch(
      /CA:TRUE, pathlen:0/,
    );
    const chain = { ...int1, certPem: int1.certPem + int2.certPem };
    const v = await variant({ issuer: int2 }, chain);
    expect(v.verify.output).toContain('path length constraint exceeded');
  });
});
