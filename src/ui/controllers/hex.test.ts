// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BYTES_PER_ROW, HexView, offsetLabel } from './hex.ts';

function bytes(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => i & 0xff);
}

let container: HTMLElement;
function mount(opts = {}): HexView {
  container = document.createElement('div');
  document.body.appendChild(container);
  return new HexView(container, opts);
}
afterEach(() => {
  document.body.innerHTML = '';
});

const hexSpans = () => [...container.querySelectorAll<HTMLElement>('.hex [data-offset]')];
const hl = () => [...container.querySelectorAll<HTMLElement>('.hex .hl')].map((s) => Number(s.dataset.offset));

describe('HexView', () => {
  it('renders offset | 16 hex bytes | ASCII rows with a data-offset on every byte', () => {
    const v = mount();
    const text = new TextEncoder().encode('GET /cwmp HTTP/1.1\r\nHost: acs');
    v.update({ bytes: text, highlight: null });
    const rows = container.querySelectorAll('.hexrow');
    expect(rows).toHaveLength(2);
    const row0 = rows[0]!;
    expect(row0.querySelector('.off')!.textContent).toBe('0000');
    expect([...row0.querySelectorAll('.hex [data-offset]')].map((s) => s.textContent)).toEqual(
      [...text.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')),
    );
    expect(row0.querySelector('.ascii')!.textContent).toBe('GET /cwmp HTTP/1');
    // Non-printable bytes show as dots; the second row starts at 0x10 and is padded.
    expect(rows[1]!.querySelector('.off')!.textContent).toBe('0010');
    expect(rows[1]!.querySelector('.ascii')!.textContent).toBe('.1..Host: acs');
    expect(rows[1]!.querySelectorAll('.hex [data-offset]')).toHaveLength(text.length - 16);
    expect(hexSpans().map((s) => Number(s.dataset.offset))).toEqual([...text.keys()]);
    expect([...container.querySelectorAll<HTMLElement>('[data-testid="byte"]')].map((s) => Number(s.dataset.offset))).toEqual([...text.keys()]);
  });

  it('escapes markup characters in the ASCII column', () => {
    const v = mount();
    v.update({ bytes: new TextEncoder().encode('<a>&'), highlight: null });
    expect(container.querySelector('.ascii')!.textContent).toBe('<a>&');
    expect(container.querySelector('.ascii a')).toBeNull();
  });

  it('highlights exactly the bytes of the range, in hex and ASCII, and moves the highlight', () => {
    const v = mount();
    v.update({ bytes: bytes(100), highlight: { start: 5, end: 9 } });
    expect(hl()).toEqual([5, 6, 7, 8]);
    expect([...container.querySelectorAll<HTMLElement>('.ascii .hl')].map((s) => Number(s.dataset.offset))).toEqual([5, 6, 7, 8]);
    expect(container.querySelector('[data-offset="5"]')!.classList.contains('hl-first')).toBe(true);
    v.update({ highlight: { start: 30, end: 34 } });
    expect(hl()).toEqual([30, 31, 32, 33]);
    expect(container.querySelector('.hex [data-offset="5"]')!.classList.contains('hl-first')).toBe(false);
    v.update({ highlight: null });
    expect(hl()).toEqual([]);
  });

  it('virtualises: a 6 KB message renders only a window of rows, and scrolling moves it', () => {
    const v = mount({ rowHeight: 20, overscan: 4 });
    const n = 6000;
    v.update({ bytes: bytes(n), highlight: null });
    expect(v.rowCount).toBe(Math.ceil(n / BYTES_PER_ROW));
    const rendered = container.querySelectorAll('.hexrow').length;
    expect(rendered).toBeLessThan(40);
    expect(container.querySelector<HTMLElement>('.hexview-spacer')!.style.height).toBe(`${v.rowCount * 20}px`);
    const viewport = container.querySelector<HTMLElement>('.hexview-viewport')!;
    viewport.scrollTop = 200 * 20;
    viewport.dispatchEvent(new Event('scroll'));
    const { first, last } = v.renderedRows();
    expect(first).toBe(196);
    expect(last).toBeGreaterThan(200);
    expect(container.querySelector('[data-row="200"] .off')!.textContent).toBe(offsetLabel(200 * 16, n));
    expect(container.querySelector('[data-row="0"]')).toBeNull();
  });

  it('scrolls a highlight that is out of view into view, and paints it', () => {
    const v = mount({ rowHeight: 20 });
    v.update({ bytes: bytes(8000), highlight: null });
    v.update({ highlight: { start: 7000, end: 7010 } });
    const viewport = container.querySelector<HTMLElement>('.hexview-viewport')!;
    expect(viewport.scrollTop).toBeGreaterThan(0);
    expect(hl()).toEqual(Array.from({ length: 10 }, (_, i) => 7000 + i));
  });

  it('reports the hovered byte and the leave', () => {
    const onHover = vi.fn();
    const v = mount({ onHover });
    v.update({ bytes: bytes(64), highlight: null });
    const span = container.querySelector('.hex [data-offset="37"]')!;
    span.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    expect(onHover).toHaveBeenLastCalledWith(37);
    container.querySelector('.ascii [data-offset="3"]')!.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    expect(onHover).toHaveBeenLastCalledWith(3);
    container.querySelector('.hexview-viewport')!.dispatchEvent(new MouseEvent('mouseleave'));
    expect(onHover).toHaveBeenLastCalledWith(null);
  });

  it('moves a cursor with the arrow keys and reports it like a hover', () => {
    const onHover = vi.fn();
    const onPick = vi.fn();
    const v = mount({ onHover, onPick });
    v.update({ bytes: bytes(64), highlight: null });
    const viewport = container.querySelector<HTMLElement>('.hexview-viewport')!;
    const key = (k: string) => viewport.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
    key('ArrowRight');
    expect(onHover).toHaveBeenLastCalledWith(1);
    key('ArrowDown');
    expect(onHover).toHaveBeenLastCalledWith(17);
    expect(container.querySelector('.hex .cursor')!.getAttribute('data-offset')).toBe('17');
    key('End');
    expect(onHover).toHaveBeenLastCalledWith(63);
    key('ArrowRight');
    expect(onHover).toHaveBeenLastCalledWith(63);
    key('Enter');
    expect(onPick).toHaveBeenLastCalledWith(63);
  });

  it('new bytes reset the view; destroy removes it and stops listening', () => {
    const onHover = vi.fn();
    const v = mount({ onHover });
    v.update({ bytes: bytes(3000), highlight: { start: 2900, end: 2901 } });
    v.update({ bytes: bytes(10) });
    expect(container.querySelectorAll('.hexrow')).toHaveLength(1);
    v.destroy();
    expect(container.querySelector('.hexview')).toBeNull();
    v.update({ bytes: bytes(20) });
    expect(container.querySelector('.hexview')).toBeNull();
  });

  it('a narrow pane shows 8 bytes per row, and switching keeps the bytes and the highlight', () => {
    const v = mount();
    v.update({ bytes: bytes(40), highlight: { start: 9, end: 11 } });
    expect(container.querySelectorAll('.hexrow')).toHaveLength(3);
    v.setBytesPerRow(8);
    const rows = container.querySelectorAll('.hexrow');
    expect(rows).toHaveLength(5);
    expect(rows[1]!.querySelector('.off')!.textContent).toBe('0008');
    expect([...rows[1]!.querySelectorAll('.hex [data-offset]')].map((s) => Number((s as HTMLElement).dataset.offset))).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
    expect(hl()).toEqual([9, 10]);
    const viewport = container.querySelector<HTMLElement>('.hexview-viewport')!;
    viewport.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(container.querySelector('.hex .cursor')!.getAttribute('data-offset')).toBe('17');
  });

  it('offset labels widen past 64 KB', () => {
    expect(offsetLabel(0x10, 100)).toBe('0010');
    expect(offsetLabel(0x10, 0x20000)).toBe('000010');
  });
});
