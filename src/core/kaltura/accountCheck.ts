// The one API call that tells whether an account's settings work, made before they are saved: a session is made
// (locally from the admin secret, or through appToken.startSession) and one page of the partner's templates listed.
// A wrong secret is then found at once, in words an editor user can act on, not at the next start.
import { createKalturaConnection } from './connection';
import { isKalturaApiError, KalturaTransportError } from './errors';
import type { SessionConfig } from './session';

export type AccountCheck = { ok: true; templates: number } | { ok: false; code: string; reason: string; retry: 'secret' | 'partner' | 'url' | 'later' };

/** What went wrong, and which answer of the user's to ask for again. */
const REASONS: Record<string, { reason: (partnerId: number) => string; retry: 'secret' | 'partner' | 'url' }> = {
  INVALID_KS: { reason: (p) => `Kaltura refused the session: the secret does not belong to partner ${p}`, retry: 'secret' },
  START_SESSION_ERROR: { reason: (p) => `Kaltura could not start a session for partner ${p} with this secret`, retry: 'secret' },
  APP_TOKEN_ID_NOT_FOUND: { reason: () => 'The app token id is unknown to this service URL, or the token was deleted', retry: 'secret' },
  INVALID_APP_TOKEN_HASH: { reason: () => 'The app token value or its hash type does not match the token', retry: 'secret' },
  INVALID_PARTNER_ID: { reason: (p) => `Partner ${p} is unknown to this service URL`, retry: 'partner' },
  FEATURE_FORBIDDEN: { reason: (p) => `Partner ${p} does not have Event Notifications enabled; ask your Kaltura account manager`, retry: 'partner' },
  SERVICE_FORBIDDEN: { reason: () => 'This session may not use the event notification service: use the admin secret, or an app token with that privilege', retry: 'secret' },
  SERVICE_DOES_NOT_EXISTS: { reason: () => 'This server has no event notification service: the service URL may be wrong', retry: 'url' },
};

export async function checkAccount(serviceUrl: string, session: SessionConfig, options: { timeoutMs?: number } = {}): Promise<AccountCheck> {
  const connection = createKalturaConnection({ serviceUrl, session, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  try {
    const page = await connection.templates.list(undefined, { pageSize: 1, pageIndex: 1 });
    return { ok: true, templates: page.totalCount };
  } catch (err) {
    if (isKalturaApiError(err)) {
      const known = REASONS[err.code];
      return known
        ? { ok: false, code: err.code, reason: `${known.reason(session.partnerId)} (${err.code})`, retry: known.retry }
        : { ok: false, code: err.code, reason: `Kaltura answered ${err.code}: ${err.kalturaMessage}`, retry: 'later' };
    }
    if (err instanceof KalturaTransportError) {
      return { ok: false, code: 'TRANSPORT', reason: `Could not reach ${serviceUrl}: ${err.message}`, retry: 'url' };
    }
    return { ok: false, code: 'UNKNOWN', reason: err instanceof Error ? err.message : String(err), retry: 'later' };
  }
}
