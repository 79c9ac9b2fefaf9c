// Kaltura HTTP notifications (eventNotification plugin, kaltura-protocol.md §1): detection, parsing of every
// body format into KalturaNotificationPayload, and X-KALTURA-SIGNATURE / Basic-auth verification.
import { z } from 'zod';
import { kalturaJobKey } from '../../protocol/dedupeKeys';
import { KALTURA_BATCH_USER_AGENT, KALTURA_HASH_ALGO_HEADER, KALTURA_SIGNATURE_HEADER } from '../../protocol/kalturaHeaders';
import type { CapturedRequest, KalturaNotificationPayload, Verification } from '../events/model';
import { entryStatusName, eventObjectTypeLabel, eventObjectTypeName, eventTypeLabel, eventTypeName } from '../../protocol/names';
import { verifyBasicAuth } from './basicAuth';
import { decodeKalturaBody, sniffKalturaBodyFormat } from '../../protocol/kalturaBody';
import { truncatedBodyProblem } from './requestProblems';
import { MAX_SIGNED_QUERY_CANDIDATES } from '../../protocol/budgets';
import { KALTURA_HASH_ALGOS, expectedPrefix, hashAlgoFromHeader, kalturaSignature, timingSafeEqualHex, type KalturaHashAlgo } from '../../protocol/signing';
import { readFields } from './zodFields';
import type { ParsedNotification, SecretCandidate, VerificationCredentials, WebhookProvider } from './types';

export { KALTURA_BATCH_USER_AGENT, KALTURA_HASH_ALGO_HEADER, KALTURA_SIGNATURE_HEADER };
// The quoted form is what servers before 2021 sent; both are recognised.
const KALTURA_BATCH_USER_AGENTS: ReadonlySet<string> = new Set([KALTURA_BATCH_USER_AGENT, `"${KALTURA_BATCH_USER_AGENT}"`]);

// ---------------------------------------------------------------------------------------------------------
// Envelope schema. JSON carries numbers, XML carries strings, PHP either: accept both and normalise.

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const intLike = z.preprocess(
  blankToUndefined,
  z.union([z.number().int(), z.string().trim().regex(/^-?\d+$/, 'expected an integer').transform(Number)]).optional(),
);
const enumLike = z.preprocess(blankToUndefined, z.union([z.number(), z.string().trim().min(1)]).transform(String).optional());
const text = z.preprocess(blankToUndefined, z.union([z.string(), z.number().transform(String)]).optional());
const objectRecord = z.preprocess(blankToUndefined, z.record(z.string(), z.unknown()).optional());

/** KalturaHttpNotification, unknown members kept. */
export const kalturaHttpNotificationSchema = z.looseObject({
  objectType: text,
  templateId: intLike,
  templateName: text,
  templateSystemName: text,
  eventType: enumLike,
  eventObjectType: enumLike,
  eventNotificationJobId: intLike,
  partnerId: intLike,
  object: objectRecord,
});
export type KalturaHttpNotificationEnvelope = z.infer<typeof kalturaHttpNotificationSchema>;

/** Field-by-field, so one bad field (say templateId "abc") becomes a problem while the rest still shows. */
function readEnvelope(value: Record<string, unknown>, problems: string[]): KalturaHttpNotificationEnvelope {
  return readCanonicalEnvelope(value) ?? readFields<KalturaHttpNotificationEnvelope>(value, kalturaHttpNotificationSchema.shape, problems);
}

// The receiver's hot path: what Kaltura's JSON sender produces is already in the schema's output form (strings,
// safe integers, a plain object), and for such values each field schema returns its input unchanged (the object
// record as a copy with the same members). Those are taken as they are; anything else (blanks, numeric strings,
// XML/PHP strings, bad values) goes through the zod schema above, which stays the definition.
const ENVELOPE_FIELDS: ReadonlyArray<[string, (v: unknown) => boolean]> = [
  ['objectType', isPlainText],
  ['templateId', isSafeInt],
  ['templateName', isPlainText],
  ['templateSystemName', isPlainText],
  ['eventType', isPlainEnum],
  ['eventObjectType', isPlainEnum],
  ['eventNotificationJobId', isSafeInt],
  ['partnerId', isSafeInt],
  ['object', isPlainRecord],
];

function readCanonicalEnvelope(value: Record<string, unknown>): KalturaHttpNotificationEnvelope | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, accepts] of ENVELOPE_FIELDS) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = value[key];
    if (!accepts(v)) return undefined;
    // enumLike turns numbers into strings.
    out[key] = typeof v === 'number' && (key === 'eventType' || key === 'eventObjectType') ? String(v) : v;
  }
  return out as KalturaHttpNotificationEnvelope;
}

function isPlainText(v: unknown): boolean {
  return typeof v === 'string' && v !== '';
}

function isSafeInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

function isPlainEnum(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  return typeof v === 'string' && v !== '' && v.trim() === v;
}

function isPlainRecord(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && !Object.prototype.hasOwnProperty.call(v, '__proto__');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asInt(v: unknown): number | undefined {
  if (isSafeInt(v)) return v as number;
  const r = intLike.safeParse(v);
  return r.success ? r.data : undefined;
}

function asId(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Entry-like objects carry KalturaEntryStatus in `status` (media, live, playlist, data entries…). */
function isEntryObject(objectType: string | undefined, eventObjectType: string | undefined): boolean {
  if (objectType) return /Entry$/.test(objectType) && !/(?:Category|Vendor|User|Distribution)Entry$/.test(objectType) && objectType !== 'KalturaCategoryEntry';
  return eventObjectType === '1' || eventObjectType === '38';
}

// ---------------------------------------------------------------------------------------------------------
// Parsing

/** Undecodable or DataText bodies are kept as `text` up to this size; beyond it the raw body is the only copy. */
const MAX_PAYLOAD_TEXT_CHARS = 64 * 1024;

export interface KalturaParseResult {
  payload: KalturaNotificationPayload;
  problems: string[];
}

/** Decodes a Kaltura HTTP notification body (never throws). */
export function parseKalturaNotification(body: Buffer, contentType?: string): KalturaParseResult {
  const decoded = decodeKalturaBody(body, contentType);
  const problems = [...decoded.problems];
  const payload: KalturaNotificationPayload = { kind: 'kaltura', bodyFormat: decoded.format };

  if (decoded.format === 'fields' && decoded.fields) {
    const f = decoded.fields;
    payload.fields = f;
    payload.decoded = f;
    // DataFields templates send whatever content parameters the template defines; pick up the usual ones.
    payload.objectId = f['entry_id'] ?? f['object_id'] ?? f['id'] ?? undefined;
    payload.partnerId = asInt(f['partner_id'] ?? f['partnerId']);
    const status = f['entry_status'] ?? f['status'];
    if (status !== undefined && (f['entry_id'] !== undefined || f['entry_status'] !== undefined)) payload.objectStatusName = entryStatusName(status);
    return { payload, problems };
  }
  // The text is the body again: a large one stays in the raw body only (the log and memory would hold it twice).
  if (decoded.text !== undefined && decoded.text.length <= MAX_PAYLOAD_TEXT_CHARS) payload.text = decoded.text;
  if (decoded.value === undefined) return { payload, problems };
  payload.decoded = decoded.value;
  if (!isRecord(decoded.value)) {
    problems.push(`body decodes to ${Array.isArray(decoded.value) ? 'an array' : typeof decoded.value}, expected a KalturaHttpNotification object`);
    return { payload, problems };
  }

  const env = readEnvelope(decoded.value, problems);
  if (env.objectType !== undefined && env.objectType !== 'KalturaHttpNotification') {
    problems.push(`objectType is "${env.objectType}", expected "KalturaHttpNotification"`);
  }
  payload.templateId = env.templateId;
  payload.templateName = env.templateName;
  payload.templateSystemName = env.templateSystemName;
  payload.eventType = env.eventType;
  payload.eventTypeName = eventTypeName(env.eventType);
  payload.eventObjectType = env.eventObjectType;
  payload.eventObjectTypeName = eventObjectTypeName(env.eventObjectType);
  payload.jobId = env.eventNotificationJobId;
  if (env.object) {
    const object = env.object;
    payload.object = object;
    payload.objectType = typeof object['objectType'] === 'string' ? object['objectType'] : undefined;
    payload.objectId = asId(object['id']);
    payload.partnerId = asInt(object['partnerId']) ?? env.partnerId;
    if (object['status'] !== undefined && isEntryObject(payload.objectType, payload.eventObjectType)) {
      payload.objectStatusName = entryStatusName(object['status'] as string | number);
    }
  } else payload.partnerId = env.partnerId;
  return { payload, problems: dedupeStrings(problems) };
}

function dedupeStrings(list: string[]): string[] {
  return [...new Set(list)];
}

/** "OBJECT_CHANGED:ENTRY"; "notification:fields" when the body names no event. */
export function kalturaEventType(p: KalturaNotificationPayload): string {
  if (p.eventType === undefined && p.eventObjectType === undefined) return `notification:${p.bodyFormat}`;
  return `${p.eventTypeName ?? p.eventType ?? '?'}:${p.eventObjectTypeName ?? p.eventObjectType ?? '?'}`;
}

/** "Entry Status Changed · 0_abcd1234 READY". */
export function kalturaSummary(p: KalturaNotificationPayload): string {
  let title: string;
  if (p.templateName) title = p.templateName;
  else if (p.templateSystemName) title = p.templateSystemName;
  else if (p.eventType !== undefined || p.eventObjectType !== undefined) {
    title = `${eventObjectTypeLabel(p.eventObjectType)}: ${eventTypeLabel(p.eventType).toLowerCase()}`;
  } else {
    const what: Record<string, string> = { fields: 'form fields', text: 'text body', empty: 'empty body' };
    title = `Kaltura notification${what[p.bodyFormat] ? ` (${what[p.bodyFormat]})` : ''}`;
  }
  const detail = [p.objectId, p.objectStatusName].filter(Boolean).join(' ');
  return detail ? `${title} · ${detail}` : title;
}

// ---------------------------------------------------------------------------------------------------------
// Verification

function firstHeader(request: CapturedRequest, lowerName: string): string | undefined {
  // Only names of the right length are lower-cased: three lookups per request would otherwise copy every name thrice.
  for (const [name, value] of request.rawHeaders) if (name.length === lowerName.length && name.toLowerCase() === lowerName) return value;
  return request.headers[lowerName];
}

/**
 * The byte strings the sender may have signed. POST/PUT/DELETE: the raw body. GET: the engine appends
 * `'?' . body` to the template URL (even when it already has a query), so a suffix after a '?' may be it: the
 * first MAX_SIGNED_QUERY_CANDIDATES of them (a template URL has one or two), so the hashing stays linear in the path.
 */
function signedCandidates(request: CapturedRequest): { candidates: Buffer[]; cut: boolean } {
  if (request.body.length > 0 || request.method.toUpperCase() !== 'GET') return { candidates: [request.body], cut: false };
  const out: Buffer[] = [];
  let i = request.path.indexOf('?');
  for (; i !== -1 && out.length < MAX_SIGNED_QUERY_CANDIDATES; i = request.path.indexOf('?', i + 1)) {
    out.push(Buffer.from(request.path.slice(i + 1), 'latin1'));
  }
  return { candidates: out.length ? out : [request.body], cut: i !== -1 };
}

function matchSecret(candidates: Buffer[], secrets: SecretCandidate[], algo: KalturaHashAlgo, received: string): SecretCandidate | undefined {
  let matched: SecretCandidate | undefined;
  // No early exit: every candidate is computed and compared, whether or not one already matched.
  for (const secret of secrets) {
    for (const bytes of candidates) {
      if (timingSafeEqualHex(kalturaSignature(secret.secret, bytes, algo), received) && !matched) matched = secret;
    }
  }
  return matched;
}

function listLabels(secrets: SecretCandidate[]): string {
  return secrets.map((s) => s.label).join(', ');
}

/** Verifies X-KALTURA-SIGNATURE (§1.2, §6) over the exact raw bytes. */
export function verifyKalturaSignature(request: CapturedRequest, secrets: SecretCandidate[]): Verification | undefined {
  const received = firstHeader(request, KALTURA_SIGNATURE_HEADER)?.trim();
  if (received === undefined) return undefined;
  const base = { method: 'kaltura-signature' as const, received };
  const algoHeader = firstHeader(request, KALTURA_HASH_ALGO_HEADER);
  const algo = hashAlgoFromHeader(algoHeader);
  if (!algo.ok) return { status: 'failed', ...base, algorithm: algo.value, reason: `${algo.reason}; cannot check the signature` };
  const verification = { ...base, algorithm: algo.algo };
  const algoNote = algo.fromHeader ? '' : ' (no X-KALTURA-HASH-ALGO header, so sha1 as older Kaltura servers send)';

  if (request.bodyTruncated) {
    return { status: 'failed', ...verification, reason: `body was cut at the size limit, so the ${algo.algo} signature cannot be checked; raise the receiver's body limit` };
  }
  if (!/^[0-9a-fA-F]+$/.test(received)) {
    return { status: 'failed', ...verification, reason: 'X-KALTURA-SIGNATURE is not a hex digest; something on the way changed the header' };
  }
  // A present but unchecked signature must not look trustworthy, so "no secret configured" is a failure,
  // not "unsigned": the request claims authenticity we cannot confirm.
  if (secrets.length === 0) {
    return {
      status: 'failed',
      ...verification,
      reason: `signed with ${algo.algo}${algoNote}, but no secret is configured to check it: connect the Kaltura account or add the partner admin secret`,
    };
  }
  const { candidates, cut } = signedCandidates(request);
  const matched = matchSecret(candidates, secrets, algo.algo, received);
  if (matched) return { status: 'verified', ...verification, secretLabel: matched.secret === '' ? `${matched.label} (empty secret)` : matched.label };

  const expected = expectedPrefix(kalturaSignature(secrets[0]!.secret, candidates[0]!, algo.algo));
  let hint = cut ? `; only the query after each of the first ${MAX_SIGNED_QUERY_CANDIDATES} '?' of the URL was tried` : '';
  for (const other of KALTURA_HASH_ALGOS) {
    if (other === algo.algo || hint) continue;
    const m = matchSecret(candidates, secrets, other, received);
    if (m) {
      hint = `; it does match ${other} with ${m.label}, so the X-KALTURA-HASH-ALGO header was changed or dropped on the way`;
      break;
    }
  }
  const lengths: Record<number, string> = { 40: 'sha1', 64: 'sha256', 128: 'sha512' };
  if (!hint && lengths[received.length] && lengths[received.length] !== algo.algo) {
    hint = `; its length (${received.length} hex characters) fits ${lengths[received.length]}, not ${algo.algo}`;
  }
  const n = secrets.length;
  return {
    status: 'failed',
    ...verification,
    expected,
    reason:
      `${algo.algo} signature${algoNote} matches none of ${n} configured secret${n === 1 ? '' : 's'} (${listLabels(secrets)})${hint}; ` +
      `check that the template's partner admin secret is configured and that nothing re-encoded the body on the way`,
  };
}

/**
 * The verification of a Kaltura HTTP notification: the signature when present (it takes precedence), else
 * the template's Basic auth when present, else unsigned. A Basic-auth outcome beside a signature is noted
 * in the reason.
 */
export function verifyKalturaRequest(request: CapturedRequest, credentials: VerificationCredentials): Verification {
  const signature = verifyKalturaSignature(request, credentials.kalturaSecrets);
  const basic = verifyBasicAuth(firstHeader(request, 'authorization'), credentials.basicAuth);
  if (signature) {
    if (!basic) return signature;
    const note = basic.status === 'verified' ? `Basic auth also verified (${basic.secretLabel})` : `Basic auth not verified: ${basic.reason}`;
    return { ...signature, reason: signature.reason ? `${signature.reason}. ${note}` : note };
  }
  if (basic) return basic;
  return {
    status: 'unsigned',
    reason:
      'no X-KALTURA-SIGNATURE header: Kaltura sends no signature when the dispatch job has no signSecret, ' +
      'so anyone who knows this URL could have sent it; keep the URL unguessable or set template username/password',
  };
}

// ---------------------------------------------------------------------------------------------------------
// Detection and the provider

const SNIFF_BYTES = 64 * 1024;

/** Header or body shapes that only Kaltura HTTP notifications have. */
export function detectKaltura(request: CapturedRequest): boolean {
  if (request.headers[KALTURA_SIGNATURE_HEADER] !== undefined || request.headers[KALTURA_HASH_ALGO_HEADER] !== undefined) return true;
  const body = request.body;
  const head = body.subarray(0, SNIFF_BYTES).toString('latin1').trimStart();
  if (head.startsWith('data=<notification')) return true;
  if (/^data=(?:O|a):\d+:/.test(head) && body.includes('KalturaHttpNotification')) return true;
  if (/^data=(?:%7B|\{)/i.test(head) && body.includes('KalturaHttpNotification')) return true;
  if (head.startsWith('{') && (body.includes('"objectType":"KalturaHttpNotification"') || body.includes('"eventNotificationJobId"'))) return true;
  // Unsigned DataFields/DataText/empty bodies carry nothing Kaltura-specific but the batch client's odd User-Agent.
  const agent = request.headers['user-agent'];
  if (agent !== undefined && KALTURA_BATCH_USER_AGENTS.has(agent)) return true;
  return false;
}

function isQueryNotification(request: CapturedRequest): boolean {
  return request.method.toUpperCase() === 'GET' && request.body.length === 0 && request.path.includes('?');
}

/**
 * True when payload.decoded is what decodeKalturaBody() makes of this request's body, so the event log may keep the
 * body alone (see payloadCodec.ts). That is so for a JSON body parseKalturaRequest() decoded; not for a GET template's
 * query, a truncated body, or a form body (its `decoded` is its `fields`).
 */
export function kalturaDecodedIsBody(payload: KalturaNotificationPayload, request: CapturedRequest): boolean {
  return (
    payload.decoded !== undefined &&
    (payload.bodyFormat === 'json' || payload.bodyFormat === 'json-urlencoded') &&
    !request.bodyTruncated &&
    !isQueryNotification(request)
  );
}

export function parseKalturaRequest(request: CapturedRequest, credentials: VerificationCredentials): ParsedNotification[] {
  const problems: string[] = [];
  let payload: KalturaNotificationPayload;
  if (request.bodyTruncated) {
    problems.push(truncatedBodyProblem(request));
    payload = { kind: 'kaltura', bodyFormat: sniffKalturaBodyFormat(request.body.subarray(0, 256).toString('latin1')) };
  } else if (isQueryNotification(request)) {
    // A GET template sends its data as `url . '?' . data` (§1.7): the data is what follows the last '?', since
    // the data itself is url-encoded and an earlier '?' belongs to the template URL.
    const query = Buffer.from(request.path.slice(request.path.lastIndexOf('?') + 1), 'latin1');
    const result = parseKalturaNotification(query, request.headers['content-type']);
    payload = result.payload;
    for (const p of result.problems) problems.push(p);
  } else {
    const result = parseKalturaNotification(request.body, request.headers['content-type']);
    payload = result.payload;
    for (const p of result.problems) problems.push(p);
  }
  return [
    {
      source: 'kaltura',
      type: kalturaEventType(payload),
      summary: kalturaSummary(payload),
      dedupeKey: payload.jobId !== undefined ? kalturaJobKey(payload.partnerId, payload.jobId) : undefined,
      parsed: payload,
      verification: verifyKalturaRequest(request, credentials),
      problems,
    },
  ];
}

export const kalturaProvider: WebhookProvider = {
  source: 'kaltura',
  detect: detectKaltura,
  parse: parseKalturaRequest,
};
