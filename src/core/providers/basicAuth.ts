// HTTP Basic-auth checks for EnableX webhooks and Kaltura templates with username/password.
import type { Verification } from '../events/model';
import type { BasicAuthCredential } from './types';
import { timingSafeEqualString } from '../../protocol/signing';

export type BasicAuthHeader =
  | { ok: true; username: string; password: string }
  | { ok: false; reason: string };

/** Reads `Authorization: Basic base64(user:pass)`; undefined when there is no Basic header at all. */
export function readBasicAuth(authorization: string | undefined): BasicAuthHeader | undefined {
  if (authorization === undefined) return undefined;
  const m = /^\s*basic\s+(\S*)\s*$/i.exec(authorization);
  if (!m) return undefined;
  const token = m[1]!;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(token) || token.length % 4 === 1) {
    return { ok: false, reason: 'Authorization: Basic header is not valid base64' };
  }
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return { ok: false, reason: 'Authorization: Basic value has no "user:password" colon' };
  return { ok: true, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Checks a Basic header against every configured credential. Every candidate is compared in full (user and
 * password, constant time, no early exit), so timing does not reveal which part or which candidate differed.
 * Returns undefined when the request has no Basic Authorization header.
 */
export function verifyBasicAuth(authorization: string | undefined, credentials: BasicAuthCredential[]): Verification | undefined {
  const header = readBasicAuth(authorization);
  if (header === undefined) return undefined;
  if (!header.ok) return { status: 'failed', method: 'basic-auth', reason: `${header.reason}; check the sender's HTTP Authentication settings` };
  if (credentials.length === 0) {
    return {
      status: 'failed',
      method: 'basic-auth',
      received: header.username,
      reason: `request carries Basic auth for user "${header.username}", but no Basic-auth credentials are configured to check it; add them in the workbench settings`,
    };
  }
  let matched: BasicAuthCredential | undefined;
  for (const candidate of credentials) {
    const userOk = timingSafeEqualString(header.username, candidate.username);
    const passOk = timingSafeEqualString(header.password, candidate.password);
    if (userOk && passOk && !matched) matched = candidate;
  }
  if (matched) return { status: 'verified', method: 'basic-auth', secretLabel: matched.label, received: header.username };
  const labels = credentials.map((c) => c.label).join(', ');
  return {
    status: 'failed',
    method: 'basic-auth',
    received: header.username,
    reason: `Basic auth for user "${header.username}" matches none of ${credentials.length} configured credential${credentials.length === 1 ? '' : 's'} (${labels}); check the user name and password set at the sender`,
  };
}
