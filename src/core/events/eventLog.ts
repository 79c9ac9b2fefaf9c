// The persisted event log: append-only JSON Lines (`events.jsonl`), one compact record per line (format below).
// Writes are batched (one append per flush) and serialized through a promise chain; reads go in large chunks.
// Rotation is out of scope: the file grows until the user clears it.
import { isUtf8 } from 'node:buffer';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { decodeKalturaBody } from '../providers/kalturaBody';
import { bodyFromText } from './bodySlab';
import { decodedDerivesFromBody } from './derivedPayload';
import { headersDeriveFromPairs, joinHeaderPairs } from './headerRecord';
import {
  deserializeEvent,
  type CapturedRequest,
  type EventPayload,
  type KalturaNotificationPayload,
  type SerializedEvent,
  type WebhookEvent,
} from './model';

export const EVENT_LOG_FILE = 'events.jsonl';

export function eventLogPath(logDir: string): string {
  return join(logDir, EVENT_LOG_FILE);
}

const headerPair = z.tuple([z.string(), z.string()]);

// Loose on the payload (the providers own its shape) but strict on what the store and the views rely on.
// Both line formats share these fields; they differ in how the request (its headers and body) is kept.
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

const payloadFields = {
  parsed: z.looseObject({ kind: sourceKind }),
  problems: z.array(z.string()),
};

const requestLineFields = {
  method: z.string(),
  path: z.string(),
  httpVersion: z.string(),
};

const bodyInfoFields = {
  bodySize: z.number().int().nonnegative(),
  bodyTruncated: z.boolean(),
  remoteAddress: z.string().optional(),
};

/** Version 1: one serializeEvent() per line. */
const serializedEventSchema = z.looseObject({
  ...eventFields,
  request: z.looseObject({
    requestId: z.string(),
    receivedAt: z.string(),
    ...requestLineFields,
    headers: z.record(z.string(), z.string()),
    rawHeaders: z.array(headerPair),
    bodyBase64: z.string(),
    ...bodyInfoFields,
  }),
  ...payloadFields,
});

/** Appends lines to the log in batches. Never throws from append(); write failures go to onError. */
export class EventLogWriter {
  private pending: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  private handle: FileHandle | undefined;
  private failing = false;

  constructor(
    readonly path: string,
    private readonly onError: (message: string) => void,
  ) {}

  get pendingLines(): number {
    return this.pending.length;
  }

  append(line: string): void {
    this.pending.push(line);
  }

  /** Writes everything appended so far with a single append, after any earlier write finished. */
  flush(): Promise<void> {
    if (this.pending.length > 0) {
      const text = this.pending.join('\n') + '\n';
      this.pending = [];
      this.enqueue(async () => {
        const handle = await this.openHandle();
        await handle.appendFile(text);
      }, 'write to');
    }
    return this.chain;
  }

  /** Empties the file (and drops lines not yet written). */
  truncate(): Promise<void> {
    this.pending = [];
    this.enqueue(async () => {
      const handle = await this.openHandle();
      await handle.truncate(0);
    }, 'truncate');
    return this.chain;
  }

  async close(): Promise<void> {
    await this.flush();
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await handle.close().catch(() => undefined);
  }

  private enqueue(task: () => Promise<void>, verb: string): void {
    this.chain = this.chain.then(async () => {
      await task();
      this.failing = false;
    }).catch((err: unknown) => {
      // One warning per outage, not one per flush.
      if (this.failing) return;
      this.failing = true;
      this.onError(
        `could not ${verb} the event log ${this.path}: ${err instanceof Error ? err.message : String(err)}; ` +
          'check that the folder exists and is writable (events stay in memory meanwhile)',
      );
    });
  }

  private async openHandle(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(this.path, 'a+');
    // A crash mid-write can leave a torn last line without its newline; start on a fresh line so the next
    // event is not glued onto it (load() then skips only the torn fragment).
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) await handle.appendFile('\n');
    }
    this.handle = handle;
    return handle;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Line format. Version 1 (still read) is one serializeEvent() per line: the body three times (bodyBase64,
// parsed.decoded, parsed.object) and the headers twice. Version 2 (written) stores each fact once:
//   {"v":2,"n":<line bytes>,"id":…,"dedupeKey":…, …event fields…, "request":{…rawHeaders, bodyText|bodyBase64…}, "parsed":{…}, "derived":[…]}
// - `headers` only when it is not what the raw header pairs rebuild to;
// - the body as text when it is valid UTF-8 (smaller than base64 and readable), else base64;
// - parsed.decoded (and parsed.object, when it is decoded.object) left out when the Kaltura provider vouched that
//   it is the body's JSON, and re-derived lazily on first read; `derived` names what was left out;
// - id and dedupeKey first, so lines older than the in-memory window feed the dedupe index without a JSON.parse;
//   `n` (the line's byte length) tells a complete line from one torn by a crash without parsing it.

export const LOG_RECORD_VERSION = 2;

type Derived = 'decoded' | 'object' | 'fields';

const V2_PREFIX = Buffer.from('{"v":2,"n":');
const ID_INFIX = Buffer.from(',"id":"');
const KEY_INFIX = Buffer.from(',"dedupeKey":"');

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One event as a version-2 log line (no newline). */
export function encodeLogRecord(event: WebhookEvent): string {
  const { id, dedupeKey, request, parsed, ...rest } = event;
  const { body, headers, requestId, receivedAt, ...req } = request;
  const logRequest: Record<string, unknown> = {};
  // The event repeats these for every event of a request; the request keeps them only when they differ.
  if (requestId !== event.requestId) logRequest['requestId'] = requestId;
  if (receivedAt !== event.receivedAt) logRequest['receivedAt'] = receivedAt;
  Object.assign(logRequest, req);
  if (!headersDeriveFromPairs(headers, request.rawHeaders)) logRequest['headers'] = headers;
  if (isUtf8(body)) logRequest['bodyText'] = body.toString('utf8');
  else logRequest['bodyBase64'] = body.toString('base64');

  let payload: object = parsed;
  const derived: Derived[] = [];
  if (parsed.kind === 'kaltura') {
    // A left-out value is written as 0, so the key keeps its place and a reloaded event exports the same.
    if (decodedDerivesFromBody(parsed, body)) {
      const decoded = parsed.decoded;
      derived.push('decoded');
      if (parsed.object !== undefined && isRecord(decoded) && decoded['object'] === parsed.object) {
        derived.push('object');
        payload = { ...parsed, decoded: 0, object: 0 };
      } else payload = { ...parsed, decoded: 0 };
    } else if (parsed.fields !== undefined && parsed.decoded === parsed.fields) {
      derived.push('fields');
      payload = { ...parsed, decoded: 0 };
    }
  }
  const record: Record<string, unknown> = { v: LOG_RECORD_VERSION, id };
  if (dedupeKey !== undefined) record['dedupeKey'] = dedupeKey;
  Object.assign(record, rest);
  record['request'] = logRequest;
  record['parsed'] = payload;
  if (derived.length > 0) record['derived'] = derived;
  return withLength(JSON.stringify(record));
}

// `n` is the line's own length in bytes, so a line cut short by a crash is told apart without parsing it.
function withLength(json: string): string {
  const rest = json.slice(7); // after {"v":2,
  const restBytes = Buffer.byteLength(rest);
  let total = 12 + restBytes + 1;
  while (12 + String(total).length + restBytes !== total) total = 12 + String(total).length + restBytes;
  return `{"v":2,"n":${total},${rest}`;
}

const recordV2Schema = z.looseObject({
  ...eventFields,
  v: z.literal(2),
  n: z.number().int().positive().optional(),
  request: z.looseObject({
    requestId: z.string().optional(),
    receivedAt: z.string().optional(),
    ...requestLineFields,
    headers: z.record(z.string(), z.string()).optional(),
    rawHeaders: z.array(headerPair),
    bodyText: z.string().optional(),
    bodyBase64: z.string().optional(),
    ...bodyInfoFields,
  }).refine((r) => typeof r.bodyText === 'string' || typeof r.bodyBase64 === 'string', 'neither bodyText nor bodyBase64'),
  ...payloadFields,
  derived: z.array(z.enum(['decoded', 'object', 'fields'])).optional(),
});

type RecordV2 = z.infer<typeof recordV2Schema>;

const EVENT_KEYS = new Set(['v', 'n', 'derived', 'id', 'requestId', 'indexInRequest', 'countInRequest', 'receivedAt', 'source', 'type', 'summary', 'verification', 'duplicateOf', 'deliveryCount', 'request', 'parsed', 'problems', 'dedupeKey', 'response', 'origin']);
const REQUEST_KEYS = new Set(['requestId', 'receivedAt', 'method', 'path', 'httpVersion', 'rawHeaders', 'headers', 'bodyText', 'bodyBase64', 'bodySize', 'bodyTruncated', 'remoteAddress']);

/** A parsed log line (either version) → the event, or the reason it is not one. */
export function decodeLogRecord(json: unknown): { ok: true; event: WebhookEvent } | { ok: false; problem: string } {
  if (isRecord(json) && json['v'] === 2) {
    const parsed = recordV2Schema.safeParse(json);
    if (!parsed.success) return { ok: false, problem: firstIssue(parsed.error) };
    return { ok: true, event: eventFromRecordV2(parsed.data) };
  }
  const parsed = serializedEventSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problem: firstIssue(parsed.error) };
  // The schema only checks (no defaults, no coercion), so the line's own object is used: it keeps its key order.
  return { ok: true, event: deserializeEvent(json as SerializedEvent) };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
}

// Rebuilt in the order buildEvents() and captureRequest() create them, so exports of a reloaded event read the same.
function eventFromRecordV2(rec: RecordV2): WebhookEvent {
  const r = rec.request;
  const body = typeof r.bodyText === 'string' ? bodyFromText(r.bodyText, 'utf8') : bodyFromText(r.bodyBase64 ?? '', 'base64');
  const rawHeaders = r.rawHeaders as Array<[string, string]>;
  const request: CapturedRequest = {
    requestId: r.requestId ?? rec.requestId,
    receivedAt: r.receivedAt ?? rec.receivedAt,
    method: r.method,
    path: r.path,
    httpVersion: r.httpVersion,
    rawHeaders,
    headers: r.headers ?? joinHeaderPairs(rawHeaders),
    body,
    bodySize: r.bodySize,
    bodyTruncated: r.bodyTruncated,
  };
  if (r.remoteAddress !== undefined) request.remoteAddress = r.remoteAddress;
  copyExtra(r, request as unknown as Record<string, unknown>, REQUEST_KEYS);

  const payload = rec.parsed as unknown as EventPayload;
  if (rec.derived && payload.kind === 'kaltura') rederive(payload, rec.derived, request);

  const event: WebhookEvent = {
    id: rec.id,
    requestId: rec.requestId,
    indexInRequest: rec.indexInRequest,
    countInRequest: rec.countInRequest,
    receivedAt: rec.receivedAt,
    source: rec.source,
    type: rec.type,
    summary: rec.summary,
    verification: rec.verification as unknown as WebhookEvent['verification'],
    duplicateOf: rec.duplicateOf,
    deliveryCount: rec.deliveryCount,
    request,
    parsed: payload,
    problems: rec.problems,
  };
  if (rec.dedupeKey !== undefined) event.dedupeKey = rec.dedupeKey;
  if (rec['response'] !== undefined) event.response = rec['response'] as WebhookEvent['response'];
  if (rec['origin'] !== undefined) event.origin = rec['origin'] as WebhookEvent['origin'];
  copyExtra(rec, event as unknown as Record<string, unknown>, EVENT_KEYS);
  return event;
}

function copyExtra(from: Record<string, unknown>, to: Record<string, unknown>, known: ReadonlySet<string>): void {
  for (const key of Object.keys(from)) if (!known.has(key) && from[key] !== undefined) to[key] = from[key];
}

// decoded/object come back on first read (most reloaded events are never opened), computed once and then plain.
function rederive(payload: KalturaNotificationPayload, derived: readonly Derived[], request: CapturedRequest): void {
  if (derived.includes('fields')) {
    payload.decoded = payload.fields;
    return;
  }
  if (!derived.includes('decoded')) return;
  let cell: { value: unknown } | undefined;
  const decoded = (): unknown => (cell ??= { value: decodeKalturaBody(request.body, request.headers['content-type']).value }).value;
  defineLazy(payload, 'decoded', decoded);
  if (derived.includes('object')) {
    defineLazy(payload, 'object', () => {
      const value = decoded();
      return isRecord(value) && isRecord(value['object']) ? value['object'] : undefined;
    });
  }
}

function defineLazy(target: object, key: string, compute: () => unknown): void {
  const settle = (value: unknown) => Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = compute();
      settle(value);
      return value;
    },
    set(value: unknown) {
      settle(value);
    },
  });
}

// ---------------------------------------------------------------------------------------------------------
// Reading. Pass 1 walks the whole file in large chunks, splitting on '\n' with Buffer.indexOf, and takes only
// id/dedupeKey from each version-2 line (version-1 lines are parsed in full). Pass 2 re-reads just the newest
// `newest` lines and turns them into events. The caller gets the older lines' heads first, then the events,
// all in file order, so replaying the dedupe index gives the same links and counts as a full read.

const CHUNK_BYTES = 4 * 1024 * 1024;

export interface ReadLogResult {
  lines: number;
  /** Valid event lines in the file (materialized or not). */
  events: number;
  warnings: string[];
}

/** id and dedupeKey of a line that was not materialized. */
export interface LogHead {
  id: string;
  dedupeKey?: string;
}

export interface ReadLogOptions {
  /** Materialize only the newest N valid events; older ones go to onOlder. Default: all. */
  newest?: number;
  onOlder?: (head: LogHead) => void;
}

interface LineInfo {
  line: number;
  start: number;
  end: number;
  id: string;
  dedupeKey: string | undefined;
}

interface Warning {
  line: number;
  text: string;
}

/** Reads the log, calling onEvent per materialized event; invalid or torn lines become warnings naming the line. */
export async function readEventLog(path: string, onEvent: (event: WebhookEvent) => void, options: ReadLogOptions = {}): Promise<ReadLogResult> {
  const result: ReadLogResult = { lines: 0, events: 0, warnings: [] };
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return result;
    throw err;
  }
  try {
    const warnings: Warning[] = [];
    const lines: LineInfo[] = [];
    result.lines = await scanLines(handle, (buf, start, end, line, fileOffset) => {
      const head = readHeadV2(buf, start, end);
      if (head) {
        lines.push({ line, start: fileOffset, end: fileOffset + (end - start), id: head.id, dedupeKey: head.dedupeKey });
        return;
      }
      const decoded = parseLine(buf.toString('utf8', start, end));
      if (decoded.ok) {
        lines.push({ line, start: fileOffset, end: fileOffset + (end - start), id: decoded.event.id, dedupeKey: decoded.event.dedupeKey });
      } else warnings.push({ line, text: decoded.problem });
    });

    const newest = options.newest === undefined ? lines.length : Math.max(0, Math.floor(options.newest));
    let events: WebhookEvent[] = [];
    let hi = lines.length;
    const reader = new RangeReader(handle);
    // Walk back from the end until `newest` lines turned into events (a line may still fail its full parse).
    while (events.length < newest && hi > 0) {
      const lo = Math.max(0, hi - (newest - events.length));
      const batch: WebhookEvent[] = [];
      reader.reset();
      for (let i = lo; i < hi; i++) {
        const info = lines[i]!;
        const decoded = parseLine((await reader.slice(info.start, info.end)).toString('utf8'));
        if (decoded.ok) batch.push(decoded.event);
        else warnings.push({ line: info.line, text: decoded.problem });
      }
      events = events.length === 0 ? batch : batch.concat(events);
      hi = lo;
    }
    for (let i = 0; i < hi; i++) {
      const info = lines[i]!;
      result.events++;
      options.onOlder?.(info.dedupeKey === undefined ? { id: info.id } : { id: info.id, dedupeKey: info.dedupeKey });
    }
    for (const event of events) {
      result.events++;
      onEvent(event);
    }
    warnings.sort((a, b) => a.line - b.line);
    result.warnings = warnings.map((w) => `${path} line ${w.line}: ${w.text}`);
    return result;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function parseLine(text: string): { ok: true; event: WebhookEvent } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `not valid JSON (${err instanceof Error ? err.message : String(err)}), probably a write torn by a crash; skipped` };
  }
  const decoded = decodeLogRecord(json);
  return decoded.ok ? decoded : { ok: false, problem: `not a workbench event (${decoded.problem}); skipped` };
}

/**
 * Calls onLine for every non-blank line (without its '\n' or a trailing '\r'); returns the number of lines.
 * `buf.subarray(start, end)` is the line; fileOffset is where it starts in the file.
 */
async function scanLines(
  handle: FileHandle,
  onLine: (buf: Buffer, start: number, end: number, line: number, fileOffset: number) => void,
): Promise<number> {
  let carry: Buffer = Buffer.alloc(0);
  let carryOffset = 0;
  let position = 0;
  let line = 0;
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const emit = (buf: Buffer, start: number, end: number, fileOffset: number) => {
    line++;
    let e = end;
    if (e > start && buf[e - 1] === 0x0d) e--;
    if (isBlank(buf, start, e)) return;
    onLine(buf, start, e, line, fileOffset);
  };
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, position);
    if (bytesRead === 0) break;
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    const bufOffset = carry.length > 0 ? carryOffset : position;
    position += bytesRead;
    let start = 0;
    for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      emit(buf, start, nl, bufOffset + start);
      start = nl + 1;
    }
    // The unfinished line is copied out: `chunk` is reused by the next read.
    carry = Buffer.from(buf.subarray(start));
    carryOffset = bufOffset + start;
  }
  if (carry.length > 0) emit(carry, 0, carry.length, carryOffset);
  return line;
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** Reads increasing byte ranges of the file through one large window. */
class RangeReader {
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;

  constructor(private readonly handle: FileHandle) {}

  reset(): void {
    this.window = Buffer.alloc(0);
    this.windowStart = 0;
  }

  async slice(start: number, end: number): Promise<Buffer> {
    if (start < this.windowStart || end > this.windowStart + this.window.length) {
      const size = Math.max(CHUNK_BYTES, end - start);
      const buf = Buffer.allocUnsafe(size);
      const { bytesRead } = await this.handle.read(buf, 0, size, start);
      this.window = buf.subarray(0, bytesRead);
      this.windowStart = start;
    }
    return this.window.subarray(start - this.windowStart, end - this.windowStart);
  }
}

/**
 * id and dedupeKey of a version-2 line without parsing it, or undefined when the line is not a complete
 * version-2 record (then it is parsed in full): its byte length must be the `n` it starts with.
 */
function readHeadV2(buf: Buffer, start: number, end: number): LogHead | undefined {
  if (end - start < V2_PREFIX.length + ID_INFIX.length + 2) return undefined;
  if (buf.compare(V2_PREFIX, 0, V2_PREFIX.length, start, start + V2_PREFIX.length) !== 0) return undefined;
  let i = start + V2_PREFIX.length;
  let n = 0;
  for (; i < end && i - start < 30; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
  }
  if (n !== end - start) return undefined;
  if (buf.compare(ID_INFIX, 0, ID_INFIX.length, i, i + ID_INFIX.length) !== 0) return undefined;
  const id = readJsonString(buf, i + ID_INFIX.length, end);
  if (!id || id.value === '') return undefined;
  const head: LogHead = { id: id.value };
  const k = id.next;
  if (k + KEY_INFIX.length <= end && buf.compare(KEY_INFIX, 0, KEY_INFIX.length, k, k + KEY_INFIX.length) === 0) {
    const key = readJsonString(buf, k + KEY_INFIX.length, end);
    if (!key) return undefined;
    head.dedupeKey = key.value;
  }
  return head;
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
