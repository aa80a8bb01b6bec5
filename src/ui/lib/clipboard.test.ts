// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { copyText } from './clipboard.ts';

/** Outside a secure context (a classroom server on http://<lan-ip>) there is no navigator.clipboard. */
function withoutClipboard(copy: (() => boolean) | undefined) {
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined });
  Object.defineProperty(document, 'execCommand', { configurable: true, writable: true, value: copy });
}
afterEach(() => {
  delete (navigator as { clipboard?: unknown }).clipboard;
  delete (document as { execCommand?: unknown }).execCommand;
});

describe('copyText', () => {
  it('uses the Clipboard API when there is one', async () => {
    let got = '';
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (s: string) => void (got = s) } });
    expect(await copyText('abc')).toBe(true);
    expect(got).toBe('abc');
  });

  it('without it, copies from a selected text area (and leaves nothing behind)', async () => {
    let selected = '';
    withoutClipboard(() => {
      selected = document.querySelector<HTMLTextAreaElement>('textarea.offscreen')?.value ?? '';
      return true;
    });
    expect(await copyText('-----BEGIN CERTIFICATE-----')).toBe(true);
    expect(selected).toBe('-----BEGIN CERTIFICATE-----');
    expect(document.querySelector('textarea')).toBeNull();
  });

  it('says false when the browser refuses both ways', async () => {
    withoutClipboard(() => false);
    expect(await copyText('x')).toBe(false);
    withoutClipboard(undefined);
    expect(await copyText('x')).toBe(false);
  });
});
