import { expectedPrefix } from '../../../src/core/events/model';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  detectKalturaLegacy,
  kalturaLegacyProvider,
  legacySignedParams,
  splitMultiNotification,
  verifyLegacySig,
} from '../../../src/core/providers/kalturaLegacy';
import { buildLegacyBody, legacySig } from '../../../src/protocol/signing';
import type { KalturaLegacyPayload } from '../../../src/core/events/model';
import type { VerificationCredentials } from '../../../src/core/providers/types';
import { capturedRequest } from '../../support/capturedRequest';
import { vectors } from '../../support/vectors';

const admin: VerificationCredentials = { kalturaSecrets: [{ label: 'admin secret', secret: vectors.secret }], basicAuth: [] };
const form = (body: string) => capturedRequest({ headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });

test('both legacy vectors verify and split into the announced number of notifications', () => {
  for (const v of vectors.legacyNotification) {
    const request = form(v.body);
    assert.equal(detectKalturaLegacy(request), true, v.name);
    const events = kalturaLegacyProvider.parse(request, admin);
    assert.equal(events.length, v.notifications, v.name);
    for (const e of events) {
      assert.equal(e.source, 'kaltura-legacy');
      assert.equal(e.verification.status, 'verified', `${v.name}: ${e.verification.reason}`);
      assert.equal(e.verification.method, 'kaltura-legacy-sig');
      assert.equal(e.verification.algorithm, 'md5');
      assert.equal(e.verification.received, v.sig);
      assert.equal(e.verification.secretLabel, 'admin secret');
      assert.deepEqual(e.problems, []);
    }
  }
});

test('single vector fields, type, dedupe key and summary', () => {
  const [e] = kalturaLegacyProvider.parse(form(vectors.legacyNotification[0]!.body), admin);
  const p = e!.parsed as KalturaLegacyPayload;
  assert.equal(p.notificationId, '1001');
  assert.equal(p.notificationType, 'entry_add');
  assert.equal(p.partnerId, '123456');
  assert.equal(p.objectIdKey, 'entry_id');
  assert.equal(p.objectId, '0_abcd1234');
  assert.equal(p.multi, false);
  assert.equal(p.index, 1);
  assert.equal(p.fields['name'], 'My Video');
  assert.equal(p.fields['puser_id'], 'user@example.com');
  assert.equal(e!.type, 'entry_add');
  assert.equal(e!.dedupeKey, 'kaltura-legacy:123456:1001');
  assert.equal(e!.summary, 'Legacy entry_add · 0_abcd1234 READY "My Video"');
});

test('multi vector: ids, types, indexes and a shared verification', () => {
  const events = kalturaLegacyProvider.parse(form(vectors.legacyNotification[1]!.body), admin);
  const payloads = events.map((e) => e.parsed as KalturaLegacyPayload);
  assert.deepEqual(payloads.map((p) => [p.index, p.multi, p.notificationId, p.notificationType, p.objectId, p.partnerId, p.fields['name']]), [
    [1, true, '2001', 'entry_update', '0_aaaa1111', '123456', 'A'],
    [2, true, '2002', 'entry_delete', '0_bbbb2222', '123456', 'B'],
  ]);
  assert.deepEqual(events.map((e) => e.dedupeKey), ['kaltura-legacy:123456:2001', 'kaltura-legacy:123456:2002']);
  assert.deepEqual(events.map((e) => e.type), ['entry_update', 'entry_delete']);
  assert.match(events[1]!.summary, /\(2 of 2\)$/);
});

test('tampering with a signed field fails; the wrong secret fails with expected', () => {
  const tampered = vectors.legacyNotification[0]!.body.replace('name=My+Video', 'name=Your+Video');
  const [e] = kalturaLegacyProvider.parse(form(tampered), admin);
  assert.equal(e!.verification.status, 'failed');
  assert.match(e!.verification.reason!, /matches none of 1 configured secret/);
  const multi = vectors.legacyNotification[1]!.body.replace('not2_name=B', 'not2_name=C');
  assert.ok(kalturaLegacyProvider.parse(form(multi), admin).every((n) => n.verification.status === 'failed'));
  const [w] = kalturaLegacyProvider.parse(form(vectors.legacyNotification[0]!.body), { kalturaSecrets: [{ label: 'other', secret: 'x' }], basicAuth: [] });
  assert.equal(w!.verification.status, 'failed');
  assert.equal(w!.verification.expected, expectedPrefix(legacySig(legacySignedParams(Object.fromEntries(new URLSearchParams(vectors.legacyNotification[0]!.body))), 'x')));
});

test('single notification: keys not listed in signed_fields are ignored (receiver rule)', () => {
  const withExtra = vectors.legacyNotification[0]!.body + '&extra=added+by+a+proxy';
  const [e] = kalturaLegacyProvider.parse(form(withExtra), admin);
  assert.equal(e!.verification.status, 'verified');
  assert.equal((e!.parsed as KalturaLegacyPayload).fields['extra'], 'added by a proxy');
});

test('multi notification: every key is signed, so an added key fails', () => {
  const withExtra = vectors.legacyNotification[1]!.body + '&extra=1';
  assert.ok(kalturaLegacyProvider.parse(form(withExtra), admin).every((n) => n.verification.status === 'failed'));
});

test('the second candidate secret is reported by label; no secret → failed; no sig → unsigned', () => {
  const body = vectors.legacyNotification[0]!.body;
  const [two] = kalturaLegacyProvider.parse(form(body), {
    kalturaSecrets: [{ label: 'old secret', secret: 'nope' }, { label: 'KALTURA_SECRET', secret: vectors.secret }],
    basicAuth: [],
  });
  assert.equal(two!.verification.secretLabel, 'KALTURA_SECRET');
  const [none] = kalturaLegacyProvider.parse(form(body), { kalturaSecrets: [], basicAuth: [] });
  assert.equal(none!.verification.status, 'failed');
  assert.match(none!.verification.reason!, /no secret is configured/);
  const [unsigned] = kalturaLegacyProvider.parse(form('notification_id=5&notification_type=entry_delete&entry_id=0_x'), admin);
  assert.equal(unsigned!.verification.status, 'unsigned');
  assert.equal(unsigned!.dedupeKey, 'kaltura-legacy:unknown-partner:5');
});

test('builder and receiver agree for three notifications with awkward values', () => {
  const body = buildLegacyBody(
    [1, 2, 3].map((i) => ({
      notificationId: 3000 + i,
      notificationType: 'entry_update',
      puserId: 'ü@example.com',
      partnerId: 42,
      objectIdKey: 'entry_id' as const,
      objectId: `0_${i}`,
      data: { name: `a&b=c ${i} ~*`, tags: 'x,y' },
    })),
    vectors.secret,
  );
  const events = kalturaLegacyProvider.parse(form(body), admin);
  assert.equal(events.length, 3);
  assert.ok(events.every((e) => e.verification.status === 'verified'));
  assert.equal((events[2]!.parsed as KalturaLegacyPayload).fields['name'], 'a&b=c 3 ~*');
});

test('count mismatch and missing ids are problems', () => {
  const params: Array<[string, string]> = [['not1_notification_id', '1'], ['not1_notification_type', 'entry_add'], ['not3_entry_id', 'x'], ['multi_notification', 'true'], ['number_of_notifications', '3']];
  params.push(['sig', legacySig(params, vectors.secret)]);
  const events = kalturaLegacyProvider.parse(form(new URLSearchParams(params).toString()), admin);
  assert.equal(events.length, 2);
  assert.match(events[0]!.problems.join('\n'), /number_of_notifications says 3 but 2 notN_ groups/);
  assert.match(events[0]!.problems.join('\n'), /notification 3 has no notification_id/);
  assert.ok(events.every((e) => e.verification.status === 'verified'));
});

test('splitMultiNotification groups by number, in numeric order', () => {
  assert.deepEqual(splitMultiNotification({ not10_a: '10', not2_a: '2', sig: 'x', not2_b: 'b' }), [
    { index: 2, fields: { a: '2', b: 'b' } },
    { index: 10, fields: { a: '10' } },
  ]);
});

test('verifyLegacySig compares case-insensitively', () => {
  const params = Object.fromEntries(new URLSearchParams(vectors.legacyNotification[0]!.body));
  assert.equal(verifyLegacySig({ ...params, sig: params['sig']!.toUpperCase() }, admin.kalturaSecrets).status, 'verified');
});

test('detection: only legacy-shaped form posts', () => {
  assert.equal(detectKalturaLegacy(form('entry_id=0_abcd1234&status=2')), false);
  assert.equal(detectKalturaLegacy(form('{"notification_id":1}')), false);
  assert.equal(detectKalturaLegacy(form('not1_notification_id=1&sig=x')), true);
});
