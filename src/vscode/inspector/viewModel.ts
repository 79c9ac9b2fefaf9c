// Turns a WebhookEvent into the inspector's display model. Pure (no vscode import), unit-tested.
// Everything here is data: the webview renders it with textContent only.
import type { WebhookEvent } from '../../core/events/model';
import { isConnectionHeader } from '../../core/forward/hopByHop';
import { entryStatusName, eventObjectTypeName, eventTypeName } from '../../protocol/names';
import { SOURCE_LABELS } from '../views/eventGrouping';
import type { DecodedFormat, InspectorModel, JsonValue } from './protocol';

/** Raw bodies above this are cut for display (the full body stays available via "open raw"). */
export const MAX_DISPLAY_BODY_BYTES = 256 * 1024;

function localTime(iso: string | number, locale?: string): string {
  const d = typeof iso === 'number' ? new Date(iso) : new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(locale);
}

/** JSON-safe copy (drops functions, turns Buffers/bigints into strings, cuts cycles and very deep nesting). */
/** Longest string the decoded tree shows; the rest is one click away (Open Raw Body), as for the raw body. */
export const MAX_DECODED_STRING = 16 * 1024;

function capped(text: string): string {
  if (text.length <= MAX_DECODED_STRING) return text;
  return `${text.slice(0, MAX_DECODED_STRING)}… [${text.length - MAX_DECODED_STRING} more characters: Open Raw Body shows all]`;
}

export function toJsonValue(value: unknown, depth = 0, seen = new WeakSet<object>()): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return capped(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return String(value);
  if (depth > 40) return '[nested too deep]';
  if (Buffer.isBuffer(value)) return capped(value.toString('utf8'));
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => toJsonValue(v, depth + 1, seen));
  if (value instanceof Map) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of value) out[String(k)] = toJsonValue(v, depth + 1, seen);
    return out;
  }
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v !== 'function') out[k] = toJsonValue(v, depth + 1, seen);
  return out;
}

function isBinary(body: Buffer): boolean {
  const sample = body.subarray(0, 4096);
  return sample.includes(0);
}

function decodedOf(event: WebhookEvent): InspectorModel['decoded'] {
  const p = event.parsed;
  switch (p.kind) {
    case 'kaltura': {
      const format: DecodedFormat =
        p.bodyFormat === 'json' || p.bodyFormat === 'json-urlencoded'
          ? 'json'
          : p.bodyFormat === 'fields'
            ? 'form'
            : p.bodyFormat === 'xml'
              ? 'xml'
              : p.bodyFormat === 'php'
                ? 'php'
                : p.bodyFormat === 'text'
                  ? 'text'
                  : 'none';
      const labels: Record<DecodedFormat, string> = {
        json: p.bodyFormat === 'json-urlencoded' ? 'JSON (url-encoded data=)' : 'JSON',
        form: 'Form fields',
        xml: 'XML',
        php: 'PHP serialized',
        text: 'Text',
        none: 'Empty body',
      };
      const value = p.decoded ?? p.fields ?? p.text;
      return { format, label: labels[format], value: value === undefined ? undefined : toJsonValue(value) };
    }
    case 'kaltura-legacy':
      return { format: 'form', label: `Form fields (notification ${p.index}${p.multi ? ' of a multi-notification' : ''})`, value: toJsonValue(p.fields) };
    case 'enablex':
      return { format: 'json', label: 'JSON', value: toJsonValue(p.body) };
    default:
      return p.decoded === undefined
        ? { format: 'none', label: 'Not decoded', value: undefined }
        : { format: typeof p.decoded === 'string' ? 'text' : 'json', label: p.contentType ? `Decoded (${p.contentType})` : 'Decoded', value: toJsonValue(p.decoded) };
  }
}

function named(value: string | number | undefined, name: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  return name ? `${name} (${value})` : String(value);
}

function detailsOf(event: WebhookEvent, locale?: string): Array<[string, string]> {
  const rows: Array<[string, string | undefined]> = [];
  const p = event.parsed;
  if (p.kind === 'kaltura') {
    rows.push(['Event type', named(p.eventType, p.eventTypeName ?? eventTypeName(p.eventType))]);
    rows.push(['Event object type', named(p.eventObjectType, p.eventObjectTypeName ?? eventObjectTypeName(p.eventObjectType))]);
    rows.push(['Template', [p.templateName, p.templateId !== undefined ? `#${p.templateId}` : undefined].filter(Boolean).join(' ') || undefined]);
    rows.push(['Template system name', p.templateSystemName]);
    rows.push(['Job id (dedupe key)', p.jobId !== undefined ? String(p.jobId) : undefined]);
    rows.push(['Partner id', p.partnerId !== undefined ? String(p.partnerId) : undefined]);
    rows.push(['Object type', p.objectType]);
    rows.push(['Object id', p.objectId]);
    const status = p.object?.['status'];
    const statusName = p.objectStatusName ?? (typeof status === 'number' || typeof status === 'string' ? entryStatusName(status) : undefined);
    rows.push(['Entry status', named(typeof status === 'number' || typeof status === 'string' ? status : undefined, statusName) ?? statusName]);
    for (const key of ['createdAt', 'updatedAt']) {
      const v = p.object?.[key];
      if (typeof v === 'number' && v > 0) rows.push([`Object ${key} (local)`, localTime(v * 1000, locale)]);
    }
    rows.push(['Body format', p.bodyFormat]);
  } else if (p.kind === 'kaltura-legacy') {
    rows.push(['Notification type', p.notificationType]);
    rows.push(['Notification id (dedupe key)', p.notificationId]);
    rows.push(['Partner id', p.partnerId]);
    rows.push([p.objectIdKey ?? 'Object id', p.objectId]);
    const status = p.fields['status'];
    if (status !== undefined) rows.push(['Entry status', named(status, entryStatusName(status))]);
    rows.push(['Multi-notification', p.multi ? `notification ${p.index} of ${event.countInRequest}` : 'no']);
  } else if (p.kind === 'enablex') {
    rows.push(['EnableX type', p.known ? p.type : `${p.type} (unknown type)`]);
    rows.push(['App id', p.appId]);
    rows.push(['Room id', p.roomId]);
    rows.push(['Conference number', p.confNum]);
    if (p.transDate !== undefined) rows.push(['Transaction date (local)', localTime(p.transDate * 1000, locale)]);
    if (p.recordings?.length) rows.push(['Recordings', p.recordings.join('\n')]);
    rows.push(['Stage', p.stage]);
    if (p.fileSize !== undefined) rows.push(['File size', `${p.fileSize} bytes`]);
    if (p.destination) rows.push(['Destination', [p.destination.name, p.destination.host, p.destination.account].filter(Boolean).join(' · ')]);
    if (p.files?.length) rows.push(['Files', p.files.join('\n')]);
  } else {
    rows.push(['Content type', p.contentType]);
  }
  rows.push(['Dedupe key', event.dedupeKey]);
  rows.push(['Deliveries by the sender', String(event.deliveryCount)]);
  if (event.replayOf) rows.push([event.replayEdited ? 'Edited replay of' : 'Replay of', event.replayOf]);
  if (event.persisted === false) rows.push(['Stored', 'not persisted: the event log could not be written (the sender was answered 503)']);
  const f = event.forward;
  if (f) {
    rows.push(['Forwarded to', f.url]);
    rows.push(['App answered', f.error !== undefined ? `no answer: ${f.error}` : `HTTP ${f.status} in ${f.durationMs} ms`]);
  }
  return rows.filter((r): r is [string, string] => typeof r[1] === 'string' && r[1] !== '');
}

export function buildInspectorModel(event: WebhookEvent, deliveries: WebhookEvent[], locale?: string): InspectorModel {
  const req = event.request;
  const binary = isBinary(req.body);
  const shown = req.body.subarray(0, MAX_DISPLAY_BODY_BYTES);
  const v = event.verification;
  return {
    eventId: event.id,
    summary: event.summary,
    source: event.source,
    sourceLabel: SOURCE_LABELS[event.source] ?? event.source,
    type: event.type,
    origin: event.origin ?? 'network',
    receivedAtIso: event.receivedAt,
    receivedAtLocal: localTime(event.receivedAt, locale),
    requestLine: `${req.method} ${req.path} HTTP/${req.httpVersion}`,
    ...(req.remoteAddress ? { remoteAddress: req.remoteAddress } : {}),
    headers: req.rawHeaders.map(([k, val]) => [k, val] as [string, string]),
    rawBody: {
      text: binary ? shown.toString('base64') : shown.toString('utf8'),
      size: req.bodySize,
      shownBytes: shown.length,
      truncatedForDisplay: req.body.length > shown.length,
      truncatedByReceiver: req.bodyTruncated,
      binary,
    },
    decoded: decodedOf(event),
    verification: {
      status: v.status,
      ...(v.method ? { method: v.method } : {}),
      ...(v.algorithm ? { algorithm: v.algorithm } : {}),
      ...(v.secretLabel ? { secretLabel: v.secretLabel } : {}),
      ...(v.expected ? { expected: v.expected } : {}),
      ...(v.received ? { received: v.received } : {}),
      ...(v.reason ? { reason: v.reason } : {}),
    },
    details: detailsOf(event, locale),
    duplicates:
      deliveries.length > 1
        ? deliveries.map((d, i) => ({
            id: d.id,
            receivedAtLocal: localTime(d.receivedAt, locale),
            current: d.id === event.id,
            label: i === 0 ? 'first delivery' : `delivery ${i + 1}`,
          }))
        : [],
    problems: [...event.problems],
    ...(event.response ? { response: { ...event.response } } : {}),
    ...(event.forward ? { appExchange: appExchangeOf(event.forward, req.rawHeaders) } : {}),
  };
}

function appExchangeOf(f: NonNullable<WebhookEvent['forward']>, received: ReadonlyArray<readonly [string, string]>): NonNullable<InspectorModel['appExchange']> {
  const answered = f.error === undefined && f.status !== undefined;
  const headers: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(f.headers ?? {})) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.push([name, v]);
  }
  return {
    url: f.url,
    // What the forwarder sent: the received headers without the ones that describe the receiver's connection.
    requestHeaders: received.filter(([name]) => !isConnectionHeader(name)).map(([k, v]) => [k, v] as [string, string]),
    statusLine: answered ? `HTTP ${f.status} in ${f.durationMs} ms` : `no answer: ${f.error ?? 'unknown'}`,
    answered,
    headers,
    body: f.body ?? '',
    bodyTruncated: f.bodyTruncated === true,
  };
}
