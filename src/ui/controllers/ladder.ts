import { easeCubicOut, interrupt, select, type Selection } from 'd3';
import type { Party } from '../../protocol/events.ts';
import { arrowText, displayWidth, KINDS, markText, partyName, type HeldView, type LaneId, type LadderArrow, type LadderMark, type LadderModel, type LadderRow, type MessageKind, type Translate } from '../lib/frames.ts';

/**
 * The ladder diagram (d3, SVG). A plain class: the component creates it in a mount effect, feeds
 * it with update(), and calls destroy() in cleanup. Rows are joined by key (the event's seq), so an
 * update only adds the new rows' nodes (and repaints rows whose words changed, e.g. when the outcome
 * marks an alert as the abort, or when the language or the layout changes).
 *
 * Layout: a time gutter on the left, then the main lane (CPE on the left, ACS on the right, the
 * attacker in the middle when present), then — when the session has one — the Connection Request
 * lane (plain HTTP) with its own two lifelines. Time flows downward, one row per event.
 *
 * Performance (measured with Debian's Chromium, headless, on the shared 2-core box, 301 real events
 * = 204 arrows): an incremental update costs ~0.6 ms mean, 2 ms p95 (of which the join and the new
 * row's paint are almost all); a whole session drawn at once ~70 ms. What made the difference: no
 * layout reads during an update (follow-latest scrolls from the computed layout, once per frame),
 * direct-children joins without selection.order(), child elements kept per row (no
 * querySelector per paint), repaint only on a row's signature or layout change. Cheap SVG rather
 * than virtualisation: ~10 elements per row, every arrow stays in the DOM. The rows live in SVGs of
 * 64 rows each, so a new row makes the browser lay out and repaint one small SVG, not the whole
 * diagram: drawing a 626-arrow session went from ~49 to ~55 fps (p95 frame 33 → 17 ms; npm run
 * bench prints it). src/ui/controllers/ladder.test.ts checks one node per row, bounded DOM
 * mutations per update, and that appending touches only the last chunk.
 */

export interface LadderData {
  session: string | null;
  model: LadderModel;
  held: HeldView[];
  selected: number | null;
  t: Translate;
  /** Changes whenever `t` speaks another language (repaints the words). */
  lang: string;
  reducedMotion: boolean;
  follow: boolean;
  /** Row spacing factor (0.5 … 2). */
  zoom: number;
  projector: boolean;
}

export interface LadderCallbacks {
  onSelect(seq: number): void;
  /** Ctrl+wheel over the ladder asks for another zoom. */
  onZoom(zoom: number): void;
  /** The user scrolled away from the newest rows. */
  onFollow(on: boolean): void;
}

export const ZOOM_MIN = 0.5;
export const ZOOM_MAX = 2;
export const clampZoom = (k: number) => Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, Math.round(k * 100) / 100));

const SVG_NS = 'http://www.w3.org/2000/svg';
const GUTTER = 64;
const LANE_PAD = 64;
const MIN_WIDTH = 560;
/** Row heights at zoom 1. */
const H = { tls: 50, nested: 32, mark: 26, held: 54 };
/** Approximate glyph widths (px) for truncating labels without measuring text. */
const CHAR = { label: 8.2, detail: 6.6, pill: 6.8 };
/** Arrows entering while animating start at least this far apart, so a burst still reads in order. */
const STAGGER_MS = 90;
const ARROW_MS = 420;
/** More new rows than this at once (a replay, a session switch): drawn without animation. */
const BULK = 40;

let instances = 0;

/**
 * Stops a node's transitions (and those of its descendants). Using d3-transition's own `interrupt`
 * also keeps that module in the bundle: d3 is marked side-effect free, so without a binding from it
 * the bundler drops the module that adds selection.transition() / .interrupt().
 */
function stop(root: Element, name?: string): void {
  interrupt(root, name);
  for (const n of root.querySelectorAll('*')) interrupt(n, name);
}

interface Layout {
  width: number;
  height: number;
  zoom: number;
  scale: number;
  ys: number[];
  hs: number[];
  x: (p: Party, lane: LaneId) => number;
  main: [number, number];
  cr: [number, number] | null;
  key: string;
  /** Text size factor (projector mode), for truncation estimates. */
  font: number;
}

type RowSel = Selection<SVGGElement, LadderRow, SVGGElement, unknown>;

/** Cuts `s` to what fits in `px` at `char` px a cell (a CJK character takes two cells), with an ellipsis. */
function truncate(s: string, px: number, char: number): string {
  const n = Math.max(0, Math.floor(px / char));
  if (displayWidth(s) <= n) return s;
  if (n <= 1) return '';
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = displayWidth(ch);
    if (w + cw > n - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…';
}

/** Rows per SVG: small enough that appending to one is cheap, large enough to keep the SVG count low. */
const CHUNK = 64;

interface Chunk {
  svg: SVGSVGElement;
  g: SVGGElement;
  top: number;
  width: number;
  height: number;
}

/** Moves and sizes a chunk's SVG (attributes written only when they change: writes invalidate). */
function place(c: Chunk, top: number, width: number, height: number): void {
  if (c.top !== top) c.svg.style.top = `${(c.top = top)}px`;
  if (c.width !== width) c.svg.setAttribute('width', String((c.width = width)));
  if (c.height !== height) c.svg.setAttribute('height', String((c.height = height)));
}

function el<K extends keyof SVGElementTagNameMap>(parent: Element, tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent.appendChild(e);
  return e;
}

export class LadderController {
  private readonly id = ++instances;
  private readonly heads: HTMLDivElement;
  private readonly headsInner: HTMLDivElement;
  private readonly scroller: HTMLDivElement;
  private readonly svg: SVGSVGElement;
  private readonly gLanes: SVGGElement;
  private readonly gLifelines: SVGGElement;
  private readonly gFlights: SVGGElement;
  /** Holds the rows' SVGs, over the main one (lanes, lifelines, flights, held records). */
  private readonly rowsHost: HTMLDivElement;
  /** The rows, CHUNK to an SVG of their own (see drawRows). */
  private chunks: Chunk[] = [];
  private readonly gHeld: SVGGElement;
  private readonly empty: HTMLParagraphElement;
  private readonly ro: ResizeObserver | null;
  private readonly motionQuery: MediaQueryList | null;

  private data: LadderData | null = null;
  private width = 0;
  private layout: Layout | null = null;
  private session: string | null | undefined = undefined;
  /** Per row key: the words last painted (repaint when they change). */
  private painted = new Map<string, string>();
  private flightSig = new Map<string, string>();
  /** Arrows flying in: key → when their entrance ends (ms epoch). */
  private readonly animating = new Map<string, number>();
  /** Each row's child elements, by role (no querySelector per paint). */
  private readonly parts = new WeakMap<Element, Record<string, SVGElement>>();
  /** The arrow drawn as selected. */
  private selectedNode: SVGGElement | null = null;
  private nextStart = 0;
  private programmaticUntil = 0;
  private scrollFrame = 0;
  private scrollInstant = false;
  /** The scroller's visible height, from the ResizeObserver. */
  private viewH = 0;
  private destroyed = false;
  private lastFollow = true;

  constructor(
    private readonly host: HTMLElement,
    private readonly cb: LadderCallbacks,
  ) {
    host.classList.add('ladder');
    this.heads = document.createElement('div');
    this.heads.className = 'ladder__heads';
    this.heads.setAttribute('aria-hidden', 'true');
    this.headsInner = document.createElement('div');
    this.headsInner.className = 'ladder__heads-inner';
    this.heads.appendChild(this.headsInner);
    this.scroller = document.createElement('div');
    this.scroller.className = 'ladder__scroll';
    this.empty = document.createElement('p');
    this.empty.className = 'ladder__empty';
    host.append(this.heads, this.scroller, this.empty);

    const canvas = document.createElement('div');
    canvas.className = 'ladder__canvas';
    this.scroller.appendChild(canvas);
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.setAttribute('class', 'ladder__svg');
    this.rowsHost = document.createElement('div');
    this.rowsHost.className = 'ladder__rows';
    canvas.append(this.svg, this.rowsHost);
    this.defs();
    this.gLanes = el(this.svg, 'g', { class: 'lanes' });
    this.gLifelines = el(this.svg, 'g', { class: 'lifelines', 'aria-hidden': 'true' });
    this.gFlights = el(this.svg, 'g', { class: 'flights', 'aria-hidden': 'true' });
    this.gHeld = el(this.svg, 'g', { class: 'held' });

    this.rowsHost.addEventListener('click', this.onClick);
    this.rowsHost.addEventListener('keydown', this.onKey);
    this.scroller.addEventListener('wheel', this.onWheel, { passive: false });
    this.scroller.addEventListener('scroll', this.onScroll, { passive: true });

    this.motionQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null;
    this.ro =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver((entries) => {
            for (const e of entries) if (e.target === this.scroller) this.viewH = e.contentRect.height;
            const w = this.measure();
            if (w !== this.width && this.data) this.render(this.data, false);
          });
    this.ro?.observe(host);
    this.ro?.observe(this.scroller);
  }

  /** Draws the data (cheap when little changed: new rows only, plus rows whose words changed). */
  update(data: LadderData): void {
    if (this.destroyed) return;
    const sessionChanged = data.session !== this.session;
    if (sessionChanged) {
      this.session = data.session;
      stop(this.rowsHost);
      this.rowsHost.replaceChildren();
      this.chunks = [];
      select(this.gFlights).selectAll('*').remove();
      this.painted.clear();
      this.flightSig.clear();
      this.animating.clear();
      this.selectedNode = null;
      this.nextStart = 0;
    }
    this.render(data, sessionChanged);
  }

  /** Keyboard focus to an arrow (by seq), e.g. after selecting it from elsewhere. */
  focusArrow(seq: number): void {
    this.rowsHost.querySelector<SVGGElement>(`g.arrow[data-seq="${seq}"]`)?.focus();
  }

  destroy(): void {
    this.destroyed = true;
    this.ro?.disconnect();
    if (this.scrollFrame && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(this.scrollFrame);
    this.rowsHost.removeEventListener('click', this.onClick);
    this.rowsHost.removeEventListener('keydown', this.onKey);
    this.scroller.removeEventListener('wheel', this.onWheel);
    this.scroller.removeEventListener('scroll', this.onScroll);
    stop(this.rowsHost);
    this.host.replaceChildren();
    this.host.classList.remove('ladder');
  }

  // ---------------------------------------------------------------------------------------------

  private get reduced(): boolean {
    return (this.data?.reducedMotion ?? false) || (this.motionQuery?.matches ?? false);
  }

  private measure(): number {
    // The scroller keeps a stable scrollbar gutter (CSS), so its client width is what rows may use.
    const w = this.scroller.clientWidth || this.host.clientWidth || 0;
    this.width = Math.max(MIN_WIDTH, Math.round(w || 720));
    return this.width;
  }

  private computeLayout(d: LadderData): Layout {
    const width = this.width || this.measure();
    const m = d.model;
    const scale = d.zoom * (d.projector ? 1.25 : 1);
    const mainEnd = m.crLane ? GUTTER + Math.round((width - GUTTER) * 0.68) : width - 8;
    const main: [number, number] = [GUTTER, mainEnd];
    const cr: [number, number] | null = m.crLane ? [mainEnd + 14, width - 8] : null;
    const xs = new Map<string, number>();
    const [a, b] = [main[0] + LANE_PAD, main[1] - LANE_PAD];
    m.parties.forEach((p, i) => xs.set(`main:${p}`, m.parties.length === 1 ? (a + b) / 2 : a + ((b - a) * i) / (m.parties.length - 1)));
    if (cr) {
      xs.set('cr:cpe', cr[0] + 40);
      xs.set('cr:acs', cr[1] - 40);
    }
    const x = (p: Party, lane: LaneId) => xs.get(`${lane}:${p}`) ?? xs.get(`main:${p}`) ?? (a + b) / 2;
    const ys: number[] = [];
    const hs: number[] = [];
    let y = 12;
    for (const r of m.rows) {
      // Zooming out packs rows closer, never so close that their words overlap.
      const h = r.type === 'mark' ? Math.max(20, Math.round(H.mark * scale)) : r.layer === 'tls' ? Math.max(32, Math.round(H.tls * scale)) : Math.max(22, Math.round(H.nested * scale));
      ys.push(y);
      hs.push(h);
      y += h;
    }
    const heldH = d.held.length ? 16 + d.held.length * H.held : 0;
    const height = Math.max(y + heldH + 28, 120);
    const font = d.projector ? 1.28 : 1;
    return { width, height, zoom: d.zoom, scale, ys, hs, x, main, cr, font, key: `${width}|${scale}|${m.parties.join()}|${m.crLane}` };
  }

  private render(d: LadderData, sessionChanged: boolean): void {
    const prev = this.layout;
    const prevData = this.data;
    this.data = d;
    // Keep the row in the middle of the view in place when the zoom changes (unless following).
    let anchor: { index: number; frac: number } | null = null;
    if (prev && prevData && prevData.zoom !== d.zoom && !d.follow && !sessionChanged) anchor = this.centerRow(prev);
    const L = this.computeLayout(d);
    this.layout = L;
    const relayout = !prev || prev.key !== L.key || sessionChanged;
    const langChanged = prevData?.lang !== d.lang;

    this.host.classList.toggle('ladder--projector', d.projector);
    this.host.classList.toggle('ladder--reduced', this.reduced);
    this.host.classList.toggle('ladder--compact', d.zoom < 0.8);
    this.host.setAttribute('aria-label', d.t('ladder.region'));
    this.svg.setAttribute('width', String(L.width));
    this.svg.setAttribute('height', String(L.height));
    this.svg.setAttribute('viewBox', `0 0 ${L.width} ${L.height}`);
    this.empty.textContent = d.model.rows.length === 0 ? d.t('ladder.empty') : '';
    this.empty.hidden = d.model.rows.length > 0;

    if (relayout || langChanged) this.drawHeads(d, L);
    if (relayout || !prev || prev.height !== L.height || langChanged) this.drawLanes(d, L);
    const added = this.drawRows(d, L, relayout || langChanged, sessionChanged);
    this.drawFlights(d, L);
    this.drawHeld(d, L);
    this.drawSelection(d);

    if (anchor) this.restoreCenter(L, anchor);
    const followTurnedOn = d.follow && !this.lastFollow;
    this.lastFollow = d.follow;
    if (d.follow && (added > 0 || followTurnedOn || sessionChanged || (prevData && prevData.held.length !== d.held.length))) this.scrollToEnd(added > BULK || sessionChanged);
  }

  // ---- pieces ---------------------------------------------------------------------------------

  private defs(): void {
    const defs = el(this.svg, 'defs');
    for (const k of [...KINDS, 'other'] as MessageKind[]) {
      const m = el(defs, 'marker', { id: this.markerId(k), class: `k-${k}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse', markerUnits: 'strokeWidth' });
      el(m, 'path', { d: 'M0,0 L10,5 L0,10 z', class: 'head' });
    }
    // Locks (12×14): closed — encrypted and not decrypted; open — we decrypted it.
    const closed = el(defs, 'symbol', { id: `lk${this.id}-closed`, viewBox: '0 0 12 14' });
    el(closed, 'path', { d: 'M3,6 V4.2 a3,3 0 0 1 6,0 V6', fill: 'none', stroke: 'currentColor', 'stroke-width': 1.6 });
    el(closed, 'rect', { x: 1, y: 6, width: 10, height: 7.5, rx: 1.5, fill: 'currentColor' });
    const open = el(defs, 'symbol', { id: `lk${this.id}-open`, viewBox: '0 0 12 14' });
    el(open, 'path', { d: 'M3,6 V4.2 a3,3 0 0 1 6,0 V3.4', fill: 'none', stroke: 'currentColor', 'stroke-width': 1.6, transform: 'translate(-2.4,-1.2)' });
    el(open, 'rect', { x: 1, y: 6, width: 10, height: 7.5, rx: 1.5, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.4 });
  }

  private markerId(k: MessageKind): string {
    return `lh${this.id}-${k}`;
  }

  private drawHeads(d: LadderData, L: Layout): void {
    const parts: HTMLElement[] = [];
    const head = (p: Party, lane: LaneId) => {
      const h = document.createElement('div');
      h.className = `ladder__head party-${p} lane-${lane}`;
      h.style.left = `${L.x(p, lane)}px`;
      const name = document.createElement('strong');
      name.textContent = partyName(p, d.t);
      h.appendChild(name);
      if (lane === 'main') {
        const role = document.createElement('span');
        role.textContent = d.t(`ladder.role.${p}`);
        h.appendChild(role);
      }
      parts.push(h);
    };
    const time = document.createElement('div');
    time.className = 'ladder__head ladder__head--time';
    time.style.left = `${GUTTER - 10}px`;
    time.textContent = d.t('ladder.time');
    parts.push(time);
    for (const p of d.model.parties) head(p, 'main');
    if (L.cr) {
      const lane = document.createElement('div');
      lane.className = 'ladder__lane-title';
      lane.style.left = `${L.cr[0]}px`;
      lane.style.width = `${L.cr[1] - L.cr[0]}px`;
      lane.textContent = d.t('ladder.lane.cr');
      parts.push(lane);
      head('cpe', 'cr');
      head('acs', 'cr');
    }
    this.headsInner.style.width = `${L.width}px`;
    this.headsInner.replaceChildren(...parts);
  }

  private drawLanes(d: LadderData, L: Layout): void {
    const lanes = L.cr ? [{ key: 'cr', x0: L.cr[0], x1: L.cr[1] }] : [];
    select(this.gLanes)
      .selectAll<SVGRectElement, (typeof lanes)[number]>('rect.lane-bg')
      .data(lanes, (l) => l.key)
      .join('rect')
      .attr('class', 'lane-bg lane-bg-cr')
      .attr('x', (l) => l.x0)
      .attr('width', (l) => l.x1 - l.x0)
      .attr('y', 0)
      .attr('height', L.height)
      .attr('rx', 10);
    const lines: { key: string; x: number; party: Party; lane: LaneId }[] = d.model.parties.map((p) => ({ key: `main:${p}`, x: L.x(p, 'main'), party: p, lane: 'main' }));
    if (L.cr) for (const p of ['cpe', 'acs'] as const) lines.push({ key: `cr:${p}`, x: L.x(p, 'cr'), party: p, lane: 'cr' });
    select(this.gLifelines)
      .selectAll<SVGLineElement, (typeof lines)[number]>('line')
      .data(lines, (l) => l.key)
      .join('line')
      .attr('class', (l) => `lifeline party-${l.party} lane-${l.lane}`)
      .attr('x1', (l) => l.x)
      .attr('x2', (l) => l.x)
      .attr('y1', 0)
      .attr('y2', L.height);
  }

  /** Joins the rows by key; returns how many were added. */
  private drawRows(d: LadderData, L: Layout, repaintAll: boolean, sessionChanged: boolean): number {
    const rows = d.model.rows;
    const index = new Map<string, number>();
    rows.forEach((r, i) => index.set(r.key, i));
    const words = (r: LadderRow) => (r.type === 'arrow' ? arrowText(r, d.t) : { label: markText(r, d.t), detail: '', aria: '' });
    // What may change on a row already drawn: the abort (from the outcome), the RPC an HTTP message
    // carries (its envelope arrives just after it), a connection's peer once a message names it.
    const sig = (r: LadderRow) => (r.type === 'arrow' ? `${r.aborted}|${r.text.rpc ?? ''}|${r.bytes}` : `${r.aborted}|${r.peer}|${r.ends?.join() ?? ''}`);

    // Rows are drawn CHUNK to an SVG, each SVG absolutely placed over the rows it holds: a new
    // row changes only the last SVG, so the browser lays out and repaints that one, not the
    // whole diagram (one SVG of 600 rows growing by a few rows a frame drops to ~20 fps in
    // Chromium; in chunks it keeps 60).
    // Keyed join by seq, per chunk. Rows only ever append, so new nodes land at the end in order
    // and the join skips selection.order() (which costs a document-position check per node).
    // Direct children only (selectAll would walk every descendant of every row).
    const nChunks = Math.ceil(rows.length / CHUNK);
    while (this.chunks.length > nChunks) {
      const gone = this.chunks.pop()!;
      stop(gone.svg);
      gone.svg.remove();
    }
    const entered: Element[] = [];
    const sels: RowSel[] = [];
    for (let c = 0; c < nChunks; c++) {
      const chunk = this.chunk(c);
      const first = c * CHUNK;
      const last = Math.min(rows.length, first + CHUNK) - 1;
      const top = L.ys[first]!;
      place(chunk, top, L.width, L.ys[last]! + L.hs[last]! - top);
      const update = select(chunk.g)
        .selectChildren<SVGGElement, LadderRow>()
        .data(rows.slice(first, last + 1), (r) => r.key);
      update.exit().each(function () {
        stop(this as Element);
      }).remove();
      const enter: RowSel = update.enter().append('g');
      entered.push(...enter.nodes());
      sels.push(enter.merge(update));
    }
    const enteredNodes = new Set<Element>(entered);
    const animate = !this.reduced && !sessionChanged && enteredNodes.size > 0 && enteredNodes.size <= BULK;
    const now = Date.now();
    if (this.nextStart < now) this.nextStart = now;
    if (this.nextStart - now > 1500) this.nextStart = now; // far behind: catch up at once

    for (const sel of sels) sel.each((r, _j, nodes) => {
      const node = nodes[_j] as SVGGElement;
      const isNew = enteredNodes.has(node);
      const s = sig(r);
      if (!isNew && !repaintAll && this.painted.get(r.key) === s) return;
      this.painted.set(r.key, s);
      const w = words(r);
      const k = index.get(r.key)!;
      const g = select(node);
      // An arrow still flying in whose words changed (its HTTP message just learnt the RPC it
      // carries): new words, same flight. A layout change ends the flight at once.
      const flying = !isNew && !repaintAll && (this.animating.get(r.key) ?? 0) > now;
      if (isNew) this.build(g, r);
      else if (!flying) this.land(node);
      g.attr('transform', `translate(0,${L.ys[k]! - L.ys[k - (k % CHUNK)]!})`); // from its chunk's top
      if (r.type === 'arrow') this.paintArrow(g as unknown as Selection<SVGGElement, LadderArrow, null, undefined>, r, w, L, L.hs[k]!, d, flying);
      else this.paintMark(g as unknown as Selection<SVGGElement, LadderMark, null, undefined>, r, w.label, L, L.hs[k]!, d);
      if (isNew && animate && r.type === 'arrow') {
        const delay = Math.max(0, this.nextStart - now);
        this.nextStart = now + delay + STAGGER_MS;
        this.animateIn(g as unknown as Selection<SVGGElement, LadderArrow, null, undefined>, delay);
        this.animating.set(r.key, now + delay + ARROW_MS + 100);
      } else if (isNew && animate) {
        g.style('opacity', 0).transition('enter').delay(Math.max(0, this.nextStart - now - STAGGER_MS)).duration(200).style('opacity', 1);
      }
    });
    return enteredNodes.size;
  }

  /** Creates a row's child elements once (a row's type never changes) and remembers them. */
  private build(g: Selection<SVGGElement, LadderRow, null, undefined> | Selection<SVGGElement, unknown, null, undefined>, r: LadderRow): void {
    const node = g.node()!;
    if (r.type === 'arrow') {
      node.setAttribute('data-testid', 'arrow');
      node.setAttribute('role', 'button');
      node.setAttribute('tabindex', '0');
      node.setAttribute('data-name', r.name);
      node.setAttribute('data-from', r.from);
      node.setAttribute('data-to', r.to);
      node.setAttribute('data-seq', String(r.seq));
      node.setAttribute('data-conn', String(r.conn));
      node.setAttribute('data-kind', r.kind);
      node.setAttribute('data-lane', r.lane);
      node.setAttribute('data-layer', r.layer);
      node.setAttribute('aria-pressed', 'false');
      const title = el(node, 'title');
      const hit = el(node, 'rect', { class: 'hit', rx: 6 });
      const time = el(node, 'text', { class: 'time' });
      const shaft = el(node, 'line', { class: 'shaft' });
      const label = el(node, 'text', { class: 'label' });
      const name = el(label, 'tspan', { class: 'name' });
      const inline = el(label, 'tspan', { class: 'inline-detail' });
      const detail = el(node, 'text', { class: 'detail' });
      const lock = el(node, 'use', { class: 'lock' });
      const abort = el(node, 'g', { class: 'abort' });
      el(abort, 'circle', { r: 10 });
      el(abort, 'path', { d: 'M-4,-4 L4,4 M4,-4 L-4,4' });
      const abortText = el(abort, 'text', { class: 'abort-text', y: 4 });
      this.parts.set(node, { title, hit, time, shaft, label, name, inline, detail, lock, abort, abortText });
    } else {
      node.setAttribute('data-testid', 'ladder-mark');
      node.setAttribute('data-mark', r.mark);
      if (r.conn !== null) node.setAttribute('data-conn', String(r.conn));
      node.setAttribute('data-seq', String(r.seq));
      const time = el(node, 'text', { class: 'time' });
      const link = el(node, 'line', { class: 'link' });
      const dot = el(node, 'circle', { class: 'dot', r: 3.5 });
      const pill = el(node, 'rect', { class: 'pill', rx: 9 });
      const pillText = el(node, 'text', { class: 'pill-text' });
      this.parts.set(node, { time, link, dot, pill, pillText });
    }
  }

  private timeText(d: LadderData, t: number): string {
    const t0 = d.model.t0 ?? t;
    const ms = t - t0;
    return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms.toFixed(1);
  }

  /** Ends a row's entrance at once: transitions stopped, everything fully visible. */
  private land(node: SVGGElement): void {
    stop(node, 'enter');
    this.animating.delete(node.getAttribute('data-seq') ?? '');
    node.style.removeProperty('opacity');
    for (const n of node.querySelectorAll<SVGElement>('[style]')) n.style.removeProperty('opacity');
  }

  private paintArrow(g: Selection<SVGGElement, LadderArrow, null, undefined>, r: LadderArrow, w: { label: string; detail: string; aria: string }, L: Layout, h: number, d: LadderData, flying = false): void {
    const node = g.node()!;
    const level = r.text.alert ? ` alert-${r.text.alert.level}` : '';
    node.setAttribute('class', `row arrow k-${r.kind} layer-${r.layer} lane-${r.lane}${level}${r.aborted ? ' is-aborted' : ''}${r.error ? ' has-error' : ''}${flying ? ' is-new' : ''}`);
    node.setAttribute('aria-label', w.aria);
    node.setAttribute('data-aborted', String(r.aborted));
    const P = this.parts.get(node)!;
    P.title!.textContent = [w.label, w.detail].filter(Boolean).join('\n');
    const fx = L.x(r.from, r.lane);
    const tx = L.x(r.to, r.lane);
    const dir = tx >= fx ? 1 : -1;
    const nested = r.layer !== 'tls';
    const inset = r.layer === 'http' && r.lane === 'main' ? 18 : r.layer === 'cwmp' ? 36 : 0;
    const x1 = fx + dir * (inset + 2);
    const x2 = tx - dir * (inset + 4);
    const compact = d.zoom < 0.8;
    const lineY = Math.round(nested ? h * 0.66 : compact ? h * 0.68 : h * 0.52);
    const mid = (fx + tx) / 2;
    const span = Math.abs(tx - fx) - 2 * inset;

    const hit = P.hit!;
    hit.setAttribute('x', String(Math.min(fx, tx) - 12));
    hit.setAttribute('width', String(Math.abs(tx - fx) + 24));
    hit.setAttribute('y', '1');
    hit.setAttribute('height', String(h - 2));

    const time = P.time!;
    time.textContent = nested ? '' : this.timeText(d, r.t);
    time.setAttribute('x', String(GUTTER - 10));
    time.setAttribute('y', String(lineY + 4));

    const shaft = P.shaft!;
    shaft.setAttribute('x1', String(x1));
    if (!flying) shaft.setAttribute('x2', String(x2)); // else the running transition ends there
    shaft.setAttribute('y1', String(lineY));
    shaft.setAttribute('y2', String(lineY));
    shaft.setAttribute('marker-end', `url(#${this.markerId(r.kind)})`);

    const lockW = r.lock === 'none' || nested ? 0 : 18;
    const label = P.label!;
    const name = P.name!;
    const inline = P.inline!;
    label.setAttribute('x', String(mid + (dir * lockW) / 2));
    label.setAttribute('y', String(lineY - (nested ? 6 : 8)));
    const room = span - 24 - lockW;
    if (nested) {
      const nameText = truncate(w.label, room, (CHAR.detail + 0.6) * L.font);
      name.textContent = nameText;
      const left = room - displayWidth(nameText) * (CHAR.detail + 0.6) * L.font - 16;
      inline.textContent = w.detail && !compact && left > 110 ? `  ${truncate(w.detail, left, CHAR.detail * L.font)}` : '';
    } else {
      name.textContent = truncate(w.label, room, CHAR.label * L.font);
      inline.textContent = '';
    }
    // An abort's ✕ and its word sit under the shaft at the sender's end: the detail takes the rest.
    let detailMid = mid;
    let detailRoom = span - 20;
    if (r.aborted) {
      const start = fx + dir * (24 + displayWidth(d.t('ladder.mark.abortedShort')) * CHAR.detail * L.font);
      detailMid = (start + x2) / 2;
      detailRoom = Math.max(0, dir * (x2 - start) - 8);
    }
    const detail = P.detail!;
    detail.textContent = nested || compact ? '' : truncate(w.detail, detailRoom, CHAR.detail * L.font);
    detail.setAttribute('x', String(detailMid));
    detail.setAttribute('y', String(lineY + 16));

    const lock = P.lock!;
    if (lockW) {
      lock.setAttribute('href', `#lk${this.id}-${r.lock}`);
      lock.setAttribute('width', '12');
      lock.setAttribute('height', '14');
      lock.setAttribute('x', String(fx + dir * 16 - 6));
      lock.setAttribute('y', String(lineY - 21));
      lock.setAttribute('class', `lock lock-${r.lock}`);
      lock.removeAttribute('display');
    } else lock.setAttribute('display', 'none');

    const ab = P.abort!;
    if (r.aborted) {
      ab.removeAttribute('display');
      ab.setAttribute('transform', `translate(${fx},${lineY})`);
      const txt = P.abortText!;
      txt.textContent = d.t('ladder.mark.abortedShort');
      // Inside the lane, under the shaft next to the ✕ (outside it is the flight bracket's place).
      txt.setAttribute('x', String(dir * 14));
      txt.setAttribute('y', '17');
      txt.setAttribute('text-anchor', dir > 0 ? 'start' : 'end');
    } else ab.setAttribute('display', 'none');
  }

  private paintMark(g: Selection<SVGGElement, LadderMark, null, undefined>, m: LadderMark, text: string, L: Layout, h: number, d: LadderData): void {
    const node = g.node()!;
    node.setAttribute('class', `row mark m-${m.mark} lane-${m.lane}${m.aborted ? ' is-aborted' : ''}`);
    node.setAttribute('data-aborted', String(m.aborted));
    const y = Math.round(h / 2);
    const P = this.parts.get(node)!;
    const time = P.time!;
    time.textContent = this.timeText(d, m.t);
    time.setAttribute('x', String(GUTTER - 10));
    time.setAttribute('y', String(y + 4));
    const lane = m.lane;
    const [x0, x1] = lane === 'cr' && L.cr ? L.cr : L.main;
    let cx: number;
    const link = P.link!;
    const dot = P.dot!;
    if (m.party) {
      cx = L.x(m.party, lane);
      dot.removeAttribute('display');
      dot.setAttribute('cx', String(cx));
      dot.setAttribute('cy', String(y));
    } else {
      cx = m.ends ? (L.x(m.ends[0], lane) + L.x(m.ends[1], lane)) / 2 : (x0 + x1) / 2;
      dot.setAttribute('display', 'none');
    }
    if (m.mark === 'open' && m.party && m.peer) {
      link.removeAttribute('display');
      link.setAttribute('x1', String(cx));
      link.setAttribute('x2', String(L.x(m.peer, lane)));
      link.setAttribute('y1', String(y));
      link.setAttribute('y2', String(y));
    } else if (m.mark === 'close' && m.ends) {
      link.removeAttribute('display');
      link.setAttribute('x1', String(L.x(m.ends[0], lane)));
      link.setAttribute('x2', String(L.x(m.ends[1], lane)));
      link.setAttribute('y1', String(y));
      link.setAttribute('y2', String(y));
    } else link.setAttribute('display', 'none');

    // The pill sits beside the lifeline, on the side with room (inside the lane).
    const w = Math.min(displayWidth(text) * CHAR.pill * L.font + 18, x1 - x0 - 8);
    let px = m.party ? (cx + w + 10 > x1 ? cx - w - 8 : cx + 8) : cx - w / 2;
    if (m.party && m.mark === 'open') px = cx - w / 2; // on the lifeline, the link runs under it
    px = Math.max(x0 + 2, Math.min(px, x1 - w - 2));
    const pill = P.pill!;
    pill.setAttribute('x', String(px));
    pill.setAttribute('y', String(y - 9));
    pill.setAttribute('width', String(w));
    pill.setAttribute('height', '18');
    const pt = P.pillText!;
    pt.textContent = truncate(text, w - 12, CHAR.pill * L.font);
    pt.setAttribute('x', String(px + w / 2));
    pt.setAttribute('y', String(y + 4));
    const where = m.party ? d.t('ladder.mark.ariaParty', { mark: text, party: partyName(m.party, d.t) }) : text;
    node.setAttribute('aria-label', where);
    node.setAttribute('role', 'img');
  }

  private animateIn(g: Selection<SVGGElement, LadderArrow, null, undefined>, delay: number): void {
    const shaft = g.select<SVGLineElement>('line.shaft');
    const x2 = Number(shaft.attr('x2'));
    const x1 = Number(shaft.attr('x1'));
    shaft.attr('x2', x1).transition('enter').delay(delay).duration(ARROW_MS).ease(easeCubicOut).attr('x2', x2);
    g.selectAll<SVGElement, unknown>('text.label, text.detail, use.lock, g.abort')
      .style('opacity', 0)
      .transition('enter')
      .delay(delay + ARROW_MS * 0.45)
      .duration(ARROW_MS * 0.6)
      .style('opacity', 1);
    g.classed('is-new', true)
      .transition('enter')
      .delay(delay + ARROW_MS + 900)
      .on('end', function () {
        select(this).classed('is-new', false);
      });
  }

  /** The SVG holding rows [c·CHUNK, (c+1)·CHUNK), created on first use (in order: chunks only ever append). */
  private chunk(c: number): Chunk {
    let chunk = this.chunks[c];
    if (chunk) return chunk;
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('class', 'ladder__chunk');
    svg.setAttribute('data-chunk', String(c));
    const g = el(svg, 'g', { class: 'rows' });
    this.rowsHost.appendChild(svg);
    chunk = { svg, g, top: NaN, width: NaN, height: NaN };
    this.chunks[c] = chunk;
    return chunk;
  }

  private drawFlights(d: LadderData, L: Layout): void {
    const flights = d.model.flights.filter((f) => L.ys[f.first] !== undefined && L.ys[f.last] !== undefined);
    const sel = select(this.gFlights)
      .selectChildren<SVGGElement, (typeof flights)[number]>()
      .data(flights, (f) => f.key)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'flight');
        g.append('path');
        g.append('text');
        return g;
      });
    sel.each((f, i, nodes) => {
      const g = nodes[i]!;
      const sig = `${L.key}|${d.lang}|${f.first}|${f.last}`;
      if (this.flightSig.get(f.key) === sig) return;
      this.flightSig.set(f.key, sig);
      const fx = L.x(f.from, f.lane);
      const tx = L.x(f.to, f.lane);
      const dir = tx >= fx ? 1 : -1;
      const bx = fx - dir * 16;
      const y0 = L.ys[f.first]! + 8;
      const y1 = L.ys[f.last]! + L.hs[f.last]! - 8;
      g.setAttribute('class', `flight party-${f.from}`);
      g.querySelector('path')!.setAttribute('d', `M${bx + dir * 6},${y0} H${bx} V${y1} H${bx + dir * 6}`);
      const text = g.querySelector('text')!;
      text.textContent = d.t('ladder.flightShort', { n: f.flight });
      text.setAttribute('x', String(bx - dir * 5));
      text.setAttribute('y', String(y0 + 11));
      text.setAttribute('text-anchor', dir > 0 ? 'end' : 'start');
    });
  }

  private drawHeld(d: LadderData, L: Layout): void {
    const base = (L.ys.length ? L.ys[L.ys.length - 1]! + L.hs[L.hs.length - 1]! : 12) + 10;
    const items = d.held.map((h, i) => ({ ...h, key: `${h.conn}:${h.from}`, i }));
    const sel = select(this.gHeld)
      .selectAll<SVGGElement, (typeof items)[number]>('g.held-item')
      .data(items, (h) => h.key)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'held-item').attr('data-testid', 'ladder-held').attr('role', 'status');
        g.append('line').attr('class', 'stub');
        g.append('rect').attr('class', 'relay');
        g.append('rect').attr('class', 'pill');
        g.append('text').attr('class', 'pill-text');
        return g;
      });
    sel.each((h, i, nodes) => {
      const g = nodes[i]!;
      const fx = L.x(h.from, h.lane);
      const tx = L.x(h.to, h.lane);
      const mid = (fx + tx) / 2;
      const y = base + h.i * H.held + 14;
      const text = d.t(h.records === 1 ? 'ladder.held.one' : 'ladder.held.many', { n: h.records, party: partyName(h.from, d.t) });
      g.setAttribute('aria-label', text);
      g.setAttribute('data-conn', String(h.conn));
      g.setAttribute('data-from', h.from);
      g.setAttribute('data-records', String(h.records));
      const stub = g.querySelector('line')!;
      stub.setAttribute('x1', String(fx));
      stub.setAttribute('x2', String(mid - 10 * Math.sign(tx - fx || 1)));
      stub.setAttribute('y1', String(y));
      stub.setAttribute('y2', String(y));
      const relay = g.querySelector('rect.relay')!;
      relay.setAttribute('x', String(mid - 9));
      relay.setAttribute('y', String(y - 9));
      relay.setAttribute('width', '18');
      relay.setAttribute('height', '18');
      relay.setAttribute('rx', '4');
      const [x0, x1] = h.lane === 'cr' && L.cr ? L.cr : L.main;
      const w = Math.min(displayWidth(text) * CHAR.pill * L.font + 20, x1 - x0 - 8);
      const px = Math.max(x0 + 4, Math.min(mid - w / 2, x1 - w - 4));
      const pill = g.querySelector('rect.pill')!;
      pill.setAttribute('x', String(px));
      pill.setAttribute('y', String(y + 14));
      pill.setAttribute('width', String(w));
      pill.setAttribute('height', '22');
      pill.setAttribute('rx', '11');
      const pt = g.querySelector('text')!;
      pt.textContent = truncate(text, w - 14, CHAR.pill * L.font);
      pt.setAttribute('x', String(px + w / 2));
      pt.setAttribute('y', String(y + 29));
    });
  }

  /** Highlights the selected arrow (a repaint resets a row's class, so this runs after every join). */
  private drawSelection(d: LadderData): void {
    const key = d.selected === null ? null : String(d.selected);
    let n = this.selectedNode;
    if (n && (n.getAttribute('data-seq') !== key || !n.isConnected)) {
      n.classList.remove('is-selected');
      n.setAttribute('aria-pressed', 'false');
      n = this.selectedNode = null;
    }
    if (key === null) return;
    n ??= this.rowNode(key);
    if (n && !n.classList.contains('is-selected')) {
      n.classList.add('is-selected');
      n.setAttribute('aria-pressed', 'true');
    }
    this.selectedNode = n;
  }

  private rowNode(key: string): SVGGElement | null {
    // Direct children of each chunk's rows group (a descendant query would walk every row's parts).
    for (const chunk of this.chunks) for (const c of chunk.g.children) if (c.getAttribute('data-seq') === key && c.classList.contains('arrow')) return c as SVGGElement;
    return null;
  }

  // ---- scrolling and zoom ---------------------------------------------------------------------

  /**
   * Scrolls to the newest row, once per frame at most, from the layout we computed (reading
   * scrollHeight here would force a synchronous layout of the whole SVG on every event).
   */
  private scrollToEnd(instant: boolean): void {
    this.scrollInstant ||= instant;
    if (this.scrollFrame) return;
    const run = () => {
      this.scrollFrame = 0;
      const inst = this.scrollInstant;
      this.scrollInstant = false;
      const L = this.layout;
      if (!L || this.destroyed) return;
      const top = Math.max(0, L.height - (this.viewH || this.scroller.clientHeight));
      if (top <= 0) return;
      const smooth = !inst && !this.reduced;
      this.programmaticUntil = Date.now() + (smooth ? 800 : 100);
      if (typeof this.scroller.scrollTo === 'function') this.scroller.scrollTo({ top, behavior: smooth ? 'smooth' : 'auto' });
      else this.scroller.scrollTop = top;
    };
    if (typeof requestAnimationFrame === 'function') this.scrollFrame = requestAnimationFrame(run);
    else run();
  }

  private centerRow(L: Layout): { index: number; frac: number } | null {
    if (!L.ys.length) return null;
    const c = this.scroller.scrollTop + this.scroller.clientHeight / 2;
    let lo = 0;
    let hi = L.ys.length - 1;
    while (lo < hi) {
      const m = (lo + hi + 1) >> 1;
      if (L.ys[m]! <= c) lo = m;
      else hi = m - 1;
    }
    return { index: lo, frac: (c - L.ys[lo]!) / L.hs[lo]! };
  }

  private restoreCenter(L: Layout, a: { index: number; frac: number }): void {
    const y = L.ys[a.index];
    if (y === undefined) return;
    this.programmaticUntil = Date.now() + 100;
    this.scroller.scrollTop = Math.max(0, y + a.frac * L.hs[a.index]! - this.scroller.clientHeight / 2);
  }

  // ---- events ---------------------------------------------------------------------------------

  private readonly onClick = (e: MouseEvent) => {
    const g = (e.target as Element).closest?.('g.arrow');
    if (!g) return;
    const seq = Number(g.getAttribute('data-seq'));
    if (Number.isFinite(seq)) this.cb.onSelect(seq);
  };

  private readonly onKey = (e: KeyboardEvent) => {
    const g = (e.target as Element).closest?.('g.arrow') as SVGGElement | null;
    if (!g) return;
    if (e.key === 'Enter' || e.key === ' ' || e.key === 'Spacebar') {
      e.preventDefault();
      e.stopPropagation(); // Space is also the app's "step" key: here it selects
      this.cb.onSelect(Number(g.getAttribute('data-seq')));
      return;
    }
    const all = [...this.rowsHost.querySelectorAll<SVGGElement>('g.arrow')];
    const i = all.indexOf(g);
    let next: SVGGElement | undefined;
    if (e.key === 'ArrowDown') next = all[i + 1];
    else if (e.key === 'ArrowUp') next = all[i - 1];
    else if (e.key === 'Home') next = all[0];
    else if (e.key === 'End') next = all[all.length - 1];
    else return;
    e.preventDefault();
    e.stopPropagation();
    if (next) {
      next.focus();
      next.scrollIntoView?.({ block: 'nearest' });
      if (this.data?.follow && e.key !== 'End') this.cb.onFollow(false);
    }
  };

  private readonly onWheel = (e: WheelEvent) => {
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      const k = this.data?.zoom ?? 1;
      const next = clampZoom(k * Math.exp(-e.deltaY * 0.0015));
      if (next !== k) this.cb.onZoom(next);
      return;
    }
    if (e.deltaY < 0 && this.data?.follow) this.cb.onFollow(false);
  };

  private readonly onScroll = () => {
    this.heads.scrollLeft = this.scroller.scrollLeft;
    if (!this.data?.follow || Date.now() < this.programmaticUntil) return;
    const gap = this.scroller.scrollHeight - this.scroller.clientHeight - this.scroller.scrollTop;
    if (gap > 80) this.cb.onFollow(false);
  };
}
