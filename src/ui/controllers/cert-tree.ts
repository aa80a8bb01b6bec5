import { hierarchy, linkVertical, select, tree, type HierarchyPointLink, type HierarchyPointNode, type Selection } from 'd3';
import { displayWidth } from '../lib/frames.ts';

/**
 * Both sides' certificate chains as d3 trees (SVG): the CPE's chain on the left, the ACS's on the
 * right (as on the ladder), each drawn root at the top → intermediates → leaf at the bottom. Trust
 * anchors carry an anchor badge, a missing issuer is a dashed box, each node shows the browser's
 * check (✓ / ✕ / !) and, when the real verifier reported its error at that certificate, a red
 * outline and tag. A plain controller: `update(data)`, `destroy()`; nodes are buttons (Tab, Enter).
 */

export type CertNodeRole = 'leaf' | 'intermediate' | 'root' | 'anchor' | 'missing';
export type CertNodeStatus = 'pass' | 'fail' | 'warn' | 'unknown';

export interface CertTreeNode {
  /** Stable id, e.g. `acs:0` (side and depth in the verified path); `acs:missing`. */
  id: string;
  title: string;
  subtitle: string;
  role: CertNodeRole;
  /** Came from the verifier's trust store. */
  anchor: boolean;
  status: CertNodeStatus;
  /** The real verifier's error was reported at this certificate: the tag text. */
  realMark: string | null;
  /** Accessible description (status and role in words). */
  aria: string;
  children: CertTreeNode[];
}

export interface CertTreeSide {
  id: 'cpe' | 'acs' | 'attacker';
  title: string;
  /** The top of the path (root or the highest certificate found); null without certificates. */
  root: CertTreeNode | null;
  empty: string;
}

export interface CertTreeData {
  sides: CertTreeSide[];
  selected: string | null;
  anchorLabel: string;
  label: string;
}

export interface CertTreeOptions {
  onSelect(id: string): void;
}

const NODE_W = 236;
/** Average glyph width of a column title (13 px bold), for cutting a title to its column. */
const TITLE_CHAR_PX = 7.4;

/** A column title cut to `px` (CJK characters count double), with an ellipsis; the side summary below shows it whole. */
function fitTitle(title: string, px: number): string {
  const max = Math.floor(px / TITLE_CHAR_PX);
  if (displayWidth(title) <= max) return title;
  let out = '';
  let w = 0;
  for (const ch of title) {
    if (w + displayWidth(ch) > max - 1) break;
    out += ch;
    w += displayWidth(ch);
  }
  return `${out.trimEnd()}…`;
}
const NODE_H = 56;
const GAP_Y = 34;
const TOP = 44;
const SIDE_PAD = 16;

type Node = HierarchyPointNode<CertTreeNode>;

/** Estimated width of a text: CJK glyphs are about 1.7 times as wide as Latin ones. */
function textWidth(s: string, char: number): number {
  let w = 0;
  for (const c of s) w += c.codePointAt(0)! >= 0x2e80 ? char * 1.7 : char;
  return w;
}

function truncate(s: string, px: number, char = 7.4): string {
  if (textWidth(s, char) <= px) return s;
  let out = '';
  for (const c of s) {
    if (textWidth(out + c + '…', char) > px) break;
    out += c;
  }
  return out + '…';
}

const STATUS_GLYPH: Record<CertNodeStatus, string> = { pass: '✓', fail: '✕', warn: '!', unknown: '?' };

export class CertTreeView {
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly ro: ResizeObserver | null;
  private data: CertTreeData | null = null;
  private width = 0;
  private destroyed = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly opts: CertTreeOptions,
  ) {
    this.svg = select(container).append('svg').attr('class', 'cert-tree').attr('role', 'group');
    this.ro =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver(() => {
            const w = this.container.clientWidth;
            if (w > 0 && Math.abs(w - this.width) > 1) this.render();
          });
    this.ro?.observe(container);
  }

  update(data: CertTreeData): void {
    if (this.destroyed) return;
    this.data = data;
    this.render();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.ro?.disconnect();
    this.svg.remove();
  }

  /** Move keyboard focus to a node (after a re-render keeps the same id). */
  focus(id: string): void {
    (this.svg.node()?.querySelector(`[data-id="${id.replace(/["\\]/g, '')}"]`) as SVGGElement | null)?.focus();
  }

  private render(): void {
    const data = this.data;
    if (!data || this.destroyed) return;
    // Every column fits its nodes (three with an attacker): a narrow pane scrolls sideways instead of overlapping them.
    const width = Math.max(Math.max(2, data.sides.length) * (NODE_W + 2 * SIDE_PAD), this.container.clientWidth || 760);
    this.width = width;
    const colW = width / data.sides.length;
    const layouts = data.sides.map((side, i) => {
      if (!side.root) return { side, nodes: [] as Node[], links: [] as HierarchyPointLink<CertTreeNode>[], x0: i * colW, height: TOP + NODE_H };
      const h = hierarchy(side.root, (d) => d.children);
      const laid = tree<CertTreeNode>().nodeSize([NODE_W + 24, NODE_H + GAP_Y])(h);
      const nodes = laid.descendants();
      const minX = Math.min(...nodes.map((n) => n.x));
      const maxX = Math.max(...nodes.map((n) => n.x));
      const spread = maxX - minX;
      const shift = i * colW + colW / 2 - (minX + spread / 2);
      for (const n of nodes) {
        n.x += shift;
        n.y += TOP;
      }
      const height = Math.max(...nodes.map((n) => n.y)) + NODE_H + 24;
      return { side, nodes, links: laid.links(), x0: i * colW, height };
    });
    const height = Math.max(...layouts.map((l) => l.height), TOP + NODE_H + 20);
    this.svg.attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height).attr('aria-label', data.label);

    const cols = this.svg
      .selectAll<SVGGElement, (typeof layouts)[number]>('g.ct-side')
      .data(layouts, (l) => l.side.id)
      .join((enter) => enter.append('g').attr('class', 'ct-side'));
    cols.attr('data-side', (l) => l.side.id);

    cols
      .selectAll<SVGTextElement, (typeof layouts)[number]>('text.ct-title')
      .data((l) => [l])
      .join('text')
      .attr('class', 'ct-title')
      .attr('x', (l) => l.x0 + colW / 2)
      .attr('y', 20)
      .attr('text-anchor', 'middle')
      .text((l) => fitTitle(l.side.title, colW - 16));

    cols
      .selectAll<SVGLineElement, (typeof layouts)[number]>('line.ct-divider')
      .data((l) => (l.x0 > 0 ? [l] : []))
      .join('line')
      .attr('class', 'ct-divider')
      .attr('x1', (l) => l.x0)
      .attr('x2', (l) => l.x0)
      .attr('y1', 8)
      .attr('y2', height - 8);

    cols
      .selectAll<SVGTextElement, (typeof layouts)[number]>('text.ct-empty')
      .data((l) => (l.side.root ? [] : [l]))
      .join('text')
      .attr('class', 'ct-empty')
      .attr('x', (l) => l.x0 + colW / 2)
      .attr('y', TOP + NODE_H / 2)
      .attr('text-anchor', 'middle')
      .text((l) => l.side.empty);

    const link = linkVertical<HierarchyPointLink<CertTreeNode>, Node>()
      .x((n) => n.x)
      .y((n) => n.y);
    cols
      .selectAll<SVGPathElement, HierarchyPointLink<CertTreeNode>>('path.ct-link')
      .data(
        (l) => l.links,
        (d) => `${d.source.data.id}>${d.target.data.id}`,
      )
      .join('path')
      .attr('class', (d) => `ct-link${d.source.data.role === 'missing' ? ' missing' : ''}`)
      .attr('d', (d) =>
        link({
          source: { ...d.source, y: d.source.y + NODE_H } as Node,
          target: d.target,
        } as HierarchyPointLink<CertTreeNode>),
      );

    const nodes = cols
      .selectAll<SVGGElement, Node>('g.ct-node')
      .data(
        (l) => l.nodes,
        (d) => d.data.id,
      )
      .join((enter) => {
        const g = enter.append('g').attr('class', 'ct-node').attr('tabindex', 0).attr('role', 'button');
        g.append('rect').attr('class', 'ct-box');
        g.append('text').attr('class', 'ct-name');
        g.append('text').attr('class', 'ct-sub');
        g.append('circle').attr('class', 'ct-badge');
        g.append('text').attr('class', 'ct-glyph');
        g.append('g').attr('class', 'ct-anchor');
        g.append('g').attr('class', 'ct-real');
        g.on('click', (_e, d) => this.opts.onSelect(d.data.id));
        g.on('keydown', (e: KeyboardEvent, d) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            this.opts.onSelect(d.data.id);
          }
        });
        return g;
      });

    nodes
      .attr('data-id', (d) => d.data.id)
      .attr('data-testid', 'cert-node')
      .attr('data-role', (d) => d.data.role)
      .attr('data-status', (d) => d.data.status)
      .attr('data-anchor', (d) => String(d.data.anchor))
      .attr('aria-label', (d) => d.data.aria)
      .attr('aria-pressed', (d) => String(d.data.id === data.selected))
      .attr('tabindex', (d) => (d.data.role === 'missing' ? -1 : 0))
      .attr('class', (d) =>
        ['ct-node', `role-${d.data.role}`, `st-${d.data.status}`, d.data.anchor ? 'is-anchor' : '', d.data.realMark ? 'real-fail' : '', d.data.id === data.selected ? 'selected' : '']
          .filter(Boolean)
          .join(' '),
      )
      .attr('transform', (d) => `translate(${d.x - NODE_W / 2},${d.y})`);

    nodes.select('rect.ct-box').attr('width', NODE_W).attr('height', NODE_H).attr('rx', 8);
    nodes
      .select('text.ct-name')
      .attr('x', 12)
      .attr('y', 23)
      .text((d) => truncate(d.data.title, NODE_W - 44, 8.3));
    nodes
      .select('text.ct-sub')
      .attr('x', 12)
      .attr('y', 42)
      .text((d) => truncate(d.data.subtitle, NODE_W - 24, 6.4));
    nodes
      .select('circle.ct-badge')
      .attr('cx', NODE_W - 18)
      .attr('cy', 18)
      .attr('r', 10)
      .attr('display', (d) => (d.data.role === 'missing' ? 'none' : null));
    nodes
      .select('text.ct-glyph')
      .attr('x', NODE_W - 18)
      .attr('y', 22.5)
      .attr('text-anchor', 'middle')
      .attr('aria-hidden', 'true')
      .text((d) => (d.data.role === 'missing' ? '' : STATUS_GLYPH[d.data.status]));

    // Anchor badge: a small tab above the box.
    const anchor = nodes.select<SVGGElement>('g.ct-anchor').attr('display', (d) => (d.data.anchor ? null : 'none'));
    anchor
      .selectAll('rect')
      .data([0])
      .join('rect')
      .attr('x', 10)
      .attr('y', -11)
      .attr('width', Math.min(140, textWidth(data.anchorLabel, 6.4) + 26))
      .attr('height', 16)
      .attr('rx', 8);
    anchor
      .selectAll('text')
      .data([0])
      .join('text')
      .attr('x', 18)
      .attr('y', 1)
      .text(`⚓ ${data.anchorLabel}`);

    // Real verdict tag under the box.
    const real = nodes.select<SVGGElement>('g.ct-real').attr('display', (d) => (d.data.realMark ? null : 'none'));
    real
      .selectAll('rect')
      .data((d) => [d])
      .join('rect')
      .attr('x', NODE_W - 152)
      .attr('y', NODE_H - 7)
      .attr('width', 140)
      .attr('height', 16)
      .attr('rx', 8);
    real
      .selectAll('text')
      .data((d) => [d])
      .join('text')
      .attr('x', NODE_W - 12 - 70)
      .attr('y', NODE_H + 5)
      .attr('text-anchor', 'middle')
      .text((d) => truncate(d.data.realMark ?? '', 132, 6.2));
  }
}
