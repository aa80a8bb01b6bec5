// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { initialState, labStore } from '../store.ts';
import { loadFixture } from '../lib/testdata/load.ts';
import { Ladder } from './Ladder.tsx';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let host: HTMLElement;

beforeEach(() => {
  labStore.setState({ ...initialState('en'), reducedMotion: true });
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
  act(() => root.render(<Ladder />));
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

const arrows = () => [...host.querySelectorAll<SVGGElement>('[data-testid="ladder"] [data-testid="arrow"]')];

function start(id: string) {
  act(() => labStore.getState().addSession({ id, source: 'live', label: id, config: null, mode: 'run' }));
}

describe('<Ladder/>', () => {
  test('draws the current session as its events arrive, and selects in the store on click', () => {
    expect(host.querySelector('[data-testid="ladder"]')).not.toBeNull();
    expect(host.textContent).toContain('Run a session');
    start('s1');
    const ev = loadFixture('acs-expired-openssl');
    act(() => labStore.getState().pushEvents('s1', ev.slice(0, 3)));
    expect(arrows().map((a) => a.dataset.name)).toEqual(['ClientHello']);
    act(() => labStore.getState().pushEvents('s1', ev));
    const names = arrows().map((a) => `${a.dataset.name}:${a.dataset.from}>${a.dataset.to}`);
    expect(names.at(-1)).toBe('Alert:cpe>acs');
    const alert = arrows().at(-1)!;
    expect(alert.dataset.aborted).toBe('true');
    act(() => alert.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(labStore.getState().selected).toBe(Number(alert.dataset.seq));
    expect(alert.classList.contains('is-selected')).toBe(true);
    expect(host.textContent).toContain(`${ev.filter((e) => e.kind === 'message').length} messages`);
  });

  test('step mode: the held records of the current session', () => {
    start('s1');
    const ev = loadFixture('paper');
    act(() => labStore.getState().pushEvents('s1', ev.slice(0, 3)));
    act(() => labStore.getState().setHeld('s1', [{ conn: 0, from: 'server', records: 2, bytes: 1000 }]));
    expect(host.querySelector('[data-testid="ladder-held"]')!.textContent).toBe('2 records waiting at the relay from ACS');
    act(() => labStore.getState().setHeld('s1', []));
    expect(host.querySelector('[data-testid="ladder-held"]')).toBeNull();
  });

  test('zoom buttons, slider and follow toggle', () => {
    start('s1');
    act(() => labStore.getState().pushEvents('s1', loadFixture('paper')));
    const slider = host.querySelector<HTMLInputElement>('input[type="range"]')!;
    expect(slider.value).toBe('1');
    const zoomIn = host.querySelector<HTMLButtonElement>('button[aria-label="Zoom in"]')!;
    act(() => zoomIn.click());
    expect(Number(slider.value)).toBeCloseTo(1.25);
    const follow = [...host.querySelectorAll('button')].find((b) => b.textContent?.includes('Follow latest'))!;
    expect(follow.getAttribute('aria-pressed')).toBe('true');
    act(() => follow.click());
    expect(follow.getAttribute('aria-pressed')).toBe('false');
    // A new session follows again.
    start('s2');
    expect(follow.getAttribute('aria-pressed')).toBe('true');
    expect(arrows()).toHaveLength(0);
  });

  test('legend and labels in 中文', () => {
    start('s1');
    act(() => labStore.getState().pushEvents('s1', loadFixture('mitm-verify-off')));
    act(() => labStore.getState().setLang('zh'));
    expect(host.textContent).toContain('握手时序图');
    expect(host.textContent).toContain('密钥交换');
    expect(host.textContent).toContain('跟随最新');
    expect(arrows()[0]!.getAttribute('aria-label')).toContain('从 CPE 到 攻击者');
    expect(host.textContent).not.toContain('⟦');
  });

  test('unmount destroys the drawing', () => {
    start('s1');
    act(() => labStore.getState().pushEvents('s1', loadFixture('paper')));
    const ladder = host.querySelector('[data-testid="ladder"]')!;
    expect(ladder.childNodes.length).toBeGreaterThan(0);
    act(() => root.render(<></>));
    expect(host.querySelector('[data-testid="ladder"]')).toBeNull();
    act(() => root.render(<Ladder />));
  });
});
