/**
 * Capture import throughput (printed by `npm run bench`, never asserted): a synthetic 50 MB pcapng
 * of a TLS 1.2 download (src/capture/testkit.ts: every record really encrypted, key log in a DSB)
 * read, reassembled, decrypted and decoded with the browser's crypto provider, as the Web Worker
 * does it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCapture } from '../src/capture/import.ts';
import { syntheticDownload } from '../src/capture/testkit.ts';

export interface CaptureBench {
  mb: number;
  secs: number;
  mbPerSec: number;
  packets: number;
  events: number;
}

function measure(file: Uint8Array): CaptureBench {
  const t0 = performance.now();
  const r = importCapture(file, { name: 'bench' });
  const secs = (performance.now() - t0) / 1000;
  const mb = file.length / 1e6;
  return { mb, secs, mbPerSec: mb / secs, packets: r.stats.packets, events: r.sessions.reduce((n, s) => n + s.events.length, 0) };
}

export async function benchCaptureImport(megabytes = 50): Promise<CaptureBench> {
  measure((await syntheticDownload(2e6)).pcapng); // warm-up (JIT)
  return measure((await syntheticDownload(megabytes * 1e6)).pcapng);
}

export async function printCaptureImportBench(): Promise<void> {
  const r = await benchCaptureImport();
  console.log(`\nCapture import (the Web Worker's code, browser crypto): ${r.mb.toFixed(1)} MB pcapng, ${r.packets} packets → ${r.events} events in ${r.secs.toFixed(2)} s = ${r.mbPerSec.toFixed(1)} MB/s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  printCaptureImportBench().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
