// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { translate } from '../i18n/index.ts';
import { captureLines, plainText } from '../lib/frames.ts';
import { loadFixture } from '../lib/testdata/load.ts';
import { initialState, labStore } from '../store.ts';
import { CaptureTerminal } from './CaptureTerminal.tsx';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let host: HTMLElement;
let copied: string | null = null;

beforeAll(() => {
  // jsdom has neither matchMedia nor a canvas; xterm's DOM renderer needs only these stubs.
  window.matchMedia ??= ((q: string) => ({ matches: false, media: q, onchange: null, addEventListener() {}, removeEventListener() {}, addListener() {}, removeListener() {}, dispatchEvent: () => false })) as typeof window.matchMedia;
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as typeof HTMLCanvasElement.prototype.getContext;
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: {
      writeText: async (s: string) => {
        copied = s;
      },
    },
  });
});
beforeEach(() => {
  copied = null;
  labStore.setState(initialState('en'));
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
  act(() => root.render(<CaptureTerminal />));
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

const en = (k: string, p?: Record<string, string | number>) => translate('en', k, p);

describe('<CaptureTerminal/>', () => {
  test('a terminal for the current session; Copy copies every line as plain text', async () => {
    expect(host.querySelector('[data-testid="terminal"] .xterm')).not.toBeNull();
    expect(host.textContent).toContain('Waiting for a session');
    const copy = [...host.querySelectorAll('button')].find((b) => b.textContent === 'Copy')!;
    expect(copy.disabled).toBe(true);
    act(() => labStore.getState().addSession({ id: 's1', source: 'live', label: 's1', config: null, mode: 'run' }));
    const ev = loadFixture('acs-expired-openssl');
    act(() => labStore.getState().pushEvents('s1', ev));
    act(() => labStore.getState().endSession('s1', 'finished'));
    expect(copy.disabled).toBe(false);
    await act(async () => copy.click());
    expect(copied).toBe(plainText(captureLines(ev, en)));
    expect(host.querySelector('[role="status"]')!.textContent).toBe(`Copied ${captureLines(ev, en).length} lines`);
  });

  test('in 中文 the header and notes are translated', async () => {
    act(() => labStore.getState().setLang('zh'));
    act(() => labStore.getState().addSession({ id: 's1', source: 'live', label: 's1', config: null, mode: 'run' }));
    act(() => labStore.getState().pushEvents('s1', loadFixture('paper')));
    const copy = [...host.querySelectorAll('button')].find((b) => b.textContent === '复制')!;
    await act(async () => copy.click());
    expect(copied).toContain('连接 #0 已建立');
    expect(copied).toContain('Server Hello, Certificate, Certificate Request, Server Hello Done');
    expect(host.textContent).toContain('抓包');
  });

  test('the terminal\'s accessible name follows the language switch', () => {
    const area = () => host.querySelector('[data-testid="terminal"] textarea')!;
    expect(area().getAttribute('aria-label')).toBe(en('terminal.aria'));
    act(() => labStore.getState().setLang('zh'));
    expect(area().getAttribute('aria-label')).toBe(translate('zh', 'terminal.aria'));
  });
});
