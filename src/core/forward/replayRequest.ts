// Re-sends a recorded request to a URL: same method, path, headers (minus connection headers) and exact body bytes,
// optionally re-signed with another Kaltura secret so a local app that verifies signatures accepts it.
import { request } from 'undici';
import type { CapturedRequest } from '../events/model';
import { kalturaSignature, type KalturaHashAlgo } from '../../protocol/signing';
import { isConnectionHeader } from './hopByHop';
import { REPLAY_HEADER, SAMPLE_TOKEN_HEADER } from '../../protocol/workbench';
import { resolveTargetUrl } from './targetUrl';

export { REPLAY_HEADER };

/** What can be re-sent: a captured event, or a request built from an edited document (its id names the original). */
export interface Replayable {
  id: string;
  request: Pick<CapturedRequest, 'method' | 'path' | 'rawHeaders' | 'headers' | 'body'>;
}

export interface ReplayOptions {
  /** Replace X-KALTURA-SIGNATURE / X-KALTURA-HASH-ALGO with a signature made with this secret. */
  resign?: { secret: string; algo: KalturaHashAlgo };
  /** Headers and body timeout. Default 30 s. */
  timeoutMs?: number;
  /** Response body text kept in the result. Default 1 MiB. */
  maxResponseBytes?: number;
  /**
   * 'replay' (default) adds X-Kwh-Replay-Of so the workbench's receiver marks the copy; 'forward' sends the request
   * exactly as it arrived (hop-by-hop headers removed), as a delivery to the user's app. Also names the action in errors.
   */
  purpose?: 'replay' | 'forward';
}

export interface ReplayResult {
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  bodyTruncated: boolean;
  /** From sending the request to the end of the response body. */
  durationMs: number;
}

export async function replayRequest(event: Replayable, targetUrl: string, options: ReplayOptions = {}): Promise<ReplayResult> {
  const url = resolveTargetUrl(targetUrl, event.request.path);
  const purpose = options.purpose ?? 'replay';
  const headers = replayHeaders(event, options.resign, purpose === 'replay');
  const method = event.request.method || 'POST';
  const body = event.request.body.length > 0 ? event.request.body : undefined;
  const timeout = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxResponseBytes ?? 1024 * 1024;
  const started = performance.now();
  let response;
  try {
    response = await request(url, { method, headers, body, headersTimeout: timeout, bodyTimeout: timeout });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    const code = e.code ?? e.cause?.code ?? '';
    const hint =
      code === 'ECONNREFUSED'
        ? 'nothing is listening there; start your app or check the port'
        : code === 'UND_ERR_HEADERS_TIMEOUT'
          ? `no answer within ${timeout} ms`
          : 'check the URL and that the target is reachable';
    throw new Error(`${purpose} to ${url} failed (${code || e.message}): ${hint}`);
  }
  const chunks: Buffer[] = [];
  let kept = 0;
  let truncated = false;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    if (kept < maxBytes) {
      const part = chunk.subarray(0, maxBytes - kept);
      chunks.push(part);
      kept += part.length;
    }
    if (kept >= maxBytes && !truncated && chunk.length > 0) truncated = kept + chunk.length > maxBytes;
  }
  return {
    url,
    status: response.statusCode,
    headers: response.headers,
    body: Buffer.concat(chunks, kept).toString('utf8'),
    bodyTruncated: truncated,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

/** Flat [name, value, …] list in the original order; names listed in Connection are dropped too. */
export function replayHeaders(event: Replayable, resign?: ReplayOptions['resign'], markReplay = true): string[] {
  const connectionTokens = new Set(
    (event.request.headers['connection'] ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean),
  );
  const out: string[] = [];
  for (const [name, value] of event.request.rawHeaders) {
    const lower = name.toLowerCase();
    if (isConnectionHeader(lower) || connectionTokens.has(lower)) continue;
    if (resign && (lower === 'x-kaltura-signature' || lower === 'x-kaltura-hash-algo')) continue;
    // The sample token proves a sample came from this process; it is not the app's to see or to send back.
    if (lower === REPLAY_HEADER || lower === SAMPLE_TOKEN_HEADER) continue;
    out.push(name, value);
  }
  // Lets the workbench's own receiver mark the copy as a replay (origin 'replay'); other apps ignore it.
  if (markReplay) out.push('X-Kwh-Replay-Of', event.id);
  if (resign) {
    out.unshift('X-KALTURA-SIGNATURE', kalturaSignature(resign.secret, event.request.body, resign.algo), 'X-KALTURA-HASH-ALGO', resign.algo);
  }
  return out;
}
