// Builds CapturedRequest objects for provider tests, the way the receiver fills them in.
import type { CapturedRequest } from '../../src/core/events/model';

export interface CapturedRequestInit {
  method?: string;
  path?: string;
  /** Header pairs in wire order, names as sent. */
  headers?: Array<[string, string]> | Record<string, string>;
  body?: Buffer | string;
  /** Announced size, when larger than the body (a cut body). */
  bodySize?: number;
  bodyTruncated?: boolean;
}

let counter = 0;

export function capturedRequest(init: CapturedRequestInit = {}): CapturedRequest {
  const body = init.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body, 'utf8');
  const rawHeaders: Array<[string, string]> = Array.isArray(init.headers) ? init.headers : Object.entries(init.headers ?? {});
  const headers: Record<string, string> = {};
  for (const [name, value] of rawHeaders) {
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  counter += 1;
  return {
    requestId: `req-${counter}`,
    receivedAt: new Date(0).toISOString(),
    method: init.method ?? 'POST',
    path: init.path ?? '/webhook',
    httpVersion: '1.1',
    rawHeaders,
    headers,
    body,
    bodySize: init.bodySize ?? body.length,
    bodyTruncated: init.bodyTruncated ?? false,
    remoteAddress: '127.0.0.1',
  };
}
