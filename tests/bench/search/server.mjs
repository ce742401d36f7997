// A small static file server for the search benchmark: serves one folder over loopback,
// gzips text responses when the client accepts gzip, serves Pagefind's pre-compressed files
// as they are, can hold every response back by a fixed delay, and logs each request with
// the bytes it put on the wire (status line, headers and body).

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.csv': 'text/csv; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.wasm': 'application/wasm',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.xml', '.svg']);

// Pagefind's index files (.pf_meta, .pf_index, .pf_fragment, .pf_filter) and its WebAssembly
// (wasm.<lang>.pagefind) are already gzipped; Pagefind wants them sent byte for byte, with
// no Content-Encoding, and unpacks them itself.
function isPrecompressed(file) {
  return /\.pf_[a-z]+$/.test(file) || file.endsWith('.pagefind');
}

/**
 * Starts a server for `root` on 127.0.0.1 (a free port). Returns
 * `{ url, log, delayMs, close() }`: `log` is an array of `{ path, status, bytes, at }`
 * (bytes on the wire; `at` = epoch ms when the response was sent) that callers may
 * empty between measurements, and `delayMs` may be changed at any time.
 */
export async function serve(root, { delayMs = 0 } = {}) {
  const gzipCache = new Map();
  const state = { log: [], delayMs };

  const server = http.createServer(async (req, res) => {
    const socket = req.socket;
    const before = socket.bytesWritten;
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    res.on('finish', () => {
      // Chromium does not pipeline, so the socket wrote exactly this response since `before`.
      state.log.push({
        path: urlPath,
        status: res.statusCode,
        bytes: socket.bytesWritten - before,
        at: res.sentAt, // 'finish' itself may come late when the event loop is busy
      });
    });
    if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));

    let file = path.join(root, path.normalize(urlPath));
    if (!file.startsWith(root)) return send(res, 403, 'text/plain', 'forbidden');
    try {
      if ((await fs.stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await fs.readFile(file);
      const ext = path.extname(file);
      const headers = { 'Cache-Control': 'public, max-age=600' };
      if (isPrecompressed(file)) {
        return send(res, 200, 'application/octet-stream', body, headers);
      }
      const type = TYPES[ext] || 'application/octet-stream';
      const acceptsGzip = /\bgzip\b/.test(req.headers['accept-encoding'] || '');
      if (acceptsGzip && COMPRESSIBLE.has(ext)) {
        let gz = gzipCache.get(file);
        if (!gz) gzipCache.set(file, (gz = zlib.gzipSync(body, { level: 6 })));
        headers['Content-Encoding'] = 'gzip';
        headers['Vary'] = 'Accept-Encoding';
        return send(res, 200, type, gz, headers);
      }
      return send(res, 200, type, body, headers);
    } catch {
      return send(res, 404, 'text/plain', 'not found');
    }
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    get log() { return state.log; },
    set log(value) { state.log = value; },
    get delayMs() { return state.delayMs; },
    set delayMs(value) { state.delayMs = value; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.sentAt = performance.timeOrigin + performance.now();
  res.end(body);
}
