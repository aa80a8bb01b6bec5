/**
 * Where each part of an X.509 certificate lies in its DER (RFC 5280 §4.1), so the field tree can
 * point the hex view at the subject's bytes, not at the whole certificate. The DER is parsed with
 * asn1js (the BER/DER parser under @peculiar/asn1-schema); the offsets come from the lengths it
 * decoded: a constructed block's children follow its header (identifier + length octets) back to
 * back. Nothing here reads a tag or a length by hand. Pure: Uint8Array in, offsets out.
 */
import { id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { fromBER, ObjectIdentifier } from 'asn1js';

/** [start, end) in the certificate's DER. */
export interface Span {
  start: number;
  end: number;
}

export interface CertSpans {
  tbsCertificate: Span;
  version?: Span;
  serialNumber: Span;
  /** TBSCertificate.signature: the algorithm the issuer says it signed with. */
  signature: Span;
  issuer: Span;
  validity: Span;
  notBefore: Span;
  notAfter: Span;
  subject: Span;
  subjectPublicKeyInfo: Span;
  /** The [3] EXPLICIT Extensions wrapper. */
  extensions?: Span;
  /** Each Extension SEQUENCE, in DER order (the order of CertSummary.extensions). */
  extension: Span[];
  /** The GeneralNames of a subjectAltName extension, in order (the order of CertSummary.san). */
  subjectAltNames: Span[];
  /** Certificate.signatureAlgorithm (outside the signed part). */
  signatureAlgorithm: Span;
  signatureValue: Span;
}

/** One decoded block: its span and its children's (for constructed blocks). */
interface Node {
  start: number;
  end: number;
  tagClass: number;
  tagNumber: number;
  children: Node[];
}

interface Asn1Block {
  blockLength: number;
  idBlock: { blockLength: number; tagClass: number; tagNumber: number; isConstructed: boolean };
  lenBlock: { blockLength: number; isIndefiniteForm: boolean };
  valueBlock: { value?: unknown };
}

const UNIVERSAL = 1;
const CONTEXT = 3;

class Shape extends Error {}

/** Lays `block` (found at `start`) and its constructed descendants out as spans. */
function layout(block: Asn1Block, start: number): Node {
  if (block.lenBlock.isIndefiniteForm) throw new Shape('indefinite length is not DER');
  const end = start + block.blockLength;
  const node: Node = { start, end, tagClass: block.idBlock.tagClass, tagNumber: block.idBlock.tagNumber, children: [] };
  if (block.idBlock.isConstructed && Array.isArray(block.valueBlock.value)) {
    let at = start + block.idBlock.blockLength + block.lenBlock.blockLength;
    for (const child of block.valueBlock.value as Asn1Block[]) {
      const c = layout(child, at);
      node.children.push(c);
      at = c.end;
    }
    if (at !== end) throw new Shape('children do not fill their parent');
  }
  return node;
}

function parse(bytes: Uint8Array, base: number): Node {
  const r = fromBER(bytes);
  if (r.offset === -1 || r.offset !== bytes.length) throw new Shape('not one DER element');
  return layout(r.result as unknown as Asn1Block, base);
}

const span = (n: Node | undefined): Span => {
  if (!n) throw new Shape('a field is missing');
  return { start: n.start, end: n.end };
};
const isContext = (n: Node | undefined, tag: number) => n !== undefined && n.tagClass === CONTEXT && n.tagNumber === tag;

/** The OBJECT IDENTIFIER of an Extension node, read by asn1js. */
function extensionOid(der: Uint8Array, ext: Node): string | undefined {
  const id = ext.children[0];
  if (!id) return undefined;
  const r = fromBER(der.subarray(id.start, id.end));
  if (r.offset === -1 || !(r.result instanceof ObjectIdentifier)) return undefined;
  return r.result.getValue();
}

/** Spans of the GeneralNames inside a subjectAltName Extension's extnValue OCTET STRING. */
function generalNameSpans(der: Uint8Array, ext: Node): Span[] {
  const value = ext.children.at(-1); // extnValue OCTET STRING (after extnID and the optional critical)
  if (!value || value.tagClass !== UNIVERSAL || value.tagNumber !== 4) return [];
  const r = fromBER(der.subarray(value.start, value.end));
  if (r.offset === -1) return [];
  const octets = r.result as unknown as Asn1Block;
  const contentStart = value.start + octets.idBlock.blockLength + octets.lenBlock.blockLength;
  const names = parse(der.subarray(contentStart, value.end), contentStart);
  return names.children.map(span);
}

/**
 * The spans of a certificate's parts, or null when the DER does not have the RFC 5280 shape
 * (the summary then says why; the tree falls back to the whole certificate).
 */
export function certificateSpans(der: Uint8Array): CertSpans | null {
  try {
    const cert = parse(der, 0);
    const [tbs, sigAlg, sigValue] = cert.children;
    if (!tbs || cert.children.length !== 3) throw new Shape('Certificate is not a 3-element SEQUENCE');
    const parts = [...tbs.children];
    const version = isContext(parts[0], 0) ? parts.shift() : undefined;
    const [serial, signature, issuer, validity, subject, spki, ...rest] = parts;
    const extensions = rest.find((n) => isContext(n, 3));
    const list = extensions?.children[0];
    const extension = list ? list.children.map(span) : [];
    const san = list?.children.find((e) => extensionOid(der, e) === id_ce_subjectAltName);
    const out: CertSpans = {
      tbsCertificate: span(tbs),
      serialNumber: span(serial),
      signature: span(signature),
      issuer: span(issuer),
      validity: span(validity),
      notBefore: span(validity?.children[0]),
      notAfter: span(validity?.children[1]),
      subject: span(subject),
      subjectPublicKeyInfo: span(spki),
      extension,
      subjectAltNames: san ? generalNameSpans(der, san) : [],
      signatureAlgorithm: span(sigAlg),
      signatureValue: span(sigValue),
    };
    if (version) out.version = span(version);
    if (extensions) out.extensions = span(extensions);
    return out;
  } catch {
    return null; // a shape asn1js or RFC 5280 does not allow: no spans, never a throw
  }
}
