import { constants } from 'node:crypto';
import type tls from 'node:tls';
import type { SessionConfig } from '../protocol/events.ts';
import { DEFAULT_SCRIPT, parseRpcSpec } from './cwmp-script.ts';

/** A cipher suite the lab can run and decrypt: IANA name, OpenSSL name, which mode it belongs to. */
export interface LabSuite {
  iana: string;
  openssl: string;
  tls: '1.3' | '1.2';
  kx: 'ecdhe' | 'rsa';
}

export const LAB_SUITES: readonly LabSuite[] = [
  { iana: 'TLS_AES_128_GCM_SHA256', openssl: 'TLS_AES_128_GCM_SHA256', tls: '1.3', kx: 'ecdhe' },
  { iana: 'TLS_AES_256_GCM_SHA384', openssl: 'TLS_AES_256_GCM_SHA384', tls: '1.3', kx: 'ecdhe' },
  { iana: 'TLS_CHACHA20_POLY1305_SHA256', openssl: 'TLS_CHACHA20_POLY1305_SHA256', tls: '1.3', kx: 'ecdhe' },
  { iana: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', openssl: 'ECDHE-RSA-AES128-GCM-SHA256', tls: '1.2', kx: 'ecdhe' },
  { iana: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', openssl: 'ECDHE-RSA-AES256-GCM-SHA384', tls: '1.2', kx: 'ecdhe' },
  { iana: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', openssl: 'ECDHE-RSA-CHACHA20-POLY1305', tls: '1.2', kx: 'ecdhe' },
  { iana: 'TLS_RSA_WITH_AES_128_GCM_SHA256', openssl: 'AES128-GCM-SHA256', tls: '1.2', kx: 'rsa' },
  { iana: 'TLS_RSA_WITH_AES_256_GCM_SHA384', openssl: 'AES256-GCM-SHA384', tls: '1.2', kx: 'rsa' },
];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly code: 'ERR_BAD_CONFIG',
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ModeRequest {
  tls?: string | undefined;
  kx?: string | undefined;
  cipher?: string | undefined;
  paper?: boolean | undefined;
  deadlineMs?: number | undefined;
  faults?: string[] | undefined;
  verifier?: string | undefined;
  cwmp?: boolean | undefined;
  rpcs?: string[] | undefined;
  connectionRequest?: 'off' | 'on' | 'bad-credentials' | undefined;
  serverAuthOnly?: boolean | undefined;
}

export const DEFAULT_DEADLINE_MS = 10_000;

/** Validates a requested mode and fills the defaults. Throws ConfigError naming the field. */
export function resolveConfig(req: ModeRequest = {}): SessionConfig {
  const paper = req.paper ?? false;
  const tlsV = req.tls ?? (paper ? '1.2' : '1.3');
  if (tlsV !== '1.2' && tlsV !== '1.3') throw new ConfigError('ERR_BAD_CONFIG', 'tls', `--tls must be 1.2 or 1.3, not ${JSON.stringify(tlsV)}`);
  const kx = req.kx ?? (paper ? 'rsa' : 'ecdhe');
  if (kx !== 'ecdhe' && kx !== 'rsa') throw new ConfigError('ERR_BAD_CONFIG', 'kx', `--kx must be ecdhe or rsa, not ${JSON.stringify(kx)}`);
  if (paper && (tlsV !== '1.2' || kx !== 'rsa')) throw new ConfigError('ERR_BAD_CONFIG', 'paper', 'paper mode is TLS 1.2 with static-RSA key exchange');
  if (tlsV === '1.3' && kx === 'rsa') {
    throw new ConfigError('ERR_BAD_CONFIG', 'kx', 'TLS 1.3 has no static-RSA key exchange (RFC 8446 §1.2): use --tls 1.2 --kx rsa');
  }
  const candidates = LAB_SUITES.filter((s) => s.tls === tlsV && s.kx === kx);
  let suite = candidates[0]!;
  if (req.cipher !== undefined) {
    const want = req.cipher.toUpperCase();
    const found = LAB_SUITES.find((s) => s.iana === want || s.openssl === want);
    if (!found) {
      throw new ConfigError('ERR_BAD_CONFIG', 'cipher', `unknown cipher suite ${JSON.stringify(req.cipher)}; choose one of: ${LAB_SUITES.map((s) => s.iana).join(', ')}`);
    }
    if (found.tls !== tlsV || found.kx !== kx) {
      throw new ConfigError('ERR_BAD_CONFIG', 'cipher', `${found.iana} is a TLS ${found.tls} ${found.kx.toUpperCase()} suite; it does not fit TLS ${tlsV} with ${kx.toUpperCase()} key exchange`);
    }
    suite = found;
  }
  const deadlineMs = req.deadlineMs ?? DEFAULT_DEADLINE_MS;
  if (!Number.isInteger(deadlineMs) || deadlineMs <= 0 || deadlineMs > 3_600_000) {
    throw new ConfigError('ERR_BAD_CONFIG', 'deadlineMs', 'the deadline must be a whole number of ms between 1 and 3600000');
  }
  const verifier = req.verifier ?? 'node';
  if (verifier !== 'node' && verifier !== 'openssl') {
    throw new ConfigError('ERR_BAD_CONFIG', 'verifier', `--verifier must be node or openssl, not ${JSON.stringify(verifier)}`);
  }
  const connectionRequest = req.connectionRequest ?? 'off';
  if (!['off', 'on', 'bad-credentials'].includes(connectionRequest)) {
    throw new ConfigError('ERR_BAD_CONFIG', 'connectionRequest', `--connection-request takes no value or "bad-credentials", not ${JSON.stringify(connectionRequest)}`);
  }
  // CWMP runs after the handshake by default (on the Node endpoints; the openssl binary endpoints send
  // one placeholder POST); `cwmp: false` keeps the single placeholder request/response.
  const cwmp = req.cwmp ?? (verifier === 'node' || (req.rpcs !== undefined && req.rpcs.length > 0) || connectionRequest !== 'off');
  if (cwmp && verifier === 'openssl') {
    throw new ConfigError('ERR_BAD_CONFIG', 'cwmp', 'the CWMP session runs on the Node endpoints: use --cwmp with --verifier node (the openssl endpoints send the placeholder request)');
  }
  const rpcs = req.rpcs ?? (cwmp ? [...DEFAULT_SCRIPT] : []);
  for (const r of rpcs) {
    try {
      parseRpcSpec(r);
    } catch (e) {
      throw new ConfigError('ERR_BAD_CONFIG', 'rpc', (e as Error).message);
    }
  }
  return { tls: tlsV, kx, cipher: suite.iana, paper: paper || (tlsV === '1.2' && kx === 'rsa'), deadlineMs, faults: req.faults ?? [], verifier, cwmp, rpcs, connectionRequest, serverAuthOnly: req.serverAuthOnly ?? false };
}

export function suiteOf(config: SessionConfig): LabSuite {
  const s = LAB_SUITES.find((x) => x.iana === config.cipher);
  if (!s) throw new ConfigError('ERR_BAD_CONFIG', 'cipher', `unknown cipher suite ${config.cipher}`);
  return s;
}

/**
 * The TLS settings each side uses for a mode. The server restricts the suite; the client offers
 * Node's defaults plus the chosen suite, so negotiation is real.
 */
export function tlsSettings(config: SessionConfig): { server: tls.TlsOptions; client: tls.ConnectionOptions } {
  const suite = suiteOf(config);
  const version: tls.SecureVersion = config.tls === '1.3' ? 'TLSv1.3' : 'TLSv1.2';
  const server: tls.TlsOptions = { minVersion: version, maxVersion: version, ciphers: suite.openssl, honorCipherOrder: true };
  const client: tls.ConnectionOptions = { minVersion: 'TLSv1.2', maxVersion: version };
  if (config.tls === '1.2') client.ciphers = `${suite.openssl}:${defaultTls12Ciphers()}`;
  if (config.kx === 'rsa') {
    // The paper's sequence: static RSA, no session ticket, PKCS#1 v1.5 signatures with SHA-256.
    server.secureOptions = constants.SSL_OP_NO_TICKET;
    server.sigalgs = 'RSA+SHA256';
    client.sigalgs = 'RSA+SHA256';
    client.ciphers = suite.openssl;
  }
  return { server, client };
}

function defaultTls12Ciphers(): string {
  return 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305';
}
