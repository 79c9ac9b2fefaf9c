// Partners, Kaltura Sessions and application tokens of the sandbox. KS strings are the real v1/v2 formats
// (src/core/kaltura/ks.ts), so sessions made locally by a client library validate exactly as on Kaltura.
import { randomBytes } from 'node:crypto';
import { appTokenHash, decodeKs, generateKsV2, isKsError, isKsExpired, KS_TYPE_ADMIN, KS_TYPE_USER, type AppTokenHashType } from '../core/kaltura/ks';
import { errors, KS_ERR } from './apiErrors';
import type { PartnerInput, SandboxPartner } from './types';

export const EVENT_NOTIFICATION_FEATURE = 'eventNotification';
/** Kaltura's Admin Console partner: the only one granted the template members of kaltura-protocol.md §4.2. */
export const ADMIN_CONSOLE_PARTNER_ID = -2;

export interface SessionContext {
  ks: string;
  partnerId: number;
  type: number;
  userId: string;
  privileges: string;
  privilegeMap: Record<string, string>;
  expiry: number;
  /** The KS is the Admin Console's (partner -2), whichever partner it acts for. */
  adminConsole: boolean;
}

export interface AppTokenRecord {
  id: string;
  token: string;
  partnerId: number;
  createdAt: number;
  updatedAt: number;
  status: number;
  expiry?: number;
  sessionType?: number;
  sessionUserId?: string;
  sessionDuration?: number;
  sessionPrivileges?: string;
  hashType: AppTokenHashType;
  description?: string;
}

const now = (): number => Math.floor(Date.now() / 1000);

/** Shows enough of a KS to recognise it in an error without handing the whole credential back. */
function ksPreview(ks: string): string {
  return ks.length > 16 ? `${ks.slice(0, 12)}…` : ks;
}

export class SessionRegistry {
  readonly partners = new Map<number, SandboxPartner>();
  /** Partner -2, kept apart from `partners` (never persisted: a new secret each start). */
  readonly adminConsole: SandboxPartner = {
    partnerId: ADMIN_CONSOLE_PARTNER_ID,
    adminSecret: randomBytes(16).toString('hex'),
    secret: randomBytes(16).toString('hex'),
    features: [EVENT_NOTIFICATION_FEATURE],
  };
  readonly appTokens = new Map<string, AppTokenRecord>();
  /** Every KS seen or issued since the last `expire-ks` fault, so that fault can revoke them. */
  private readonly seen = new Set<string>();
  private readonly revoked = new Set<string>();

  addPartner(input: PartnerInput): SandboxPartner {
    const partnerId = input.partnerId ?? 100000 + Math.floor(Math.random() * 900000);
    if (!Number.isInteger(partnerId) || partnerId <= 0) throw new RangeError(`partnerId must be a positive integer, got ${partnerId}`);
    const partner: SandboxPartner = {
      partnerId,
      adminSecret: input.adminSecret ?? randomBytes(16).toString('hex'),
      secret: input.secret ?? randomBytes(16).toString('hex'),
      features: input.features ?? [EVENT_NOTIFICATION_FEATURE],
    };
    if (partner.adminSecret === '') throw new RangeError('adminSecret must not be empty');
    this.partners.set(partnerId, partner);
    return partner;
  }

  partner(partnerId: number): SandboxPartner | undefined {
    return partnerId === ADMIN_CONSOLE_PARTNER_ID ? this.adminConsole : this.partners.get(partnerId);
  }

  private secretsFor = (partnerId: number): string[] | undefined => {
    const partner = this.partner(partnerId);
    return partner ? [partner.adminSecret, partner.secret] : undefined;
  };

  /** Issues a v2 KS (what session.start returns on current Kaltura servers). */
  issue(partnerId: number, type: number, userId: string, expirySeconds: number, privileges: string): string {
    const partner = this.partner(partnerId);
    if (!partner) throw errors.startSession(partnerId);
    const ks = generateKsV2({ secret: partner.adminSecret, partnerId, expiryAbs: now() + expirySeconds, type, userId, privileges });
    this.seen.add(ks);
    return ks;
  }

  /** session.start: the admin secret opens any type; the user secret only USER sessions. */
  start(secret: string, userId: string, type: number, partnerId: number, expiry: number, privileges: string): string {
    const partner = this.partner(partnerId);
    const validSecret = partner && (secret === partner.adminSecret || (secret === partner.secret && type !== KS_TYPE_ADMIN));
    if (!partner || !validSecret) throw errors.startSession(partnerId);
    return this.issue(partnerId, type === KS_TYPE_ADMIN ? KS_TYPE_ADMIN : KS_TYPE_USER, userId, expiry, privileges);
  }

  /** Validates a KS from a request: signature/encryption, expiry, revocation. Throws INVALID_KS. */
  validate(ks: string): SessionContext {
    const decoded = decodeKs(ks, this.secretsFor);
    if (isKsError(decoded)) {
      const [code, desc] = decoded.reason === 'unknown_partner' ? KS_ERR.INVALID_PARTNER : KS_ERR.INVALID_STR;
      throw errors.invalidKs(ksPreview(ks), code, desc);
    }
    if (this.revoked.has(ks)) throw errors.invalidKs(ksPreview(ks), KS_ERR.LOGOUT[0], KS_ERR.LOGOUT[1]);
    if (isKsExpired(decoded)) throw errors.invalidKs(ksPreview(ks), KS_ERR.EXPIRED[0], KS_ERR.EXPIRED[1]);
    this.seen.add(ks);
    return {
      ks,
      partnerId: decoded.partnerId,
      type: decoded.type,
      userId: decoded.userId,
      privileges: decoded.privileges,
      privilegeMap: decoded.privilegeMap,
      expiry: decoded.expiry,
      adminConsole: decoded.partnerId === ADMIN_CONSOLE_PARTNER_ID,
    };
  }

  /** session.end / the expire-ks fault. */
  revoke(ks: string): void {
    this.revoked.add(ks);
  }

  revokeAll(): number {
    for (const ks of this.seen) this.revoked.add(ks);
    const count = this.seen.size;
    this.seen.clear();
    return count;
  }

  startWidgetSession(widgetId: string, expiry: number): { partnerId: number; ks: string } {
    const match = /^_(\d+)$/.exec(widgetId);
    const partnerId = match ? Number(match[1]) : NaN;
    if (!this.partners.has(partnerId)) throw errors.invalidWidgetId(widgetId);
    return { partnerId, ks: this.issue(partnerId, KS_TYPE_USER, '', expiry, 'widget:1,view:*') };
  }

  addAppToken(partnerId: number, input: Partial<AppTokenRecord>): AppTokenRecord {
    const at = now();
    const token: AppTokenRecord = {
      id: `0_${randomBytes(4).toString('hex')}`,
      token: randomBytes(16).toString('hex'),
      partnerId,
      createdAt: at,
      updatedAt: at,
      status: 2,
      hashType: input.hashType ?? 'SHA1',
      ...(input.expiry !== undefined && { expiry: input.expiry }),
      ...(input.sessionType !== undefined && { sessionType: input.sessionType }),
      ...(input.sessionUserId !== undefined && { sessionUserId: input.sessionUserId }),
      ...(input.sessionDuration !== undefined && { sessionDuration: input.sessionDuration }),
      ...(input.sessionPrivileges !== undefined && { sessionPrivileges: input.sessionPrivileges }),
      ...(input.description !== undefined && { description: input.description }),
    };
    this.appTokens.set(token.id, token);
    return token;
  }

  appToken(partnerId: number, id: string): AppTokenRecord {
    const token = this.appTokens.get(id);
    if (!token || token.partnerId !== partnerId || token.status === 3) throw errors.appTokenNotFound(id);
    return token;
  }

  /**
   * appToken.startSession: tokenHash = HASH_hashType(KS of this request + token). The token's own session
   * type, user and privileges win over the request's; its duration caps the expiry.
   */
  startAppTokenSession(
    current: SessionContext,
    id: string,
    tokenHash: string,
    request: { userId?: string; type?: number; expiry?: number; sessionPrivileges?: string },
  ): { ks: string; sessionType: number; partnerId: number; userId: string; expiry: number; privileges: string } {
    const token = this.appTokens.get(id);
    if (!token || token.partnerId !== current.partnerId || token.status !== 2) throw errors.appTokenNotFound(id);
    if (token.expiry !== undefined && token.expiry > 0 && token.expiry <= now()) throw errors.appTokenNotFound(id);
    const expected = appTokenHash(current.ks, token.token, token.hashType);
    if (expected !== tokenHash.trim().toLowerCase()) throw errors.invalidAppTokenHash();
    const type = token.sessionType ?? request.type ?? KS_TYPE_USER;
    const userId = token.sessionUserId ?? request.userId ?? '';
    const duration = Math.min(request.expiry && request.expiry > 0 ? request.expiry : 86400, token.sessionDuration ?? 86400);
    const privileges = [token.sessionPrivileges ?? request.sessionPrivileges ?? '', `appToken:${token.id}`].filter(Boolean).join(',');
    const ks = this.issue(current.partnerId, type, userId, duration, privileges);
    return { ks, sessionType: type, partnerId: current.partnerId, userId, expiry: now() + duration, privileges };
  }
}


