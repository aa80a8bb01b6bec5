import type { Party } from '../protocol/events.ts';
import { HttpStreamParser, isHttpParseError, isSoap, NOT_HTTP, type HttpMessage } from '../protocol/http.ts';
import { decodeEnvelope, isEmptyHttpBody, SoapError, summarize } from './soap/index.ts';

/**
 * The application layer of one TCP connection, as the wire shows it: the (decrypted) application
 * data of each direction → HTTP/1.1 messages → CWMP envelopes. Pure: live sessions and capture
 * import feed it the same bytes and get the same events.
 */
export type AppLayerEvent =
  | {
      kind: 'http';
      conn: number;
      from: Party;
      to: Party;
      request?: { method: string; path: string };
      response?: { status: number; reason: string };
      headers: { name: string; value: string }[];
      bodyLength: number;
      plain: boolean;
    }
  | { kind: 'cwmp'; conn: number; from: Party; to: Party; rpc: string; id: string | null; ns: string; summary: string; xml: string }
  | { kind: 'error'; from: Party; code: string; message: string };

const utf8 = new TextDecoder();
const latin1 = (b: Uint8Array) => String.fromCharCode(...b);

export { NOT_HTTP };

/** The first bytes of a direction could start an HTTP/1.1 message: a request method (upper-case token) or `HTTP/`. */
function looksLikeHttp(from: 'client' | 'server', head: string): boolean {
  if (head.length === 0) return true;
  if (from === 'server') return head.length < 5 ? 'HTTP/'.startsWith(head) : head.startsWith('HTTP/');
  return /^(?:\r?\n)*[A-Z][A-Z_-]*(?: |$)/.test(head);
}

const printable = (s: string) => s.replace(/[^\x20-\x7e]/g, '.');

export class AppLayer {
  private readonly requests = new HttpStreamParser('request');
  private readonly responses = new HttpStreamParser('response');
  private readonly dead = { client: false, server: false };
  private notHttpDirs = 0;
  private httpMessages = 0;
  private httpErrors = 0;

  /** The application data was something else than HTTP: a direction said so, and no HTTP message or HTTP error was seen. */
  get notHttp(): boolean {
    return this.notHttpDirs > 0 && this.httpMessages === 0 && this.httpErrors === 0;
  }

  /** Until a direction's first HTTP message: its first bytes (Latin-1), to tell "not HTTP at all" from a broken message. */
  private readonly head: { client: string | null; server: string | null } = { client: '', server: '' };

  constructor(
    private readonly conn: number,
    private readonly roles: { client: Party; server: Party },
    private readonly emit: (e: AppLayerEvent) => void,
    private readonly plain = false,
  ) {}

  /** Application bytes sent by the TLS client (requests) or server (responses), in order. */
  data(from: 'client' | 'server', bytes: Uint8Array): void {
    if (this.dead[from]) return;
    const head = this.head[from];
    if (head !== null && head.length < 16) this.head[from] = head + latin1(bytes.subarray(0, 16 - head.length));
    let msgs: HttpMessage[];
    try {
      msgs = (from === 'client' ? this.requests : this.responses).push(bytes);
    } catch (e) {
      this.dead[from] = true;
      if (this.declareNotHttp(from)) return;
      const err = isHttpParseError(e) ? e : null;
      this.httpErrors++;
      this.emit({ kind: 'error', from: this.roles[from], code: err?.code ?? 'ERR_HTTP', message: `not HTTP/1.1: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    if (msgs.length) this.head[from] = null;
    for (const m of msgs) this.message(from, m);
  }

  /** The connection ended: a close-delimited response completes; a cut message is reported. */
  finish(): void {
    for (const from of ['client', 'server'] as const) {
      if (this.dead[from]) continue;
      try {
        for (const m of (from === 'client' ? this.requests : this.responses).finish()) this.message(from, m);
      } catch (e) {
        if (this.declareNotHttp(from)) continue;
        this.httpErrors++;
        this.emit({ kind: 'error', from: this.roles[from], code: isHttpParseError(e) ? e.code : 'ERR_HTTP', message: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  /**
   * Before any HTTP message in this direction, bytes that cannot start one: the protocol above TLS
   * is not HTTP (a capture of something else). Said once, as ERR_NOT_HTTP, instead of a parse error.
   */
  private declareNotHttp(from: 'client' | 'server'): boolean {
    const head = this.head[from];
    if (head === null || looksLikeHttp(from, head)) return false;
    this.notHttpDirs++;
    this.emit({ kind: 'error', from: this.roles[from], code: NOT_HTTP, message: `the application data is not HTTP/1.1 (it begins "${printable(head)}"): shown as records only, with no HTTP or CWMP above them` });
    return true;
  }

  private message(from: 'client' | 'server', m: HttpMessage): void {
    this.httpMessages++;
    const sender = this.roles[from];
    const receiver = this.roles[from === 'client' ? 'server' : 'client'];
    if (m.kind === 'request' && m.method) this.responses.expectResponseTo(m.method);
    this.emit({
      kind: 'http',
      conn: this.conn,
      from: sender,
      to: receiver,
      ...(m.kind === 'request' ? { request: { method: m.method ?? '', path: m.target ?? '' } } : { response: { status: m.status ?? 0, reason: m.reason ?? '' } }),
      headers: m.headers.map((h) => ({ name: h.name, value: h.value })),
      bodyLength: m.bodyLength,
      plain: this.plain,
    });
    // e.g. the CPE's empty POST, a 204 (a body starting with a visible ASCII character is not empty: no need to decode megabytes)
    if (m.body.length === 0 || (!(m.body[0]! > 0x20 && m.body[0]! < 0x7f) && isEmptyHttpBody(utf8.decode(m.body)))) return;
    if (!isSoap(m) && !/^\s*</.test(utf8.decode(m.body.subarray(0, 64)))) return;
    try {
      const env = decodeEnvelope(m.body);
      this.emit({ kind: 'cwmp', conn: this.conn, from: sender, to: receiver, rpc: env.rpc.method, id: env.id ?? null, ns: env.ns, summary: summarize(env.rpc), xml: env.raw });
    } catch (e) {
      const code = e instanceof SoapError ? e.code : 'ERR_SOAP';
      this.emit({ kind: 'error', from: sender, code, message: `not a CWMP envelope: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
}
