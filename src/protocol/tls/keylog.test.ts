import { describe, expect, it } from 'vitest';
import { TlsDecodeError } from './errors.ts';
import { KeyLogStore, parseKeyLog, parseKeyLogLine } from './keylog.ts';

const CR = 'ab'.repeat(32);

describe('key log (NSS SSLKEYLOGFILE)', () => {
  it('parses TLS 1.3 and TLS 1.2 lines, including static-RSA premaster lines', () => {
    expect(parseKeyLogLine(`CLIENT_HANDSHAKE_TRAFFIC_SECRET ${CR} ${'01'.repeat(32)}`)?.secret).toHaveLength(32);
    expect(parseKeyLogLine(`CLIENT_RANDOM ${CR.toUpperCase()} ${'02'.repeat(48)}`)?.clientRandom).toBe(CR);
    expect(parseKeyLogLine(`RSA 0011223344556677 ${'03'.repeat(48)}`)?.label).toBe('RSA');
    expect(parseKeyLogLine('# comment')).toBeNull();
    expect(parseKeyLogLine('   ')).toBeNull();
  });

  it.each([
    ['CLIENT_RANDOM abc', 'word'],
    [`BOGUS ${CR} ${'00'.repeat(32)}`, 'unknown key log label'],
    [`CLIENT_RANDOM ${CR.slice(2)} ${'00'.repeat(48)}`, 'client random must be 32 bytes'],
    [`CLIENT_RANDOM ${CR} 0g${'00'.repeat(47)}`, 'secret must be'],
    [`RSA ${CR} ${'00'.repeat(48)}`, 'premaster prefix'],
  ])('rejects %j with a typed ERR_BAD_KEYLOG error', (line, msg) => {
    try {
      parseKeyLogLine(line);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TlsDecodeError);
      expect((e as TlsDecodeError).code).toBe('ERR_BAD_KEYLOG');
      expect((e as Error).message).toContain(msg);
    }
  });

  it('reports bad lines of a file by line number and keeps the good ones', () => {
    const r = parseKeyLog(`CLIENT_RANDOM ${CR} ${'02'.repeat(48)}\nnonsense\r\n\nSERVER_TRAFFIC_SECRET_0 ${CR} ${'05'.repeat(32)}\n`);
    expect(r.entries.map((e) => e.label)).toEqual(['CLIENT_RANDOM', 'SERVER_TRAFFIC_SECRET_0']);
    expect(r.errors.map((e) => e.line)).toEqual([2]);
  });

  it('stores each secret once and writes SSLKEYLOGFILE text back', () => {
    const s = new KeyLogStore();
    const e = parseKeyLogLine(`CLIENT_RANDOM ${CR} ${'02'.repeat(48)}`)!;
    expect(s.add(e)).toBe(true);
    expect(s.add(e)).toBe(false);
    expect(s.get(CR, 'CLIENT_RANDOM')).toEqual(e.secret);
    expect(s.get(CR, 'SERVER_TRAFFIC_SECRET_0')).toBeUndefined();
    expect(s.toText()).toBe(`CLIENT_RANDOM ${CR} ${'02'.repeat(48)}\n`);
  });
});
