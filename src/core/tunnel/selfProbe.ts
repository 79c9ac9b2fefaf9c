// The self-probe: a request through the PUBLIC URL to the receiver's probe path, which echoes a nonce. It catches
// a tunnel that is "up" on paper but delivers nothing, and names what is in the way (reminder page, 503, 504…).
import { randomBytes } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import { KALTURA_BATCH_USER_AGENT } from '../../protocol/kalturaHeaders';
import { PROBE_PATH_PREFIX } from '../../protocol/workbench';
import { TUNNEL_BYPASS_HEADERS } from '../../protocol/tunnelHeaders';
import { deadlineSignal, responseBefore } from '../timing/deadlineSignal';
import { formatSeconds } from './localtunnelGrant';


export type ProbeFailureKind =
  | 'reminder-page'
  | 'tunnel-unavailable'
  | 'gateway-timeout'
  | 'bad-gateway'
  | 'http-status'
  | 'nonce-mismatch'
  | 'timeout'
  | 'connection-error';

export interface ProbeFailure {
  kind: ProbeFailureKind;
  /** Cause and fix, one sentence. */
  message: string;
}

export interface ProbeResult {
  at: string;
  ok: boolean;
  latencyMs: number;
  /** The public URL that was probed. */
  url: string;
  status?: number;
  failure?: ProbeFailure;
}

export interface SelfProbeOptions {
  /** Public base URL; the probe goes to <base>/__kwh/probe/<nonce> (base path kept, for reverse proxies). */
  publicUrl: string;
  /**
   * Send the request to this origin instead, with the public URL's Host header. For loopback tests whose public
   * host (`<id>.localhost`) the resolver does not know; production probes the public URL itself.
   */
  via?: string;
  /** Default 10 s. */
  timeoutMs?: number;
  /**
   * Defaults: what Kaltura sends once registered by the workbench (its browser-like User-Agent plus the
   * Bypass-Tunnel-Reminder header). Pass `{}` to probe as a bare browser would.
   */
  headers?: Record<string, string>;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
}

export const DEFAULT_PROBE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  // Kaltura's own sender's User-Agent: to the tunnel the probe looks like a real delivery.
  'user-agent': KALTURA_BATCH_USER_AGENT,
  ...Object.fromEntries(TUNNEL_BYPASS_HEADERS.map((h) => [h.key, h.value])),
});

export function probeUrlFor(publicUrl: string, nonce: string): string {
  const base = new URL(publicUrl);
  base.pathname = base.pathname.replace(/\/+$/, '') + PROBE_PATH_PREFIX + nonce;
  base.search = '';
  base.hash = '';
  return base.toString();
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Names what a non-echo answer means. Exported for the unit tests and the views. */
export function classifyProbeAnswer(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nonce: string,
): ProbeFailure | undefined {
  const contentType = firstHeader(headers['content-type']) ?? '';
  const ltStatus = firstHeader(headers['x-localtunnel-status']);
  if (status === 200 && (body.includes(nonce) || firstHeader(headers['x-kwh-probe']) === nonce)) return undefined;
  if (status === 401 && (/html/i.test(contentType) || /<html|tunnel/i.test(body))) {
    return {
      kind: 'reminder-page',
      message:
        "the tunnel answered with localtunnel's reminder page (HTTP 401 HTML), which it shows to browser-like " +
        'User-Agents such as the one Kaltura sends: every request must carry the header Bypass-Tunnel-Reminder ' +
        '(register the URL through the workbench, which adds it to the template customHeaders)',
    };
  }
  if (status === 503 && ltStatus) {
    return {
      kind: 'tunnel-unavailable',
      message:
        `the tunnel server no longer has this tunnel (HTTP 503, X-Localtunnel-Status: ${ltStatus}): ` +
        'its sockets dropped or it was removed; the workbench reopens it',
    };
  }
  if (status === 504) {
    return {
      kind: 'gateway-timeout',
      message:
        'the tunnel server timed out waiting for this machine (HTTP 504 gateway timeout): no tunnel socket carried ' +
        'the request; the workbench reopens the tunnel if this repeats',
    };
  }
  if (status === 502) {
    return {
      kind: 'bad-gateway',
      message: 'the tunnel server could not reach this machine (HTTP 502 bad gateway): the tunnel or the receiver is down',
    };
  }
  if (status === 200) {
    return {
      kind: 'nonce-mismatch',
      message:
        'the public URL answered 200 but did not echo the probe nonce: it reaches some other server, not this ' +
        'receiver (a stale tunnel, someone else on the subdomain, or a proxy pointing elsewhere)',
    };
  }
  return {
    kind: 'http-status',
    message:
      `the public URL answered HTTP ${status}${ltStatus ? ` (X-Localtunnel-Status: ${ltStatus})` : ''} instead of ` +
      "echoing the probe: check that it forwards to this receiver's port",
  };
}

function errorCode(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  return e.code ?? e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

export async function probePublicUrl(options: SelfProbeOptions): Promise<ProbeResult> {
  const nonce = randomBytes(12).toString('hex');
  const url = probeUrlFor(options.publicUrl, nonce);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers: Record<string, string> = { ...(options.headers ?? DEFAULT_PROBE_HEADERS), connection: 'close' };
  let target = url;
  if (options.via) {
    const viaUrl = new URL(options.via);
    const publicUrl = new URL(url);
    headers.host = publicUrl.host;
    target = viaUrl.origin + publicUrl.pathname;
  }
  const deadline = deadlineSignal(timeoutMs, options.signal);
  const { signal } = deadline;
  const started = performance.now();
  const at = new Date().toISOString();
  const done = (result: Omit<ProbeResult, 'at' | 'latencyMs' | 'url'>): ProbeResult => ({
    at,
    latencyMs: Math.round(performance.now() - started),
    url: options.publicUrl,
    ...result,
  });
  try {
    // POST like Kaltura does: some front ends only interpose on GET.
    const pending = request(target, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/plain' },
      body: 'kwh self-probe',
      signal,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    const res = await responseBefore(pending, signal);
    const body = (await res.body.text()).slice(0, 64 * 1024);
    const failure = classifyProbeAnswer(res.statusCode, res.headers, body, nonce);
    return failure ? done({ ok: false, status: res.statusCode, failure }) : done({ ok: true, status: res.statusCode });
  } catch (err) {
    if (signal.aborted && !options.signal?.aborted) {
      return done({
        ok: false,
        failure: {
          kind: 'timeout',
          message: `no answer through the public URL within ${formatSeconds(timeoutMs)}: the tunnel accepts requests but nothing comes back`,
        },
      });
    }
    return done({
      ok: false,
      failure: {
        kind: 'connection-error',
        message: `could not reach the public URL ${options.publicUrl} (${errorCode(err)}): check the URL and your network`,
      },
    });
  } finally {
    deadline.dispose();
  }
}
