/**
 * Certificate revocation lists for the revocation faults (RFC 5280 §5), built and signed by
 * @peculiar/x509 with Node's WebCrypto: no hand-rolled ASN.1. The CRL names its issuer with the
 * issuing certificate's exact subject DER and carries an authorityKeyIdentifier equal to the
 * issuer's subjectKeyIdentifier, so OpenSSL finds it for that issuer.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber } from '@peculiar/asn1-x509';
import type { IssuedCert } from '../cert.ts';

const DAY = 86_400_000;

export interface CrlOptions {
  /** The CA that signs the CRL (its subject becomes the CRL issuer). */
  issuer: IssuedCert;
  /** Serial numbers (hex) of revoked certificates. */
  revoked?: string[];
  thisUpdate?: Date;
  /** Default thisUpdate + 7 days. */
  nextUpdate?: Date;
  /** CRL number (RFC 5280 §5.2.3), default 1. */
  crlNumber?: number;
}

const crypto = webcrypto as unknown as Crypto;

/** A signed X.509 v2 CRL, PEM with the `X509 CRL` label. */
export async function createCrl(options: CrlOptions): Promise<string> {
  const { issuer } = options;
  const issuerCert = new x509.X509Certificate(issuer.certPem);
  const der = issuer.keyObject.export({ type: 'pkcs8', format: 'der' });
  const pkcs8 = der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer;
  const signingAlgorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const signingKey = await crypto.subtle.importKey('pkcs8', pkcs8, signingAlgorithm, false, ['sign']);
  const thisUpdate = options.thisUpdate ?? new Date(Date.now() - 3_600_000);
  const nextUpdate = options.nextUpdate ?? new Date(thisUpdate.getTime() + 7 * DAY);
  const revocationDate = new Date(Math.min(thisUpdate.getTime(), Date.now()) - 60_000);
  // RFC 5280 §5.2.1: the CRL's authorityKeyIdentifier = the issuer's subjectKeyIdentifier.
  const ski = issuerCert.getExtension(x509.SubjectKeyIdentifierExtension);
  const keyId = ski?.keyId ?? Buffer.from(await issuerCert.publicKey.getKeyIdentifier(crypto)).toString('hex');
  const akiExt = new x509.AuthorityKeyIdentifierExtension(keyId, false);
  const crl = await x509.X509CrlGenerator.create(
    {
      issuer: issuerCert.subjectName,
      thisUpdate,
      nextUpdate,
      signingAlgorithm,
      signingKey,
      extensions: [akiExt, new x509.Extension('2.5.29.20', false, crlNumberDer(options.crlNumber ?? 1))],
      entries: (options.revoked ?? []).map((serialNumber) => ({ serialNumber, revocationDate, reason: x509.X509CrlReason.keyCompromise })),
    },
    crypto,
  );
  return crl.toString('pem').replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, (_m, which: string) => `-----${which} X509 CRL-----`);
}

/** DER of CRLNumber ::= INTEGER (RFC 5280 §5.2.3). */
function crlNumberDer(n: number): ArrayBuffer {
  return AsnConvert.serialize(new CRLNumber(n));
}
