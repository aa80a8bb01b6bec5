import { labStore } from '../store.ts';

/**
 * Copies the page's link (the scenario is in its hash). The Clipboard API needs a secure context; a
 * classroom server on http://<lan-ip> is not one, so fall back to a selected text area and copy.
 */
export async function copyLink(href: string = location.href): Promise<boolean> {
  const st = labStore.getState();
  let ok = false;
  try {
    if (navigator.clipboard && globalThis.isSecureContext) {
      await navigator.clipboard.writeText(href);
      ok = true;
    }
  } catch {
    ok = false;
  }
  if (!ok) {
    const ta = document.createElement('textarea');
    ta.value = href;
    ta.setAttribute('readonly', '');
    ta.className = 'offscreen';
    document.body.appendChild(ta);
    ta.select();
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    ta.remove();
  }
  if (ok) st.notify({ type: 'info', key: 'link.copied', text: href, detail: href });
  else st.notify({ type: 'error', key: 'link.copyFailed', text: href, detail: href });
  return ok;
}
