// @vitest-environment jsdom
import { Terminal } from '@xterm/xterm';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { translate } from '../i18n/index.ts';
import { captureLines, displayWidth, type TermLine } from '../lib/frames.ts';
import { loadFixture } from '../lib/testdata/load.ts';
import { ansiLine, LineWriter, TerminalController, type Timers } from './terminal.ts';

const en = (k: string, p?: Record<string, string | number>) => translate('en', k, p);
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/**
 * A sink that models the screen as rows: a line wider than `cols` wraps onto more rows; the writer's
 * "cursor up n rows, erase below" takes rows back. Counts resets and writes.
 */
function fakeSink(size: { cols: number; rows: number } | null = { cols: 1000, rows: 50 }) {
  const s = { rows: [] as (string | null)[], resets: 0, writes: 0 };
  return {
    s,
    sink: {
      reset: () => {
        s.rows = [];
        s.resets++;
      },
      write: (t: string) => {
        s.writes++;
        const up = /^\x1b\[(\d+)A\r\x1b\[J/.exec(t);
        if (up) {
          s.rows.length -= Number(up[1]);
          t = t.slice(up[0].length);
        }
        for (const line of t.split('\r\n').slice(0, -1)) {
          const text = stripAnsi(line);
          s.rows.push(text);
          const extra = size ? Math.max(1, Math.ceil(displayWidth(text) / size.cols)) - 1 : 0;
          for (let i = 0; i < extra; i++) s.rows.push(null); // wrapped continuation
        }
      },
      size: () => size,
    },
    lines: () => s.rows.filter((r): r is string => r !== null),
  };
}

/** Timers run by hand. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let id = 0;
  const timers: Timers = {
    set: (fn) => {
      pending.set(++id, fn);
      return id;
    },
    clear: (h) => void pending.delete(h as number),
  };
  return {
    timers,
    pending,
    runAll: () => {
      for (const [k, fn] of [...pending]) {
        pending.delete(k);
        fn();
      }
    },
  };
}

describe('ANSI lines', () => {
  test('colors per style, plain text unchanged', () => {
    const lines = captureLines(loadFixture('acs-expired-openssl'), en);
    for (const l of lines) expect(stripAnsi(ansiLine(l)).trimEnd()).toBe(l.text);
    const alert = lines.find((l) => l.text.includes('Certificate Expired'))!;
    expect(ansiLine(alert)).toMatch(/\x1b\[1;38;2;255;122;122mAlert \(Level: Fatal/);
  });
});

describe('line writer (what reaches the terminal)', () => {
  test('appends new lines only, one write per update', () => {
    const ev = loadFixture('paper');
    const f = fakeSink();
    const w = new LineWriter(f.sink, 150, manualTimers().timers);
    // Up to the ServerHello: every line so far is final.
    const cut = ev.findIndex((e) => e.kind === 'message' && e.name === 'ServerHello');
    w.update('a', captureLines(ev.slice(0, cut), en), false);
    const first = f.lines();
    w.update('a', captureLines(ev, en), false);
    expect(f.lines().slice(0, first.length)).toEqual(first);
    expect(f.lines()).toEqual(captureLines(ev, en).map((l) => l.text));
    expect(f.s.resets).toBe(1); // the first session only
    expect(f.s.writes).toBe(2);
    expect(w.count).toBe(captureLines(ev, en).length);
  });

  test('a live frame that may still grow waits, then is written; its HTTP arriving in time replaces it', () => {
    const ev = loadFixture('paper');
    const i = ev.findIndex((e) => e.kind === 'message' && e.name === 'ApplicationData');
    const f = fakeSink();
    const m = manualTimers();
    const w = new LineWriter(f.sink, 150, m.timers);
    const before = captureLines(ev.slice(0, i + 1), en);
    w.update('a', before, true);
    expect(f.lines()).toEqual(before.slice(0, -1).map((l) => l.text)); // held back
    expect(m.pending.size).toBe(1);
    const after = captureLines(ev.slice(0, i + 3), en); // its HTTP and CWMP arrived
    w.update('a', after, true);
    m.runAll();
    expect(f.lines()).toEqual(after.map((l) => l.text));
    expect(f.lines().at(-1)).toMatch(/POST \/ HTTP\/1\.1 \(CWMP Inform\)$/);
    expect(f.s.resets).toBe(1);
  });

  test('step mode: a held-back frame is written after the pause even if nothing else comes', () => {
    const ev = loadFixture('paper');
    const i = ev.findIndex((e) => e.kind === 'message' && e.name === 'ClientHello');
    const f = fakeSink();
    const m = manualTimers();
    const w = new LineWriter(f.sink, 150, m.timers);
    const lines = captureLines(ev.slice(0, i + 1), en);
    w.update('a', lines, true);
    expect(f.lines().some((l) => l.includes('Client Hello'))).toBe(false);
    m.runAll();
    expect(f.lines().at(-1)).toContain('Client Hello');
    expect(w.count).toBe(lines.length);
  });

  test('a line changing after it was written is rewritten in place (step mode: the segment grows record by record)', () => {
    const ev = loadFixture('paper');
    const sh = ev.findIndex((e) => e.kind === 'message' && e.name === 'ServerHello');
    const done = ev.findIndex((e) => e.kind === 'message' && e.name === 'ServerHelloDone');
    for (const size of [{ cols: 1000, rows: 50 }, { cols: 30, rows: 50 }]) {
      const f = fakeSink(size);
      const m = manualTimers();
      const w = new LineWriter(f.sink, 150, m.timers);
      for (let i = sh; i <= done; i++) {
        w.update('a', captureLines(ev.slice(0, i + 1), en), true);
        m.runAll(); // each step's frame is written after the pause…
      }
      const full = captureLines(ev.slice(0, done + 1), en);
      // …and the next step rewrote it in place: no restart, every line right.
      expect(f.s.resets).toBe(1);
      expect(f.lines()).toEqual(full.map((l) => l.text));
      expect(f.lines().at(-1)).toMatch(/Server Hello, Certificate, Certificate Request, Server Hello Done$/);
    }
  });

  test('when the changed lines are no longer on screen (or the size is unknown), it starts over', () => {
    const ev = loadFixture('paper');
    const i = ev.findIndex((e) => e.kind === 'message' && e.name === 'ApplicationData');
    for (const size of [null, { cols: 10, rows: 5 }]) {
      const f = fakeSink(size);
      const m = manualTimers();
      const w = new LineWriter(f.sink, 150, m.timers);
      w.update('a', captureLines(ev.slice(0, i + 1), en), true);
      m.runAll(); // written as "Application Data"
      const full = captureLines(ev.slice(0, i + 3), en);
      w.update('a', full, true);
      expect(f.s.resets).toBe(2);
      m.runAll();
      expect(f.lines()).toEqual(full.map((l) => l.text));
    }
  });

  test('a new session clears the terminal', () => {
    const f = fakeSink();
    const w = new LineWriter(f.sink, 150, manualTimers().timers);
    w.update('a', captureLines(loadFixture('paper'), en), false);
    const second = captureLines(loadFixture('acs-expired-openssl'), en);
    w.update('b', second, false);
    expect(f.s.resets).toBe(2);
    expect(f.lines()).toEqual(second.map((l) => l.text));
    w.update(null, [], false);
    expect(f.lines()).toEqual([]);
  });
});

describe('terminal controller (xterm in jsdom)', () => {
  beforeAll(() => {
    // jsdom has neither matchMedia nor a canvas; xterm's DOM renderer needs only these stubs.
    window.matchMedia ??= ((q: string) => ({ matches: false, media: q, onchange: null, addEventListener() {}, removeEventListener() {}, addListener() {}, removeListener() {}, dispatchEvent: () => false })) as typeof window.matchMedia;
    HTMLCanvasElement.prototype.getContext = (() => null) as unknown as typeof HTMLCanvasElement.prototype.getContext;
  });
  let host: HTMLDivElement;
  let ctrl: TerminalController | null = null;
  afterEach(() => {
    ctrl?.destroy();
    ctrl = null;
    host?.remove();
  });

  const mount = () => {
    host = document.createElement('div');
    document.body.appendChild(host);
    ctrl = new TerminalController(host, { fontSize: 13, ariaLabel: 'Capture log' });
    return ctrl;
  };
  const texts = (l: TermLine[]) => l.map((x) => x.text);

  test('writes the packet list into the terminal buffer; Copy text is the same lines', async () => {
    const c = mount();
    const lines = captureLines(loadFixture('tls13-connection-request'), en);
    c.update({ session: 's', lines, live: false, fontSize: 13 });
    await c.flushed();
    expect(c.bufferText()).toEqual(texts(lines));
    expect(c.copyText()).toBe(texts(lines).join('\n') + '\n');
    expect(host.querySelector('textarea')!.getAttribute('aria-label')).toBe('Capture log');
  });

  test('cleared when the session changes', async () => {
    const c = mount();
    c.update({ session: 's1', lines: captureLines(loadFixture('paper'), en), live: false, fontSize: 13 });
    await c.flushed();
    const second = captureLines(loadFixture('acs-hostname-mismatch'), en);
    c.update({ session: 's2', lines: second, live: false, fontSize: 13 });
    await c.flushed();
    expect(c.bufferText()).toEqual(texts(second));
  });

  test('step mode in a real terminal: the growing frame is rewritten in place, wrapped lines included', async () => {
    const resets = vi.spyOn(Terminal.prototype, 'reset');
    const c = mount();
    const ev = loadFixture('tls13-connection-request');
    const sh = ev.findIndex((e) => e.kind === 'message' && e.name === 'ServerHello');
    const fin = ev.findIndex((e, i) => i > sh && e.kind === 'message' && e.name === 'Finished');
    for (let i = sh; i <= fin; i++) {
      c.update({ session: 's', lines: captureLines(ev.slice(0, i + 1), en), live: true, fontSize: 13 });
      await new Promise((r) => setTimeout(r, 200)); // past the hold-back
    }
    await c.flushed();
    const lines = captureLines(ev.slice(0, fin + 1), en);
    expect(lines.at(-1)!.text.length).toBeGreaterThan(80); // wraps in an 80-column terminal
    expect(c.bufferText()).toEqual(texts(lines));
    expect(resets).toHaveBeenCalledTimes(1); // the session's start only: never started over
    resets.mockRestore();
  });

  test('destroy disposes the terminal', () => {
    const c = mount();
    expect(host.querySelector('.xterm')).not.toBeNull();
    c.destroy();
    ctrl = null;
    expect(host.querySelector('.xterm')).toBeNull();
  });
});
