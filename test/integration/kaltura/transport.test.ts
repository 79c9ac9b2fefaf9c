// The API client's transport against a real HTTP server on 127.0.0.1 that answers each request with the next
// scripted behaviour (a fault injector): request shape, exceptions with HTTP 200, retries, timeouts, resets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KalturaApiClient } from '../../../src/core/kaltura/apiClient';
import { KalturaApiError, KalturaTransportError } from '../../../src/core/kaltura/errors';
import { anyTemplateSchema } from '../../../src/core/kaltura/schemas';

type Behaviour = (req: IncomingMessage, res: ServerResponse, body: string) => void;
interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: string }

const script: Behaviour[] = [];
const seen: Seen[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const next = script.shift() ?? ((_q, r) => { r.writeHead(500); r.end('no behaviour scripted'); });
    next(req, res, body);
  });
});
let base = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const json = (value: unknown, status = 200): Behaviour => (_q, r) => { r.writeHead(status, { 'content-type': 'application/json' }); r.end(JSON.stringify(value)); };
const raw = (text: string, status = 200): Behaviour => (_q, r) => { r.writeHead(status); r.end(text); };
const hang: Behaviour = () => {};
const reset: Behaviour = (q) => q.socket.destroy();

function reset_() { script.length = 0; seen.length = 0; }
const fastClient = (extra: Partial<ConstructorParameters<typeof KalturaApiClient>[0]> = {}) =>
  new KalturaApiClient({ serviceUrl: base, retries: 3, retryBaseDelayMs: 5, retryMaxDelayMs: 20, timeoutMs: 2000, ...extra });

test('sends a JSON POST shaped like the official client', async () => {
  reset_();
  script.push(json({ id: 5, objectType: 'KalturaHttpNotificationTemplate', extra: 'kept' }));
  const client = fastClient();
  const t = await client.call('eventnotification_eventnotificationtemplate', 'update', {
    id: 5, eventNotificationTemplate: { objectType: 'KalturaHttpNotificationTemplate', url: 'https://x/y', description: null },
  }, { ks: 'KS-VALUE', schema: anyTemplateSchema });
  assert.equal(t.id, 5);
  assert.equal((t as Record<string, unknown>).extra, 'kept');
  const req = seen[0]!;
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/api_v3/service/eventnotification_eventnotificationtemplate/action/update');
  assert.match(String(req.headers['content-type']), /application\/json/);
  const body = JSON.parse(req.body);
  assert.equal(body.format, 1);
  assert.equal(body.ks, 'KS-VALUE');
  assert.match(body.clientTag, /^kwh:/);
  assert.equal(body.apiVersion, client.apiVersion);
  assert.deepEqual(body.eventNotificationTemplate, { objectType: 'KalturaHttpNotificationTemplate', url: 'https://x/y' }, 'nulls dropped');
});

test('a KalturaAPIException with HTTP 200 becomes a typed error and is not retried', async () => {
  reset_();
  script.push(json({ objectType: 'KalturaAPIException', code: 'INVALID_KS', message: 'Invalid KS "SECRET-KS-123". Error "-5,EXPIRED"', args: [{ objectType: 'KalturaApiExceptionArg', name: 'KS', value: 'SECRET-KS-123' }] }));
  const err = await fastClient().call('s', 'a', {}, { ks: 'SECRET-KS-123' }).catch((e: unknown) => e);
  assert.ok(err instanceof KalturaApiError);
  assert.equal(err.code, 'INVALID_KS');
  assert.ok(err.hint);
  assert.doesNotMatch(err.message, /SECRET-KS-123/, 'the KS is redacted');
  assert.doesNotMatch(JSON.stringify(err.args), /SECRET-KS-123/);
  assert.equal(seen.length, 1);
});

test('5xx is retried with backoff until it succeeds', async () => {
  reset_();
  script.push(raw('boom', 500), raw('busy', 503), json('a-ks-string'));
  const logged: string[] = [];
  const value = await fastClient({ log: (l) => logged.push(l) }).call('session', 'start', { secret: 'TOPSECRET' });
  assert.equal(value, 'a-ks-string');
  assert.equal(seen.length, 3);
  assert.equal(logged.length, 3, logged.join('\n'));
  assert.ok(logged.every((l) => !l.includes('TOPSECRET')), 'params never reach the log');
});

test('5xx gives up after the configured retries with a typed error', async () => {
  reset_();
  script.push(raw('', 502), raw('', 502), raw('', 502));
  const err = await fastClient({ retries: 2 }).call('s', 'a').catch((e: unknown) => e);
  assert.ok(err instanceof KalturaTransportError);
  assert.equal(err.kind, 'http');
  assert.equal(err.status, 502);
  assert.equal(err.attempts, 3);
  assert.equal(seen.length, 3);
});

test('4xx, malformed JSON and API errors are not retried', async () => {
  reset_();
  script.push(raw('not here', 404));
  const notFound = await fastClient().call('s', 'a').catch((e: unknown) => e);
  assert.ok(notFound instanceof KalturaTransportError && notFound.kind === 'http' && notFound.status === 404 && !notFound.retryable);
  assert.match(notFound.message, /--service-url/);
  script.push(raw('<html><body>Welcome</body></html>'));
  const malformed = await fastClient().call('s', 'a').catch((e: unknown) => e);
  assert.ok(malformed instanceof KalturaTransportError && malformed.kind === 'malformed');
  assert.match(malformed.message, /did not answer JSON.*<html>/);
  script.push(json({ unexpected: true }));
  const shape = await fastClient().call('s', 'a', {}, { schema: anyTemplateSchema }).catch((e: unknown) => e);
  assert.ok(shape instanceof KalturaTransportError && shape.kind === 'malformed');
  assert.match(shape.message, /unexpected shape: id/);
  assert.equal(seen.length, 3);
});

test('timeouts are retried, then reported as timeouts', async () => {
  reset_();
  script.push(hang, json(7));
  const started = Date.now();
  assert.equal(await fastClient({ timeoutMs: 150 }).call('s', 'dispatch'), 7);
  assert.ok(Date.now() - started >= 140);
  script.push(hang, hang);
  const err = await fastClient({ timeoutMs: 100, retries: 1 }).call('s', 'a').catch((e: unknown) => e);
  assert.ok(err instanceof KalturaTransportError && err.kind === 'timeout' && err.attempts === 2, String(err));
  assert.equal(seen.length, 4);
});

test('connection resets are retried', async () => {
  reset_();
  script.push(reset, reset, json(null));
  assert.equal(await fastClient().call('s', 'delete'), null);
  assert.equal(seen.length, 3);
});

test('an empty body means "no result"; abort stops at once and is not retried', async () => {
  reset_();
  script.push(raw(''));
  assert.equal(await fastClient().call('s', 'delete'), null);
  script.push(hang);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const started = Date.now();
  const err = await fastClient({ timeoutMs: 5000 }).call('s', 'a', {}, { signal: controller.signal }).catch((e: unknown) => e);
  assert.ok(err instanceof KalturaTransportError && err.kind === 'aborted', String(err));
  assert.ok(Date.now() - started < 1000);
  assert.equal(seen.length, 2);
});

test('a refused connection names the service URL', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const err = await new KalturaApiClient({ serviceUrl: `http://127.0.0.1:${port}`, retries: 0 }).call('s', 'a').catch((e: unknown) => e);
  assert.ok(err instanceof KalturaTransportError && err.kind === 'network');
  assert.match(err.message, /ECONNREFUSED.*--service-url/);
});
