// Keeps a public URL pointed at the receiver: opens a localtunnel (or adopts an external URL), watches it with
// the self-probe, and reopens it with backoff when it dies. The localtunnel client itself never asks for a new
// tunnel after a drop, never rejects on a refused request, and silently accepts a different subdomain; this is
// where those are made visible and repaired.
import { EventEmitter } from 'node:events';
import { Agent } from 'undici';
import { z } from 'zod';
import { fullJitterDelay } from './backoff';
import { LocaltunnelConnection } from './localtunnelConnection';
import { TunnelConnectError } from './localtunnelGrant';
import { probePublicUrl, type ProbeFailureKind, type ProbeResult } from './selfProbe';
import { assertValidLocaltunnelSubdomain, isValidLocaltunnelSubdomain } from './subdomain';
import type { TunnelEvents, TunnelManagerOptions, TunnelState, TunnelStatus, UpInfo } from './types';
import { checkPublicUrl } from '../../protocol/publicUrl';

export const DEFAULT_LOCALTUNNEL_HOST = 'https://localtunnel.me';

/** Probe failures a fresh tunnel can fix; a reminder page or a wrong status from the app cannot. */
const RECONNECTABLE_PROBE_FAILURES: ReadonlySet<ProbeFailureKind> = new Set([
  'tunnel-unavailable',
  'gateway-timeout',
  'bad-gateway',
  'timeout',
  'connection-error',
  'nonce-mismatch',
]);

const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const checked = checkPublicUrl(v);
      if (!checked.ok) ctx.addIssue({ code: 'custom', message: `${what} ${checked.problem}` });
    });

const msField = z.number().int().min(0).optional();
const timingsShape = {
  connectTimeoutMs: z.number().int().positive().optional(),
  controlRetryIntervalMs: msField,
  backoffBaseMs: z.number().int().positive().optional(),
  backoffCapMs: z.number().int().positive().optional(),
  stableAfterMs: msField,
  idReleaseWaitMs: msField,
  emptyPoolGraceMs: msField,
  probeIntervalMs: msField,
  probeTimeoutMs: z.number().int().positive().optional(),
  probeFailuresBeforeReconnect: z.number().int().positive().optional(),
  probeHeaders: z.record(z.string(), z.string()).optional(),
  probeVia: httpUrl('probeVia').optional(),
  probe: z.boolean().optional(),
  random: z.custom<() => number>((v) => typeof v === 'function').optional(),
};
const optionsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('localtunnel'),
    localPort: z.number().int().min(1).max(65535, 'localPort must be the receiver port (1–65535)'),
    localHost: z.string().min(1).optional(),
    host: httpUrl('the tunnel server (--tunnel-host)').optional(),
    subdomain: z.string().optional(),
    keepUrlOnReconnect: z.boolean().optional(),
    ...timingsShape,
  }),
  z.object({ kind: z.literal('external'), publicUrl: httpUrl('the public URL (--public-url)'), ...timingsShape }),
]);

export interface TunnelManager {
  readonly status: TunnelStatus;
  /** Opens the tunnel (or adopts the external URL); resolves with the public URL, rejects with a clear error. */
  start(): Promise<string>;
  /** Closes everything: sockets, timers, in-flight requests. Idempotent. */
  stop(): Promise<void>;
  /** Runs a self-probe now (also reported through the `probe` event). */
  probeNow(): Promise<ProbeResult>;
  /** Drops the current tunnel and opens a new one (e.g. a "Reconnect" command). */
  reconnect(reason?: string): void;
  on<K extends keyof TunnelEvents>(event: K, listener: (...args: TunnelEvents[K]) => void): this;
  once<K extends keyof TunnelEvents>(event: K, listener: (...args: TunnelEvents[K]) => void): this;
  off<K extends keyof TunnelEvents>(event: K, listener: (...args: TunnelEvents[K]) => void): this;
}

/** Pause before a probe that got 502 asks again. */
const BAD_GATEWAY_RETRY_MS = 300;

export function createTunnelManager(options: TunnelManagerOptions): TunnelManager {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`invalid tunnel options: ${issue.path.join('.') || 'options'}: ${issue.message}`);
  }
  if (options.kind === 'localtunnel' && options.subdomain !== undefined) assertValidLocaltunnelSubdomain(options.subdomain);
  return new TunnelManagerImpl(options);
}

/** What the server would have answered for the requested id, for the url-changed event on drift. */
function urlForId(grantedUrl: string, grantedId: string, wantedId: string): string {
  return grantedUrl.includes(`//${grantedId}.`) ? grantedUrl.replace(`//${grantedId}.`, `//${wantedId}.`) : `(subdomain ${wantedId})`;
}

class TunnelManagerImpl extends EventEmitter<TunnelEvents> implements TunnelManager {
  private state: TunnelState = 'starting';
  private started = false;
  private url: string | undefined;
  private connection: LocaltunnelConnection | undefined;
  private connectAbort: AbortController | undefined;
  private readonly dispatcher = new Agent({ connections: 4 });
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stableTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private probeAbort: AbortController | undefined;
  private probing: Promise<ProbeResult> | undefined;
  private probeFailures = 0;
  private attempt = 0;
  private downSince = 0;
  private reconnects = 0;
  private lastError: string | undefined;
  private lastProbe: ProbeResult | undefined;
  private lastClientId: string | undefined;

  constructor(private readonly options: TunnelManagerOptions) {
    super();
  }

  private get host(): string {
    return this.options.kind === 'localtunnel' ? (this.options.host ?? DEFAULT_LOCALTUNNEL_HOST).replace(/\/+$/, '') : '';
  }

  get status(): TunnelStatus {
    const lt = this.options.kind === 'localtunnel' ? this.options : undefined;
    return {
      kind: this.options.kind,
      state: this.state,
      ...(this.url ? { url: this.url } : {}),
      ...(this.connection ? { clientId: this.connection.clientId, maxSockets: this.connection.maxSockets } : {}),
      sockets: this.connection?.socketCount ?? 0,
      ...(lt ? { host: this.host } : {}),
      ...(lt?.subdomain ? { requestedSubdomain: lt.subdomain } : {}),
      ...(this.lastProbe
        ? {
            lastProbe: {
              at: this.lastProbe.at,
              ok: this.lastProbe.ok,
              latencyMs: this.lastProbe.latencyMs,
              ...(this.lastProbe.status !== undefined ? { status: this.lastProbe.status } : {}),
              ...(this.lastProbe.failure ? { failure: this.lastProbe.failure } : {}),
            },
          }
        : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      reconnects: this.reconnects,
    };
  }

  private log(message: string): void {
    this.emit('log', message);
  }

  async start(): Promise<string> {
    if (this.started || this.state === 'stopped') {
      throw new Error('this tunnel manager was already started or stopped; create a new one to start again');
    }
    this.started = true;
    if (this.options.kind === 'external') {
      this.url = new URL(this.options.publicUrl.trim()).toString().replace(/\/$/, '');
      this.state = 'up';
      this.emit('up', this.url, { reconnected: false });
      this.scheduleProbe(0);
      return this.url;
    }
    try {
      const connection = await this.connectOnce();
      this.adopt(connection, { reconnected: false });
      return this.url!;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // stop() may have run while we awaited.
      if ((this.state as TunnelState) !== 'stopped') {
        this.state = 'down';
        this.lastError = message;
      }
      throw err instanceof TunnelConnectError ? err : new Error(message);
    }
  }

  private async connectOnce(): Promise<LocaltunnelConnection> {
    if (this.options.kind !== 'localtunnel') throw new Error('not a localtunnel manager');
    const o = this.options;
    const sticky =
      !o.subdomain && o.keepUrlOnReconnect !== false && this.lastClientId && isValidLocaltunnelSubdomain(this.lastClientId)
        ? this.lastClientId
        : undefined;
    const subdomain = o.subdomain ?? sticky;
    this.connectAbort = new AbortController();
    const open = (sub: string | undefined) =>
      LocaltunnelConnection.open({
        host: this.host,
        ...(sub ? { subdomain: sub } : {}),
        localPort: o.localPort,
        ...(o.localHost ? { localHost: o.localHost } : {}),
        connectTimeoutMs: o.connectTimeoutMs ?? 15_000,
        ...(o.controlRetryIntervalMs !== undefined ? { controlRetryIntervalMs: o.controlRetryIntervalMs } : {}),
        ...(o.emptyPoolGraceMs !== undefined ? { emptyPoolGraceMs: o.emptyPoolGraceMs } : {}),
        signal: this.connectAbort!.signal,
        dispatcher: this.dispatcher,
        onLog: (m) => this.log(m),
      });
    try {
      return await open(subdomain);
    } catch (err) {
      // Our own earlier id being refused is no reason to fail: ask for any id.
      if (sticky && err instanceof TunnelConnectError && !err.retryable && !this.connectAbort.signal.aborted) {
        this.log(`could not get the previous id "${sticky}" back (${err.message}); asking for a new one`);
        return await open(undefined);
      }
      throw err;
    }
  }

  private adopt(connection: LocaltunnelConnection, info: UpInfo): void {
    if (this.state === 'stopped') {
      connection.close();
      return;
    }
    const o = this.options.kind === 'localtunnel' ? this.options : undefined;
    const previousUrl = this.url;
    this.connection = connection;
    this.lastClientId = connection.clientId;
    this.url = connection.url;
    this.state = 'up';
    this.lastError = undefined;
    this.probeFailures = 0;
    connection.on('fatal', (reason, serverClosed) => {
      if (this.connection === connection) this.drop(reason, !serverClosed);
    });
    // Sockets are recycled all the time (Connection: close, idle timeouts); only an empty pool is worth a line.
    connection.on('sockets', (n) => {
      if (this.connection === connection && n === 0) this.log(`tunnel sockets 0/${connection.maxSockets}: the client is reopening them`);
    });
    this.emit('up', connection.url, { ...info, clientId: connection.clientId });
    if (o?.subdomain && connection.clientId !== o.subdomain) {
      this.log(
        `the tunnel server gave id "${connection.clientId}" instead of the requested subdomain "${o.subdomain}" ` +
          '(it is taken, possibly by a stale session); registered webhook URLs must follow the new one',
      );
      if (!previousUrl) this.emit('url-changed', urlForId(connection.url, connection.clientId, o.subdomain), connection.url);
    }
    if (previousUrl && previousUrl !== connection.url) this.emit('url-changed', previousUrl, connection.url);
    clearTimeout(this.stableTimer);
    this.stableTimer = setTimeout(() => {
      this.attempt = 0;
    }, this.options.stableAfterMs ?? 60_000);
    this.scheduleProbe(0);
  }

  /** `serverMayHoldId`: we closed the tunnel ourselves, so the server keeps its id for its grace period. */
  private drop(reason: string, serverMayHoldId = true): void {
    if (this.state === 'stopped' || this.state === 'reconnecting') return;
    this.connection?.close();
    clearTimeout(this.stableTimer);
    clearTimeout(this.probeTimer);
    this.probeAbort?.abort();
    this.probing = undefined;
    this.state = 'reconnecting';
    this.lastError = reason;
    this.downSince = Date.now();
    this.emit('down', reason);
    this.scheduleReconnect(serverMayHoldId ? (this.options.idReleaseWaitMs ?? 1500) : 0);
  }

  /** `minDelayMs`: asking for our id again before the server released it would get a new URL. */
  private scheduleReconnect(minDelayMs = 0): void {
    const jitter = fullJitterDelay(this.attempt, {
      ...(this.options.backoffBaseMs !== undefined ? { baseMs: this.options.backoffBaseMs } : {}),
      ...(this.options.backoffCapMs !== undefined ? { capMs: this.options.backoffCapMs } : {}),
      ...(this.options.random ? { random: this.options.random } : {}),
    });
    const wantsSameId = this.options.kind === 'localtunnel' && (this.options.subdomain || this.options.keepUrlOnReconnect !== false);
    const delay = wantsSameId ? Math.max(jitter, minDelayMs) : jitter;
    this.attempt++;
    const attemptsThisOutage = this.attempt;
    this.log(`reopening the tunnel in ${delay} ms (attempt ${attemptsThisOutage})`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connectOnce().then(
        (connection) => {
          if (this.state === 'stopped') {
            connection.close();
            return;
          }
          this.reconnects++;
          this.adopt(connection, { reconnected: true, downtimeMs: Date.now() - this.downSince, attempts: attemptsThisOutage });
        },
        (err: unknown) => {
          if (this.state === 'stopped') return;
          const message = err instanceof Error ? err.message : String(err);
          this.lastError = message;
          if (err instanceof TunnelConnectError && !err.retryable) {
            this.state = 'down';
            this.emit('down', `${message} (not retrying; fix it and reconnect)`);
            return;
          }
          this.log(`reconnect failed: ${message}`);
          this.scheduleReconnect();
        },
      );
    }, delay);
  }

  reconnect(reason = 'reconnect requested'): void {
    if (this.options.kind !== 'localtunnel' || this.state === 'stopped' || this.state === 'reconnecting') return;
    if (this.state === 'up') {
      this.drop(reason, true);
      return;
    }
    if (this.state === 'down' && this.started) {
      // After a final failure (or a failed start): a fresh outage, fresh backoff.
      this.attempt = 0;
      this.state = 'reconnecting';
      this.downSince = Date.now();
      this.scheduleReconnect();
    }
  }

  private scheduleProbe(delayMs: number): void {
    if (this.options.probe === false || this.state === 'stopped') return;
    clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      void this.probeNow().catch(() => undefined);
    }, delayMs);
  }

  probeNow(): Promise<ProbeResult> {
    if (!this.url) return Promise.reject(new Error('the tunnel has no public URL yet'));
    if (this.probing) return this.probing;
    const url = this.url;
    const abort = new AbortController();
    this.probeAbort = abort;
    const probeOnce = () =>
      probePublicUrl({
        publicUrl: url,
        ...(this.options.probeVia ? { via: this.options.probeVia } : {}),
        ...(this.options.probeHeaders ? { headers: this.options.probeHeaders } : {}),
        timeoutMs: this.options.probeTimeoutMs ?? 10_000,
        dispatcher: this.dispatcher,
        signal: abort.signal,
      });
    // A proxy in front of the receiver (code-server's /proxy/PORT/) can answer one request 502 when it reuses a
    // connection at the wrong moment; a 502 is asked once more before it is reported, as a sender's retry would.
    const probing: Promise<ProbeResult> = probeOnce().then(async (first) => {
      if (first.ok || first.failure?.kind !== 'bad-gateway' || abort.signal.aborted) return first;
      await new Promise((resolve) => setTimeout(resolve, BAD_GATEWAY_RETRY_MS));
      return abort.signal.aborted ? first : probeOnce();
    }).then((result) => {
      if (this.probing === probing) this.probing = undefined;
      // A probe that straddled a reconnect says nothing about the new tunnel.
      if (this.state === 'stopped' || this.url !== url || abort.signal.aborted) return result;
      this.lastProbe = result;
      this.emit('probe', result);
      this.afterProbe(result);
      return result;
    });
    this.probing = probing;
    return probing;
  }

  private afterProbe(result: ProbeResult): void {
    const interval = this.options.probeIntervalMs ?? 60_000;
    if (result.ok) {
      this.probeFailures = 0;
      if (interval > 0) this.scheduleProbe(interval);
      return;
    }
    const failure = result.failure!;
    if (this.options.kind === 'localtunnel' && this.state === 'up' && RECONNECTABLE_PROBE_FAILURES.has(failure.kind)) {
      this.probeFailures++;
      const limit = this.options.probeFailuresBeforeReconnect ?? 2;
      if (this.probeFailures >= limit) {
        this.drop(`self-probe failed ${this.probeFailures} times in a row: ${failure.message}`, true);
        return;
      }
    }
    // A failed probe is re-checked sooner than the normal period so a dead tunnel is caught in seconds.
    if (interval > 0) this.scheduleProbe(Math.min(interval, 5000));
    else if (this.probeFailures > 0) this.scheduleProbe(Math.min(this.options.probeTimeoutMs ?? 10_000, 5000));
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.connectAbort?.abort();
    this.probeAbort?.abort();
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.stableTimer);
    clearTimeout(this.probeTimer);
    this.connection?.close();
    await this.probing?.catch(() => undefined);
    await this.dispatcher.destroy().catch(() => undefined);
  }
}
