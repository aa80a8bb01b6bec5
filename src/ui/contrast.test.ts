import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * AA contrast of the shell's colours (WCAG 2.1 relative luminance): text ≥ 4.5:1 on the surfaces it
 * is drawn on, the focus ring and control borders of active parts ≥ 3:1. Colours are read from
 * styles.css itself, so changing a variable to something unreadable fails here.
 */
const css = readFileSync(new URL('./styles.css', import.meta.url), 'utf8');
const root = css.slice(css.indexOf(':root {'), css.indexOf('}', css.indexOf(':root {')));
const vars = Object.fromEntries([...root.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)].map((m) => [m[1]!, m[2]!]));

const color = (c: string) => {
  const hex = c.startsWith('--') ? vars[c.slice(2)] : c;
  if (!hex) throw new Error(`no colour ${c} in styles.css`);
  if (!c.startsWith('--') && !css.toLowerCase().includes(c.toLowerCase())) throw new Error(`${c} is no longer used in styles.css: update this test`);
  return hex;
};
const lum = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (l1: number, l2: number) => (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
const contrast = (a: string, b: string) => ratio(lum(color(a)), lum(color(b)));

const TEXT: [string, string][] = [
  ['--text', '--surface'],
  ['--text', '--bg'],
  ['--text', '--surface-2'],
  ['--muted', '--surface'],
  ['--muted', '--surface-2'],
  ['--muted', '--bg'],
  ['--accent-ink', '--accent'],
  ['--accent', '--surface'],
  ['--bad', '--surface'],
  ['--bad', '--bad-soft'],
  ['--ok', '--surface'],
  ['--ok', '--ok-soft'],
  ['--warn', '--warn-soft'],
  ['--warn', '--surface'],
  ['#ffffff', '#0f1d3a'], // header
  ['#d6def0', '#0f1d3a'], // tagline
  ['#ffffff', '#1c2f57'], // header select, status pill
  ['#78350f', '--warn-soft'], // connection banner
  ['#7f1d1d', '--bad-soft'], // fault chips
  ['#1e3a8a', '--accent-soft'], // "running" badge
  ['#14532d', '--ok-soft'], // prediction right
  ['--muted', '#f2f6ff'], // the current session row
  ['--text', '#fff3c4'], // the compare view's divergence
  ['#ffffff', '--bad'], // "the attacker read the traffic"
];
const UI: [string, string][] = [
  ['--focus', '--surface'],
  ['--focus', '--bg'],
  ['#fdba74', '#0f1d3a'], // focus ring in the header
  ['--accent', '--bg'],
  ['#b45309', '#fff3c4'], // divergence outline
];

describe('colour contrast (WCAG AA)', () => {
  it('reads the palette from styles.css', () => {
    expect(Object.keys(vars).length).toBeGreaterThan(12);
  });
  it.each(TEXT)('text %s on %s ≥ 4.5:1', (fg, bg) => {
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(4.5);
  });
  it.each(UI)('focus ring / active border %s on %s ≥ 3:1', (fg, bg) => {
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(3);
  });
  it('the formula: black on white is 21:1, a colour on itself 1:1', () => {
    expect(ratio(lum('#000000'), lum('#ffffff'))).toBeCloseTo(21, 5);
    expect(ratio(lum('#767676'), lum('#ffffff'))).toBeCloseTo(4.54, 2); // the classic AA grey
    expect(contrast('--surface', '--surface')).toBe(1);
  });
});
