import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabClient } from './client.ts';

const ROOT = join(import.meta.dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

/** Starts `lab serve` with these arguments; resolves once it printed where it listens. */
function serve(args: string[], env: Record<string, string> = {}): Promise<{ port: number; err: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(TSX, ['src/server/cli.ts', 'serve', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lab serve did not start: ${err}`)), 30_000);
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /Handshake Lab on http:\/\/[^:]+:(\d+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({
          port: Number(m[1]),
          err: () => err,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`lab serve exited with ${code}: ${err}`)));
  });
}

describe('lab serve', () => {
  it('listens on 127.0.0.1 (PORT from the environment), answers /healthz and /ws, stops cleanly on SIGTERM', async () => {
    const s = await serve([], { PORT: '0' });
    const h = (await (await fetch(`http://127.0.0.1:${s.port}/healthz`)).json()) as { ok: boolean };
    expect(h.ok).toBe(true);
    const c = await LabClient.connect(`ws://127.0.0.1:${s.port}/ws`);
    expect(c.hello.limits.sessionsPerConnection).toBe(4);
    await c.close();
    expect(s.err()).not.toContain('WARNING');
    expect(await s.stop()).toBe(0);
  });

  it('--host 0.0.0.0 warns and prints the join code the WebSocket then requires', async () => {
    const s = await serve(['--host', '0.0.0.0', '--port', '0']);
    expect(s.err()).toContain('WARNING: listening on 0.0.0.0');
    const code = /Join code: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(s.err())?.[1];
    expect(code).toBeDefined();
    await expect(LabClient.connect(`ws://127.0.0.1:${s.port}/ws`)).rejects.toMatchObject({ status: 401 });
    const c = await LabClient.connect(`ws://127.0.0.1:${s.port}/ws?join=${code}`);
    await c.close();
    expect(await s.stop()).toBe(0);
  });

  it('a bad port is a usage error (exit 2) naming it', () => {
    const r = spawnSync(TSX, ['src/server/cli.ts', 'serve', '--port', 'eighty'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--port (or PORT) takes a TCP port number, not "eighty"');
  });
});
