import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageOf, describeFilter, eventRowDescription, eventRowLabel, groupOf, isFilterActive, matchesFilter } from '../../../src/vscode/views/eventGrouping';
import { parseEventQuery } from '../../../src/vscode/views/eventQuery';
import { CREDENTIALS, sampleEvents } from './support';

const q = (text: string) => parseEventQuery(text).query;

test('Kaltura events group by template, legacy by notification type, EnableX by app and room', () => {
  const [kaltura] = sampleEvents('kaltura', { templateId: 987654, templateName: 'Entry Status Changed', secret: CREDENTIALS.kalturaSecrets[0]!.secret });
  const g = groupOf(kaltura!);
  assert.equal(g.source, 'kaltura');
  assert.equal(g.label, 'Entry Status Changed');
  assert.equal(g.description, '#987654');

  const legacy = sampleEvents('kaltura-legacy-multi', { count: 2, types: ['entry_add', 'entry_delete'] });
  assert.deepEqual(legacy.map((e) => groupOf(e).label), ['entry_add', 'entry_delete']);

  const [enablex] = sampleEvents('enablex', { type: 'recording', appId: 'app-1', roomId: 'room-9' });
  const ge = groupOf(enablex!);
  assert.equal(ge.source, 'enablex');
  assert.equal(ge.key, 'app:app-1|room:room-9');
});

test('two events of the same template share a group key; different templates do not', () => {
  const [a] = sampleEvents('kaltura', { templateId: 1, templateName: 'A' });
  const [b] = sampleEvents('kaltura', { templateId: 1, templateName: 'A' });
  const [c] = sampleEvents('kaltura', { templateId: 2, templateName: 'B' });
  assert.equal(groupOf(a!).key, groupOf(b!).key);
  assert.notEqual(groupOf(a!).key, groupOf(c!).key);
});

test('filter by source, verification, type and free text', () => {
  const secret = CREDENTIALS.kalturaSecrets[0]!.secret;
  const [verified] = sampleEvents('kaltura', { secret, entryId: '0_findme12', templateName: 'T' });
  const [failed] = sampleEvents('kaltura', { secret: 'another-secret-entirely-000000000' });
  const [enablex] = sampleEvents('enablex', { type: 'roomdrop', basicAuth: { username: 'user', password: 'pass-word-1' } });
  assert.equal(verified!.verification.status, 'verified');
  assert.equal(failed!.verification.status, 'failed');

  assert.equal(isFilterActive({}), false);
  assert.equal(matchesFilter(verified!, {}), true);
  assert.equal(matchesFilter(verified!, { sources: ['enablex'] }), false);
  assert.equal(matchesFilter(enablex!, { sources: ['enablex'] }), true);
  assert.equal(matchesFilter(failed!, { verification: ['verified'] }), false);
  assert.equal(matchesFilter(verified!, { verification: ['verified'] }), true);
  assert.equal(matchesFilter(verified!, { query: q('0_FINDME12') }), true, 'text matching is case-insensitive and reaches the object id');
  assert.equal(matchesFilter(failed!, { query: q('0_findme12') }), false);
  assert.equal(matchesFilter(enablex!, { query: q('type:roomdrop') }), true);
  assert.equal(matchesFilter(verified!, { query: q('type:roomdrop') }), false);
  assert.equal(describeFilter({ sources: ['kaltura'], query: q('x status:5xx') }), 'source: kaltura · "x status:5xx"');
});

test('ageOf reads like a list age', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  assert.equal(ageOf('2026-01-01T11:59:50Z', now), '10s ago');
  assert.equal(ageOf('2026-01-01T11:55:00Z', now), '5m ago');
  assert.equal(ageOf('2026-01-01T09:00:00Z', now), '3h ago');
  assert.equal(ageOf('2025-12-29T12:00:00Z', now), '3d ago');
  assert.equal(ageOf('garbage', now), '');
});

test('an event row starts with what differs inside its group (entry and status); the description leads with verification and the answer', () => {
  const secret = CREDENTIALS.kalturaSecrets[0]!.secret;
  const [event] = sampleEvents('kaltura', { secret, entryId: '0_row12345', templateName: 'A very long template name that the group already shows' });
  const label = eventRowLabel(event!);
  assert.match(label, /^0_row12345\b/);
  assert.doesNotMatch(label, /template name/, 'the group row names the template, not every event row');
  const now = Date.parse(event!.receivedAt) + 5000;
  assert.equal(eventRowDescription({ ...event!, response: { status: 200, mode: 'ok' } } as never, now), `verified · 200 · ${ageOf(event!.receivedAt, now)}`);
  assert.match(eventRowDescription({ ...event!, duplicateOf: 'x', deliveryCount: 3, origin: 'replay' } as never, now), /^verified · duplicate · ×3 · replay · /);
  const [enablex] = sampleEvents('enablex', { type: 'recording' });
  assert.equal(eventRowLabel(enablex!), enablex!.summary, 'an event without a Kaltura object keeps its summary');
});
