import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { CapturedRequest, UnknownPayload } from '../../../src/core/events/model';
import { classifyRequest } from '../../../src/core/providers';
import { buildSampleRequest, sampleToCapturedRequest } from '../../../src/core/providers/samples';
import type { VerificationCredentials } from '../../../src/core/providers/types';
import { capturedRequest } from '../../support/capturedRequest';
import { vectors } from '../../support/vectors';

const creds: VerificationCredentials = { kalturaSecrets: [{ label: 'admin secret', secret: vectors.secret }], basicAuth: [{ label: 'u', username: 'u', password: 'p' }] };

test('each source is recognised; everything else is unknown', () => {
  const v = vectors.httpNotification[0]!;
  const cases: Array<[CapturedRequest, string]> = [
    [capturedRequest({ headers: { 'X-KALTURA-SIGNATURE': v.signature, 'Content-Type': v.contentType }, body: v.body }), 'kaltura'],
    [capturedRequest({ body: vectors.legacyNotification[0]!.body }), 'kaltura-legacy'],
    [capturedRequest({ body: '{"type":"roomdrop","app_id":"a","room_id":"r"}' }), 'enablex'],
    [capturedRequest({ body: '{"hello":"world"}', headers: { 'Content-Type': 'application/json' } }), 'unknown'],
    [capturedRequest({ method: 'GET', path: '/favicon.ico' }), 'unknown'],
  ];
  for (const [request, source] of cases) {
    const events = classifyRequest(request, creds);
    assert.equal(events.length >= 1, true);
    assert.equal(events[0]!.source, source, request.body.toString().slice(0, 40));
  }
});

test('a signature header wins over a legacy-shaped DataFields body', () => {
  const body = 'notification_id=1&notification_type=entry_add';
  const request = capturedRequest({ headers: { 'X-KALTURA-SIGNATURE': 'abc' }, body });
  assert.equal(classifyRequest(request, creds)[0]!.source, 'kaltura');
});

test('unknown requests are decoded best-effort: JSON, form, text', () => {
  const json = classifyRequest(capturedRequest({ body: '{"a":[1,2]}' }), creds)[0]!;
  assert.deepEqual((json.parsed as UnknownPayload).decoded, { a: [1, 2] });
  assert.equal(json.verification.status, 'unsigned');
  assert.match(json.summary, /^POST \/webhook · no content type · 11 bytes$/);
  const form = classifyRequest(capturedRequest({ body: 'a=1&b=x+y', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), creds)[0]!;
  assert.deepEqual((form.parsed as UnknownPayload).decoded, { a: '1', b: 'x y' });
  assert.equal((form.parsed as UnknownPayload).contentType, 'application/x-www-form-urlencoded');
  const text = classifyRequest(capturedRequest({ body: 'hello there' }), creds)[0]!;
  assert.equal((text.parsed as UnknownPayload).decoded, 'hello there');
  const bad = classifyRequest(capturedRequest({ body: '{"a":', headers: { 'Content-Type': 'application/json' } }), creds)[0]!;
  assert.match(bad.problems.join(), /malformed JSON/);
});

test('invalid UTF-8 and wrong content types become problems', () => {
  const bytes = Buffer.from([0x61, 0x3d, 0xff, 0xfe, 0x80]);
  const events = classifyRequest(capturedRequest({ body: bytes }), creds);
  assert.match(events[0]!.problems.join(), /not valid UTF-8 \(first bad byte at offset 2\)/);
  const wrongType = capturedRequest({ headers: { 'Content-Type': 'text/html' }, body: vectors.httpNotification[0]!.body });
  assert.match(classifyRequest(wrongType, creds)[0]!.problems.join(), /body is JSON but Content-Type is "text\/html"/);
  const enablexAsForm = capturedRequest({ headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '{"type":"roomdrop","app_id":"a"}' });
  assert.match(classifyRequest(enablexAsForm, creds)[0]!.problems.join(), /EnableX posts application\/json/);
});

test('truncated bodies are not parsed and say so, for every source', () => {
  const fiveMiB = 5 * 1024 * 1024;
  const kaltura = capturedRequest({ headers: { 'X-KALTURA-SIGNATURE': 'ab' }, body: Buffer.alloc(fiveMiB, 0x20), bodySize: fiveMiB + 10, bodyTruncated: true });
  const [k] = classifyRequest(kaltura, creds);
  assert.equal(k!.source, 'kaltura');
  assert.match(k!.problems.join(), /^body cut at the 5 MiB limit \(5\.0 MiB sent\); not parsed$/);
  assert.equal(k!.verification.status, 'failed');
  const unknown = capturedRequest({ body: Buffer.alloc(0), bodySize: 9_000_000, bodyTruncated: true });
  assert.match(classifyRequest(unknown, creds)[0]!.problems.join(), /body of 8\.6 MiB exceeded the receiver's size limit and was not kept/);
  const legacy = capturedRequest({ body: vectors.legacyNotification[0]!.body.slice(0, 60), bodySize: 9_000_000, bodyTruncated: true });
  const [l] = classifyRequest(legacy, creds);
  assert.equal(l!.source, 'kaltura-legacy');
  assert.equal(l!.verification.status, 'failed');
  const enablex = capturedRequest({ body: '{"type":"recording","app_id":"a","recording":["', bodySize: 9_000_000, bodyTruncated: true });
  assert.match(classifyRequest(enablex, creds)[0]!.problems.join(), /not parsed/);
});

test('a broken request object or credentials never make classifyRequest throw', () => {
  const broken = { ...capturedRequest({ body: 'x' }), headers: null } as unknown as CapturedRequest;
  const events = classifyRequest(broken, creds);
  assert.equal(events.length, 1);
  assert.equal(events[0]!.source, 'unknown');
  assert.ok(events[0]!.problems.length > 0);
  const noCreds = classifyRequest(capturedRequest({ headers: { 'X-KALTURA-SIGNATURE': 'ab' }, body: '{}' }), undefined as unknown as VerificationCredentials);
  assert.equal(noCreds[0]!.verification.status, 'failed');
});

const prefixes = [
  '',
  '{',
  '{"objectType":"KalturaHttpNotification","object":',
  'data=<notification>',
  'data=<notification><object><',
  'data=O:23:"KalturaHttpNotification":',
  'data=a:2:{',
  'data=%7B',
  'not1_notification_id=1&multi_notification=true&',
  'notification_id=1&notification_type=entry_add&signed_fields=',
  '{"type":"recording","app_id":"a","recording":',
  '{\u201ctype\u201d:',
];

test('classifyRequest never throws and always returns at least one notification on random bytes', () => {
  const started = Date.now();
  let count = 0;
  for (let i = 0; i < 3000; i++) {
    const prefix = Buffer.from(prefixes[i % prefixes.length]!, 'utf8');
    const body = Buffer.concat([prefix, randomBytes(i % 257)]);
    const headers: Record<string, string> = {};
    if (i % 3 === 0) headers['X-KALTURA-SIGNATURE'] = randomBytes(20).toString('hex');
    if (i % 5 === 0) headers['X-KALTURA-HASH-ALGO'] = ['sha1', 'sha256', 'bogus', ''][i % 4]!;
    if (i % 7 === 0) headers['Authorization'] = 'Basic ' + randomBytes(i % 13).toString('base64');
    const events = classifyRequest(capturedRequest({ headers, body, bodyTruncated: i % 11 === 0 }), creds);
    assert.ok(events.length >= 1);
    for (const e of events) {
      assert.equal(typeof e.summary, 'string');
      assert.ok(['verified', 'failed', 'unsigned'].includes(e.verification.status));
    }
    count++;
  }
  assert.equal(count, 3000);
  assert.ok(Date.now() - started < 10_000, 'fuzzing stays fast');
});

test('mutated real samples never throw (fast-check)', () => {
  const samples = [
    buildSampleRequest('kaltura', { format: 'xml', secret: 'k' }),
    buildSampleRequest('kaltura', { format: 'php', secret: 'k' }),
    buildSampleRequest('kaltura', { format: 'json-urlencoded', secret: 'k' }),
    buildSampleRequest('kaltura-legacy-multi', { secret: 'k', count: 3 }),
    buildSampleRequest('enablex', { type: 'file-transfer', docStyle: true }),
  ].map((s, i) => sampleToCapturedRequest(s, `s${i}`));
  fc.assert(
    fc.property(fc.integer({ min: 0, max: samples.length - 1 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), (which, at, byte, cut) => {
      const base = samples[which]!;
      const body = Buffer.from(base.body);
      body[at % body.length] = byte;
      const mutated = { ...base, body: body.subarray(0, body.length - (cut % 20)) };
      const events = classifyRequest(mutated, creds);
      return events.length >= 1 && events.every((e) => typeof e.type === 'string');
    }),
    { numRuns: 2000 },
  );
});
