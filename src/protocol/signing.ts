// Signature primitives shared by the providers, the sandbox and the sample builders
// (kaltura-protocol.md §1.2 for X-KALTURA-SIGNATURE, §2.2–2.4 for the legacy `sig`).
import { createHash, timingSafeEqual } from 'node:crypto';

/** Hex digits of an expected signature that are kept. */
export const EXPECTED_PREFIX_CHARS = 8;

/**
 * What a failed verification keeps of the signature it expected. The whole value would be a valid signature for the
 * sender's body under the user's secret: kept in a log or an export, it is a forgery kit.
 */
export function expectedPrefix(signature: string): string {
  return signature.length > EXPECTED_PREFIX_CHARS ? `${signature.slice(0, EXPECTED_PREFIX_CHARS)}…` : signature;
}

export type KalturaHashAlgo = 'sha1' | 'sha256' | 'sha512';

export const KALTURA_HASH_ALGOS: readonly KalturaHashAlgo[] = ['sha1', 'sha256', 'sha512'];

export function isKalturaHashAlgo(value: string): value is KalturaHashAlgo {
  return (KALTURA_HASH_ALGOS as readonly string[]).includes(value);
}

/**
 * hex_lower(HASH(secret bytes + body bytes)). A plain hash of the concatenation, NOT an HMAC:
 * that is what KDispatchHttpNotificationEngine sends.
 */
export function kalturaSignature(secret: string, body: Buffer | string, algo: KalturaHashAlgo): string {
  const hash = createHash(algo);
  hash.update(secret, 'utf8');
  if (typeof body === 'string') hash.update(body, 'utf8');
  else hash.update(body);
  return hash.digest('hex');
}

export type HashAlgoFromHeader =
  | { ok: true; algo: KalturaHashAlgo; fromHeader: boolean }
  | { ok: false; value: string; reason: string };

/** X-KALTURA-HASH-ALGO → algorithm. Absent (Gen 2 senders) means sha1; an unknown value is reported, never guessed. */
export function hashAlgoFromHeader(header?: string | null): HashAlgoFromHeader {
  if (header === undefined || header === null || header.trim() === '') return { ok: true, algo: 'sha1', fromHeader: false };
  const value = header.trim().toLowerCase().replace(/-/g, '');
  if ((KALTURA_HASH_ALGOS as readonly string[]).includes(value)) return { ok: true, algo: value as KalturaHashAlgo, fromHeader: true };
  return {
    ok: false,
    value: header,
    reason: `unknown X-KALTURA-HASH-ALGO "${header}": Kaltura only sends sha1, sha256 or sha512`,
  };
}

/** Template secureHashingAlgo (1 SHA_1, 2 SHA_256, 3 SHA_512) → algorithm; anything else falls back to sha1 like the engine. */
export function secureHashingAlgoToName(value?: number | string | null): KalturaHashAlgo {
  const n = Number(value);
  if (n === 2) return 'sha256';
  if (n === 3) return 'sha512';
  return 'sha1';
}

/**
 * Constant-time compare of two strings. Unequal lengths return false after a dummy compare of the same
 * cost, so the time spent does not depend on where the contents differ.
 */
export function timingSafeEqualString(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ba.length !== bb.length) {
    timingSafeEqual(ba, ba);
    return false;
  }
  return timingSafeEqual(ba, bb);
}

/** Constant-time, case-insensitive compare of hex digests (Kaltura sends lower case; some proxies upper-case). */
export function timingSafeEqualHex(a: string, b: string): boolean {
  return timingSafeEqualString(a.trim().toLowerCase(), b.trim().toLowerCase());
}

/** PHP urlencode(): RFC 1738 form encoding, space → '+', only [A-Za-z0-9_.-] left as is. */
export function phpUrlencode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** PHP http_build_query over ordered pairs (scalars only, which is all the senders use). */
export function phpHttpBuildQuery(pairs: Array<[string, string]>): string {
  return pairs.map(([k, v]) => `${phpUrlencode(k)}=${phpUrlencode(v)}`).join('&');
}

function toPairs(params: Array<[string, string]> | Record<string, string>): Array<[string, string]> {
  return Array.isArray(params) ? params : Object.entries(params);
}

/** PHP ksort() on string keys compares bytes; JS `<` compares UTF-16 code units, which differs beyond the BMP. */
function byteOrder(a: { bytes: Buffer }, b: { bytes: Buffer }): number {
  return Buffer.compare(a.bytes, b.bytes);
}

/**
 * Legacy `sig` (§2.3): md5_hex(secret + concat over params sorted by key of key + value), `sig` itself skipped.
 * The caller decides which keys take part (sender: all; receiver: see kalturaLegacy.ts).
 */
export function legacySig(params: Array<[string, string]> | Record<string, string>, secret: string): string {
  const sorted = toPairs(params)
    .filter(([k]) => k !== 'sig')
    .map(([k, v]) => ({ k, v, bytes: Buffer.from(k, 'utf8') }))
    .sort(byteOrder);
  const hash = createHash('md5');
  hash.update(secret, 'utf8');
  for (const { k, v } of sorted) hash.update(k + v, 'utf8');
  return hash.digest('hex');
}

/** One legacy notification, as the KAsyncNotifier builds it (§2.2). */
export interface LegacyNotificationInput {
  notificationId: string | number;
  /** Wire string such as entry_add. */
  notificationType: string;
  puserId?: string;
  partnerId: string | number;
  /** The one object-id key (entry_id, kshow_id, user_id or job_id) and its value. */
  objectIdKey: 'entry_id' | 'kshow_id' | 'user_id' | 'job_id';
  objectId: string;
  /** Data fields in order (name, status, media_type, ...). */
  data?: Array<[string, string | number | null | undefined]> | Record<string, string | number | null | undefined>;
}

/** Steps 1–7 of §2.2: the ordered, trimmed key/value pairs of one notification. */
function notificationPairs(n: LegacyNotificationInput): Array<[string, string]> {
  const raw: Array<[string, string | number | null | undefined]> = [
    ['notification_id', n.notificationId],
    ['notification_type', n.notificationType],
    ['puser_id', n.puserId],
    ['partner_id', n.partnerId],
    [n.objectIdKey, n.objectId],
    ...(n.data ? (Array.isArray(n.data) ? n.data : Object.entries(n.data)) : []),
  ];
  // PHP arrays keep the first insertion position when a key repeats, with the last value.
  const out = new Map<string, string>();
  for (const [k, v] of raw) out.set(String(k).trim(), v === null || v === undefined ? '' : String(v).trim());
  return [...out.entries()];
}

/** Insertion-ordered map with PHP array_merge semantics for string keys (existing keys keep their slot). */
function mergeInto(target: Map<string, string>, pairs: Array<[string, string]>): void {
  for (const [k, v] of pairs) target.set(k, v);
}

function signedFieldsFor(keys: string[]): string {
  return [...keys, 'signed_fields'].map((k) => k + ',').join('');
}

/**
 * The ordered params of a legacy notification body, exactly as KAsyncNotifier builds them (§2.2–2.4):
 * one notification → single format; several → `notN_` prefixes, the last notification's unprefixed
 * signed_fields/sig, then multi_notification/number_of_notifications and a final sig over everything.
 */
export function buildLegacyParams(notifications: LegacyNotificationInput[], secret: string): Array<[string, string]> {
  if (notifications.length === 0) throw new Error('buildLegacyParams needs at least one notification');
  if (notifications.length === 1) {
    const params = new Map(notificationPairs(notifications[0]!));
    params.set('signed_fields', signedFieldsFor([...params.keys()]));
    params.set('sig', legacySig([...params.entries()], secret));
    return [...params.entries()];
  }
  const params = new Map<string, string>();
  notifications.forEach((n, i) => {
    const prefixed = notificationPairs(n).map(([k, v]): [string, string] => [`not${i + 1}_${k}`, v]);
    const own = new Map(prefixed);
    own.set('signed_fields', signedFieldsFor(prefixed.map(([k]) => k)));
    own.set('sig', legacySig([...own.entries()], secret));
    mergeInto(params, [...own.entries()]);
  });
  params.set('multi_notification', 'true');
  params.set('number_of_notifications', String(notifications.length));
  params.set('sig', legacySig([...params.entries()], secret));
  return [...params.entries()];
}

/** The legacy wire body: PHP http_build_query of buildLegacyParams. */
export function buildLegacyBody(notifications: LegacyNotificationInput[], secret: string): string {
  return phpHttpBuildQuery(buildLegacyParams(notifications, secret));
}
