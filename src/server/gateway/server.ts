import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import type { LabEvent } from '../../protocol/events.ts';
import { WS_PROTOCOL_VERSION, type ServerMessage } from '../../protocol/ws.ts';
import type { WireHost } from '../wire/protocol.ts';
import { buildCatalog } from './catalog.ts';
import { ClientConnection, type GatewayShared } from './connection.ts';
import { DEFAULT_LIMITS, type GatewayLimits } from './limits.ts';
import { checkUpgrade, isLoopbackHost, makeJoinCode, securityHeaders } from './security.ts';
import { serveStatic } from './static.ts';

/** dist/ of this checkout (the Vite build of the web app). */
export const DEFAULT_DIST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist');
export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
const SERVER_NAME = 'handshake-lab';

export interface GatewayOptions {
  /** Address to bind (default 127.0.0.1). Any non-loopback address requires a join code. */
  host?: string;
  /** TCP port (default 8080; 0 picks a free one). */
  port?: number;
  /** The built web app (default: dist/ of this checkout). */
  distDir?: string;
  /**
   * The join code clients must present on the WebSocket upgrade (`/ws?join=CODE`). Default: none on
   * a loopback address, a random code otherwise. Give one to require it on loopback too.
   */
  joinCode?: string;
  limits?: Partial<GatewayLimits>;
  /** Where sessions' wire sides run (default: the shared worker thread). The benchmark wraps it to timestamp records. */
  wireHost?: WireHost;
  /** Benchmark hook: called just before each event goes to its WebSocket (the gateway's session id, the event). */
  onEventSend?: (session: string, event: LabEvent) => void;
  /** Operational messages (internal errors, disconnected slow readers). Default: stderr. */
  log?: (line: string) => void;
}

export interface GatewayHealth {
  ok: boolean;
  /** Live sessions (started and not yet ended). */
  sessions: number;
  /** Open WebSocket connections. */
  connections: number;
  uptimeS: number;
}

export interface Gateway {
  readonly host: string;
  readonly port: number;
  /** http://host:port/ */
  readonly url: string;
  /** ws://host:port/ws (without the join code). */
  readonly wsUrl: string;
  readonly joinCode: string | null;
  readonly limits: GatewayLimits;
  health(): GatewayHealth;
  /** Closes every WebSocket (aborting its sessions), waits for the sessions to release everything, stops listening. */
  close(): Promise<void>;
}

/**
 * One Node process serving the web app (dist/), `GET /healthz`, and live sessions over the
 * WebSocket at `/ws` (protocol: src/protocol/ws.ts). Resolves once listening.
 */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const host = options.host ?? DEFAULT_HOST;
  const limits: GatewayLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const distDir = options.distDir ?? DEFAULT_DIST_DIR;
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const joinCode = options.joinCode ?? (isLoopbackHost(host) ? null : makeJoinCode());
  const started = performance.now();
  const clients = new Set<ClientConnection>();
  const pending = new Set<Promise<unknown>>();
  let catalogJson: string | undefined;

  const shared: GatewayShared = {
    limits,
    live: 0,
    catalogJson: () => (catalogJson ??= JSON.stringify({ type: 'catalog', catalog: buildCatalog() } satisfies ServerMessage)),
    hello: () => ({
      type: 'hello',
      protocol: WS_PROTOCOL_VERSION,
      server: SERVER_NAME,
      limits: { sessionsPerConnection: limits.sessionsPerConnection, sessionsTotal: limits.sessionsTotal, maxMessageBytes: limits.maxMessageBytes, startsPerMinute: limits.startsPerMinute },
    }),
    wireHost: options.wireHost,
    onEventSend: options.onEventSend,
    log,
    track: (p) => {
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    kept: new Map(),
    buffered: 0,
    overBuffered: () => {
      // The running total only grows between sends: recount, then close the largest backlogs first —
      // of the clients that stopped keeping up (for a second or more) before those that are reading.
      const byBacklog = [...clients]
        .map((c) => {
          const n = c.bufferedNow();
          return { c, n, stalled: n > 0 && c.stalledMs() >= 1000 };
        })
        .sort((a, b) => Number(b.stalled) - Number(a.stalled) || b.n - a.n);
      for (const { c, n, stalled } of byBacklog) {
        if (shared.buffered <= limits.maxBufferedTotalBytes) break;
        if (n === 0) continue;
        log(`gateway: ${Math.round(shared.buffered / 1048576)} MiB wait in all clients' send buffers (limit ${Math.round(limits.maxBufferedTotalBytes / 1048576)} MiB); disconnecting ${stalled ? 'a client that stopped reading' : 'the client with the largest backlog'} (${n} bytes waiting)`);
        c.terminate(); // takes its share out of the total at once
      }
    },
  };

  const health = (): GatewayHealth => ({ ok: true, sessions: shared.live, connections: clients.size, uptimeS: Math.round((performance.now() - started) / 1000) });

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    for (const [k, v] of Object.entries(securityHeaders(req.headers.host))) res.setHeader(k, v);
    const plain = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : text + '\n');
    };
    try {
      const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
      if (!rawPath.startsWith('/')) return plain(400, 'Bad request: the request target must be a path');
      if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, `Method ${req.method} not allowed`, { Allow: 'GET, HEAD' });
      if (rawPath === '/healthz') {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(health()));
        return;
      }
      if (rawPath === '/ws') return plain(426, 'This is the WebSocket endpoint: connect with a WebSocket client', { Upgrade: 'websocket' });
      serveStatic(distDir, req, res, rawPath).catch((e: unknown) => {
        log(`gateway: static file error: ${(e as Error).message}`);
        if (!res.headersSent) plain(500, 'Internal error');
        else res.destroy();
      });
    } catch (e) {
      log(`gateway: request error: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) plain(500, 'Internal error');
      else res.destroy();
    }
  };

  const server = createServer(onRequest);
  // A request Node's parser rejects (malformed, oversized headers): 400 in words, with the same headers as every other answer.
  server.on('clientError', (e: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return void socket.destroy();
    const [status, why] = CLIENT_ERRORS[e.code ?? ''] ?? [400, 'the request is not valid HTTP/1.1'];
    socket.end(rawResponse(status, why, undefined));
  });

  const wss = new WebSocketServer({
    noServer: true,
    // The per-message limit is enforced by ClientConnection with a `too_large` answer, keeping the
    // connection; the library's own cap (which closes with 1009) sits far above it.
    maxPayload: Math.max(limits.hardMaxFrameBytes, limits.maxMessageBytes + 1),
    perMessageDeflate: false,
    // Checked per message instead (a bad_json answer rather than closing the connection with 1007).
    skipUTF8Validation: true,
    clientTracking: false,
  });

  const refuse = (socket: Duplex, req: IncomingMessage, status: number, reason: string) => socket.end(rawResponse(status, reason, req.headers.host));

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const verdict = checkUpgrade(req, joinCode);
      if (!verdict.ok) return refuse(socket, req, verdict.status, verdict.reason);
      if (closing) return refuse(socket, req, 503, 'the server is shutting down');
      if (clients.size >= limits.connections) return refuse(socket, req, 503, `the server has ${clients.size} connections, its limit; try again later`);
      wss.handleUpgrade(req, socket, head, (ws) => {
        const c = new ClientConnection(ws, shared);
        clients.add(c);
        ws.on('close', () => clients.delete(c));
      });
    } catch (e) {
      log(`gateway: upgrade error: ${(e as Error).stack ?? String(e)}`);
      socket.destroy();
    }
  });

  const heartbeat =
    limits.heartbeatMs > 0
      ? setInterval(() => {
          for (const c of clients) {
            if (!c.alive) {
              c.terminate();
              continue;
            }
            c.alive = false;
            c.ping();
          }
        }, limits.heartbeatMs)
      : undefined;
  heartbeat?.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => log(`gateway: server error: ${e.message}`));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (options.port ?? DEFAULT_PORT);
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    url: `http://${urlHost}:${port}/`,
    wsUrl: `ws://${urlHost}:${port}/ws`,
    joinCode,
    limits,
    health,
    close: () =>
      (closing ??= (async () => {
        if (heartbeat) clearInterval(heartbeat);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const c of clients) c.terminate(); // each connection aborts its sessions as it closes
        // Aborted sessions release everything within milliseconds; never hang a shutdown on one that does not.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled([...pending]), new Promise((r) => (timer = setTimeout(r, 10_000)))]);
        clearTimeout(timer);
        server.closeAllConnections();
        wss.close();
        await stopped;
      })()),
  };
}

/** A whole HTTP/1.1 answer written straight to a socket (no ServerResponse there): status, the reason in words, the security headers. */
function rawResponse(status: number, reason: string, host: string | undefined): string {
  const text = STATUS_CODES[status] ?? 'Error';
  const headers = Object.entries(securityHeaders(host)).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const body = reason + '\n';
  return `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\n${headers}\r\n${body}`;
}

/** The statuses Node itself would answer these parser errors with, and why in words. */
const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'the request headers are too large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'the chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'the request took too long to arrive'],
};
