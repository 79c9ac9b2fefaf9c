// Types for the parts of localtunnel@2.0.2 we build on (the package ships none for lib/). The wrapper replaces
// Tunnel#_init (the control request) and keeps the client's data plane: _getInfo, _establish, TunnelCluster.
declare module 'localtunnel/lib/Tunnel' {
  import { EventEmitter } from 'node:events';
  import type { Socket } from 'node:net';

  namespace Tunnel {
    interface Options {
      host?: string;
      port: number;
      subdomain?: string;
      local_host?: string;
      local_https?: boolean;
      allow_invalid_cert?: boolean;
    }
    /** What `_getInfo` derives from the control response; passed to TunnelCluster. */
    interface Info {
      name: string;
      url: string;
      cached_url?: string;
      max_conn: number;
      remote_host: string | null;
      remote_ip?: string;
      remote_port: number;
      local_port: number;
      local_host?: string;
    }
    /** Emits `open(remoteSocket)`, `dead`, `error(err)`, `request({method, path})`. */
    interface Cluster extends EventEmitter {
      open(): void;
      on(event: 'open', listener: (remote: Socket) => void): this;
      on(event: 'dead', listener: () => void): this;
      on(event: 'error', listener: (err: Error) => void): this;
      on(event: 'request', listener: (req: { method: string; path: string }) => void): this;
    }
  }

  class Tunnel extends EventEmitter {
    constructor(opts: Tunnel.Options);
    opts: Tunnel.Options;
    closed: boolean;
    clientId?: string;
    url?: string;
    cachedUrl?: string;
    tunnelCluster?: Tunnel.Cluster;
    _getInfo(body: unknown): Tunnel.Info;
    _init(cb: (err: Error | null, info?: Tunnel.Info) => void): void;
    _establish(info: Tunnel.Info): void;
    open(cb: (err?: Error) => void): void;
    close(): void;
  }

  export = Tunnel;
}
