// One localtunnel session: our bounded control request, then the real localtunnel client's data plane
// (TunnelCluster: N raw TCP sockets to the server, each piped to the local receiver). The session reports a
// single `fatal` when it can no longer deliver; reopening is the manager's job, because the client never asks
// the server for a new tunnel by itself.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import Tunnel from 'localtunnel/lib/Tunnel';
import { TunnelConnectError, formatSeconds, requestLocaltunnelGrant, type LocaltunnelGrant } from './localtunnelGrant';

export interface LocaltunnelConnectOptions {
  host: string;
  subdomain?: string;
  localPort: number;
  /** The receiver's host. Loopback names are reached without `local_host` (see below). */
  localHost?: string;
  /** Grant plus the first data socket must happen within this. */
  connectTimeoutMs: number;
  controlRetryIntervalMs?: number;
  /** A pool that stays empty this long counts as dead (the client reopens sockets itself, so a dip is normal). */
  emptyPoolGraceMs?: number;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
  onLog?: (message: string) => void;
}

/** With `local_host` the client rewrites the Host header on the first request of each socket only; loopback
 * receivers are reached without it so every request shows the public Host consistently. */
export function localHostOption(localHost?: string): string | undefined {
  if (!localHost || localHost === 'localhost' || localHost === '127.0.0.1') return undefined;
  return localHost;
}

class GrantedTunnel extends Tunnel {
  constructor(
    opts: Tunnel.Options,
    private readonly grant: LocaltunnelGrant,
  ) {
    super(opts);
  }

  override _init(cb: (err: Error | null, info?: Tunnel.Info) => void): void {
    cb(null, this._getInfo(this.grant));
  }
}

export interface LocaltunnelConnectionEvents {
  /** The session cannot deliver any more (socket error, pool gone); emitted once, after which it is closed. */
  /** `serverClosed`: the server refused our sockets, so it has already let the id go. */
  fatal: [reason: string, serverClosed: boolean];
  sockets: [count: number];
  request: [req: { method: string; path: string }];
}

export class LocaltunnelConnection extends EventEmitter<LocaltunnelConnectionEvents> {
  private readonly sockets = new Set<Socket>();
  private closed = false;
  private emptySince: NodeJS.Timeout | undefined;

  private constructor(
    private readonly tunnel: GrantedTunnel,
    readonly grant: LocaltunnelGrant,
    private readonly emptyPoolGraceMs: number,
  ) {
    super();
  }

  get clientId(): string {
    return this.grant.id;
  }
  get url(): string {
    return this.grant.url;
  }
  get socketCount(): number {
    return this.sockets.size;
  }
  get maxSockets(): number {
    return this.grant.max_conn_count ?? 1;
  }
  get dataAddress(): string {
    return `${this.grant.ip ?? new URL(this.tunnel.opts.host!).hostname}:${this.grant.port}`;
  }

  static async open(options: LocaltunnelConnectOptions): Promise<LocaltunnelConnection> {
    const startedAt = Date.now();
    const deadline = startedAt + options.connectTimeoutMs;
    const grant = await requestLocaltunnelGrant({
      host: options.host,
      ...(options.subdomain ? { subdomain: options.subdomain } : {}),
      deadline,
      ...(options.controlRetryIntervalMs !== undefined ? { retryIntervalMs: options.controlRetryIntervalMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      onAttemptFailed: (problem) => options.onLog?.(`tunnel server not ready: ${problem}; retrying`),
    });
    const localHost = localHostOption(options.localHost);
    const tunnel = new GrantedTunnel(
      { host: options.host, port: options.localPort, ...(localHost ? { local_host: localHost } : {}) },
      grant,
    );
    const connection = new LocaltunnelConnection(tunnel, grant, options.emptyPoolGraceMs ?? 5000);
    await connection.establish(deadline, options.connectTimeoutMs, options.signal);
    return connection;
  }

  private establish(deadline: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (message: string, retryable: boolean) => {
        if (settled) return;
        settled = true;
        cleanup();
        this.close();
        reject(new TunnelConnectError(message, retryable));
      };
      const timer = setTimeout(
        () =>
          fail(
            `tunnel server ${this.tunnel.opts.host} granted tunnel "${this.clientId}" but no data socket to ` +
              `${this.dataAddress} connected within ${formatSeconds(timeoutMs)}: ` +
              'a firewall may block that port; check it and the server',
            true,
          ),
        Math.max(0, deadline - Date.now()),
      );
      const onAbort = () => fail('tunnel connect cancelled', false);
      signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };

      this.tunnel.on('error', (err: Error) => {
        if (!settled) {
          fail(
            `tunnel server ${this.tunnel.opts.host} granted tunnel "${this.clientId}" but its data port failed: ` +
              `${err.message}`,
            true,
          );
          return;
        }
        // The client only reports refused connections: the server closed the tunnel port.
        this.die(`tunnel socket error: ${err.message}`, true);
      });
      this.tunnel.open((err) => {
        if (err) fail(`localtunnel client failed to open: ${err.message}`, true);
      });
      const cluster = this.tunnel.tunnelCluster;
      if (!cluster) {
        fail('localtunnel client did not start its socket pool (unsupported localtunnel version?)', false);
        return;
      }
      cluster.on('open', (remote) => {
        this.track(remote);
        if (!settled) {
          settled = true;
          cleanup();
          resolve();
        }
      });
      cluster.on('request', (req) => this.emit('request', req));
    });
  }

  private track(remote: Socket): void {
    if (this.closed) return;
    this.sockets.add(remote);
    this.poolChanged();
    remote.once('close', () => {
      this.sockets.delete(remote);
      this.poolChanged();
    });
  }

  private poolChanged(): void {
    if (this.closed) return;
    this.emit('sockets', this.sockets.size);
    if (this.sockets.size > 0) {
      clearTimeout(this.emptySince);
      this.emptySince = undefined;
    } else if (!this.emptySince) {
      this.emptySince = setTimeout(
        () => this.die(`no tunnel socket to ${this.dataAddress} for ${formatSeconds(this.emptyPoolGraceMs)}`, false),
        this.emptyPoolGraceMs,
      );
    }
  }

  private die(reason: string, serverClosed: boolean): void {
    if (this.closed) return;
    this.close();
    this.emit('fatal', reason, serverClosed);
  }

  /** Closes every data socket; the client's cluster stops reopening them. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.emptySince);
    this.emptySince = undefined;
    this.tunnel.close();
    // Sockets still connecting are not yet known to the client's close handler.
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}
