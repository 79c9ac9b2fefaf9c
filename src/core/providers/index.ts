// classifyRequest: the receiver's one entry into the providers. Tries each source in order of how
// specific its detection is, and never throws: a provider failure becomes an unknown event with a problem.
import type { CapturedRequest } from '../events/model';
import { enablexProvider } from './enablex';
import { kalturaProvider } from './kaltura';
import { kalturaLegacyProvider } from './kalturaLegacy';
import type { ParsedNotification, VerificationCredentials, WebhookProvider } from './types';
import { parseUnknownRequest } from './unknown';

/**
 * Detection order: legacy Kaltura (form posts with `sig` + notification keys) before Kaltura HTTP notifications
 * (a DataFields body could otherwise look like a legacy form), then EnableX (JSON with type + app_id/room_id).
 */
export const providers: readonly WebhookProvider[] = [kalturaLegacyProvider, kalturaProvider, enablexProvider];

export function classifyRequest(request: CapturedRequest, credentials: VerificationCredentials): ParsedNotification[] {
  const safeCredentials: VerificationCredentials = {
    kalturaSecrets: Array.isArray(credentials?.kalturaSecrets) ? credentials.kalturaSecrets : [],
    basicAuth: Array.isArray(credentials?.basicAuth) ? credentials.basicAuth : [],
  };
  for (const provider of providers) {
    let detected = false;
    try {
      detected = provider.detect(request);
    } catch (err) {
      return [fallback(request, `${provider.source} detection failed: ${describe(err)}`)];
    }
    if (!detected) continue;
    try {
      const result = provider.parse(request, safeCredentials);
      if (result.length > 0) return result;
      return [fallback(request, `${provider.source} provider found no notification in this request`)];
    } catch (err) {
      return [fallback(request, `${provider.source} parser failed unexpectedly (${describe(err)}); the raw request is kept`)];
    }
  }
  return [fallback(request)];
}

function fallback(request: CapturedRequest, problem?: string): ParsedNotification {
  try {
    return parseUnknownRequest(request, problem ? [problem] : []);
  } catch (err) {
    return {
      source: 'unknown',
      type: 'unknown',
      summary: `${String(request?.method ?? '?')} ${String(request?.path ?? '?')}`,
      parsed: { kind: 'unknown' },
      verification: { status: 'unsigned' },
      problems: [...(problem ? [problem] : []), `could not decode the request: ${describe(err)}`],
    };
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export { detectEnablex, parseEnablexBody, verifyEnablexRequest } from './enablex';
export { detectKalturaLegacy, splitMultiNotification, verifyLegacySig } from './kalturaLegacy';
export { detectKaltura, parseKalturaNotification, verifyKalturaRequest, verifyKalturaSignature } from './kaltura';
export type { ParsedNotification, SecretCandidate, BasicAuthCredential, VerificationCredentials, WebhookProvider } from './types';
