import { afterAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../test/tools.ts';
import { listFaults } from './faults.ts';
import { closeLabKeyPool } from './material.ts';
import { matrix } from './matrix.ts';
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
});
