// Requests produced by Kaltura's own sender code (kaltura/server's HTTP-notification engine and legacy notifier, run
// with real libcurl), committed as test/fixtures/kaltura-captures.json (a byte-for-byte copy of
// ../shared/reference/kaltura-captures.json, checked by test/unit/vectors-fixture.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { joinHeaderPairs } from '../../src/core/events/headerRecord';
import type { CapturedRequest } from '../../src/core/events/model';

export interface KalturaCapture {
  name: string;
  kind: 'http-notification' | 'legacy-notification';
  secret: string;
  method: string;
  path: string;
  rawHeaders: Array<[string, string]>;
  bodyBase64: string;
  expect: { verification: string; payload?: unknown; notifications?: number };
}

export const capturesPath = join(__dirname, '..', 'fixtures', 'kaltura-captures.json');
export const captures: KalturaCapture[] = (JSON.parse(readFileSync(capturesPath, 'utf8')) as { captures: KalturaCapture[] }).captures;

/** A capture as the receiver records it. */
export function captureToRequest(c: KalturaCapture): CapturedRequest {
  const body = Buffer.from(c.bodyBase64, 'base64');
  return {
    requestId: `req-${c.name}`,
    receivedAt: new Date(0).toISOString(),
    method: c.method,
    path: c.path,
    httpVersion: '1.1',
    rawHeaders: c.rawHeaders,
    headers: joinHeaderPairs(c.rawHeaders),
    body,
    bodySize: body.length,
    bodyTruncated: false,
  };
}
