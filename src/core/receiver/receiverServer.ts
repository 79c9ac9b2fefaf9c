// The webhook receiver: node:http, any method on any path. Every request is recorded before it is answered, the
// answer never waits on slow work, and bad input (limits, stalls, aborts, broken HTTP) becomes a recorded problem
// rather than a crash.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { buildEvents, unclassifiedNotification } from '../events/buildEvents';
import { newRequestId } from '../events/eventIds';
import type { CapturedRequest, ResponseMode, WebhookEvent } from '../events/model';
import { PROBE_PATH_PREFIX, EDITED_HEADER, REPLAY_HEADER, SAMPLE_TOKEN_HEADER } from '../../protocol/workbench';
import { timingSafeEqualString } from '../../protocol/signing';
import { classifySafely } from './classify';
import { InFlightBudget } from './inFlightBudget';
import { isLingering, lingerOnClose } from './lingeringClose';
import { announcedLength, BodyCollector, captureRequest } from './requestCapture';
import { FAIL_500_BODY, formatBytes, NOT_STORED_BODY, OK_BODY, RESPONSE_MODES, responseRecord, tooLargeBody } from './responses';
import type { ReceiverApi, ReceiverOptions } from './types';

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;
export const DEFAULT_HOLD_TIMEOUT_MS = 10 * 60_000;
/** Body bytes of all requests being read at once; past it new bodies get 503 (the sender retries later). */
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;
const RETRY_AFTER_SECONDS = 5;
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

const TEXT = 'text/plain; charset=utf-8';

interface Limits {
  maxBodyBytes: number;
  maxInFlightBytes: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  holdTimeoutMs: number;
}

export async function startReceiver(options: ReceiverOptions): Promise<ReceiverApi> {
  const limits: Limits = {
    maxBodyBytes: positive(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes'),
    maxInFlightBytes: positive(options.maxInFlightBytes, DEFAULT_MAX_IN_FLIGHT_BYTES, 'maxInFlightBytes'),
    headersTimeoutMs: positive(options.headersTimeoutMs, DEFAULT_HEADERS_TIMEOUT_MS, 'headersTimeoutMs'),
    bodyTimeoutMs: positive(options.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS, 'bodyTimeoutMs'),
    holdTimeoutMs: positive(options.holdTimeoutMs, DEFAULT_HOLD_TIMEOUT_MS, 'holdTimeoutMs'),
  };
  let responseMode = checkMode(options.responseMode ?? 'ok');
  const { store } = options;
  const holdTimers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  // Sockets whose request body is still being read: a parse error there (a broken chunked body) is answered and
  // recorded by the request handler, which holds the request line, headers and the bytes that arrived.
  const reading = new WeakMap<Socket, (err: NodeJS.ErrnoException) => void>();
  // Body bytes held by requests being read or waiting for the log, across all connections: the bound on memory.
  const budget = new InFlightBudget(limits.maxInFlightBytes);

  const sampleToken = randomBytes(16).toString('hex');

  const record = (request: CapturedRequest, extra: Parameters<typeof buildEvents>[2]): WebhookEvent[] => {
    // A copy re-sent by replayRequest() carries X-Kwh-Replay-Of, so the views can tell it apart.
    const replayOf = request.headers[REPLAY_HEADER];
    if (extra?.origin === 'network' && replayOf !== undefined) extra = { ...extra, origin: 'replay' };
    const sample = request.headers[SAMPLE_TOKEN_HEADER];
    if (extra?.origin === 'network' && sample !== undefined && timingSafeEqualString(sample, sampleToken)) extra = { ...extra, origin: 'sample' };
    const events = buildEvents(request, classifySafely(request, options.credentials()), extra);
    // The copy names the event it re-sends: an edited replay (a new job id, another body) is still linked to it.
    if (extra?.origin === 'replay' && replayOf !== undefined && /^[\w-]{1,80}$/.test(replayOf)) {
      const edited = request.headers[EDITED_HEADER] === '1';
      for (const e of events) {
        e.replayOf = replayOf;
        if (edited) e.replayEdited = true;
      }
    }
    return store.add(events);
  };

  const server = createServer({
    // Longer than the idle timeout of the proxies in front (Node's keep-alive agents 5 s, undici 4 s, nginx and load
    // balancers 60 s), so the receiver never closes an idle connection at the moment a proxy reuses it: that race
    // made code-server's port forwarding answer a delivery 502 (EPIPE).
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    headersTimeout: limits.headersTimeoutMs,
    // The body has its own timer (it records the partial request); Node's whole-request timer would only cut it short.
    requestTimeout: 0,
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(limits.headersTimeoutMs / 4))),
  });

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    // An answer sent while the client still uploads must not be lost to a reset (lingeringClose.ts).
    lingerOnClose(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    try {
      handleRequest(req, res);
    } catch (err) {
      // Unreachable by design; if it happens the receiver stays up and the client gets a clear 500.
      safeEnd(res, 500, `kwh: internal receiver error: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  });

  // Broken HTTP never reaches 'request'. Requests that sent at least one byte are recorded as transport problems;
  // bare connects (browser pre-connects, port checks) that time out or reset are closed silently.
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    if (isLingering(socket)) return;
    try {
      const bytes = socket.bytesRead;
      const code = err.code ?? 'UNKNOWN';
      let status = 400;
      let problem: string;
      const bodyError = reading.get(socket);
      // A connection closed mid-body is not a framing error: the request handler records it as cut short.
      if (bodyError && code.startsWith('HPE_') && code !== 'HPE_INVALID_EOF_STATE') {
        bodyError(err);
        return;
      } else if (code === 'ECONNRESET' || code === 'EPIPE' || bytes === 0 || bodyError) {
        socket.destroy();
        return;
      } else if (code === 'HPE_INVALID_EOF_STATE') {
        problem = `client closed the connection in the middle of the request headers (${bytes} bytes received)`;
      } else if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
        status = 408;
        problem =
          `client did not finish sending the request headers within ${seconds(limits.headersTimeoutMs)} ` +
          `(${bytes} bytes received); headers timed out (slow or stalled client)`;
      } else if (code === 'HPE_HEADER_OVERFLOW') {
        status = 431;
        problem = 'request headers are larger than the 16 KiB Node.js limit; the request was rejected with 431';
      } else {
        problem = `malformed HTTP request (${code}: ${err.message}); rejected with 400`;
      }
      const body = err.rawPacket ?? Buffer.alloc(0);
      const request: CapturedRequest = {
        requestId: newRequestId(),
        receivedAt: new Date().toISOString(),
        method: '',
        path: '',
        httpVersion: '',
        rawHeaders: [],
        headers: {},
        body,
        bodySize: body.length,
        bodyTruncated: false,
      };
      if (socket.remoteAddress) request.remoteAddress = socket.remoteAddress;
      store.add(
        buildEvents(request, [unclassifiedNotification(request, problem)], {
          origin: 'network',
          response: responseRecord(status, responseMode),
        }),
      );
      if (socket.writable) {
        const text = `kwh: ${problem}\n`;
        socket.end(
          `HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Type: ${TEXT}\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
            `Connection: close\r\n\r\n${text}`,
        );
      }
      socket.destroySoon();
    } catch {
      socket.destroy();
    }
  });

  function handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const receivedAt = new Date().toISOString();
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    const url = req.url ?? '';
    if (url.startsWith(PROBE_PATH_PREFIX)) {
      req.resume();
      const nonce = url.slice(PROBE_PATH_PREFIX.length).split(/[?#]/)[0] ?? '';
      safeEnd(res, 200, `kwh-probe ${nonce}`);
      return;
    }

    const mode = responseMode;
    const announced = announcedLength(req);
    const collector = new BodyCollector(limits.maxBodyBytes);
    let settled = false;
    let bodyTimer: NodeJS.Timeout | undefined;
    const reservation = budget.open();
    const socket = req.socket;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      reading.delete(socket);
      clearTimeout(bodyTimer);
      return true;
    };
    // The bytes stay counted until the request's line is written (the body is held until then), so the bound
    // covers bodies being read and bodies waiting for the log alike.
    const release = () => reservation.release();
    const recordHeld = (request: CapturedRequest, extra: Parameters<typeof buildEvents>[2]): WebhookEvent[] => {
      const events = record(request, extra);
      void store.whenStored(events).then(release, release);
      return events;
    };
    const expected = announced === undefined ? 'an unannounced number of' : String(announced);

    // Too many bytes in flight: refuse before reading, record the refusal (headers only), and let the sender retry.
    const refuse = (problem: string): void => {
      if (!settle()) return;
      release();
      const events = record(captureRequest(req, receivedAt, Buffer.alloc(0), Math.max(announced ?? 0, collector.seen), true), {
        origin: 'network',
        problems: [problem],
        response: responseRecord(503, mode),
      });
      res.setHeader('connection', 'close');
      res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
      safeEnd(res, 503, `kwh: ${problem}\n`, events[0]?.id);
    };
    const busy = () =>
      `refused: ${formatBytes(limits.maxInFlightBytes)} of request bodies are being received already; ` +
      `answered 503 with Retry-After: ${RETRY_AFTER_SECONDS} so the sender retries`;
    if (announced !== undefined && !budget.couldTake(Math.min(announced, limits.maxBodyBytes))) {
      req.resume();
      refuse(busy());
      return;
    }

    // Node's parser rejected the body's framing (an invalid chunk size, say): the client gets a 400 with the reason.
    reading.set(socket, (err) => {
      if (!settle()) return;
      const problem = `malformed request body (${err.code}: ${err.message}) after ${collector.seen} bytes; rejected with 400`;
      const events = recordHeld(captureRequest(req, receivedAt, collector.body(), collector.seen, true), {
        origin: 'network',
        problems: [problem],
        response: responseRecord(400, mode),
      });
      res.setHeader('connection', 'close');
      safeEnd(res, 400, `kwh: ${problem}\n`, events[0]?.id);
    });

    bodyTimer = setTimeout(() => {
      if (!settle()) return;
      const problem =
        `client sent ${collector.seen} of ${expected} bytes in ${seconds(limits.bodyTimeoutMs)}; ` +
        'body timed out (slow or stalled client)';
      const events = recordHeld(captureRequest(req, receivedAt, collector.body(), collector.seen, true), {
        origin: 'network',
        problems: [problem],
        response: responseRecord(408, mode),
      });
      res.setHeader('connection', 'close');
      safeEnd(res, 408, `kwh: ${problem}\n`, events[0]?.id);
    }, limits.bodyTimeoutMs);

    req.on('data', (chunk: Buffer) => {
      if (settled) return; // draining the rest of an over-limit body
      const before = collector.keptBytes;
      collector.push(chunk);
      if (!reservation.take(collector.keptBytes - before)) {
        refuse(busy());
        return;
      }
      const limitHit = collector.overLimit || (announced !== undefined && announced > limits.maxBodyBytes && collector.keptBytes >= limits.maxBodyBytes);
      if (!limitHit || !settle()) return;
      const size = Math.max(announced ?? 0, collector.seen);
      const problem =
        `body is larger than the ${formatBytes(limits.maxBodyBytes)} limit ` +
        `(${announced !== undefined ? `${announced} bytes announced` : `more than ${limits.maxBodyBytes} bytes sent`}); ` +
        `kept the first ${limits.maxBodyBytes} bytes and answered 413; raise maxBodyBytes to accept it`;
      const events = recordHeld(captureRequest(req, receivedAt, collector.body(), size, true), {
        origin: 'network',
        problems: [problem],
        response: responseRecord(413, mode),
      });
      res.setHeader('connection', 'close');
      safeEnd(res, 413, tooLargeBody(limits.maxBodyBytes), events[0]?.id);
    });

    req.on('end', () => {
      if (!settle()) return;
      const request = captureRequest(req, receivedAt, collector.body(), collector.seen, false);
      respond(req, res, request, mode, recordHeld);
    });

    // The client went away before the body was complete: keep what arrived.
    req.on('close', () => {
      if (req.complete || !settle()) return;
      const problem = `client closed the connection after ${collector.seen} of ${expected} bytes; recorded what arrived`;
      recordHeld(captureRequest(req, receivedAt, collector.body(), collector.seen, true), {
        origin: 'network',
        problems: [problem],
      });
    });
  }

  /** Answers once the events are in the log: 200 means stored; a write that failed gets 503 so Kaltura retries. */
  function answerWhenStored(res: ServerResponse, events: WebhookEvent[], status: number, body: string): void {
    void store.whenStored(events).then((stored) => {
      if (stored) {
        safeEnd(res, status, body, events[0]?.id);
        return;
      }
      for (const event of events) event.response = responseRecord(503, event.response?.mode ?? 'ok');
      res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
      safeEnd(res, 503, NOT_STORED_BODY, events[0]?.id);
    });
  }

  function respond(req: IncomingMessage, res: ServerResponse, request: CapturedRequest, mode: ResponseMode, keep: typeof record): void {
    if (mode === 'ok') {
      const events = keep(request, { origin: 'network', response: responseRecord(200, mode) });
      // A 200 tells Kaltura to forget the notification, so it is sent only once the event is in the log.
      answerWhenStored(res, events, 200, OK_BODY);
    } else if (mode === 'fail-500') {
      const events = keep(request, { origin: 'network', response: responseRecord(500, mode) });
      answerWhenStored(res, events, 500, FAIL_500_BODY);
    } else {
      // status 0: no answer is ever sent; the sender times out and (for Kaltura) retries.
      keep(request, { origin: 'network', response: responseRecord(0, mode) });
      const timer = setTimeout(() => {
        holdTimers.delete(timer);
        req.socket.destroy();
      }, limits.holdTimeoutMs);
      holdTimers.add(timer);
      req.socket.once('close', () => {
        clearTimeout(timer);
        holdTimers.delete(timer);
      });
    }
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(listenError(err, options.host ?? '127.0.0.1', options.port ?? 0));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0, backlog: 1024 });
  });
  server.on('error', () => undefined);

  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('receiver did not bind a TCP port');
  const host = address.address;
  const port = address.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;

  return {
    host,
    port,
    url: `http://${urlHost}:${port}`,
    sampleToken,
    get responseMode() {
      return responseMode;
    },
    set responseMode(mode: ResponseMode) {
      responseMode = checkMode(mode);
    },
    ingest(request: CapturedRequest, origin: NonNullable<WebhookEvent['origin']>): WebhookEvent[] {
      return record(request, { origin });
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of holdTimers) clearTimeout(timer);
        holdTimers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function safeEnd(res: ServerResponse, status: number, body: string, eventId?: string): void {
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  try {
    // writeHead with the list (same names, same order as setHeader) skips the per-header bookkeeping.
    res.writeHead(
      status,
      eventId
        ? ['content-type', TEXT, 'content-length', String(Buffer.byteLength(body)), 'x-kwh-event-id', eventId]
        : ['content-type', TEXT, 'content-length', String(Buffer.byteLength(body))],
    );
    res.end(body);
  } catch {
    res.destroy();
  }
}

function checkMode(mode: ResponseMode): ResponseMode {
  if (!RESPONSE_MODES.includes(mode)) {
    throw new RangeError(`unknown response mode "${String(mode)}"; use one of: ${RESPONSE_MODES.join(', ')}`);
  }
  return mode;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`receiver ${name} must be a positive number, got ${value}`);
  return value;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function statusText(status: number): string {
  return ({ 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' } as Record<number, string>)[status] ?? 'Error';
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  if (err.code === 'EADDRINUSE') {
    return new Error(`port ${port} on ${host} is already in use; pick another port, or use 0 for any free port`);
  }
  if (err.code === 'EACCES') {
    return new Error(`not allowed to listen on ${host}:${port}; ports below 1024 need privileges, pick a higher one`);
  }
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
    return new Error(`cannot listen on host ${host}: no such local address; use 127.0.0.1, 0.0.0.0 or a local interface address`);
  }
  return new Error(`receiver could not listen on ${host}:${port}: ${err.message}`);
}
