// A loopback front for code-server. code-server runs with `--auth none` (npm start and the e2e suite open it
// without a password), so whoever reaches it gets a terminal. It listens on a unix socket in a private folder, and
// this proxy is the only way in: it answers only requests whose Host is the loopback address and port it listens on
// (and whose Origin, when a browser sends one, is that same origin). A DNS-rebinding page (Host: rebind.example:PORT,
// a matching Origin) therefore gets neither the workbench page nor the WebSocket.
import { createServer, request } from 'node:http';
import { connect } from 'node:net';

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

export function allowedHosts(port) {
  return new Set(LOOPBACK.map((h) => `${h}:${port}`));
}

/** Why a request is refused, or null when it may pass. */
export function refusal(headers, port) {
  const hosts = allowedHosts(port);
  const host = String(headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return `Host ${JSON.stringify(host)} is not this loopback server (use http://127.0.0.1:${port}/)`;
  const origin = headers.origin;
  if (origin !== undefined && !LOOPBACK.some((h) => String(origin).toLowerCase() === `http://${h}:${port}`)) {
    return `Origin ${JSON.stringify(String(origin))} is not this loopback server`;
  }
  return null;
}

/** Listens on 127.0.0.1:port (0 = any) and forwards allowed HTTP and WebSocket traffic to the unix socket. */
export async function startHostGuard({ port = 0, socketPath }) {
  const sockets = new Set();
  let listenPort = 0;
  const server = createServer((req, res) => {
    const why = refusal(req.headers, listenPort);
    if (why) {
      req.resume();
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end(`refused: ${why}\n`);
      return;
    }
    // A fresh connection per request (agent: false): with Node's keep-alive global agent, a request sent on a socket
    // that code-server's server closed at the end of its 5 s keep-alive window fails with EPIPE, and the guard would
    // answer 502 for a request code-server never saw.
    const upstream = request({ socketPath, method: req.method, path: req.url, headers: req.headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.rawHeaders);
      up.pipe(res);
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`code-server is not answering: ${err.message}\n`);
    });
    req.pipe(upstream);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket, head) => {
    const why = refusal(req.headers, listenPort);
    if (why) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nrefused: ${why}\n`);
      return;
    }
    const up = connect(socketPath);
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    up.write(lines.join('\r\n') + '\r\n\r\n');
    if (head?.length) up.write(head);
    socket.pipe(up).pipe(socket);
    const close = () => { socket.destroy(); up.destroy(); };
    socket.on('error', close);
    up.on('error', close);
    socket.on('close', close);
    up.on('close', close);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, resolve);
  });
  listenPort = server.address().port;
  return {
    port: listenPort,
    url: `http://127.0.0.1:${listenPort}/`,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
  };
}
