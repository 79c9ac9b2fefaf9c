import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, Agent } from 'node:http';
import { request } from 'undici';
import { PROBE_PATH_PREFIX } from '../../../src/core/receiver/types';
import { startReceiver } from '../../../src/core/receiver/receiverServer';
import { BODY_SLAB_BYTES } from '../../../src/core/events/bodySlab';
import { createEventStore } from '../../../src/core/events/eventStore';
import { vectors } from '../../support/vectors';
import { rawConnect, SECRET_LABEL, sleep, startHarness } from './receiverHarness';

const sha256Vector = vectors.httpNotification.find((v) => v.hashAlgoHeader === 'sha256')!;

function signedHeaders(v = sha256Vector): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': v.contentType, 'x-kaltura-signature': v.signature };
  if (v.hashAlgoHeader) headers['x-kaltura-hash-algo'] = v.hashAlgoHeader;
  return headers;
}

test('ok mode: 200 with a non-empty body, the exact bytes and wire-order headers recorded first', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  const conn = await rawConnect(h.receiver.port);
  const body = Buffer.from(sha256Vector.body, 'utf8');
  conn.socket.end(
    `POST /kaltura/hook?x=1 HTTP/1.1\r\nHost: example.test\r\nX-KALTURA-SIGNATURE: ${sha256Vector.signature}\r\n` +
      `X-KALTURA-HASH-ALGO: sha256\r\nx-custom: one\r\nX-Custom: two\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${sha256Vector.body}`,
  );
  await conn.closed;
  const response = conn.received();
  assert.match(response, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(response, /\r\n\r\nOK$/);
  const eventId = /x-kwh-event-id: (\S+)/i.exec(response)?.[1];
  const [event] = await h.waitForEvents(1);
  assert.equal(event!.id, eventId);
  assert.equal(event!.request.method, 'POST');
  assert.equal(event!.request.path, '/kaltura/hook?x=1');
  assert.ok(event!.request.body.equals(body));
  // A copy on a body slab (bodySlab.ts), not a view into the socket's read buffer, which would stay pinned with it.
  assert.equal(event!.request.body.buffer.byteLength, BODY_SLAB_BYTES, 'the body is a copy on a body slab, not a view into a socket buffer');
  assert.deepEqual(event!.request.rawHeaders.map(([n]) => n), [
    'Host', 'X-KALTURA-SIGNATURE', 'X-KALTURA-HASH-ALGO', 'x-custom', 'X-Custom', 'Content-Type', 'Content-Length', 'Connection',
  ]);
  assert.equal(event!.request.headers['x-custom'], 'one, two');
  assert.equal(event!.source, 'kaltura');
  assert.equal(event!.verification.status, 'verified');
  assert.equal(event!.verification.secretLabel, SECRET_LABEL);
  assert.deepEqual(event!.response, { status: 200, mode: 'ok', kalturaWouldRetry: false });
  assert.equal(event!.origin, 'network');
});

test('fail-500 mode answers 500 explaining why, records the event, and the mode can change at runtime', async (t) => {
  const h = await startHarness({ responseMode: 'fail-500' });
  t.after(() => h.close());
  const url = `${h.receiver.url}/hook`;
  const first = await request(url, { method: 'POST', body: sha256Vector.body, headers: signedHeaders() });
  assert.equal(first.statusCode, 500);
  assert.match(await first.body.text(), /fail-500 mode/);
  h.receiver.responseMode = 'ok';
  const second = await request(url, { method: 'POST', body: sha256Vector.body, headers: signedHeaders() });
  assert.equal(second.statusCode, 200);
  await second.body.text();
  const [a, b] = await h.waitForEvents(2);
  assert.deepEqual(a!.response, { status: 500, mode: 'fail-500', kalturaWouldRetry: true });
  assert.deepEqual(b!.response, { status: 200, mode: 'ok', kalturaWouldRetry: false });
  assert.equal(b!.duplicateOf, a!.id, 'the retry (same eventNotificationJobId) links to the first delivery');
  assert.equal(b!.deliveryCount, 2);
  assert.equal(h.store.get(a!.id)!.deliveryCount, 2);
  assert.throws(() => (h.receiver.responseMode = 'nope' as never), /unknown response mode "nope"/);
});

test('timeout mode records the request, never answers, and drops the socket after holdTimeoutMs', async (t) => {
  const h = await startHarness({ responseMode: 'timeout', holdTimeoutMs: 400 });
  t.after(() => h.close());
  // A sender that gives up first (like Kaltura's curl timeout).
  await assert.rejects(
    request(`${h.receiver.url}/hook`, { method: 'POST', body: sha256Vector.body, headers: signedHeaders(), signal: AbortSignal.timeout(150) }),
    { name: 'TimeoutError' },
  );
  const [event] = await h.waitForEvents(1);
  assert.deepEqual(event!.response, { status: 0, mode: 'timeout', kalturaWouldRetry: true });
  // A sender that waits: the receiver hangs up after the hold time, without a response.
  const conn = await rawConnect(h.receiver.port);
  const started = Date.now();
  conn.socket.write(`POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi`);
  await conn.closed;
  const held = Date.now() - started;
  assert.ok(held >= 350 && held < 2000, `held for ${held} ms`);
  assert.equal(conn.received(), '');
  await h.waitForEvents(2);
});

test('close() does not wait for held requests', async () => {
  const h = await startHarness({ responseMode: 'timeout' });
  const conn = await rawConnect(h.receiver.port);
  conn.socket.write('GET /held HTTP/1.1\r\nHost: a\r\n\r\n');
  await h.waitForEvents(1);
  const started = Date.now();
  await h.close();
  await conn.closed;
  assert.ok(Date.now() - started < 1000);
});

test('a body over the limit gets 413 naming the limit; headers, the first bytes and the fact are recorded', async (t) => {
  const h = await startHarness({ maxBodyBytes: 1024 });
  t.after(() => h.close());
  const big = Buffer.alloc(50_000, 0x61);
  const res = await request(`${h.receiver.url}/big`, {
    method: 'POST',
    body: big,
    headers: { 'content-type': 'application/json', 'x-trace': 'big-one' },
  });
  assert.equal(res.statusCode, 413);
  const text = await res.body.text();
  assert.match(text, /larger than the receiver limit of 1 KiB \(1024 bytes\)/);
  assert.match(text, /--max-body-bytes/);
  assert.equal(res.headers['connection'], 'close');
  const [event] = await h.waitForEvents(1);
  assert.equal(event!.request.headers['x-trace'], 'big-one');
  assert.equal(event!.request.bodyTruncated, true);
  assert.equal(event!.request.body.length, 1024);
  assert.equal(event!.request.bodySize, 50_000);
  assert.ok(event!.problems.some((p) => /larger than the 1 KiB limit \(50000 bytes announced\).*413/.test(p)), event!.problems.join('\n'));
  assert.deepEqual(event!.response, { status: 413, mode: 'ok', kalturaWouldRetry: true });
  assert.equal(res.headers['x-kwh-event-id'], event!.id);

  // Chunked, no Content-Length: the limit applies to what arrives.
  const conn = await rawConnect(h.receiver.port);
  conn.socket.write('POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n');
  for (let i = 0; i < 3; i++) conn.socket.write(`400\r\n${'b'.repeat(1024)}\r\n`);
  await conn.closed;
  assert.match(conn.received(), /^HTTP\/1\.1 413 /);
  const events = await h.waitForEvents(2);
  assert.equal(events[1]!.request.body.length, 1024);
  assert.ok(events[1]!.problems.some((p) => /more than 1024 bytes sent/.test(p)));
  conn.socket.destroy();
});

test('slowloris: trickled headers time out, are recorded with the reason, and others are served meanwhile', async (t) => {
  const h = await startHarness({ headersTimeoutMs: 400 });
  t.after(() => h.close());
  const slow = await rawConnect(h.receiver.port);
  slow.socket.write('POST /slow HTTP/1.1\r\n');
  const trickle = setInterval(() => slow.socket.writable && slow.socket.write('X-Slow: 1\r\n'), 50);
  t.after(() => clearInterval(trickle));
  await sleep(100);
  const fast = await request(`${h.receiver.url}/fast`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  assert.equal(fast.statusCode, 200, 'a normal client is served while the slow one trickles');
  await fast.body.text();
  await slow.closed;
  clearInterval(trickle);
  assert.match(slow.received(), /^HTTP\/1\.1 408 /);
  const events = await h.waitForEvents(2);
  const timedOut = events.find((e) => e.request.path === '')!;
  assert.ok(timedOut, 'the slow client is recorded');
  assert.ok(timedOut.problems.some((p) => /did not finish sending the request headers within 0\.4 s .*headers timed out/.test(p)), timedOut.problems.join('\n'));
  assert.equal(timedOut.response?.status, 408);
});

test('a stalled body is recorded as partial with "client sent N of M bytes", answered 408; others are served', async (t) => {
  const h = await startHarness({ bodyTimeoutMs: 400 });
  t.after(() => h.close());
  const stalled = await rawConnect(h.receiver.port);
  stalled.socket.write('POST /stall HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"partial":');
  await sleep(50);
  const fast = await request(`${h.receiver.url}/fast`, { method: 'GET' });
  assert.equal(fast.statusCode, 200);
  await fast.body.text();
  await stalled.closed;
  assert.match(stalled.received(), /^HTTP\/1\.1 408 /);
  assert.match(stalled.received(), /client sent 11 of 100 bytes in 0\.4 s; body timed out/);
  const events = await h.waitForEvents(2);
  const partial = events.find((e) => e.request.path === '/stall')!;
  assert.equal(partial.request.body.toString(), '{"partial":');
  assert.equal(partial.request.bodyTruncated, true);
  assert.ok(partial.problems.includes('client sent 11 of 100 bytes in 0.4 s; body timed out (slow or stalled client)'));
});

test('a client aborting mid-body is recorded with what arrived', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  const conn = await rawConnect(h.receiver.port);
  conn.socket.write('POST /abort HTTP/1.1\r\nHost: a\r\nContent-Length: 500\r\n\r\nabcdef');
  await sleep(50);
  conn.socket.destroy();
  const [event] = await h.waitForEvents(1);
  assert.equal(event!.request.body.toString(), 'abcdef');
  assert.ok(event!.problems.some((p) => p.startsWith('client closed the connection after 6 of 500 bytes')), event!.problems.join('\n'));
  assert.equal(event!.response, undefined);
  await sleep(50);
  assert.equal(h.store.size, 1, 'the cut request is recorded once, not again as broken HTTP');
  // Headers cut off by a closed connection are a transport problem of their own.
  const cut = await rawConnect(h.receiver.port);
  cut.socket.end('POST /cut HTTP/1.1\r\nHost: a\r\nX-Half: ');
  await cut.closed;
  const events = await h.waitForEvents(2);
  assert.ok(events[1]!.problems.some((p) => /in the middle of the request headers/.test(p)), events[1]!.problems.join('\n'));
});

test('malformed bodies and invalid UTF-8 are recorded exactly, with problems, and answered 200', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  const bodies: Array<[string, Buffer]> = [
    ['application/json', Buffer.from('{"eventNotificationJobId": 1, "object": {')],
    ['application/json', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
    ['application/xml', Buffer.from('data=<notification><objectType>KalturaHttpNotification</object')],
    ['application/x-www-form-urlencoded', Buffer.from('a=%ZZ&b=%E0%A4%A')],
    ['text/plain', Buffer.from('a:1:{s:3:"foo";i:')],
  ];
  for (const [contentType, body] of bodies) {
    const res = await request(`${h.receiver.url}/bad`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType, 'x-kaltura-signature': '0'.repeat(40) },
    });
    assert.equal(res.statusCode, 200);
    await res.body.text();
  }
  const events = await h.waitForEvents(bodies.length);
  events.forEach((event, i) => {
    assert.ok(event.request.body.equals(bodies[i]![1]), `body ${i} kept byte for byte`);
    assert.equal(event.verification.status, 'failed', `body ${i} has a wrong signature`);
  });
  assert.ok(events[0]!.problems.length > 0, 'malformed JSON is reported');
  assert.ok(events[1]!.problems.some((p) => /UTF-8/i.test(p)), `invalid UTF-8 is reported: ${events[1]!.problems.join(' | ')}`);
});

test('broken HTTP gets 400 and a recorded transport problem; a bare connect-and-close records nothing', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  const bare = await rawConnect(h.receiver.port);
  bare.socket.end();
  await bare.closed;
  const garbage = await rawConnect(h.receiver.port);
  garbage.socket.write('THIS IS NOT HTTP\r\n\r\n');
  await garbage.closed;
  assert.match(garbage.received(), /^HTTP\/1\.1 400 Bad Request/);
  const [event] = await h.waitForEvents(1);
  await sleep(50);
  assert.equal(h.store.size, 1);
  assert.ok(event!.problems.some((p) => /^malformed HTTP request \(HPE_/.test(p)), event!.problems.join('\n'));
  assert.equal(event!.source, 'unknown');
  const still = await request(`${h.receiver.url}/after`);
  assert.equal(still.statusCode, 200);
  await still.body.text();
});


test('a broken chunked body gets 400 naming the parse error, recorded with its request line and the bytes that arrived', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  const conn = await rawConnect(h.receiver.port);
  // The headers are complete, so the request is dispatched; the first chunk is framed right, the second is not.
  conn.socket.write('POST /hook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n');
  conn.socket.end();
  await conn.closed;
  assert.match(conn.received(), /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(conn.received(), /\r\n\r\nkwh: malformed request body \(HPE_INVALID_CHUNK_SIZE: .+\) after \d+ bytes; rejected with 400\n$/);
  const [event] = await h.waitForEvents(1);
  assert.equal(event!.request.method, 'POST');
  assert.equal(event!.request.path, '/hook');
  assert.equal(event!.request.bodyTruncated, true);
  assert.equal(event!.response?.status, 400);
  assert.ok(event!.problems.some((p) => /^malformed request body \(HPE_INVALID_CHUNK_SIZE/.test(p)), event!.problems.join('\n'));
  const still = await request(`${h.receiver.url}/after`);
  assert.equal(still.statusCode, 200);
  await still.body.text();
});
test('the tunnel probe path is answered with its nonce and never recorded', async (t) => {
  const h = await startHarness({ responseMode: 'fail-500' });
  t.after(() => h.close());
  const res = await request(`${h.receiver.url}${PROBE_PATH_PREFIX}n0nce-123?x=1`);
  assert.equal(res.statusCode, 200);
  assert.equal(await res.body.text(), 'kwh-probe n0nce-123');
  await sleep(30);
  assert.equal(h.store.size, 0);
});

test("a kept-alive connection outlives a proxy's 5 s idle timeout, so a proxy never reuses a socket the receiver just closed", async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  // Node's keep-alive agent (code-server's proxy, http-proxy) drops idle sockets after 5 s; a receiver that closes at
  // 5 s too races it, and the proxy answers the delivery 502 (EPIPE).
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => agent.destroy());
  const post = () =>
    new Promise<{ status: number; keepAlive: string | undefined; socket: unknown }>((resolve, reject) => {
      const req = httpRequest(`${h.receiver.url}/hook`, { method: 'POST', agent, headers: signedHeaders() }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, keepAlive: res.headers['keep-alive'] as string | undefined, socket: req.socket }));
      });
      req.on('error', reject);
      req.end(sha256Vector.body);
    });
  const first = await post();
  assert.equal(first.status, 200);
  assert.equal(first.keepAlive, 'timeout=65', 'the receiver announces its 65 s keep-alive window');
  await sleep(5500);
  const second = await post();
  assert.equal(second.status, 200);
  assert.equal(second.socket, first.socket, 'the idle connection was still open after 5.5 s and was reused');
  await h.waitForEvents(2);
});

test('200 concurrent connections are all answered and recorded', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  t.after(() => agent.destroy());
  const send = (i: number) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: h.receiver.port, method: 'POST', path: `/c/${i}`, agent, headers: signedHeaders() },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(sha256Vector.body);
    });
  const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => send(i)));
  assert.deepEqual(new Set(statuses), new Set([200]));
  const events = await h.waitForEvents(200);
  assert.equal(new Set(events.map((e) => e.request.path)).size, 200);
  assert.ok(events.every((e) => e.verification.status === 'verified'));
  const first = events.find((e) => e.duplicateOf === null)!;
  assert.equal(first.deliveryCount, 200, 'same job id 200 times: one first delivery, 199 linked retries');
});

test('ingest() classifies and stores a request that did not come over the network', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  const [event] = h.receiver.ingest(
    {
      requestId: 'req_sample',
      receivedAt: new Date().toISOString(),
      method: 'POST',
      path: '/sample',
      httpVersion: '1.1',
      rawHeaders: Object.entries(signedHeaders()),
      headers: signedHeaders(),
      body: Buffer.from(sha256Vector.body),
      bodySize: Buffer.byteLength(sha256Vector.body),
      bodyTruncated: false,
    },
    'sample',
  );
  assert.equal(event!.origin, 'sample');
  assert.equal(event!.verification.status, 'verified');
  assert.equal(h.store.get(event!.id), event);
});

test('a port in use is a clear error', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  const store = createEventStore();
  await assert.rejects(
    startReceiver({ port: h.receiver.port, store, credentials: () => ({ kalturaSecrets: [], basicAuth: [] }) }),
    new RegExp(`port ${h.receiver.port} on 127\\.0\\.0\\.1 is already in use; pick another port, or use 0`),
  );
  await store.close();
});
