// One event as one line of the event log, and back.
//
// Version 1 (still read) is one serializeEvent() per line: the body three times (bodyBase64, parsed.decoded,
// parsed.object) and the headers twice. Versions 2 (still read) and 3 (written) store each fact once:
// - `headers` only when it is not what the raw header pairs rebuild to;
// - the body as text when it is valid UTF-8 (smaller than base64 and readable), else base64;
// - payload members the injected PayloadCodec says come back from the request (parsed.decoded when it is the body's
//   JSON, parsed.object when it is decoded.object) written as 0, so the key keeps its place, and re-derived through
//   the same codec on first read; `derived` says which;
// - id and dedupeKey first, so lines older than the in-memory window feed the dedupe index without a JSON.parse;
//   `n` (the line's byte length) tells a complete line from one torn by a crash without parsing it.
// Version 3 puts the request last and says where it starts (`r`, a byte offset), so a reload parses only the head
// and keeps the request as bytes until it is read (loggedRequest.ts):
//   {"v":3,"n":<line bytes>,"r":<request offset>,"id":…,"dedupeKey":…,…event fields…,"parsed":{…},"derived":[…],"request":{…}}
import { isUtf8 } from 'node:buffer';
import { z } from 'zod';
import { headersDeriveFromPairs } from './headerRecord';
import { redactHeaderPairs, redactHeaderRecord, redactPathQuery } from './redaction';
import {
  attachSource,
  bodyInfoFields,
  DECODED_ACCESSOR,
  isRecord,
  LoggedRequestSource,
  logRequestSchema,
  OBJECT_ACCESSOR,
  rawHeadersField,
  REQUEST_ACCESSOR,
  requestFromLog,
  requestLineFields,
} from './loggedRequest';
import { WHOLE_PAYLOADS, type DerivedMember, type PayloadCodec } from './payloadCodec';
import { deserializeEvent, EXPECTED_PREFIX_CHARS, expectedPrefix, type CapturedRequest, type EventPayload, type SerializedEvent, type WebhookEvent } from './model';

// ---------------------------------------------------------------------------------------------------------
// Schemas: loose on the payload (the providers own its shape) but strict on what the store and the views rely on.

const sourceKind = z.enum(['kaltura', 'kaltura-legacy', 'enablex', 'unknown']);

const eventFields = {
  id: z.string().min(1),
  requestId: z.string().min(1),
  indexInRequest: z.number().int().nonnegative(),
  countInRequest: z.number().int().positive(),
  receivedAt: z.string(),
  source: sourceKind,
  type: z.string(),
  summary: z.string(),
  verification: z.looseObject({ status: z.enum(['verified', 'failed', 'unsigned']) }),
  dedupeKey: z.string().optional(),
  duplicateOf: z.string().nullable(),
  deliveryCount: z.number().int().positive(),
};

const SOURCE_KINDS: ReadonlySet<unknown> = new Set(sourceKind.options);

const payloadFields = {
  // Checked in place rather than with looseObject, which copies every member of the payload into a new object:
  // ~8% of a 100k-event reload for an object the event then keeps as it is anyway.
  parsed: z.custom<Record<string, unknown> & { kind: z.infer<typeof sourceKind> }>(
    (v) => isRecord(v) && SOURCE_KINDS.has(v['kind']),
    { message: `parsed must be an object whose kind is one of ${sourceKind.options.join(', ')}` },
  ),
  problems: z.array(z.string()),
};

const derivedField = z.array(z.enum(['decoded', 'object', 'fields'])).optional();

/** Version 1: one serializeEvent() per line. */
const serializedEventSchema = z.looseObject({
  ...eventFields,
  request: z.looseObject({
    requestId: z.string(),
    receivedAt: z.string(),
    ...requestLineFields,
    headers: z.record(z.string(), z.string()),
    rawHeaders: rawHeadersField,
    bodyBase64: z.string(),
    ...bodyInfoFields,
  }),
  ...payloadFields,
});

/** One event of a version-2/3/4 line: the line's own members for its first event, an entry of `more` for the others. */
const eventHeadFields = {
  ...eventFields,
  ...payloadFields,
  derived: derivedField,
};

const moreField = z.array(z.looseObject(eventHeadFields)).optional();

const headFields = {
  ...eventHeadFields,
  v: z.union([z.literal(2), z.literal(3), z.literal(4)]),
  n: z.number().int().positive().optional(),
  c: z.number().int().positive().optional(),
  more: moreField,
};

/** A whole version-2, 3 or 4 record. */
const recordSchema = z.looseObject({ ...headFields, r: z.number().int().positive().optional(), request: logRequestSchema });

/** The head of a version-3 or version-4 line, with the request replaced by 0. */
const headSchema = z.looseObject({ ...headFields, v: z.union([z.literal(3), z.literal(4)]), r: z.number().int().positive(), request: z.literal(0) });

type EventHead = z.infer<z.ZodObject<typeof eventHeadFields>> & Record<string, unknown>;
type HeadRecord = z.infer<typeof headSchema> | z.infer<typeof recordSchema>;

const EVENT_KEYS = new Set(['v', 'n', 'r', 'c', 'more', 'derived', 'id', 'requestId', 'indexInRequest', 'countInRequest', 'receivedAt', 'source', 'type', 'summary', 'verification', 'duplicateOf', 'deliveryCount', 'request', 'parsed', 'problems', 'dedupeKey', 'response', 'origin']);

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
}

// ---------------------------------------------------------------------------------------------------------
// Writing

/** Bodies up to this size are stored as text when they are UTF-8; larger ones as base64. */
export const TEXT_BODY_MAX_BYTES = 64 * 1024;

/** One event as a log line (no newline). */
export function encodeLogRecord(event: WebhookEvent, codec: PayloadCodec = WHOLE_PAYLOADS): string {
  return encodeLogLine([event], codec);
}

/**
 * A line whose body goes as base64: `head` + base64(body) + `tail` is the line. The writer encodes the body in slices
 * between other work, so a 5 MB body never holds up the answers to other clients.
 */
export interface SplitLogLine {
  head: string;
  body: Buffer;
  tail: string;
}

/** The events of one request as one version-4 log line (no newline). */
export function encodeLogLine(events: readonly WebhookEvent[], codec: PayloadCodec = WHOLE_PAYLOADS): string {
  const line = encodeLogLineParts(events, codec);
  return typeof line === 'string' ? line : line.head + line.body.toString('base64') + line.tail;
}

/**
 * The events of one request as one version-4 log line: the request's bytes are written once, however many events
 * (legacy multi-notification parts) it yields. Credentials in the request (Authorization values, `ks` and other
 * secret-like query parameters) are replaced by a marker that keeps their presence. Small bodies come back as the
 * whole line; a body stored as base64 comes back split around it (SplitLogLine).
 */
export function encodeLogLineParts(events: readonly WebhookEvent[], codec: PayloadCodec = WHOLE_PAYLOADS): string | SplitLogLine {
  const first = events[0];
  if (!first) throw new RangeError('encodeLogLine needs at least one event');
  const { request } = first;
  const { body, headers, requestId, receivedAt, ...req } = request;
  const logRequest: Record<string, unknown> = {};
  // The event repeats these for every event of a request; the request keeps them only when they differ.
  if (requestId !== first.requestId) logRequest['requestId'] = requestId;
  if (receivedAt !== first.receivedAt) logRequest['receivedAt'] = receivedAt;
  Object.assign(logRequest, req);
  logRequest['path'] = redactPathQuery(request.path);
  logRequest['rawHeaders'] = redactHeaderPairs(request.rawHeaders);
  if (!headersDeriveFromPairs(headers, request.rawHeaders)) logRequest['headers'] = redactHeaderRecord(headers);
  // Text keeps small bodies readable; a large one goes as base64, which the writer encodes in slices, where escaping
  // it into a JSON string and encoding that back to UTF-8 cost ~100 ms per 5 MB and blocked every other client.
  const asText = body.length <= TEXT_BODY_MAX_BYTES && isUtf8(body);
  if (asText) logRequest['bodyText'] = body.toString('utf8');
  else logRequest['bodyBase64'] = '';

  const heads = events.map((event) => JSON.stringify(eventHead(event, codec)));
  let headMembers = heads[0]!.slice(1, -1);
  if (heads.length > 1) headMembers += `,"more":[${heads.slice(1).join(',')}]`;
  const requestJson = JSON.stringify(logRequest);
  if (asText) return frameV4(events.length, headMembers, requestJson, 0);
  // bodyBase64 is the request's last member: the JSON ends with `"bodyBase64":""}`.
  const line = frameV4(events.length, headMembers, requestJson, base64Length(body.length));
  const cut = line.length - '"}}'.length;
  return { head: line.slice(0, cut), body, tail: line.slice(cut) };
}

/** Characters of the base64 form of `bytes` bytes. */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** Written by eventHead() in their own places, or not at all (the request has its own part of the line). */
const HEAD_SKIPS: ReadonlySet<string> = new Set(['id', 'dedupeKey', 'request', 'parsed']);

function eventHead(event: WebhookEvent, codec: PayloadCodec): Record<string, unknown> {
  const { id, dedupeKey, parsed } = event;
  const derived = codec.derivedMembers(event);
  let payload: object = parsed;
  if (derived.length > 0) {
    const left: Record<string, unknown> = { ...parsed };
    // `fields` means decoded is fields: decoded is the member left out.
    for (const member of derived) left[member === 'fields' ? 'decoded' : member] = 0;
    payload = left;
  }
  const head: Record<string, unknown> = { id };
  if (dedupeKey !== undefined) head['dedupeKey'] = dedupeKey;
  // The event's other members in their order, copied once (not spread into a rest object and assigned again).
  for (const key of Object.keys(event)) if (!HEAD_SKIPS.has(key)) head[key] = event[key as keyof WebhookEvent];
  head['parsed'] = payload;
  if (derived.length > 0) head['derived'] = derived;
  return head;
}

// n and r count the digits of each other's line, so they are found by iterating to the fixed point (lengths only
// grow, so a couple of rounds suffice).
function frameV4(count: number, headMembers: string, requestJson: string, bodyBytes: number): string {
  const headBytes = Buffer.byteLength(headMembers);
  // bodyBytes: base64 characters that will stand inside the request's (empty) bodyBase64 string.
  const requestBytes = Buffer.byteLength(requestJson) + bodyBytes;
  let n = 0;
  let r = 0;
  for (;;) {
    const nextR = `{"v":4,"n":${n},"r":${r},"c":${count},`.length + headBytes + ',"request":'.length;
    const nextN = nextR + requestBytes + 1;
    if (nextR === r && nextN === n) break;
    r = nextR;
    n = nextN;
  }
  return `{"v":4,"n":${n},"r":${r},"c":${count},${headMembers},"request":${requestJson}}`;
}

// ---------------------------------------------------------------------------------------------------------
// Reading

/** A line's events (one per notification of its request; all share the request), or why it holds none. */
export type DecodedRecord = { ok: true; event: WebhookEvent; events: WebhookEvent[] } | { ok: false; problem: string };

function decodedEvents(events: WebhookEvent[]): DecodedRecord {
  return { ok: true, event: events[0]!, events };
}

/** A parsed log line (any version) → its events, or the reason it is not one. */
export function decodeLogRecord(json: unknown, codec: PayloadCodec = WHOLE_PAYLOADS): DecodedRecord {
  if (isRecord(json) && (json['v'] === 2 || json['v'] === 3 || json['v'] === 4)) {
    const parsed = recordSchema.safeParse(json);
    if (!parsed.success) return { ok: false, problem: firstIssue(parsed.error) };
    const rec = parsed.data;
    return decodedEvents(buildEvents(rec, requestFromLog(rec.request, rec.requestId, rec.receivedAt), codec));
  }
  const parsed = serializedEventSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problem: firstIssue(parsed.error) };
  // The schema only checks (no defaults, no coercion), so the line's own object is used: it keeps its key order.
  const event = deserializeEvent(json as SerializedEvent);
  clipExpected(event.verification as unknown as Record<string, unknown>);
  return decodedEvents([event]);
}

/**
 * One line (without its newline) → its events. A version-3/4 line's request stays raw until it is read, as a view
 * into `line`: pass a buffer that is not reused (the reader's windows are fresh for this reason; copying each
 * request out cost ~15% of a 100k-event reload).
 */
export function decodeLogLine(line: Buffer, codec: PayloadCodec = WHOLE_PAYLOADS): DecodedRecord {
  const requestOffset = lineLayout(line, 0, line.length)?.requestOffset;
  if (requestOffset !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(`${line.toString('utf8', 0, requestOffset)}0}`);
    } catch (err) {
      return notJson(err);
    }
    const parsed = headSchema.safeParse(json);
    if (!parsed.success) return notAnEvent(firstIssue(parsed.error));
    return decodedEvents(buildEvents(parsed.data, line.subarray(requestOffset, line.length - 1), codec));
  }
  let json: unknown;
  try {
    json = JSON.parse(line.toString('utf8'));
  } catch (err) {
    return notJson(err);
  }
  const decoded = decodeLogRecord(json, codec);
  return decoded.ok ? decoded : notAnEvent(decoded.problem);
}

/** The events of a record: its own members, then each `more` entry, all sharing one request. */
function buildEvents(rec: HeadRecord, request: CapturedRequest | Buffer, codec: PayloadCodec): WebhookEvent[] {
  const lazy = Buffer.isBuffer(request);
  const shared = lazy ? new LoggedRequestSource(request, rec.requestId, rec.receivedAt, rec.problems) : undefined;
  const events = [buildEvent(rec, request, shared, codec)];
  for (const head of rec.more ?? []) events.push(buildEvent(head as EventHead, lazy ? request : events[0]!.request, shared, codec));
  return events;
}

function notJson(err: unknown): DecodedRecord {
  return { ok: false, problem: `not valid JSON (${err instanceof Error ? err.message : String(err)}), probably a write torn by a crash; skipped` };
}

function notAnEvent(problem: string): DecodedRecord {
  return { ok: false, problem: `not a workbench event (${problem}); skipped` };
}

// Built member by member in the order buildEvents() creates them, so exports of a reloaded event read the same.
function buildEvent(rec: EventHead, request: CapturedRequest | Buffer, shared: LoggedRequestSource | undefined, codec: PayloadCodec): WebhookEvent {
  const problems = rec.problems;
  const lazy = Buffer.isBuffer(request);
  const derived = rec.derived;
  const decodes = derived?.includes('decoded') === true;
  // Events of one request share its source (the request is read back once); a payload re-derived from the body has
  // one of its own, which knows the codec and the payload (such requests carry one event).
  const source = !lazy && !decodes
    ? undefined
    : shared && !decodes
      ? shared
      : new LoggedRequestSource(lazy ? request : undefined, rec.requestId, rec.receivedAt, problems, lazy ? undefined : request, decodes ? { codec, payload: rec.parsed as unknown as EventPayload } : undefined);

  const event = {} as Record<string, unknown>;
  event['id'] = rec.id;
  event['requestId'] = rec.requestId;
  event['indexInRequest'] = rec.indexInRequest;
  event['countInRequest'] = rec.countInRequest;
  event['receivedAt'] = rec.receivedAt;
  event['source'] = rec.source;
  event['type'] = intern(rec.type);
  event['summary'] = rec.summary;
  event['verification'] = internMembers(clipExpected(rec.verification), VERIFICATION_REPEATS);
  event['duplicateOf'] = rec.duplicateOf;
  event['deliveryCount'] = rec.deliveryCount;
  if (lazy) Object.defineProperty(event, 'request', REQUEST_ACCESSOR);
  else event['request'] = request;
  event['parsed'] = payloadFrom(rec.parsed, derived, source);
  event['problems'] = problems;
  if (rec.dedupeKey !== undefined) event['dedupeKey'] = rec.dedupeKey;
  if (rec['response'] !== undefined) event['response'] = rec['response'];
  if (rec['origin'] !== undefined) event['origin'] = rec['origin'];
  for (const key of Object.keys(rec)) if (!EVENT_KEYS.has(key) && rec[key] !== undefined) event[key] = rec[key];
  if (lazy) attachSource(event, source!);
  return event as unknown as WebhookEvent;
}

// Logs written before expected signatures were cut to a prefix still hold whole ones: they never leave the reader.
function clipExpected<T extends Record<string, unknown>>(verification: T): T {
  const expected = verification['expected'];
  if (typeof expected === 'string' && expected.length > EXPECTED_PREFIX_CHARS + 1) (verification as Record<string, unknown>)['expected'] = expectedPrefix(expected);
  return verification;
}

function payloadFrom(parsed: Record<string, unknown>, derived: readonly DerivedMember[] | undefined, source: LoggedRequestSource | undefined): EventPayload {
  internMembers(parsed, PAYLOAD_REPEATS);
  if (!derived) return parsed as unknown as EventPayload;
  if (derived.includes('fields')) {
    parsed['decoded'] = parsed['fields'];
    return parsed as unknown as EventPayload;
  }
  if (!derived.includes('decoded') || !source) return parsed as unknown as EventPayload;
  const out = {} as Record<string, unknown>;
  const objectDerived = derived.includes('object');
  for (const key of Object.keys(parsed)) {
    if (key === 'decoded') Object.defineProperty(out, key, DECODED_ACCESSOR);
    else if (key === 'object' && objectDerived) Object.defineProperty(out, key, OBJECT_ACCESSOR);
    else out[key] = parsed[key];
  }
  attachSource(out, source);
  return out as unknown as EventPayload;
}

// Members whose values repeat from event to event (a template's name, an algorithm): a reload of many events
// shares one string per value instead of one per event, which keeps the live heap (and the collector's work) small.
const VERIFICATION_REPEATS = ['status', 'method', 'algorithm', 'secretLabel'];
const PAYLOAD_REPEATS = ['kind', 'bodyFormat', 'templateName', 'templateSystemName', 'eventType', 'eventTypeName', 'eventObjectType', 'eventObjectTypeName', 'objectType', 'objectStatusName', 'notificationType', 'partnerId'];
const INTERN_LIMIT = 10_000;
const interned = new Map<string, string>();

function intern(value: string): string {
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size < INTERN_LIMIT && value.length <= 200) interned.set(value, value);
  return value;
}

function internMembers<T extends Record<string, unknown>>(target: T, keys: readonly string[]): T {
  const record = target as Record<string, unknown>;
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string') record[key] = intern(value);
  }
  return target;
}

// ---------------------------------------------------------------------------------------------------------
// Heads without parsing

/** id and dedupeKey of a line, read without parsing it. */
export interface LogHead {
  id: string;
  dedupeKey?: string;
}

const V_PREFIX = Buffer.from('{"v":');
const N_INFIX = Buffer.from(',"n":');
const R_INFIX = Buffer.from(',"r":');
const C_INFIX = Buffer.from(',"c":');
const ID_INFIX = Buffer.from(',"id":"');
const KEY_INFIX = Buffer.from(',"dedupeKey":"');

interface LineLayout {
  idAt: number;
  /** Versions 3 and 4: where the request starts. */
  requestOffset?: number;
  /** Events in the line (version 4 says; earlier versions hold one). */
  count: number;
}

/**
 * The layout of buf[start, end) when it is a complete version-2, 3 or 4 line (its byte length is the `n` it starts
 * with), checked without creating any string: where its id starts, where its request starts, how many events it holds.
 */
function lineLayout(buf: Buffer, start: number, end: number): LineLayout | undefined {
  if (end - start < V_PREFIX.length + 2 + N_INFIX.length + ID_INFIX.length + 2) return undefined;
  if (!matches(buf, V_PREFIX, start)) return undefined;
  const version = buf[start + V_PREFIX.length];
  if (version !== 0x32 && version !== 0x33 && version !== 0x34) return undefined;
  let i = start + V_PREFIX.length + 1;
  if (!matches(buf, N_INFIX, i)) return undefined;
  const n = readInt(buf, i + N_INFIX.length, end);
  if (!n || n.value !== end - start) return undefined;
  i = n.next;
  let requestOffset: number | undefined;
  let count = 1;
  if (version !== 0x32) {
    if (!matches(buf, R_INFIX, i)) return undefined;
    const r = readInt(buf, i + R_INFIX.length, end);
    if (!r || r.value >= end - start || buf[start + r.value - 1] !== 0x3a) return undefined;
    requestOffset = r.value;
    i = r.next;
  }
  if (version === 0x34) {
    if (!matches(buf, C_INFIX, i)) return undefined;
    const c = readInt(buf, i + C_INFIX.length, end);
    if (!c || c.value < 1) return undefined;
    count = c.value;
    i = c.next;
  }
  if (!matches(buf, ID_INFIX, i)) return undefined;
  const idAt = i + ID_INFIX.length;
  return requestOffset === undefined ? { idAt, count } : { idAt, requestOffset, count };
}

/** Whether buf[start, end) is a complete version-2/3/4 line whose heads readLineHeads can take without a full parse. */
export function isCompleteLine(buf: Buffer, start: number, end: number): boolean {
  return lineLayout(buf, start, end) !== undefined;
}

/**
 * The heads of a complete version-2/3/4 line in buf[start, end), or undefined when it is not one (then the line is
 * parsed in full). A one-event line is read without parsing; a line of several events parses its head only.
 */
export function readLineHeads(buf: Buffer, start: number, end: number): LogHead[] | undefined {
  const layout = lineLayout(buf, start, end);
  if (!layout) return undefined;
  if (layout.count > 1) return layout.requestOffset === undefined ? undefined : parseHeads(buf, start, start + layout.requestOffset);
  const id = readJsonString(buf, layout.idAt, end);
  if (!id || id.value === '') return undefined;
  const head: LogHead = { id: id.value };
  const k = id.next;
  if (k + KEY_INFIX.length <= end && matches(buf, KEY_INFIX, k)) {
    const key = readJsonString(buf, k + KEY_INFIX.length, end);
    if (!key) return undefined;
    head.dedupeKey = key.value;
  }
  return [head];
}

function parseHeads(buf: Buffer, start: number, requestAt: number): LogHead[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(`${buf.toString('utf8', start, requestAt)}0}`);
  } catch {
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  const heads: LogHead[] = [];
  for (const rec of [json, ...(Array.isArray(json['more']) ? (json['more'] as unknown[]) : [])]) {
    if (!isRecord(rec) || typeof rec['id'] !== 'string' || rec['id'] === '') return undefined;
    heads.push(typeof rec['dedupeKey'] === 'string' ? { id: rec['id'], dedupeKey: rec['dedupeKey'] } : { id: rec['id'] });
  }
  return heads;
}

/** Events a complete line holds without parsing it (1 for anything else). */
export function lineEventCount(buf: Buffer, start: number, end: number): number {
  return lineLayout(buf, start, end)?.count ?? 1;
}

// A plain loop: for these few bytes Buffer#compare's native call costs more than the comparison (~3% of a reload).
function matches(buf: Buffer, literal: Buffer, at: number): boolean {
  if (at + literal.length > buf.length) return false;
  for (let i = 0; i < literal.length; i++) if (buf[at + i] !== literal[i]) return false;
  return true;
}

function readInt(buf: Buffer, from: number, end: number): { value: number; next: number } | undefined {
  let value = 0;
  let i = from;
  for (; i < end && i - from < 15; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) break;
    value = value * 10 + (c - 0x30);
  }
  return i === from ? undefined : { value, next: i };
}

/** The JSON string whose contents start at `from` (just after its opening quote); next = index after the closing quote. */
function readJsonString(buf: Buffer, from: number, end: number): { value: string; next: number } | undefined {
  const quote = buf.indexOf(0x22, from);
  if (quote === -1 || quote >= end) return undefined;
  const backslash = buf.indexOf(0x5c, from);
  if (backslash === -1 || backslash > quote) return { value: buf.toString('utf8', from, quote), next: quote + 1 };
  // Escapes: find the real closing quote and let JSON.parse decode the literal.
  let i = from;
  while (i < end) {
    const c = buf[i]!;
    if (c === 0x5c) i += 2;
    else if (c === 0x22) break;
    else i++;
  }
  if (i >= end) return undefined;
  try {
    const value: unknown = JSON.parse(buf.toString('utf8', from - 1, i + 1));
    return typeof value === 'string' ? { value, next: i + 1 } : undefined;
  } catch {
    return undefined;
  }
}
