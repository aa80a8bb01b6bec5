/**
 * The Handshake Lab PKI: one root CA, an ACS server certificate and a CPE
 * client certificate (TR-069 Amendment 6 §3.4.4: CPE certificate CN is
 * "<OUI>-<SerialNumber>").
 */
import { issueCert, tlsCredentials, type CertSpec, type IssuedCert, type TlsCredentials } from './cert.ts';
import { PkiError } from './errors.ts';
import type { KeyPool } from './keys.ts';

export const ACS_HOSTNAME = 'acs.lab.test';
export const LAB_ROOT_CN = 'Handshake Lab Root CA';

export interface CpeIdentity {
  /** IEEE OUI, 6 upper-case hex digits. */
  oui: string;
  serial: string;
  manufacturer: string;
}
export const DEFAULT_CPE: Readonly<CpeIdentity> = Object.freeze({ oui: '00D09E', serial: 'HL0001', manufacturer: 'Handshake Lab' });

export interface LabOptions {
  /** Source of keys; without it keys are generated on demand. */
  pool?: KeyPool;
  cpe?: Partial<CpeIdentity>;
  acsHostname?: string;
}

export interface SessionCerts {
  acs: IssuedCert;
  cpe: IssuedCert;
  /** For `tls.createServer({ ...server, requestCert: true, rejectUnauthorized: true })`. */
  server: TlsCredentials;
  /** For `tls.connect({ ...client, servername: ACS_HOSTNAME })`. */
  client: TlsCredentials;
}

export interface LabPki extends SessionCerts {
  root: IssuedCert;
}

/** "00D09E-HL0001" (TR-069 Amendment 6 §3.4.4). */
export function cpeCommonName(cpe: Partial<CpeIdentity> = {}): string {
  const { oui, serial } = { ...DEFAULT_CPE, ...cpe };
  if (!/^[0-9A-F]{6}$/.test(oui)) throw new PkiError('ERR_BAD_SPEC', `CPE OUI must be 6 upper-case hex digits, got ${JSON.stringify(oui)}`);
  if (!serial) throw new PkiError('ERR_BAD_SPEC', 'CPE serial number must be non-empty');
  return `${oui}-${serial}`;
}

export function rootCaSpec(): CertSpec {
  return { subject: { CN: LAB_ROOT_CN, O: 'Handshake Lab' }, isCA: true, keyUsage: ['keyCertSign', 'cRLSign'] };
}

/** The correct ACS server spec; faults spread it and override one field. */
export function acsSpec(ca: IssuedCert, hostname: string = ACS_HOSTNAME): CertSpec {
  return {
    subject: { CN: hostname, O: 'Handshake Lab ACS' },
    issuer: ca,
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extKeyUsage: ['serverAuth'],
    san: { dns: [hostname], ip: ['127.0.0.1'] },
  };
}

/** The correct CPE client spec; faults spread it and override one field. */
export function cpeSpec(ca: IssuedCert, cpe: Partial<CpeIdentity> = {}): CertSpec {
  return {
    subject: { CN: cpeCommonName(cpe), O: cpe.manufacturer ?? DEFAULT_CPE.manufacturer },
    issuer: ca,
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extKeyUsage: ['clientAuth'],
  };
}

export function createLabCa(options: Pick<LabOptions, 'pool'> = {}): Promise<IssuedCert> {
  return issueCert(rootCaSpec(), options.pool ? { pool: options.pool } : {});
}

/** Issues fresh ACS + CPE leaves from an existing CA (the per-session hot path). */
export async function issueSessionCerts(ca: IssuedCert, pool?: KeyPool, options: Omit<LabOptions, 'pool'> = {}): Promise<SessionCerts> {
  const opts = pool ? { pool } : {};
  const [acs, cpe] = await Promise.all([
    issueCert(acsSpec(ca, options.acsHostname), opts),
    issueCert(cpeSpec(ca, options.cpe), opts),
  ]);
  return { acs, cpe, server: tlsCredentials(acs), client: tlsCredentials(cpe) };
}

/** A new root CA plus ACS and CPE certificates. */
export async function createLabPki(options: LabOptions = {}): Promise<LabPki> {
  const root = await createLabCa(options);
  return { root, ...(await issueSessionCerts(root, options.pool, options)) };
}

let sharedCa: Promise<IssuedCert> | undefined;

/** One lab root CA per process (created on first call; retried if creation failed). */
export function sharedLabCa(pool?: KeyPool): Promise<IssuedCert> {
  sharedCa ??= createLabCa(pool ? { pool } : {}).catch((err: unknown) => {
    sharedCa = undefined;
    throw err;
  });
  return sharedCa;
}
