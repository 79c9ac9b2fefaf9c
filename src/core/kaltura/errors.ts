// Typed failures of Kaltura API calls. Kaltura reports API errors with HTTP 200 and a `KalturaAPIException`
// body; those become KalturaApiError (never retried). Everything below the API (network, timeouts, 5xx, bodies
// that are not JSON) becomes KalturaTransportError, which says whether a retry could help.

export interface KalturaApiExceptionArg {
  name: string;
  value: string;
}

/** What to do about the common Kaltura error codes. Shown to users next to the code and message. */
export const KALTURA_ERROR_HINTS: Readonly<Record<string, string>> = {
  INVALID_KS:
    'The session (KS) was rejected: it expired, was signed with the wrong secret, or belongs to another partner. ' +
    'Check --partner-id and the admin secret or app token, and that this machine\'s clock is right; the workbench renews sessions on its own.',
  MISSING_KS: 'The call needs a session (KS). Configure an admin secret or an app token for the partner.',
  SERVICE_FORBIDDEN:
    'This session may not call the service. Use an ADMIN session (admin secret, type 2) or an app token whose privileges ' +
    'include the eventnotification service, and check that the partner has the Event Notifications feature.',
  FEATURE_FORBIDDEN:
    'The partner does not have the Event Notifications feature (EventNotification plugin). Ask your Kaltura account manager ' +
    'or on-prem admin to enable it for this partner.',
  EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND:
    'No template with this id exists for the partner, or it was deleted. Run `kwh templates list` (own) or ' +
    '`kwh templates system` (system templates) to find valid ids.',
  EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME:
    'Another active template of the partner already uses this systemName, or the template is already active ' +
    '(Kaltura refuses to activate it again). Choose a different systemName (the workbench appends a random suffix), ' +
    'or disable/delete the existing template.',
  EVENT_NOTIFICATION_DISPATCH_DISABLED:
    'Manual dispatch is off for this template, and on an ordinary partner only Kaltura\'s Admin Console can turn it on. ' +
    'Make it fire by causing the event it listens to: `kwh trigger --template ID --entry ENTRY_ID` (or Dispatch in the editor).',
  PROPERTY_VALIDATION_NOT_UPDATABLE:
    'A read-only or insert-only field (id, partnerId, status, type, createdAt, updatedAt) was sent to update. ' +
    'Leave it out; change status with updateStatus (`kwh templates enable|disable`), and clone to get a different type.',
  EVENT_NOTIFICATION_WRONG_TYPE:
    'The override object must be of the source template\'s class (e.g. KalturaHttpNotificationTemplate for an HTTP template).',
  INVALID_OBJECT_ID:
    'No object with this id exists for the partner (for an entry template: no such entry, or it was deleted). ' +
    'Check the id in the KMC under Content.',
  EVENT_NOTIFICATION_DISPATCH_FAILED: 'The server accepted the dispatch but created no job; check the template\'s conditions and the object id.',
  SERVICE_DOES_NOT_EXISTS: 'The service is unknown to this server: the eventNotification plugin may be missing (on-prem) or the service URL is wrong.',
  INVALID_PARTNER_ID: 'The partner id is unknown to this service URL. Check --partner-id and --service-url (regional and on-prem servers differ).',
  START_SESSION_ERROR: 'The session could not be started: check the partner id and the secret (admin secret for ADMIN sessions).',
  APP_TOKEN_ID_NOT_FOUND: 'The app token id is unknown or the token was deleted. Check --app-token-id.',
  INVALID_APP_TOKEN_HASH: 'The token hash did not match: check the app token value and --app-token-hash-type (it must be the token\'s hashType).',
};

export function hintForKalturaCode(code: string): string | undefined {
  return KALTURA_ERROR_HINTS[code];
}

export class KalturaApiError extends Error {
  override readonly name = 'KalturaApiError';
  /** The Kaltura error code, e.g. `INVALID_KS`. */
  readonly code: string;
  /** The message exactly as Kaltura sent it (`message` adds the code and the hint). */
  readonly kalturaMessage: string;
  /** The exception arguments, in order. */
  readonly args: KalturaApiExceptionArg[];
  readonly hint: string | undefined;
  readonly service: string | undefined;
  readonly action: string | undefined;

  constructor(init: { code: string; message: string; args?: KalturaApiExceptionArg[]; service?: string; action?: string; redact?: string[] }) {
    // Kaltura echoes the session in INVALID_KS messages; a KS is a credential and must not reach logs.
    const secrets = [...(init.redact ?? []), ...(init.args ?? []).filter((a) => /^ks$/i.test(a.name)).map((a) => a.value)].filter((s) => s.length >= 8);
    const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join('<KS redacted>'), text);
    const kalturaMessage = scrub(init.message);
    const hint = hintForKalturaCode(init.code);
    const where = init.service ? ` (${init.service}.${init.action ?? '?'})` : '';
    super(`Kaltura API error ${init.code}${where}: ${kalturaMessage}${hint ? `\nHint: ${hint}` : ''}`);
    this.code = init.code;
    this.kalturaMessage = kalturaMessage;
    this.args = (init.args ?? []).map((a) => ({ name: a.name, value: scrub(a.value) }));
    this.hint = hint;
    this.service = init.service;
    this.action = init.action;
  }

  /** The named argument's value, e.g. `arg('id')`. */
  arg(name: string): string | undefined {
    return this.args.find((a) => a.name === name)?.value;
  }
}

export type KalturaTransportErrorKind = 'timeout' | 'network' | 'http' | 'malformed' | 'aborted' | 'config';

export class KalturaTransportError extends Error {
  override readonly name = 'KalturaTransportError';
  readonly kind: KalturaTransportErrorKind;
  /** HTTP status, when a response arrived. */
  readonly status: number | undefined;
  /** Whether a later attempt could succeed (5xx, timeouts, connection resets). */
  readonly retryable: boolean;
  /** How many attempts were made before giving up. */
  attempts = 1;
  /** The low-level error code (ECONNRESET, UND_ERR_HEADERS_TIMEOUT, …) when there is one. */
  readonly errorCode: string | undefined;

  constructor(init: { kind: KalturaTransportErrorKind; message: string; status?: number; retryable: boolean; errorCode?: string; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status;
    this.retryable = init.retryable;
    this.errorCode = init.errorCode;
  }
}

export function isKalturaApiError(err: unknown, code?: string): err is KalturaApiError {
  return err instanceof KalturaApiError && (code === undefined || err.code === code);
}
