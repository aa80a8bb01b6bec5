// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { createLabStore } from '../store.ts';
import { handleKey, isTyping } from './keyboard.ts';
import { startReplay } from './replay.ts';
import { loadFixture } from './testdata/load.ts';
import { setAppSocket } from './ws-client.ts';

const paper = loadFixture('paper');

function key(k: string, target: Element | null, mods: Partial<KeyboardEvent> = {}) {
  let prevented = false;
  return {
    ev: { key: k, target, ctrlKey: false, metaKey: false, altKey: false, repeat: false, ...mods, preventDefault: () => (prevented = true) } as unknown as KeyboardEvent,
    prevented: () => prevented,
  };
}

afterEach(() => setAppSocket(null));

describe('keyboard', () => {
  it('Space and → step a replay one record; not while typing, not with modifiers, Space not on a button', () => {
    const store = createLabStore();
    const r = startReplay(store, { source: 'transcript', label: 'f', events: paper, mode: 'step' }, { set: () => 0, clear: () => {} });
    const count = () => store.getState().sessions[r.id]!.events.filter((e) => e.kind === 'message').length;
    const body = document.body;
    const k1 = key(' ', body);
    expect(handleKey(k1.ev, store)).toBe(true);
    expect(k1.prevented()).toBe(true);
    expect(count()).toBe(1);
    expect(handleKey(key('ArrowRight', body).ev, store)).toBe(true);
    expect(count()).toBe(2);

    const input = document.createElement('input');
    const select = document.createElement('select');
    const button = document.createElement('button');
    const tab = document.createElement('div');
    tab.setAttribute('role', 'tab');
    expect(handleKey(key(' ', input).ev, store)).toBe(false);
    expect(handleKey(key('ArrowRight', select).ev, store)).toBe(false);
    expect(handleKey(key(' ', button).ev, store)).toBe(false);
    expect(handleKey(key('ArrowRight', tab).ev, store)).toBe(false);
    expect(handleKey(key('ArrowRight', body, { ctrlKey: true }).ev, store)).toBe(false);
    expect(count()).toBe(2);
  });

  it('R runs: with no service it says so in words', () => {
    const store = createLabStore();
    expect(handleKey(key('r', document.body).ev, store)).toBe(true);
    expect(store.getState().notices.map((n) => n.key)).toEqual(['ws.offline']);
    expect(handleKey(key('r', document.createElement('textarea')).ev, store)).toBe(false);
  });

  it('isTyping: inputs, text areas, selects and editable content', () => {
    const div = document.createElement('div');
    div.contentEditable = 'true';
    expect(isTyping(document.createElement('textarea'))).toBe(true);
    expect(isTyping(document.createElement('a'))).toBe(false);
    expect(isTyping(null)).toBe(false);
    // jsdom does not compute isContentEditable; the browser does.
    Object.defineProperty(div, 'isContentEditable', { value: true });
    expect(isTyping(div)).toBe(true);
  });
});

describe('keyboard: keys a widget already handled', () => {
  it('→ and Space in the hex grid and on a certificate node do not also step the session', async () => {
    const { installKeyboard } = await import('./keyboard.ts');
    const { HexView } = await import('../controllers/hex.ts');
    const { CertTreeView } = await import('../controllers/cert-tree.ts');
    const store = createLabStore();
    const r = startReplay(store, { source: 'transcript', label: 'f', events: paper, mode: 'step' }, { set: () => 0, clear: () => {} });
    const count = () => store.getState().sessions[r.id]!.events.filter((e) => e.kind === 'message').length;
    const uninstall = installKeyboard(store);
    const box = document.createElement('div');
    document.body.appendChild(box);
    const hex = new HexView(box, { onPick: () => {} });
    hex.update({ bytes: new Uint8Array([1, 2, 3, 4]) });
    const picked: string[] = [];
    const tree = new CertTreeView(box, { onSelect: (id) => picked.push(id) });
    try {
      const grid = box.querySelector<HTMLElement>('[role="grid"]')!;
      grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, cancelable: true }));
      grid.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true }));
      expect(count()).toBe(0);
      tree.update({
        sides: [{ id: 'acs', title: 'ACS', empty: '', root: { id: 'acs:0', title: 'leaf', subtitle: '', role: 'leaf', anchor: false, status: 'pass', realMark: null, aria: 'leaf', children: [] } }],
        selected: null,
        anchorLabel: 'anchor',
        label: 'chains',
      });
      const node = box.querySelector<SVGGElement>('g.ct-node');
      expect(node).not.toBeNull();
      node!.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true }));
      expect(picked).toEqual(['acs:0']);
      expect(count()).toBe(0);
      // On the page itself the keys still step.
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, cancelable: true }));
      expect(count()).toBe(1);
    } finally {
      uninstall();
      hex.destroy();
      tree.destroy();
      box.remove();
    }
  });
});
