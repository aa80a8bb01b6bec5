/**
 * Incremental HTTP/1.1 message parser for one direction of one connection (RFC 9112).
 *
 * After the TLS handshake the wiretap hands us the decrypted application data of each direction as
 * a byte stream; this turns it into HTTP messages (CWMP SOAP over HTTP, the plain-HTTP Connection
 * Request) with byte offsets, so the UI can show and highlight them.
 *
 * Like the TLS record deframer it is an explicit state machine over a list of buffered chunks, so any
 * chunking of the stream gives the same messages, and it fails for good with a typed error
 * (stable `code`) once the stream is not HTTP/1.1. Pure: no I/O, runs in Node and the browser.
 *
 * Strict where framing is decided (that is where request smuggling lives): Content-Length and
 * Transfer-Encoding together, differing Content-Lengths, obs-fold, whitespace before the colon,
 * malformed chunk lines and a chunk not followed by CRLF are all errors. Lenient only where RFC 9112
 * allows it: a bare LF ends a start-line or field line (§2.2), empty lines before a request-line are
 * skipped (§2.2), and a status-line may omit the SP before an empty reason-phrase (common in practice).
 *
 * Not handled: protocol switches (101, 2xx to CONNECT) — the bytes that follow are not HTTP/1.1
 * and are reported as a parse error; transfer codings other than `chunked` (ERR_HTTP_UNSUPPORTED).
 */
import { field, type Field } from './tls/fields.ts';

export const HTTP_ERROR_CODES = [
  'ERR_HTTP_BAD_START_LINE', // request-line / status-line does not match RFC 9112 §3 / §4
  'ERR_HTTP_BAD_HEADER', // a field line that is not `token ":" OWS value OWS` (§5), obs-fold (§5.2)
  'ERR_HTTP_BAD_LENGTH', // Content-Length invalid or conflicting, or with Transfer-Encoding (§6.3)
  'ERR_HTTP_BAD_CHUNK', // chunked transfer coding framing error (§7.1)
  'ERR_HTTP_TOO_LARGE', // header section, chunk line or body above the configured limit
  'ERR_HTTP_TRUNCATED', // the stream ended inside a message
  'ERR_HTTP_UNSUPPORTED', // a transfer coding other than chunked
  'ERR_HTTP_ENDED', // bytes pushed after finish()
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/** Error-event code for a direction whose application data was never HTTP at all (e.g. a capture of another protocol over TLS). */
export const NOT_HTTP = 'ERR_NOT_HTTP';

export class HttpParseError extends Error {
  override readonly name = 'HttpParseError';
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    /** Offset in this direction's byte stream where the problem was found. */
    readonly offset = 0,
  ) {
    super(`${code}: ${message}`);
  }
}

export function isHttpParseError(e: unknown): e is HttpParseError {
  return e instanceof HttpParseError;
}

export interface HttpHeader {
  /** As on the wire (case kept). */
  name: string;
  /** Without leading/trailing OWS; bytes 0x80–0xFF (obs-text) are decoded as Latin-1. */
  value: string;
}

export type HttpFraming = 'content-length' | 'chunked' | 'close' | 'none';

export interface HttpMessage {
  kind: 'request' | 'response';
  method?: string;
  target?: string;
  status?: number;
  reason?: string;
  /** As on the wire, e.g. `HTTP/1.1`. */
  version: string;
  /** In order, case kept; repeated fields stay separate. */
  headers: HttpHeader[];
  /** Trailer fields of a chunked body (RFC 9112 §7.1.2); empty otherwise. */
  trailers: HttpHeader[];
  /** The message content: de-chunked, transfer coding removed (a copy, not a view of pushed bytes). */
  body: Uint8Array;
  bodyLength: number;
  framing: HttpFraming;
  /** Offsets in this direction's byte stream: message start, end of header section (= body start), end. */
  bytes: { start: number; headerEnd: number; end: number };
  /** Start line, each field line, the empty line, the body; offsets relative to `bytes.start`. */
  fields: Field[];
}

export interface HttpParserOptions {
  /** Largest header section (start line + field lines + empty line), and largest trailer section. */
  maxHeaderBytes?: number;
  /** Largest message body (after de-chunking). */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Longest chunk-size line (size + extensions), RFC 9112 §7.1.1 leaves it to the recipient. */
export const MAX_CHUNK_LINE = 4096;

const SP = 0x20;
const HTAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;

/** RFC 9110 §5.6.2 token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 9112 §3: request-line = method SP request-target SP HTTP-version (single SPs, no other whitespace). */
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([\x21-\x7e]+) (HTTP\/(\d)\.(\d))$/;
/** RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ] (the last SP tolerated missing). */
const STATUS_LINE = /^(HTTP\/(\d)\.(\d)) (\d{3})(?: ([\t\x20-\x7e\x80-\xff]*))?$/;

const REF = {
  startLine: 'RFC 9112 §2.1',
  requestLine: 'RFC 9112 §3',
  statusLine: 'RFC 9112 §4',
  fieldLine: 'RFC 9112 §5',
  body: 'RFC 9112 §6',
  chunked: 'RFC 9112 §7.1',
  chunkExt: 'RFC 9112 §7.1.1',
  trailers: 'RFC 9112 §7.1.2',
} as const;

/** A line as read from the stream: content without its terminator, and its stream range. */
interface Line {
  bytes: Uint8Array;
  start: number;
  /** After the terminator. */
  end: number;
  /** Terminated by CRLF (true) or by a bare LF (false). */
  crlf: boolean;
}

/** The message being parsed (offsets are stream offsets until the message is handed out). */
/** A message being parsed: the finished message's fields, plus the parser's own state. */
interface Building extends Pick<HttpMessage, 'method' | 'target' | 'status' | 'reason' | 'version' | 'headers' | 'trailers' | 'fields' | 'framing' | 'bodyLength'> {
  start: number;
  /** Bytes of the header section so far (for the limit), later of the trailer section. */
  sectionBytes: number;
  headerEnd: number;
  body: Uint8Array[];
  /** Chunked: the chunk being read and the parts of the chunked-body so far. */
  chunk?: { start: number; children: Field[]; dataStart: number };
  chunkFields: Field[];
  trailerStart: number;
  trailerFields: Field[];
}

type State =
  | { s: 'start' } // before a message (§2.2: requests may be preceded by empty lines)
  | { s: 'head' } // field lines of the header section, up to the empty line (§5)
  | { s: 'length'; remaining: number } // Content-Length body (§6.2)
  | { s: 'chunk-size' } // chunk-size [ chunk-ext ] CRLF (§7.1)
  | { s: 'chunk-data'; remaining: number }
  | { s: 'chunk-end' } // the CRLF after chunk-data
  | { s: 'trailers' } // trailer-section CRLF (§7.1.2)
  | { s: 'close' } // body delimited by the end of the stream (§6.3 item 8, responses only)
  | { s: 'ended' } // finish() was called
  | { s: 'failed'; error: HttpParseError };

/**
 * Parses the HTTP/1.1 messages of one direction of one connection.
 *
 * ```ts
 * const req = new HttpStreamParser('request'), res = new HttpStreamParser('response');
 * for (const m of req.push(bytes)) res.expectResponseTo(m.method!);
 * ```
 */
export class HttpStreamParser {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private consumed = 0; // stream offset of the first buffered byte
  private scanned = 0; // buffered bytes already searched for LF without success (see findLF)
  private scanIdx = 0;
  private scanBase = 0;
  private state: State = { s: 'start' };
  private cur: Building | undefined;
  /** Methods of the requests whose responses have not been parsed yet (response parsers only). */
  private methods: string[] = [];
  private readonly maxHeader: number;
  private readonly maxBody: number;

  constructor(
    readonly kind: 'request' | 'response',
    options: HttpParserOptions = {},
  ) {
    this.maxHeader = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    this.maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /**
   * Response parsers: the next request on this connection has this method. Call once per request,
   * in order (pipelining). A response to HEAD has no body (RFC 9112 §6.3 item 1); without a call the
   * request method is taken not to be HEAD.
   */
  expectResponseTo(method: string): void {
    this.methods.push(method);
  }

  /** Bytes received but not yet part of a complete message. */
  get pending(): number {
    return this.buffered;
  }

  /** Stream offset just after the last consumed byte. */
  get offset(): number {
    return this.consumed;
  }

  get failed(): HttpParseError | undefined {
    return this.state.s === 'failed' ? this.state.error : undefined;
  }

  /**
   * Feed bytes; returns every message completed by them. Throws HttpParseError once the stream is not
   * HTTP/1.1 (messages completed before the bad bytes are returned first; the next call throws).
   */
  push(chunk: Uint8Array): HttpMessage[] {
    if (this.state.s === 'failed') throw this.state.error;
    if (this.state.s === 'ended') {
      const e = new HttpParseError('ERR_HTTP_ENDED', 'bytes pushed after finish()', this.consumed + this.buffered);
      this.fail(e);
      throw e;
    }
    if (chunk.length) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const out: HttpMessage[] = [];
    try {
      while (this.step(out));
    } catch (e) {
      if (!(e instanceof HttpParseError)) throw e;
      this.fail(e);
      if (out.length) return out;
      throw e;
    }
    return out;
  }

  /**
   * End of stream: completes a close-delimited response body; throws ERR_HTTP_TRUNCATED when the
   * stream ends inside any other message. Idempotent; push() after it fails.
   */
  finish(): HttpMessage[] {
    const st = this.state;
    if (st.s === 'failed') throw st.error;
    if (st.s === 'ended') return [];
    if (st.s === 'close') {
      this.state = { s: 'ended' };
      return [this.complete()];
    }
    // Between messages: nothing buffered, or (before a request-line) only CR/LF of empty lines.
    if (st.s === 'start' && (this.buffered === 0 || (this.kind === 'request' && this.peek(this.buffered).every((b) => b === CR || b === LF)))) {
      this.state = { s: 'ended' };
      return [];
    }
    const where =
      st.s === 'start' || st.s === 'head'
        ? `in the header section (${this.cur ? this.consumed - this.cur.start + this.buffered : this.buffered} bytes, no empty line yet)`
        : st.s === 'length'
          ? `in a Content-Length body (${st.remaining} of ${this.cur!.bodyLength + st.remaining} bytes missing)`
          : st.s === 'chunk-data'
            ? `in chunk data (${st.remaining} bytes missing)`
            : st.s === 'trailers'
              ? 'in the trailer section of a chunked body'
              : 'in a chunked body, before its last chunk';
    const e = new HttpParseError('ERR_HTTP_TRUNCATED', `stream ended ${where}`, this.consumed + this.buffered);
    this.fail(e);
    throw e;
  }

  private fail(error: HttpParseError): void {
    this.state = { s: 'failed', error };
    this.cur = undefined;
  }

  /** One step of the state machine; false when more bytes are needed. Throws HttpParseError. */
  private step(out: HttpMessage[]): boolean {
    const st = this.state;
    switch (st.s) {
      case 'start': {
        this.checkStartPrefix();
        const line = this.readLine(this.maxHeader, 'start line');
        if (!line) return false;
        if (line.bytes.length === 0) {
          // §2.2: a server SHOULD ignore at least one empty line received before the request-line.
          if (this.kind === 'request') return true;
          throw new HttpParseError('ERR_HTTP_BAD_START_LINE', 'empty line where a status-line was expected', line.start);
        }
        this.cur = this.startMessage(line);
        this.state = { s: 'head' };
        return true;
      }
      case 'head': {
        const m = this.cur!;
        const line = this.readLine(this.maxHeader - m.sectionBytes, 'header section');
        if (!line) return false;
        m.sectionBytes += line.end - line.start;
        if (line.bytes.length === 0) {
          m.fields.push(field('empty-line', line.start, line.end, 'end of header section', { ref: 'RFC 9112 §2.1' }));
          m.headerEnd = line.end;
          this.frameBody(m, out);
          return true;
        }
        const h = this.fieldLine(line, m.fields, 'header');
        m.headers.push(h);
        return true;
      }
      case 'length': {
        const m = this.cur!;
        if (this.buffered === 0) return false;
        const piece = this.takeSome(st.remaining);
        m.body.push(piece);
        m.bodyLength += piece.length;
        st.remaining -= piece.length;
        if (st.remaining === 0) out.push(this.complete());
        return true;
      }
      case 'chunk-size': {
        const m = this.cur!;
        const line = this.readLine(MAX_CHUNK_LINE, 'chunk-size line');
        if (!line) return false;
        const size = this.chunkLine(line, m);
        if (size === 0) {
          m.trailerStart = line.end;
          m.sectionBytes = 0;
          this.state = { s: 'trailers' };
        } else {
          this.state = { s: 'chunk-data', remaining: size };
        }
        return true;
      }
      case 'chunk-data': {
        const m = this.cur!;
        if (this.buffered === 0) return false;
        const piece = this.takeSome(st.remaining);
        m.body.push(piece);
        m.bodyLength += piece.length;
        st.remaining -= piece.length;
        if (st.remaining === 0) this.state = { s: 'chunk-end' };
        return true;
      }
      case 'chunk-end': {
        // §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF — exactly CRLF, no bare LF here.
        const m = this.cur!;
        const got = this.peek(Math.min(2, this.buffered));
        if (got.length >= 1 && got[0] !== CR) throw new HttpParseError('ERR_HTTP_BAD_CHUNK', `chunk data not followed by CRLF (chunk of ${this.consumed - m.chunk!.dataStart} bytes)`, this.consumed);
        if (got.length < 2) return false;
        if (got[1] !== LF) throw new HttpParseError('ERR_HTTP_BAD_CHUNK', 'chunk data not followed by CRLF', this.consumed);
        const c = m.chunk!;
        c.children.push(field('chunk-data', c.dataStart, this.consumed, `${this.consumed - c.dataStart} bytes`, { ref: REF.chunked }));
        c.children.push(field('CRLF', this.consumed, this.consumed + 2, 'CRLF'));
        this.take(2);
        m.chunkFields.push(field('chunk', c.start, this.consumed, `chunk of ${c.children.at(-2)!.end - c.dataStart} bytes`, { ref: REF.chunked, children: c.children }));
        m.chunk = undefined;
        this.state = { s: 'chunk-size' };
        return true;
      }
      case 'trailers': {
        const m = this.cur!;
        const line = this.readLine(this.maxHeader - m.sectionBytes, 'trailer section');
        if (!line) return false;
        m.sectionBytes += line.end - line.start;
        if (line.bytes.length === 0) {
          if (m.trailerFields.length) m.chunkFields.push(field('trailer-section', m.trailerStart, line.start, `${m.trailerFields.length} trailer field(s)`, { ref: REF.trailers, children: m.trailerFields }));
          m.chunkFields.push(field('CRLF', line.start, line.end, 'end of chunked body'));
          out.push(this.complete());
          return true;
        }
        m.trailers.push(this.fieldLine(line, m.trailerFields, 'trailer'));
        return true;
      }
      case 'close': {
        const m = this.cur!;
        if (this.buffered === 0) return false;
        const piece = this.takeSome(this.buffered);
        if (m.bodyLength + piece.length > this.maxBody) throw new HttpParseError('ERR_HTTP_TOO_LARGE', `close-delimited body exceeds ${this.maxBody} bytes`, this.consumed);
        m.body.push(piece);
        m.bodyLength += piece.length;
        return true;
      }
      case 'ended':
      case 'failed':
        return false;
    }
  }

  /**
   * Fail fast on bytes that cannot begin a message, instead of waiting for a line end or the limit:
   * a status-line starts with `HTTP/1.`, a request-line with a method token and SP.
   */
  private checkStartPrefix(): void {
    const n = Math.min(this.buffered, 16);
    if (n === 0) return;
    const b = this.peek(n);
    if (this.kind === 'response') {
      const want = 'HTTP/1.';
      for (let i = 0; i < Math.min(n, want.length); i++) {
        if (b[i] !== want.charCodeAt(i)) throw new HttpParseError('ERR_HTTP_BAD_START_LINE', `not an HTTP/1.x status-line: starts with ${JSON.stringify(latin1(b))}`, this.consumed);
      }
    } else {
      let i = 0;
      while (i < n && (b[i] === CR || b[i] === LF)) i++; // empty lines, handled by the caller
      const from = i;
      while (i < n && TOKEN.test(String.fromCharCode(b[i]!))) i++;
      if (i < n && (b[i] !== SP || i === from) && b[i] !== CR && b[i] !== LF) {
        throw new HttpParseError('ERR_HTTP_BAD_START_LINE', `not an HTTP/1.x request-line: starts with ${JSON.stringify(latin1(b.subarray(from)))}`, this.consumed + from);
      }
    }
  }

  /** §3 request-line / §4 status-line → a new message. */
  private startMessage(line: Line): Building {
    const text = latin1(line.bytes);
    const s = line.start;
    const m: Building = {
      start: s,
      version: '',
      headers: [],
      trailers: [],
      fields: [],
      sectionBytes: line.end - line.start,
      headerEnd: 0,
      framing: 'none',
      body: [],
      bodyLength: 0,
      chunkFields: [],
      trailerStart: 0,
      trailerFields: [],
    };
    const children: Field[] = [];
    if (this.kind === 'request') {
      const r = REQUEST_LINE.exec(text);
      if (!r) throw new HttpParseError('ERR_HTTP_BAD_START_LINE', `malformed request-line ${JSON.stringify(text.slice(0, 200))} (want method SP request-target SP HTTP/1.x)`, s);
      const [, method = '', target = '', version = '', major] = r;
      if (major !== '1') throw new HttpParseError('ERR_HTTP_BAD_START_LINE', `unsupported HTTP version ${version}`, s);
      Object.assign(m, { method, target, version });
      children.push(field('method', s, s + method.length, method, { value: method, ref: 'RFC 9112 §3.1' }));
      const t = s + method.length + 1;
      children.push(field('request-target', t, t + target.length, target, { value: target, ref: 'RFC 9112 §3.2' }));
      const v = t + target.length + 1;
      children.push(field('HTTP-version', v, v + version.length, version, { value: version, ref: 'RFC 9112 §2.3' }));
      m.fields.push(field('request-line', s, line.end, text, { ref: REF.requestLine, children }));
    } else {
      const r = STATUS_LINE.exec(text);
      if (!r) throw new HttpParseError('ERR_HTTP_BAD_START_LINE', `malformed status-line ${JSON.stringify(text.slice(0, 200))} (want HTTP/1.x SP 3DIGIT SP reason)`, s);
      const [, version = '', major, , code = '', reason = ''] = r;
      const status = Number(code);
      if (major !== '1') throw new HttpParseError('ERR_HTTP_BAD_START_LINE', `unsupported HTTP version ${version}`, s);
      if (status < 100) throw new HttpParseError('ERR_HTTP_BAD_START_LINE', `status code ${code} is below 100`, s);
      Object.assign(m, { status, reason, version });
      children.push(field('HTTP-version', s, s + version.length, version, { value: version, ref: 'RFC 9112 §2.3' }));
      const c = s + version.length + 1;
      children.push(field('status-code', c, c + 3, code, { value: status, ref: 'RFC 9110 §15' }));
      if (reason) children.push(field('reason-phrase', c + 4, c + 4 + line.bytes.length - (version.length + 5), reason, { value: reason, ref: 'RFC 9112 §4' }));
      m.fields.push(field('status-line', s, line.end, text, { ref: REF.statusLine, children }));
    }
    return m;
  }

  /** §5: field-line = field-name ":" OWS field-value OWS. Appends its Field to `into`. */
  private fieldLine(line: Line, into: Field[], what: 'header' | 'trailer'): HttpHeader {
    const b = line.bytes;
    const at = line.start;
    const first = b[0]!;
    if (first === SP || first === HTAB) {
      // §5.2 obs-fold (or §2.2 whitespace between the start-line and the first field): rejected.
      throw new HttpParseError('ERR_HTTP_BAD_HEADER', into.length > 1 || what === 'trailer' ? `obsolete line folding (obs-fold) in ${what} section` : 'whitespace between the start-line and the first header field', at);
    }
    const colon = b.indexOf(0x3a);
    if (colon < 0) throw new HttpParseError('ERR_HTTP_BAD_HEADER', `${what} field line without a colon: ${JSON.stringify(latin1(b.subarray(0, 100)))}`, at);
    const name = latin1(b.subarray(0, colon));
    if (!TOKEN.test(name)) {
      const why = /[ \t]$/.test(name) ? 'whitespace between field name and colon (RFC 9112 §5.1)' : `invalid field name ${JSON.stringify(name.slice(0, 100))}`;
      throw new HttpParseError('ERR_HTTP_BAD_HEADER', `${what}: ${why}`, at);
    }
    let vs = colon + 1;
    let ve = b.length;
    while (vs < ve && (b[vs] === SP || b[vs] === HTAB)) vs++;
    while (ve > vs && (b[ve - 1] === SP || b[ve - 1] === HTAB)) ve--;
    for (let i = vs; i < ve; i++) {
      const c = b[i]!;
      // RFC 9110 §5.5: field-vchar = VCHAR / obs-text, with SP / HTAB inside. CR, LF, NUL and other CTLs are invalid.
      if ((c < 0x20 && c !== HTAB) || c === 0x7f) {
        throw new HttpParseError('ERR_HTTP_BAD_HEADER', `control character 0x${c.toString(16).padStart(2, '0')} in the value of ${what} field ${name}`, at + i);
      }
    }
    const value = latin1(b.subarray(vs, ve));
    into.push(
      field('field-line', at, line.end, `${name}: ${value}`, {
        ref: REF.fieldLine,
        children: [
          field('field-name', at, at + colon, name, { value: name, ref: 'RFC 9110 §5.1' }),
          field('field-value', at + vs, at + ve, value, { value, ref: 'RFC 9110 §5.5' }),
        ],
      }),
    );
    return { name, value };
  }

  /** §6.3: decide how the body is delimited, at the end of the header section. */
  private frameBody(m: Building, out: HttpMessage[]): void {
    const at = m.headerEnd;
    const te = m.headers.filter((h) => h.name.toLowerCase() === 'transfer-encoding');
    const cl = m.headers.filter((h) => h.name.toLowerCase() === 'content-length');
    if (this.kind === 'response') {
      const status = m.status!;
      const method = status >= 200 ? this.methods.shift() : this.methods[0]; // 1xx are interim: the request still awaits its final response
      // §6.3 item 1: responses to HEAD, and 1xx, 204 and 304 responses, end at the header section.
      if (method?.toUpperCase() === 'HEAD' || status < 200 || status === 204 || status === 304) {
        m.framing = 'none';
        out.push(this.complete());
        return;
      }
    }
    if (te.length) {
      // §6.3 item 3: both is a smuggling attempt; we reject rather than let Transfer-Encoding win.
      if (cl.length) throw new HttpParseError('ERR_HTTP_BAD_LENGTH', 'both Transfer-Encoding and Content-Length (RFC 9112 §6.3 item 3)', at);
      // §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing.
      if (m.version === 'HTTP/1.0') throw new HttpParseError('ERR_HTTP_BAD_LENGTH', 'Transfer-Encoding in an HTTP/1.0 message (RFC 9112 §6.1)', at);
      const codings = te.flatMap((h) => h.value.split(',')).map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
      if (codings.length !== 1 || codings[0] !== 'chunked') {
        if (codings.filter((c) => c === 'chunked').length > 1) throw new HttpParseError('ERR_HTTP_BAD_LENGTH', 'chunked applied more than once (RFC 9112 §6.1)', at);
        throw new HttpParseError('ERR_HTTP_UNSUPPORTED', `transfer coding ${JSON.stringify(te.map((h) => h.value).join(', '))}: only chunked is supported`, at);
      }
      m.framing = 'chunked';
      this.state = { s: 'chunk-size' };
      return;
    }
    if (cl.length) {
      // §6.3 item 5 / RFC 9110 §8.6: 1*DIGIT; a list of identical values is taken as one value.
      const values = cl.flatMap((h) => h.value.split(',')).map((v) => v.trim());
      if (values.some((v) => !/^\d+$/.test(v))) throw new HttpParseError('ERR_HTTP_BAD_LENGTH', `invalid Content-Length ${JSON.stringify(cl.map((h) => h.value).join(', '))}`, at);
      if (new Set(values.map((v) => v.replace(/^0+(?=\d)/, ''))).size !== 1) throw new HttpParseError('ERR_HTTP_BAD_LENGTH', `conflicting Content-Length values ${JSON.stringify(values.join(', '))}`, at);
      const digits = values[0]!.replace(/^0+(?=\d)/, '');
      const n = digits.length > 15 ? Infinity : Number(digits);
      if (n > this.maxBody) throw new HttpParseError('ERR_HTTP_TOO_LARGE', `Content-Length ${digits} exceeds the body limit of ${this.maxBody} bytes`, at);
      m.framing = 'content-length';
      if (n === 0) out.push(this.complete());
      else this.state = { s: 'length', remaining: n };
      return;
    }
    if (this.kind === 'request') {
      // §6.3 item 7: a request with neither has no body.
      m.framing = 'none';
      out.push(this.complete());
    } else {
      // §6.3 item 8: the response body runs to the end of the connection.
      m.framing = 'close';
      this.state = { s: 'close' };
    }
  }

  /**
   * §7.1.1: chunk-size [ chunk-ext ] CRLF, with
   * chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ). Returns the size.
   */
  private chunkLine(line: Line, m: Building): number {
    const text = latin1(line.bytes);
    const at = line.start;
    if (!line.crlf) throw new HttpParseError('ERR_HTTP_BAD_CHUNK', 'chunk-size line ended by a bare LF (CRLF required in chunked framing)', line.end - 1);
    const hex = /^[0-9A-Fa-f]+/.exec(text)?.[0];
    if (!hex) throw new HttpParseError('ERR_HTTP_BAD_CHUNK', `chunk-size is not hexadecimal: ${JSON.stringify(text.slice(0, 100))}`, at);
    const ext = text.slice(hex.length);
    if (ext && !/^(?:[ \t]*;[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:[ \t]*=[ \t]*(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+|"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"))?)+$/.test(ext)) {
      throw new HttpParseError('ERR_HTTP_BAD_CHUNK', `malformed chunk extension ${JSON.stringify(ext.slice(0, 100))}`, at + hex.length);
    }
    const significant = hex.replace(/^0+/, '');
    const size = significant.length > 12 ? Infinity : significant ? parseInt(significant, 16) : 0;
    if (m.bodyLength + size > this.maxBody) throw new HttpParseError('ERR_HTTP_TOO_LARGE', `chunked body exceeds ${this.maxBody} bytes (chunk of 0x${hex})`, at);
    const children = [field('chunk-size', at, at + hex.length, `${size}`, { value: size, ref: REF.chunked })];
    if (ext) children.push(field('chunk-ext', at + hex.length, at + text.length, ext, { value: ext, ref: REF.chunkExt }));
    children.push(field('CRLF', at + text.length, line.end, 'CRLF'));
    if (size === 0) {
      m.chunkFields.push(field('last-chunk', at, line.end, 'last-chunk', { ref: REF.chunked, children }));
    } else {
      m.chunk = { start: at, children, dataStart: line.end };
    }
    return size;
  }

  /** Hands out the message being built; offsets become relative to its start. */
  private complete(): HttpMessage {
    const m = this.cur!;
    this.cur = undefined;
    if (this.state.s !== 'ended') this.state = { s: 'start' };
    const end = this.consumed;
    const body = new Uint8Array(m.bodyLength);
    let o = 0;
    for (const p of m.body) {
      body.set(p, o);
      o += p.length;
    }
    const fields = [...m.fields];
    if (m.framing === 'chunked') {
      fields.push(field('chunked-body', m.headerEnd, end, `chunked, ${m.bodyLength} bytes of content`, { ref: REF.chunked, children: m.chunkFields }));
    } else if (end > m.headerEnd) {
      fields.push(field('message-body', m.headerEnd, end, `${m.bodyLength} bytes (${m.framing})`, { ref: REF.body }));
    }
    const startLine = this.kind === 'request' ? { method: m.method!, target: m.target! } : { status: m.status!, reason: m.reason! };
    return {
      kind: this.kind,
      ...startLine,
      version: m.version,
      headers: m.headers,
      trailers: m.trailers,
      body,
      bodyLength: m.bodyLength,
      framing: m.framing,
      bytes: { start: m.start, headerEnd: m.headerEnd, end },
      fields: relative(fields, m.start),
    };
  }

  /**
   * The next line (up to LF), consumed; undefined if no LF is buffered yet. A line longer than
   * `max` bytes (terminator included) is ERR_HTTP_TOO_LARGE.
   */
  private readLine(max: number, what: string): Line | undefined {
    const lf = this.findLF(max);
    if (lf < 0) {
      if (this.buffered >= max) throw new HttpParseError('ERR_HTTP_TOO_LARGE', `${what} exceeds ${what === 'chunk-size line' ? MAX_CHUNK_LINE : this.maxHeader} bytes`, this.consumed);
      return undefined;
    }
    const start = this.consumed;
    const raw = this.take(lf + 1);
    // §2.2: a recipient MAY recognize a single LF as a line terminator and ignore any preceding CR.
    const crlf = lf > 0 && raw[lf - 1] === CR;
    return { bytes: raw.subarray(0, crlf ? lf - 1 : lf), start, end: this.consumed, crlf };
  }

  /**
   * Index of the first LF among the first `max` buffered bytes, or -1. Resumes where the last search
   * stopped (chunk `scanIdx`, which starts at buffered offset `scanBase`), so a line arriving byte by
   * byte costs linear time.
   */
  private findLF(max: number): number {
    const limit = Math.min(this.buffered, max);
    while (this.scanIdx < this.chunks.length && this.scanBase < limit) {
      const c = this.chunks[this.scanIdx]!;
      const i = c.subarray(0, limit - this.scanBase).indexOf(LF, this.scanned - this.scanBase);
      if (i >= 0) return this.scanBase + i;
      if (this.scanBase + c.length > limit) {
        this.scanned = limit; // this chunk is searched only up to the limit
        return -1;
      }
      this.scanBase += c.length;
      this.scanIdx++;
      this.scanned = this.scanBase;
    }
    return -1;
  }

  /** Up to n bytes from the first chunk, consumed, as a view (no copy). */
  private takeSome(n: number): Uint8Array {
    const first = this.chunks[0]!;
    const k = Math.min(n, first.length);
    if (k === first.length) this.chunks.shift();
    else this.chunks[0] = first.subarray(k);
    this.buffered -= k;
    this.consumed += k;
    this.scanned = this.scanIdx = this.scanBase = 0;
    return first.subarray(0, k);
  }

  /** The first n buffered bytes, without consuming. */
  private peek(n: number): Uint8Array {
    const first = this.chunks[0];
    if (!first || first.length >= n) return (first ?? new Uint8Array(0)).subarray(0, n);
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of this.chunks) {
      if (o >= n) break;
      const k = Math.min(c.length, n - o);
      out.set(c.subarray(0, k), o);
      o += k;
    }
    return out;
  }

  /** The first n buffered bytes, consumed. */
  private take(n: number): Uint8Array {
    const out = this.peek(n);
    // Drop the whole chunks with one splice (shift() per chunk is quadratic for a line pushed byte by byte).
    let i = 0;
    let left = n;
    while (left > 0 && this.chunks[i]!.length <= left) left -= this.chunks[i++]!.length;
    this.chunks.splice(0, i);
    if (left > 0) this.chunks[0] = this.chunks[0]!.subarray(left);
    this.buffered -= n;
    this.consumed += n;
    this.scanned = this.scanIdx = this.scanBase = 0;
    return out;
  }
}

/** Latin-1 decoding (each byte one code unit), so obs-text survives and offsets match characters. */
function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function relative(fields: Field[], by: number): Field[] {
  return fields.map((f) => ({ ...f, start: f.start - by, end: f.end - by, ...(f.children ? { children: relative(f.children, by) } : {}) }));
}

/** The value of a header field, case-insensitive; repeated fields are combined with ", " (RFC 9110 §5.3). */
export function headerValue(msg: Pick<HttpMessage, 'headers'>, name: string): string | undefined {
  const want = name.toLowerCase();
  const values = msg.headers.filter((h) => h.name.toLowerCase() === want).map((h) => h.value);
  return values.length ? values.join(', ') : undefined;
}

/** A SOAP message: Content-Type text/xml or application/soap+xml (SOAP 1.1 / 1.2), or a SOAPAction header. */
export function isSoap(msg: Pick<HttpMessage, 'headers'>): boolean {
  if (headerValue(msg, 'SOAPAction') !== undefined) return true;
  const type = headerValue(msg, 'Content-Type')?.split(';')[0]?.trim().toLowerCase();
  return type === 'text/xml' || type === 'application/soap+xml';
}
