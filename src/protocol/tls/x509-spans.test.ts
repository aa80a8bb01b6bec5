import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, GeneralName } from '@peculiar/asn1-x509';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScenario } from '../../pki/faults/index.ts';
import { fromHex } from './fields.ts';
import { Reader } from './reader.ts';
import { certificateSpans, type CertSpans, type Span } from './x509-spans.ts';
import { summarizeCertificate } from './x509.ts';
import rfc8448 from './testdata/rfc8448-simple-1rtt.json';
import openssl from './testdata/tls12-openssl.json';

/**
 * Certificate part spans, checked two independent ways: the bytes at each span re-encode exactly
 * as @peculiar/asn1-x509 encodes that part, and `openssl asn1parse` puts the same elements at the
 * same offsets.
 */

const derOfPem = (pem: string) => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
const at = (der: Uint8Array, s: Span) => der.subarray(s.start, s.end);
const encode = (v: object) => new Uint8Array(AsnConvert.serialize(v));

function tls12Ders(hex: string): Uint8Array[] {
  const r = new Reader(fromHex(hex));
  r.u8();
  const list = r.sub24('body').sub24('certificate_list');
  const out: Uint8Array[] = [];
  while (!list.done) out.push(list.sub24('cert').rest());
  return out;
}

const certs: { name: string; der: Uint8Array }[] = [];
beforeAll(async () => {
  certs.push({ name: 'RFC 8448 server', der: new Reader(fromHex(rfc8448.certificate), 8).sub24('cert_data').rest() });
  tls12Ders(openssl.sessions.ecdhe.server[1]!).forEach((der, i) => certs.push({ name: `openssl chain ${i}`, der }));
  // The lab's own certificates and a few faults with unusual shapes (intermediate, CN only, IP SAN, unknown critical extension, weak key).
  for (const faults of [[], ['acs-incomplete-chain'], ['acs-cn-only'], ['acs-ip-url'], ['acs-unknown-critical-extension'], ['acs-rsa-1024'], ['acs-md5-signature']]) {
    const s = await buildScenario(faults);
    [...s.acs.chain, ...s.cpe.chain].forEach((pem, i) => certs.push({ name: `${faults.join('+') || 'lab'} #${i}`, der: derOfPem(pem) }));
  }
}, 60_000);

describe('certificateSpans', () => {
  it('each span holds exactly the DER of its part (re-encoded by @peculiar/asn1-x509)', () => {
    expect(certs.length).toBeGreaterThan(15);
    for (const { name, der } of certs) {
      const s = certificateSpans(der);
      expect(s, name).not.toBeNull();
      const sp = s!;
      const cert = AsnConvert.parse(der, Certificate);
      const tbs = cert.tbsCertificate;
      expect(at(der, sp.tbsCertificate), name).toEqual(encode(tbs));
      expect(at(der, sp.subject), `${name} subject`).toEqual(encode(tbs.subject));
      expect(at(der, sp.issuer), `${name} issuer`).toEqual(encode(tbs.issuer));
      expect(at(der, sp.validity), `${name} validity`).toEqual(encode(tbs.validity));
      expect(at(der, sp.notBefore), `${name} notBefore`).toEqual(encode(tbs.validity.notBefore));
      expect(at(der, sp.notAfter), `${name} notAfter`).toEqual(encode(tbs.validity.notAfter));
      expect(at(der, sp.subjectPublicKeyInfo), `${name} spki`).toEqual(encode(tbs.subjectPublicKeyInfo));
      expect(at(der, sp.signature), `${name} tbs signature`).toEqual(encode(tbs.signature));
      expect(at(der, sp.signatureAlgorithm), `${name} signatureAlgorithm`).toEqual(encode(cert.signatureAlgorithm));
      expect(sp.signatureValue.end, name).toBe(der.length);
      expect(sp.extension.map((e) => at(der, e)), `${name} extensions`).toEqual((tbs.extensions ?? []).map(encode));
      // the serial's content octets are the serial number
      const serial = at(der, sp.serialNumber);
      expect(serial.subarray(2), `${name} serial`).toEqual(new Uint8Array(tbs.serialNumber));
      // SAN GeneralNames, one span each, in the summary's order
      const summary = summarizeCertificate(der);
      expect(sp.subjectAltNames, `${name} SAN count`).toHaveLength(summary.san.length);
      sp.subjectAltNames.forEach((g) => expect(() => AsnConvert.parse(at(der, g), GeneralName)).not.toThrow());
      // parts are in DER order and nested in the signed part
      const order = [sp.version, sp.serialNumber, sp.signature, sp.issuer, sp.validity, sp.subject, sp.subjectPublicKeyInfo, sp.extensions].filter((x): x is Span => x !== undefined);
      for (let i = 1; i < order.length; i++) expect(order[i]!.start, name).toBeGreaterThanOrEqual(order[i - 1]!.end);
      for (const p of order) expect(p.start >= sp.tbsCertificate.start && p.end <= sp.tbsCertificate.end, name).toBe(true);
    }
  });

  describe('against openssl asn1parse', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'hl-spans-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** offset → {depth, end} of every element openssl reports. */
    function openssl(der: Uint8Array): Map<number, { depth: number; end: number }> {
      const f = join(dir, 'c.der');
      writeFileSync(f, der);
      const out = execFileSync('openssl', ['asn1parse', '-inform', 'DER', '-in', f], { encoding: 'utf8' });
      const m = new Map<number, { depth: number; end: number }>();
      for (const line of out.split('\n')) {
        const x = /^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)/.exec(line);
        if (x) m.set(Number(x[1]), { depth: Number(x[2]), end: Number(x[1]) + Number(x[3]) + Number(x[4]) });
      }
      return m;
    }

    it('puts the signed part, its fields and every extension at the offsets openssl reports', () => {
      for (const { name, der } of certs) {
        const sp = certificateSpans(der)!;
        const ref = openssl(der);
        const check = (what: string, s: Span, depth: number) => expect(ref.get(s.start), `${name} ${what} @${s.start}`).toEqual({ depth, end: s.end });
        check('tbsCertificate', sp.tbsCertificate, 1);
        check('signatureAlgorithm', sp.signatureAlgorithm, 1);
        check('signatureValue', sp.signatureValue, 1);
        for (const [what, s] of Object.entries({ serial: sp.serialNumber, signature: sp.signature, issuer: sp.issuer, validity: sp.validity, subject: sp.subject, spki: sp.subjectPublicKeyInfo } satisfies Record<string, Span>)) check(what, s, 2);
        check('notBefore', sp.notBefore, 3);
        check('notAfter', sp.notAfter, 3);
        if (sp.extensions) check('extensions', sp.extensions, 2);
        sp.extension.forEach((e, i) => check(`extension ${i}`, e, 4));
      }
    });
  });

  it('never throws: random bytes, truncations and single-byte mutations give null or spans inside the input', () => {
    const real = certs[0]!.der;
    // Null, or every span well formed: inside the input, the signed part's fields in order and inside it.
    const within = (s: CertSpans | null, n: number) => {
      if (s === null) return true;
      const ok = (x: Span) => x.start >= 0 && x.start <= x.end && x.end <= n;
      const inTbs = (x: Span) => ok(x) && x.start >= s.tbsCertificate.start && x.end <= s.tbsCertificate.end;
      const fields = [s.version, s.serialNumber, s.signature, s.issuer, s.validity, s.subject, s.subjectPublicKeyInfo, s.extensions].filter((x): x is Span => x !== undefined);
      return (
        ok(s.tbsCertificate) &&
        ok(s.signatureAlgorithm) &&
        ok(s.signatureValue) &&
        s.tbsCertificate.end <= s.signatureAlgorithm.start &&
        s.signatureAlgorithm.end <= s.signatureValue.start &&
        fields.every(inTbs) &&
        fields.every((x, i) => i === 0 || x.start >= fields[i - 1]!.end) &&
        [s.notBefore, s.notAfter].every((x) => x.start >= s.validity.start && x.end <= s.validity.end) &&
        s.extension.every((x) => s.extensions !== undefined && x.start >= s.extensions.start && x.end <= s.extensions.end) &&
        s.subjectAltNames.every(ok)
      );
    };
    for (const { der } of certs) expect(within(certificateSpans(der), der.length)).toBe(true);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => within(certificateSpans(b), b.length)),
      { numRuns: 500 },
    );
    for (let n = 0; n < real.length; n++) expect(certificateSpans(real.subarray(0, n)), `prefix ${n}`).toBeNull();
    fc.assert(
      fc.property(fc.nat({ max: real.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const m = real.slice();
        m[i] = m[i]! ^ x;
        return within(certificateSpans(m), m.length);
      }),
      { numRuns: 1000 },
    );
  });
});
