// Sample requests that look exactly like the real senders' (kaltura-protocol.md §1.2, §1.6, §1.7, §2;
// enablex.md A3). They power "trigger sample event", benchmarks and codegen tests, so the bytes, header order
// and signatures follow the senders, not a tidy approximation.
import { kalturaMediaEntry } from '../../protocol/mediaEntry';
import { randomBytes, randomInt } from 'node:crypto';
import type { CapturedRequest, KalturaBodyFormat } from '../events/model';
import { eventObjectTypeValue, eventTypeValue, LEGACY_OBJECT_ID_KEYS } from '../../protocol/names';
import { KALTURA_BATCH_USER_AGENT } from './kaltura';
import { kalturaXml, phpJsonEncode, phpSerialize } from '../../protocol/phpEncoding';
import { buildLegacyParams, kalturaSignature, phpHttpBuildQuery, phpUrlencode, type KalturaHashAlgo, type LegacyNotificationInput } from '../../protocol/signing';
import type { EnablexType } from './enablex';

export { kalturaXml, phpJsonEncode } from '../../protocol/phpEncoding';

export interface SampleRequest {
  method: string;
  /** Path and query string. */
  path: string;
  /** In the order the real sender writes them (insertion order). */
  headers: Record<string, string>;
  body: Buffer;
}

export type SampleKind = 'kaltura' | 'kaltura-legacy' | 'kaltura-legacy-multi' | 'enablex';

export interface BasicAuthSample {
  username: string;
  password: string;
}

export interface KalturaSampleOptions {
  /** eventType value or name; default 3 (OBJECT_CHANGED). */
  eventType?: number | string;
  /** eventObjectType value or name; default 1 (ENTRY). */
  eventObjectType?: number | string;
  /** Default 'json'. */
  format?: KalturaBodyFormat;
  /** Signing secret (the partner admin secret). Absent → no signature headers, as with a job without signSecret. */
  secret?: string;
  /** Default sha1 (secureHashingAlgo unset). */
  algo?: KalturaHashAlgo;
  /** false imitates a Gen-2 server: X-KALTURA-SIGNATURE (sha1) without X-KALTURA-HASH-ALGO. Default true. */
  sendAlgoHeader?: boolean;
  /** Default POST. GET puts the body after '?' in the path, like the engine. */
  method?: 'POST' | 'GET' | 'PUT' | 'DELETE';
  /** Default '/webhook'. */
  path?: string;
  /** Adds a Host header first, as libcurl does. */
  host?: string;
  /** Template customHeaders, sent after the signature headers. */
  customHeaders?: Array<[string, string]>;
  /** Template username/password: an Authorization: Basic header. */
  basicAuth?: BasicAuthSample;
  /** DataFields/DataText `contentType`; absent → libcurl's form default. */
  contentType?: string;
  jobId?: number;
  templateId?: number;
  templateName?: string;
  templateSystemName?: string;
  partnerId?: number;
  entryId?: string;
  entryName?: string;
  /** KalturaEntryStatus; default 2 (READY). */
  entryStatus?: number;
  /** Replace the API object entirely. */
  object?: Record<string, unknown>;
  /** DataFields fields; default entry_id, entry_status, partner_id, entry_name. */
  fields?: Record<string, string>;
  /** DataText content. */
  text?: string;
  /** Unix seconds for createdAt/updatedAt; default now. */
  now?: number;
  /** Changes the notification envelope before it is encoded and signed (custom triggers: `--set object.status=7`). */
  edit?: (notification: Record<string, unknown>) => void;
}

export interface LegacySampleOptions {
  /** Number of notifications; >1 produces the multi-notification format. Default 1. */
  count?: number;
  /** The partner admin secret; absent → no sig (the receiver will report it). */
  secret?: string;
  partnerId?: number;
  puserId?: string;
  /** First notification id; later ones count up. Default random. */
  firstNotificationId?: number;
  /** Wire type of each notification, cycled. Default entry_add, entry_update, entry_delete. */
  types?: string[];
  /** The entry of every entry notification. Default a random one per notification. */
  entryId?: string;
  path?: string;
  host?: string;
}

export interface EnablexSampleOptions {
  /** Default 'recording'. Any other string makes an undocumented type. */
  type?: EnablexType | string;
  appId?: string;
  roomId?: string;
  confNum?: string;
  transDate?: number;
  basicAuth?: BasicAuthSample;
  path?: string;
  host?: string;
  /** Produce the documentation's sloppy JSON (trailing comma, curly quotes) to exercise lenient parsing. */
  docStyle?: boolean;
  /** Changes the event before it is encoded (custom triggers). */
  edit?: (event: Record<string, unknown>) => void;
}

export type SampleOptions = KalturaSampleOptions | LegacySampleOptions | EnablexSampleOptions;

// ---------------------------------------------------------------------------------------------------------

function enumValue(value: number | string | undefined, fallback: number, lookup: (name: string) => number | string | undefined): number | string {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  if (/^\d+$/.test(value)) return Number(value);
  return lookup(value) ?? value;
}

function randomEntryId(partnerId: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (const b of randomBytes(8)) id += alphabet[b % alphabet.length];
  return `${partnerId % 10}_${id}`;
}

/** A KalturaMediaEntry with the fields a real one carries, in Kaltura's member order. */
export function sampleMediaEntry(o: { entryId: string; name: string; partnerId: number; status: number; now: number }): Record<string, unknown> {
  const { entryId, name, partnerId, status, now } = o;
  const cdn = `https://cdnapisec.kaltura.com/p/${partnerId}/sp/${partnerId}00`;
  return kalturaMediaEntry({
    mediaType: 1,
    conversionQuality: 0,
    dataUrl: `${cdn}/playManifest/entryId/${entryId}/format/url/protocol/https`,
    flavorParamsIds: '0,487041,487051,487061',
    width: 1920,
    height: 1080,
    duration: 94,
    msDuration: 93600,
    id: entryId,
    name,
    description: 'Uploaded from the Kaltura Webhook Workbench sample generator',
    partnerId,
    userId: 'admin@example.com',
    creatorId: 'admin@example.com',
    tags: 'sample, webhook',
    categories: '',
    categoriesIds: '',
    status,
    type: 1,
    createdAt: now - 120,
    updatedAt: now,
    downloadUrl: `${cdn}/playManifest/entryId/${entryId}/format/download/protocol/https/flavorParamIds/0`,
    searchText: `_PAR_ONLY_ _${partnerId}_ _MEDIA_TYPE_1|  ${name}`,
    version: 0,
    thumbnailUrl: `https://cfvod.kaltura.com/p/${partnerId}/sp/${partnerId}00/thumbnail/entry_id/${entryId}/version/100002`,
    accessControlId: 4_000_001,
    replacementStatus: 0,
    conversionProfileId: 9_000_001,
    rootEntryId: entryId,
    blockAutoTranscript: false,
  });
}

function contentLength(headers: Record<string, string>, body: Buffer, method: string): void {
  if (method !== 'GET') headers['Content-Length'] = String(body.length);
}

/** A Kaltura HTTP notification exactly as KDispatchHttpNotificationEngine sends it. */
export function buildKalturaSample(options: KalturaSampleOptions = {}): SampleRequest {
  const format = options.format ?? 'json';
  const algo = options.algo ?? 'sha1';
  const method = options.method ?? 'POST';
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const partnerId = options.partnerId ?? 123456;
  const entryId = options.entryId ?? randomEntryId(partnerId);
  const eventType = enumValue(options.eventType, 3, eventTypeValue);
  const eventObjectType = enumValue(options.eventObjectType, 1, eventObjectTypeValue);
  const status = options.entryStatus ?? 2;
  const object =
    options.object ?? sampleMediaEntry({ entryId, name: options.entryName ?? 'Product demo', partnerId, status, now });
  const notification = {
    object,
    eventObjectType,
    eventNotificationJobId: options.jobId ?? randomInt(100_000_000, 2_000_000_000),
    templateId: options.templateId ?? 987654,
    templateName: options.templateName ?? 'Entry Status Changed',
    templateSystemName: options.templateSystemName ?? 'HTTP_ENTRY_STATUS_CHANGED',
    eventType,
    objectType: 'KalturaHttpNotification',
  } as Record<string, unknown>;
  options.edit?.(notification);

  let body: string;
  let contentType: string | undefined;
  switch (format) {
    case 'json':
      body = phpJsonEncode(notification);
      contentType = 'application/json';
      break;
    case 'json-urlencoded':
      body = 'data=' + phpUrlencode(phpJsonEncode(notification));
      contentType = 'application/json'; // sic: ObjectData maps JSON to application/json even when url-encoded
      break;
    case 'xml':
      body = `data=<notification>${kalturaXml(notification)}</notification>`;
      contentType = 'application/xml';
      break;
    case 'php':
      body = 'data=' + phpSerialize(notification);
      contentType = 'application/xml'; // sic: everything that is not JSON maps to XML
      break;
    case 'fields':
      body = phpHttpBuildQuery(
        Object.entries(
          options.fields ?? {
            entry_id: String(object['id'] ?? entryId),
            entry_status: String(object['status'] ?? status),
            partner_id: String(partnerId),
            entry_name: String(object['name'] ?? ''),
          },
        ),
      );
      contentType = options.contentType;
      break;
    case 'text':
      body = options.text ?? `Entry ${String(object['id'] ?? entryId)} ("${String(object['name'] ?? '')}") changed status to ${status}`;
      contentType = options.contentType;
      break;
    case 'empty':
      body = '';
      contentType = undefined;
      break;
  }

  const basePath = options.path ?? '/webhook';
  const path = method === 'GET' ? `${basePath}?${body}` : basePath;
  const bodyBytes = method === 'GET' ? Buffer.alloc(0) : Buffer.from(body, 'utf8');
  const headers: Record<string, string> = {};
  if (options.host) headers['Host'] = options.host;
  if (options.basicAuth) {
    headers['Authorization'] = 'Basic ' + Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`, 'utf8').toString('base64');
  }
  headers['User-Agent'] = KALTURA_BATCH_USER_AGENT;
  headers['Accept'] = '*/*';
  if (options.secret !== undefined) {
    const signingAlgo = options.sendAlgoHeader === false ? 'sha1' : algo;
    headers['X-KALTURA-SIGNATURE'] = kalturaSignature(options.secret, body, signingAlgo);
    if (options.sendAlgoHeader !== false) headers['X-KALTURA-HASH-ALGO'] = algo;
  }
  for (const [k, v] of options.customHeaders ?? []) headers[k] = v;
  if (contentType) headers['Content-Type'] = contentType;
  contentLength(headers, bodyBytes, method);
  // libcurl adds its form default after Content-Length when the engine set no Content-Type on a body-carrying request.
  if (!contentType && method !== 'GET') headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return { method, path, headers, body: bodyBytes };
}

const LEGACY_DEFAULT_TYPES = ['entry_add', 'entry_update', 'entry_delete'];

/** A legacy partner notification (single or multi) as KAsyncNotifier posts it. */
export function buildLegacySample(options: LegacySampleOptions = {}): SampleRequest {
  const count = Math.max(1, Math.floor(options.count ?? 1));
  const partnerId = options.partnerId ?? 123456;
  const firstId = options.firstNotificationId ?? randomInt(1_000_000, 900_000_000);
  const types = options.types?.length ? options.types : LEGACY_DEFAULT_TYPES;
  const notifications: LegacyNotificationInput[] = Array.from({ length: count }, (_, i) => {
    const type = types[i % types.length]!;
    const entryId = options.entryId ?? randomEntryId(partnerId);
    return {
      notificationId: firstId + i,
      notificationType: type,
      puserId: options.puserId ?? 'admin@example.com',
      partnerId,
      objectIdKey: type.startsWith('user_') ? LEGACY_OBJECT_ID_KEYS[3] : LEGACY_OBJECT_ID_KEYS[1],
      objectId: type.startsWith('user_') ? `user${i + 1}@example.com` : entryId,
      data: type.startsWith('user_')
        ? [['screen_name', `User ${i + 1}`]]
        : [
            ['name', `Sample video ${i + 1}`],
            ['description', 'Legacy notification sample'],
            ['tags', 'sample, legacy'],
            ['status', type === 'entry_delete' ? 3 : 2],
            ['media_type', 1],
            ['length_in_msecs', 93600],
            ['thumbnail_url', `https://cfvod.kaltura.com/p/${partnerId}/thumbnail/entry_id/${entryId}`],
          ],
    };
  });
  let params = buildLegacyParams(notifications, options.secret ?? '');
  if (options.secret === undefined) params = params.filter(([k]) => k !== 'sig');
  const body = Buffer.from(phpHttpBuildQuery(params), 'utf8');
  const headers: Record<string, string> = {};
  if (options.host) headers['Host'] = options.host;
  headers['Accept'] = '*/*';
  headers['Content-Length'] = String(body.length);
  headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return { method: 'POST', path: options.path ?? '/webhook', headers, body };
}

function hexId(bytes = 12): string {
  return randomBytes(bytes).toString('hex');
}

/** An EnableX video webhook for each documented type (or any other type string). */
export function buildEnablexSample(options: EnablexSampleOptions = {}): SampleRequest {
  const type = options.type ?? 'recording';
  const appId = options.appId ?? hexId();
  const roomId = options.roomId ?? hexId();
  const confNum = options.confNum ?? String(randomInt(100_000, 999_999));
  const base = { type, trans_date: options.transDate ?? Math.floor(Date.now() / 1000), app_id: appId, room_id: roomId, conf_num: confNum };
  const fileBase = `https://recordings.enablex.io/${appId}/${roomId}`;
  let event: Record<string, unknown>;
  switch (type) {
    case 'roomdrop':
      event = base;
      break;
    case 'recording':
      event = { ...base, recording: [`${fileBase}/${confNum}_1.mkv`, `${fileBase}/${confNum}_2.mkv`] };
      break;
    case 'transcoded':
      event = { ...base, recording: `${fileBase}/${confNum}_transcoded.mp4`, stage: '1', file_size: '48211833' };
      break;
    case 'file-transfer':
      event = { ...base, destination: { name: 'awss3', account: 'recordings-bucket' }, files: [{ url: `s3://recordings-bucket/${roomId}/${confNum}.mp4` }] };
      break;
    default:
      event = base;
  }
  options.edit?.(event);
  let text = JSON.stringify(event);
  if (options.docStyle) text = text.replace(/"/g, '\u201c').replace(/\u201c([,:}\]])/g, '\u201d$1').replace(/}$/, ',}');
  const body = Buffer.from(text, 'utf8');
  const headers: Record<string, string> = {};
  if (options.host) headers['Host'] = options.host;
  if (options.basicAuth) {
    headers['Authorization'] = 'Basic ' + Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`, 'utf8').toString('base64');
  }
  headers['Content-Type'] = 'application/json';
  headers['Content-Length'] = String(body.length);
  return { method: 'POST', path: options.path ?? '/webhook', headers, body };
}

export function buildSampleRequest(kind: 'kaltura', options?: KalturaSampleOptions): SampleRequest;
export function buildSampleRequest(kind: 'kaltura-legacy' | 'kaltura-legacy-multi', options?: LegacySampleOptions): SampleRequest;
export function buildSampleRequest(kind: 'enablex', options?: EnablexSampleOptions): SampleRequest;
export function buildSampleRequest(kind: SampleKind, options?: SampleOptions): SampleRequest;
export function buildSampleRequest(kind: SampleKind, options: SampleOptions = {}): SampleRequest {
  switch (kind) {
    case 'kaltura':
      return buildKalturaSample(options as KalturaSampleOptions);
    case 'kaltura-legacy':
      return buildLegacySample(options as LegacySampleOptions);
    case 'kaltura-legacy-multi': {
      const o = options as LegacySampleOptions;
      return buildLegacySample({ ...o, count: o.count && o.count > 1 ? o.count : 2 });
    }
    case 'enablex':
      return buildEnablexSample(options as EnablexSampleOptions);
    default:
      throw new Error(`unknown sample kind "${String(kind)}"; use kaltura, kaltura-legacy, kaltura-legacy-multi or enablex`);
  }
}

/** Turns a sample into the CapturedRequest the receiver would have recorded (for `ingest`). */
export function sampleToCapturedRequest(sample: SampleRequest, requestId: string, receivedAt = new Date().toISOString()): CapturedRequest {
  const rawHeaders = Object.entries(sample.headers) as Array<[string, string]>;
  const headers: Record<string, string> = {};
  for (const [k, v] of rawHeaders) headers[k.toLowerCase()] = v;
  return {
    requestId,
    receivedAt,
    method: sample.method,
    path: sample.path,
    httpVersion: '1.1',
    rawHeaders,
    headers,
    body: sample.body,
    bodySize: sample.body.length,
    bodyTruncated: false,
  };
}
