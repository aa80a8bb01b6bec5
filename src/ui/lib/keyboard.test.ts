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
