import { describe, expect, it } from 'vitest';
import { AppLayer, NOT_HTTP, type AppLayerEvent } from './app-layer.ts';

const enc = new TextEncoder();

/** Feeds each direction's chunks (client first), finishes, returns the events (and the layer). */
function runApp(client: string[], server: string[]): { events: AppLayerEvent[]; app: AppLayer } {
  const events: AppLayerEvent[] = [];
  const app = new AppLayer(0, { client: 'cpe', server: 'acs' }, (e) => events.push(e));
  for (const c of client) app.data('client', enc.encode(c));
  for (const c of server) app.data('server', enc.encode(c));
  app.finish();
  return { events, app };
}
const run = (client: string[], server: string[]) => runApp(client, server).events;
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

  it('notHttp: only when the connection carried no HTTP at all', () => {
    expect(runApp(['ping'], ['pong']).app.notHttp).toBe(true);
    expect(runApp(['ping'], []).app.notHttp).toBe(true);
    // an HTTP request answered by something else is broken HTTP, not another protocol
    expect(runApp(['POST /acs HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n'], ['pong']).app.notHttp).toBe(false);
    expect(runApp(['GET / HTTP/1.1\r\nBad header\r\n\r\n'], ['pong']).app.notHttp).toBe(false);
    expect(runApp(['GET / HTTP/1.1\r\nHost: a\r\n\r\n'], ['HTTP/1.1 204 No Content\r\n\r\n']).app.notHttp).toBe(false);
    expect(runApp([], []).app.notHttp).toBe(false);
  });
});
