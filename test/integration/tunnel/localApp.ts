// The local side of the tunnel tests: a real HTTP server on 127.0.0.1:0 that records what arrives and answers the
// self-probe path the way the receiver does (the nonce in the body).
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROBE_PATH_PREFIX } from '../../../src/core/receiver/types';

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  bodyLength: number;
  bodySha256: string;
  body: Buffer;
  remotePort: number | undefined;
}

export interface LocalAppOptions {
  /** Answer with `Connection: close` so every tunnel socket is used once. */
  connectionClose?: boolean;
  /** Probe answers: echo (default), 'wrong' (200 without the nonce), 'silent' (never answer). */
  probe?: 'echo' | 'wrong' | 'silent';
}

export class LocalApp {
  readonly seen: SeenRequest[] = [];
  readonly probes: string[] = [];
  /** Connections accepted so far, and those still open (tunnel sockets map one to one onto them). */
  accepted = 0;
  open = 0;
  private constructor(
    private readonly server: http.Server,
    readonly options: LocalAppOptions,
  ) {}

  static async start(options: LocalAppOptions = {}): Promise<LocalApp> {
    const server = http.createServer();
    const app = new LocalApp(server, options);
    server.on('request', (req, res) => app.handle(req, res));
    server.on('connection', (socket) => {
      app.accepted++;
      app.open++;
      socket.once('close', () => app.open--);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return app;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const extra = this.options.connectionClose ? { connection: 'close' } : {};
      const url = req.url ?? '/';
      if (url.startsWith(PROBE_PATH_PREFIX)) {
        const nonce = url.slice(PROBE_PATH_PREFIX.length);
        this.probes.push(nonce);
        if (this.options.probe === 'silent') return;
        res.writeHead(200, { 'content-type': 'text/plain', ...extra });
        // Same answer as src/core/receiver's probe handler.
        res.end(this.options.probe === 'wrong' ? 'OK' : `kwh-probe ${nonce}`);
        return;
      }
      this.seen.push({
        method: req.method ?? '',
        url,
        headers: req.headers,
        bodyLength: body.length,
        bodySha256: createHash('sha256').update(body).digest('hex'),
        body,
        remotePort: req.socket.remotePort,
      });
      res.writeHead(200, { 'content-type': 'text/plain', ...extra });
      res.end('OK');
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
