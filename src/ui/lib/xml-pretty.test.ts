import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../../cwmp/soap/index.ts';
import { SAMPLE_MESSAGES } from '../../cwmp/soap/samples.ts';
import { XmlPrettyError, prettyXml, prettyXmlLines } from './xml-pretty.ts';

/** The document as data: elements, attributes and text, with layout whitespace between elements dropped. */
function canonical(xml: string): unknown {
  const p = new XMLParser({ preserveOrder: true, ignoreAttributes: false, trimValues: false, parseTagValue: false, htmlEntities: true });
  const strip = (nodes: Record<string, unknown>[]): unknown[] => {
    const hasEl = nodes.some((n) => !('#text' in n));
    return nodes
      .filter((n) => !(hasEl && '#text' in n && String(n['#text']).trim() === ''))
      .map((n) => Object.fromEntries(Object.entries(n).map(([k, v]) => [k, Array.isArray(v) ? strip(v as Record<string, unknown>[]) : v])));
  };
  return strip(p.parse(xml) as Record<string, unknown>[]);
}

const inform = encodeEnvelope(SAMPLE_MESSAGES[0]!, { ns: '1-2', id: 'lab-1' });

describe('xml-pretty on real CWMP envelopes', () => {
  it('is the same document as the envelope, for every sample message', () => {
    for (const m of SAMPLE_MESSAGES) {
      const xml = encodeEnvelope(m, { ns: '1-2', id: 'id-7' });
      const pretty = prettyXml(xml);
      expect(canonical(pretty), m.method).toEqual(canonical(xml));
      expect(pretty.split('\n').length, m.method).toBeGreaterThan(4);
    }
  });

  it('indents one element per line by depth', () => {
    const lines = prettyXmlLines(inform);
    const text = prettyXml(inform).split('\n');
    const envelope = text.findIndex((l) => /^<soap(-env)?:Envelope\b/i.test(l));
    expect(envelope).toBeGreaterThanOrEqual(0);
    expect(text.find((l) => l.includes(':Body>') && !l.includes('</'))).toMatch(/^ {2}</);
    expect(text.find((l) => l.includes('<cwmp:Inform>'))).toMatch(/^ {4}<cwmp:Inform>$/);
    expect(text.find((l) => l.includes('<Manufacturer>'))).toMatch(/^ {8}<Manufacturer>Handshake Lab<\/Manufacturer>$/);
    for (const l of lines) expect(text[lines.indexOf(l)]!.startsWith(' '.repeat(l.depth * 2))).toBe(true);
    // The envelope's namespace declarations: one per line under the tag, the last one closing it.
    expect(text[envelope]).toMatch(/^<SOAP-ENV:Envelope$/);
    expect(text[envelope + 1]).toBe('  xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"');
    expect(text).toContain('  xmlns:cwmp="urn:dslforum-org:cwmp-1-2">');
    expect(lines.filter((l) => l.cont)).toHaveLength(5);
  });

  it('keeps values exactly: escaping, spaces, Unicode, CR', () => {
    const pretty = prettyXml(inform);
    expect(pretty).toContain('1.2.3 &lt;beta&gt; &amp; "rc"');
    expect(pretty).toContain('<Value xsi:type="xsd:string">  two  spaces  </Value>');
    expect(pretty).toContain('Grüße 你好 😀');
    const withCr = encodeEnvelope(
      { method: 'SetParameterValues', ParameterList: [{ Name: 'Device.X_LAB.Text', Value: 'a\r\nb', Type: 'xsd:string' }], ParameterKey: 'k' },
      { ns: '1-2', id: '1' },
    );
    expect(canonical(prettyXml(withCr))).toEqual(canonical(withCr));
    expect(prettyXml(withCr)).toContain('a&#13;\nb');
  });

  it('colours by token kind: tags, attributes, values, text', () => {
    const lines = prettyXmlLines(inform);
    const kinds = (k: string) => lines.flatMap((l) => l.tokens.filter((t) => t.k === k).map((t) => t.s));
    expect(kinds('tag')).toContain('cwmp:Inform');
    expect(kinds('tag')).toContain('cwmp:ID');
    expect(kinds('attr')).toContain('xsi:type');
    expect(kinds('value')).toContain('xsd:unsignedInt');
    expect(kinds('text')).toContain('lab-1');
  });

  it('says why input is not XML, with a stable code', () => {
    expect(() => prettyXml('<a><b></a>')).toThrow(XmlPrettyError);
    const err = (() => {
      try {
        prettyXml('<soap:Envelope><unclosed></soap:Envelope>');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(XmlPrettyError);
    expect((err as XmlPrettyError).code).toBe('ERR_XML_INVALID');
    expect((err as XmlPrettyError).message).toMatch(/line 1/);
    expect(() => prettyXml('   ')).toThrow(/empty/);
  });
});
