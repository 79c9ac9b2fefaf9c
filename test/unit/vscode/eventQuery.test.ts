import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WebhookEvent } from '../../../src/core/events/model';
import { listRowDescription, listRowLabel, matchesFilter } from '../../../src/vscode/views/eventGrouping';
import { matchesQuery, parseEventQuery } from '../../../src/vscode/views/eventQuery';
import { CREDENTIALS, sampleEvents } from './support';

function matching(events: WebhookEvent[], text: string): string[] {
  const { query, errors } = parseEventQuery(text);
  assert.deepEqual(errors, [], `"${text}" parses`);
  return events.filter((e) => matchesQuery(e, query)).map((e) => e.id);
}

/** Three deliveries that differ in each filtered field: answer, app answer and time, path, headers, body. */
function deliveries(): { ok: WebhookEvent; failing: WebhookEvent; forged: WebhookEvent; all: WebhookEvent[] } {
  const [ok] = sampleEvents('kaltura', { entryId: '0_okokokok', templateName: 'Entry Ready', secret: CREDENTIALS.kalturaSecrets[0]!.secret });
  const [failing] = sampleEvents('kaltura', { entryId: '0_slowslow', templateName: 'Entry Ready', secret: CREDENTIALS.kalturaSecrets[0]!.secret });
  const [forged] = sampleEvents('kaltura', { entryId: '0_forgedxx', templateName: 'Entry Ready', secret: 'not-the-secret' });
  ok!.response = { status: 200, mode: 'ok', kalturaWouldRetry: false };
  ok!.forward = { url: 'http://localhost:3000/hooks', at: ok!.receivedAt, status: 204, durationMs: 12 };
  failing!.response = { status: 500, mode: 'fail-500', kalturaWouldRetry: true };
  failing!.forward = { url: 'http://localhost:3000/hooks', at: failing!.receivedAt, status: 502, durationMs: 480 };
  failing!.request = { ...failing!.request, path: '/webhooks/other?x=1', headers: { ...failing!.request.headers, 'x-test-run': 'Nightly-42' } };
  forged!.response = { status: 200, mode: 'ok', kalturaWouldRetry: false };
  forged!.forward = { url: 'http://localhost:3000/hooks', at: forged!.receivedAt, error: 'ECONNREFUSED' };
  return { ok: ok!, failing: failing!, forged: forged!, all: [ok!, failing!, forged!] };
}

test('status, app and duration take numbers, classes and comparisons', () => {
  const { ok, failing, forged, all } = deliveries();
  assert.deepEqual(matching(all, 'status:500'), [failing.id]);
  assert.deepEqual(matching(all, 'status:5xx'), [failing.id]);
  assert.deepEqual(matching(all, 'status:>=400'), [failing.id]);
  assert.deepEqual(matching(all, 'status:2xx'), [ok.id, forged.id]);
  assert.deepEqual(matching(all, '-status:200'), [failing.id]);
  assert.deepEqual(matching(all, 'app:204'), [ok.id]);
  assert.deepEqual(matching(all, 'app:>=400'), [failing.id]);
  assert.deepEqual(matching(all, 'app:error'), [forged.id], 'a forward that got no answer');
  assert.deepEqual(matching(all, 'duration:>200'), [failing.id]);
  assert.deepEqual(matching(all, 'duration:<=12'), [ok.id]);
  assert.deepEqual(matching(all, 'is:forwarded'), all.map((e) => e.id));
});

test('path, header, body, type, is and bare words; terms are ANDed and "-" negates', () => {
  const { ok, failing, forged, all } = deliveries();
  assert.deepEqual(matching(all, 'path:/webhooks/other'), [failing.id]);
  assert.deepEqual(matching(all, 'header:x-test-run'), [failing.id], 'a header by name');
  assert.deepEqual(matching(all, 'header:X-Test-Run=nightly'), [failing.id], 'name and value, case-insensitive');
  assert.deepEqual(matching(all, 'header:x-test-run=weekly'), []);
  assert.deepEqual(matching(all, 'body:0_forgedxx'), [forged.id]);
  assert.deepEqual(matching(all, 'is:failed'), [forged.id], 'a wrong signature');
  assert.deepEqual(matching(all, '-is:failed'), [ok.id, failing.id]);
  assert.deepEqual(matching(all, 'type:object'), all.map((e) => e.id));
  assert.deepEqual(matching(all, '0_OKOKOKOK'), [ok.id], 'bare words are case-insensitive and reach the object id');
  assert.deepEqual(matching(all, 'entry status:2xx -0_forgedxx'), [ok.id]);
  assert.deepEqual(matching(all, '"entry ready" app:5xx'), [failing.id], 'a quoted phrase keeps its space');
});

test('what cannot be read is named, and the rest of the query still applies', () => {
  const { ok, all } = deliveries();
  const parsed = parseEventQuery('colour:red status:abc duration:5xx is:weird header: app:204');
  assert.equal(parsed.errors.length, 5, parsed.errors.join('\n'));
  assert.match(parsed.errors[0]!, /unknown key "colour:"; use type: status:/);
  assert.match(parsed.errors[1]!, /status:abc.*class \(5xx\)/);
  assert.match(parsed.errors[2]!, /duration:5xx.*milliseconds/);
  assert.match(parsed.errors[3]!, /is:weird.*verified, failed/);
  assert.match(parsed.errors[4]!, /"header:" needs a value/);
  assert.deepEqual(all.filter((e) => matchesQuery(e, parsed.query)).map((e) => e.id), [ok.id]);
  // A pasted blob costs a bounded number of terms per event.
  const blob = parseEventQuery(Array.from({ length: 500 }, (_, i) => `w${i}`).join(' '));
  assert.equal(blob.query.terms.length, 32);
  assert.match(blob.errors[0]!, /first 32 terms/);
  assert.equal(matchesFilter(ok, { query: parseEventQuery('').query }), true, 'an empty query matches everything');
});

test('a flat row leads with the time and the object, then the answers, the app time and the template', () => {
  const { ok, failing, forged } = deliveries();
  assert.equal(listRowLabel(ok, '9:41:07 AM'), '9:41:07 AM  0_okokokok READY');
  assert.equal(listRowDescription(ok), 'verified · 200 · app 204 12 ms · Entry Ready');
  assert.equal(listRowDescription(failing), 'verified · 500 · app 502 480 ms · Entry Ready');
  assert.equal(listRowDescription(forged), 'failed · 200 · app ✕ · Entry Ready');
});
