import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import { request } from 'undici';
import { replayRequest } from '../../../src/core/forward/replayRequest';
import { toCurl } from '../../../src/core/forward/exports';
import { vectors } from '../../support/vectors';
import { startHarness, type Harness } from './receiverHarness';
import { startReceiver } from '../../../src/core/receiver/receiverServer';
import { createEventStore } from '../../../src/core/events/eventStore';

const run = promisify(execFile);
const sha1Vector = vectors.httpNotification.find((v) => v.hashAlgoHeader === 'sha1')!;

async function recordOne(h: Harness, body: string | Buffer, headers: Record<string, string>, path = '/orig?x=1') {
  const res = await request(`${h.receiver.url}${path}`, { method: 'POST', body, headers });
  await res.body.text();
  const id = res.headers['x-kwh-event-id'] as string;
  await h.store.flush();
  return h.store.get(id)!;
}

test('replayRequest re-sends method, path, headers and the exact body; the target verifies it again', async (t) => {
  const source = await startHarness();
  const target = await startHarness();
  t.after(() => Promise.all([source.close(), target.close()]));
  const original = await recordOne(source, sha1Vector.body, {
    'content-type': sha1Vector.contentType,
    'x-kaltura-signature': sha1Vector.signature,
    'x-custom': 'kept',
  });
  const result = await replayRequest(original, target.receiver.url);
  assert.equal(result.status, 200);
  assert.equal(result.body, 'OK');
  assert.equal(result.url, `${target.receiver.url}/orig?x=1`);
  assert.ok(result.durationMs >= 0);
  const replayed = target.store.get(result.headers['x-kwh-event-id'] as string)!;
  assert.ok(replayed.request.body.equals(original.request.body));
  assert.equal(replayed.request.method, 'POST');
  assert.equal(replayed.request.path, '/orig?x=1');
  assert.equal(replayed.request.headers['x-custom'], 'kept');
  assert.equal(replayed.request.headers['host'], `127.0.0.1:${target.receiver.port}`, 'host is the target, not the original');
  assert.equal(replayed.verification.status, 'verified');
  assert.equal(replayed.origin, 'replay', 'the receiver marks copies re-sent by replayRequest');
  assert.equal(replayed.request.headers['x-kwh-replay-of'], original.id);
  assert.equal(original.origin, 'network');
});

test('replayRequest can re-sign with another secret, and a path in the target URL is used as given', async (t) => {
  const source = await startHarness();
  t.after(() => source.close());
  const otherSecret = 'another-local-app-secret';
  const store = createEventStore();
  const target = await startReceiver({ store, credentials: () => ({ kalturaSecrets: [{ label: 'LOCAL', secret: otherSecret }], basicAuth: [] }) });
  t.after(async () => {
    await target.close();
    await store.close();
  });
  const original = await recordOne(source, sha1Vector.body, { 'content-type': 'application/json', 'x-kaltura-signature': sha1Vector.signature });
  const plain = await replayRequest(original, `${target.url}/hooks/kaltura`);
  const resigned = await replayRequest(original, `${target.url}/hooks/kaltura`, { resign: { secret: otherSecret, algo: 'sha512' } });
  assert.equal(plain.url, `${target.url}/hooks/kaltura?x=1`);
  const a = store.get(plain.headers['x-kwh-event-id'] as string)!;
  const b = store.get(resigned.headers['x-kwh-event-id'] as string)!;
  assert.equal(a.verification.status, 'failed', 'the original signature does not match the local secret');
  assert.equal(b.verification.status, 'verified');
  assert.equal(b.verification.algorithm, 'sha512');
  assert.equal(b.request.rawHeaders.filter(([n]) => n.toLowerCase() === 'x-kaltura-signature').length, 1);
});

test('replayRequest explains an unreachable target', async (t) => {
  const source = await startHarness();
  t.after(() => source.close());
  const event = await recordOne(source, '{}', { 'content-type': 'application/json' });
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
  const port = (closed.address() as { port: number }).port;
  await new Promise<void>((r) => closed.close(() => r()));
  await assert.rejects(replayRequest(event, `http://127.0.0.1:${port}`), /replay to http:\/\/127\.0\.0\.1:\d+\/orig\?x=1 failed \(ECONNREFUSED\): nothing is listening there/);
  await assert.rejects(replayRequest(event, 'ftp://x'), /target URL must start with http:\/\/ or https:\/\//);
});

test('the curl export, run by a real shell, re-sends the exact bytes (text and binary bodies)', async (t) => {
  const source = await startHarness();
  const target = await startHarness();
  t.after(() => Promise.all([source.close(), target.close()]));
  const text = await recordOne(source, `{"quote":"it's","dollar":"$HOME \`x\`"}`, {
    'content-type': 'application/json',
    authorization: 'Basic dXNlcjpwYXNz',
  });
  const binary = await recordOne(source, Buffer.from([0x40, 0x00, 0xff, 0x0a, 0x27]), { 'content-type': 'application/octet-stream' }, '/bin');
  for (const event of [text, binary]) {
    const command = toCurl(event, { targetUrl: target.receiver.url, redactHeaders: false });
    const { stdout } = await run('bash', ['-c', command]);
    assert.equal(stdout, 'OK');
  }
  await target.store.flush();
  const [t1, t2] = target.store.all();
  assert.ok(t1!.request.body.equals(text.request.body));
  assert.equal(t1!.request.headers['authorization'], 'Basic dXNlcjpwYXNz', 'redactHeaders:false keeps credentials');
  assert.ok(t2!.request.body.equals(binary.request.body));
  assert.equal(t2!.request.path, '/bin');
  assert.match(toCurl(text), /-H 'authorization: Basic <redacted>'/, 'credentials are redacted by default');
});

test('an edited request document sent to the receiver verifies re-signed and is an edited replay of its original; to an app it carries no workbench headers', async (t) => {
  const h = await startHarness();
  const seen: Array<{ url: string; headers: Record<string, string | string[] | undefined>; body: string }> = [];
  const app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(202).end('accepted');
    });
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  t.after(() => Promise.all([h.close(), new Promise((r) => app.close(r))]));
  const { requestDocumentFor, requestFromDocument } = await import('../../../src/core/forward/requestDocument');
  const json = vectors.httpNotification.find((v) => v.hashAlgoHeader === 'sha256' && v.contentType.includes('json'))!;
  const original = await recordOne(h, json.body, { 'content-type': json.contentType, 'x-kaltura-signature': json.signature, 'x-kaltura-hash-algo': 'sha256' }, '/hooks/kaltura');
  assert.equal(original.verification.status, 'verified');

  const doc = requestDocumentFor(original.request, { sendTo: 'receiver', replayOf: original.id });
  assert.equal(doc.bodyFormat, 'json');
  (doc.body as Record<string, unknown>)['edited'] = 'by the test';
  const edited = requestFromDocument(doc, { secret: vectors.secret, original: original.request });
  const result = await replayRequest({ id: original.id, request: edited }, h.receiver.url);
  assert.equal(result.status, 200);
  await h.store.flush();
  const copy = h.store.get(result.headers['x-kwh-event-id'] as string)!;
  assert.equal(copy.verification.status, 'verified', copy.verification.reason);
  assert.equal(copy.origin, 'replay');
  assert.equal(copy.replayOf, original.id);
  assert.equal(copy.replayEdited, true);
  assert.match(copy.request.body.toString('utf8'), /"edited":"by the test"/);
  assert.equal(original.replayEdited, undefined);

  const port = (app.address() as { port: number }).port;
  const toApp = requestFromDocument({ ...doc, sendTo: 'app' }, { secret: vectors.secret, original: original.request });
  const answer = await replayRequest({ id: original.id, request: toApp }, `http://127.0.0.1:${port}`, { purpose: 'forward' });
  assert.equal(answer.status, 202);
  assert.equal(seen[0]!.url, '/hooks/kaltura');
  assert.equal(seen[0]!.headers['x-kwh-replay-of'], undefined);
  assert.equal(seen[0]!.headers['x-kwh-edited'], undefined);
  assert.equal(seen[0]!.body, toApp.body.toString('utf8'));
  assert.equal(seen[0]!.headers['x-kaltura-signature'], edited.headers['x-kaltura-signature'], 'the app gets the same re-signed request');
});
