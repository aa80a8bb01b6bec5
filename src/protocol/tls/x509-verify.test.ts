import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENSSL_VERIFY_ERRORS, x509ErrorByName, x509ErrorOfNodeCode } from './x509-verify.ts';

const HEADER = '/usr/include/openssl/x509_vfy.h';

describe('X509 verify error table', () => {
  it.runIf(existsSync(HEADER))('matches the installed OpenSSL header, number for number', () => {
    const defs = [...readFileSync(HEADER, 'utf8').matchAll(/#\s*define\s+(X509_V_(?:OK|ERR_\w+))\s+(\d+)\b/g)];
    expect(defs.length).toBeGreaterThan(50);
    for (const [, name, num] of defs) if (OPENSSL_VERIFY_ERRORS[Number(num)] !== undefined) expect(OPENSSL_VERIFY_ERRORS[Number(num)]).toBe(name);
  });

  it('maps Node codes to OpenSSL errors, including Node\'s own hostname check', () => {
    expect(x509ErrorOfNodeCode('CERT_HAS_EXPIRED')).toEqual({ name: 'X509_V_ERR_CERT_HAS_EXPIRED', code: 10, text: 'certificate has expired' });
    expect(x509ErrorOfNodeCode('INVALID_CA')?.code).toBe(79);
    expect(x509ErrorOfNodeCode('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames: Host: acs.lab.test. is not in the cert's altnames: DNS:x")?.code).toBe(62);
    expect(x509ErrorOfNodeCode('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: ")?.code).toBe(64);
    expect(x509ErrorOfNodeCode('UNSPECIFIED')?.code).toBe(1);
    expect(x509ErrorOfNodeCode('ECONNRESET')).toBeUndefined();
    expect(x509ErrorByName('X509_V_ERR_NO_ISSUER_PUBLIC_KEY')?.code).toBe(24);
  });
});
