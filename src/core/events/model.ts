// The one event model shared by the receiver, the store, the CLI and the views.
// Data flows one way: request → receiver → provider (parse, verify) → event store → views.
import type { KalturaBodyFormat } from '../../protocol/kalturaBody';

export { EXPECTED_PREFIX_CHARS, expectedPrefix } from '../../protocol/signing';
export type { KalturaBodyFormat } from '../../protocol/kalturaBody';

export type EventSource = 'kaltura' | 'kaltura-legacy' | 'enablex' | 'unknown';

export type VerificationStatus = 'verified' | 'failed' | 'unsigned';

export type VerificationMethod = 'kaltura-signature' | 'kaltura-legacy-sig' | 'basic-auth';

export interface Verification {
  status: VerificationStatus;
  method?: VerificationMethod;
  /** sha1 | sha256 | sha512 for Kaltura signatures, md5 for legacy sig. */
  algorithm?: string;
  /** Label of the candidate secret or credential that matched (never the secret itself). */
  secretLabel?: string;
  /**
   * For `failed`: the first hex digits of what the first candidate secret would have produced (expectedPrefix()),
   * enough to compare by eye. Never the whole value: that would be a valid signature for the sender's body.
   */
  expected?: string;
  /** For `failed` and `verified`: what the request carried (signature / sig / Basic-auth user name). */
  received?: string;
  /** Human-readable cause and, where it helps, the fix. */
  reason?: string;
}

/** A captured HTTP request, exactly as it arrived. `body` holds the raw bytes, never re-serialized. */
export interface CapturedRequest {
  requestId: string;
  receivedAt: string; // ISO 8601
  method: string;
  /** Path and query string as sent. */
  path: string;
  httpVersion: string;
  /** Header name/value pairs in wire order, names as sent. */
  rawHeaders: Array<[string, string]>;
  /** Lower-cased names; repeated headers joined with ', ' (set-cookie style arrays are not expected here). */
  headers: Record<string, string>;
  body: Buffer;
  /** Bytes the client announced or sent; larger than body.length when the body was cut at the limit. */
  bodySize: number;
  bodyTruncated: boolean;
  remoteAddress?: string;
}


export interface KalturaNotificationPayload {
  kind: 'kaltura';
  bodyFormat: KalturaBodyFormat;
  templateId?: number;
  templateName?: string;
  templateSystemName?: string;
  eventType?: string;
  eventTypeName?: string;
  eventObjectType?: string;
  eventObjectTypeName?: string;
  /** eventNotificationJobId: stable across retries, the idempotency key. */
  jobId?: number;
  partnerId?: number;
  /** The API object (e.g. a KalturaMediaEntry) as decoded. */
  object?: Record<string, unknown>;
  objectType?: string;
  objectId?: string;
  /** Entry status name when the object is an entry (READY, PENDING, …). */
  objectStatusName?: string;
  /** DataFields bodies: the form fields. */
  fields?: Record<string, string>;
  /** DataText bodies, or anything undecodable: the text. */
  text?: string;
  /** The fully decoded body (JSON value, XML as a tree, PHP value, form fields). */
  decoded?: unknown;
}

export interface KalturaLegacyPayload {
  kind: 'kaltura-legacy';
  notificationId?: string;
  notificationType?: string;
  partnerId?: string;
  objectIdKey?: 'entry_id' | 'kshow_id' | 'user_id' | 'job_id';
  objectId?: string;
  /** 1-based position in a multi-notification; 1 for a single one. */
  index: number;
  multi: boolean;
  /** The notification's own fields, with any `notN_` prefix removed. */
  fields: Record<string, string>;
}

export interface EnablexPayload {
  kind: 'enablex';
  /** roomdrop | recording | transcoded | file-transfer, or the unknown value as sent. */
  type: string;
  known: boolean;
  appId?: string;
  roomId?: string;
  confNum?: string;
  /** Unix seconds (accepted as number or numeric string). */
  transDate?: number;
  /** Recording URLs: always an array, whether the body had an array (recording) or a string (transcoded). */
  recordings?: string[];
  stage?: string;
  fileSize?: number;
  destination?: { name?: string; host?: string; account?: string };
  files?: string[];
  body: Record<string, unknown>;
}

export interface UnknownPayload {
  kind: 'unknown';
  contentType?: string;
  /** Best-effort decoding for display: JSON value, form fields, or text. */
  decoded?: unknown;
}

export type EventPayload = KalturaNotificationPayload | KalturaLegacyPayload | EnablexPayload | UnknownPayload;

/** What the receiver answered (recorded so the view can say "Kaltura would retry this"). */
export interface ResponseRecord {
  status: number;
  mode: ResponseMode;
  /** Kaltura treats anything but a 200 or 204 as a failed delivery (kaltura-protocol.md §5). */
  kalturaWouldRetry: boolean;
}

export type ResponseMode = 'ok' | 'fail-500' | 'timeout';

export interface WebhookEvent {
  id: string;
  /** Shared by every event split out of one request (legacy multi-notifications). */
  requestId: string;
  indexInRequest: number;
  countInRequest: number;
  receivedAt: string;
  source: EventSource;
  /** Short machine type: e.g. "OBJECT_CHANGED:ENTRY", "entry_add", "recording", "unknown". */
  type: string;
  /** One line for lists: "Entry Status Changed · 0_abcd1234 READY". */
  summary: string;
  verification: Verification;
  /** Idempotency key the store dedupes on (job id, notification_id, body hash). */
  dedupeKey?: string;
  /** Id of the first delivery with the same dedupeKey, or null for a first delivery. */
  duplicateOf: string | null;
  /** Deliveries by the sender seen for this dedupeKey so far (1 for a first delivery); replays do not count. */
  deliveryCount: number;
  /** For a replay (origin 'replay'): the first delivery of the request it re-sent, when it is known. */
  replayOf?: string;
  /** A replay whose method, path, headers or body were edited before it was sent (Edit and Replay). */
  replayEdited?: true;
  request: CapturedRequest;
  /** What the provider concluded from `request`; not edited afterwards (the log re-derives members of it, payloadCodec.ts). */
  parsed: EventPayload;
  /** Parse and transport problems, each naming the cause ("malformed JSON at offset 12: …"). */
  problems: string[];
  response?: ResponseRecord;
  /** Set by replay/trigger tooling so the view can tell synthetic events apart. */
  origin?: 'network' | 'replay' | 'sample' | 'sandbox';
  /** false when the event log could not be written: the event lives in memory only (and was answered 503). */
  persisted?: false;
  /** The last time the request was forwarded to the user's app: what the app answered, or why it could not. */
  forward?: ForwardRecord;
}

export interface ForwardRecord {
  url: string;
  /** ISO 8601, when the forward started. */
  at: string;
  /** The app's HTTP status; absent when no answer came (see error). */
  status?: number;
  durationMs?: number;
  headers?: Record<string, string | string[] | undefined>;
  /** The app's response body, cut at FORWARD_BODY_KEPT bytes. */
  body?: string;
  bodyTruncated?: boolean;
  error?: string;
}

/** What a provider found in a request: one notification (a legacy multi-notification yields several). */
export interface ParsedNotification {
  source: EventSource;
  type: string;
  summary: string;
  dedupeKey?: string;
  parsed: EventPayload;
  verification: Verification;
  problems: string[];
}

/** The JSON form of an event (CLI --json lines, the persisted log, exports). */
export interface SerializedEvent extends Omit<WebhookEvent, 'request'> {
  request: {
    requestId: string;
    receivedAt: string;
    method: string;
    path: string;
    httpVersion: string;
    headers: Record<string, string>;
    rawHeaders: Array<[string, string]>;
    bodyBase64: string;
    bodySize: number;
    bodyTruncated: boolean;
    remoteAddress?: string;
  };
}

export function serializeEvent(event: WebhookEvent): SerializedEvent {
  const { request, ...rest } = event;
  const { body, ...req } = request;
  return { ...rest, request: { ...req, bodyBase64: body.toString('base64') } };
}

export function deserializeEvent(event: SerializedEvent): WebhookEvent {
  const { request, ...rest } = event;
  const { bodyBase64, ...req } = request;
  return { ...rest, request: { ...req, body: Buffer.from(bodyBase64, 'base64') } };
}
