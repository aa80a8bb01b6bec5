import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { allKeys, hasKey, translate } from './index.ts';

/**
 * Every user-visible string goes through the table, in English and 简体中文:
 *  - every key has both, non-empty, with the same {placeholders}; Chinese that is just the English
 *    copied (a sentence with no Chinese in it) is caught;
 *  - every key the UI code names exists (t('…'), translate(lang, '…'), notices' key: '…');
 *  - no component renders English written into the JSX (text between tags, or aria-label, title,
 *    placeholder, alt given as a string), found with the TypeScript parser rather than regexes.
 */

const uiDir = dirname(dirname(fileURLToPath(import.meta.url)));

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'testdata' && name !== 'node_modules') out.push(...files(p, ext));
    } else if (ext.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const CJK = /[\u3400-\u9fff]/;
const PLACEHOLDER = /\{(\w+)\}/g;
const placeholders = (s: string) => [...s.matchAll(PLACEHOLDER)].map((m) => m[1]).sort();

describe('the i18n table', () => {
  const keys = allKeys();

  it('has entries from every feature', () => {
    expect(keys.length).toBeGreaterThan(100);
    expect(keys.some((k) => k.startsWith('controls.'))).toBe(true);
    expect(keys.some((k) => k.startsWith('faults.'))).toBe(true);
  });

  it('every key: non-empty English and Chinese, the same placeholders', () => {
    const bad: string[] = [];
    for (const k of keys) {
      const en = translate('en', k);
      const zh = translate('zh', k);
      if (!en.trim()) bad.push(`${k}: empty English`);
      if (!zh.trim()) bad.push(`${k}: empty Chinese`);
      if (placeholders(en).join() !== placeholders(zh).join()) bad.push(`${k}: placeholders differ (${placeholders(en)} / ${placeholders(zh)})`);
    }
    expect(bad).toEqual([]);
  });

  it('Chinese is a translation: an English sentence (three or more words) has Chinese characters in its zh', () => {
    const copied = keys.filter((k) => {
      const en = translate('en', k).replace(PLACEHOLDER, '');
      const words = en.match(/\b[a-z]{2,}\b/g) ?? [];
      return words.length >= 3 && !CJK.test(translate('zh', k));
    });
    expect(copied).toEqual([]);
  });

  it('a missing key shows itself, loudly', () => {
    expect(hasKey('no.such.key')).toBe(false);
    expect(translate('en', 'no.such.key')).toBe('⟦no.such.key⟧');
  });
});

// ---- the code side ----

const sources = files(uiDir, /\.tsx?$/).filter((f) => !f.includes(`${join('i18n', '')}`));

/** Keys named literally in UI code, and prefixes of keys built with a template (`controls.preset.${p}`). */
function keysInCode(): { literal: Map<string, string>; prefixes: Map<string, string> } {
  const literal = new Map<string, string>();
  const prefixes = new Map<string, string>();
  for (const f of sources) {
    const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true, f.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const where = (n: ts.Node) => `${relative(uiDir, f)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const take = (arg: ts.Expression | undefined) => {
      if (!arg) return;
      if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) literal.set(arg.text, where(arg));
      else if (ts.isTemplateExpression(arg) && arg.head.text) prefixes.set(arg.head.text, where(arg));
    };
    const visit = (n: ts.Node) => {
      if (ts.isCallExpression(n)) {
        const callee = n.expression.getText(sf);
        if (callee === 't') take(n.arguments[0]);
        if (callee === 'translate') take(n.arguments[1]);
      }
      // Notices and link problems carry their key: { type: 'error', key: 'files.unknown', text, … } / { key, params }
      if (ts.isObjectLiteralExpression(n)) {
        const props = new Map(n.properties.filter(ts.isPropertyAssignment).map((p) => [p.name.getText(sf), p.initializer]));
        if (props.has('key') && (props.has('text') || props.has('params'))) take(props.get('key'));
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { literal, prefixes };
}

describe('the UI code', () => {
  it('names only keys that exist', () => {
    const { literal, prefixes } = keysInCode();
    expect(literal.size).toBeGreaterThan(50);
    const keys = allKeys();
    const missing = [...literal].filter(([k]) => !hasKey(k)).map(([k, w]) => `${w} ${k}`);
    const badPrefix = [...prefixes].filter(([p]) => !keys.some((k) => k.startsWith(p))).map(([p, w]) => `${w} ${p}…`);
    expect([...missing, ...badPrefix]).toEqual([]);
  });

  /** Names that read the same in both languages (protocols, products, file formats, symbols). */
  const NAMES = /\b(?:TLS|SSL|OpenSSL|Node\.js|ACS|CPE|RSA|ECDHE|PEM|JSON|pcapng|pcap|SSLKEYLOGFILE|HTTP|CWMP|SOAP|RFC|TCP|IANA|TR-069|X\.509|CA|SNI|CRL|hex|ASCII|d3|xterm)\b/g;
  const USER_ATTRS = new Set(['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'label']);
  const english = (s: string) => /[A-Za-z]{2,}/.test(s.replace(NAMES, ''));

  it('no component renders English typed into its JSX', () => {
    const found: string[] = [];
    for (const f of sources.filter((x) => x.endsWith('.tsx'))) {
      const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
      const at = (n: ts.Node) => `${relative(uiDir, f)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
      const visit = (n: ts.Node) => {
        if (ts.isJsxText(n) && english(n.text)) found.push(`${at(n)} text ${JSON.stringify(n.text.trim())}`);
        if (ts.isJsxAttribute(n) && USER_ATTRS.has(n.name.getText(sf)) && n.initializer) {
          let lit: ts.Node | undefined = n.initializer;
          if (ts.isJsxExpression(lit)) lit = lit.expression;
          if (lit && (ts.isStringLiteral(lit) || ts.isNoSubstitutionTemplateLiteral(lit)) && english(lit.text)) found.push(`${at(n)} ${n.name.getText(sf)}=${JSON.stringify(lit.text)}`);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(found).toEqual([]);
  });

  it('the scanner itself catches what it should (so the tests above can fail)', () => {
    const probe = ts.createSourceFile('x.tsx', '<p title="Close it">Hello there <b>TLS 1.3</b></p>', ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const texts: string[] = [];
    const visit = (n: ts.Node) => {
      if (ts.isJsxText(n) && english(n.text)) texts.push(n.text.trim());
      ts.forEachChild(n, visit);
    };
    visit(probe);
    expect(texts).toEqual(['Hello there']);
    expect(english('Close it')).toBe(true);
    expect(english('TLS 1.3 · ACS → CPE')).toBe(false);
  });
});

describe('keys built from protocol values', () => {
  it('every server error code, stop reason, end reason, party and fault group has its words', async () => {
    const { WsErrorCode } = await import('../../protocol/ws.ts');
    const { StopReason, Party } = await import('../../protocol/events.ts');
    const { buildCatalog } = await import('../../server/gateway/catalog.ts');
    const need = [
      ...WsErrorCode.options.map((c) => `ws.error.${c}`),
      ...StopReason.options.flatMap((r) => [`outcome.howStopped.${r}`, `narration.outcomeStopped.${r}`]),
      ...(['finished', 'aborted', 'failed', 'idle'] as const).map((r) => `outcome.stopped.${r}`),
      ...Party.options.map((p) => `app.party.${p}`),
      ...[...new Set(buildCatalog().faults.map((f) => f.group))].map((g) => `faults.group.${g}`),
      ...['tls13', 'tls12', 'paper'].map((p) => `controls.preset.${p}`),
      ...buildCatalog().verifiers.map((v) => `controls.verifier.${v}`),
    ];
    expect(need.filter((k) => !hasKey(k))).toEqual([]);
  });
});
