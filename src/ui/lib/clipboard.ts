import { labStore } from '../store.ts';

/**
 * Copies text. The Clipboard API needs a secure context; a classroom server on http://<lan-ip> is
 * not one (navigator.clipboard is absent there), so fall back to a selected text area and copy.
 * Every Copy button goes through here.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    const clip = globalThis.navigator?.clipboard as Clipboard | undefined;
    if (clip) {
      await clip.writeText(text);
      return true;
    }
  } catch {
    /* refused: try the fallback */
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.className = 'offscreen';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand?.('copy') ?? false;
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

/** Copies the page's link (the scenario is in its hash) and says so. */
export async function copyLink(href: string = location.href): Promise<boolean> {
  const st = labStore.getState();
  const ok = await copyText(href);
  if (ok) st.notify({ type: 'info', key: 'link.copied', text: href, detail: href });
  else st.notify({ type: 'error', key: 'link.copyFailed', text: href, detail: href });
  return ok;
}
