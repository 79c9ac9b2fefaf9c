// Delivers notification jobs the way KDispatchHttpNotificationEngine + the batch retry logic do (§1.2, §1.7, §5):
// signature over secret + exact body, headers in engine order, curl-like defaults (scheme-less URLs, redirects
// followed with the method kept), success = 200 or 204 (an empty body too), retries of the same job id at a fixed
// interval, every attempt recorded.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Agent, request } from 'undici';
import { kalturaSignature, secureHashingAlgoToName } from '../protocol/signing';
import type { DeliveryAttempt } from './types';

import { KALTURA_BATCH_USER_AGENT } from '../protocol/kalturaHeaders';

/** KCurlWrapper's User-Agent, without quotes as current servers send it (kaltura-protocol.md §7). */
export const KCURL_USER_AGENT = KALTURA_BATCH_USER_AGENT;
const METHOD_NAMES: Record<number, string> = { 1: 'GET', 2: 'POST', 3: 'PUT', 4: 'DELETE' };
const DEFAULT_TIMEOUT_S = 10;
const DEFAULT_CONNECT_TIMEOUT_S = 5;
const MAX_LOGGED_BODY = 1000;

export interface NotificationJob {
  jobId: number;
  partnerId: number;
  templateId: number;
  templateSystemName?: string;
  trigger: DeliveryAttempt['trigger'];
  eventType?: string;
  objectId?: string;
  url: string;
  /** KalturaHttpNotificationMethod. */
  method: number;
  body: string;
  contentType: string;
  /** null = no signature headers (the engine's `!is_null($secret)` guard). */
  signSecret: string | null;
  secureHashingAlgo?: number;
  /** Already {param}-substituted, in template order. */
  customHeaders: Array<[string, string]>;
  username?: string;
  password?: string;
  /** Seconds (CURLOPT_TIMEOUT / CURLOPT_CONNECTTIMEOUT). */
  timeout?: number;
  connectTimeout?: number;
}

export interface SenderOptions {
  retryIntervalMs: number;
  maxAttempts: number;
  record(attempt: DeliveryAttempt): void;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The URL as libcurl sends it: `http://` when the template gives no scheme, spaces and brackets percent-encoded
 * (kaltura-captures.json, url-with-spaces-brackets-fragment), the fragment never sent.
 */
export function curlUrl(templateUrl: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(templateUrl) ? templateUrl : `http://${templateUrl}`;
  const hash = withScheme.indexOf('#');
  const noFragment = hash >= 0 ? withScheme.slice(0, hash) : withScheme;
  const pathStart = noFragment.indexOf('/', noFragment.indexOf('//') + 2);
  if (pathStart < 0) return noFragment;
  const path = noFragment.slice(pathStart).replace(/ /g, '%20').replace(/\[/g, '%5B').replace(/\]/g, '%5D');
  return noFragment.slice(0, pathStart) + path;
}

export interface EngineRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: string | undefined;
  /** A POST without data: libcurl sends it chunked, with no chunk before the last (kaltura-captures.json, no-data-post). */
  chunkedEmpty: boolean;
}

/** The exact request the engine would make for a job (exposed for tests and the CLI's dry view). */
export function buildHttpRequest(job: NotificationJob): EngineRequest {
  const method = METHOD_NAMES[job.method] ?? 'GET';
  const headers: Array<[string, string]> = [];
  if (job.username || job.password) {
    headers.push(['Authorization', 'Basic ' + Buffer.from(`${job.username ?? ''}:${job.password ?? ''}`).toString('base64')]);
  }
  headers.push(['User-Agent', KCURL_USER_AGENT], ['Accept', '*/*']);
  if (job.signSecret !== null) {
    const algo = secureHashingAlgoToName(job.secureHashingAlgo);
    headers.push(['X-KALTURA-SIGNATURE', kalturaSignature(job.signSecret, job.body, algo)], ['X-KALTURA-HASH-ALGO', algo]);
  }
  headers.push(...job.customHeaders);
  // PHP 8's curl ignores POSTFIELDS for CURLOPT_PUT without a file: a PUT template sends no body.
  const sendsBody = method !== 'GET' && method !== 'PUT' && job.body !== '';
  const chunkedEmpty = method === 'POST' && job.body === '';
  // A custom Content-Type replaces the engine's (curl keeps one header per name from CURLOPT_HTTPHEADER).
  const customType = job.customHeaders.some(([name]) => name.toLowerCase() === 'content-type');
  if (!customType && method !== 'GET') {
    if (job.contentType !== '') headers.push(['Content-Type', job.contentType]);
    else if (sendsBody || chunkedEmpty) headers.push(['Content-Type', 'application/x-www-form-urlencoded']); // libcurl's POSTFIELDS default
  }
  // GET (and unknown methods) append the body after an unconditional '?'.
  const base = curlUrl(job.url);
  const url = method === 'GET' ? `${base}?${job.body}` : base;
  return { method, url, headers, body: sendsBody ? job.body : undefined, chunkedEmpty };
}

/**
 * A POST with an empty chunked body, as libcurl sends one. undici writes `content-length: 0` for any empty body,
 * so this one request goes through node:http, which keeps `transfer-encoding: chunked` when told to.
 */
function postEmptyChunked(url: string, headers: Array<[string, string]>, signal: AbortSignal): Promise<{ statusCode: number; location?: string; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    // The template timeout (the caller's signal) bounds it, as CURLOPT_TIMEOUT does. With headers given as a list,
    // node:http adds no Host of its own.
    const req = send(target, { method: 'POST', headers: [['Host', target.host], ...headers, ['Transfer-Encoding', 'chunked']].flat(), signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, ...(typeof res.headers.location === 'string' && { location: res.headers.location }), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export class NotificationSender {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<AbortController>();
  private readonly agents = new Map<number, Agent>();
  private readonly waiters: Array<() => void> = [];
  private pending = 0;
  private closed = false;

  constructor(private readonly options: SenderOptions) {}

  /** Queues the first attempt now. */
  send(job: NotificationJob): void {
    if (this.closed) return;
    this.pending++;
    void this.attempt(job, 1);
  }

  /** Resolves when no job has an attempt in flight or scheduled. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private finishJob(): void {
    this.pending--;
    if (this.pending === 0) for (const w of this.waiters.splice(0)) w();
  }

  private agentFor(connectTimeoutS: number): Agent {
    let agent = this.agents.get(connectTimeoutS);
    if (!agent) {
      agent = new Agent({ connect: { timeout: connectTimeoutS * 1000 }, keepAliveTimeout: 1000 });
      this.agents.set(connectTimeoutS, agent);
    }
    return agent;
  }

  private async attempt(job: NotificationJob, attempt: number): Promise<void> {
    const startedAt = Date.now();
    const timeoutMs = (job.timeout && job.timeout > 0 ? job.timeout : DEFAULT_TIMEOUT_S) * 1000;
    const connectTimeout = job.connectTimeout && job.connectTimeout >= 1 ? job.connectTimeout : DEFAULT_CONNECT_TIMEOUT_S;
    const abort = new AbortController();
    this.inflight.add(abort);
    const timer = setTimeout(() => abort.abort(new Error(`no complete response within ${timeoutMs / 1000} s (template timeout)`)), timeoutMs);
    let status = 0;
    let error: string | undefined;
    try {
      const req = buildHttpRequest(job);
      // CURLOPT_FOLLOWLOCATION with POSTREDIR: a redirect is followed with the same method and body.
      let url = req.url;
      for (let hop = 0; ; hop++) {
        let location: string | undefined;
        let text: string;
        if (req.chunkedEmpty) {
          const answer = await postEmptyChunked(url, req.headers, abort.signal);
          status = answer.statusCode;
          location = answer.location;
          text = answer.text;
        } else {
          const response = await request(url, {
            method: req.method as 'GET',
            headers: req.headers.flat(),
            body: req.body,
            signal: abort.signal,
            dispatcher: this.agentFor(connectTimeout),
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
          });
          status = response.statusCode;
          text = await response.body.text();
          location = typeof response.headers.location === 'string' ? response.headers.location : undefined;
        }
        if (REDIRECTS.has(status) && location !== undefined && hop < MAX_REDIRECTS) {
          url = new URL(location, url).toString();
          continue;
        }
        if (status !== 200 && status !== 204) error = `HTTP ${status}${text ? `: ${text.slice(0, MAX_LOGGED_BODY)}` : ''} (Kaltura retries anything but 200 or 204)`;
        break;
      }
    } catch (err) {
      const reason = abort.signal.aborted ? abort.signal.reason : err;
      error = reason instanceof Error ? reason.message : String(reason);
      if (err instanceof Error && 'code' in err && typeof err.code === 'string' && !error.includes(err.code)) error += ` (${err.code})`;
    } finally {
      clearTimeout(timer);
      this.inflight.delete(abort);
    }
    const ok = error === undefined;
    const willRetry = !ok && attempt < this.options.maxAttempts && !this.closed;
    this.options.record({
      templateId: job.templateId,
      ...(job.templateSystemName && { templateSystemName: job.templateSystemName }),
      partnerId: job.partnerId,
      jobId: job.jobId,
      url: job.url,
      method: METHOD_NAMES[job.method] ?? 'GET',
      status,
      attempt,
      maxAttempts: this.options.maxAttempts,
      at: new Date(startedAt).toISOString(),
      durationMs: Date.now() - startedAt,
      ok,
      ...(error !== undefined && { error }),
      willRetry,
      trigger: job.trigger,
      ...(job.eventType !== undefined && { eventType: job.eventType }),
      ...(job.objectId !== undefined && { objectId: job.objectId }),
    });
    if (!willRetry) {
      this.finishJob();
      return;
    }
    const retry = setTimeout(() => {
      this.timers.delete(retry);
      void this.attempt(job, attempt + 1);
    }, this.options.retryIntervalMs);
    this.timers.add(retry);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) {
      clearTimeout(t);
      this.finishJob();
    }
    this.timers.clear();
    for (const a of this.inflight) a.abort(new Error('sandbox closed'));
    await Promise.all([...this.agents.values()].map((a) => a.close().catch(() => undefined)));
    this.agents.clear();
  }
}
