/**
 * The web app's budget (printed by `npm run bench`, never asserted):
 *  - initial JavaScript, gzipped: the entry chunk and every chunk it imports statically (from Vite's
 *    manifest), i.e. what the browser must fetch before the first render. Target ≤ 350 KB.
 *  - first paint and first contentful paint on loopback (chromium's paint timing entries), fresh
 *    browser context each time, median of several loads; and when the page is ready to run (connected
 *    to the service, fault catalogue shown). Target ≤ 1 s.
 *  - the ladder's frame rate with 200+ arrows: requestAnimationFrame intervals while a long real CWMP
 *    session's transcript is drawn, and while the user scrolls through it (issue: smooth at 60 fps).
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
  ladder?: LadderFrames;
}

/** requestAnimationFrame intervals over one phase. */
export interface FrameStats {
  frames: number;
  fps: number;
  p50Ms: number;
  p95Ms: number;
  /** Share of frames slower than 20 ms (a missed 60 Hz frame). */
  slowShare: number;
}

export interface LadderFrames {
  arrows: number;
  idle: FrameStats;
  drawing: FrameStats;
  scrolling: FrameStats;
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
      figures.ladder = await benchLadderFrames(browser, gateway.url, log);
    } finally {
      await browser.close();
      await gateway.close();
    }
    return figures;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Frame intervals from requestAnimationFrame timestamps. */
function frameStats(ts: number[]): FrameStats {
  const d = ts.slice(1).map((t, i) => t - ts[i]!);
  const sorted = [...d].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  const secs = ((ts.at(-1) ?? 0) - (ts[0] ?? 0)) / 1000;
  return { frames: d.length, fps: secs > 0 ? d.length / secs : 0, p50Ms: q(0.5), p95Ms: q(0.95), slowShare: d.length ? d.filter((x) => x > 20).length / d.length : 0 };
}

/**
 * The ladder with 200+ arrows: a real session with a 100-RPC CWMP script (one TLS 1.3 connection),
 * exported as a transcript, opened in the app (no backend work while it draws), then scrolled with
 * the mouse wheel. Frame timing comes from requestAnimationFrame in the page (headless chromium
 * paces frames at 60 Hz; the idle phase shows what this machine gives with nothing to do).
 */
async function benchLadderFrames(browser: import('playwright-core').Browser, url: string, log: (line: string) => void): Promise<LadderFrames | undefined> {
  const { labMaterial } = await import('../src/server/material.ts');
  const { resolveConfig } = await import('../src/server/modes.ts');
  const { runSession } = await import('../src/server/session.ts');
  const { sessionTranscript } = await import('../src/server/transcript.ts');
  const rpcs = Array.from({ length: 100 }, (_, i) => (i % 2 ? 'gpv:Device.DeviceInfo.SoftwareVersion' : `spv:Device.WiFi.SSID.1.SSID=Lab${i}`));
  const r = await runSession(resolveConfig({ tls: '1.3', rpcs }), await labMaterial());
  if (!r.outcome.ok) throw new Error(`the 100-RPC session failed: ${r.outcome.summary}`);
  const transcript = Buffer.from(JSON.stringify(sessionTranscript(r)));
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await page.locator('[data-testid="fault-picker"] input[type="checkbox"]').first().waitFor({ timeout: 15_000 });
    // Strings, not functions: the page runs under a CSP, and this file's functions carry tsx helpers.
    // One rAF loop per phase: a generation number ends the previous loop (its last callback may still be queued).
    const start = () => page.evaluate('(() => { const w = window; const gen = (w.__gen = (w.__gen || 0) + 1); w.__frames = []; function tick(t) { if (w.__gen !== gen) return; w.__frames.push(t); requestAnimationFrame(tick); } requestAnimationFrame(tick); })()');
    const stop = async () => frameStats((await page.evaluate('(() => { window.__gen = (window.__gen || 0) + 1; return window.__frames; })()')) as number[]);
    const arrows = () => page.locator('[data-testid="ladder"] [data-testid="arrow"]').count();

    await start();
    await page.waitForTimeout(1500);
    const idle = await stop();

    await start();
    await page.getByTestId('file-input').setInputFiles({ name: 'cwmp-100-rpcs.json', mimeType: 'application/json', buffer: transcript });
    const expected = r.events.filter((e) => e.kind === 'message').length;
    const deadline = Date.now() + 60_000;
    while ((await arrows()) < Math.min(200, expected) && Date.now() < deadline) await page.waitForTimeout(50);
    await page.locator('[data-testid="outcome"]').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    const drawing = await stop();
    const n = await arrows();

    const box = await page.getByTestId('ladder').boundingBox();
    if (!box) throw new Error('the ladder is not on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await start();
    for (let i = 0; i < 80; i++) {
      await page.mouse.wheel(0, i < 40 ? -150 : 150);
      await page.waitForTimeout(25);
    }
    const scrolling = await stop();

    const line = (what: string, s: FrameStats) =>
      `    ${what.padEnd(34)} ${s.fps.toFixed(1)} fps, frame p50 ${s.p50Ms.toFixed(1)} ms, p95 ${s.p95Ms.toFixed(1)} ms, ${(s.slowShare * 100).toFixed(1)}% of ${s.frames} frames over 20 ms`;
    log(`  ladder frame rate with ${n} arrows (requestAnimationFrame in headless chromium; target: smooth at 60 fps)`);
    log(line('idle, nothing on screen moving:', idle));
    log(line(`drawing the ${n}-arrow transcript:`, drawing));
    log(line('scrolling through it (mouse wheel):', scrolling));
    return { arrows: n, idle, drawing, scrolling };
  } finally {
    await context.close();
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
