import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type HttpErrorCode, type HttpHeader, type HttpMessage, HttpParseError, HttpStreamParser, headerValue, isSoap } from './http.ts';
import type { Field } from './tls/fields.ts';
import { toHex } from './tls/fields.ts';
import { chunk, concat } from '../../test/bytes.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const latin1Bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const latin1 = (b: Uint8Array) => String.fromCharCode(...b);



function parseAll(kind: 'request' | 'response', stream: Uint8Array | string, methods: string[] = []): HttpMessage[] {
  const p = new HttpStreamParser(kind);
  for (const m of methods) p.expectResponseTo(m);
  const bytes = typeof stream === 'string' ? latin1Bytes(stream) : stream;
  return [...p.push(bytes), ...p.finish()];
}

function parseError(kind: 'request' | 'response', stream: string, opts = {}): HttpParseError {
  const p = new HttpStreamParser(kind, opts);
  try {
    p.push(latin1Bytes(stream));
    p.finish();
  } catch (e) {
    expect(e).toBeInstanceOf(HttpParseError);
    expect(p.failed).toBe(e);
    return e as HttpParseError;
  }
  throw new Error('no error');
}

function expectCode(kind: 'request' | 'response', stream: string, code: HttpErrorCode, opts = {}): HttpParseError {
  const e = parseError(kind, stream, opts);
  expect(e.code).toBe(code);
  expect(e.message.startsWith(`${code}: `)).toBe(true);
  return e;
}

/** Offsets lie within the message, children within their parent, siblings in order and disjoint; top-level fields tile the message. */
function checkFields(m: HttpMessage, stream: Uint8Array): void {
  const len = m.bytes.end - m.bytes.start;
  const walk = (fs: Field[], lo: number, hi: number) => {
    let prev = lo;
    for (const f of fs) {
      expect(f.start).toBeGreaterThanOrEqual(prev);
      expect(f.end).toBeGreaterThanOrEqual(f.start);
      expect(f.end).toBeLessThanOrEqual(hi);
      prev = f.end;
      if (f.children) walk(f.children, f.start, f.end);
    }
  };
  walk(m.fields, 0, len);
  let at = 0;
  for (const f of m.fields) {
    expect(f.start).toBe(at);
    at = f.end;
  }
  expect(at).toBe(len);
  // The bytes under each field-name / field-value are the header's name / value.
  const msg = stream.subarray(m.bytes.start, m.bytes.end);
  const lines = [...m.fields, ...(m.fields.at(-1)?.children?.find((f) => f.name === 'trailer-section')?.children ?? [])].filter((f) => f.name === 'field-line');
  expect(lines.map((f) => ({ name: latin1(msg.subarray(f.children![0]!.start, f.children![0]!.end)), value: latin1(msg.subarray(f.children![1]!.start, f.children![1]!.end)) }))).toEqual([...m.headers, ...m.trailers]);
  // Chunk data fields together hold the body.
  const body = m.fields.find((f) => f.name === 'chunked-body' || f.name === 'message-body');
  if (m.framing === 'chunked') {
    const data = body!.children!.flatMap((c) => c.children?.filter((d) => d.name === 'chunk-data') ?? []);
    expect(toHex(concat(...data.map((d) => msg.subarray(d.start, d.end))))).toBe(toHex(m.body));
  } else if (body) {
    expect(toHex(msg.subarray(body.start, body.end))).toBe(toHex(m.body));
  }
  expect(m.bytes.headerEnd).toBeGreaterThanOrEqual(m.bytes.start);
  expect(m.bytes.headerEnd).toBeLessThanOrEqual(m.bytes.end);
}

// ---------------------------------------------------------------------------------------------
// Generators of well-formed messages, with what the parser must report for them.

type Expected = Omit<HttpMessage, 'body' | 'fields' | 'bytes'> & { body: string; length: number };
interface Spec {
  bytes: Uint8Array;
  expected: Expected;
  /** Methods the response parser must be told about (none for interim 1xx). */
  methods: string[];
}

const tokenName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]{0,11}$/).filter((n) => !/^(content-length|transfer-encoding)$/i.test(n));
const fieldValue = fc.oneof(fc.constant(''), fc.stringMatching(/^[\x21-\x7e\x80-\xff]([\x20-\x7e\t\x80-\xff]{0,24}[\x21-\x7e\x80-\xff])?$/));
const ows = fc.constantFrom('', ' ', '\t', ' \t ');
const eol = fc.constantFrom('\r\n', '\r\n', '\n');
const header = fc.record({ name: tokenName, value: fieldValue, pre: ows, post: ows, eol });
const headers = fc.array(header, { maxLength: 5 });
const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,6}$/);
const chunkExt = fc.oneof(
  fc.constant(''),
  fc.tuple(fc.constantFrom('', ' '), token, fc.option(fc.oneof(token, token.map((t) => `"${t} \\"q\\""`)), { nil: undefined })).map(([ws, n, v]) => `${ws};${ws}${n}${v === undefined ? '' : `=${v}`}`),
);
const bodyBytes = fc.uint8Array({ maxLength: 120 });

const headerText = (hs: { name: string; value: string; pre: string; post: string; eol: string }[]) => hs.map((h) => `${h.name}:${h.pre}${h.value}${h.post}${h.eol}`).join('');
const plain = (hs: { name: string; value: string }[]): HttpHeader[] => hs.map(({ name, value }) => ({ name, value }));

/** A chunked body for `body`: random chunk boundaries, hex case, leading zeros, extensions, trailers. */
const chunkedBody = (body: Uint8Array) =>
  fc
    .record({
      cuts: fc.array(fc.nat(), { maxLength: 4 }),
      upper: fc.boolean(),
      zeros: fc.nat({ max: 2 }),
      exts: fc.array(chunkExt, { minLength: 6, maxLength: 6 }),
      trailers: fc.array(header.map((h) => ({ ...h, eol: '\r\n' })), { maxLength: 2 }),
    })
    .map(({ cuts, upper, zeros, exts, trailers }) => {
      const parts = chunk(body, cuts).filter((c) => c.length > 0);
      const out: Uint8Array[] = [];
      parts.forEach((p, i) => {
        const hex = '0'.repeat(zeros) + (upper ? p.length.toString(16).toUpperCase() : p.length.toString(16));
        out.push(latin1Bytes(`${hex}${exts[i % exts.length]}\r\n`), p, latin1Bytes('\r\n'));
      });
      out.push(latin1Bytes(`${'0'.repeat(zeros + 1)}${exts[5]}\r\n${headerText(trailers)}\r\n`));
      return { bytes: concat(...out), trailers: plain(trailers) };
    });

type BodyKind = 'none' | 'content-length' | 'chunked';

const request: fc.Arbitrary<Spec> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'HEAD', 'OPTIONS', 'M-SEARCH'),
    target: fc.stringMatching(/^\/[\x21-\x7e]{0,20}$/),
    minor: fc.constantFrom('0', '1'),
    headers,
    eol,
    framing: fc.constantFrom<BodyKind>('none', 'content-length', 'chunked'),
    body: bodyBytes,
  })
  .chain((r) =>
    (r.framing === 'chunked' && r.minor === '1' ? chunkedBody(r.body) : fc.constant(undefined)).map((ch) => {
      const framing: BodyKind = r.framing === 'chunked' && !ch ? 'content-length' : r.framing;
      const body = framing === 'none' ? new Uint8Array(0) : r.body;
      const hs: HttpHeader[] = plain(r.headers);
      if (framing === 'content-length') hs.push({ name: 'Content-Length', value: String(body.length) });
      if (framing === 'chunked') hs.push({ name: 'Transfer-Encoding', value: 'chunked' });
      const version = `HTTP/1.${r.minor}`;
      const head = `${r.method} ${r.target} ${version}${r.eol}${headerText(r.headers)}${hs.slice(r.headers.length).map((h) => `${h.name}: ${h.value}\r\n`).join('')}${r.eol}`;
      const bytes = concat(latin1Bytes(head), ch ? ch.bytes : body);
      return {
        bytes,
        methods: [],
        expected: { kind: 'request', method: r.method, target: r.target, version, headers: hs, trailers: ch?.trailers ?? [], body: toHex(body), bodyLength: body.length, framing, length: bytes.length },
      } satisfies Spec;
    }),
  );

type ResponseKind = BodyKind | 'close' | 'no-body-status' | 'head' | 'interim';

const response = (allowClose: boolean): fc.Arbitrary<Spec> =>
  fc
    .record({
      status: fc.constantFrom(200, 201, 400, 401, 404, 500, 599),
      reason: fc.constantFrom('', 'OK', 'Not Found', 'Weird \t reason \xe9'),
      noSp: fc.boolean(),
      headers,
      eol,
      framing: fc.constantFrom<ResponseKind>(...(['content-length', 'chunked', 'no-body-status', 'head', 'interim'] as const), ...(allowClose ? (['close'] as const) : [])),
      body: bodyBytes,
      bogusLength: fc.nat({ max: 500 }),
    })
    .chain((r) =>
      (r.framing === 'chunked' ? chunkedBody(r.body) : fc.constant(undefined)).map((ch) => {
        const status = r.framing === 'no-body-status' ? (r.status % 2 ? 304 : 204) : r.framing === 'interim' ? (r.status % 2 ? 100 : 103) : r.status;
        const hs: HttpHeader[] = plain(r.headers);
        let body = r.body;
        let framing: HttpMessage['framing'] = 'none';
        if (r.framing === 'content-length') {
          hs.push({ name: 'Content-Length', value: String(body.length) });
          framing = 'content-length';
        } else if (r.framing === 'chunked') {
          hs.push({ name: 'Transfer-Encoding', value: 'chunked' });
          framing = 'chunked';
        } else if (r.framing === 'close') {
          framing = 'close';
        } else {
          // No body whatever the headers say (§6.3 item 1): a Content-Length here describes the selected representation.
          hs.push({ name: 'Content-Length', value: String(r.bogusLength) });
          body = new Uint8Array(0);
        }
        const reason = r.noSp && r.reason === '' ? '' : r.reason;
        const line = r.noSp && r.reason === '' ? `HTTP/1.1 ${status}` : `HTTP/1.1 ${status} ${reason}`;
        const head = `${line}${r.eol}${headerText(r.headers)}${hs.slice(r.headers.length).map((h) => `${h.name}: ${h.value}\r\n`).join('')}${r.eol}`;
        const bytes = concat(latin1Bytes(head), ch ? ch.bytes : body);
        return {
          bytes,
          methods: r.framing === 'interim' ? [] : [r.framing === 'head' ? 'HEAD' : 'GET'],
          expected: { kind: 'response', status, reason, version: 'HTTP/1.1', headers: hs, trailers: ch?.trailers ?? [], body: toHex(body), bodyLength: body.length, framing, length: bytes.length },
        } satisfies Spec;
      }),
    );

/** A connection's worth of messages: a close-delimited response can only be the last. */
const requestStream = fc.array(request, { maxLength: 6 });
const responseStream = fc.tuple(fc.array(response(false), { maxLength: 5 }), fc.option(response(true), { nil: undefined })).map(([a, last]) => (last ? [...a, last] : a));

function summary(m: HttpMessage): Expected {
  const { body, fields: _f, bytes: b, ...rest } = m;
  return { ...rest, body: toHex(body), length: b.end - b.start };
}

function checkStream(kind: 'request' | 'response', specs: Spec[], cuts: number[]): void {
  const stream = concat(...specs.map((s) => s.bytes));
  const p = new HttpStreamParser(kind);
  for (const s of specs) for (const m of s.methods) p.expectResponseTo(m);
  const got = chunk(stream, cuts).flatMap((c) => p.push(c));
  got.push(...p.finish());
  expect(got.map(summary)).toEqual(specs.map((s) => s.expected));
  let off = 0;
  got.forEach((m, i) => {
    expect(m.bytes.start).toBe(off);
    off += specs[i]!.bytes.length;
    expect(m.bytes.end).toBe(off);
    checkFields(m, stream);
  });
  expect(p.pending).toBe(0);
}

// ---------------------------------------------------------------------------------------------

describe('HttpStreamParser: examples', () => {
  it('parses a request with Content-Length, keeping header order and case', () => {
    const s = 'POST /acs HTTP/1.1\r\nHost: acs.example\r\ncontent-LENGTH:  5 \r\nX-A: 1\r\nX-A: 2\r\n\r\nhello';
    const [m, ...rest] = parseAll('request', s);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ kind: 'request', method: 'POST', target: '/acs', version: 'HTTP/1.1', framing: 'content-length', bodyLength: 5 });
    expect(m!.headers).toEqual([
      { name: 'Host', value: 'acs.example' },
      { name: 'content-LENGTH', value: '5' },
      { name: 'X-A', value: '1' },
      { name: 'X-A', value: '2' },
    ]);
    expect(dec.decode(m!.body)).toBe('hello');
    expect(m!.bytes).toEqual({ start: 0, headerEnd: s.length - 5, end: s.length });
    expect(headerValue(m!, 'x-a')).toBe('1, 2');
    expect(headerValue(m!, 'Content-Length')).toBe('5');
    expect(headerValue(m!, 'nope')).toBeUndefined();
    expect(m!.fields.map((f) => f.name)).toEqual(['request-line', 'field-line', 'field-line', 'field-line', 'field-line', 'empty-line', 'message-body']);
    checkFields(m!, latin1Bytes(s));
  });

  it('de-chunks a chunked body with extensions and trailers', () => {
    const s = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;name=value;q="a \\"b\\""\r\nWiki\r\n0005 ; ext\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n000;last\r\nExpires: never\r\nX-Sum: 42\r\n\r\n';
    const [m] = parseAll('response', s);
    expect(m).toMatchObject({ status: 200, reason: 'OK', framing: 'chunked', bodyLength: 23 });
    expect(dec.decode(m!.body)).toBe('Wikipedia in\r\n\r\nchunks.');
    expect(m!.trailers).toEqual([
      { name: 'Expires', value: 'never' },
      { name: 'X-Sum', value: '42' },
    ]);
    expect(m!.bytes.end).toBe(s.length);
    const body = m!.fields.at(-1)!;
    expect(body.name).toBe('chunked-body');
    expect(body.children!.map((c) => c.name)).toEqual(['chunk', 'chunk', 'chunk', 'last-chunk', 'trailer-section', 'CRLF']);
    expect(body.children![0]!.children!.map((c) => [c.name, c.value])).toEqual([
      ['chunk-size', 4],
      ['chunk-ext', ';name=value;q="a \\"b\\""'],
      ['CRLF', undefined],
      ['chunk-data', undefined],
      ['CRLF', undefined],
    ]);
    checkFields(m!, latin1Bytes(s));
  });

  it('gives 204, 304, 1xx and HEAD responses no body, whatever their headers say', () => {
    const s =
      'HTTP/1.1 100 Continue\r\n\r\n' +
      'HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n' +
      'HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n' +
      'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n' + // the response to HEAD
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    const ms = parseAll('response', s, ['POST', 'GET', 'HEAD', 'GET']);
    expect(ms.map((m) => [m.status, m.framing, m.bodyLength])).toEqual([
      [100, 'none', 0],
      [204, 'none', 0],
      [304, 'none', 0],
      [200, 'none', 0],
      [200, 'content-length', 2],
    ]);
    // Without being told about the HEAD request the fourth response would take the fifth as its body.
    const p = new HttpStreamParser('response');
    expect(p.push(latin1Bytes(s)).map((m) => m.status)).toEqual([100, 204, 304]);
    expect(() => p.finish()).toThrow(expect.objectContaining({ code: 'ERR_HTTP_TRUNCATED' }));
  });

  it('completes a close-delimited response body at finish()', () => {
    const p = new HttpStreamParser('response');
    expect(p.push(enc.encode('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nsome'))).toEqual([]);
    expect(p.push(enc.encode(' body\r\n\r\nHTTP/1.1 200 OK\r\n'))).toEqual([]);
    const [m, ...rest] = p.finish();
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ status: 200, version: 'HTTP/1.0', framing: 'close', bodyLength: 30 });
    expect(dec.decode(m!.body)).toBe('some body\r\n\r\nHTTP/1.1 200 OK\r\n');
    expect(p.finish()).toEqual([]);
    expect(() => p.push(enc.encode('x'))).toThrow(expect.objectContaining({ code: 'ERR_HTTP_ENDED' }));
  });

  it('parses pipelined requests back to back, with bare LF line ends and empty lines before a request-line', () => {
    const s = 'GET /a HTTP/1.1\nHost: h\n\n\r\nHEAD /b HTTP/1.1\r\nHost: h\r\n\r\nPOST /c HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcDELETE /d HTTP/1.0\r\n\r\n';
    const ms = parseAll('request', s);
    expect(ms.map((m) => [m.method, m.target, m.framing, dec.decode(m.body), m.bytes.start])).toEqual([
      ['GET', '/a', 'none', '', 0],
      ['HEAD', '/b', 'none', '', s.indexOf('HEAD')],
      ['POST', '/c', 'content-length', 'abc', s.indexOf('POST')],
      ['DELETE', '/d', 'none', '', s.indexOf('DELETE')],
    ]);
  });

  it('parses an empty POST (Content-Length: 0) as a complete message at the end of its header section', () => {
    const p = new HttpStreamParser('request');
    const [m] = p.push(enc.encode('POST /acs HTTP/1.1\r\nHost: acs\r\nCookie: session=1\r\nContent-Length: 0\r\n\r\n'));
    expect(m).toMatchObject({ method: 'POST', framing: 'content-length', bodyLength: 0 });
    expect(m!.bytes.headerEnd).toBe(m!.bytes.end);
    expect(m!.fields.at(-1)!.name).toBe('empty-line');
    expect(isSoap(m!)).toBe(false);
    expect(p.finish()).toEqual([]);
  });

  it('follows a real CWMP session and a Connection Request', () => {
    const inform = `<?xml version="1.0" encoding="UTF-8"?>
<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-2">
<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">1</cwmp:ID></soap-env:Header>
<soap-env:Body><cwmp:Inform><DeviceId><Manufacturer>Lab</Manufacturer><OUI>001122</OUI><ProductClass>CPE</ProductClass><SerialNumber>0001</SerialNumber></DeviceId>
<Event><EventStruct><EventCode>0 BOOTSTRAP</EventCode><CommandKey></CommandKey></EventStruct></Event><MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2024-01-01T00:00:00Z</CurrentTime><RetryCount>0</RetryCount>
<ParameterList></ParameterList></cwmp:Inform></soap-env:Body></soap-env:Envelope>`;
    const informRes = `<?xml version="1.0"?><soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-2"><soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">1</cwmp:ID></soap-env:Header><soap-env:Body><cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse></soap-env:Body></soap-env:Envelope>`;
    const gpv = `<?xml version="1.0"?><soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-2"><soap-env:Body><cwmp:GetParameterValues><ParameterNames><string>Device.DeviceInfo.</string></ParameterNames></cwmp:GetParameterValues></soap-env:Body></soap-env:Envelope>`;
    const gpvRes = '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Body>…</soap-env:Body></soap-env:Envelope>';
    const len = (s: string) => enc.encode(s).length;
    // CPE → ACS (the CPE is the HTTP client).
    const up = enc.encode(
      `POST /acs HTTP/1.1\r\nHost: acs.lab:7547\r\nUser-Agent: lab-cpe/1.0\r\nContent-Type: text/xml; charset="utf-8"\r\nSOAPAction: ""\r\nContent-Length: ${len(inform)}\r\n\r\n${inform}` +
        `POST /acs HTTP/1.1\r\nHost: acs.lab:7547\r\nCookie: session=abc\r\nContent-Length: 0\r\n\r\n` +
        `POST /acs HTTP/1.1\r\nHost: acs.lab:7547\r\nCookie: session=abc\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n${len(gpvRes).toString(16)}\r\n${gpvRes}\r\n0\r\n\r\n`,
    );
    // ACS → CPE.
    const down = enc.encode(
      `HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nSet-Cookie: session=abc; Path=/\r\nContent-Length: ${len(informRes)}\r\n\r\n${informRes}` +
        `HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: ${len(gpv)}\r\n\r\n${gpv}` +
        `HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n`,
    );
    const req = new HttpStreamParser('request');
    const res = new HttpStreamParser('response');
    const reqs: HttpMessage[] = [];
    const ress: HttpMessage[] = [];
    // Interleave the directions the way the relay delivers them, in small records.
    const upChunks = chunk(up, Array.from({ length: 40 }, (_, i) => i * 37));
    const downChunks = chunk(down, Array.from({ length: 40 }, (_, i) => i * 29));
    for (let i = 0; i < Math.max(upChunks.length, downChunks.length); i++) {
      for (const m of req.push(upChunks[i] ?? new Uint8Array(0))) {
        reqs.push(m);
        res.expectResponseTo(m.method!);
      }
      ress.push(...res.push(downChunks[i] ?? new Uint8Array(0)));
    }
    reqs.push(...req.finish());
    ress.push(...res.finish());
    expect(reqs.map((m) => [m.method, m.framing, m.bodyLength, isSoap(m)])).toEqual([
      ['POST', 'content-length', len(inform), true],
      ['POST', 'content-length', 0, false],
      ['POST', 'chunked', len(gpvRes), true],
    ]);
    expect(dec.decode(reqs[0]!.body)).toBe(inform);
    expect(dec.decode(reqs[2]!.body)).toBe(gpvRes);
    expect(headerValue(reqs[0]!, 'soapaction')).toBe('""');
    expect(ress.map((m) => [m.status, m.framing, isSoap(m)])).toEqual([
      [200, 'content-length', true],
      [200, 'content-length', true],
      [204, 'none', false],
    ]);
    expect(dec.decode(ress[1]!.body)).toBe(gpv);
    for (const m of reqs) checkFields(m, up);
    for (const m of ress) checkFields(m, down);

    // The Connection Request: plain HTTP, ACS → CPE, with a digest challenge.
    const cr = parseAll('request', 'GET /cr?ts=1&id=2 HTTP/1.1\r\nHost: 10.0.0.2:30005\r\n\r\nGET /cr?ts=1&id=2 HTTP/1.1\r\nHost: 10.0.0.2:30005\r\nAuthorization: Digest username="acs", realm="cpe", nonce="n", uri="/cr?ts=1&id=2", response="r"\r\n\r\n');
    expect(cr.map((m) => [m.method, m.target, m.framing])).toEqual([
      ['GET', '/cr?ts=1&id=2', 'none'],
      ['GET', '/cr?ts=1&id=2', 'none'],
    ]);
    const crRes = parseAll('response', 'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="cpe", nonce="n", qop="auth"\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', ['GET', 'GET']);
    expect(crRes.map((m) => [m.status, m.reason, m.bodyLength])).toEqual([
      [401, 'Unauthorized', 0],
      [200, 'OK', 0],
    ]);
  });

  it('isSoap recognises SOAP 1.1 and 1.2 content types and SOAPAction', () => {
    const h = (...headers: [string, string][]) => ({ headers: headers.map(([name, value]) => ({ name, value })) });
    expect(isSoap(h(['Content-Type', 'text/xml; charset=utf-8']))).toBe(true);
    expect(isSoap(h(['content-type', ' Application/SOAP+XML ;action="x"']))).toBe(true);
    expect(isSoap(h(['SOAPAction', '']))).toBe(true);
    expect(isSoap(h(['Content-Type', 'text/html']))).toBe(false);
    expect(isSoap(h(['Content-Type', 'text/xml-ish']))).toBe(false);
    expect(isSoap(h())).toBe(false);
  });
});

describe('HttpStreamParser: errors', () => {
  it('rejects malformed start lines', () => {
    expectCode('request', 'GET  / HTTP/1.1\r\n\r\n', 'ERR_HTTP_BAD_START_LINE');
    expectCode('request', 'GET / HTTP/1.1 \r\n\r\n', 'ERR_HTTP_BAD_START_LINE');
    expectCode('request', 'GET / http/1.1\r\n\r\n', 'ERR_HTTP_BAD_START_LINE');
    expectCode('request', 'GET / HTTP/2.0\r\n\r\n', 'ERR_HTTP_BAD_START_LINE');
    expectCode('request', 'GET /\r\x00 HTTP/1.1\r\n\r\n', 'ERR_HTTP_BAD_START_LINE');
    expectCode('response', 'HTTP/1.1 20 OK\r\n\r\n', 'ERR_HTTP_BAD_START_LINE');
    expectCode('response', 'HTTP/1.1 099 Low\r\n\r\n', 'ERR_HTTP_BAD_START_LINE');
    expectCode('response', 'HTTP/1.1 200 O\rK\r\n\r\n', 'ERR_HTTP_BAD_START_LINE');
    expectCode('response', '\r\nHTTP/1.1 200 OK\r\n\r\n', 'ERR_HTTP_BAD_START_LINE');
  });

  it('fails fast on bytes that cannot start a message (e.g. TLS where HTTP was expected)', () => {
    for (const kind of ['request', 'response'] as const) {
      const p = new HttpStreamParser(kind);
      expect(() => p.push(Uint8Array.of(0x16, 0x03, 0x01))).toThrow(expect.objectContaining({ code: 'ERR_HTTP_BAD_START_LINE' }));
    }
    expect(() => new HttpStreamParser('response').push(enc.encode('HTTP/2'))).toThrow(HttpParseError);
    expect(new HttpStreamParser('response').push(enc.encode('HTTP/1'))).toEqual([]);
    expect(new HttpStreamParser('request').push(enc.encode('\r\nPOS'))).toEqual([]);
  });

  it('rejects malformed field lines, obs-fold and whitespace before the colon', () => {
    expectCode('request', 'GET / HTTP/1.1\r\nHost: a\r\n  folded\r\n\r\n', 'ERR_HTTP_BAD_HEADER').message.includes('obs-fold');
    expect(expectCode('request', 'GET / HTTP/1.1\r\nHost: a\r\n\tfolded\r\n\r\n', 'ERR_HTTP_BAD_HEADER').message).toMatch(/obs-fold/);
    expect(expectCode('request', 'GET / HTTP/1.1\r\n Host: a\r\n\r\n', 'ERR_HTTP_BAD_HEADER').message).toMatch(/start-line and the first header/);
    expect(expectCode('request', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n', 'ERR_HTTP_BAD_HEADER').message).toMatch(/whitespace between field name and colon/);
    expectCode('request', 'GET / HTTP/1.1\r\nHost a\r\n\r\n', 'ERR_HTTP_BAD_HEADER');
    expectCode('request', 'GET / HTTP/1.1\r\n: a\r\n\r\n', 'ERR_HTTP_BAD_HEADER');
    expectCode('request', 'GET / HTTP/1.1\r\nX(y): a\r\n\r\n', 'ERR_HTTP_BAD_HEADER');
    expectCode('request', 'GET / HTTP/1.1\r\nX: a\rb\r\n\r\n', 'ERR_HTTP_BAD_HEADER');
    expectCode('request', 'GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n', 'ERR_HTTP_BAD_HEADER');
    expectCode('response', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: a\r\n b\r\n\r\n', 'ERR_HTTP_BAD_HEADER');
  });

  it('is strict about message framing (RFC 9112 §6.3)', () => {
    expect(expectCode('request', 'POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n', 'ERR_HTTP_BAD_LENGTH').message).toMatch(/both Transfer-Encoding and Content-Length/);
    expect(expectCode('request', 'POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd', 'ERR_HTTP_BAD_LENGTH').message).toMatch(/conflicting/);
    expectCode('request', 'POST / HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\nabcd', 'ERR_HTTP_BAD_LENGTH');
    expectCode('request', 'POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n', 'ERR_HTTP_BAD_LENGTH');
    expectCode('request', 'POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n', 'ERR_HTTP_BAD_LENGTH');
    expectCode('request', 'POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n', 'ERR_HTTP_BAD_LENGTH');
    expectCode('request', 'POST / HTTP/1.1\r\nContent-Length:\r\n\r\n', 'ERR_HTTP_BAD_LENGTH');
    expectCode('request', 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 'ERR_HTTP_BAD_LENGTH');
    expectCode('request', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n', 'ERR_HTTP_BAD_LENGTH');
    expectCode('request', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n', 'ERR_HTTP_UNSUPPORTED');
    expectCode('response', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n', 'ERR_HTTP_UNSUPPORTED');
    // Identical repeated values are one value (RFC 9110 §8.6), leading zeros included.
    const [m] = parseAll('request', 'POST / HTTP/1.1\r\nContent-Length: 3, 03\r\nContent-Length: 3\r\n\r\nabc');
    expect(dec.decode(m!.body)).toBe('abc');
    // Transfer-Encoding is case-insensitive and may be split over field lines.
    expect(parseAll('request', 'POST / HTTP/1.1\r\nTransfer-Encoding:\r\nTransfer-Encoding: Chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n')[0]!.framing).toBe('chunked');
  });

  it('rejects malformed chunked framing', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    expectCode('response', `${head}x\r\n`, 'ERR_HTTP_BAD_CHUNK');
    expectCode('response', `${head}\r\n`, 'ERR_HTTP_BAD_CHUNK');
    expectCode('response', `${head}-1\r\n`, 'ERR_HTTP_BAD_CHUNK');
    expectCode('response', `${head}3 \r\nabc\r\n0\r\n\r\n`, 'ERR_HTTP_BAD_CHUNK');
    expectCode('response', `${head}3;\r\nabc\r\n0\r\n\r\n`, 'ERR_HTTP_BAD_CHUNK');
    expectCode('response', `${head}3;a="unterminated\r\nabc\r\n0\r\n\r\n`, 'ERR_HTTP_BAD_CHUNK');
    expectCode('response', `${head}3\nabc\r\n0\r\n\r\n`, 'ERR_HTTP_BAD_CHUNK');
    expect(expectCode('response', `${head}3\r\nabcd\r\n0\r\n\r\n`, 'ERR_HTTP_BAD_CHUNK').message).toMatch(/not followed by CRLF/);
    expectCode('response', `${head}3\r\nabc\n0\r\n\r\n`, 'ERR_HTTP_BAD_CHUNK');
    expectCode('response', `${head}3\r\nabc\rx0\r\n\r\n`, 'ERR_HTTP_BAD_CHUNK');
  });

  it('enforces the size limits', () => {
    expect(expectCode('request', `GET / HTTP/1.1\r\nX: ${'a'.repeat(200)}\r\n\r\n`, 'ERR_HTTP_TOO_LARGE', { maxHeaderBytes: 100 }).message).toMatch(/header section exceeds 100/);
    // Detected without waiting for the line end, and with many short lines too.
    const p = new HttpStreamParser('request', { maxHeaderBytes: 100 });
    expect(() => p.push(enc.encode(`GET /${'a'.repeat(200)}`))).toThrow(expect.objectContaining({ code: 'ERR_HTTP_TOO_LARGE' }));
    expectCode('request', `GET / HTTP/1.1\r\n${'X: 1\r\n'.repeat(30)}\r\n`, 'ERR_HTTP_TOO_LARGE', { maxHeaderBytes: 100 });
    expect(parseAll('request', `GET / HTTP/1.1\r\n${'X: 1\r\n'.repeat(11)}\r\n`)).toHaveLength(1); // 16 + 66 + 2 = 84 bytes
    const head = (n: number) => `GET / HTTP/1.1\r\nX: ${'a'.repeat(n)}\r\n\r\n`; // n + 23 bytes
    expect(parseAll('request', head(65_513))).toHaveLength(1); // exactly 64 KiB
    expectCode('request', head(65_514), 'ERR_HTTP_TOO_LARGE');
    expectCode('request', 'POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n', 'ERR_HTTP_TOO_LARGE', { maxBodyBytes: 10 });
    expectCode('request', 'POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n', 'ERR_HTTP_TOO_LARGE');
    expect(parseAll('request', 'POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789', [])[0]!.bodyLength).toBe(10);
    expectCode('request', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\n', 'ERR_HTTP_TOO_LARGE', { maxBodyBytes: 10 });
    expectCode('request', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n', 'ERR_HTTP_TOO_LARGE');
    expectCode('request', `POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;${'a'.repeat(5000)}\r\n`, 'ERR_HTTP_TOO_LARGE');
    expectCode('response', 'HTTP/1.1 200 OK\r\n\r\n0123456789x', 'ERR_HTTP_TOO_LARGE', { maxBodyBytes: 10 });
    expectCode('response', `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n${'T: 1\r\n'.repeat(30)}\r\n`, 'ERR_HTTP_TOO_LARGE', { maxHeaderBytes: 100 });
  });

  it('reports a stream that ends inside a message as truncated', () => {
    expect(expectCode('request', 'POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc', 'ERR_HTTP_TRUNCATED').message).toMatch(/7 of 10 bytes missing/);
    expect(expectCode('request', 'GET / HTTP/1.1\r\nHost: x\r\n', 'ERR_HTTP_TRUNCATED').message).toMatch(/header section/);
    expect(expectCode('response', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab', 'ERR_HTTP_TRUNCATED').message).toMatch(/3 bytes missing/);
    expectCode('response', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n', 'ERR_HTTP_TRUNCATED');
    expectCode('response', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', 'ERR_HTTP_TRUNCATED');
    expectCode('response', 'H', 'ERR_HTTP_TRUNCATED');
    // Empty lines after the last request are not a message.
    expect(parseAll('request', 'GET / HTTP/1.1\r\n\r\n\r\n\r')).toHaveLength(1);
  });

  it('hands out the messages before bad bytes, then stays failed', () => {
    const p = new HttpStreamParser('request');
    const ms = p.push(enc.encode('GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\nbad header\r\n\r\n'));
    expect(ms.map((m) => m.target)).toEqual(['/1', '/2']);
    expect(p.failed?.code).toBe('ERR_HTTP_BAD_HEADER');
    expect(p.failed?.offset).toBe(55);
    expect(() => p.push(enc.encode('GET /4 HTTP/1.1\r\n\r\n'))).toThrow(p.failed!);
    expect(() => p.push(new Uint8Array(0))).toThrow(HttpParseError);
    expect(() => p.finish()).toThrow(p.failed!);
  });
});

describe('HttpStreamParser: cost', () => {
  it('takes linear time for a 64 KiB header section pushed byte by byte and a 16 MiB body in 1 KiB pieces', () => {
    const head = enc.encode(`POST / HTTP/1.1\r\nX: ${'a'.repeat(65_000)}\r\nContent-Length: ${16 * 1024 * 1024}\r\n\r\n`);
    const p = new HttpStreamParser('request', { maxHeaderBytes: 66_000 });
    const t0 = performance.now();
    let early = 0;
    for (let i = 0; i < head.length; i++) early += p.push(head.subarray(i, i + 1)).length;
    expect(early).toBe(0);
    const piece = new Uint8Array(1024).fill(0x41);
    const out: HttpMessage[] = [];
    for (let i = 0; i < 16 * 1024; i++) out.push(...p.push(piece));
    expect(out).toHaveLength(1);
    expect(out[0]!.bodyLength).toBe(16 * 1024 * 1024);
    expect(out[0]!.body[16 * 1024 * 1024 - 1]).toBe(0x41);
    expect(performance.now() - t0).toBeLessThan(2000); // ~100 ms; quadratic buffering takes seconds
  });
});

describe('HttpStreamParser: properties', () => {
  it('gives the same messages for any chunking of a stream of well-formed requests', () => {
    fc.assert(fc.property(requestStream, fc.array(fc.nat(), { maxLength: 30 }), (specs, cuts) => checkStream('request', specs, cuts)));
  });

  it('gives the same messages for any chunking of a stream of well-formed responses', () => {
    fc.assert(fc.property(responseStream, fc.array(fc.nat(), { maxLength: 30 }), (specs, cuts) => checkStream('response', specs, cuts)));
  });

  it('gives the same messages byte by byte', () => {
    fc.assert(
      fc.property(fc.oneof(requestStream.map((s) => ['request', s] as const), responseStream.map((s) => ['response', s] as const)), ([kind, specs]) => {
        const len = specs.reduce((n, s) => n + s.bytes.length, 0);
        checkStream(kind, specs, Array.from({ length: len }, (_, i) => i));
      }),
      { numRuns: 50 },
    );
  });

  it('yields no message for any strict prefix of a message, and finish() reports truncation', () => {
    fc.assert(
      fc.property(fc.oneof(request, response(false)), (spec) => {
        const kind = spec.expected.kind;
        for (let n = 1; n < spec.bytes.length; n++) {
          const p = new HttpStreamParser(kind);
          for (const m of spec.methods) p.expectResponseTo(m);
          expect(p.push(spec.bytes.subarray(0, n))).toEqual([]);
          expect(() => p.finish()).toThrow(expect.objectContaining({ code: 'ERR_HTTP_TRUNCATED' }));
          expect(p.failed?.code).toBe('ERR_HTTP_TRUNCATED');
        }
        const p = new HttpStreamParser(kind);
        for (const m of spec.methods) p.expectResponseTo(m);
        expect(p.push(spec.bytes)).toHaveLength(1);
      }),
      { numRuns: 60 },
    );
  });

  const throwsOnlyHttpParseError = (kind: 'request' | 'response', chunks: Uint8Array[]) => {
    const p = new HttpStreamParser(kind, { maxHeaderBytes: 512, maxBodyBytes: 1024 });
    try {
      for (const c of chunks) for (const m of p.push(c)) checkFields(m, concat(...chunks));
      for (const m of p.finish()) checkFields(m, concat(...chunks));
    } catch (e) {
      if (!(e instanceof HttpParseError)) throw e;
      expect(p.failed).toBe(e);
    }
  };

  it('never throws anything but HttpParseError on random bytes', () => {
    fc.assert(
      fc.property(fc.constantFrom('request', 'response'), fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 10 }), (kind, bytes, cuts) => {
        throwsOnlyHttpParseError(kind, chunk(bytes, cuts));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but HttpParseError on mutated well-formed streams', () => {
    const mutation = fc.record({ at: fc.nat(), op: fc.constantFrom('set', 'insert', 'delete'), byte: fc.constantFrom(0, 9, 10, 13, 32, 34, 44, 48, 58, 59, 61, 92, 97, 0xff, 0x7f) });
    fc.assert(
      fc.property(
        fc.oneof(requestStream.map((s) => ['request', s] as const), responseStream.map((s) => ['response', s] as const)),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        ([kind, specs], muts, cuts) => {
          const b = [...concat(...specs.map((s) => s.bytes))];
          for (const m of muts) {
            const at = m.at % (b.length + 1);
            if (m.op === 'set') b[at] = m.byte;
            else if (m.op === 'insert') b.splice(at, 0, m.byte);
            else b.splice(at, 1);
          }
          throwsOnlyHttpParseError(kind, chunk(Uint8Array.from(b), cuts));
        },
      ),
      { numRuns: 300 },
    );
  });
});
