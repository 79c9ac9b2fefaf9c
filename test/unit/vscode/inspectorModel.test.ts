import { redactHeaderPairs, redactHeaderRecord, redactPathQuery } from '../../../src/core/events/redaction';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWebviewMessage } from '../../../src/vscode/inspector/protocol';
import { buildInspectorModel, MAX_DECODED_STRING, MAX_DISPLAY_BODY_BYTES, toJsonValue } from '../../../src/vscode/inspector/viewModel';
import { decodeLogLine, encodeLogRecord } from '../../../src/core/events/logRecord';
import { providerPayloadCodec } from '../../../src/core/providers/payloadCodec';
import type { WebhookEvent } from '../../../src/core/events/model';
import { groupOf, matchesFilter } from '../../../src/vscode/views/eventGrouping';
import { CREDENTIALS, sampleEvents, SECRET } from './support';
import { parseEventQuery } from '../../../src/vscode/views/eventQuery';

test('a verified Kaltura JSON notification: request line, headers in wire order, Kaltura names, verification', () => {
  const [event] = sampleEvents('kaltura', { secret: SECRET, algo: 'sha256', templateId: 42, templateName: 'Entry Status Changed', entryId: '0_abcd1234', entryStatus: 2, path: '/kaltura/x' });
  const model = buildInspectorModel(event!, [event!], 'en-US');
  assert.equal(model.requestLine, 'POST /kaltura/x HTTP/1.1');
  assert.deepEqual(model.headers, event!.request.rawHeaders);
  assert.equal(model.verification.status, 'verified');
  assert.equal(model.verification.algorithm, 'sha256');
  assert.equal(model.verification.secretLabel, CREDENTIALS.kalturaSecrets[0]!.label);
  const details = new Map(model.details);
  assert.equal(details.get('Event type'), 'OBJECT_CHANGED (3)');
  assert.equal(details.get('Event object type'), 'ENTRY (1)');
  assert.equal(details.get('Entry status'), 'READY (2)');
  assert.equal(details.get('Object id'), '0_abcd1234');
  assert.equal(model.decoded.format, 'json');
  assert.equal((model.decoded.value as Record<string, unknown>)['templateId'], 42);
  assert.equal(model.rawBody.text, event!.request.body.toString('utf8'));
  assert.deepEqual(model.duplicates, [], 'a single delivery lists no duplicates');
  assert.ok(!JSON.stringify(model).includes(SECRET), 'the secret never reaches the webview');
});

test('a failed signature shows expected and received; PHP and XML bodies are decoded', () => {
  const [failed] = sampleEvents('kaltura', { secret: 'wrong-secret-000000000000000000000' });
  const m = buildInspectorModel(failed!, [failed!]);
  assert.equal(m.verification.status, 'failed');
  assert.ok(m.verification.received && m.verification.expected && m.verification.received !== m.verification.expected);

  const [php] = sampleEvents('kaltura', { secret: SECRET, format: 'php' });
  const pm = buildInspectorModel(php!, [php!]);
  assert.equal(pm.decoded.format, 'php');
  assert.notEqual(pm.decoded.value, undefined);

  const [xml] = sampleEvents('kaltura', { secret: SECRET, format: 'xml' });
  assert.equal(buildInspectorModel(xml!, [xml!]).decoded.format, 'xml');
});

test('duplicate deliveries are linked, the current one marked', () => {
  const [first] = sampleEvents('kaltura', { secret: SECRET, jobId: 777 });
  const [second] = sampleEvents('kaltura', { secret: SECRET, jobId: 777 });
  const m = buildInspectorModel(second!, [first!, second!]);
  assert.deepEqual(m.duplicates.map((d) => [d.id, d.current, d.label]), [
    [first!.id, false, 'first delivery'],
    [second!.id, true, 'delivery 2'],
  ]);
});

test('EnableX details carry the local transaction time; legacy multi-notifications say which one', () => {
  const [enablex] = sampleEvents('enablex', { type: 'recording', transDate: 1700000000, basicAuth: { username: 'user', password: 'pass-word-1' } });
  const em = buildInspectorModel(enablex!, [enablex!], 'en-US');
  assert.equal(em.verification.status, 'verified');
  assert.equal(new Map(em.details).get('Transaction date (local)'), new Date(1700000000 * 1000).toLocaleString('en-US'));

  const legacy = sampleEvents('kaltura-legacy-multi', { count: 2, secret: SECRET });
  const lm = buildInspectorModel(legacy[1]!, legacy);
  assert.match(new Map(lm.details).get('Multi-notification') ?? '', /notification 2 of 2/);
});

test('large and binary bodies are cut or base64-encoded for display', () => {
  const [event] = sampleEvents('kaltura', { secret: SECRET });
  const big = { ...event!, request: { ...event!.request, body: Buffer.alloc(MAX_DISPLAY_BODY_BYTES + 10, 0x61) } };
  const m = buildInspectorModel(big, [big]);
  assert.equal(m.rawBody.truncatedForDisplay, true);
  assert.equal(m.rawBody.text.length, MAX_DISPLAY_BODY_BYTES);
  const bin = { ...event!, request: { ...event!.request, body: Buffer.from([0, 1, 2, 255]) } };
  const bm = buildInspectorModel(bin, [bin]);
  assert.equal(bm.rawBody.binary, true);
  assert.equal(bm.rawBody.text, 'AAEC/w==');
});

test('toJsonValue survives cycles, Buffers, bigints and non-finite numbers', () => {
  const cyclic: Record<string, unknown> = { a: 1n, b: Buffer.from('hi'), c: Number.NaN };
  cyclic['self'] = cyclic;
  assert.deepEqual(toJsonValue(cyclic), { a: '1', b: 'hi', c: 'NaN', self: '[circular]' });
});

test('the webview protocol accepts only well-formed messages', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
  assert.equal(parseWebviewMessage({ type: 'action', action: 'replay', eventId: 'e1' }).ok, true);
  assert.equal(parseWebviewMessage({ type: 'action', action: 'rm -rf', eventId: 'e1' }).ok, false);
  assert.equal(parseWebviewMessage({ type: 'action', action: 'replay' }).ok, false);
  assert.equal(parseWebviewMessage({ type: 'openEvent', eventId: '' }).ok, false);
  assert.equal(parseWebviewMessage('ready').ok, false);
  assert.equal(parseWebviewMessage({ type: 'eval', code: 'x' }).ok, false);
});

test('an event read back from the event log shows, groups and filters exactly like the one that arrived', () => {
  const arrived: WebhookEvent[] = [
    ...sampleEvents('kaltura', { secret: SECRET, algo: 'sha256', entryId: '0_reload01' }),
    ...sampleEvents('kaltura', { secret: SECRET, format: 'xml' }),
    ...sampleEvents('kaltura-legacy-multi', { secret: SECRET }),
    ...sampleEvents('enablex', { basicAuth: { username: 'user', password: 'pass-word-1' } }),
  ];
  for (const event of arrived) {
    const decoded = decodeLogLine(Buffer.from(encodeLogRecord(event, providerPayloadCodec)), providerPayloadCodec);
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.problem);
    const reloaded = decoded.event;
    assert.deepEqual(groupOf(reloaded), groupOf(event), event.type);
    for (const text of ['0_reload01', 'notification', 'nothing-like-this']) {
      const filter = { query: parseEventQuery(text).query };
      assert.equal(matchesFilter(reloaded, filter), matchesFilter(event, filter), `${event.type} / ${text}`);
    }
    // The log keeps credentials redacted (Authorization values, ks-like query parameters): the reloaded event shows
    // what was kept, and nothing else differs.
    const { request } = event;
    const asKept = { ...event, request: { ...request, path: redactPathQuery(request.path), headers: redactHeaderRecord(request.headers), rawHeaders: redactHeaderPairs(request.rawHeaders) } };
    assert.deepEqual(buildInspectorModel(reloaded, [reloaded], 'en-US'), buildInspectorModel(asKept, [asKept], 'en-US'), event.type);
  }
});


test("the inspector shows the app's answer to a forward, a failed forward's cause, and an event that was not persisted", () => {
  const [event] = sampleEvents('kaltura', { secret: SECRET });
  const rows = (e: WebhookEvent) => new Map(buildInspectorModel(e, [e], 'en-US').details);
  const ok = { ...event!, forward: { url: 'http://127.0.0.1:3000/hook', at: '2026-12-01T00:00:00.000Z', status: 201, durationMs: 12.5, body: 'created' } };
  assert.equal(rows(ok).get('Forwarded to'), 'http://127.0.0.1:3000/hook');
  assert.equal(rows(ok).get('App answered'), 'HTTP 201 in 12.5 ms');
  assert.equal(rows(ok).has('App response body'), false, 'the body is in the side-by-side pane, not the details');
  // A later failure replaces the earlier answer: nothing stale stays on screen.
  const failed = { ...ok, forward: { url: ok.forward.url, at: '2026-12-01T00:01:00.000Z', error: 'forward to http://127.0.0.1:3000/hook failed (ECONNREFUSED)' } };
  assert.equal(rows(failed).get('App answered'), 'no answer: forward to http://127.0.0.1:3000/hook failed (ECONNREFUSED)');
  assert.equal(rows(failed).has('App response body'), false);
  // Side by side: the request as forwarded, and the app's status, headers (repeated ones each on a row) and body.
  const answered = { ...ok, forward: { ...ok.forward, headers: { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] }, body: 'x'.repeat(10), bodyTruncated: true } };
  const exchange = buildInspectorModel(answered, [answered], 'en-US').appExchange;
  assert.deepEqual(exchange, {
    url: 'http://127.0.0.1:3000/hook',
    requestHeaders: answered.request.rawHeaders.filter(([name]) => !/^(host|content-length|connection)$/i.test(name)),
    statusLine: 'HTTP 201 in 12.5 ms',
    answered: true,
    headers: [['content-type', 'text/plain'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']],
    body: 'xxxxxxxxxx',
    bodyTruncated: true,
  });
  assert.ok(exchange!.requestHeaders.length < answered.request.rawHeaders.length, 'the connection headers are not what was forwarded');
  const noAnswer = buildInspectorModel(failed, [failed], 'en-US').appExchange;
  assert.equal(noAnswer?.answered, false);
  assert.equal(noAnswer?.statusLine, 'no answer: forward to http://127.0.0.1:3000/hook failed (ECONNREFUSED)');
  assert.equal(buildInspectorModel(event!, [event!], 'en-US').appExchange, undefined, 'not forwarded: no pane');
  const lost = { ...event!, persisted: false as const };
  assert.match(rows(lost).get('Stored') ?? '', /not persisted/);
});

test('the decoded tree caps long strings as the raw view caps the body, saying how much more there is', () => {
  const long = 'x'.repeat(MAX_DECODED_STRING + 1234);
  const shown = toJsonValue({ description: long, short: 'kept' }) as Record<string, string>;
  assert.equal(shown.short, 'kept');
  assert.equal(shown.description!.length < long.length, true);
  assert.ok(shown.description!.startsWith('x'.repeat(MAX_DECODED_STRING)));
  assert.match(shown.description!, /… \[1234 more characters: Open Raw Body shows all\]$/);
  assert.match(toJsonValue(Buffer.from(long)) as string, /1234 more characters/);
  assert.equal(toJsonValue('y'.repeat(MAX_DECODED_STRING)), 'y'.repeat(MAX_DECODED_STRING), 'at the limit nothing is cut');
});
