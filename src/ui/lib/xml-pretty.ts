/**
 * Pretty-printing of a CWMP SOAP envelope for the inspector: fast-xml-parser reads the XML (its
 * validator decides well-formedness; nothing here parses XML by hand), then the ordered tree is
 * laid out one element per line, indented, as coloured tokens. Leaf text is kept exactly (spaces
 * included) and escaped again on output, so the pretty text is the same document.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type XmlTokenKind = 'punct' | 'tag' | 'attr' | 'value' | 'text' | 'comment' | 'cdata' | 'decl';

export interface XmlToken {
  k: XmlTokenKind;
  s: string;
}

export interface XmlLine {
  depth: number;
  tokens: XmlToken[];
  /** A continuation of the element above (one of its attributes, on its own line). */
  cont?: boolean;
}

export class XmlPrettyError extends Error {
  override readonly name = 'XmlPrettyError';
  constructor(
    readonly code: 'ERR_XML_INVALID' | 'ERR_XML_EMPTY',
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: true,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
  ignoreDeclaration: false,
  ignorePiTags: false,
});

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

function nameOf(node: OrderedNode): string {
  for (const k of Object.keys(node)) if (k !== ':@') return k;
  return '';
}

function textOf(children: unknown): string {
  if (!Array.isArray(children)) return '';
  return children.map((c) => (typeof (c as OrderedNode)['#text'] === 'string' ? ((c as OrderedNode)['#text'] as string) : '')).join('');
}

function attrTokens(attrs: Record<string, string> | undefined): XmlToken[] {
  const out: XmlToken[] = [];
  for (const [name, value] of Object.entries(attrs ?? {})) {
    out.push({ k: 'punct', s: ' ' }, { k: 'attr', s: name }, { k: 'punct', s: '="' }, { k: 'value', s: escapeAttr(String(value)) }, { k: 'punct', s: '"' });
  }
  return out;
}

const isBlank = (n: OrderedNode): boolean => typeof n['#text'] === 'string' && (n['#text'] as string).trim() === '';

function layout(nodes: OrderedNode[], depth: number, lines: XmlLine[]): void {
  // Whitespace between elements is layout, not content, once there are elements to lay out.
  const hasElements = nodes.some((n) => !('#text' in n));
  for (const node of nodes) {
    if ('#text' in node) {
      if (hasElements && isBlank(node)) continue;
      lines.push({ depth, tokens: [{ k: 'text', s: escapeText(String(node['#text'])) }] });
      continue;
    }
    const name = nameOf(node);
    const children = (node[name] as OrderedNode[] | undefined) ?? [];
    if (name === '#comment') {
      lines.push({ depth, tokens: [{ k: 'comment', s: `<!--${textOf(children)}-->` }] });
      continue;
    }
    if (name === '#cdata') {
      lines.push({ depth, tokens: [{ k: 'cdata', s: `<![CDATA[${textOf(children)}]]>` }] });
      continue;
    }
    if (name.startsWith('?')) {
      lines.push({ depth, tokens: [{ k: 'decl', s: `<${name}` }, ...attrTokens(node[':@']), { k: 'decl', s: '?>' }] });
      continue;
    }
    const attrs = node[':@'] ?? {};
    // Two or more attributes (the envelope's namespace declarations): one per line under the tag.
    const wrap = Object.keys(attrs).length >= 2;
    const open: XmlToken[] = [{ k: 'punct', s: '<' }, { k: 'tag', s: name }, ...(wrap ? [] : attrTokens(attrs))];
    let openLines: XmlLine[] = [];
    if (wrap) {
      openLines = Object.entries(attrs).map(([n, v]) => ({ depth: depth + 1, cont: true, tokens: attrTokens({ [n]: v }).slice(1) }));
    }
    const elementKids = children.filter((c) => !('#text' in c) || !isBlank(c));
    /** The opening tag, ending with `end` (`>` or `/>`), over one line or several when wrapped. */
    const pushOpen = (end: XmlToken[]): void => {
      if (!openLines.length) {
        lines.push({ depth, tokens: [...open, ...end] });
        return;
      }
      lines.push({ depth, tokens: open });
      openLines.forEach((l, i) => lines.push(i === openLines.length - 1 ? { ...l, tokens: [...l.tokens, ...end] } : l));
    };
    const close: XmlToken[] = [{ k: 'punct', s: '</' }, { k: 'tag', s: name }, { k: 'punct', s: '>' }];
    if (children.length === 0 || (elementKids.length === 0 && children.every((c) => '#text' in c) && textOf(children) === '')) {
      pushOpen([{ k: 'punct', s: '/>' }]);
    } else if (children.every((c) => '#text' in c)) {
      // A leaf: its text verbatim, on the element's (last) line.
      pushOpen([{ k: 'punct', s: '>' }, { k: 'text', s: escapeText(textOf(children)) }, ...close]);
    } else {
      pushOpen([{ k: 'punct', s: '>' }]);
      layout(children, depth + 1, lines);
      lines.push({ depth, tokens: close });
    }
  }
}

/** The envelope as indented, coloured lines. Throws XmlPrettyError for input that is not well-formed XML. */
export function prettyXmlLines(xml: string): XmlLine[] {
  if (xml.trim() === '') throw new XmlPrettyError('ERR_XML_EMPTY', 'the body is empty');
  const v = XMLValidator.validate(xml);
  if (v !== true) throw new XmlPrettyError('ERR_XML_INVALID', `${v.err.msg} (line ${v.err.line}, column ${v.err.col})`, v.err.line);
  const tree = parser.parse(xml) as OrderedNode[];
  const lines: XmlLine[] = [];
  layout(tree, 0, lines);
  return lines;
}

/** Plain text of the lines (for copying), `indent` spaces per level. */
export function linesToText(lines: XmlLine[], indent = 2): string {
  return lines.map((l) => ' '.repeat(l.depth * indent) + l.tokens.map((t) => t.s).join('')).join('\n');
}

export function prettyXml(xml: string, indent = 2): string {
  return linesToText(prettyXmlLines(xml), indent);
}
