// The request of an event read back from the log. In a version-3 line the request (headers and body, most of the
// line) is its last member and is kept as raw bytes; it is parsed the first time someone reads `event.request`
// (most reloaded events are never opened), and so are `parsed.decoded`/`parsed.object` when they were left out.
//
// The accessors are shared by every event (their state hangs off a symbol-keyed, non-enumerable member), so a
// reloaded event costs no closures and keeps V8's fast object layout; per-event closures and redefined
// properties cost ~1 s and ~130 MiB of heap when 100,000 events were reloaded (measured on this machine).
import { z } from 'zod';
import { bodyFromText } from './bodySlab';
import { joinHeaderPairs } from './headerRecord';
import type { CapturedRequest, EventPayload } from './model';
import type { PayloadCodec } from './payloadCodec';

const headerPair = z.tuple([z.string(), z.string()]);

export const requestLineFields = {
  method: z.string(),
  path: z.string(),
  httpVersion: z.string(),
};

export const bodyInfoFields = {
  bodySize: z.number().int().nonnegative(),
  bodyTruncated: z.boolean(),
  remoteAddress: z.string().optional(),
};

export const rawHeadersField = z.array(headerPair);

/** The request as versions 2 and 3 store it (see logRecord.ts). */
export const logRequestSchema = z
  .looseObject({
    requestId: z.string().optional(),
    receivedAt: z.string().optional(),
    ...requestLineFields,
    headers: z.record(z.string(), z.string()).optional(),
    rawHeaders: rawHeadersField,
    bodyText: z.string().optional(),
    bodyBase64: z.string().optional(),
    ...bodyInfoFields,
  })
  .refine((r) => typeof r.bodyText === 'string' || typeof r.bodyBase64 === 'string', 'neither bodyText nor bodyBase64');

export type LogRequest = z.infer<typeof logRequestSchema>;

const REQUEST_KEYS = new Set(['requestId', 'receivedAt', 'method', 'path', 'httpVersion', 'rawHeaders', 'headers', 'bodyText', 'bodyBase64', 'bodySize', 'bodyTruncated', 'remoteAddress']);

/** Rebuilt in the order captureRequest() creates it, so exports of a reloaded event read the same. */
export function requestFromLog(r: LogRequest, eventRequestId: string, eventReceivedAt: string): CapturedRequest {
  const body = typeof r.bodyText === 'string' ? bodyFromText(r.bodyText, 'utf8') : bodyFromText(r.bodyBase64 ?? '', 'base64');
  const rawHeaders = r.rawHeaders as Array<[string, string]>;
  const request: CapturedRequest = {
    requestId: r.requestId ?? eventRequestId,
    receivedAt: r.receivedAt ?? eventReceivedAt,
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
  const extra = request as unknown as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!REQUEST_KEYS.has(key) && (r as Record<string, unknown>)[key] !== undefined) extra[key] = (r as Record<string, unknown>)[key];
  return request;
}

/** Where a reloaded event's request (and its re-derived payload fields) come from; one per event. */
export class LoggedRequestSource {
  request: CapturedRequest | undefined;
  decoded: { value: unknown } | undefined;
  object: { value: unknown } | undefined;

  constructor(
    private bytes: Buffer | undefined,
    private readonly eventRequestId: string,
    private readonly eventReceivedAt: string,
    /** The event's own problems list: a request that cannot be read back is reported there. */
    private readonly problems: string[],
    request?: CapturedRequest,
    /** For a payload whose `decoded` was left out of the line: the codec that re-derives it. */
    private readonly derivation?: { codec: PayloadCodec; payload: EventPayload },
  ) {
    this.request = request;
  }

  get(): CapturedRequest {
    if (this.request) return this.request;
    const bytes = this.bytes ?? Buffer.alloc(0);
    this.bytes = undefined;
    this.request = this.parse(bytes);
    return this.request;
  }

  private parse(bytes: Buffer): CapturedRequest {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      return this.unreadable(`not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const parsed = logRequestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return this.unreadable(issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid');
    }
    return requestFromLog(parsed.data, this.eventRequestId, this.eventReceivedAt);
  }

  private unreadable(reason: string): CapturedRequest {
    this.problems.push(`the request of this event could not be read back from the event log (${reason}); it is shown empty`);
    return {
      requestId: this.eventRequestId,
      receivedAt: this.eventReceivedAt,
      method: '',
      path: '',
      httpVersion: '',
      rawHeaders: [],
      headers: {},
      body: Buffer.alloc(0),
      bodySize: 0,
      bodyTruncated: false,
    };
  }

  decodedValue(): unknown {
    if (!this.decoded) {
      const request = this.get();
      this.decoded = { value: this.derivation?.codec.decode(this.derivation.payload, request) };
    }
    return this.decoded.value;
  }

  objectValue(): unknown {
    if (this.object) return this.object.value;
    const decoded = this.decodedValue();
    return isRecord(decoded) && isRecord(decoded['object']) ? decoded['object'] : undefined;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const SOURCE = Symbol('kwh.loggedRequestSource');

function sourceOf(target: object): LoggedRequestSource {
  return (target as { [SOURCE]: LoggedRequestSource })[SOURCE];
}

/** Attaches the source to an event or payload object (not enumerable: exports, spreads and JSON skip it). */
export function attachSource(target: object, source: LoggedRequestSource): void {
  Object.defineProperty(target, SOURCE, { value: source });
}

// One descriptor object each, so every event gets the same getter and setter: V8 then shares the objects' layout.
function sharedAccessor(read: (source: LoggedRequestSource) => unknown, write: (source: LoggedRequestSource, value: unknown) => void): PropertyDescriptor {
  return {
    enumerable: true,
    configurable: true,
    get(this: object) {
      return read(sourceOf(this));
    },
    set(this: object, value: unknown) {
      write(sourceOf(this), value);
    },
  };
}

export const REQUEST_ACCESSOR = sharedAccessor(
  (source) => source.get(),
  (source, value) => (source.request = value as CapturedRequest),
);
export const DECODED_ACCESSOR = sharedAccessor(
  (source) => source.decodedValue(),
  (source, value) => (source.decoded = { value }),
);
export const OBJECT_ACCESSOR = sharedAccessor(
  (source) => source.objectValue(),
  (source, value) => (source.object = { value }),
);
