// A loopback localtunnel server, faithful to localtunnel/server (master) and the loca.lt fork where they matter
// (tunnels.md §c.2–c.3), so the REAL localtunnel client can be driven through every failure mode:
// - control: `GET /?new`, `GET /:id` (the server's regex; 403 `{message}`), `/api/status`, `/api/tunnels/:id/status`
// - per client: a TCP server on 127.0.0.1:0 that accepts up to max_conn_count sockets; a client is removed when
//   no socket arrives within the grace period or all of its sockets are gone for that long
// - public side: HTTP on 127.0.0.1:0, routed by the Host subdomain (`<id>.localhost:<port>`) through an http.Agent
//   whose createConnection hands out idle tunnel sockets (queueing when none is idle), like the server's TunnelAgent
// - the fork's 503 `X-Localtunnel-Status: Tunnel Unavailable` for unknown ids, its idle-socket recycling, and the
//   loca.lt reminder page (401 HTML for browser User-Agents without Bypass-Tunnel-Reminder)
// `*.localhost` does not resolve through Node's resolver here, so tests reach the public side at `publicOrigin`
// with the Host header set (see `publicRequest`, and the tunnel manager's `probeVia`).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export const SERVER_SUBDOMAIN_PATTERN = /^(?:[a-z0-9][a-z0-9-]{4,63}[a-z0-9]|[a-z0-9]{4,63})$/;
const INVALID_SUBDOMAIN_MESSAGE =
  'Invalid subdomain. Subdomains must be lowercase and between 4 and 63 alphanumeric characters.';

/** detect-browser's rule in short: a known browser token followed by whitespace or the end of the string. */
const BROWSER_UA = /(?:Firefox|Chrome|Chromium|Edg|OPR|Version)\/[0-9.]+(?:\s|$)/;

export const REMINDER_PAGE_HTML =
  '<!DOCTYPE html><html><head><title>localtunnel</title></head><body><h1>Friendly Reminder</h1>' +
  '<p>This website is served for free via a localtunnel. FYI, this page returns a 401 HTTP Status.</p>' +
  '<p>Set and send a Bypass-Tunnel-Reminder request header (its value can be anything).</p></body></html>';

export interface FakeLocaltunnelServerOptions {
  /** max_conn_count returned to clients. Default 3. */
  maxConnCount?: number;
  /** Removal grace (master: 1 s). Default 1000 ms. */
  gracePeriodMs?: number;
  /** The fork destroys idle tunnel sockets (60 s there). Default 0 = never. */
  idleSocketTimeoutMs?: number;
  /** Answer browser User-Agents with the 401 reminder page unless Bypass-Tunnel-Reminder is present. */
  reminder?: boolean;
  /** Include `ip` in grants (the fork does). Default false. */
  includeIp?: boolean;
  /** A public request no tunnel socket answers gets a 504 after this (the front proxy's timeout). Default 5000 ms. */
  gatewayTimeoutMs?: number;
}

export type ControlMode = 'normal' | 'hang' | 'unavailable';

export interface ControlRequestRecord {
  path: string;
  userAgent?: string;
  at: number;
}

export interface PublicResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

class TunnelAgent extends http.Agent {
  private readonly idle: net.Socket[] = [];
  private readonly waiting: Array<(err: Error | null, socket: Duplex) => void> = [];
  private closed = false;

  constructor() {
    super({ keepAlive: true, maxFreeSockets: 1 });
  }

  addSocket(socket: net.Socket): void {
    socket.once('close', () => {
      const i = this.idle.indexOf(socket);
      if (i !== -1) this.idle.splice(i, 1);
    });
    const waiter = this.waiting.shift();
    if (waiter) waiter(null, socket);
    else this.idle.push(socket);
  }

  override createConnection(
    _options: http.ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    if (this.closed) {
      callback?.(new Error('tunnel closed'), undefined as unknown as Duplex);
      return undefined;
    }
    const socket = this.idle.shift();
    if (socket) callback?.(null, socket);
    else if (callback) this.waiting.push(callback);
    return undefined;
  }

  override destroy(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter(new Error('tunnel closed'), undefined as unknown as Duplex);
    for (const s of this.idle.splice(0)) s.destroy();
    super.destroy();
  }
}

interface FakeClient {
  id: string;
  tcp: net.Server;
  port: number;
  sockets: Set<net.Socket>;
  agent: TunnelAgent;
  graceTimer: NodeJS.Timeout | undefined;
  everConnected: boolean;
}

export class FakeLocaltunnelServer {
  readonly controlRequests: ControlRequestRecord[] = [];
  /** Ids the server answers with 403 even though they match the regex (a stricter server). */
  readonly rejectedIds = new Set<string>();
  /** Ids treated as taken: requesting one gets a random id instead, silently, like the real server. */
  readonly takenIds = new Set<string>();
  reminder: boolean;
  controlMode: ControlMode = 'normal';
  /** Public requests that reached a tunnel socket. */
  deliveredCount = 0;

  private readonly clients = new Map<string, FakeClient>();
  private readonly forgotten: FakeClient[] = [];
  private readonly hangingControl = new Set<http.ServerResponse>();
  private readonly maxConnCount: number;
  private readonly gracePeriodMs: number;
  private readonly idleSocketTimeoutMs: number;
  private readonly includeIp: boolean;
  private readonly gatewayTimeoutMs: number;

  private constructor(
    private readonly control: http.Server,
    private readonly publicSide: http.Server,
    options: FakeLocaltunnelServerOptions,
  ) {
    this.maxConnCount = options.maxConnCount ?? 3;
    this.gracePeriodMs = options.gracePeriodMs ?? 1000;
    this.idleSocketTimeoutMs = options.idleSocketTimeoutMs ?? 0;
    this.includeIp = options.includeIp ?? false;
    this.gatewayTimeoutMs = options.gatewayTimeoutMs ?? 5000;
    this.reminder = options.reminder ?? false;
  }

  static async start(options: FakeLocaltunnelServerOptions = {}): Promise<FakeLocaltunnelServer> {
    const control = http.createServer();
    const publicSide = http.createServer();
    const server = new FakeLocaltunnelServer(control, publicSide, options);
    control.on('request', (req, res) => server.handleControl(req, res));
    publicSide.on('request', (req, res) => server.handlePublic(req, res));
    await Promise.all([listen(control), listen(publicSide)]);
    return server;
  }

  /** The `host` option for the client. */
  get controlUrl(): string {
    return `http://127.0.0.1:${(this.control.address() as AddressInfo).port}`;
  }
  get publicPort(): number {
    return (this.publicSide.address() as AddressInfo).port;
  }
  /** Where the public side really listens (send with a `<id>.localhost` Host header). */
  get publicOrigin(): string {
    return `http://127.0.0.1:${this.publicPort}`;
  }
  publicUrlFor(id: string): string {
    return `http://${id}.localhost:${this.publicPort}`;
  }
  clientIds(): string[] {
    return [...this.clients.keys()];
  }
  hasClient(id: string): boolean {
    return this.clients.has(id);
  }
  tunnelPort(id: string): number | undefined {
    return this.clients.get(id)?.port;
  }
  socketCount(id: string): number {
    return this.clients.get(id)?.sockets.size ?? 0;
  }

  async waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > until) throw new Error(`fake localtunnel server: timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  waitForSockets(id: string, count: number, timeoutMs = 5000): Promise<void> {
    return this.waitFor(() => this.socketCount(id) === count, `${count} sockets on "${id}" (have ${this.socketCount(id)})`, timeoutMs);
  }

  /** Closes the client's tunnel port and every socket, and forgets the id: what a server restart looks like. */
  dropClient(id: string): void {
    const client = this.clients.get(id);
    if (!client) throw new Error(`fake localtunnel server: no client "${id}" (have: ${this.clientIds().join(', ') || 'none'})`);
    this.removeClient(client);
  }

  /** Forgets the id while leaving its port and sockets alone: the client looks fine, the public side says 503. */
  forgetClient(id: string): void {
    const client = this.clients.get(id);
    if (!client) throw new Error(`fake localtunnel server: no client "${id}"`);
    this.clients.delete(id);
    this.forgotten.push(client);
  }

  /** Destroys the client's sockets but keeps its port open (the client reopens them: recycling). */
  recycleSockets(id: string): void {
    for (const s of this.clients.get(id)?.sockets ?? []) s.destroy();
  }

  /** Sends a request to the public side as the internet would, addressed to `<id>.localhost`. */
  async publicRequest(
    id: string,
    init: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
  ): Promise<PublicResponse> {
    const body = init.body === undefined ? undefined : Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body);
    return new Promise<PublicResponse>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.publicPort,
          method: init.method ?? 'POST',
          path: init.path ?? '/',
          agent: false,
          headers: {
            host: `${id}.localhost:${this.publicPort}`,
            ...(body ? { 'content-length': String(body.length) } : {}),
            ...init.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async close(): Promise<void> {
    for (const client of [...this.clients.values(), ...this.forgotten]) this.removeClient(client);
    for (const res of this.hangingControl) res.destroy();
    this.hangingControl.clear();
    this.control.closeAllConnections();
    this.publicSide.closeAllConnections();
    await Promise.all([closeServer(this.control), closeServer(this.publicSide)]);
  }

  private handleControl(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://control');
    this.controlRequests.push({ path: req.url ?? '/', userAgent: req.headers['user-agent'], at: Date.now() });
    if (this.controlMode === 'hang') {
      this.hangingControl.add(res);
      res.on('close', () => this.hangingControl.delete(res));
      return;
    }
    if (this.controlMode === 'unavailable') return sendJson(res, 503, { message: 'service unavailable' });

    if (url.pathname === '/api/status') return sendJson(res, 200, { tunnels: this.clients.size });
    const statusMatch = /^\/api\/tunnels\/([^/]+)\/status$/.exec(url.pathname);
    if (statusMatch) {
      const client = this.clients.get(statusMatch[1]!);
      return client ? sendJson(res, 200, { connected_sockets: client.sockets.size }) : sendJson(res, 404, {});
    }
    if (url.pathname === '/') {
      if (url.searchParams.has('new')) return void this.grant(randomId(), res);
      res.writeHead(302, { location: 'https://localtunnel.github.io/www/' }).end();
      return;
    }
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts.length !== 1) return sendJson(res, 404, {});
    const requested = parts[0]!;
    if (!SERVER_SUBDOMAIN_PATTERN.test(requested) || this.rejectedIds.has(requested)) {
      return sendJson(res, 403, { message: INVALID_SUBDOMAIN_MESSAGE });
    }
    // The real server: `if (clients[id]) id = hri.random()`, without telling the client.
    const id = this.clients.has(requested) || this.takenIds.has(requested) ? randomId() : requested;
    void this.grant(id, res);
  }

  private async grant(id: string, res: http.ServerResponse): Promise<void> {
    const client = await this.createClient(id);
    sendJson(res, 200, {
      id,
      port: client.port,
      max_conn_count: this.maxConnCount,
      url: this.publicUrlFor(id),
      ...(this.includeIp ? { ip: '127.0.0.1' } : {}),
    });
  }

  private async createClient(id: string): Promise<FakeClient> {
    const sockets = new Set<net.Socket>();
    const agent = new TunnelAgent();
    const tcp = net.createServer((socket) => {
      if (sockets.size >= this.maxConnCount) {
        socket.destroy();
        return;
      }
      client.everConnected = true;
      clearTimeout(client.graceTimer);
      client.graceTimer = undefined;
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      if (this.idleSocketTimeoutMs > 0) socket.setTimeout(this.idleSocketTimeoutMs, () => socket.destroy());
      socket.once('close', () => {
        sockets.delete(socket);
        if (sockets.size === 0 && this.clients.get(id) === client) this.armGrace(client);
      });
      agent.addSocket(socket);
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const client: FakeClient = {
      id,
      tcp,
      port: (tcp.address() as AddressInfo).port,
      sockets,
      agent,
      graceTimer: undefined,
      everConnected: false,
    };
    this.clients.set(id, client);
    this.armGrace(client);
    return client;
  }

  private armGrace(client: FakeClient): void {
    clearTimeout(client.graceTimer);
    client.graceTimer = setTimeout(() => {
      if (client.sockets.size === 0 && this.clients.get(client.id) === client) this.removeClient(client);
    }, this.gracePeriodMs);
  }

  private removeClient(client: FakeClient): void {
    clearTimeout(client.graceTimer);
    if (this.clients.get(client.id) === client) this.clients.delete(client.id);
    client.tcp.close();
    client.agent.destroy();
    for (const s of client.sockets) s.destroy();
  }

  private handlePublic(req: http.IncomingMessage, res: http.ServerResponse): void {
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
    const id = hostname.endsWith('.localhost') ? hostname.slice(0, -'.localhost'.length) : '';
    const ua = req.headers['user-agent'] ?? '';
    if (this.reminder && BROWSER_UA.test(ua) && !req.headers['bypass-tunnel-reminder']) {
      req.resume();
      res.writeHead(401, { 'content-type': 'text/html; charset=utf-8' }).end(REMINDER_PAGE_HTML);
      return;
    }
    const client = this.clients.get(id);
    if (!client) {
      req.resume();
      res.writeHead(503, { 'x-localtunnel-status': 'Tunnel Unavailable', 'content-type': 'text/plain' });
      res.end('503 - Tunnel Unavailable');
      return;
    }
    const proxied = http.request(
      { method: req.method, path: req.url, headers: req.headers, agent: client.agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    proxied.once('socket', () => {
      this.deliveredCount++;
    });
    // The real server never answers a request no socket takes; its front proxy gives up with a 504.
    const gatewayTimeout = () => {
      if (!res.headersSent) res.writeHead(504, { 'content-type': 'text/html' }).end('<html><body><h1>504 Gateway Time-out</h1></body></html>');
      else res.destroy();
    };
    const timer = setTimeout(() => {
      proxied.destroy();
      gatewayTimeout();
    }, this.gatewayTimeoutMs);
    res.on('close', () => clearTimeout(timer));
    proxied.on('error', () => {
      clearTimeout(timer);
      gatewayTimeout();
    });
    req.pipe(proxied);
  }
}

function randomId(): string {
  // hri-style: lowercase words are not needed, only a valid, unguessable id.
  return `kwh-${randomBytes(5).toString('hex')}`;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function listen(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

function closeServer(server: http.Server | net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
