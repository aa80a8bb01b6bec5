import { afterAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../test/tools.ts';
import { listFaults } from './faults.ts';
import { closeLabKeyPool } from './material.ts';
import { matrix, runCell, type MatrixRow } from './matrix.ts';
import { closeSharedWireHost } from './wire/host.ts';

const hasOpenssl = requireTool('openssl', 'openssl', 'the fault matrix (every fault × TLS 1.2/1.3 × Node and OpenSSL verifiers)');

afterAll(async () => {
  await closeLabKeyPool();
  await closeSharedWireHost();
});

describe('fault matrix: the explainer against real sessions', () => {
  it.runIf(hasOpenssl)('every fault × TLS 1.2/1.3 × node/openssl: the prediction agrees with what the real session reported', async () => {
    const rows = await matrix({ concurrency: 4 });
    expect(rows).toHaveLength(listFaults().length * 4);
    const disagreements = rows.filter((r) => !r.agrees).map((r) => `${r.fault} TLS ${r.tls} ${r.verifier}: ${r.differences.join('; ')}`);
    expect(disagreements).toEqual([]);
    // The matrix is not trivially green: most faults really fail, with real alerts from OpenSSL.
    expect(rows.filter((r) => !r.ok).length).toBeGreaterThan(rows.length / 2);
    expect(rows.filter((r) => r.verifier === 'openssl' && r.alert).length).toBeGreaterThan(20);
    expect(rows.filter((r) => r.verifier === 'node' && r.alert && r.verifyError).length).toBe(0); // Node closes without an alert when it rejects a certificate
  }, 180_000);

  // Combined faults: OpenSSL stops at the first failing check, Node reports the last error it met.
  const COMBOS = [
    ['acs-expired', 'acs-wrong-eku'],
    ['acs-bad-signature', 'acs-expired'],
    ['acs-hostname-mismatch', 'acs-expired'],
    ['cpe-expired', 'cpe-wrong-eku'],
  ];
  it.runIf(hasOpenssl)('combined faults: the first failing check wins for OpenSSL, the last error for Node, as the explainer says', async () => {
    const rows: MatrixRow[] = [];
    for (const combo of COMBOS) for (const tls of ['1.2', '1.3'] as const) for (const v of ['node', 'openssl'] as const) rows.push(await runCell(combo, tls, v));
    expect(rows.filter((r) => !r.agrees).map((r) => `${r.fault} ${r.tls} ${r.verifier}: ${r.differences.join('; ')}`)).toEqual([]);
    const pick = (fault: string, v: string) => rows.find((r) => r.fault === fault && r.verifier === v && r.tls === '1.3')!;
    expect(pick('acs-expired+acs-wrong-eku', 'openssl').verifyError).toBe('X509_V_ERR_INVALID_PURPOSE');
    expect(pick('acs-expired+acs-wrong-eku', 'node').verifyError).toBe('X509_V_ERR_CERT_HAS_EXPIRED');
  }, 120_000);
});
