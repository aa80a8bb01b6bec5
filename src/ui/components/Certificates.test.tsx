// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LabEvent, SessionEventT } from '../../protocol/events.ts';
import { buildScenario } from '../../pki/faults/index.ts';
import { loadFixture } from '../lib/testdata/load.ts';
import { initialState, labStore } from '../store.ts';
import { Certificates } from './Certificates.tsx';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** The real acs-expired OpenSSL session, with that scenario's certificates back in its session event. */
let events: LabEvent[];
beforeAll(async () => {
  const raw = loadFixture('acs-expired-openssl');
  const sc = await buildScenario(['acs-expired']);
  const s = raw[0] as SessionEventT;
  events = [
    {
      ...s,
      startedAt: new Date().toISOString(),
      certificates: {
        cpe: { chain: [...sc.cpe.chain], trust: [...sc.cpe.trust], expectsPeerName: sc.acsHostname },
        acs: { chain: [...sc.acs.chain], trust: [...sc.acs.trust], expectsPeerName: null },
      },
    },
    ...raw.slice(1),
  ];
});

let root: Root;
let host: HTMLElement;
function show(evs: LabEvent[], lang: 'en' | 'zh' = 'en') {
  act(() => {
    labStore.setState({
      ...initialState(lang),
      sessions: { s: { id: 's', source: 'transcript', label: 's', config: null, mode: 'run', events: evs, held: [], status: 'ended', endReason: 'aborted' } },
      order: ['s'],
      current: 's',
    });
  });
}
beforeEach(() => {
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
  act(() => root.render(<Certificates />));
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  act(() => labStore.setState(initialState()));
});

const q = (sel: string) => host.querySelector<HTMLElement>(sel);
const check = (id: string) => q(`[data-testid="cert-checks"] [data-check="${id}"]`);

describe('Certificates', () => {
  it('without a session it says what to do', () => {
    expect(q('[data-testid="certificates"]')!.textContent).toMatch(/Run a session/);
  });

  it('acs-expired: opens the ACS leaf, validity ✕ in the browser next to what OpenSSL said', () => {
    show(events);
    expect(host.querySelectorAll('[data-testid="cert-node"]')).toHaveLength(4);
    expect(q('[data-testid="cert-detail"]')!.dataset.id).toBe('acs:0');
    expect(check('validity')!.dataset.status).toBe('fail');
    expect(check('validity')!.textContent).toMatch(/expired on/);
    expect(check('hostname')!.dataset.status).toBe('pass');
    const real = q('[data-testid="cert-detail"] [data-testid="real-verdict-acs"]')!;
    expect(real.dataset.state).toBe('fail');
    expect(real.textContent).toContain('What OpenSSL said');
    expect(real.textContent).toContain('X509_V_ERR_CERT_HAS_EXPIRED (10) at depth 0');
    expect(q('.real-here')!.textContent).toMatch(/OpenSSL reported its error at this certificate/);
    expect(q('[data-testid="cert-detail"]')!.textContent).toContain("The browser’s check (node-forge");
    expect(q('[data-testid="cert-timeline"]')!.dataset.inside).toBe('false');
    expect(q('[data-testid="tl-session"]')).not.toBeNull();
    expect(q('[data-testid="cert-detail"]')!.textContent).toContain('DNS:acs.lab.test');
    expect(q('[data-testid="cert-detail"]')!.textContent).toContain('sha256WithRSAEncryption');
  });

  it('clicking another certificate opens it (kept in the store)', () => {
    show(events);
    act(() => q('[data-id="cpe:1"]')!.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(labStore.getState().certSelected).toBe('cpe:1');
    const d = q('[data-testid="cert-detail"]')!;
    expect(d.dataset.id).toBe('cpe:1');
    expect(d.textContent).toContain('Handshake Lab Root CA');
    expect(d.textContent).toContain('CA:TRUE');
    expect(q('[data-testid="cert-detail"] [data-testid="real-verdict-cpe"]')!.dataset.state).toBe('notReached');
  });

  it('Copy PEM works without the Clipboard API (a classroom server over plain http)', async () => {
    show(events);
    let copied = '';
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined });
    Object.defineProperty(document, 'execCommand', {
      configurable: true,
      writable: true,
      value: () => {
        copied = document.querySelector<HTMLTextAreaElement>('textarea.offscreen')?.value ?? '';
        return true;
      },
    });
    try {
      const btn = [...host.querySelectorAll<HTMLButtonElement>('[data-testid="cert-detail"] button')].find((b) => b.textContent === 'Copy PEM')!;
      await act(async () => btn.click());
      expect(copied).toMatch(/^-----BEGIN CERTIFICATE-----/);
      expect(btn.textContent).toBe('Copied');
    } finally {
      delete (navigator as { clipboard?: unknown }).clipboard;
      delete (document as { execCommand?: unknown }).execCommand;
    }
  });

  it('a PEM that does not parse gives a clear message, not a crash', () => {
    const s = events[0] as SessionEventT;
    const broken: LabEvent[] = [{ ...s, certificates: { ...s.certificates, acs: { ...s.certificates.acs, chain: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'] } } }, ...events.slice(1)];
    show(broken);
    act(() => labStore.getState().selectCert('acs:0'));
    expect(q('[data-testid="cert-parse-error"]')!.textContent).toMatch(/could not be read \(ERR_BAD_CERTIFICATE\)/);
    expect(q('[data-id="acs:0"]')!.dataset.status).toBe('fail');
  });

  it('the timeline marks "now" for a live session, and both the session time and today for an old one', () => {
    show(events);
    expect(q('[data-testid="tl-session"]')!.textContent).toBe('now');
    expect(q('[data-testid="tl-today"]')).toBeNull();
    const s = events[0] as SessionEventT;
    const old = new Date(Date.now() - 3 * 86400e3).toISOString();
    show([{ ...s, startedAt: old }, ...events.slice(1)]);
    expect(q('[data-testid="tl-session"]')!.textContent).toBe('session');
    expect(q('[data-testid="tl-today"]')!.textContent).toBe('today');
  });

  it('speaks Chinese', () => {
    show(events, 'zh');
    expect(q('[data-testid="cert-detail"]')!.textContent).toMatch(/浏览器的检查/);
    expect(check('validity')!.textContent).toMatch(/过期/);
  });
});
