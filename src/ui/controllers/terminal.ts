import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITheme } from '@xterm/xterm';
import { displayWidth, plainText, type TermLine, type TermStyle } from '../lib/frames.ts';

/**
 * The capture terminal: an xterm.js terminal (read-only) showing the packet list that
 * lib/frames.ts formats. A plain class so xterm never lives in React render code: the component
 * creates it in a mount effect, calls update() with each new list, destroy() in cleanup.
 */

/** Truecolor SGR per style: readable (AA) on the dark background below; the ladder uses the same hue families. */
const SGR: Record<TermStyle, string> = {
  hello: '38;2;147;197;253',
  certificate: '38;2;216;180;254',
  keyExchange: '38;2;94;234;212',
  finished: '38;2;134;239;172',
  ccs: '38;2;253;224;71',
  alert: '1;38;2;255;122;122',
  appData: '38;2;203;213;225',
  http: '38;2;253;186;116',
  cwmp: '38;2;249;168;212',
  other: '38;2;209;213;219',
  header: '1;38;2;248;250;252',
  dim: '38;2;148;163;184',
  text: '',
  proto: '38;2;165;180;252',
  tcp: '38;2;148;163;184',
  warn: '38;2;250;204;21',
  error: '1;38;2;248;113;113',
  ok: '1;38;2;74;222;128',
  fail: '1;38;2;248;113;113',
};

export const TERMINAL_THEME: ITheme = {
  background: '#0f172a',
  foreground: '#e2e8f0',
  cursor: '#0f172a',
  cursorAccent: '#0f172a',
  selectionBackground: '#334155',
  selectionForeground: '#f8fafc',
};

/** One line with its colors as ANSI escapes (no line ending). */
export function ansiLine(l: TermLine): string {
  let s = '';
  for (const seg of l.segs) {
    const code = SGR[seg.style];
    s += code ? `\x1b[${code}m${seg.text}\x1b[0m` : seg.text;
  }
  return s;
}

/** Where lines go: the terminal, or a test's array. */
export interface LineSink {
  reset(): void;
  write(text: string): void;
  /** The screen's size in cells (null: unknown, so a changed line always means starting over). */
  size(): { cols: number; rows: number } | null;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}
const REAL_TIMERS: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

/**
 * Decides what to write: lines are appended; a live session's last frame may still grow (its HTTP
 * message arrives a moment after the record; in step mode each step releases one more record of
 * the segment), so it is held back `holdMs` before being written. If a line already written changes
 * after all, the lines from there on are rewritten in place when still on screen, else the terminal
 * starts over; a new session starts over too.
 */
export class LineWriter {
  private session: string | null | undefined = undefined;
  private written: string[] = [];
  /** Display width (cells) of each written line, to know how many rows it took. */
  private widths: number[] = [];
  private pending: string[] = [];
  private pendingWidths: number[] = [];
  private timer: unknown = null;

  constructor(
    private readonly sink: LineSink,
    private readonly holdMs = 150,
    private readonly timers: Timers = REAL_TIMERS,
  ) {}

  /** How many lines are on screen. */
  get count(): number {
    return this.written.length;
  }

  update(session: string | null, lines: readonly TermLine[], live: boolean): void {
    if (session !== this.session) {
      this.session = session;
      this.cancel();
      this.written = [];
      this.widths = [];
      this.sink.reset();
    }
    const encoded = lines.map(ansiLine);
    const widths = lines.map((l) => displayWidth(l.text));
    const stable = live && lines.length > 0 && lines[lines.length - 1]!.open ? lines.length - 1 : lines.length;
    // The first written line that no longer matches (usually none; in step mode, the last frame grows).
    let first = this.written.length;
    for (let i = 0; i < this.written.length; i++)
      if (i >= encoded.length || this.written[i] !== encoded[i]) {
        first = i;
        break;
      }
    if (first < this.written.length) {
      this.cancel();
      if (!this.rewind(first)) {
        this.written = [];
        this.widths = [];
        this.sink.reset();
      }
    }
    if (stable > this.written.length) this.emit(encoded.slice(this.written.length, stable), widths.slice(this.written.length, stable));
    this.pending = encoded.slice(Math.max(stable, this.written.length));
    this.pendingWidths = widths.slice(Math.max(stable, this.written.length));
    if (this.pending.length === 0) this.cancel();
    else if (this.timer === null)
      this.timer = this.timers.set(() => {
        this.timer = null;
        if (this.pending.length) this.emit(this.pending, this.pendingWidths);
        this.pending = [];
        this.pendingWidths = [];
      }, this.holdMs);
  }

  dispose(): void {
    this.cancel();
  }

  private emit(lines: string[], widths: number[]): void {
    this.written.push(...lines);
    this.widths.push(...widths);
    this.sink.write(lines.map((l) => `${l}\r\n`).join(''));
  }

  /**
   * Takes back the lines from `from` on, in place: the cursor goes up over the rows they took and
   * the screen below is erased. Only when they are all still on screen; false otherwise.
   */
  private rewind(from: number): boolean {
    const size = this.sink.size();
    if (!size || size.cols <= 0) return false;
    let rows = 0;
    for (let i = from; i < this.widths.length; i++) rows += Math.max(1, Math.ceil(this.widths[i]! / size.cols));
    if (rows >= size.rows) return false;
    this.sink.write(`\x1b[${rows}A\r\x1b[J`);
    this.written.length = from;
    this.widths.length = from;
    return true;
  }

  private cancel(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }
}

export interface TerminalData {
  session: string | null;
  lines: readonly TermLine[];
  /** The session is still running (its last frame may grow). */
  live: boolean;
  fontSize: number;
  /** The terminal's accessible name (follows the language). */
  ariaLabel?: string;
}

const HIDE_CURSOR = '\x1b[?25l';

export class TerminalController {
  private readonly term: Terminal;
  private readonly fit: FitAddon;
  private readonly writer: LineWriter;
  private readonly ro: ResizeObserver | null;
  private lines: readonly TermLine[] = [];
  private fontSize: number;
  private frame = 0;
  private destroyed = false;

  constructor(
    private readonly host: HTMLElement,
    opts: { fontSize: number; ariaLabel: string },
  ) {
    this.fontSize = opts.fontSize;
    this.term = new Terminal({
      disableStdin: true,
      cursorBlink: false,
      cursorInactiveStyle: 'none',
      scrollback: 20000,
      fontSize: opts.fontSize,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace',
      lineHeight: 1.15,
      theme: TERMINAL_THEME,
      allowProposedApi: false,
    });
    this.fit = new FitAddon();
    this.term.loadAddon(this.fit);
    // Ctrl/Cmd+C copies the selection (the browser's copy, which xterm fills), Ctrl/Cmd+A selects everything.
    this.term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown' || !(e.ctrlKey || e.metaKey)) return true;
      const k = e.key.toLowerCase();
      if (k === 'c' && this.term.hasSelection()) return false;
      if (k === 'a') {
        this.term.selectAll();
        e.preventDefault();
        return false;
      }
      return true;
    });
    this.term.open(host);
    this.term.textarea?.setAttribute('aria-label', opts.ariaLabel);
    this.term.write(HIDE_CURSOR);
    this.writer = new LineWriter({
      reset: () => {
        this.term.reset();
        this.term.write(HIDE_CURSOR);
      },
      write: (s) => this.term.write(s),
      size: () => ({ cols: this.term.cols, rows: this.term.rows }),
    });
    this.ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => this.refit());
    this.ro?.observe(host);
    this.refit();
  }

  update(data: TerminalData): void {
    if (this.destroyed) return;
    this.lines = data.lines;
    if (data.ariaLabel !== undefined) this.term.textarea?.setAttribute('aria-label', data.ariaLabel);
    if (data.fontSize !== this.fontSize) {
      this.fontSize = data.fontSize;
      this.term.options.fontSize = data.fontSize;
      this.refit();
    }
    this.writer.update(data.session, data.lines, data.live);
  }

  /** Every line of the current session as plain text (what the Copy button copies). */
  copyText(): string {
    return plainText(this.lines);
  }

  /** The terminal's own selection, if any. */
  selection(): string {
    return this.term.getSelection();
  }

  focus(): void {
    this.term.focus();
  }

  /** Resolves once everything written so far is in the terminal's buffer (tests). */
  flushed(): Promise<void> {
    return new Promise((resolve) => this.term.write('', resolve));
  }

  /** The terminal's buffer as text lines, trailing blanks dropped (tests). */
  bufferText(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) {
      const line = b.getLine(i);
      if (!line) continue;
      const text = line.translateToString(true);
      if (line.isWrapped && out.length) out[out.length - 1] += text;
      else out.push(text);
    }
    while (out.length && out[out.length - 1] === '') out.pop();
    return out;
  }

  destroy(): void {
    this.destroyed = true;
    this.ro?.disconnect();
    if (this.frame && typeof cancelAnimationFrame !== 'undefined') cancelAnimationFrame(this.frame);
    this.writer.dispose();
    this.term.dispose();
  }

  private refit(): void {
    if (this.destroyed) return;
    const run = () => {
      this.frame = 0;
      if (this.destroyed || !this.host.isConnected) return;
      // A hidden pane measures 0×0: keep the last size rather than collapsing to one column.
      if (this.host.clientWidth === 0 || this.host.clientHeight === 0) return;
      try {
        this.fit.fit();
      } catch {
        /* not laid out yet */
      }
    };
    if (typeof requestAnimationFrame === 'undefined') run();
    else if (!this.frame) this.frame = requestAnimationFrame(run);
  }
}
