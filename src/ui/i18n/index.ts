import { useLab } from '../store.ts';
import { app } from './app.ts';
import { controls } from './controls.ts';
import { playground } from './playground.ts';
import { ladder } from './ladder.ts';
import { terminal } from './terminal.ts';
import { inspector } from './inspector.ts';
import { certs } from './certs.ts';
import { capture } from './capture.ts';

/**
 * Every user-visible string goes through this table: English and 简体中文. Each feature keeps its
 * strings in its own file (app.ts, ladder.ts, …) as `{ key: { en, zh } }`, spread into TABLE here;
 * keys are prefixed with the feature name so they never collide.
 * Placeholders are {name}. A missing key shows the key itself, loudly, so a test can catch it.
 */
export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];
export type Strings = Record<string, { en: string; zh: string }>;
/** A string table lookup in the current language (what useT returns). */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

const TABLE: Strings = { ...app, ...controls, ...playground, ...ladder, ...terminal, ...inspector, ...certs, ...capture };

export function translate(lang: Lang, key: string, params?: Record<string, string | number>): string {
  const entry = TABLE[key];
  let text = entry ? entry[lang] : `⟦${key}⟧`;
  if (params) text = text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  return text;
}

export function hasKey(key: string): boolean {
  return key in TABLE;
}

export function allKeys(): string[] {
  return Object.keys(TABLE);
}

/** The translate function for the current language (re-renders on switch). */
export function useT(): Translate {
  const lang = useLab((s) => s.lang);
  return (key, params) => translate(lang, key, params);
}

const STORAGE_KEY = 'handshake-lab.lang';
/** The remembered language, else the browser's (zh* → 中文), else English. */
export function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    /* storage blocked */
  }
  const nav = globalThis.navigator?.language ?? 'en';
  return nav.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
export function rememberLang(lang: Lang): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage blocked */
  }
}
