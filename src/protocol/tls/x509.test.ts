import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TlsDecodeError } from './errors.ts';
import { fromHex } from './fields.ts';
import { Reader } from './reader.ts';
import { formatDistinguishedName, summarizeCertificate } from './x509.ts';
import rfc8448 from './testdata/rfc8448-simple-1rtt.json';
import openssl from './testdata/tls12-openssl.json';

/** The DERs of a TLS 1.2 Certificate message (read with the bounded Reader). */
function ders(hex: string): Uint8Array[] {
  const r = new Reader(fromHex(hex));
  r.u8();
  const body = r.sub24('body');
  const list = body.sub24('certificate_list');
  const out: Uint8Array[] = [];
  while (!list.done) out.push(list.sub24('cert').rest());
  return out;
}

describe('summarizeCertificate', () => {
  it('RFC 8448 server certificate', () => {
    const r = new Reader(fromHex(rfc8448.certificate), 8);
    const der = r.sub24('cert_data').rest();
    const s = summarizeCertificate(der);
    expect(s).toMatchObject({
      subject: 'CN=rsa',
      subjectCN: 'rsa',
      issuer: 'CN=rsa',
      serial: '02',
      notBefore: '2016-07-30T01:23:59.000Z',
      notAfter: '2026-07-30T01:23:59.000Z',
      san: [],
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extKeyUsage: [],
      basicConstraints: { ca: false },
      keyType: 'RSA',
      keyBits: 1024,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      selfIssued: true,
      extensions: [
        { oid: '2.5.29.19', name: 'basicConstraints', critical: false },
        { oid: '2.5.29.15', name: 'keyUsage', critical: false },
      ],
    });
  });

  it('OpenSSL lab chain: RSA leaf with SAN/EKU, EC P-256 root', () => {
    const [leaf, root] = ders(openssl.sessions.ecdhe.server[1]!).map(summarizeCertificate);
    expect(leaf?.subject).toBe('CN=acs.lab.test, O=Handshake Lab');
    expect(leaf?.san).toEqual(['DNS:acs.lab.test', 'IP:127.0.0.1']);
    expect(leaf?.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(leaf?.extensions.find((e) => e.name === 'keyUsage')?.critical).toBe(true);
    expect(leaf?.extKeyUsage).toEqual(['serverAuth']);
    expect(leaf?.signatureAlgorithm).toBe('ecdsa-with-SHA256');
    expect(leaf?.serial).toMatch(/^[0-9a-f]+$/);
    expect(Date.parse(leaf!.notAfter)).toBeGreaterThan(Date.parse(leaf!.notBefore));
    expect(root).toMatchObject({ keyType: 'EC', curve: 'P-256', keyBits: 256, selfIssued: true, basicConstraints: { ca: true } });
  });

  it('malformed DER → ERR_BAD_VALUE', () => {
    for (const bad of [new Uint8Array([]), new Uint8Array([0x30, 0x03, 1, 2, 3]), new Uint8Array([0x04, 0x01, 0])]) {
      let code = '';
      try {
        summarizeCertificate(bad);
      } catch (e) {
        code = e instanceof TlsDecodeError ? e.code : 'other';
      }
      expect(code).toBe('ERR_BAD_VALUE');
    }
  });

  it('random bytes and mutated certificates only ever throw TlsDecodeError', () => {
    const der = ders(openssl.sessions.ecdhe.server[1]!)[0]!;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        try {
          summarizeCertificate(b);
        } catch (e) {
          expect(e).toBeInstanceOf(TlsDecodeError);
        }
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), (pos, v) => {
        const m = der.slice();
        m[pos % m.length] = v;
        try {
          summarizeCertificate(m);
        } catch (e) {
          expect(e).toBeInstanceOf(TlsDecodeError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('formatDistinguishedName renders most specific RDN first', () => {
    // SEQUENCE { SET { O=Handshake Lab }, SET { CN=a,b } }
    const enc = (s: string): number[] => [...new TextEncoder().encode(s)];
    const atv = (oidLast: number, v: string): number[] => {
      const value = [0x0c, v.length, ...enc(v)];
      const seq = [0x06, 0x03, 0x55, 0x04, oidLast, ...value];
      const set = [0x30, seq.length, ...seq];
      return [0x31, set.length, ...set];
    };
    const body = [...atv(10, 'Handshake Lab'), ...atv(3, 'a,b')];
    expect(formatDistinguishedName(new Uint8Array([0x30, body.length, ...body]))).toBe('CN=a\\,b, O=Handshake Lab');
    expect(() => formatDistinguishedName(new Uint8Array([0x30, 0x05]))).toThrow(TlsDecodeError);
  });
});
