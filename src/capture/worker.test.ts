import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { handleCaptureRequest } from './worker-handler.ts';
import { CaptureResponse } from './worker-protocol.ts';

const ROOT = join(import.meta.dirname, '../..');
const PCAP = join(ROOT, '../shared/captures/illustrated-tls12.pcap');
const KEYLOG = join(ROOT, '../shared/captures/illustrated-tls12.keylog');
const hasShared = existsSync(PCAP);
if (!hasShared) {
  if (process.env.CI === 'true') throw new Error('../shared/captures is missing: CI needs it');
  console.warn('\n!!! SKIPPED capture worker tests on the shared capture: ../shared/captures not found !!!\n');
}

const fileBuffer = (p: string) => {
  const b = readFileSync(p);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

function run(request: unknown): CaptureResponse[] {
  const out: CaptureResponse[] = [];
  handleCaptureRequest(request, (m) => out.push(CaptureResponse.parse(structuredClone(m))));
  return out;
}

describe('capture worker body', () => {
  it.runIf(hasShared)('answers progress then one result, every message valid on the page side', () => {
    const out = run({ type: 'import', id: 7, file: fileBuffer(PCAP), keylog: readFileSync(KEYLOG, 'utf8'), name: 'illustrated-tls12.pcap' });
    expect(out.at(-1)?.type).toBe('result');
    expect(out.slice(0, -1).every((m) => m.type === 'progress' && m.id === 7)).toBe(true);
    const r = out.at(-1)!;
    if (r.type !== 'result') throw new Error('no result');
    expect(r.format).toBe('pcap');
    expect(r.sessions).toHaveLength(1);
    expect(r.sessions[0]!.id).toBe('illustrated-tls12.pcap#1');
    expect(r.sessions[0]!.events.some((e) => e.kind === 'message' && e.name === 'ApplicationData' && e.decrypted)).toBe(true);
  });

  it('a bad request and a file that is not a capture give typed errors', () => {
    expect(run({ type: 'import', id: 3, file: 'not a buffer', name: 'x' })).toEqual([expect.objectContaining({ type: 'error', id: 3, code: 'ERR_BAD_REQUEST' })]);
    expect(run(null)).toEqual([expect.objectContaining({ type: 'error', code: 'ERR_BAD_REQUEST' })]);
    const text = new TextEncoder().encode('hello world, not a capture').buffer;
    expect(run({ type: 'import', id: 4, file: text, name: 'x.txt' })).toEqual([expect.objectContaining({ type: 'error', id: 4, code: 'ERR_NOT_A_CAPTURE', params: { hint: 'text' } })]);
  });
});

describe('workers/capture.worker.ts as the browser gets it', () => {
  it('bundles for the browser with no Node built-in (node:crypto …) and no server module, and runs in a worker thread', async () => {
    const res = await build({ entryPoints: [join(ROOT, 'workers/capture.worker.ts')], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', metafile: true });
    const inputs = Object.keys(res.metafile.inputs);
    expect(inputs.some((p) => p.includes('src/server/'))).toBe(false);
    expect(inputs.filter((p) => p.includes('crypto-node'))).toEqual([]);
    const code = res.outputFiles[0]!.text;
    // esbuild fails a browser build that imports a Node built-in; check the output too.
    expect(code).not.toMatch(/(?:from |import\(|require\()["']node:/);
    expect(inputs.filter((p) => p.startsWith('node:'))).toEqual([]);
    console.log(`capture worker bundle: ${(code.length / 1024).toFixed(0)} KiB (minify off), ${inputs.length} modules`);
    if (!hasShared) return;
    // Run the browser bundle in a worker thread with `onmessage`/`postMessage` as a Web Worker has them.
    const dir = mkdtempSync(join(tmpdir(), 'hl-worker-'));
    writeFileSync(join(dir, 'capture.worker.mjs'), code);
    writeFileSync(
      join(dir, 'shim.mjs'),
      `import { parentPort } from 'node:worker_threads';\nglobalThis.postMessage = (m) => parentPort.postMessage(m);\nawait import('./capture.worker.mjs');\nparentPort.on('message', (data) => globalThis.onmessage({ data }));\n`,
    );
    const w = new Worker(join(dir, 'shim.mjs'));
    try {
      const answers: CaptureResponse[] = [];
      const done = new Promise<void>((resolve, reject) => {
        w.on('message', (m: unknown) => {
          const a = CaptureResponse.parse(m);
          answers.push(a);
          if (a.type !== 'progress') resolve();
        });
        w.on('error', reject);
      });
      const file = fileBuffer(PCAP);
      w.postMessage({ type: 'import', id: 1, file, keylog: readFileSync(KEYLOG, 'utf8'), name: 'x.pcap' }, [file]);
      expect(file.byteLength).toBe(0); // transferred, not copied
      await done;
      const r = answers.at(-1)!;
      expect(r.type).toBe('result');
      if (r.type === 'result') expect(r.sessions[0]!.events.filter((e) => e.kind === 'message' && e.decrypted).length).toBeGreaterThan(3);
    } finally {
      await w.terminate();
    }
  }, 60_000);
});
