/**
 * npm run bench: the engine's speed and memory figures (printed, never asserted).
 *  - 200 sequential TLS 1.3 mutual-TLS sessions, each with one HTTP request/response:
 *    median direct (Node to Node) vs through the wiretap relay with parsing and decryption.
 *  - Session-certificate issuance from the warm key pool: median and p95.
 *  - The WebSocket service (bench/ws.ts): event latency, 100 clients × sessions back to back.
 *  - Peak RSS.
 */
import { benchIssuance } from '../src/pki/index.ts';
import { closeLabKeyPool, labKeyPool, labMaterial } from '../src/server/material.ts';
import type { SessionMaterial } from '../src/server/session.ts';
import { closeSharedWireHost } from '../src/server/wire/host.ts';
import { resolveConfig } from '../src/server/modes.ts';
import { runSession } from '../src/server/session.ts';
import { benchWs } from './ws.ts';

const N = Number(process.env.BENCH_SESSIONS ?? 200);

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/**
 * How far the ratio of medians could move with another draw of the same sessions: a percentile
 * bootstrap (1000 resamples of each variant, a fixed seed so a run's figure is reproducible from its samples).
 */
function ratioInterval(direct: number[], relay: number[]): [number, number] {
  let seed = 0x2545f491;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const resample = (xs: number[]) => xs.map(() => xs[Math.floor(rand() * xs.length)]!);
  const ratios: number[] = [];
  for (let i = 0; i < 1000; i++) ratios.push(quantile(resample(relay), 0.5) / quantile(resample(direct), 0.5));
  return [quantile(ratios, 0.05), quantile(ratios, 0.95)];
}

async function time(material: SessionMaterial, direct: boolean, n: number): Promise<number[]> {
  const config = resolveConfig({ cwmp: false }); // one request/response after the handshake
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await runSession(config, material, undefined, { direct });
    out.push(performance.now() - t);
    if (!r.outcome.ok) throw new Error(`session ${i} (${direct ? 'direct' : 'relay'}) failed: ${r.outcome.summary}`);
    if (!direct && !r.events.some((e) => e.kind === 'message' && e.name === 'Finished' && e.decrypted)) throw new Error('relay session did not decrypt Finished');
  }
  return out;
}

async function main(): Promise<void> {
  console.log(`Handshake Lab benchmark — node ${process.version}, ${N} sessions per variant\n`);
  // One set of certificates for both variants, issued before timing starts; the key pool's
  // background refill (RSA key generation) must not run during the measurement.
  const material = await labMaterial();
  await labKeyPool().warm();
  // Warm up both paths (JIT, OpenSSL contexts, the wire worker), then interleave blocks so both
  // variants share the machine's noise.
  await time(material, true, 10);
  await time(material, false, 10);
  const direct: number[] = [];
  const relay: number[] = [];
  const block = 20;
  for (let done = 0; done < N; done += block) {
    const k = Math.min(block, N - done);
    direct.push(...(await time(material, true, k)));
    relay.push(...(await time(material, false, k)));
  }
  const md = quantile(direct, 0.5);
  const mr = quantile(relay, 0.5);
  console.log('TLS 1.3 mutual TLS + one HTTP request/response, sequential');
  console.log('(endpoints in the wire worker thread in both variants; the relay adds a hop, parsing, decryption and events)');
  console.log(`  direct (Node to Node, no relay):        median ${md.toFixed(2)} ms  p95 ${quantile(direct, 0.95).toFixed(2)} ms`);
  console.log(`  via relay + parse + decrypt + events:   median ${mr.toFixed(2)} ms  p95 ${quantile(relay, 0.95).toFixed(2)} ms`);
  const [lo, hi] = ratioInterval(direct, relay);
  console.log(`  ratio relay/direct (median):            ${(mr / md).toFixed(3)}   (target ≤ 1.10; 90% bootstrap interval ${lo.toFixed(3)}–${hi.toFixed(3)})`);

  const iss = await benchIssuance(200);
  console.log('\nSession certificates (ACS + CPE leaves) from the warm key pool, 200 issuances');
  console.log(`  median ${iss.median.toFixed(2)} ms  p95 ${iss.p95.toFixed(2)} ms   (target p95 ≤ 30 ms)`);

  const { matrix } = await import('../src/server/matrix.ts');
  const tm = performance.now();
  const rows = await matrix({ concurrency: 4 });
  const secs = (performance.now() - tm) / 1000;
  const failed = rows.filter((r) => !r.ok).length;
  const alerts = rows.filter((r) => r.alert).length;
  console.log(`\nFault matrix: ${rows.length} real sessions (${rows.length / 4} faults × TLS 1.2/1.3 × node/openssl) in ${secs.toFixed(1)} s (target < 60 s, certificates built once per fault)`);
  console.log(`  ${failed} failed as the fault intends, ${rows.length - failed} succeeded; ${alerts} ended with a TLS alert on the wire; explainer agreed in ${rows.filter((r) => r.agrees).length} of ${rows.length}`);

  console.log('');
  await benchWs({ durationS: Number(process.env.BENCH_WS_SECONDS ?? 60) });

  await (await import('./ui.ts')).benchUi();

  await (await import('./capture.ts')).printCaptureImportBench();

  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`\nPeak RSS: ${maxRssMiB.toFixed(1)} MiB`);
  await closeLabKeyPool();
  await closeSharedWireHost();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
