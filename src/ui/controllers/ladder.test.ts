// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { LabEvent } from '../../protocol/events.ts';
import { translate, type Lang } from '../i18n/index.ts';
import { heldView, ladderModel, type LadderArrow } from '../lib/frames.ts';
import { loadFixture } from '../lib/testdata/load.ts';
import { LadderController, type LadderData } from './ladder.ts';

const tr = (lang: Lang) => (k: string, p?: Record<string, string | number>) => translate(lang, k, p);

function data(events: LabEvent[], over: Partial<LadderData> = {}): LadderData {
  return { session: 's1', model: ladderModel(events), held: [], selected: null, t: tr('en'), lang: 'en', reducedMotion: true, follow: true, zoom: 1, projector: false, ...over };
}

let host: HTMLDivElement;
let ctrl: LadderController;
const onSelect = vi.fn<(seq: number) => void>();
const onZoom = vi.fn<(k: number) => void>();
const onFollow = vi.fn<(on: boolean) => void>();

beforeEach(() => {
  host = document.createElement('div');
  host.setAttribute('data-testid', 'ladder');
  document.body.appendChild(host);
  ctrl = new LadderController(host, { onSelect, onZoom, onFollow });
});
afterEach(() => {
  ctrl.destroy();
  host.remove();
  vi.clearAllMocks();
});

const arrowsIn = (root: ParentNode) => [...root.querySelectorAll<SVGGElement>('[data-testid="arrow"]')];

describe('ladder controller', () => {
  test('one arrow per message, HTTP and CWMP event, named and directed as the events say', () => {
    const ev = loadFixture('paper');
    ctrl.update(data(ev));
    const arrows = arrowsIn(host);
    const expected = ev.filter((e) => e.kind === 'message' || e.kind === 'http' || e.kind === 'cwmp');
    expect(arrows).toHaveLength(expected.length);
    const tls = arrows.filter((a) => a.dataset.layer === 'tls');
    const msgs = ev.filter((e) => e.kind === 'message');
    expect(tls.map((a) => a.dataset.name)).toEqual(msgs.map((m) => m.name));
    expect(tls.map((a) => `${a.dataset.from}>${a.dataset.to}`)).toEqual(msgs.map((m) => `${m.from}>${m.to}`));
    expect(tls.map((a) => Number(a.dataset.seq))).toEqual(msgs.map((m) => m.seq));
    for (const a of arrows) {
      expect(a.getAttribute('role')).toBe('button');
      expect(a.getAttribute('tabindex')).toBe('0');
      expect(a.getAttribute('aria-label')).toMatch(/ from (CPE|ACS) to (CPE|ACS)/);
    }
    expect(arrows.find((a) => a.dataset.name === 'HTTP POST')!.querySelector('text.label tspan.name')!.textContent).toBe('POST / (Inform)');
    // Arrows go from the sender's lifeline towards the receiver's.
    const ch = tls[0]!.querySelector('line.shaft')!;
    expect(Number(ch.getAttribute('x2'))).toBeGreaterThan(Number(ch.getAttribute('x1')));
    const sh = tls[1]!.querySelector('line.shaft')!;
    expect(Number(sh.getAttribute('x2'))).toBeLessThan(Number(sh.getAttribute('x1')));
    // Rows go downward in event order.
    const ys = arrows.map((a) => Number(/translate\(0,([\d.]+)\)/.exec(a.getAttribute('transform')!)![1]));
    for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeGreaterThan(ys[i - 1]!);
  });

  test('locks: none on plaintext, open on what we decrypted', () => {
    ctrl.update(data(loadFixture('tls13-connection-request')));
    const byName = (n: string) => arrowsIn(host).find((a) => a.dataset.name === n)!;
    expect(byName('ClientHello').querySelector('use.lock')!.getAttribute('display')).toBe('none');
    const ee = byName('EncryptedExtensions').querySelector('use.lock')!;
    expect(ee.getAttribute('display')).toBeNull();
    expect(ee.getAttribute('href')).toMatch(/-open$/);
  });

  test('keyed join: later updates add nodes for new events only and keep the old ones', () => {
    const ev = loadFixture('tls13-connection-request');
    ctrl.update(data(ev.slice(0, 30)));
    const first = arrowsIn(host);
    ctrl.update(data(ev.slice(0, 60)));
    const second = arrowsIn(host);
    expect(second.slice(0, first.length)).toEqual(first); // same node objects
    ctrl.update(data(ev));
    const all = arrowsIn(host);
    expect(all.slice(0, second.length)).toEqual(second);
    expect(new Set(all.map((a) => a.dataset.seq)).size).toBe(all.length);
    expect(all).toHaveLength(ladderModel(ev).rows.filter((r) => r.type === 'arrow').length);
  });

  test('click, Enter and Space select; arrow keys move between arrows', () => {
    ctrl.update(data(loadFixture('paper')));
    const arrows = arrowsIn(host);
    arrows[2]!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(onSelect).toHaveBeenLastCalledWith(Number(arrows[2]!.dataset.seq));
    // A click on the arrow's label selects it too.
    arrows[3]!.querySelector('text.label')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(onSelect).toHaveBeenLastCalledWith(Number(arrows[3]!.dataset.seq));
    arrows[4]!.focus();
    expect(document.activeElement).toBe(arrows[4]);
    arrows[4]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(onSelect).toHaveBeenLastCalledWith(Number(arrows[4]!.dataset.seq));
    const space = new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true });
    arrows[5]!.dispatchEvent(space);
    expect(onSelect).toHaveBeenLastCalledWith(Number(arrows[5]!.dataset.seq));
    expect(space.defaultPrevented).toBe(true);
    arrows[4]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(document.activeElement).toBe(arrows[5]);
    arrows[5]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    expect(document.activeElement).toBe(arrows.at(-1));
  });

  test('the selected arrow is highlighted, and only it', () => {
    const ev = loadFixture('paper');
    const seq = Number(arrowsIn((ctrl.update(data(ev)), host))[3]!.dataset.seq);
    ctrl.update(data(ev, { selected: seq }));
    let sel = host.querySelectorAll('.arrow.is-selected');
    expect(sel).toHaveLength(1);
    expect((sel[0] as SVGGElement).dataset.seq).toBe(String(seq));
    expect(sel[0]!.getAttribute('aria-pressed')).toBe('true');
    // A repaint (language switch) keeps the highlight.
    ctrl.update(data(ev, { selected: seq, t: tr('zh'), lang: 'zh' }));
    sel = host.querySelectorAll('.arrow.is-selected');
    expect(sel).toHaveLength(1);
    ctrl.update(data(ev, { selected: null, t: tr('zh'), lang: 'zh' }));
    expect(host.querySelectorAll('.arrow.is-selected')).toHaveLength(0);
  });

  test('an alert abort: red alert arrow with a ✕ at the side that aborted', () => {
    ctrl.update(data(loadFixture('acs-expired-openssl')));
    const alert = arrowsIn(host).find((a) => a.dataset.name === 'Alert')!;
    expect(alert.dataset.from).toBe('cpe');
    expect(alert.dataset.kind).toBe('alert');
    expect(alert.dataset.aborted).toBe('true');
    const mark = alert.querySelector('g.abort')!;
    expect(mark.getAttribute('display')).toBeNull();
    const cpeX = Number(alert.querySelector('line.shaft')!.getAttribute('x1'));
    expect(Math.abs(Number(/translate\(([\d.]+),/.exec(mark.getAttribute('transform')!)![1]) - cpeX)).toBeLessThan(4);
    expect(alert.getAttribute('aria-label')).toContain('aborted the session');
    // The detail line starts after the ✕ and its word, in a narrow three-party lane too (estimated
    // widths: the same per-character estimate the controller truncates with).
    for (const fixture of ['acs-expired-openssl', 'mitm-openssl'] as const) {
      // The narrowest ladder there is (560 px): three lifelines leave about 190 px a lane.
      const narrow = document.createElement('div');
      const c = new LadderController(narrow, { onSelect, onZoom, onFollow });
      Object.defineProperty(narrow.querySelector('.ladder__scroll')!, 'clientWidth', { value: 560 });
      c.update(data(loadFixture(fixture), { session: fixture }));
      const a = arrowsIn(narrow).find((x) => x.dataset.name === 'Alert' && x.dataset.aborted === 'true')!;
      c.destroy();
      const abortX = Number(/translate\(([\d.]+),/.exec(a.querySelector('g.abort')!.getAttribute('transform')!)![1]);
      const word = a.querySelector('text.abort-text')!;
      const wordEnd = abortX + Number(word.getAttribute('x')) + word.textContent!.length * 6.6;
      const detail = a.querySelector('text.detail')!;
      const detailStart = Number(detail.getAttribute('x')) - (detail.textContent!.length * 6.6) / 2;
      expect(detail.textContent!.length, fixture).toBeGreaterThan(0);
      expect(detailStart, `${fixture}: detail clear of the abort mark`).toBeGreaterThanOrEqual(wordEnd);
    }
  });

  test('a close without alert and the TCP marks', () => {
    ctrl.update(data(loadFixture('acs-hostname-mismatch')));
    const marks = [...host.querySelectorAll<SVGGElement>('[data-testid="ladder-mark"]')];
    expect(marks.map((m) => m.dataset.mark)).toEqual(['open', 'half-close', 'half-close', 'close']);
    const aborted = marks.filter((m) => m.dataset.aborted === 'true');
    expect(aborted).toHaveLength(1);
    expect(aborted[0]!.querySelector('text.pill-text')!.textContent).toBe('✕ closed without alert');
    expect(aborted[0]!.getAttribute('aria-label')).toBe('✕ closed without alert on the CPE lifeline');
  });

  test('the Connection Request on its own lane, labelled', () => {
    ctrl.update(data(loadFixture('tls13-connection-request')));
    const cr = arrowsIn(host).filter((a) => a.dataset.lane === 'cr');
    expect(cr.map((a) => a.dataset.name)).toEqual(['HTTP GET', 'HTTP 401', 'HTTP GET', 'HTTP 200']);
    expect(host.querySelector('.ladder__lane-title')!.textContent).toBe('Connection Request (plain HTTP)');
    expect(host.querySelector('rect.lane-bg-cr')).not.toBeNull();
    // Its arrows sit right of every main-lane arrow.
    const mainMax = Math.max(...arrowsIn(host).filter((a) => a.dataset.lane === 'main').map((a) => Number(a.querySelector('line.shaft')!.getAttribute('x1'))));
    for (const a of cr) expect(Math.min(Number(a.querySelector('line.shaft')!.getAttribute('x1')), Number(a.querySelector('line.shaft')!.getAttribute('x2')))).toBeGreaterThan(mainMax);
  });

  test('the attacker lifeline in the middle', () => {
    ctrl.update(data(loadFixture('mitm-verify-off')));
    const heads = [...host.querySelectorAll<HTMLElement>('.ladder__head.lane-main')];
    expect(heads.map((h) => h.querySelector('strong')!.textContent)).toEqual(['CPE', 'Attacker', 'ACS']);
    const xs = heads.map((h) => parseFloat(h.style.left));
    expect(xs[0]!).toBeLessThan(xs[1]!);
    expect(xs[1]!).toBeLessThan(xs[2]!);
  });

  test('flights: one bracket per flight and connection', () => {
    const ev = loadFixture('paper');
    ctrl.update(data(ev));
    const m = ladderModel(ev);
    expect(host.querySelectorAll('g.flight')).toHaveLength(m.flights.length);
    expect([...host.querySelectorAll('g.flight text')].map((t) => t.textContent)).toContain('F2');
  });

  test('step mode: held records shown as waiting at the relay', () => {
    const ev = loadFixture('paper').slice(0, 3);
    ctrl.update(data(ev, { held: heldView(ev, [{ conn: 0, from: 'server', records: 4, bytes: 1934 }]) }));
    const held = host.querySelectorAll<SVGGElement>('[data-testid="ladder-held"]');
    expect(held).toHaveLength(1);
    expect(held[0]!.querySelector('text')!.textContent).toBe('4 records waiting at the relay from ACS');
    expect(held[0]!.dataset.from).toBe('acs');
    ctrl.update(data(ev, { held: [] }));
    expect(host.querySelectorAll('[data-testid="ladder-held"]')).toHaveLength(0);
  });

  test('a new session clears the drawing', () => {
    ctrl.update(data(loadFixture('paper')));
    expect(arrowsIn(host).length).toBeGreaterThan(10);
    ctrl.update(data([], { session: 's2' }));
    expect(arrowsIn(host)).toHaveLength(0);
    expect(host.querySelector('.ladder__empty')!.textContent).toMatch(/Run a session/);
    ctrl.update(data(loadFixture('acs-expired-openssl').slice(0, 3), { session: 's2' }));
    expect(arrowsIn(host).map((a) => a.dataset.name)).toEqual(['ClientHello']);
  });

  test('中文: spoken labels and lifeline names switch language', () => {
    const ev = loadFixture('mitm-verify-off');
    ctrl.update(data(ev));
    ctrl.update(data(ev, { t: tr('zh'), lang: 'zh' }));
    expect(arrowsIn(host)[0]!.getAttribute('aria-label')).toMatch(/^ClientHello：从 CPE 到 攻击者/);
    expect(host.querySelector('.ladder__head.party-attacker strong')!.textContent).toBe('攻击者');
    expect(host.getAttribute('aria-label')).toContain('时序图');
    expect(host.textContent).not.toContain('⟦');
  });

  test('中文: a pill is as wide as its Chinese words (two cells a character), so nothing is cut off', () => {
    const ev = loadFixture('acs-hostname-mismatch');
    ctrl.update(data(ev, { t: tr('zh'), lang: 'zh' }));
    const pill = [...host.querySelectorAll<SVGGElement>('[data-testid="ladder-mark"][data-aborted="true"]')][0]!;
    const text = pill.querySelector('text.pill-text')!.textContent!;
    expect(text).toBe('✕ 未发告警即关闭'); // whole, not truncated
    // 7 CJK characters and 2 narrow ones: 16 cells at 6.8 px, plus padding
    expect(Number(pill.querySelector('rect.pill')!.getAttribute('width'))).toBeGreaterThanOrEqual(16 * 6.8);
  });

  test('arrows animate from sender to receiver, or appear at once with reduced motion', async () => {
    const ev = loadFixture('paper');
    const upTo = ev.findIndex((e) => e.kind === 'message' && e.name === 'ClientHello');
    ctrl.update(data(ev.slice(0, upTo), { reducedMotion: false }));
    ctrl.update(data(ev.slice(0, upTo + 1), { reducedMotion: false }));
    const shaft = arrowsIn(host)[0]!.querySelector('line.shaft')!;
    const x1 = Number(shaft.getAttribute('x1'));
    expect(Number(shaft.getAttribute('x2'))).toBe(x1); // starts at the sender
    await vi.waitFor(() => expect(Number(shaft.getAttribute('x2'))).toBeGreaterThan(x1 + 100), { timeout: 3000, interval: 50 });

    ctrl.update(data([], { session: 'other' }));
    ctrl.update(data(ev.slice(0, upTo + 1), { session: 'other', reducedMotion: true }));
    ctrl.update(data(ev.slice(0, upTo + 2), { session: 'other', reducedMotion: true }));
    const second = arrowsIn(host)[1]!.querySelector('line.shaft')!;
    expect(Math.abs(Number(second.getAttribute('x2')) - Number(second.getAttribute('x1')))).toBeGreaterThan(100);
  });

  test('an arrow whose words change while it flies in keeps flying, and lands fully visible', async () => {
    const ev = loadFixture('paper');
    const http = ev.findIndex((e) => e.kind === 'http');
    expect(ev[http + 1]!.kind).toBe('cwmp');
    ctrl.update(data(ev.slice(0, http), { reducedMotion: false }));
    ctrl.update(data(ev.slice(0, http + 1), { reducedMotion: false })); // the HTTP arrow starts flying
    const arrow = arrowsIn(host).find((a) => a.dataset.seq === String(ev[http]!.seq))!;
    const shaft = arrow.querySelector('line.shaft')!;
    const start = Number(shaft.getAttribute('x2'));
    expect(start).toBe(Number(shaft.getAttribute('x1')));
    ctrl.update(data(ev.slice(0, http + 2), { reducedMotion: false })); // its envelope names the RPC
    expect(arrow.querySelector('tspan.name')!.textContent).toBe('POST / (Inform)');
    expect(Number(shaft.getAttribute('x2'))).toBeLessThan(start + 40); // not jumped to the end
    await vi.waitFor(() => expect(Math.abs(Number(shaft.getAttribute('x2')) - start)).toBeGreaterThan(200), { timeout: 3000, interval: 50 });
    await vi.waitFor(() => expect(arrow.querySelector<SVGTextElement>('text.label')!.style.opacity).toBe('1'), { timeout: 3000, interval: 50 });
  });

  test('a layout change during an entrance lands it at once, fully visible', () => {
    const ev = loadFixture('paper');
    ctrl.update(data(ev.slice(0, 2), { reducedMotion: false }));
    ctrl.update(data(ev.slice(0, 3), { reducedMotion: false }));
    const arrow = arrowsIn(host)[0]!;
    expect(arrow.querySelector<SVGTextElement>('text.label')!.style.opacity).toBe('0');
    ctrl.update(data(ev.slice(0, 3), { reducedMotion: false, zoom: 1.5 }));
    expect(arrow.querySelector<SVGTextElement>('text.label')!.style.opacity).toBe('');
    const shaft = arrow.querySelector('line.shaft')!;
    expect(Number(shaft.getAttribute('x2')) - Number(shaft.getAttribute('x1'))).toBeGreaterThan(200);
  });

  test('Ctrl+wheel asks for a zoom; scrolling up leaves follow mode', () => {
    ctrl.update(data(loadFixture('paper')));
    const scroller = host.querySelector('.ladder__scroll')!;
    const zoomIn = new WheelEvent('wheel', { deltaY: -200, ctrlKey: true, bubbles: true, cancelable: true });
    scroller.dispatchEvent(zoomIn);
    expect(zoomIn.defaultPrevented).toBe(true);
    expect(onZoom).toHaveBeenCalledTimes(1);
    expect(onZoom.mock.calls[0]![0]).toBeGreaterThan(1);
    scroller.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, bubbles: true }));
    expect(onFollow).toHaveBeenLastCalledWith(false);
  });

  test('zoom changes row spacing without rebuilding nodes', () => {
    const ev = loadFixture('paper');
    ctrl.update(data(ev));
    const before = arrowsIn(host);
    const y = (a: Element) => Number(/translate\(0,([\d.]+)\)/.exec(a.getAttribute('transform')!)![1]);
    const span1 = y(before.at(-1)!) - y(before[0]!);
    ctrl.update(data(ev, { zoom: 2 }));
    const after = arrowsIn(host);
    expect(after).toEqual(before);
    expect(y(after.at(-1)!) - y(after[0]!)).toBeGreaterThan(span1 * 1.8);
  });

  test('destroy removes everything it drew', () => {
    ctrl.update(data(loadFixture('paper')));
    ctrl.destroy();
    expect(host.childNodes).toHaveLength(0);
    ctrl = new LadderController(host, { onSelect, onZoom, onFollow }); // for afterEach
  });
});

/**
 * Scale: a long session (the CWMP session with its Connection Request, three times over: ~300
 * events, real ones, re-sequenced). Arrival one event at a time must stay cheap — the keyed join
 * only creates the new rows — and the drawing holds exactly one node per arrow.
 */
describe('ladder at 300 events', () => {
  function longSession(): LabEvent[] {
    const one = loadFixture('tls13-connection-request').filter((e) => e.kind !== 'outcome');
    const out: LabEvent[] = [one[0]!];
    let seq = 1;
    let t = 0;
    for (let round = 0; round < 3; round++) {
      const base = t;
      for (const e of one.slice(1)) {
        const conn = 'conn' in e ? { conn: (e as { conn: number }).conn + round * 4 } : {};
        out.push({ ...e, ...conn, seq: seq++, t: base + e.t } as LabEvent);
        t = base + e.t;
      }
    }
    return out;
  }

  test('rows sit in SVGs of 64 rows each: a new row touches only the last one, and every row keeps its place', () => {
    const ev = longSession();
    const model = ladderModel(ev);
    ctrl.update(data(ev.slice(0, -3)));
    const chunks = () => [...host.querySelectorAll<SVGSVGElement>('svg.ladder__chunk')];
    const before = chunks();
    expect(before.length).toBeGreaterThanOrEqual(3);
    // Appending: mutations land in the last chunk (or the main SVG: lifelines, flights), never in an earlier chunk.
    const mo = new MutationObserver(() => {});
    mo.observe(host, { childList: true, subtree: true, attributes: true, characterData: true });
    ctrl.update(data(ev));
    const touched = mo.takeRecords().map((r) => (r.target instanceof Element ? r.target : r.target.parentElement)!.closest<SVGSVGElement>('svg.ladder__chunk'));
    mo.disconnect();
    const after = chunks();
    expect(after.length).toBe(Math.ceil(model.rows.length / 64));
    for (const c of touched) if (c) expect(after.indexOf(c), 'only the last chunks change').toBeGreaterThanOrEqual(before.length - 1);
    // Every chunk holds at most 64 rows, in order; a row's place is its chunk's top plus its own offset.
    const ys: number[] = [];
    for (const c of after) {
      const rows = [...c.querySelector('g.rows')!.children];
      expect(rows.length).toBeLessThanOrEqual(64);
      const top = Number.parseFloat(c.style.top);
      const height = Number(c.getAttribute('height'));
      for (const r of rows) {
        const y = Number(/translate\(0,([\d.]+)\)/.exec(r.getAttribute('transform')!)![1]);
        expect(y).toBeLessThan(height);
        ys.push(top + y);
      }
    }
    expect(ys).toHaveLength(model.rows.length);
    for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeGreaterThan(ys[i - 1]!);
    // The rows' document order is their order on the ladder (keyboard navigation relies on it).
    expect([...host.querySelectorAll('g.row')].map((g) => g.getAttribute('data-seq'))).toEqual(model.rows.map((r) => String(r.seq)));
  });

  test('incremental arrival keeps one node per message and touches only what is new', () => {
    const ev = longSession();
    expect(ev.length).toBeGreaterThanOrEqual(300);
    const created = { rows: 0 };
    let oldRowMutations = 0;
    let mutations = 0;
    const seen = new WeakSet<Node>();
    const mo = new MutationObserver((records) => {
      for (const r of records) {
        mutations++;
        for (const n of r.addedNodes) if (n instanceof Element && n.matches('g.row')) created.rows++;
        const row = (r.target as Element).closest?.('g.row');
        if (row && r.type === 'attributes' && seen.has(row)) oldRowMutations++;
      }
    });
    mo.observe(host, { childList: true, subtree: true, attributes: true });
    const model = ladderModel(ev);
    const t0 = performance.now();
    const perUpdate: number[] = [];
    for (let i = 1; i <= ev.length; i++) {
      ctrl.update(data(ev.slice(0, i)));
      // Deliver this update's mutations, then mark every row drawn so far as "old".
      const pending = mo.takeRecords();
      perUpdate.push(pending.length);
      for (const r of pending) {
        mutations++;
        for (const n of r.addedNodes) if (n instanceof Element && n.matches('g.row')) created.rows++;
        const row = (r.target as Element).closest?.('g.row');
        if (row && r.type === 'attributes' && seen.has(row)) oldRowMutations++;
      }
      for (const n of host.querySelectorAll('g.row')) seen.add(n);
    }
    const perEvent = (performance.now() - t0) / ev.length;
    mo.disconnect();
    const arrows = model.rows.filter((r): r is LadderArrow => r.type === 'arrow');
    expect(arrowsIn(host)).toHaveLength(arrows.length);
    expect(arrows.length).toBeGreaterThanOrEqual(200);
    expect(created.rows).toBe(model.rows.length); // each row's node made once, never re-created
    // Rows already drawn are repainted only when their words change — an HTTP arrow learns the RPC
    // its envelope carries (once each) — or when the layout changes: once, when the Connection
    // Request lane first appears and the main lane narrows for it.
    const httpWithRpc = arrows.filter((a) => a.layer === 'http' && a.text.rpc).length;
    const beforeLane = model.rows.findIndex((r) => r.lane === 'cr');
    expect(oldRowMutations).toBeGreaterThan(0);
    expect(oldRowMutations).toBeLessThanOrEqual((httpWithRpc + beforeLane) * 40);
    // The DOM work of an update is bounded by its new row, not by the size of the drawing: apart
    // from the one relayout, no update costs more than drawing a row and its flight bracket, and
    // the last hundred events cost no more than the first hundred.
    const sorted = [...perUpdate].sort((a, b) => a - b);
    expect(sorted.at(-2)!).toBeLessThan(150);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(perUpdate.slice(-100))).toBeLessThanOrEqual(mean(perUpdate.slice(0, 100)) * 1.2);
    // jsdom on a shared machine is far slower than a browser; this only catches a blow-up.
    expect(perEvent).toBeLessThan(100);
    console.log(`ladder: ${ev.length} events, ${arrows.length} arrows; ${perEvent.toFixed(2)} ms and ${(mutations / ev.length).toFixed(1)} DOM mutations per incremental update (jsdom)`);
  });

  test('a whole session at once (replay) is drawn in one pass', () => {
    const ev = longSession();
    const t0 = performance.now();
    ctrl.update(data(ev));
    const ms = performance.now() - t0;
    expect(arrowsIn(host)).toHaveLength(ladderModel(ev).rows.filter((r) => r.type === 'arrow').length);
    expect(ms).toBeLessThan(3000);
    console.log(`ladder: full draw of ${ev.length} events in ${ms.toFixed(0)} ms (jsdom)`);
  });
});
