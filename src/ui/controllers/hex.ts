/**
 * The hex view: rows of `offset | 16 hex bytes | ASCII`, virtualised (only the rows in view, plus a
 * margin, exist in the DOM), so a several-KB Certificate message scrolls as smoothly as a 2-byte
 * alert. A plain controller (no React per byte): `update()` with new bytes or a new highlight,
 * `destroy()` to detach. Every byte span carries `data-offset` (hex spans also `data-testid="byte"`,
 * the ASCII column does not); highlighted bytes get the class `hl`.
 * Pointer and keyboard report the byte under the cursor through `onHover` (null when leaving).
 */

export interface HexRange {
  start: number;
  end: number;
}

export interface HexViewOptions {
  /** A byte is hovered or focused (null: the pointer left / focus moved away). */
  onHover?: (offset: number | null) => void;
  /** A byte was clicked (or Enter on the cursor byte). */
  onPick?: (offset: number) => void;
  /** Row height in px (the CSS must give rows this height). */
  rowHeight?: number;
  /** Rows rendered above and below the visible ones. */
  overscan?: number;
  /** Accessible name of the scroll area. */
  label?: string;
  /** Bytes per row: 16 (default), or 8 in a narrow pane. */
  bytesPerRow?: 8 | 16;
}

export interface HexData {
  bytes: Uint8Array;
  highlight: HexRange | null;
}

export const BYTES_PER_ROW = 16;
/** Characters of one row at 16 bytes per row: offset, hex with gaps, ASCII (for width checks). */
export const ROW_CHARS: Record<8 | 16, number> = { 16: 4 + 2 + 48 + 2 + 16, 8: 4 + 2 + 24 + 2 + 8 };
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Rows drawn when the viewport has no measurable height (jsdom, hidden pane). */
const FALLBACK_VISIBLE_ROWS = 24;

function asciiOf(b: number): string {
  if (b < 0x20 || b > 0x7e) return '.';
  const c = String.fromCharCode(b);
  return c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c;
}

export function offsetLabel(n: number, total: number): string {
  const width = total > 0xffff ? 6 : 4;
  return n.toString(16).padStart(width, '0');
}

export class HexView {
  readonly root: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowsEl: HTMLElement;
  private readonly opts: Required<Omit<HexViewOptions, 'onHover' | 'onPick' | 'bytesPerRow'>> & Pick<HexViewOptions, 'onHover' | 'onPick'>;
  private bpr: 8 | 16;
  private data: HexData = { bytes: new Uint8Array(0), highlight: null };
  private first = -1;
  private last = -1;
  private cursor: number | null = null;
  private hovered: number | null = null;
  private destroyed = false;
  /** Re-renders the window of rows when the viewport changes size (a pane resized or enlarged). */
  private readonly ro: ResizeObserver | null;
  private readonly onScroll = () => this.render(false);
  private readonly onOver = (e: Event) => {
    const off = this.offsetOf(e.target);
    if (off === null || off === this.hovered) return;
    this.hovered = off;
    this.opts.onHover?.(off);
  };
  private readonly onLeave = () => {
    if (this.hovered === null) return;
    this.hovered = null;
    this.opts.onHover?.(null);
  };
  private readonly onClick = (e: Event) => {
    const off = this.offsetOf(e.target);
    if (off === null) return;
    this.setCursor(off);
    this.opts.onPick?.(off);
  };
  private readonly onKey = (e: KeyboardEvent) => {
    const n = this.data.bytes.length;
    if (n === 0) return;
    const cur = this.cursor ?? this.data.highlight?.start ?? 0;
    let next: number | null = null;
    switch (e.key) {
      case 'ArrowRight':
        next = cur + 1;
        break;
      case 'ArrowLeft':
        next = cur - 1;
        break;
      case 'ArrowDown':
        next = cur + this.bpr;
        break;
      case 'ArrowUp':
        next = cur - this.bpr;
        break;
      case 'PageDown':
        next = cur + this.bpr * this.visibleRows();
        break;
      case 'PageUp':
        next = cur - this.bpr * this.visibleRows();
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = n - 1;
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.opts.onPick?.(cur);
        return;
      case 'Escape':
        this.cursor = null;
        this.opts.onHover?.(null);
        this.render(true);
        return;
      default:
        return;
    }
    e.preventDefault();
    next = Math.max(0, Math.min(n - 1, next));
    this.setCursor(next);
    this.opts.onHover?.(next);
  };
  private readonly onBlur = () => {
    if (this.cursor === null) return;
    this.cursor = null;
    this.render(true);
  };

  constructor(container: HTMLElement, opts: HexViewOptions = {}) {
    const { bytesPerRow, ...rest } = opts;
    this.opts = { rowHeight: 20, overscan: 8, label: 'hex', ...rest };
    this.bpr = bytesPerRow ?? BYTES_PER_ROW;
    const doc = container.ownerDocument;
    this.root = doc.createElement('div');
    this.root.className = 'hexview';
    this.viewport = doc.createElement('div');
    this.viewport.className = 'hexview-viewport';
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'grid');
    this.viewport.setAttribute('aria-label', this.opts.label);
    this.viewport.setAttribute('aria-readonly', 'true');
    this.spacer = doc.createElement('div');
    this.spacer.className = 'hexview-spacer';
    this.rowsEl = doc.createElement('div');
    this.rowsEl.className = 'hexview-rows';
    this.spacer.appendChild(this.rowsEl);
    this.viewport.appendChild(this.spacer);
    this.root.appendChild(this.viewport);
    container.appendChild(this.root);
    this.viewport.addEventListener('scroll', this.onScroll, { passive: true });
    this.viewport.addEventListener('mouseover', this.onOver);
    this.viewport.addEventListener('mouseleave', this.onLeave);
    this.viewport.addEventListener('click', this.onClick);
    this.viewport.addEventListener('keydown', this.onKey);
    this.viewport.addEventListener('blur', this.onBlur);
    this.ro = typeof ResizeObserver === 'function' ? new ResizeObserver(() => this.render(false)) : null;
    this.ro?.observe(this.viewport);
  }

  get rowCount(): number {
    return Math.ceil(this.data.bytes.length / this.bpr);
  }

  get bytesPerRow(): 8 | 16 {
    return this.bpr;
  }

  /** Switch between 16 and 8 bytes per row (keeps the first visible byte in view). */
  setBytesPerRow(n: 8 | 16): void {
    if (n === this.bpr || this.destroyed) return;
    const firstByte = Math.floor(this.viewport.scrollTop / this.opts.rowHeight) * this.bpr;
    this.bpr = n;
    this.spacer.style.height = `${this.rowCount * this.opts.rowHeight}px`;
    this.viewport.scrollTop = Math.floor(firstByte / n) * this.opts.rowHeight;
    this.root.classList.toggle('narrow', n === 8);
    this.render(true);
  }

  /** New bytes and/or highlight. Scrolls a new highlight into view when it is off screen. */
  update(next: Partial<HexData>): void {
    if (this.destroyed) return;
    const bytesChanged = next.bytes !== undefined && next.bytes !== this.data.bytes;
    const prevHl = this.data.highlight;
    this.data = { bytes: next.bytes ?? this.data.bytes, highlight: next.highlight === undefined ? this.data.highlight : next.highlight };
    if (bytesChanged) {
      this.cursor = null;
      this.hovered = null;
      this.spacer.style.height = `${this.rowCount * this.opts.rowHeight}px`;
      this.viewport.scrollTop = 0;
      this.render(true);
      return;
    }
    const hl = this.data.highlight;
    if (hl && (!prevHl || prevHl.start !== hl.start || prevHl.end !== hl.end)) this.revealRange(hl);
    this.paintHighlight();
  }

  /** Scroll so that the range's first row is visible (no-op when it already is). */
  revealRange(r: HexRange): void {
    const row = Math.floor(r.start / this.bpr);
    const h = this.opts.rowHeight;
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || FALLBACK_VISIBLE_ROWS * h;
    if (row * h < top || (row + 1) * h > top + height) {
      this.viewport.scrollTop = Math.max(0, row * h - Math.floor(height / 3));
    }
    this.render(false);
  }

  /** Rendered row indexes [first, last] (tests, and the component's "in view" checks). */
  renderedRows(): { first: number; last: number } {
    return { first: this.first, last: this.last };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.ro?.disconnect();
    this.viewport.removeEventListener('scroll', this.onScroll);
    this.viewport.removeEventListener('mouseover', this.onOver);
    this.viewport.removeEventListener('mouseleave', this.onLeave);
    this.viewport.removeEventListener('click', this.onClick);
    this.viewport.removeEventListener('keydown', this.onKey);
    this.viewport.removeEventListener('blur', this.onBlur);
    this.root.remove();
  }

  private visibleRows(): number {
    const h = this.viewport.clientHeight;
    return h > 0 ? Math.ceil(h / this.opts.rowHeight) : FALLBACK_VISIBLE_ROWS;
  }

  private setCursor(off: number): void {
    this.cursor = off;
    this.revealRange({ start: off, end: off + 1 });
    this.paintHighlight();
  }

  private offsetOf(target: EventTarget | null): number | null {
    const el = target instanceof Element ? target.closest('[data-offset]') : null;
    if (!el) return null;
    const n = Number(el.getAttribute('data-offset'));
    return Number.isInteger(n) && n >= 0 && n < this.data.bytes.length ? n : null;
  }

  /** Draw the rows in view; `force` redraws even when the window did not move. */
  private render(force: boolean): void {
    if (this.destroyed) return;
    const rows = this.rowCount;
    const h = this.opts.rowHeight;
    const firstVisible = Math.floor(this.viewport.scrollTop / h);
    const first = Math.max(0, firstVisible - this.opts.overscan);
    const last = Math.min(rows - 1, firstVisible + this.visibleRows() + this.opts.overscan);
    if (!force && first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    const b = this.data.bytes;
    const parts: string[] = [];
    for (let r = first; r <= last; r++) {
      const base = r * this.bpr;
      const end = Math.min(b.length, base + this.bpr);
      let hex = '';
      let ascii = '';
      for (let i = base; i < base + this.bpr; i++) {
        if (i < end) {
          const v = b[i]!;
          hex += `<span class="hb${(i & 7) === 7 && i !== base + this.bpr - 1 ? ' gap' : ''}" data-testid="byte" data-offset="${i}">${HEX[v]}</span>`;
          ascii += `<span class="ab" data-offset="${i}">${asciiOf(v)}</span>`;
        } else {
          hex += '<span class="hb pad">  </span>';
        }
      }
      parts.push(
        `<div class="hexrow" role="row" data-row="${r}" style="top:${r * h}px;height:${h}px"><span class="off" role="rowheader">${offsetLabel(base, b.length)}</span><span class="hex" role="gridcell">${hex}</span><span class="ascii" role="gridcell">${ascii}</span></div>`,
      );
    }
    this.rowsEl.innerHTML = parts.join('');
    this.paintHighlight();
  }

  /** Toggle the `hl` class (and `cursor`) on the rendered byte spans only. */
  private paintHighlight(): void {
    const hl = this.data.highlight;
    const spans = this.rowsEl.querySelectorAll<HTMLElement>('[data-offset]');
    for (const s of spans) {
      const off = Number(s.dataset.offset);
      const on = hl !== null && off >= hl.start && off < hl.end;
      if (s.classList.contains('hl') !== on) s.classList.toggle('hl', on);
      if (on) {
        s.classList.toggle('hl-first', off === hl.start);
        s.classList.toggle('hl-last', off === hl.end - 1);
      } else if (s.classList.contains('hl-first') || s.classList.contains('hl-last')) {
        s.classList.remove('hl-first', 'hl-last');
      }
      const cur = off === this.cursor;
      if (s.classList.contains('cursor') !== cur) s.classList.toggle('cursor', cur);
    }
  }
}
