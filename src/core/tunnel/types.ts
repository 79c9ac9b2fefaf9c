// The tunnel manager's contract: what the CLI, the VS Code side and the registration code rely on.
import type { ProbeFailureKind, ProbeResult } from './selfProbe';

export type TunnelKind = 'localtunnel' | 'external';

export type TunnelState = 'starting' | 'up' | 'reconnecting' | 'down' | 'stopped';

export interface TunnelTimings {
  /** Grant plus first data socket. Default 15 000 ms. */
  connectTimeoutMs?: number;
  /** Pause between control-request attempts after a network error or 5xx. Default 1000 ms. */
  controlRetryIntervalMs?: number;
  /** Reconnect backoff: exponential with full jitter. Defaults 500 ms, cap 30 000 ms. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /**
   * After closing a tunnel ourselves (probe failures, empty pool, manual reconnect), wait at least this long before
   * asking for the same id again: the server keeps it for its grace period (1 s in localtunnel/server) and would
   * hand out a random one meanwhile. Default 1500 ms.
   */
  idReleaseWaitMs?: number;
  /** A tunnel that stayed up this long resets the backoff. Default 60 000 ms. */
  stableAfterMs?: number;
  /** An empty socket pool that long is a dead tunnel. Default 5000 ms. */
  emptyPoolGraceMs?: number;
  /** Self-probe period; 0 disables the periodic probe (the first one still runs). Default 60 000 ms. */
  probeIntervalMs?: number;
  /** Default 10 000 ms. */
  probeTimeoutMs?: number;
  /** Consecutive failed probes (of a kind reconnecting can fix) before the tunnel is reopened. Default 2. */
  probeFailuresBeforeReconnect?: number;
}

interface CommonOptions extends TunnelTimings {
  /** Headers the self-probe sends; default: what Kaltura sends after registration (see DEFAULT_PROBE_HEADERS). */
  probeHeaders?: Record<string, string>;
  /** Test hook: send probes to this origin with the public Host header (see SelfProbeOptions.via). */
  probeVia?: string;
  /** False skips the self-probe entirely. Default true. */
  probe?: boolean;
  /** Randomness for the backoff jitter; tests pass a fixed one. */
  random?: () => number;
}

export interface LocaltunnelOptions extends CommonOptions {
  kind: 'localtunnel';
  /** The receiver to expose. */
  localPort: number;
  localHost?: string;
  /** Control-server base URL. Default https://localtunnel.me. */
  host?: string;
  /** Requested subdomain; checked against the server's rule before connecting. */
  subdomain?: string;
  /**
   * After a drop, ask for the id we had (when no subdomain was requested) so the public URL survives the
   * reconnect if the server still has it free. Default true.
   */
  keepUrlOnReconnect?: boolean;
}

export interface ExternalUrlOptions extends CommonOptions {
  kind: 'external';
  /** A public base URL the user already has (VS Code port forwarding, ngrok, cloudflared, a reverse proxy). */
  publicUrl: string;
}

export type TunnelManagerOptions = LocaltunnelOptions | ExternalUrlOptions;

export interface TunnelStatus {
  kind: TunnelKind;
  state: TunnelState;
  url?: string;
  clientId?: string;
  /** Live data sockets (localtunnel) and what the server allows. */
  sockets: number;
  maxSockets?: number;
  /** The server that grants tunnels (localtunnel). */
  host?: string;
  requestedSubdomain?: string;
  lastProbe?: Pick<ProbeResult, 'at' | 'ok' | 'latencyMs' | 'status' | 'failure'>;
  /** Why the tunnel is down or reconnecting. */
  lastError?: string;
  reconnects: number;
}

export interface UpInfo {
  clientId?: string;
  /** True when this `up` ends an outage. */
  reconnected: boolean;
  /** Outage length, from `down` to this `up`. */
  downtimeMs?: number;
  /** Connect attempts this outage took. */
  attempts?: number;
}

export interface TunnelEvents {
  up: [url: string, info: UpInfo];
  down: [reason: string];
  /** Fires on a reconnect with a new URL and when the server replaced the requested subdomain. */
  'url-changed': [oldUrl: string, newUrl: string];
  probe: [result: ProbeResult];
  log: [message: string];
}

export type { ProbeFailureKind, ProbeResult };
