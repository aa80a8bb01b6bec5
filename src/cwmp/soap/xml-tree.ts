/**
 * Parse XML with fast-xml-parser and resolve namespaces over its preserveOrder tree. All well-formedness
 * checking is fast-xml-parser's (XMLValidator); this file only adds what SOAP needs on top: one root, no
 * DTD, and every element/attribute name resolved to (namespace URI, local name).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SoapError } from './errors.ts';
import { SOAP_ENC_NS, SOAP_ENV_NS, XSD_NS, XSI_NS } from './namespaces.ts';

export interface XAttr {
  /** The name as written, e.g. `SOAP-ENV:mustUnderstand`. */
  qname: string;
  ns: string | undefined;
  local: string;
  value: string;
}

export interface XElement {
  qname: string;
  prefix: string | undefined;
  local: string;
  ns: string | undefined;
  attrs: XAttr[];
  elements: XElement[];
  /** Concatenated character data (text and CDATA) directly inside this element. */
  text: string;
  /** In-scope prefix → namespace bindings ('' is the default namespace). */
  scope: ReadonlyMap<string, string>;
}

/** Prefixes some CPEs use without declaring them; resolved with a warning rather than rejected. */
const WELL_KNOWN: Readonly<Record<string, string>> = {
  xsi: XSI_NS, xsd: XSD_NS, xs: XSD_NS, 'SOAP-ENV': SOAP_ENV_NS, soapenv: SOAP_ENV_NS, soap: SOAP_ENV_NS,
  'SOAP-ENC': SOAP_ENC_NS, soapenc: SOAP_ENC_NS,
};

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true, // decodes numeric character references (&#13; &#x41;)
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
  maxNestedTags: 64,
});

type FxpNode = Record<string, unknown>;

function splitName(qname: string): [string | undefined, string] {
  const i = qname.indexOf(':');
  return i < 0 ? [undefined, qname] : [qname.slice(0, i), qname.slice(i + 1)];
}

function tagOf(node: FxpNode): string | undefined {
  for (const k of Object.keys(node)) if (k !== ':@') return k;
  return undefined;
}

function textOf(children: unknown): string {
  if (!Array.isArray(children)) return '';
  let s = '';
  for (const c of children as FxpNode[]) {
    const t = c['#text'];
    if (typeof t === 'string' || typeof t === 'number') s += String(t);
  }
  return s;
}

function convert(node: FxpNode, parentScope: ReadonlyMap<string, string>, warnings: string[]): XElement {
  const qname = tagOf(node);
  if (qname === undefined) throw new SoapError('ERR_NOT_XML', 'element without a name');
  const rawAttrs = (node[':@'] ?? {}) as Record<string, unknown>;
  let scope = parentScope;
  const plain: [string, string][] = [];
  for (const [name, v] of Object.entries(rawAttrs)) {
    const value = typeof v === 'string' ? v : String(v);
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      if (scope === parentScope) scope = new Map(parentScope);
      (scope as Map<string, string>).set(name === 'xmlns' ? '' : name.slice(6), value);
    } else {
      plain.push([name, value]);
    }
  }
  const [prefix, local] = splitName(qname);
  let ns: string | undefined;
  if (prefix === undefined) {
    ns = scope.get('') || undefined;
  } else {
    ns = scope.get(prefix);
    if (ns === undefined) {
      const known = WELL_KNOWN[prefix];
      if (known === undefined) throw new SoapError('ERR_NOT_XML', `namespace prefix '${prefix}' of <${qname}> is not declared`);
      warnings.push(`namespace prefix '${prefix}' of <${qname}> is not declared; assumed ${known}`);
      ns = known;
    }
  }
  const attrs: XAttr[] = [];
  for (const [name, value] of plain) {
    const [ap, al] = splitName(name);
    let ans: string | undefined;
    if (ap !== undefined) {
      ans = scope.get(ap) ?? WELL_KNOWN[ap];
      if (ans === undefined) {
        warnings.push(`attribute ${name} on <${qname}> uses an undeclared prefix; ignored`);
        continue;
      }
      if (!scope.has(ap)) warnings.push(`namespace prefix '${ap}' of attribute ${name} is not declared; assumed ${ans}`);
    }
    attrs.push({ qname: name, ns: ans, local: al, value });
  }
  const children = node[qname];
  const elements: XElement[] = [];
  let text = '';
  if (Array.isArray(children)) {
    for (const c of children as FxpNode[]) {
      const tag = tagOf(c);
      if (tag === undefined || tag === '#comment') continue;
      if (tag === '#text') text += String(c['#text']);
      else if (tag === '#cdata') text += textOf(c['#cdata']);
      else if (tag.startsWith('?')) continue;
      else elements.push(convert(c, scope, warnings));
    }
  }
  return { qname, prefix, local, ns, attrs, elements, text, scope };
}

const XML_NS_SCOPE: ReadonlyMap<string, string> = new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);

/** Parse a document and return its root element with namespaces resolved. Throws only SoapError. */
export function parseXml(xml: string, warnings: string[]): XElement {
  const v = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (v !== true) {
    const { msg, line, col } = v.err;
    throw new SoapError('ERR_NOT_XML', `not well-formed XML at line ${line}${col === undefined ? '' : `, column ${col}`}: ${msg}`);
  }
  // SOAP 1.1 §3: "A SOAP message MUST NOT contain a Document Type Declaration" (and refusing it refuses
  // entity-expansion tricks). fast-xml-parser accepts DTDs and drops them from its tree, so look for the
  // markup itself (a limit: the same text inside a CDATA section or comment is refused too).
  if (xml.includes('<!DOCTYPE')) {
    throw new SoapError('ERR_NOT_XML', 'a SOAP message must not contain a Document Type Declaration (<!DOCTYPE>)');
  }
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (e) {
    throw new SoapError('ERR_NOT_XML', `XML parser: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!Array.isArray(doc)) throw new SoapError('ERR_NOT_XML', 'no document element');
  const roots = (doc as FxpNode[]).filter((n) => {
    const tag = tagOf(n);
    return tag !== undefined && tag !== '#comment' && !tag.startsWith('?') && tag !== '#text';
  });
  const strayText = (doc as FxpNode[]).some((n) => tagOf(n) === '#text' && String(n['#text']).trim() !== '');
  if (roots.length !== 1 || strayText) {
    throw new SoapError('ERR_NOT_XML', roots.length === 0 ? 'no document element' : 'content outside the document element');
  }
  return convert(roots[0]!, XML_NS_SCOPE, warnings);
}
