// The body and Content-Type of one HTTP notification, per data class, exactly as the dispatch job data computes
// them (kaltura-protocol.md §1.6): ObjectData JSON / urlEncoded JSON / XML / PHP, DataFields, DataText, none.
import type { KalturaBodyFormat } from '../core/events/model';
import { phpHttpBuildQuery, phpUrlencode } from '../protocol/signing';
import { evalParameters, evalValue, type EventScope } from './conditions';
import { kalturaXml, phpJsonEncode, phpSerialize } from '../protocol/phpEncoding';
import type { ApiObject } from './types';

export interface NotificationEnvelopeInput {
  object: ApiObject | null;
  eventObjectType: string;
  jobId: number;
  templateId: number;
  templateName?: string;
  templateSystemName?: string;
  eventType: string;
}

export interface NotificationBody {
  body: string;
  /** The job data's contentType; the engine sends the header only when this is non-empty. */
  contentType: string;
  format: KalturaBodyFormat;
}

/** String enums that hold numbers go out as JSON numbers (`"eventType":3`), as in sample and live payloads. */
function enumValue(value: string): string | number {
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** KalturaHttpNotification, members in the order of the sample payloads. */
export function notificationEnvelope(input: NotificationEnvelopeInput): ApiObject {
  const envelope: ApiObject = {
    object: input.object ?? undefined,
    eventObjectType: enumValue(input.eventObjectType),
    eventNotificationJobId: input.jobId,
    templateId: input.templateId,
    templateName: input.templateName || undefined,
    templateSystemName: input.templateSystemName || undefined,
    eventType: enumValue(input.eventType),
    objectType: 'KalturaHttpNotification',
  };
  return Object.fromEntries(Object.entries(envelope).filter(([, v]) => v !== undefined)) as ApiObject;
}

function listOf(value: unknown): ApiObject[] {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [];
  return list.filter((v): v is ApiObject => !!v && typeof v === 'object');
}

/** preg_replace("/key/", value, json) for every dataStringReplacements pair (JSON only). */
function applyReplacements(json: string, replacements: unknown): string {
  let out = json;
  for (const pair of listOf(replacements)) {
    if (typeof pair.key !== 'string' || pair.key === '') continue;
    out = out.replace(new RegExp(pair.key, 'g'), String(pair.value ?? ''));
  }
  return out;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

/**
 * Computes body + content type. `data` is the template's `data` member (null for the system templates, which
 * then send no body at all).
 */
export function buildNotificationBody(
  data: ApiObject | null | undefined,
  envelope: NotificationEnvelopeInput,
  template: { contentParameters?: unknown; userParameters?: unknown },
  scope: EventScope,
): NotificationBody {
  if (!data) return { body: '', contentType: '', format: 'empty' };
  switch (data.objectType) {
    case 'KalturaHttpNotificationObjectData': {
      const notification = notificationEnvelope(envelope);
      const format = Number(data.format ?? 1);
      if (format === 2) {
        const xml = kalturaXml(notification, { ignoreNull: isTrue(data.ignoreNull) });
        return { body: `data=<notification>${xml}</notification>`, contentType: 'application/xml', format: 'xml' };
      }
      if (format === 3) return { body: `data=${phpSerialize(notification)}`, contentType: 'application/xml', format: 'php' };
      const json = applyReplacements(phpJsonEncode(notification), data.dataStringReplacements);
      // urlEncode is read by newer servers but not exposed by the generated clients; the sandbox accepts it.
      if (isTrue(data.urlEncode)) return { body: `data=${phpUrlencode(json)}`, contentType: 'application/json', format: 'json-urlencoded' };
      return { body: json, contentType: 'application/json', format: 'json' };
    }
    case 'KalturaHttpNotificationDataFields':
      return { body: phpHttpBuildQuery(evalParameters(template, scope)), contentType: String(data.contentType ?? ''), format: 'fields' };
    case 'KalturaHttpNotificationDataText': {
      const params = evalParameters(template, scope);
      let text = evalValue(data.content, scope).value;
      for (const [key, value] of params) text = text.split(`{${key}}`).join(value);
      return { body: text, contentType: String(data.contentType ?? ''), format: 'text' };
    }
    default:
      throw new Error(`unsupported notification data class ${String(data.objectType)}; use KalturaHttpNotificationObjectData, KalturaHttpNotificationDataFields or KalturaHttpNotificationDataText`);
  }
}

/** `{param}` placeholders in custom header names and values → content parameter values. */
export function substituteParams(text: string, params: Array<[string, string]>): string {
  let out = text;
  for (const [key, value] of params) out = out.split(`{${key}}`).join(value);
  return out;
}
