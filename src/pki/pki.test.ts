/** Unit tests of the builder, parsers, errors and key pool (no openssl needed). */
import fc from 'fast-check';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchIssuance } from './bench.ts';
import { chainOf, issueCert, loadIssuedCert, parseCertificatePem, parsePrivateKeyPem, tlsCredentials, type IssuedCert } from './cert.ts';
import { PkiError, type PkiErrorCode } from './errors.ts';
import { KeyPool, generateRsaKey, type RsaKey } from './keys.ts';
import { DEFAULT_CPE, acsSpec, cpeCommonName, createLabCa, issueSessionCerts, sharedLabCa } from './lab.ts';

function codeOf(fn: () => unknown): PkiErrorCode | string {
  try {
    fn();
  } catch (err) {
    return err instanceof PkiError ? err.code : `not a PkiError: ${String(err)}`;
  }
  return 'did not throw';
}
async function asyncCodeOf(p: Promise<unknown>): Promise<PkiErrorCode | string> {
  return p.then(
    () => 'did not throw',
    (err: unknown) => (err instanceof PkiError ? err.code : `not a PkiError: ${String(err)}`),
  );
}

describe('pki', () => {
  const pool = new KeyPool({ size: 2 });
  let ca: IssuedCert;
  let spareKey: RsaKey;
  beforeAll(async () => {
    [ca, spareKey] = await Promise.all([createLabCa({ pool }), generateRsaKey()]);
  });
  afterAll(() => pool.close());

  it('bad PEM input → PkiError ERR_BAD_PEM', () => {
    const body = ca.certPem.split('\n').slice(1, -2).join('\n');
    expect(codeOf(() => parseCertificatePem('not a pem'))).toBe('ERR_BAD_PEM');
    expect(codeOf(() => parseCertificatePem(undefined as unknown as string))).toBe('ERR_BAD_PEM');
    expect(codeOf(() => parseCertificatePem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'))).toBe('ERR_BAD_PEM');
    expect(codeOf(() => parseCertificatePem(`-----BEGIN CERTIFICATE-----\n${body.slice(0, 100)}\n-----END CERTIFICATE-----\n`))).toBe('ERR_BAD_PEM');
    expect(codeOf(() => parsePrivateKeyPem(ca.certPem))).toBe('ERR_BAD_PEM');
    expect(codeOf(() => parsePrivateKeyPem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'))).toBe('ERR_BAD_PEM');
    expect(codeOf(() => loadIssuedCert('garbage', ca.keyPem))).toBe('ERR_BAD_PEM');
    const err = (() => {
      try {
        parseCertificatePem('x');
      } catch (e) {
        return e as PkiError;
      }
    })();
    expect(err).toBeInstanceOf(PkiError);
    expect(err?.message).toMatch(/^ERR_BAD_PEM: /);
  });

  it('bad spec input → specific codes, before any key is generated', async () => {
    const base = acsSpec(ca);
    expect(await asyncCodeOf(issueCert({ ...base, digest: 'sha3' as 'sha256' }))).toBe('ERR_BAD_DIGEST');
    expect(await asyncCodeOf(issueCert({ ...base, keyBits: 256 }))).toBe('ERR_BAD_KEY_SIZE');
    expect(await asyncCodeOf(issueCert({ ...base, keyBits: 2048.5 }))).toBe('ERR_BAD_KEY_SIZE');
    expect(await asyncCodeOf(pool.take(511))).toBe('ERR_BAD_KEY_SIZE');
    expect(await asyncCodeOf(issueCert({ ...base, san: { ip: ['999.1.1.1'] } }))).toBe('ERR_BAD_SPEC');
    expect(await asyncCodeOf(issueCert({ ...base, serial: 'xyz' }))).toBe('ERR_BAD_SPEC');
    expect(await asyncCodeOf(issueCert({ ...base, subject: { CN: '' } }))).toBe('ERR_BAD_SPEC');
    expect(await asyncCodeOf(issueCert({ ...base, notAfter: new Date('nope') }))).toBe('ERR_BAD_SPEC');
    expect(codeOf(() => cpeCommonName({ oui: '00d09e' }))).toBe('ERR_BAD_SPEC');
    // A 512-bit key cannot carry a SHA-512 PKCS#1 signature: the signer's refusal is reported.
    const small = await generateRsaKey(512);
    expect(await asyncCodeOf(issueCert({ subject: { CN: 'x' }, digest: 'sha512' }, { key: small }))).toBe('ERR_SIGN_FAILED');
  });

  it('loadIssuedCert round-trips a CA and detects a mismatched key', async () => {
    const loaded = loadIssuedCert(ca.certPem, ca.keyPem);
    expect(loaded.certPem).toBe(ca.certPem);
    expect(loaded.spec).toMatchObject({ subject: { CN: 'Handshake Lab Root CA', O: 'Handshake Lab' }, isCA: true });
    const leaf = await issueCert(acsSpec(loaded), { key: spareKey });
    expect(ca.cert.verify(leaf.cert)).toBe(true);
    expect(codeOf(() => loadIssuedCert(ca.certPem, spareKey.privateKeyPem))).toBe('ERR_KEY_MISMATCH');
  });

  it('forge accepts the natively computed signatures; a flipped bit breaks them', async () => {
    const good = await issueCert(acsSpec(ca), { key: spareKey });
    const bad = await issueCert({ ...acsSpec(ca), flipSignatureBit: true }, { key: spareKey });
    expect(ca.cert.verify(good.cert)).toBe(true);
    const verifies = (c: IssuedCert) => {
      try {
        return ca.cert.verify(c.cert); // forge throws on a garbled PKCS#1 block
      } catch {
        return false;
      }
    };
    expect(verifies(bad)).toBe(false);
    expect(parseCertificatePem(good.certPem).serialNumber).toBe(good.cert.serialNumber);
  });

  it('serials: default is random, positive, 16 bytes; explicit hex is kept (property)', async () => {
    const a = await issueCert({ subject: { CN: 'a' } }, { key: spareKey });
    const b = await issueCert({ subject: { CN: 'b' } }, { key: spareKey });
    for (const c of [a, b]) expect(c.cert.serialNumber).toMatch(/^[0-7][0-9a-f]{31}$/);
    expect(a.cert.serialNumber).not.toBe(b.cert.serialNumber);
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[1-7][0-9a-f]{0,30}$/), fc.string({ minLength: 1, maxLength: 40 }), async (serial, cn) => {
        const c = await issueCert({ subject: { CN: cn }, serial }, { key: spareKey });
        const parsed = parseCertificatePem(c.certPem);
        expect(parsed.serialNumber).toBe(serial.length % 2 ? `0${serial}` : serial);
        expect(parsed.subject.getField('CN').value).toBe(forge.util.encodeUtf8(cn));
      }),
      { numRuns: 25 },
    );
  });

  it('session certificates: chain, TLS credentials, TR-069 CN, distinct fresh keys', async () => {
    const s = await issueSessionCerts(ca, pool);
    expect(chainOf(s.acs)).toEqual([s.acs, ca]);
    expect(tlsCredentials(s.cpe)).toEqual({ cert: s.cpe.certPem, key: s.cpe.keyPem, ca: ca.certPem });
    expect(s.server.ca).toBe(ca.certPem);
    expect(s.cpe.cert.subject.getField('CN').value).toBe(`${DEFAULT_CPE.oui}-${DEFAULT_CPE.serial}`);
    expect(s.cpe.cert.subject.getField('O').value).toBe(DEFAULT_CPE.manufacturer);
    expect(s.acs.keyPem).not.toBe(s.cpe.keyPem);
    expect(s.acs.keyPem).not.toBe(ca.keyPem);
  });

  it('sharedLabCa returns one CA per process', async () => {
    const [x, y] = await Promise.all([sharedLabCa(pool), sharedLabCa(pool)]);
    expect(x).toBe(y);
    expect(await sharedLabCa()).toBe(x);
  });

  it('KeyPool: warm fills, take drains and refills, close stops', async () => {
    const p = new KeyPool({ size: 2, concurrency: 2 });
    await p.warm(1024);
    expect(p.available(1024)).toBe(2);
    const k1 = await p.take(1024);
    expect(k1.bits).toBe(1024);
    expect(p.available(1024)).toBe(1);
    await p.warm(1024);
    expect(p.available(1024)).toBe(2);
    const k2 = await p.take(1024);
    expect(k2.privateKeyPem).not.toBe(k1.privateKeyPem);
    await p.close();
    expect(p.available(1024)).toBe(0);
    expect(await asyncCodeOf(p.take(1024))).toBe('ERR_POOL_CLOSED');
  });

  it('benchIssuance reports a sane median ≤ p95', async () => {
    const r = await benchIssuance(5);
    expect(r.median).toBeGreaterThan(0);
    expect(r.p95).toBeGreaterThanOrEqual(r.median);
  });
});
