// Where the KS for API calls comes from, and keeping it fresh. Three ways (kaltura-protocol.md §3.3–3.5):
// a v2 KS generated locally from the admin secret (the secret never leaves the machine), `session.start`
// (sends the secret to the server), or an app token (widget session → tokenHash → appToken.startSession).
// Sessions are renewed before they expire; when the server still says INVALID_KS, the session is re-created
// once and the call repeated.
import { KalturaApiClient, type CallOptions } from './apiClient';
import { isKalturaApiError } from './errors';
import { appTokenHash, decodeKs, generateKsV2, isKsError, KS_TYPE_ADMIN, type AppTokenHashType } from './ks';
import { ksStringSchema, sessionInfoSchema, widgetSessionSchema } from './schemas';

interface SessionCommon {
  partnerId: number;
  /** Default "" (no user). */
  userId?: string;
  /** KalturaSessionType; default ADMIN (2). */
  type?: number;
  /** Default "disableentitlement". */
  privileges?: string;
  /** Lifetime requested for each session, seconds. Default 86400 (local KS) / 86400 (server sessions). */
  expirySeconds?: number;
}

export type SessionConfig =
  | ({ kind: 'localAdminSecret'; adminSecret: string } & SessionCommon)
  | ({ kind: 'sessionStart'; secret: string } & SessionCommon)
  | ({ kind: 'appToken'; appTokenId: string; appToken: string; hashType?: AppTokenHashType } & SessionCommon)
  /** A KS the user pasted; cannot be renewed. */
  | { kind: 'fixedKs'; partnerId: number; ks: string };

export interface SessionProviderOptions {
  /** Renew when less than this many seconds remain. Default: 10% of the lifetime, at most 300 s. */
  renewBeforeSeconds?: number;
  /** Clock in unix seconds (tests move it). */
  now?: () => number;
}

export interface ActiveSession {
  ks: string;
  /** Absolute expiry, unix seconds (as far as known). */
  expiresAt: number;
  createdAt: number;
}

const DEFAULT_EXPIRY_SECONDS = 86_400;
const DEFAULT_PRIVILEGES = 'disableentitlement';

export class SessionProvider {
  readonly client: KalturaApiClient;
  readonly config: SessionConfig;
  private readonly options: SessionProviderOptions;
  private current: ActiveSession | undefined;
  private pending: Promise<ActiveSession> | undefined;
  /** How many sessions were created (tests and diagnostics). */
  created = 0;

  constructor(client: KalturaApiClient, config: SessionConfig, options: SessionProviderOptions = {}) {
    if (!Number.isInteger(config.partnerId) || config.partnerId <= 0) {
      throw new RangeError(`the partner id must be a positive integer, got ${String(config.partnerId)}; find it in the KMC under Settings > Integration Settings`);
    }
    this.client = client;
    this.config = config;
    this.options = options;
  }

  get partnerId(): number {
    return this.config.partnerId;
  }

  private now(): number {
    return this.options.now ? this.options.now() : Math.floor(Date.now() / 1000);
  }

  private needsRenewal(session: ActiveSession): boolean {
    if (this.config.kind === 'fixedKs') return false;
    const lifetime = Math.max(1, session.expiresAt - session.createdAt);
    const margin = this.options.renewBeforeSeconds ?? Math.min(300, Math.floor(lifetime / 10));
    return this.now() >= session.expiresAt - margin;
  }

  /** A valid KS, creating or renewing the session when needed. Concurrent callers share one creation. */
  async getKs(signal?: AbortSignal): Promise<string> {
    if (this.current && !this.needsRenewal(this.current)) return this.current.ks;
    if (!this.pending) {
      this.pending = this.create(signal).then(
        (session) => {
          this.current = session;
          this.pending = undefined;
          this.created++;
          return session;
        },
        (err) => {
          this.pending = undefined;
          throw err;
        },
      );
    }
    return (await this.pending).ks;
  }

  get session(): ActiveSession | undefined {
    return this.current;
  }

  /** Forget the current session; the next call creates a new one. */
  invalidate(): void {
    this.current = undefined;
  }

  /** An API call with this provider's KS; on INVALID_KS the session is re-created once and the call repeated. */
  async call<T = unknown>(service: string, action: string, params: Record<string, unknown> = {}, options: Omit<CallOptions<T>, 'ks'> = {}): Promise<T> {
    const ks = await this.getKs(options.signal);
    try {
      return await this.client.call(service, action, params, { ...options, ks });
    } catch (err) {
      if (!isKalturaApiError(err, 'INVALID_KS') || this.config.kind === 'fixedKs') throw err;
      if (this.current?.ks === ks) this.invalidate();
      const fresh = await this.getKs(options.signal);
      return this.client.call(service, action, params, { ...options, ks: fresh });
    }
  }

  private async create(signal: AbortSignal | undefined): Promise<ActiveSession> {
    const config = this.config;
    const createdAt = this.now();
    if (config.kind === 'fixedKs') return { ks: config.ks, createdAt, expiresAt: Number.MAX_SAFE_INTEGER };
    const userId = config.userId ?? '';
    const type = config.type ?? KS_TYPE_ADMIN;
    const privileges = config.privileges ?? DEFAULT_PRIVILEGES;
    const lifetime = config.expirySeconds ?? DEFAULT_EXPIRY_SECONDS;
    switch (config.kind) {
      case 'localAdminSecret': {
        const expiresAt = createdAt + lifetime;
        const ks = generateKsV2({ secret: config.adminSecret, partnerId: config.partnerId, expiryAbs: expiresAt, type, userId, privileges });
        return { ks, createdAt, expiresAt };
      }
      case 'sessionStart': {
        const ks = await this.client.call(
          'session',
          'start',
          { secret: config.secret, userId, type, partnerId: config.partnerId, expiry: lifetime, privileges },
          { schema: ksStringSchema, signal },
        );
        // The secret is at hand, so the real expiry can be read from the KS; otherwise assume the requested one.
        const decoded = decodeKs(ks, (p) => (p === config.partnerId ? config.secret : undefined));
        return { ks, createdAt, expiresAt: isKsError(decoded) ? createdAt + lifetime : decoded.expiry };
      }
      case 'appToken': {
        const widget = await this.client.call(
          'session',
          'startWidgetSession',
          { widgetId: `_${config.partnerId}`, expiry: lifetime },
          { schema: widgetSessionSchema, signal },
        );
        const tokenHash = appTokenHash(widget.ks, config.appToken, config.hashType ?? 'SHA256');
        // The server hashes the KS of the request itself, so startSession must be sent with the widget KS.
        // ADMIN is asked for because template management needs it; a token's own sessionType still wins.
        const info = await this.client.call(
          'apptoken',
          'startSession',
          { id: config.appTokenId, tokenHash, userId: config.userId, type, expiry: lifetime, sessionPrivileges: config.privileges },
          { schema: sessionInfoSchema, signal, ks: widget.ks },
        );
        const expiresAt = info.expiry && info.expiry > createdAt ? info.expiry : createdAt + lifetime;
        return { ks: info.ks, createdAt, expiresAt };
      }
    }
  }
}
