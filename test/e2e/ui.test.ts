import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabEvent } from '../../src/protocol/events.ts';
import { parseTranscript } from '../../src/protocol/transcript.ts';
import { requireTool } from '../tools.ts';
import { startGateway } from '../../src/server/gateway/index.ts';
import { arrows, E2E_DIST, HAS_CHROMIUM, openPage, ROOT, screenshot, startLab, waitReady, type Lab } from './harness.ts';

/**
 * The browser app against the real service, in Debian's chromium: live runs, step mode, a fault
 * with the OpenSSL verifier, the prediction and outcome card, compare, the language switch, deep
 * links, and a transcript replayed after the service is gone. With UPDATE_SCREENSHOTS=1 the flows
 * also write docs/screenshots/*.png.
 */

const HAS_OPENSSL = requireTool('openssl', 'openssl', 'the acs-expired e2e run with the OpenSSL verifier');

/** The engine's golden handshake for the default TLS 1.3 suite: `flight:sender:name`. */
const GOLDEN_13 = (JSON.parse(readFileSync(path.join(ROOT, 'test/golden/tls13-aes128gcm.json'), 'utf8')) as { handshakeFlights: string[] }).handshakeFlights.map((s) => {
  const [, from, name] = s.split(':') as [string, 'cpe' | 'acs', string];
  return { name, from, to: from === 'cpe' ? 'acs' : 'cpe' };
});

/** Records the order in which arrows are added to the ladder (a MutationObserver in the page). */
async function recordArrowOrder(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __arrowOrder: string[] };
    w.__arrowOrder = [];
    const seen = new Set<Element>();
    const scan = () => {
      for (const el of document.querySelectorAll('[data-testid="ladder"] [data-testid="arrow"]')) {
        if (seen.has(el)) continue;
        seen.add(el);
        w.__arrowOrder.push(`${el.getAttribute('data-from')}>${el.getAttribute('data-to')}:${el.getAttribute('data-name')}`);
      }
    };
    new MutationObserver(scan).observe(document.body, { childList: true, subtree: true });
  });
}

/** No element focused: keys go to the page's shortcuts. */
const blur = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

const outcome = (page: Page) => page.locator('[data-testid="outcome"]');

let lab: Lab;

describe.runIf(HAS_CHROMIUM)('the browser app against the real service', () => {
  beforeAll(async () => {
    lab = await startLab();
  }, 180_000);
  afterAll(async () => {
    await lab?.close();
  });

  it('a live TLS 1.3 run draws the engine’s handshake arrows in order, then the outcome card says it succeeded', async () => {
    const { page, errors, context } = await openPage(lab, '#tls=1.3&verifier=node&mode=run');
    await waitReady(page);
    await recordArrowOrder(page);
    await page.getByTestId('run').click();
    await outcome(page).and(page.locator('[data-ok="true"]')).waitFor({ timeout: 20_000 });
    const drawn = await arrows(page);
    const start = drawn.findIndex((a) => a.name === 'ClientHello');
    expect(start).toBeGreaterThanOrEqual(0);
    expect(drawn.slice(start, start + GOLDEN_13.length)).toEqual(GOLDEN_13);
    // Drawn as they arrived: the order of insertion is the order on the wire.
    const order = await page.evaluate(() => (window as unknown as { __arrowOrder: string[] }).__arrowOrder);
    expect(order.slice(0, drawn.length)).toEqual(drawn.map((a) => `${a.from}>${a.to}:${a.name}`));
    await expect.poll(() => page.getByTestId('outcome-how').textContent()).toContain('verified each other');
    // The narration said each message in words.
    await expect.poll(() => page.getByTestId('narration').textContent()).toContain('Outcome: the handshake succeeded.');
    // Select a message for the screenshot: the inspector shows it.
    await page.locator('[data-testid="arrow"][data-name="Certificate"][data-from="acs"]').first().click();
    await page.waitForTimeout(300);
    await screenshot(page, 'live-tls13');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('the inspector: hovering a field lights exactly its bytes (a cipher suite, a certificate subject), hovering a byte selects the field that holds it', async () => {
    const { page, errors, context } = await openPage(lab, '#tls=1.3&verifier=node&mode=run', { width: 1920, height: 1080 });
    await waitReady(page);
    await page.getByTestId('run').click();
    await outcome(page).and(page.locator('[data-ok="true"]')).waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="arrow"][data-name="ServerHello"][data-from="acs"]').first().click();
    const inspector = page.getByTestId('inspector');
    const field = inspector.locator('[data-testid="field"][data-name="cipher_suite"]');
    await field.waitFor();
    await field.scrollIntoViewIfNeeded();
    const offset = Number(await field.getAttribute('data-offset'));
    const length = Number(await field.getAttribute('data-length'));
    expect(length).toBe(2); // a cipher suite is a uint16 (RFC 8446 §4.1.3)
    const lit = () => inspector.locator('[data-testid="hex"] [data-testid="byte"].hl').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-offset'))));
    await field.hover();
    await expect.poll(lit).toEqual(Array.from({ length }, (_, i) => offset + i));
    // The bytes the parser said: 0x1301 is TLS_AES_128_GCM_SHA256, the suite this session negotiated.
    const hexOf = await inspector.locator('[data-testid="hex"] [data-testid="byte"].hl').allTextContents();
    expect(hexOf.join('').toLowerCase()).toBe('1301');
    // And back: hover the first byte of the random → the random field is the active row, its 32 bytes lit.
    const random = inspector.locator('[data-testid="field"][data-name="random"]');
    const rOffset = Number(await random.getAttribute('data-offset'));
    await inspector.locator(`[data-testid="hex"] [data-testid="byte"][data-offset="${rOffset}"]`).hover();
    await expect.poll(() => random.getAttribute('aria-selected')).toBe('true');
    await expect.poll(async () => (await lit()).length).toBe(32);
    // A certificate's subject lights the subject's DER bytes only, not the whole certificate.
    await page.locator('[data-testid="arrow"][data-name="Certificate"][data-from="acs"]').first().click();
    await inspector.getByRole('button', { name: 'Expand all' }).click();
    const subject = inspector.locator('[data-testid="field"][data-name="subject"]').first();
    await subject.waitFor();
    await subject.scrollIntoViewIfNeeded();
    const certData = inspector.locator('[data-testid="field"][data-name="cert_data"][aria-expanded]').nth(1);
    const sOffset = Number(await subject.getAttribute('data-offset'));
    const sLength = Number(await subject.getAttribute('data-length'));
    expect(sLength).toBeGreaterThan(20);
    expect(sLength).toBeLessThan(Number(await certData.getAttribute('data-length')) / 4);
    await subject.hover();
    await expect.poll(lit).toEqual(Array.from({ length: sLength }, (_, i) => sOffset + i));
    // The lit bytes are the DER Name: they spell the ACS's common name.
    const subjectHex = (await inspector.locator('[data-testid="hex"] [data-testid="byte"].hl').allTextContents()).join('');
    expect(Buffer.from(subjectHex, 'hex').toString('latin1')).toContain('acs.lab.test');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('step mode: each Step click (and the Space key) releases one record — one more arrow, in the golden order', async () => {
    const { page, errors, context } = await openPage(lab, '#tls=1.3&verifier=node&mode=step');
    await waitReady(page);
    await expect.poll(() => page.getByTestId('mode-step').isChecked()).toBe(true);
    await page.getByTestId('run').click();
    const step = page.getByTestId('step');
    const counted = async () => (await arrows(page)).length;
    for (let i = 0; i < GOLDEN_13.length; i++) {
      await expect(step).toBeEnabledSoon();
      const before = await counted();
      if (i % 3 === 2) {
        await blur(page);
        await page.keyboard.press('Space'); // the app's shortcut, not a focused button
      } else await step.click();
      await expect.poll(counted, { timeout: 10_000 }).toBe(before + 1);
      // Held: nothing else arrives until the next step.
      await page.waitForTimeout(150);
      expect(await counted()).toBe(before + 1);
      const last = (await arrows(page)).at(-1)!;
      expect(last).toEqual(GOLDEN_13[i]);
      if (i === 5) await screenshot(page, 'step-mode');
    }
    await page.getByTestId('finish').click();
    await outcome(page).and(page.locator('[data-ok="true"]')).waitFor({ timeout: 20_000 });
    // Abort in the middle of a stepped handshake: the service stops it and the card says so.
    await page.getByTestId('run').click();
    await expect(step).toBeEnabledSoon();
    await step.click();
    await page.getByTestId('abort').click();
    await outcome(page).and(page.locator('[data-ok="false"]')).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('outcome-how').textContent()).toBe('Stopped: you aborted it.');
    expect(await step.isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it.runIf(HAS_OPENSSL)('acs-expired with the OpenSSL verifier: the prediction, the red alert from the CPE, the outcome card with the explanation, and compare with a good run', async () => {
    const { page, errors, context } = await openPage(lab, '#tls=1.3&faults=acs-expired&verifier=openssl&mode=run');
    await waitReady(page);
    // The deep link set the controls up.
    expect(await page.getByTestId('verifier').inputValue()).toBe('openssl');
    expect(await page.getByTestId('fault-acs-expired').isChecked()).toBe(true);
    // Predict: the CPE aborts with certificate_expired.
    await page.getByTestId('predict-cpe').check();
    await page.getByTestId('predict-alert').selectOption('certificate_expired');
    await blur(page);
    await page.keyboard.press('r'); // R runs
    await outcome(page).and(page.locator('[data-ok="false"]')).waitFor({ timeout: 20_000 });
    const alert = page.locator('[data-testid="arrow"][data-name="Alert"][data-from="cpe"][data-to="acs"]');
    await alert.first().waitFor();
    const stroke = await alert.first().locator('.shaft').evaluate((el) => getComputedStyle(el).stroke);
    const [r, g, b] = (stroke.match(/\d+/g) ?? []).map(Number) as [number, number, number];
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(80);
    const how = page.getByTestId('outcome-how');
    expect(await how.getAttribute('data-aborted-by')).toBe('cpe');
    expect(await how.getAttribute('data-alert')).toBe('certificate_expired');
    expect(await how.textContent()).toBe('The CPE aborted with a fatal alert: certificate_expired (45).');
    expect(await outcome(page).textContent()).toContain('X509_V_ERR_CERT_HAS_EXPIRED (10)');
    expect(await outcome(page).textContent()).toContain('Renew the ACS certificate');
    expect(await page.getByTestId('verdict').getAttribute('data-right')).toBe('true');
    await screenshot(page, 'fault-acs-expired-openssl');

    // A good run, then compare: the first difference is the CPE's Alert where the good run has its Certificate.
    await page.getByRole('button', { name: 'Clear faults' }).click();
    await page.getByTestId('run').click();
    await expect.poll(() => page.locator('[data-testid="sessions"] [data-state="ok"]').count(), { timeout: 20_000 }).toBe(1);
    await page.locator('[data-testid="sessions"] [data-state="failed"]').getByRole('button', { name: 'Compare' }).click();
    const div = page.getByTestId('divergence');
    await div.waitFor();
    const at = Number(await div.getAttribute('data-index'));
    expect(at).toBeGreaterThan(0);
    const rows = page.locator('[data-testid="compare"] .msg.diverge');
    expect(await rows.count()).toBe(2);
    const cells = await rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-from')}:${e.getAttribute('data-name')}`));
    expect(cells).toEqual(['cpe:ChangeCipherSpec', 'cpe:Alert']);
    await screenshot(page, 'compare');
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('the language switch: 简体中文 everywhere, <html lang>, remembered after a reload; the fault titles follow', async () => {
    const { page, errors, context } = await openPage(lab, '#tls=1.2&faults=acs-expired&verifier=node&mode=run');
    await waitReady(page);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByTestId('lang').selectOption('zh');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.getByTestId('run').textContent()).toBe('运行');
    expect(await page.locator('[data-fault="acs-expired"]').first().textContent()).toContain('ACS 证书已过期');
    await page.reload();
    await waitReady(page);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.getByTestId('run').textContent()).toBe('运行');
    // No English sentence left on the page (names such as TLS, ACS, OpenSSL aside).
    const text = await page.locator('#root').innerText();
    const english = text.split('\n').filter((l) => /\b[a-z]{3,}\b.*\b[a-z]{3,}\b/.test(l.replace(/\b(?:[a-z0-9]+-)+[a-z0-9]+\b/g, '')));
    expect(english).toEqual([]);
    await page.getByTestId('run').click();
    await outcome(page).waitFor({ timeout: 20_000 });
    await screenshot(page, 'zh');
    await page.getByTestId('lang').selectOption('en');
    expect(await page.getByTestId('run').textContent()).toBe('Run');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('projector mode at 1920×1080: larger type, remembered', async () => {
    const { page, errors, context } = await openPage(lab, '#tls=paper&verifier=node&mode=run', { width: 1920, height: 1080 });
    await waitReady(page);
    const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    const normal = await size();
    await page.getByTestId('projector').click();
    expect(await size()).toBeGreaterThan(normal * 1.25);
    await page.reload();
    await waitReady(page);
    expect(await page.evaluate(() => document.documentElement.classList.contains('projector'))).toBe(true);
    await page.getByTestId('run').click();
    await outcome(page).and(page.locator('[data-ok="true"]')).waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="arrow"][data-name="ClientKeyExchange"]').first().click();
    await page.waitForTimeout(300);
    await screenshot(page, 'projector-paper-mode');
    await page.getByTestId('tab-certificates').click();
    await page.waitForTimeout(800);
    await screenshot(page, 'certificates');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('the scenario lives in the URL; bad links and refused runs are explained in words; copy link; reduced motion', async () => {
    const { page, errors, context } = await openPage(lab, '#tls=1.3&faults=acs-expired,no-such-fault&verifier=node&mode=run');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: lab.url });
    await waitReady(page);
    await page.getByTestId('error-notice').filter({ hasText: 'This server has no fault no-such-fault' }).waitFor();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#tls=1.3&faults=acs-expired&verifier=node&mode=run');
    await page.getByTestId('verifier').selectOption('openssl');
    await page.getByTestId('preset').selectOption('tls12');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#tls=1.2&faults=acs-expired&verifier=openssl&mode=run');
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByTestId('info-notice').filter({ hasText: 'Link copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await page.evaluate(() => location.href));
    // Two faults that change the same field: the service refuses, the page says why.
    await page.getByTestId('fault-acs-not-yet-valid').check();
    await page.getByTestId('run').click();
    const refused = page.getByTestId('error-notice').filter({ hasText: 'These faults cannot be combined' });
    await refused.waitFor();
    expect(await refused.textContent()).toContain('acsLeaf.notBeforeDays');
    expect(await page.locator('[data-testid="sessions"] [data-session]').count()).toBe(0);
    // The same link opened elsewhere sets the same scenario up.
    const other = await openPage(lab, `#${(await page.evaluate(() => location.hash)).slice(1)}`, { reducedMotion: 'reduce' });
    await waitReady(other.page);
    expect(await other.page.getByTestId('preset').inputValue()).toBe('tls12');
    expect(await other.page.getByTestId('fault-acs-not-yet-valid').isChecked()).toBe(true);
    expect(await other.page.evaluate(() => document.documentElement.classList.contains('reduce-motion'))).toBe(true);
    expect(await page.evaluate(() => document.documentElement.classList.contains('reduce-motion'))).toBe(false);
    expect([...errors, ...other.errors]).toEqual([]);
    await other.context.close();
    await context.close();
  }, 60_000);

  it('everything is reachable from the keyboard, with a visible focus ring', async () => {
    const { page, context } = await openPage(lab, '#tls=1.3&verifier=node&mode=run');
    await waitReady(page);
    const seen = new Set<string>();
    let unringed: string[] = [];
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const cs = getComputedStyle(el);
        const id = el.getAttribute('data-testid') ?? el.getAttribute('role') ?? el.tagName.toLowerCase();
        return { id, ring: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 };
      });
      if (!f) continue;
      seen.add(f.id);
      if (!f.ring) unringed.push(f.id);
    }
    // Radio inputs inside segmented controls draw the ring on their label (checked separately below).
    unringed = unringed.filter((x) => x !== 'input' && !x.startsWith('mode-'));
    expect(unringed).toEqual([]);
    for (const id of ['a', 'lang', 'projector', 'preset', 'cipher', 'verifier', 'run', 'open-file', 'fault-filter', 'fault-acs-expired', 'predict-cpe', 'tab-ladder']) expect(seen, id).toContain(id);
    // The first stop is the skip link, which jumps over the playground to the views.
    await page.reload();
    await waitReady(page);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#center');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('tab-ladder');
    await context.close();
  }, 60_000);

  it('opening a pcapng the CLI wrote shows the same arrows as that live run (key log embedded), stepping one record at a time', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hl-e2e-'));
    try {
      const pcap = path.join(dir, 'cli-session.pcapng');
      const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/server/cli.ts'), 'session', '--json', '--pcap', pcap], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(run.status, run.stderr).toBe(0);
      const events = run.stdout.trim().split('\n').map((l) => LabEvent.parse(JSON.parse(l)));
      const cliMessages = events.flatMap((e) => (e.kind === 'message' ? [{ name: e.name, from: e.from, to: e.to }] : []));
      const { page, errors, context } = await openPage(lab, '#tls=1.3&verifier=node&mode=step');
      await waitReady(page);
      await page.getByTestId('file-input').setInputFiles(pcap);
      await expect.poll(() => page.locator('[data-testid="sessions"] [data-session^="capture:"]').count(), { timeout: 20_000 }).toBe(1);
      // Step mode: nothing drawn until stepped; each step one more TLS arrow.
      const tlsArrows = async () => (await page.locator('[data-testid="ladder"] [data-testid="arrow"][data-layer="tls"]').evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-name'), from: e.getAttribute('data-from'), to: e.getAttribute('data-to') }))));
      expect(await tlsArrows()).toEqual([]);
      for (let i = 1; i <= 3; i++) {
        await page.getByTestId('step').click();
        await expect.poll(async () => (await tlsArrows()).length).toBe(i);
      }
      await page.getByTestId('finish').click();
      await outcome(page).and(page.locator('[data-ok="true"]')).waitFor({ timeout: 20_000 });
      await expect.poll(async () => (await tlsArrows()).length, { timeout: 10_000 }).toBe(cliMessages.length);
      expect(await tlsArrows()).toEqual(cliMessages);
      // What the wire cannot say is shown as unknown, not made up.
      expect(await outcome(page).textContent()).toContain('unknown (not on the wire)');
      expect(await page.getByTestId('outcome-how').textContent()).toBe('The handshake completed and the HTTP exchange was answered. Whether each side verified the other’s certificate is not on the wire.');
      await screenshot(page, 'capture-import');
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('a classroom server with a join code: the page passes ?join= on, and without it says what is missing', async () => {
    const gw = await startGateway({ port: 0, host: '127.0.0.1', distDir: E2E_DIST, joinCode: 'K7QX-M2PD', log: () => {} });
    try {
      const without = await lab.browser.newPage();
      await without.goto(gw.url);
      await without.getByTestId('error-notice').filter({ hasText: 'needs a join code' }).waitFor({ timeout: 15_000 });
      expect(await without.getByTestId('connection').getAttribute('data-state')).not.toBe('open');
      await without.close();
      const withCode = await lab.browser.newPage();
      await withCode.goto(`${gw.url}?join=K7QX-M2PD#tls=1.3&verifier=node&mode=run`);
      await waitReady(withCode);
      await withCode.close();
    } finally {
      await gw.close();
    }
  }, 60_000);

  it('replay without a backend: a transcript exported from a live run, opened after the service stopped, draws the same arrows', async () => {
    const { page, errors, context } = await openPage(lab, '#tls=1.3&verifier=node&mode=run');
    await waitReady(page);
    await page.getByTestId('run').click();
    await outcome(page).and(page.locator('[data-ok="true"]')).waitFor({ timeout: 20_000 });
    const live = await arrows(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-transcript').click()]);
    const file = await download.path();
    const transcript = parseTranscript(readFileSync(file, 'utf8'));
    expect(transcript.events.some((e) => e.kind === 'outcome' && e.ok)).toBe(true);
    expect(errors).toEqual([]);

    // The service goes away: the page says so and keeps working for files.
    await lab.stopServer();
    await page.getByTestId('connection-banner').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('connection').getAttribute('data-state')).not.toBe('open');
    expect(await page.getByTestId('run').isDisabled()).toBe(true);

    await page.getByTestId('file-input').setInputFiles(file);
    await expect.poll(() => page.locator('[data-testid="sessions"] [data-session^="transcript:"]').count(), { timeout: 10_000 }).toBe(1);
    await outcome(page).and(page.locator('[data-ok="true"]')).waitFor({ timeout: 20_000 });
    await expect.poll(async () => (await arrows(page)).length, { timeout: 10_000 }).toBe(live.length);
    expect(await arrows(page)).toEqual(live);

    // A file that is not a transcript says why, in words.
    await page.getByTestId('file-input').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":1}') });
    await page.getByTestId('error-notice').filter({ hasText: 'Cannot replay notes.json' }).waitFor();
    await screenshot(page, 'replay-offline');
    await context.close();
  }, 90_000);
});

declare module 'vitest' {
  interface Assertion<T> {
    toBeEnabledSoon(): Promise<void>;
  }
}
expect.extend({
  async toBeEnabledSoon(received: { isEnabled(): Promise<boolean> }) {
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      if (await received.isEnabled()) return { pass: true, message: () => 'enabled' };
      await new Promise((r) => setTimeout(r, 50));
    }
    return { pass: false, message: () => 'the element did not become enabled within 15 s' };
  },
});
