import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

/**
 * Serves the built web app (dist/) and nothing else. The request path is the only input: it is
 * decoded once, normalised, and must resolve (symlinks followed) to a regular file inside dist/.
 * No other file on the machine can be named by a client.
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.pcapng': 'application/octet-stream',
};

/** Vite names built assets `name-HASH.ext` (8+ base64url characters): those never change, so they are cached for a year. */
const HASHED_ASSET = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

export type StaticAnswer =
  | { kind: 'file'; file: string; size: number; type: string; cache: string }
  | { kind: 'no-build' }
  | { kind: 'error'; status: 400 | 404; message: string };

/** Maps a request path to a file inside `root` (never outside it). */
export async function resolveStatic(root: string, rawPath: string): Promise<StaticAnswer> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
    if (!(await stat(path.join(realRoot, 'index.html'))).isFile()) return { kind: 'no-build' };
  } catch {
    return { kind: 'no-build' };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'error', status: 400, message: 'malformed percent-encoding in the path' };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return { kind: 'error', status: 400, message: 'bad path' };
  // Any '..' segment is refused outright (not just normalised away): no client needs one.
  if (decoded.split('/').some((seg) => seg === '..')) return { kind: 'error', status: 400, message: 'path traversal refused' };
  const rel = decoded === '/' ? '/index.html' : decoded;
  const candidate = path.join(realRoot, path.posix.normalize(rel));
  let file: string;
  try {
    file = await realpath(candidate);
  } catch {
    return { kind: 'error', status: 404, message: 'not found' };
  }
  if (file !== realRoot && !file.startsWith(realRoot + path.sep)) return { kind: 'error', status: 404, message: 'not found' };
  let st;
  try {
    st = await stat(file);
  } catch {
    return { kind: 'error', status: 404, message: 'not found' };
  }
  if (!st.isFile()) return { kind: 'error', status: 404, message: 'not found' };
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const cache = HASHED_ASSET.test(rel) ? 'public, max-age=31536000, immutable' : 'no-cache';
  return { kind: 'file', file, size: st.size, type, cache };
}

export const NO_BUILD_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Handshake Lab: web app not built</title></head>
<body>
<h1>Handshake Lab: the web app is not built</h1>
<p>The service is running (WebSocket <code>/ws</code>, <code>/healthz</code>), but <code>dist/</code> has no build of the web app.</p>
<p>Run <code>npm run build</code> and reload this page, or start with <code>npm start</code>, which builds it first.</p>
</body></html>
`;

/** Answers a GET/HEAD for a static file (headers already set by the caller). */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const a = await resolveStatic(root, pathname);
  if (a.kind === 'no-build') {
    res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : NO_BUILD_PAGE);
    return;
  }
  if (a.kind === 'error') {
    res.writeHead(a.status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : `${a.status === 404 ? 'Not found' : 'Bad request'}: ${a.message}\n`);
    return;
  }
  res.writeHead(200, { 'Content-Type': a.type, 'Content-Length': String(a.size), 'Cache-Control': a.cache });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(a.file);
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
