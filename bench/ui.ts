/**
 * The web app's budget (printed by `npm run bench`, never asserted):
 *  - initial JavaScript, gzipped: the entry chunk and every chunk it imports statically (from Vite's
 *    manifest), i.e. what the browser must fetch before the first render. Target ≤ 350 KB.
 *  - first paint and first contentful paint on loopback (chromium's paint timing entries), fresh
 *    browser context each time, median of several loads; and when the page is ready to run (connected
 *    to the service, fault catalogue shown). Target ≤ 1 s.
 * Runs standalone too: `npx tsx bench/ui.ts`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
const LOADS = Number(process.env.BENCH_UI_LOADS ?? 7);

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export interface UiFigures {
  initialJsGzipBytes: number;
  initialJsFiles: string[];
  lazyJsGzipBytes: number;
  firstPaintMs: number | null;
  firstContentfulPaintMs: number | null;
  readyMs: number | null;
}

/** The entry chunk and its static imports, transitively: what loads before the app can render. */
export function initialChunks(manifest: Record<string, ManifestChunk>): string[] {
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry);
  if (!entry) throw new Error('the Vite manifest has no entry chunk');
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const k of manifest[key]?.imports ?? []) visit(k);
  };
  visit(entry[0]);
  return [...seen].map((k) => manifest[k]!.file);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export async function benchUi(log: (line: string) => void = (l) => console.log(l)): Promise<UiFigures> {
  log('\nWeb app (Vite production build)');
  const outDir = mkdtempSync(path.join(tmpdir(), 'hl-bench-ui-'));
  try {
    const { build } = await import('vite');
    await build({ root: ROOT, configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true, manifest: true } });
    const manifest = JSON.parse(readFileSync(path.join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
    const gz = (file: string) => gzipSync(readFileSync(path.join(outDir, file)), { level: 9 }).length;
    const initial = initialChunks(manifest);
    const initialJs = initial.reduce((n, f) => n + gz(f), 0);
    const allJs = [...new Set(Object.values(manifest).map((c) => c.file))].filter((f) => f.endsWith('.js'));
    const lazyJs = allJs.filter((f) => !initial.includes(f)).reduce((n, f) => n + gz(f), 0);
    log(`  initial JS: ${(initialJs / 1024).toFixed(1)} KB gzipped in ${initial.length} file(s)   (target ≤ 350 KB)`);
    log(`  loaded later (views, importer, on demand): ${(lazyJs / 1024).toFixed(1)} KB gzipped in ${allJs.length - initial.length} file(s)`);

    const figures: UiFigures = { initialJsGzipBytes: initialJs, initialJsFiles: initial, lazyJsGzipBytes: lazyJs, firstPaintMs: null, firstContentfulPaintMs: null, readyMs: null };
    if (!existsSync(CHROMIUM)) {
      log(`  first paint: not measured (${CHROMIUM} not installed: apt-get install -y chromium)`);
      return figures;
    }
    const { startGateway } = await import('../src/server/gateway/index.ts');
    const { chromium } = await import('playwright-core');
    const gateway = await startGateway({ port: 0, host: '127.0.0.1', distDir: outDir, log: () => {} });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
    try {
      const fp: number[] = [];
      const fcp: number[] = [];
      const ready: number[] = [];
      for (let i = 0; i < LOADS + 1; i++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        await page.goto(gateway.url, { waitUntil: 'load' });
        await page.locator('[data-testid="fault-picker"] input[type="checkbox"]').first().waitFor({ timeout: 15_000 });
        const t = await page.evaluate(() => {
          const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
          return { fp: paint['first-paint'] ?? null, fcp: paint['first-contentful-paint'] ?? null, ready: performance.now() };
        });
        await context.close();
        if (i === 0) continue; // warm-up: the first load also warms the server's file cache
        if (t.fp !== null) fp.push(t.fp);
        if (t.fcp !== null) fcp.push(t.fcp);
        ready.push(t.ready);
      }
      figures.firstPaintMs = fp.length ? median(fp) : null;
      figures.firstContentfulPaintMs = fcp.length ? median(fcp) : null;
      figures.readyMs = median(ready);
      const f = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(0)} ms`);
      log(`  first paint (median of ${LOADS} fresh loads, 1280×800, loopback): ${f(figures.firstPaintMs)}; first contentful paint ${f(figures.firstContentfulPaintMs)}   (target ≤ 1 s)`);
      log(`  ready to run (connected, fault catalogue shown): ${f(figures.readyMs)}`);
    } finally {
      await browser.close();
      await gateway.close();
    }
    return figures;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchUi()
    .then(async () => {
      const { closeSharedWireHost } = await import('../src/server/wire/host.ts');
      await closeSharedWireHost();
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
