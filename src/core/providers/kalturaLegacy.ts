// Legacy (pre-plugin) Kaltura partner notifications, kaltura-protocol.md §2: form posts signed with `sig`,
// optionally carrying several notifications as `notN_` keys. Verification follows the reference receivers
// (kaltura/http-notification-handler Client.php / Notification.java), not a stricter reading.
import type { CapturedRequest, KalturaLegacyPayload, Verification } from '../events/model';
import { entryStatusName, legacyNotificationTypeName } from '../../protocol/names';
import { MAX_NOTIFICATIONS_PER_REQUEST, ProblemList, quoteClip } from '../../protocol/budgets';
import { legacyNotificationKey } from '../../protocol/dedupeKeys';
import { decodeForm } from '../../protocol/formDecode';
import { setOwn } from '../../protocol/ownProps';
import { truncatedBodyProblem } from './requestProblems';
import { expectedPrefix, legacySig, timingSafeEqualHex } from '../../protocol/signing';
import type { ParsedNotification, SecretCandidate, VerificationCredentials, WebhookProvider } from './types';
import { decodeUtf8, invalidUtf8Problem } from '../../protocol/utf8Text';

const OBJECT_ID_KEYS = ['entry_id', 'kshow_id', 'user_id', 'job_id'] as const;
const MULTI_KEY = /^not(\d+)_(.+)$/;

/** PHP truthiness of a POST value: missing, "" and "0" are false. */
function phpTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0';
}

/**
 * The params the receiver signs (§2.3 receiver rule): sorted by key, `sig` skipped; for a single notification
 * whose signed_fields lists more than one element, only listed keys plus multi_notification and
 * number_of_notifications. Multi notifications (multi_notification truthy) include every key.
 */
export function legacySignedParams(params: Record<string, string>): Array<[string, string]> {
  const listed = new Set(params['signed_fields'] !== undefined ? params['signed_fields'].split(',') : []);
  const filter = listed.size > 1 && !phpTruthy(params['multi_notification']);
  return Object.entries(params).filter(([k]) => {
    if (k === 'sig') return false;
    if (!filter) return true;
    return listed.has(k) || k === 'multi_notification' || k === 'number_of_notifications';
  });
}

export function verifyLegacySig(params: Record<string, string>, secrets: SecretCandidate[], bodyTruncated = false): Verification {
  const received = params['sig'];
  if (received === undefined) {
    return {
      status: 'unsigned',
      reason: 'legacy notification without a sig field: the sender signs every notification with the partner admin secret, so something stripped it',
    };
  }
  const base = { method: 'kaltura-legacy-sig' as const, algorithm: 'md5', received };
  if (bodyTruncated) return { status: 'failed', ...base, reason: 'body was cut at the size limit, so sig cannot be checked; raise the receiver\'s body limit' };
  // Same choice as for X-KALTURA-SIGNATURE: a sig we cannot check must not look trustworthy.
  if (secrets.length === 0) {
    return { status: 'failed', ...base, reason: 'signed with md5 sig, but no secret is configured to check it: connect the Kaltura account or add the partner admin secret' };
  }
  const signed = legacySignedParams(params);
  let matched: SecretCandidate | undefined;
  for (const secret of secrets) {
    if (timingSafeEqualHex(legacySig(signed, secret.secret), received) && !matched) matched = secret;
  }
  if (matched) return { status: 'verified', ...base, secretLabel: matched.label };
  const n = secrets.length;
  return {
    status: 'failed',
    ...base,
    expected: expectedPrefix(legacySig(signed, secrets[0]!.secret)),
    reason:
      `sig matches none of ${n} configured secret${n === 1 ? '' : 's'} (${secrets.map((s) => s.label).join(', ')}); ` +
      'legacy notifications are signed with the partner admin secret: check that it is configured',
  };
}

interface FormParams {
  /** Last value wins, like PHP's $_POST. */
  params: Record<string, string>;
  order: string[];
  problems: string[];
}

function readParams(request: CapturedRequest): FormParams {
  const { text, invalidAt } = decodeUtf8(request.body);
  const problems: string[] = [];
  if (invalidAt !== undefined) problems.push(invalidUtf8Problem(invalidAt));
  const form = decodeForm(text.trim());
  for (const p of form.problems) problems.push(p);
  const params: Record<string, string> = {};
  const order: string[] = [];
  const repeated = new Set<string>();
  for (const [k, v] of form.pairs) {
    if (Object.prototype.hasOwnProperty.call(params, k)) repeated.add(k);
    else order.push(k);
    setOwn(params, k, v);
  }
  if (repeated.size) problems.push(`repeated form keys (${listSome([...repeated])}): the last value is used, as PHP does`);
  return { params, order, problems };
}

/** Splits `notN_` keys into per-notification field sets, ordered by N (the reference receivers' grouping). */
export function splitMultiNotification(params: Record<string, string>): Array<{ index: number; fields: Record<string, string> }> {
  const groups = new Map<number, Record<string, string>>();
  for (const [key, value] of Object.entries(params)) {
    const m = MULTI_KEY.exec(key);
    if (!m) continue;
    const index = Number(m[1]);
    const fields = groups.get(index) ?? {};
    setOwn(fields, m[2]!, value);
    groups.set(index, fields);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([index, fields]) => ({ index, fields }));
}

function payloadFor(fields: Record<string, string>, index: number, multi: boolean, topPartnerId?: string): KalturaLegacyPayload {
  const objectIdKey = OBJECT_ID_KEYS.find((k) => fields[k] !== undefined);
  const rawType = fields['notification_type'];
  return {
    kind: 'kaltura-legacy',
    notificationId: fields['notification_id'],
    notificationType: rawType !== undefined && /^\d+$/.test(rawType) ? legacyNotificationTypeName(rawType) ?? rawType : rawType,
    partnerId: fields['partner_id'] ?? topPartnerId,
    objectIdKey,
    objectId: objectIdKey ? fields[objectIdKey] : undefined,
    index,
    multi,
    fields,
  };
}

function summaryFor(p: KalturaLegacyPayload, count: number): string {
  const status = p.objectIdKey === 'entry_id' && p.fields['status'] !== undefined ? entryStatusName(p.fields['status']) : undefined;
  const detail = [p.objectId, status, p.fields['name'] ? `"${p.fields['name']}"` : undefined].filter(Boolean).join(' ');
  const position = p.multi ? ` (${p.index} of ${count})` : '';
  return `Legacy ${p.notificationType ?? 'notification'}${detail ? ` · ${detail}` : ''}${position}`;
}

/** Form posts with the legacy shape: notification_id/notification_type keys, or notN_ keys with a sig. */
export function detectKalturaLegacy(request: CapturedRequest): boolean {
  // An X-KALTURA-SIGNATURE header means an HTTP notification, even if its DataFields look legacy-shaped.
  if (request.headers['x-kaltura-signature'] !== undefined) return false;
  const head = request.body.subarray(0, 4096).toString('latin1');
  if (!/^\s*[A-Za-z0-9_%.+-]+=/.test(head)) return false;
  const hasSingle = /(?:^|&)notification_(?:id|type)=/.test(head);
  const hasMulti = /(?:^|&)not\d+_notification_(?:id|type)=/.test(head) || /(?:^|&)multi_notification=/.test(head);
  return hasSingle || hasMulti;
}

export function parseKalturaLegacyRequest(request: CapturedRequest, credentials: VerificationCredentials): ParsedNotification[] {
  if (request.bodyTruncated) {
    const payload: KalturaLegacyPayload = { kind: 'kaltura-legacy', index: 1, multi: false, fields: {} };
    return [
      {
        source: 'kaltura-legacy',
        type: 'unknown',
        summary: 'Legacy notification (body cut at the size limit)',
        parsed: payload,
        verification: verifyLegacySig({ sig: '' }, credentials.kalturaSecrets, true),
        problems: [truncatedBodyProblem(request)],
      },
    ];
  }
  const { params, problems } = readParams(request);
  const verification = verifyLegacySig(params, credentials.kalturaSecrets);
  const multi = params['multi_notification'] === 'true';
  let payloads: KalturaLegacyPayload[];
  if (multi) {
    const groups = splitMultiNotification(params);
    const announced = params['number_of_notifications'];
    if (announced !== undefined && Number(announced) !== groups.length) {
      problems.push(`number_of_notifications says ${announced} but ${groups.length} notN_ groups were found; showing the groups found`);
    }
    if (groups.length > MAX_NOTIFICATIONS_PER_REQUEST) {
      problems.push(
        `${groups.length} notifications in one request: the first ${MAX_NOTIFICATIONS_PER_REQUEST} are shown as events, ` +
          'the rest are in the raw body only',
      );
      groups.length = MAX_NOTIFICATIONS_PER_REQUEST;
    }
    if (groups.length === 0) {
      problems.push('multi_notification=true but no notN_ keys were found');
      payloads = [payloadFor(params, 1, false)];
    } else {
      payloads = groups.map((g) => payloadFor(g.fields, g.index, true, params['partner_id']));
    }
  } else {
    const { sig: _sig, signed_fields: _signed, ...fields } = params;
    payloads = [payloadFor(fields, 1, false)];
  }
  const withoutId = payloads.filter((p) => p.notificationId === undefined).map((p) => String(p.index));
  if (withoutId.length === 1) problems.push(`notification ${withoutId[0]} has no notification_id, so repeats cannot be recognised`);
  else if (withoutId.length > 1) problems.push(`notifications ${listSome(withoutId)} have no notification_id, so repeats cannot be recognised`);
  // Every split notification shares the request's problems: one bounded list, not a copy per notification.
  const bounded = new ProblemList();
  bounded.addAll(problems);
  const shared = bounded.list();
  return payloads.map((p) => ({
    source: 'kaltura-legacy',
    type: p.notificationType ?? 'unknown',
    summary: summaryFor(p, payloads.length),
    dedupeKey: p.notificationId !== undefined ? legacyNotificationKey(p.partnerId, p.notificationId) : undefined,
    parsed: p,
    // One sig covers the whole request, so every split notification shares the result.
    verification: { ...verification },
    problems: shared,
  }));
}

/** "1, 2, 3 … (N in all)": a list of client-supplied names that cannot grow a problem without bound. */
function listSome(items: string[], max = 10): string {
  const shown = items.slice(0, max).map((s) => quoteClip(s)).join(', ');
  return items.length > max ? `${shown} … (${items.length} in all)` : shown;
}

export const kalturaLegacyProvider: WebhookProvider = {
  source: 'kaltura-legacy',
  detect: detectKalturaLegacy,
  parse: parseKalturaLegacyRequest,
};
