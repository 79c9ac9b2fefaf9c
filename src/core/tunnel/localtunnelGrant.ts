// The localtunnel control request (`GET <host>/?new` or `GET <host>/<subdomain>`), done here instead of by the
// client: its own loop retries every error forever (a 403 included) and its promise never rejects. This one
// reports 4xx at once with the server's message, retries network errors and 5xx until a deadline, and stops
// cleanly when aborted.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { request, type Dispatcher } from 'undici';
import { z } from 'zod';
import { deadlineSignal, responseBefore } from '../timing/deadlineSignal';

/** The response fields the client reads (`_getInfo`); anything else the server adds is kept for the client. */
export const localtunnelGrantSchema = z.looseObject({
  id: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  url: z.string().min(1),
  max_conn_count: z.number().int().positive().optional(),
  ip: z.string().min(1).optional(),
  cached_url: z.string().optional(),
});

export type LocaltunnelGrant = z.infer<typeof localtunnelGrantSchema>;

export interface GrantRequestOptions {
  /** Control-server base URL, e.g. https://localtunnel.me. */
  host: string;
  subdomain?: string;
  /** Absolute time (Date.now() scale) after which the request gives up. */
  deadline: number;
  /** Pause between attempts after a network error or 5xx. Default 1000 ms (the client's own pace). */
  retryIntervalMs?: number;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
  /** How the server's name is looked up while an attempt waits; the system resolver unless a dispatcher uses another. */
  lookupHost?: (hostname: string) => Promise<unknown>;
  onAttemptFailed?: (problem: string) => void;
}

export class TunnelConnectError extends Error {
  constructor(
    message: string,
    /** False when retrying cannot help (the server refused the request as such). */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'TunnelConnectError';
  }
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

const ALTERNATIVES = 'or use a public URL you already have, or VS Code port forwarding';

/**
 * Why no tunnel was granted, from the last attempt's problem: an offline machine or blocked DNS, a server that cannot
 * be reached, a failing server, or (only when one was asked for) a subdomain the server would not give.
 */
export function grantTimeoutMessage(host: string, timeoutMs: number, lastProblem?: string, subdomain?: string): string {
  const head = `tunnel server ${host} did not grant a tunnel within ${formatSeconds(timeoutMs)}`;
  const hostname = hostnameOf(host);
  const problem = lastProblem ?? '';
  const code = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|CERT_\w+|UNABLE_TO_\w+)\b/.exec(problem)?.[1];
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `${head}: this machine cannot resolve ${hostname} (${code}): there is no network connection, or DNS is blocked here; check the connection and retry, ${ALTERNATIVES}`;
  }
  if (problem.startsWith(LOOKUP_STALLED)) {
    return `${head}: this machine cannot resolve ${hostname} (${problem}): there is no network connection, or DNS is blocked here; check the connection and retry, ${ALTERNATIVES}`;
  }
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') {
    return `${head}: there is no route to ${hostname} (${code}): the network is down or blocks it; check the connection and retry, ${ALTERNATIVES}`;
  }
  if (code) {
    return `${head}: ${hostname} could not be reached (${problem}): the server is down, or a firewall or proxy blocks it; retry later, ${ALTERNATIVES}`;
  }
  if (/\bHTTP 5\d\d\b/.test(problem)) return `${head}: the server is failing (last attempt: ${problem}); retry later, ${ALTERNATIVES}`;
  if (!lastProblem || /^no answer from /.test(problem)) {
    return `${head}: the server did not answer${lastProblem ? ` (${problem})` : ''}; it is slow or unreachable from here; retry, ${ALTERNATIVES}`;
  }
  return (
    `${head} (last attempt: ${problem}): ` +
    (subdomain ? 'check the subdomain (4–63 lowercase letters, digits, hyphens) and the server URL' : 'check the tunnel server URL')
  );
}

const LOOKUP_STALLED = 'the name lookup did not finish';

/**
 * Whether the host's name lookup finishes, watched beside an attempt: on a machine whose DNS server drops queries the
 * request only times out, and without this the cause would read as a silent server.
 */
function watchLookup(hostname: string, lookupHost: (hostname: string) => Promise<unknown> = lookup): { readonly pending: boolean } {
  const state = { pending: isIP(hostname) === 0 && hostname !== 'localhost' };
  if (state.pending) {
    lookupHost(hostname).then(
      () => (state.pending = false),
      () => (state.pending = false),
    );
  }
  return state;
}

function hostnameOf(host: string): string {
  try {
    return new URL(host).hostname;
  } catch {
    return host;
  }
}

export function controlRequestUrl(host: string, subdomain?: string): string {
  return `${host.replace(/\/+$/, '')}/${subdomain ?? '?new'}`;
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const code = (err as { code?: string }).code ?? (cause as { code?: string } | undefined)?.code;
  const msg = cause instanceof Error && cause.message ? cause.message : err.message;
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function requestLocaltunnelGrant(options: GrantRequestOptions): Promise<LocaltunnelGrant> {
  const url = controlRequestUrl(options.host, options.subdomain);
  const retryIntervalMs = options.retryIntervalMs ?? 1000;
  let lastProblem: string | undefined;
  const startedAt = Date.now();

  for (;;) {
    if (options.signal?.aborted) throw new TunnelConnectError('tunnel connect cancelled', false);
    const remaining = options.deadline - Date.now();
    if (remaining <= 0) {
      throw new TunnelConnectError(grantTimeoutMessage(options.host, options.deadline - startedAt, lastProblem, options.subdomain), true);
    }
    const deadline = deadlineSignal(remaining, options.signal);
    const attempt = deadline.signal;
    const attemptStarted = Date.now();
    const nameLookup = watchLookup(hostnameOf(options.host), options.lookupHost);
    try {
      const pending = request(url, {
        method: 'GET',
        headers: { accept: 'application/json', 'user-agent': 'kaltura-webhook-workbench (localtunnel protocol)' },
        signal: attempt,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
      const res = await responseBefore(pending, attempt);
      const text = await res.body.text();
      if (res.statusCode >= 400 && res.statusCode < 500) {
        let message = text.slice(0, 300);
        try {
          const parsed = z.object({ message: z.string() }).safeParse(JSON.parse(text));
          if (parsed.success) message = parsed.data.message;
        } catch {
          // not JSON: keep the text
        }
        throw new TunnelConnectError(
          `tunnel server ${options.host} refused ${options.subdomain ? `subdomain "${options.subdomain}"` : 'a new tunnel'} ` +
            `(HTTP ${res.statusCode}: ${message.trim() || 'no message'}): ` +
            (options.subdomain ? 'pick another subdomain or leave it out' : 'check the tunnel server URL'),
          false,
        );
      }
      if (res.statusCode !== 200) {
        lastProblem = `HTTP ${res.statusCode} from ${url}`;
      } else {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        const parsed = localtunnelGrantSchema.safeParse(json);
        if (parsed.success) return parsed.data;
        lastProblem =
          json === undefined
            ? `${url} answered 200 with non-JSON (${text.slice(0, 60).replace(/\s+/g, ' ')}…): is this a localtunnel server?`
            : `${url} answered an unexpected grant: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
      }
    } catch (err) {
      if (err instanceof TunnelConnectError) throw err;
      if (options.signal?.aborted) throw new TunnelConnectError('tunnel connect cancelled', false);
      const timedOut = attempt.aborted || (err as { code?: string }).code === 'UND_ERR_CONNECT_TIMEOUT';
      // An attempt only times out at the overall deadline: one that began just before it says less than the
      // failure before it (on a loaded machine the last ENOTFOUND would otherwise read as "no answer").
      if (!attempt.aborted || lastProblem === undefined) {
        lastProblem =
          timedOut && nameLookup.pending
            ? `${LOOKUP_STALLED} in ${formatSeconds(Date.now() - attemptStarted)}`
            : attempt.aborted
              ? `no answer from ${url}`
              : describeError(err);
      }
    } finally {
      deadline.dispose();
    }
    options.onAttemptFailed?.(lastProblem);
    const wait = Math.min(retryIntervalMs, options.deadline - Date.now());
    if (wait > 0) await sleep(wait, options.signal);
  }
}
