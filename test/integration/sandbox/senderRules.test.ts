// Issue 14, item 6: the sandbox's sender against the requests Kaltura's own sender made (kaltura-captures.json):
// header names and order, a no-data POST sent chunked with the form content type, a custom Content-Type replacing
// the engine's, libcurl's URL handling, 200 or 204 as success (empty body included), redirects followed with the
// method and body kept, and a PUT that sends no body.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NotificationSender, type NotificationJob } from '../../../src/sandbox/notificationSender';
import type { DeliveryAttempt } from '../../../src/sandbox/types';
import { captures } from '../../support/captures';

interface Seen {
  method: string;
  url: string;
  rawHeaders: string[];
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
/** path → [status, body, headers] */
const answers = new Map<string, [number, string, Record<string, string>?]>();

before(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString('utf8') });
      const [status, body, headers] = answers.get(new URL(req.url ?? '/', 'http://x').pathname) ?? [200, 'OK'];
      res.writeHead(status, headers ?? {});
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function deliver(job: Partial<NotificationJob>): Promise<{ attempt: DeliveryAttempt; request: Seen }> {
  const attempts: DeliveryAttempt[] = [];
  const sender = new NotificationSender({ retryIntervalMs: 10, maxAttempts: 1, record: (a) => attempts.push(a) });
  const before = seen.length;
  sender.send({
    jobId: 1, partnerId: 1, templateId: 1, trigger: 'manual', method: 2, body: '{"a":1}', contentType: 'application/json',
    signSecret: 'secret', secureHashingAlgo: 1, customHeaders: [], url: `http://${base}/hook`, ...job,
  });
  await sender.idle();
  await sender.close();
  return { attempt: attempts[0]!, request: seen[seen.length - 1]! ?? seen[before] };
}

/** Header names in wire order, without the ones libcurl and undici add on their own terms. */
function names(rawHeaders: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!['host', 'content-length', 'expect', 'connection'].includes(name)) out.push(name);
  }
  return out;
}

function captureNames(name: string): string[] {
  const capture = captures.find((c) => c.name === name)!;
  return names(capture.rawHeaders.flat());
}

test('a POST without data goes chunked with the form content type, in the capture\'s header order', async () => {
  const { attempt, request } = await deliver({ body: '', contentType: '' });
  assert.equal(attempt.ok, true);
  assert.equal(request.body, '');
  // undici writes Transfer-Encoding last, libcurl after Accept; where it stands does not change the request.
  const withoutFraming = (list: string[]) => list.filter((n) => n !== 'transfer-encoding');
  assert.deepEqual(withoutFraming(names(request.rawHeaders)), withoutFraming(captureNames('no-data-post')));
  const header = (n: string) => request.rawHeaders[request.rawHeaders.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === n) + 1];
  assert.equal(header('transfer-encoding'), 'chunked');
  assert.equal(header('content-type'), 'application/x-www-form-urlencoded');
});

test("a custom Content-Type replaces the engine's: one content-type, where the custom headers are", async () => {
  const { request } = await deliver({ customHeaders: [['X-Entry-0_abcd1234', 'id=0_abcd1234'], ['Bypass-Tunnel-Reminder', '1'], ['content-type', 'application/vnd.test+json']] });
  assert.deepEqual(names(request.rawHeaders), captureNames('custom-headers-and-content-type-override'));
  const types = names(request.rawHeaders).filter((n) => n === 'content-type');
  assert.equal(types.length, 1);
});

test('URLs as libcurl sends them: no scheme means http, spaces and brackets encoded, no fragment', async () => {
  const { request } = await deliver({ url: `${base}/a b/[x]/c?q=1#frag` });
  assert.equal(request.url, captures.find((c) => c.name === 'url-with-spaces-brackets-fragment')!.path);
});

test('200 or 204 is success, an empty body included; 201 and 500 are retried failures', async () => {
  answers.set('/empty-200', [200, '']);
  answers.set('/no-content', [204, '']);
  answers.set('/created', [201, 'made']);
  assert.equal((await deliver({ url: `http://${base}/empty-200` })).attempt.ok, true);
  assert.equal((await deliver({ url: `http://${base}/no-content` })).attempt.ok, true);
  const created = (await deliver({ url: `http://${base}/created` })).attempt;
  assert.equal(created.ok, false);
  assert.match(created.error ?? '', /HTTP 201: made \(Kaltura retries anything but 200 or 204\)/);
});

test('a redirect is followed with the method and the body kept', async () => {
  answers.set('/moved', [302, '', { location: '/landed' }]);
  const { attempt, request } = await deliver({ url: `http://${base}/moved` });
  assert.equal(attempt.ok, true);
  assert.deepEqual([request.method, request.url, request.body], ['POST', '/landed', '{"a":1}']);
});

test('a PUT template sends no body (PHP 8 curl), a DELETE sends it', async () => {
  assert.equal((await deliver({ method: 3 })).request.body, '');
  const del = (await deliver({ method: 4 })).request;
  assert.deepEqual([del.method, del.body], ['DELETE', '{"a":1}']);
  assert.deepEqual(names(del.rawHeaders), captureNames('delete-json'));
});
