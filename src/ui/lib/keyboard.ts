import { labStore, type LabStoreApi } from '../store.ts';
import { run, step } from './actions.ts';

/**
 * Keyboard: Space or → steps, R runs. Not while the user types (inputs, selects, text areas — the
 * terminal's too — or editable content), never with a modifier, and Space on a focused button keeps
 * its usual meaning (it presses that button). Keys a widget has already handled (default prevented)
 * are left alone.
 */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as (HTMLElement & { isContentEditable?: boolean }) | null;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toLowerCase();
  return tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable === true;
}

export function handleKey(
  e: Pick<KeyboardEvent, 'key' | 'target' | 'ctrlKey' | 'metaKey' | 'altKey' | 'repeat' | 'preventDefault'> & { defaultPrevented?: boolean },
  store: LabStoreApi = labStore,
): boolean {
  // A widget already used the key (the hex grid's cursor, a certificate node's Space/Enter…).
  if (e.defaultPrevented) return false;
  // A modal dialog (the enlarged inspector) is open: the page behind it takes no shortcuts.
  if (typeof document !== 'undefined' && document.querySelector('[aria-modal="true"]')) return false;
  if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return false;
  const tag = (e.target as HTMLElement | null)?.tagName?.toLowerCase();
  if (e.key === ' ' || e.key === 'Spacebar') {
    if (tag === 'button' || tag === 'a' || tag === 'summary') return false;
    e.preventDefault();
    step(store);
    return true;
  }
  if (e.key === 'ArrowRight') {
    // Arrow keys move within tab lists and trees: leave them alone there.
    const role = (e.target as HTMLElement | null)?.getAttribute?.('role');
    if (role === 'tab' || role === 'treeitem' || role === 'slider' || role === 'radio') return false;
    e.preventDefault();
    step(store);
    return true;
  }
  if ((e.key === 'r' || e.key === 'R') && !e.repeat) {
    e.preventDefault();
    run(store);
    return true;
  }
  return false;
}

export function installKeyboard(store: LabStoreApi = labStore): () => void {
  const f = (e: KeyboardEvent) => {
    handleKey(e, store);
  };
  window.addEventListener('keydown', f);
  return () => window.removeEventListener('keydown', f);
}
