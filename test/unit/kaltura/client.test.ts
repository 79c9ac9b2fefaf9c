import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KalturaApiClient, normaliseServiceUrl } from '../../../src/core/kaltura/apiClient';
import { KalturaApiError, KalturaTransportError, hintForKalturaCode } from '../../../src/core/kaltura/errors';
import { decodeKs, isKsError } from '../../../src/core/kaltura/ks';
import { SessionProvider } from '../../../src/core/kaltura/session';
import { anyTemplateSchema, templateListResponseSchema } from '../../../src/core/kaltura/schemas';
import { apiObjectTypeFor, normalisePublicBaseUrl, templateUrl, workbenchSystemName } from '../../../src/core/kaltura/registration';

test('service URLs are normalised, bad ones explain the fix', () => {
  assert.equal(normaliseServiceUrl('https://www.kaltura.com/'), 'https://www.kaltura.com');
  assert.equal(normaliseServiceUrl('www.kaltura.com'), 'https://www.kaltura.com');
  assert.equal(normaliseServiceUrl('localhost:8080'), 'https://localhost:8080');
  assert.equal(normaliseServiceUrl('https://api.ca.kaltura.com/api_v3/'), 'https://api.ca.kaltura.com');
  assert.equal(normaliseServiceUrl('http://kaltura.local:8080/base'), 'http://kaltura.local:8080/base');
  assert.throws(() => normaliseServiceUrl('ftp://x'), (e: unknown) => e instanceof KalturaTransportError && e.kind === 'config' && /http or https/.test(e.message));
  assert.throws(() => normaliseServiceUrl('https://x/?a=1'), /query/);
  assert.throws(() => normaliseServiceUrl('http://'), /not a valid service URL/);
});

test('URLs follow /api_v3/service/{service}/action/{action}', () => {
  const client = new KalturaApiClient({ serviceUrl: 'https://example.org/' });
  assert.equal(client.urlFor('eventnotification_eventnotificationtemplate', 'list'), 'https://example.org/api_v3/service/eventnotification_eventnotificationtemplate/action/list');
  assert.match(client.clientTag, /^kwh:\d+\.\d+\.\d+/);
});

test('backoff grows exponentially, is capped, and jitters within [ceiling/2, ceiling]', () => {
  const low = new KalturaApiClient({ retryBaseDelayMs: 100, retryMaxDelayMs: 1000, random: () => 0 });
  const high = new KalturaApiClient({ retryBaseDelayMs: 100, retryMaxDelayMs: 1000, random: () => 0.999999 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => low.backoffDelay(n)), [50, 100, 200, 400, 500, 500]);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => high.backoffDelay(n)), [100, 200, 400, 800, 1000, 1000]);
});

test('KalturaApiError carries code, Kaltura message, args and a hint for the common codes', () => {
  const err = new KalturaApiError({ code: 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND', message: 'Event notification template id [5] not found', args: [{ name: 'id', value: '5' }], service: 's', action: 'get' });
  assert.equal(err.code, 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND');
  assert.equal(err.kalturaMessage, 'Event notification template id [5] not found');
  assert.equal(err.arg('id'), '5');
  assert.ok(err.hint && err.message.includes(err.hint));
  assert.match(err.message, /EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND \(s\.get\)/);
  for (const code of ['INVALID_KS', 'SERVICE_FORBIDDEN', 'FEATURE_FORBIDDEN', 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND', 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME', 'EVENT_NOTIFICATION_DISPATCH_DISABLED', 'PROPERTY_VALIDATION_NOT_UPDATABLE']) {
    assert.ok((hintForKalturaCode(code) ?? '').length > 20, `hint for ${code}`);
  }
  assert.equal(new KalturaApiError({ code: 'SOMETHING_NEW', message: 'm' }).hint, undefined);
});

test('template schemas keep unknown fields and coerce numeric strings', () => {
  const t = anyTemplateSchema.parse({ id: '12', status: '2', objectType: 'KalturaHttpNotificationTemplate', futureField: { a: 1 }, customHeaders: [{ key: 'k', value: 'v', objectType: 'KalturaKeyValue' }] });
  assert.equal(t.id, 12);
  assert.equal(t.status, 2);
  assert.deepEqual((t as Record<string, unknown>).futureField, { a: 1 });
  assert.equal((t.customHeaders?.[0] as Record<string, unknown>).objectType, 'KalturaKeyValue');
  const list = templateListResponseSchema.parse({ objectType: 'KalturaEventNotificationTemplateListResponse', totalCount: 1, objects: [{ id: 1 }] });
  assert.equal(list.objects.length, 1);
  assert.equal(anyTemplateSchema.safeParse({ name: 'no id' }).success, false);
});

test('local admin-secret sessions are reused, then renewed before expiry', async () => {
  let now = 1_800_000_000;
  const client = new KalturaApiClient({ serviceUrl: 'http://127.0.0.1:9' });
  const secret = 'abcdef0123456789abcdef0123456789';
  const sessions = new SessionProvider(client, { kind: 'localAdminSecret', partnerId: 777, adminSecret: secret, expirySeconds: 1000 }, { now: () => now });
  const first = await sessions.getKs();
  const decoded = decodeKs(first, (p) => (p === 777 ? secret : undefined));
  assert.ok(!isKsError(decoded));
  assert.equal(decoded.expiry, now + 1000);
  assert.equal(decoded.type, 2);
  now += 850;
  assert.equal(await sessions.getKs(), first, 'still well before the renewal margin (100 s)');
  now += 60;
  const second = await sessions.getKs();
  assert.notEqual(second, first, 'renewed inside the margin');
  assert.equal(sessions.created, 2);
  const [a, b] = await Promise.all([sessions.getKs(), sessions.getKs()]);
  assert.equal(a, b);
  assert.throws(() => new SessionProvider(client, { kind: 'fixedKs', partnerId: 0, ks: 'x' }), /partner id/);
});

test('registration helpers: system names, template URLs, API object types', () => {
  assert.equal(workbenchSystemName('HTTP_ENTRY_STATUS_CHANGED', 'ab12cd'), 'kwh_HTTP_ENTRY_STATUS_CHANGED_ab12cd');
  assert.match(workbenchSystemName('Weird name!'), /^kwh_Weird_name__[0-9a-f]{6}$/);
  assert.notEqual(workbenchSystemName('X'), workbenchSystemName('X'));
  assert.equal(templateUrl('https://abc.loca.lt/', 'kwh_X_1'), 'https://abc.loca.lt/kaltura/kwh_X_1');
  assert.equal(templateUrl('https://h.example/base', 'kwh_X_1'), 'https://h.example/base/kaltura/kwh_X_1');
  assert.throws(() => normalisePublicBaseUrl('not a url'), /the public URL "not a url" is not a URL/);
  assert.equal(apiObjectTypeFor(1), 'KalturaMediaEntry');
  assert.equal(apiObjectTypeFor('37'), 'KalturaCategoryEntry');
  assert.equal(apiObjectTypeFor('metadataEventNotifications.Metadata'), 'KalturaMetadata');
  assert.equal(apiObjectTypeFor(999), undefined);
});
