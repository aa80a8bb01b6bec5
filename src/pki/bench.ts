/** Micro-benchmark of the per-session hot path: issueSessionCerts from a warm pool. */
import { performance } from 'node:perf_hooks';
import { KeyPool } from './keys.ts';
import { createLabCa, issueSessionCerts } from './lab.ts';

/** Times `n` issueSessionCerts calls (ms); the pool is re-warmed, untimed, before each. */
export async function benchIssuance(n: number): Promise<{ median: number; p95: number }> {
  const pool = new KeyPool({ size: 4 });
  try {
    const ca = await createLabCa({ pool });
    const samples: number[] = [];
    for (let i = 0; i < Math.max(1, Math.floor(n)); i++) {
      await pool.warm();
      const t0 = performance.now();
      await issueSessionCerts(ca, pool);
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] ?? NaN;
    return { median: at(0.5), p95: at(0.95) };
  } finally {
    await pool.close();
  }
}
