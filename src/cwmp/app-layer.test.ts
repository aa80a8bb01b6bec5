import { describe, expect, it } from 'vitest';
import { AppLayer, NOT_HTTP, type AppLayerEvent } from './app-layer.ts';

const enc = new TextEncoder();

/** Feeds each direction's chunks (client first), finishes, returns the events. */
function run(client: string[], server: string[]): AppLayerEvent[] {
  const out: AppLayerEvent[] = [];
  const app = new AppLayer(0, { client: 'cpe', server: 'acs' }, (e) => out.push(e));
  for (const c of client) app.data('client', enc.encode(c));
  for (const c of server) app.data('server', enc.encode(c));
  app.finish();
  return out;
}
const errors = (ev: AppLayerEvent[]) => ev.flatMap((e) => (e.kind === 'error' ? [`${e.code}:${e.from}`] : []));

describe('AppLayer: HTTP, broken HTTP, and something else', () => {
  it('a request and its response become two http events and no error', () => {
    const ev = run(['POST /acs HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n'], ['HTTP/1.1 204 No Content\r\n\r\n']);
    expect(ev.map((e) => e.kind)).toEqual(['http', 'http']);
  });

  it('another protocol over TLS is said once per direction as not HTTP, with its first bytes, however it is chunked', () => {
    for (const chunks of [['ping'], ['pi', 'ng'], ['p', 'i', 'n', 'g', '\n']]) {
      const ev = run(chunks, ['pong']);
      expect(errors(ev).sort(), chunks.join('|')).toEqual([`${NOT_HTTP}:acs`, `${NOT_HTTP}:cpe`]);
      expect(ev.find((e) => e.kind === 'error' && e.from === 'cpe')).toMatchObject({ message: expect.stringContaining('begins "ping') });
    }
    // binary bytes are shown as dots, never raw
    const bin = run(['\u0001\u0002BIN'], []);
    expect(errors(bin)).toEqual([`${NOT_HTTP}:cpe`]);
    expect(bin[0]!.kind === 'error' && bin[0]!.message).toContain('begins "..BIN"');
  });

  it('HTTP that breaks stays an HTTP error with its own code', () => {
    expect(errors(run(['GET / HTTP/1.1\r\nBad header\r\n\r\n'], []))).toEqual(['ERR_HTTP_BAD_HEADER:cpe']);
    // cut short: the start of a request, then the stream ends
    expect(errors(run(['GET / HT'], []))).toEqual(['ERR_HTTP_TRUNCATED:cpe']);
    expect(errors(run([], ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc']))).toEqual(['ERR_HTTP_TRUNCATED:acs']);
    // a second message that is broken after a good first one is broken HTTP, not "not HTTP"
    expect(errors(run(['GET / HTTP/1.1\r\nHost: a\r\n\r\nping'], []))).toEqual(['ERR_HTTP_TRUNCATED:cpe']);
  });
});
