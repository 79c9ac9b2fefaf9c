import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodegenError, generateHandler, parseSerializedEvent, type CodegenInput } from '../../../src/core/codegen';
import type { SerializedEvent } from '../../../src/core/events/model';
import { vectors } from '../../support/vectors';

function event(overrides: Partial<SerializedEvent['request']> = {}, source: SerializedEvent['source'] = 'kaltura'): SerializedEvent {
  const v = vectors.httpNotification[0]!;
  return {
    id: 'e1', requestId: 'r1', indexInRequest: 0, countInRequest: 1, receivedAt: '2024-01-01T00:00:00Z', source,
    type: 'OBJECT_CHANGED:ENTRY', summary: 's', verification: { status: 'verified' }, duplicateOf: null, deliveryCount: 1,
    parsed: { kind: 'unknown' }, problems: [],
    request: {
      requestId: 'r1', receivedAt: '2024-01-01T00:00:00Z', method: 'POST', path: '/hook?token=abc', httpVersion: '1.1',
      headers: { 'content-type': 'application/json', 'x-kaltura-signature': v.signature },
      rawHeaders: [], bodyBase64: Buffer.from(v.body).toString('base64'), bodySize: v.body.length, bodyTruncated: false,
      ...overrides,
    },
  };
}

test('each language yields handler, verification, types, test, fixture and README; entry is the handler', () => {
  const expected = {
    typescript: ['webhookHandler.ts', 'webhookVerify.ts', 'webhookTypes.ts', 'webhookHandler.test.ts', 'fixtures/captured-request.json', 'package.json', 'tsconfig.json', 'README.md'],
    python: ['webhook_handler.py', 'webhook_verify.py', 'webhook_types.py', 'test_webhook_handler.py', 'fixtures/captured_request.json', 'requirements.txt', 'README.md'],
    php: ['webhook_handler.php', 'webhook_verify.php', 'webhook_types.php', 'webhook_handler_test.php', 'fixtures/captured-request.json', 'README.md'],
  } as const;
  for (const language of ['typescript', 'python', 'php'] as const) {
    const out = generateHandler({ language, event: event() });
    assert.deepEqual(out.files.map((f) => f.path), [...expected[language]]);
    assert.equal(out.entry, expected[language][0]);
    const projectFiles = { typescript: ['project', 'project'], python: ['project'], php: [] }[language];
    assert.deepEqual(out.files.map((f) => f.role), ['handler', 'handler', 'handler', 'test', 'fixture', ...projectFiles, 'readme']);
    assert.ok(out.commands.run.includes('KALTURA_ADMIN_SECRET=...'));
  }
});

test('the stub answers on the captured path without its query string and names the Kaltura types', () => {
  const out = generateHandler({ language: 'typescript', event: event() });
  const handler = out.files[0]!.contents;
  assert.match(handler, /export const WEBHOOK_PATH = "\/hook";/);
  assert.match(handler, /onKalturaNotification\(notification: KalturaHttpNotification/);
  assert.match(out.files[2]!.contents, /export interface KalturaMediaEntry/);
  assert.ok(!out.files.some((f) => f.contents.includes('token=abc')));
});

test('verification code is shared across frameworks of a language', () => {
  const a = generateHandler({ language: 'python', framework: 'flask', event: event() });
  const b = generateHandler({ language: 'python', framework: 'fastapi', event: event() });
  assert.equal(a.files[1]!.contents, b.files[1]!.contents);
  assert.notEqual(a.files[0]!.contents, b.files[0]!.contents);
});

test('generation is deterministic', () => {
  const input: CodegenInput = { language: 'php', source: 'kaltura-legacy', eventType: 'entry_update' };
  assert.deepEqual(generateHandler(input), generateHandler(input));
});

test('a known secret that would land in a file aborts generation', () => {
  const body = JSON.stringify({ object: { note: 'my-admin-secret-123' }, objectType: 'KalturaHttpNotification' });
  const e = event({ bodyBase64: Buffer.from(body).toString('base64') });
  assert.throws(() => generateHandler({ language: 'php', event: e, keepExampleValues: true, knownSecrets: ['my-admin-secret-123'] }), (err: unknown) =>
    err instanceof CodegenError && /would contain a configured secret/.test(err.message));
  // With the default redaction the value never reaches the files, so generation succeeds.
  const out = generateHandler({ language: 'php', event: e, knownSecrets: ['my-admin-secret-123', vectors.secret] });
  assert.ok(out.files.every((f) => !f.contents.includes('my-admin-secret-123')));
});

test('bad input gets an error naming cause and fix', () => {
  assert.throws(() => generateHandler({ language: 'python', framework: 'express', source: 'kaltura' }), /not available for python; choose one of: flask, fastapi, http-server/);
  assert.throws(() => generateHandler({ language: 'typescript' }), /pass a captured event, or a source/);
  assert.throws(() => generateHandler({ language: 'typescript', event: event({}, 'unknown') }), /pick a source explicitly/);
  assert.throws(() => generateHandler({ language: 'typescript', event: event({ bodyTruncated: true }) }), /cut at the receiver size limit/);
  assert.throws(() => generateHandler({ language: 'typescript', source: 'enablex', eventType: 'nope' }), /known types: roomdrop, recording, transcoded, file-transfer/);
  assert.throws(() => generateHandler({ language: 'cobol' as 'php', source: 'kaltura' }), /invalid codegen options: language/);
});

test('parseSerializedEvent accepts an event, a list or an export wrapper, and rejects anything else clearly', () => {
  const e = event();
  assert.equal(parseSerializedEvent(e).id, 'e1');
  assert.equal(parseSerializedEvent([e]).id, 'e1');
  assert.equal(parseSerializedEvent({ events: [e] }).id, 'e1');
  assert.throws(() => parseSerializedEvent({ hello: 1 }), /is not a captured event \(source:/);
  assert.throws(() => parseSerializedEvent({ ...e, request: { ...e.request, bodyBase64: 5 } }), /request\.bodyBase64/);
});

test('every source and language can be generated from built-in samples without a captured event', () => {
  for (const language of ['typescript', 'python', 'php'] as const) {
    for (const [source, type] of [['kaltura', 'OBJECT_ADDED:CATEGORY'], ['kaltura-legacy', 'user_add'], ['enablex', 'file-transfer']] as const) {
      const out = generateHandler({ language, source, eventType: type });
      const fixture = JSON.parse(out.files.find((f) => f.role === 'fixture')!.contents) as { eventType: string; source: string };
      assert.deepEqual([fixture.source, fixture.eventType], [source, type]);
    }
  }
});
