import { ACS_HOSTNAME, KeyPool, issueSessionCerts, sharedLabCa, type IssuedCert, type SessionCerts } from '../pki/index.ts';
import type { SessionMaterial } from './session.ts';

let pool: KeyPool | undefined;

/** The process-wide key pool (created on first use). */
export function labKeyPool(): KeyPool {
  pool ??= new KeyPool({ size: 4 });
  return pool;
}

export async function closeLabKeyPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.close();
}

/** The lab's correct certificates as session material: each side trusts the lab root CA only. */
export function materialFrom(root: IssuedCert, certs: SessionCerts): SessionMaterial {
  return {
    acsHostname: ACS_HOSTNAME,
    acs: { chain: [certs.acs.certPem], key: certs.acs.keyPem, trust: [root.certPem] },
    cpe: { chain: [certs.cpe.certPem], key: certs.cpe.keyPem, trust: [root.certPem] },
  };
}

/** Fresh ACS and CPE certificates from the shared lab CA. */
export async function labMaterial(): Promise<SessionMaterial> {
  const p = labKeyPool();
  const root = await sharedLabCa(p);
  return materialFrom(root, await issueSessionCerts(root, p));
}
