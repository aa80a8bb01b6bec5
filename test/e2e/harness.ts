import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/server/gateway/index.ts';
import { closeLabKeyPool } from '../../src/server/material.ts';
import { closeSharedWireHost } from '../../src/server/wire/host.ts';
import { requireTool } from '../tools.ts';

/**
 * The browser end-to-end harness: the web app built once (into its own folder, so a developer's
 * dist/ and parallel test files never race), the real service (the gateway `npm start` runs, in
 * this process, on a free port), and Debian's chromium driven by playwright-core.
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the e2e build goes (outside dist/, which `npm start` serves and other tools rebuild). */
export const E2E_DIST = path.join(ROOT, 'node_modules', '.cache', 'handshake-lab-e2e', 'dist');
const CHROMIUM = '/usr/bin/chromium';

/** chromium present? With CI=true a missing browser fails the suite; otherwise it is skipped loudly. */
export const HAS_CHROMIUM = requireTool(CHROMIUM, 'chromium', 'the browser end-to-end tests', ['--version']);

const SOURCES = ['index.html', 'vite.config.ts', 'package.json', 'src/ui', 'src/protocol', 'src/capture', 'workers', 'public'];

/** A fingerprint of everything the build reads (paths, sizes, mtimes). */
function sourceStamp(): string {
  const h = createHash('sha256');
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (!name.endsWith('.test.ts') && !name.endsWith('.test.tsx') && name !== 'testdata') walk(path.join(p, name));
    } else {
      h.update(`${path.relative(ROOT, p)}:${st.size}:${st.mtimeMs}\n`);
    }
  };
  for (const s of SOURCES) walk(path.join(ROOT, s));
  return h.digest('hex');
}

async function withLock<T>(lockDir: string, f: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // A lock older than three minutes belongs to a crashed run.
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > 180_000) rmSync(lockDir, { recursive: true, force: true });
      } catch {
        /* gone already */
      }
      if (Date.now() > deadline) throw new Error(`e2e build lock ${lockDir} held for too long`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await f();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * Builds the app with Vite into `outDir` unless the build there is from the same sources.
 * Returns the folder. Safe to call from parallel test files (a lock directory serialises builds).
 */
export async function ensureBuild(outDir: string = E2E_DIST): Promise<string> {
  const stampFile = path.join(outDir, '..', `${path.basename(outDir)}.stamp`);
  return withLock(`${outDir}.lock`, async () => {
    const stamp = sourceStamp();
    if (existsSync(path.join(outDir, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return outDir;
    const { build } = await import('vite');
    await build({ root: ROOT, configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, manifest: true } });
    writeFileSync(stampFile, stamp);
    return outDir;
  });
}

export interface Lab {
  gateway: Gateway;
  url: string;
  browser: Browser;
  /** Stops the service (its sessions end) but keeps the browser: for "no backend" tests. */
  stopServer(): Promise<void>;
  close(): Promise<void>;
}

/** Builds if needed, starts the real service on a free port and launches chromium. */
export async function startLab(options: Omit<GatewayOptions, 'distDir' | 'port'> = {}): Promise<Lab> {
  const distDir = await ensureBuild();
  const gateway = await startGateway({ port: 0, host: '127.0.0.1', distDir, log: () => {}, ...options });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
  let serverUp = true;
  const stopServer = async () => {
    if (!serverUp) return;
    serverUp = false;
    await gateway.close();
  };
  return {
    gateway,
    url: gateway.url,
    browser,
    stopServer,
    async close() {
      await browser.close().catch(() => {});
      await stopServer();
      await closeSharedWireHost();
      await closeLabKeyPool();
    },
  };
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions (CSP violations show up here too). */
  errors: string[];
}

/** A fresh page (own context: storage, downloads) at `url`, 1280×800 unless told otherwise. */
export async function openPage(lab: Lab, hashOrPath = '', opts: { width?: number; height?: number; locale?: string; reducedMotion?: 'reduce' | 'no-preference' } = {}): Promise<OpenedPage> {
  const context = await lab.browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    locale: opts.locale ?? 'en-US',
    reducedMotion: opts.reducedMotion ?? 'no-preference',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(new URL(hashOrPath, lab.url).toString());
  return { page, context, errors };
}

/** Waits until the page is connected to the service and has the fault catalogue. */
export async function waitReady(page: Page): Promise<void> {
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor({ timeout: 15_000 });
  await page.locator('[data-testid="fault-picker"] input[type="checkbox"]').first().waitFor({ timeout: 15_000 });
}

/** The arrows the ladder has drawn, in document order: name, from, to. */
export async function arrows(page: Page): Promise<{ name: string; from: string; to: string }[]> {
  return page.locator('[data-testid="ladder"] [data-testid="arrow"]').evaluateAll((els) =>
    els.map((e) => ({ name: e.getAttribute('data-name') ?? '', from: e.getAttribute('data-from') ?? '', to: e.getAttribute('data-to') ?? '' })),
  );
}

export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');
/** Screenshots are written only when asked (UPDATE_SCREENSHOTS=1), so ordinary runs change no files. */
export const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';

export async function screenshot(page: Page, name: string): Promise<void> {
  if (!UPDATE_SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Let the ladder's entrance animations finish (they are queued one after another) so labels are drawn.
  await page
    .waitForFunction(() => document.querySelectorAll('[data-testid="ladder"] .is-new').length === 0, undefined, { timeout: 15_000 })
    .catch(() => {});
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}
