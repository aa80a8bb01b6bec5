// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CertTreeView, type CertTreeData, type CertTreeNode } from './cert-tree.ts';

const node = (id: string, role: CertTreeNode['role'], extra: Partial<CertTreeNode> = {}, children: CertTreeNode[] = []): CertTreeNode => ({
  id,
  title: `CN ${id}`,
  subtitle: role,
  role,
  anchor: false,
  status: 'pass',
  realMark: null,
  aria: `${id} ${role}`,
  children,
  ...extra,
});

function data(selected: string | null = null): CertTreeData {
  return {
    sides: [
      { id: 'cpe', title: 'CPE chain', empty: 'none', root: node('cpe:1', 'root', { anchor: true }, [node('cpe:0', 'leaf')]) },
      {
        id: 'acs',
        title: 'ACS chain',
        empty: 'none',
        root: node('acs:2', 'root', { anchor: true }, [node('acs:1', 'intermediate', {}, [node('acs:0', 'leaf', { status: 'fail', realMark: 'OpenSSL: ✕ here' })])]),
      },
    ],
    selected,
    anchorLabel: 'trust anchor',
    label: 'chains',
  };
}

let host: HTMLElement;
function mount(onSelect = vi.fn()) {
  host = document.createElement('div');
  document.body.appendChild(host);
  return { view: new CertTreeView(host, { onSelect }), onSelect };
}
afterEach(() => host.remove());

const nodes = () => [...host.querySelectorAll<SVGGElement>('[data-testid="cert-node"]')];
const byId = (id: string) => host.querySelector<SVGGElement>(`[data-id="${id}"]`)!;
const y = (g: SVGGElement) => Number(/translate\([^,]+,([^)]+)\)/.exec(g.getAttribute('transform')!)![1]);

describe('CertTreeView', () => {
  it('three chains (an attacker in the middle): columns never overlap, titles are cut to their column', () => {
    const { view } = mount();
    const three: CertTreeData = {
      ...data(),
      sides: [
        data().sides[0]!,
        { id: 'attacker', title: 'Attacker’s chain — shown to the CPE as the ACS, a title far longer than its column', empty: 'none', root: node('attacker:1', 'missing', {}, [node('attacker:0', 'leaf')]) },
        data().sides[1]!,
      ],
    };
    view.update(three);
    const x = (g: SVGGElement) => Number(/translate\(([^,]+),/.exec(g.getAttribute('transform')!)![1]);
    const leaves = ['cpe:0', 'attacker:0', 'acs:0'].map((id) => x(byId(id)));
    // node boxes are 236 px wide: each column's leaf starts after the previous one ends
    for (let i = 1; i < leaves.length; i++) expect(leaves[i]! - leaves[i - 1]!).toBeGreaterThanOrEqual(236);
    const width = Number(host.querySelector('svg')!.getAttribute('width'));
    expect(width).toBeGreaterThanOrEqual(3 * (236 + 32));
    const titles = [...host.querySelectorAll('text.ct-title')].map((t) => t.textContent!);
    expect(titles[0]).toBe('CPE chain');
    expect(titles[1]).toMatch(/^Attacker’s chain — .*…$/);
    expect(titles[1]!.length * 7.4).toBeLessThanOrEqual(width / 3);
  });

  it('draws both chains, root at the top and leaf at the bottom, with anchors, status and the real verdict mark', () => {
    const { view } = mount();
    view.update(data('acs:0'));
    expect(nodes().map((n) => n.dataset.id).sort()).toEqual(['acs:0', 'acs:1', 'acs:2', 'cpe:0', 'cpe:1']);
    expect(y(byId('acs:2'))).toBeLessThan(y(byId('acs:1')));
    expect(y(byId('acs:1'))).toBeLessThan(y(byId('acs:0')));
    expect(host.querySelectorAll('path.ct-link')).toHaveLength(3);
    expect(byId('acs:2').dataset.anchor).toBe('true');
    expect(byId('acs:2').querySelector('.ct-anchor')!.getAttribute('display')).toBeNull();
    expect(byId('acs:1').querySelector('.ct-anchor')!.getAttribute('display')).toBe('none');
    expect(byId('acs:0').dataset.status).toBe('fail');
    expect(byId('acs:0').querySelector('.ct-glyph')!.textContent).toBe('✕');
    expect(byId('acs:0').classList.contains('real-fail')).toBe(true);
    expect(byId('acs:0').querySelector('.ct-real text')!.textContent).toBe('OpenSSL: ✕ here');
    expect(byId('acs:0').getAttribute('aria-pressed')).toBe('true');
    // The CPE is drawn left of the ACS, as on the ladder.
    const x = (g: SVGGElement) => Number(/translate\(([^,]+),/.exec(g.getAttribute('transform')!)![1]);
    expect(x(byId('cpe:0'))).toBeLessThan(x(byId('acs:0')));
    expect([...host.querySelectorAll('.ct-title')].map((t) => t.textContent)).toEqual(['CPE chain', 'ACS chain']);
  });

  it('nodes are buttons: click and Enter select', () => {
    const { view, onSelect } = mount();
    view.update(data());
    byId('cpe:0').dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(onSelect).toHaveBeenLastCalledWith('cpe:0');
    byId('acs:1').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(onSelect).toHaveBeenLastCalledWith('acs:1');
    expect(byId('acs:1').getAttribute('role')).toBe('button');
    expect(byId('acs:1').getAttribute('tabindex')).toBe('0');
  });

  it('updates in place (same node elements) and marks a missing issuer as a dashed, unfocusable box', () => {
    const { view } = mount();
    view.update(data());
    const before = byId('cpe:0');
    const d = data('cpe:0');
    d.sides[1]!.root = node('acs:missing', 'missing', { status: 'unknown' }, [node('acs:0', 'leaf', { status: 'fail' })]);
    view.update(d);
    expect(byId('cpe:0')).toBe(before);
    expect(byId('cpe:0').getAttribute('aria-pressed')).toBe('true');
    expect(byId('acs:missing').getAttribute('tabindex')).toBe('-1');
    expect(byId('acs:missing').classList.contains('role-missing')).toBe(true);
    expect(host.querySelector('[data-id="acs:2"]')).toBeNull();
  });

  it('an empty side says so; destroy removes the SVG', () => {
    const { view } = mount();
    const d = data();
    d.sides[0]!.root = null;
    d.sides[0]!.empty = 'no certificate was sent';
    view.update(d);
    expect(host.querySelector('.ct-empty')!.textContent).toBe('no certificate was sent');
    view.destroy();
    expect(host.querySelector('svg')).toBeNull();
    view.update(data());
    expect(host.querySelector('svg')).toBeNull();
  });
});
