// @vitest-environment jsdom
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { labStore } from '../store.ts';
import { ViewBoundary } from './ViewBoundary.tsx';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let broken = true;
function Fragile() {
  if (broken) throw new Error('d3 exploded');
  return <p data-testid="fine">fine</p>;
}

afterEach(() => {
  document.body.innerHTML = '';
  labStore.setState({ lang: 'en' });
});

describe('ViewBoundary', () => {
  it('a view that throws is replaced by words in the current language; its neighbours keep working; Try again re-mounts it', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const el = document.createElement('div');
    document.body.appendChild(el);
    const root = createRoot(el);
    act(() =>
      root.render(
        <>
          <ViewBoundary name="ladder">
            <Fragile />
          </ViewBoundary>
          <p data-testid="neighbour">still here</p>
        </>,
      ),
    );
    const box = el.querySelector('[data-testid="view-error-ladder"]')!;
    expect(box.getAttribute('role')).toBe('alert');
    expect(box.textContent).toContain('The handshake view stopped working');
    expect(box.textContent).toContain('d3 exploded');
    expect(el.querySelector('[data-testid="neighbour"]')).not.toBeNull();
    act(() => labStore.setState({ lang: 'zh' }));
    expect(el.querySelector('[data-testid="view-error-ladder"]')!.textContent).toContain('握手时序视图出错');
    broken = false;
    act(() => el.querySelector('button')!.click());
    expect(el.querySelector('[data-testid="fine"]')).not.toBeNull();
    act(() => root.unmount());
    spy.mockRestore();
  });
});
