import type { CapturedRequest, EventSource, ParsedNotification } from '../events/model';

/** A secret candidate for Kaltura signatures and legacy `sig` (admin secrets, user-set signing secrets). */
export interface SecretCandidate {
  /** Shown in the UI and logs instead of the secret: "admin secret (partner 123456)", "KALTURA_SECRET". */
  label: string;
  secret: string;
}

/** Basic-auth credentials configured for EnableX or for Kaltura templates with username/password. */
export interface BasicAuthCredential {
  label: string;
  username: string;
  password: string;
}

/** Everything verification may use. Passed in by the caller; the core never reads settings itself. */
export interface VerificationCredentials {
  kalturaSecrets: SecretCandidate[];
  basicAuth: BasicAuthCredential[];
}

export type { ParsedNotification } from '../events/model';

/**
 * A webhook source. `detect` looks only at headers and the first bytes; `parse` decodes and verifies over the
 * exact raw body and never throws (malformed input becomes `problems`).
 */
export interface WebhookProvider {
  source: EventSource;
  detect(request: CapturedRequest): boolean;
  parse(request: CapturedRequest, credentials: VerificationCredentials): ParsedNotification[];
}
