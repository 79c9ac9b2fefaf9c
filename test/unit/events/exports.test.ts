import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportEventsJson, toHttpFile } from '../../../src/core/forward/exports';
import { isSecretHeader, redactHeaderPairs, redactPathQuery } from '../../../src/core/events/redaction';
import { resolveTargetUrl } from '../../../src/core/forward/targetUrl';
import { replayHeaders } from '../../../src/core/forward/replayRequest';
import { kalturaSignature } from '../../../src/protocol/signing';
import type { SerializedEvent } from '../../../src/core/events/model';
import { eventWithKey } from './storeFixtures';

function eventWithHeaders(headers: Array<[string, string]>, body: string | Buffer = '{"a":1}', path = '/hook') {
  const event = eventWithKey('k', 'x');
  event.request.rawHeaders = headers;
  event.request.headers = Object.fromEntries(headers.map(([n, v]) => [n.toLowerCase(), v]));
  event.request.body = typeof body === 'string' ? Buffer.from(body) : body;
  event.request.bodySize = event.request.body.length;
  event.request.path = path;
  return event;
}

const secretHeaders: Array<[string, string]> = [
  ['Host', 'example.test:8080'],
  ['Authorization', 'Basic dXNlcjpwYXNz'],
  ['Cookie', 'sid=abc'],
  ['X-Api-Key', 'k-123'],
  ['X-My-Secret-Value', 's3cr3t'],
  ['X-KALTURA-SIGNATURE', 'abc123'],
  ['Content-Type', 'application/json'],
  ['Content-Length', '7'],
  ['Connection', 'keep-alive'],
];

test('toHttpFile writes REST Client requests separated by ###, with credentials redacted', () => {
  const a = eventWithHeaders(secretHeaders, '{"a":1}', '/hook?ks=djJ8MTIzfABC&entry=0_x');
  const b = eventWithHeaders([['Content-Type', 'application/octet-stream']], Buffer.from([0xff, 0x00]), '/bin');
  const file = toHttpFile([a, b]);
  const blocks = file.split(/^###/m).filter(Boolean);
  assert.equal(blocks.length, 2);
  const lines = blocks[0]!.split('\n');
  const requestLine = lines.find((l) => /^POST /.test(l));
  assert.equal(requestLine, 'POST http://example.test:8080/hook?ks=%3Credacted%3E&entry=0_x HTTP/1.1');
  assert.ok(lines.includes('Authorization: Basic <redacted>'));
  assert.ok(lines.includes('Cookie: <redacted>'));
  assert.ok(lines.includes('X-Api-Key: <redacted>'));
  assert.ok(lines.includes('X-My-Secret-Value: <redacted>'));
  assert.ok(lines.includes('X-KALTURA-SIGNATURE: abc123'), 'signatures are hashes and stay');
  assert.ok(!lines.some((l) => /^(Content-Length|Connection|Host):/.test(l)), 'connection headers are left to the client');
  const blank = lines.indexOf('');
  assert.ok(blank > lines.indexOf(requestLine!));
  assert.equal(lines[blank + 1], '{"a":1}');
  assert.ok(!file.includes('dXNlcjpwYXNz') && !file.includes('s3cr3t') && !file.includes('djJ8MTIzfABC'));
  assert.match(blocks[1]!, /base64: \/wA=/);
  assert.match(toHttpFile([a], { targetUrl: 'http://localhost:3000' }), /^POST http:\/\/localhost:3000\/hook\?/m);
});

test('exportEventsJson redacts headers, raw headers and secret query values, and keeps the body exact', () => {
  const a = eventWithHeaders(secretHeaders, '{"a":1}', '/hook?token=t0k&x=1');
  const [exported] = JSON.parse(exportEventsJson([a])) as SerializedEvent[];
  assert.equal(exported!.request.headers['authorization'], 'Basic <redacted>');
  assert.deepEqual(exported!.request.rawHeaders[1], ['Authorization', 'Basic <redacted>']);
  assert.equal(exported!.request.path, '/hook?token=%3Credacted%3E&x=1');
  assert.equal(Buffer.from(exported!.request.bodyBase64, 'base64').toString(), '{"a":1}');
  assert.equal(a.request.headers['authorization'], 'Basic dXNlcjpwYXNz', 'the stored event is not modified');
  const [raw] = JSON.parse(exportEventsJson([a], { redactHeaders: false })) as SerializedEvent[];
  assert.equal(raw!.request.headers['authorization'], 'Basic dXNlcjpwYXNz');
  const [extra] = JSON.parse(exportEventsJson([a], { redactHeaders: ['X-Kaltura-Signature'] })) as SerializedEvent[];
  assert.equal(extra!.request.headers['x-kaltura-signature'], '<redacted>');
});

test('header redaction ignores the case of names, and returns the pairs themselves when none is secret', () => {
  for (const name of ['Authorization', 'AUTHORIZATION', 'proxy-Authorization', 'Cookie', 'SET-COOKIE', 'X-Api-Key', 'x-AUTH-token', 'X-Session-Id', 'My-Secret']) {
    assert.ok(isSecretHeader(name), name);
  }
  for (const name of ['Content-Type', 'X-KALTURA-SIGNATURE', 'Authorizations', 'X-Cookie-Jar-Size']) assert.ok(!isSecretHeader(name), name);
  assert.ok(isSecretHeader('X-Partner', ['x-PARTNER']), 'a name the user adds, in any case');
  assert.ok(!isSecretHeader('Authorization', false));

  const plain: Array<[string, string]> = [['Content-Type', 'application/json'], ['X-KALTURA-SIGNATURE', 'abc']];
  assert.equal(redactHeaderPairs(plain), plain, 'nothing to hide: no copy');
  const signed: Array<[string, string]> = [['Content-Type', 'application/json'], ['AUTHORIZATION', 'Basic dTpw']];
  const redacted = redactHeaderPairs(signed);
  assert.deepEqual(redacted, [['Content-Type', 'application/json'], ['AUTHORIZATION', 'Basic <redacted>']]);
  assert.deepEqual(signed[1], ['AUTHORIZATION', 'Basic dTpw'], 'the request keeps its own pairs');
});

test('redactPathQuery leaves other bytes alone', () => {
  assert.equal(redactPathQuery('/a?b=%2F&ks=x&c'), '/a?b=%2F&ks=%3Credacted%3E&c');
  assert.equal(redactPathQuery('/no-query'), '/no-query');
  assert.equal(redactPathQuery('/a?ks=x', false), '/a?ks=x');
});

test('resolveTargetUrl keeps the event path for a bare base URL and uses a given path as is', () => {
  assert.equal(resolveTargetUrl('http://localhost:3000', '/p?q=1'), 'http://localhost:3000/p?q=1');
  assert.equal(resolveTargetUrl('http://localhost:3000/', '/p'), 'http://localhost:3000/p');
  assert.equal(resolveTargetUrl('https://app.test/hooks', '/p?q=1'), 'https://app.test/hooks?q=1');
  assert.equal(resolveTargetUrl('https://app.test/hooks?own=1', '/p?q=1'), 'https://app.test/hooks?own=1');
  assert.throws(() => resolveTargetUrl('not a url', '/'), /invalid target URL: "not a url" is not a URL/);
});

test('replayHeaders drops connection headers (and those named in Connection) and re-signs when asked', () => {
  const event = eventWithHeaders([
    ['Host', 'a'],
    ['Connection', 'keep-alive, X-Hop'],
    ['X-Hop', '1'],
    ['Transfer-Encoding', 'chunked'],
    ['X-KALTURA-SIGNATURE', 'old'],
    ['X-Keep', 'yes'],
  ]);
  event.request.rawHeaders.push(['X-Kwh-Replay-Of', 'evt_older']);
  assert.deepEqual(replayHeaders(event), ['X-KALTURA-SIGNATURE', 'old', 'X-Keep', 'yes', 'X-Kwh-Replay-Of', event.id]);
  const resigned = replayHeaders(event, { secret: 's', algo: 'sha256' });
  assert.deepEqual(resigned, [
    'X-KALTURA-SIGNATURE', kalturaSignature('s', event.request.body, 'sha256'), 'X-KALTURA-HASH-ALGO', 'sha256',
    'X-Keep', 'yes', 'X-Kwh-Replay-Of', event.id,
  ]);
});
