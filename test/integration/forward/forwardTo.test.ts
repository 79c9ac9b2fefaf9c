// `kwh listen --forward-to URL`, like `stripe listen --forward-to`: every delivery goes on to the app with its exact
// bytes and headers (hop-by-hop removed), and a line per delivery says what the app answered and how fast; an app that
// is down gets a line that names the cause. The app here is a real HTTP server on loopback.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { buildEvents, unclassifiedNotification } from '../../../src/core/events/buildEvents';
import { createEventStore } from '../../../src/core/events/eventStore';
import { forwardAndRecord } from '../../../src/core/forward/deliveryForwarder';
import { capturedRequest } from '../../support/capturedRequest';
import { runCli } from '../receiver/cliProcess';
import { vectors } from '../../support/vectors';

const v = vectors.httpNotification.find((x) => x.hashAlgoHeader === 'sha256')!;

async function app(t: { after(fn: () => unknown): void }) {
  const received: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(201, { 'content-type': 'text/plain' }).end('created by the app');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/hook`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The workbench's receiver with a store and a forwarder to the app, closed after the test. */
async function forwardingReceiver(t: { after(fn: () => unknown): void }) {
  const { startReceiver } = await import('../../../src/core/receiver/receiverServer');
  const { DeliveryForwarder } = await import('../../../src/core/forward/deliveryForwarder');
  const target = await app(t);
  const store = createEventStore({ flushIntervalMs: 5 });
  const receiver = await startReceiver({ store, credentials: () => ({ kalturaSecrets: [{ label: 's', secret: vectors.secret }], basicAuth: [] }) });
  const forwarder = new DeliveryForwarder(store, { target: () => target.url });
  t.after(async () => {
    forwarder.dispose();
    await receiver.close();
    await store.close();
  });
  return { target, store, receiver, forwarder };
}

function send(url: string, headers: Record<string, string>, body: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers, body });
}

test("kwh listen --forward-to sends each delivery on with its exact bytes and prints the app's status and time", async (t) => {
  const target = await app(t);
  const cli = runCli(['listen', '--kaltura-secret-env', 'KWH_FWD_SECRET', '--forward-to', target.url], { KWH_FWD_SECRET: vectors.secret });
  t.after(() => cli.stop('SIGKILL'));
  const base = (await cli.waitForLine(/^listening /)).line.slice('listening '.length);
  await cli.waitForLine(/^forwarding every delivery to /);
  const answer = await send(`${base}/kaltura?x=1`, { 'content-type': v.contentType, 'x-kaltura-signature': v.signature, 'x-kaltura-hash-algo': 'sha256' }, v.body);
  assert.equal(answer.status, 200, 'the receiver answers the sender itself');
  const { line } = await cli.waitForLine(/^ {2}-> \[201\] POST /);
  assert.match(line, /-> \[201\] POST http:\/\/127\.0\.0\.1:\d+\/app\/hook\?x=1 \(\d+(\.\d+)? ms\)$/);
  assert.equal(target.received.length, 1);
  const got = target.received[0]!;
  assert.equal(got.body.toString(), v.body, 'the exact body bytes');
  assert.equal(got.headers['x-kaltura-signature'], v.signature, 'the signature as sent, so the app can verify it');
  assert.equal(got.headers['x-kaltura-hash-algo'], 'sha256');
  assert.equal(got.headers['x-kwh-replay-of'], undefined, 'a forward is a delivery, not a replay');
});

test('kwh listen --forward-to with the app down prints why, and keeps receiving', async (t) => {
  const target = await app(t);
  await target.close();
  const cli = runCli(['listen', '--forward-to', target.url, '--json']);
  t.after(() => cli.stop('SIGKILL'));
  const base = (await cli.waitForLine(/^listening /)).line.slice('listening '.length);
  assert.equal((await send(`${base}/x`, { 'content-type': 'application/json' }, '{"a":1}')).status, 200);
  const { line } = await cli.waitForLine(/"forwarded"/);
  const record = (JSON.parse(line) as { forwarded: { error?: string; eventId: string } }).forwarded;
  assert.match(record.error ?? '', /forward to http:\/\/127\.0\.0\.1:\d+\/app\/hook failed \(ECONNREFUSED\): nothing is listening there/);
  assert.equal((await send(`${base}/y`, { 'content-type': 'application/json' }, '{"a":2}')).status, 200);
});

test("the forwarder records the app's answer on every event of the request and announces it as an update", async (t) => {
  const { target, store, receiver, forwarder } = await forwardingReceiver(t);
  const updated: string[] = [];
  store.onChange((c) => updated.push(...c.updated.map((e) => e.id)));
  const multi = vectors.legacyNotification.find((x) => x.notifications > 1)!;
  assert.equal((await send(`${receiver.url}/legacy`, { 'content-type': 'application/x-www-form-urlencoded' }, multi.body)).status, 200);
  await store.flush();
  await forwarder.idle();
  await store.flush();
  const events = store.all();
  assert.equal(events.length, multi.notifications);
  assert.equal(target.received.length, 1, 'one request to the app for the whole multi-notification');
  for (const e of events) {
    assert.equal(e.forward?.status, 201);
    assert.equal(e.forward?.body, 'created by the app');
    assert.ok((e.forward?.durationMs ?? -1) >= 0);
  }
  assert.deepEqual(new Set(updated), new Set(events.map((e) => e.id)));
});

test("a later forward's failure replaces the earlier answer on the event, never shown beside it", async (t) => {
  const target = await app(t);
  const store = createEventStore({});
  const request = capturedRequest({ method: 'POST', path: '/hook', body: Buffer.from('{"a":1}'), headers: { 'content-type': 'application/json' } });
  const events = store.add(buildEvents(request, [unclassifiedNotification(request, 'a request of the test')], { origin: 'network' }));
  await store.flush(); // the arrival is announced; what follows are updates of it
  const updates: string[][] = [];
  store.onChange((c) => updates.push(c.updated.map((e) => e.id)));

  const ok = await forwardAndRecord(store, events, target.url);
  assert.equal(ok.status, 201);
  assert.equal(events[0]!.forward?.status, 201);
  await target.close();
  const failed = await forwardAndRecord(store, events, target.url, 2000);
  assert.match(failed.error ?? '', /ECONNREFUSED/);
  assert.equal(events[0]!.forward, failed, 'the event holds the newest outcome');
  assert.equal(events[0]!.forward?.status, undefined, 'no status of the earlier answer beside the failure');
  await store.flush();
  assert.ok(updates.flat().includes(events[0]!.id), 'the views are told');
});

test("the workbench's samples go on to the app like deliveries, without the sample token; replays do not", async (t) => {
  const { SAMPLE_TOKEN_HEADER, REPLAY_HEADER } = await import('../../../src/protocol/workbench');
  const { target, store, receiver, forwarder } = await forwardingReceiver(t);
  const headers = { 'content-type': v.contentType, 'x-kaltura-signature': v.signature, 'x-kaltura-hash-algo': v.hashAlgoHeader! };
  assert.equal((await send(`${receiver.url}/hook`, { ...headers, [SAMPLE_TOKEN_HEADER]: receiver.sampleToken }, v.body)).status, 200);
  assert.equal((await send(`${receiver.url}/hook`, { ...headers, [REPLAY_HEADER]: 'evt_1' }, v.body)).status, 200);
  await store.flush();
  await forwarder.idle();
  assert.deepEqual(store.all().map((e) => e.origin).sort(), ['replay', 'sample']);
  assert.equal(target.received.length, 1, 'the sample only');
  assert.equal(target.received[0]!.headers[SAMPLE_TOKEN_HEADER], undefined, 'the token stays in the workbench');
  assert.equal(target.received[0]!.body.toString(), v.body);
});
