// The transport for Kaltura API v3 calls, sent the way the official Node client sends them: a JSON POST to
// {serviceUrl}/api_v3/service/{service}/action/{action} with `format: 1`, `ks`, `clientTag` and `apiVersion`
// in the body. Transient failures (5xx, timeouts, connection resets) are retried with exponential backoff and
// jitter; API errors (HTTP 200 + KalturaAPIException) and other client errors are not.
import { request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { version as workbenchVersion } from '../../../package.json';
import { deadlineSignal, responseBefore } from '../timing/deadlineSignal';
import { KalturaApiError, KalturaTransportError, type KalturaApiExceptionArg } from './errors';

export const DEFAULT_SERVICE_URL = 'https://www.kaltura.com';
/** The API version the request shapes follow (the generated clients of this version). */
export const KALTURA_API_VERSION = '21.20.0';
export const DEFAULT_CLIENT_TAG = `kwh:${workbenchVersion}`;

export interface KalturaApiClientOptions {
  /** SaaS (https://www.kaltura.com), a regional URL or an on-prem server. Default SaaS. */
  serviceUrl?: string;
  clientTag?: string;
  apiVersion?: string;
  /** Per attempt, covering connect, headers and body. Default 30 s. */
  timeoutMs?: number;
  /** Extra attempts after the first for transient failures. Default 3. */
  retries?: number;
  /** First backoff delay; doubled each retry, capped at retryMaxDelayMs, with jitter. Default 200 ms. */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** undici dispatcher (proxy agents, connection pools). */
  dispatcher?: Dispatcher;
  /** One line per attempt; never contains parameters, sessions or secrets. */
  log?: (line: string) => void;
  /** Source of jitter, 0 ≤ x < 1. */
  random?: () => number;
}

export interface CallOptions<T> {
  ks?: string;
  signal?: AbortSignal;
  /** Validates the result; unknown fields are kept when the schema is loose. */
  schema?: z.ZodType<T>;
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number;
}

/** Normalises and checks a service URL; throws a KalturaTransportError of kind `config` naming the fix. */
export function normaliseServiceUrl(input: string): string {
  const trimmed = input.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:(?!\d)/i.test(trimmed) ? trimmed : `https://${trimmed}`);
    if (!url.hostname) throw new TypeError('no host');
    url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/api_v3$/, '');
  } catch {
    throw new KalturaTransportError({ kind: 'config', retryable: false, message: `"${input}" is not a valid service URL; use e.g. ${DEFAULT_SERVICE_URL}` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new KalturaTransportError({ kind: 'config', retryable: false, message: `the service URL must use http or https, got "${url.protocol}"` });
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new KalturaTransportError({ kind: 'config', retryable: false, message: 'the service URL must not carry a query, fragment or credentials' });
  }
  return url.toString().replace(/\/+$/, '');
}

/** Drops null/undefined members, as the official clients do before sending. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
    return out;
  }
  return value;
}

const RETRYABLE_ERROR_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function errorCodeOf(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function asApiException(body: unknown): { code: string; message: string; args: KalturaApiExceptionArg[] } | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  let candidate = body as Record<string, unknown>;
  // Some gateways and the Node client wrap the exception as { result: { error: {...} } }.
  const wrapped = (candidate.result as Record<string, unknown> | undefined)?.error;
  if (wrapped && typeof wrapped === 'object') candidate = wrapped as Record<string, unknown>;
  const isException =
    candidate.objectType === 'KalturaAPIException' ||
    (candidate.objectType === undefined && typeof candidate.code === 'string' && typeof candidate.message === 'string');
  if (!isException) return undefined;
  const args: KalturaApiExceptionArg[] = [];
  if (Array.isArray(candidate.args)) {
    for (const a of candidate.args) {
      if (a && typeof a === 'object' && 'name' in a) args.push({ name: String(a.name), value: String((a as { value?: unknown }).value ?? '') });
    }
  } else if (candidate.args && typeof candidate.args === 'object') {
    for (const [name, value] of Object.entries(candidate.args)) args.push({ name, value: String(value) });
  }
  return { code: String(candidate.code ?? 'UNKNOWN'), message: String(candidate.message ?? ''), args };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class KalturaApiClient {
  readonly serviceUrl: string;
  readonly clientTag: string;
  readonly apiVersion: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseDelayMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly log: (line: string) => void;
  private readonly random: () => number;

  constructor(options: KalturaApiClientOptions = {}) {
    this.serviceUrl = normaliseServiceUrl(options.serviceUrl ?? DEFAULT_SERVICE_URL);
    this.clientTag = options.clientTag ?? DEFAULT_CLIENT_TAG;
    this.apiVersion = options.apiVersion ?? KALTURA_API_VERSION;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = Math.max(0, options.retries ?? 3);
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 200;
    this.retryMaxDelayMs = options.retryMaxDelayMs ?? 5_000;
    this.dispatcher = options.dispatcher;
    this.log = options.log ?? (() => {});
    this.random = options.random ?? Math.random;
  }

  urlFor(service: string, action: string): string {
    return `${this.serviceUrl}/api_v3/service/${encodeURIComponent(service)}/action/${encodeURIComponent(action)}`;
  }

  /** The delay before retry number `retry` (1-based): exponential, capped, with "equal jitter". */
  backoffDelay(retry: number): number {
    const ceiling = Math.min(this.retryMaxDelayMs, this.retryBaseDelayMs * 2 ** (retry - 1));
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  async call<T = unknown>(service: string, action: string, params: Record<string, unknown> = {}, options: CallOptions<T> = {}): Promise<T> {
    const body = JSON.stringify(
      withoutNulls({ ...params, format: 1, ks: options.ks, clientTag: this.clientTag, apiVersion: this.apiVersion }),
    );
    let attempt = 0;
    for (;;) {
      attempt++;
      const started = Date.now();
      try {
        const raw = await this.attempt(service, action, body, options);
        const result = this.interpret(service, action, raw, options.schema, options.ks);
        this.log(`${service}.${action} ok in ${Date.now() - started} ms (attempt ${attempt})`);
        return result;
      } catch (err) {
        if (err instanceof KalturaTransportError) err.attempts = attempt;
        const retryable = err instanceof KalturaTransportError && err.retryable;
        this.log(`${service}.${action} failed in ${Date.now() - started} ms (attempt ${attempt}): ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
        if (!retryable || attempt > this.retries) throw err;
        const delay = this.backoffDelay(attempt);
        try {
          await sleep(delay, options.signal);
        } catch (abortReason) {
          throw new KalturaTransportError({ kind: 'aborted', retryable: false, message: `${service}.${action} was cancelled`, cause: abortReason });
        }
      }
    }
  }

  private async attempt(service: string, action: string, body: string, options: CallOptions<unknown>): Promise<{ status: number; text: string }> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const deadline = deadlineSignal(timeoutMs, options.signal);
    const { signal } = deadline;
    const where = `${service}.${action} at ${this.serviceUrl}`;
    try {
      const pending = request(this.urlFor(service, action), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': this.clientTag },
        body,
        signal,
        dispatcher: this.dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const response = await responseBefore(pending, signal);
      const text = await response.body.text();
      return { status: response.statusCode, text };
    } catch (err) {
      if (options.signal?.aborted) {
        throw new KalturaTransportError({ kind: 'aborted', retryable: false, message: `${where} was cancelled`, cause: err });
      }
      const code = errorCodeOf(err);
      if (signal.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
        throw new KalturaTransportError({ kind: 'timeout', retryable: true, errorCode: code, message: `${where} timed out after ${timeoutMs} ms`, cause: err });
      }
      const retryable = code !== undefined && RETRYABLE_ERROR_CODES.has(code);
      const hint = code === 'ECONNREFUSED' || code === 'ENOTFOUND' ? '; check --service-url and that the server is reachable' : '';
      throw new KalturaTransportError({
        kind: 'network',
        retryable,
        errorCode: code,
        message: `${where} failed: ${code ?? (err instanceof Error ? err.message : String(err))}${hint}`,
        cause: err,
      });
    } finally {
      deadline.dispose();
    }
  }

  private interpret<T>(service: string, action: string, raw: { status: number; text: string }, schema: z.ZodType<T> | undefined, ks: string | undefined): T {
    const where = `${service}.${action} at ${this.serviceUrl}`;
    if (raw.status >= 500) {
      throw new KalturaTransportError({ kind: 'http', status: raw.status, retryable: true, message: `${where} answered HTTP ${raw.status}` });
    }
    if (raw.status !== 200) {
      throw new KalturaTransportError({
        kind: 'http',
        status: raw.status,
        retryable: false,
        message: `${where} answered HTTP ${raw.status}; check --service-url (it should be the API host, e.g. ${DEFAULT_SERVICE_URL})`,
      });
    }
    let parsed: unknown;
    const text = raw.text.trim();
    // Actions without a result (delete) answer with an empty body or JSON null.
    if (text === '') parsed = null;
    else {
      try {
        parsed = JSON.parse(text);
      } catch {
        const snippet = text.slice(0, 120).replace(/\s+/g, ' ');
        throw new KalturaTransportError({
          kind: 'malformed',
          status: raw.status,
          retryable: false,
          message: `${where} did not answer JSON (starts with "${snippet}"); the service URL probably points at a web page or proxy, not a Kaltura API server`,
        });
      }
    }
    const exception = asApiException(parsed);
    if (exception) throw new KalturaApiError({ ...exception, service, action, redact: ks ? [ks] : [] });
    if (!schema) return parsed as T;
    const result = schema.safeParse(withoutNulls(parsed));
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new KalturaTransportError({
        kind: 'malformed',
        status: raw.status,
        retryable: false,
        message: `${where} answered with an unexpected shape: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
      });
    }
    return result.data;
  }
}
