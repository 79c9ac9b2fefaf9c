import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { EnablexPayload, KalturaBodyFormat, KalturaLegacyPayload, KalturaNotificationPayload } from '../../../src/core/events/model';
import { classifyRequest } from '../../../src/core/providers';
import { KALTURA_BATCH_USER_AGENT } from '../../../src/core/providers/kaltura';
import { buildSampleRequest, phpJsonEncode, sampleToCapturedRequest, type SampleRequest } from '../../../src/core/providers/samples';
import type { KalturaHashAlgo } from '../../../src/protocol/signing';
import type { VerificationCredentials } from '../../../src/core/providers/types';
import { vectors } from '../../support/vectors';

const creds: VerificationCredentials = {
  kalturaSecrets: [{ label: 'admin secret', secret: vectors.secret }],
  basicAuth: [{ label: 'webhook user', username: 'hook', password: 'pw' }],
};
let n = 0;
const classify = (s: SampleRequest, c = creds) => classifyRequest(sampleToCapturedRequest(s, `sample-${++n}`), c);

const formats: KalturaBodyFormat[] = ['json', 'json-urlencoded', 'xml', 'php', 'fields', 'text', 'empty'];
const algos: KalturaHashAlgo[] = ['sha1', 'sha256', 'sha512'];

test('every Kaltura format × algorithm classifies as Kaltura, in that format, and verifies', () => {
  for (const format of formats) {
    for (const algo of algos) {
      const sample = buildSampleRequest('kaltura', { format, algo, secret: vectors.secret, jobId: 42, entryId: '0_abcd1234', partnerId: 777 });
      const [e, ...rest] = classify(sample);
      assert.equal(rest.length, 0);
      assert.equal(e!.source, 'kaltura', `${format}/${algo}`);
      const p = e!.parsed as KalturaNotificationPayload;
      assert.equal(p.bodyFormat, format, `${format}/${algo}`);
      assert.equal(e!.verification.status, 'verified', `${format}/${algo}: ${e!.verification.reason}`);
      assert.equal(e!.verification.algorithm, algo);
      assert.deepEqual(e!.problems, [], `${format}/${algo}`);
      if (['json', 'json-urlencoded', 'xml', 'php'].includes(format)) {
        assert.equal(e!.type, 'OBJECT_CHANGED:ENTRY');
        assert.equal(e!.summary, 'Entry Status Changed · 0_abcd1234 READY');
        assert.equal(e!.dedupeKey, 'kaltura:777:job:42');
        assert.equal(p.partnerId, 777);
        assert.equal(p.object?.['downloadUrl'], 'https://cdnapisec.kaltura.com/p/777/sp/77700/playManifest/entryId/0_abcd1234/format/download/protocol/https/flavorParamIds/0');
      }
      if (format === 'fields') assert.equal(p.objectStatusName, 'READY');
    }
  }
});

test('Kaltura headers: libcurl order, KCurlWrapper User-Agent, Content-Type per §1.6', () => {
  const json = buildSampleRequest('kaltura', { secret: vectors.secret, algo: 'sha256', host: 'example.test', customHeaders: [['X-Custom', '1']] });
  assert.deepEqual(Object.keys(json.headers), ['Host', 'User-Agent', 'Accept', 'X-KALTURA-SIGNATURE', 'X-KALTURA-HASH-ALGO', 'X-Custom', 'Content-Type', 'Content-Length']);
  assert.equal(json.headers['User-Agent'], KALTURA_BATCH_USER_AGENT);
  assert.equal(json.headers['X-KALTURA-HASH-ALGO'], 'sha256');
  assert.equal(json.headers['Content-Type'], 'application/json');
  assert.equal(json.headers['Content-Length'], String(json.body.length));
  assert.equal(buildSampleRequest('kaltura', { format: 'json-urlencoded' }).headers['Content-Type'], 'application/json');
  assert.equal(buildSampleRequest('kaltura', { format: 'php' }).headers['Content-Type'], 'application/xml');
  const fields = buildSampleRequest('kaltura', { format: 'fields' });
  assert.deepEqual(Object.keys(fields.headers), ['User-Agent', 'Accept', 'Content-Length', 'Content-Type']);
  assert.equal(fields.headers['Content-Type'], 'application/x-www-form-urlencoded');
  assert.equal(buildSampleRequest('kaltura', { format: 'text', contentType: 'text/plain' }).headers['Content-Type'], 'text/plain');
});

test('the JSON body is PHP json_encode output and the signature covers those exact bytes', () => {
  const s = buildSampleRequest('kaltura', { secret: 'k', algo: 'sha1', entryName: 'Café/Bar' });
  const text = s.body.toString('utf8');
  assert.match(text, /https:\\\/\\\/cdnapisec/);
  assert.match(text, /Caf\\u00e9\\\/Bar/);
  assert.equal(s.headers['X-KALTURA-SIGNATURE'], createHash('sha1').update('k').update(s.body).digest('hex'));
  assert.equal(phpJsonEncode({ a: 'é/' }), '{"a":"\\u00e9\\/"}');
  const [e] = classify(s, { kalturaSecrets: [{ label: 'k', secret: 'k' }], basicAuth: [] });
  assert.equal((e!.parsed as KalturaNotificationPayload).object?.['name'], 'Café/Bar');
});

test('unsigned, Gen-2 (no algo header), GET and Basic-auth variants', () => {
  const [unsigned] = classify(buildSampleRequest('kaltura', {}));
  assert.equal(unsigned!.verification.status, 'unsigned');
  const gen2 = buildSampleRequest('kaltura', { secret: vectors.secret, sendAlgoHeader: false, algo: 'sha256' });
  assert.equal(gen2.headers['X-KALTURA-HASH-ALGO'], undefined);
  assert.equal(gen2.headers['X-KALTURA-SIGNATURE']!.length, 40);
  assert.equal(classify(gen2)[0]!.verification.status, 'verified');
  const get = buildSampleRequest('kaltura', { method: 'GET', format: 'fields', secret: vectors.secret });
  assert.equal(get.body.length, 0);
  assert.match(get.path, /^\/webhook\?entry_id=/);
  assert.equal(classify(get)[0]!.verification.status, 'verified');
  const basic = buildSampleRequest('kaltura', { format: 'fields', basicAuth: { username: 'hook', password: 'pw' } });
  const [b] = classify(basic);
  assert.equal(b!.source, 'kaltura', 'detected by the batch User-Agent');
  assert.deepEqual([b!.verification.status, b!.verification.method], ['verified', 'basic-auth']);
});

test('event and object types by name or value', () => {
  const s = buildSampleRequest('kaltura', { eventType: 'OBJECT_ADDED', eventObjectType: 'CATEGORY', object: { id: 55, name: 'Cat', objectType: 'KalturaCategory' } });
  const [e] = classify(s);
  assert.equal(e!.type, 'OBJECT_ADDED:CATEGORY');
  assert.equal((e!.parsed as KalturaNotificationPayload).objectId, '55');
  assert.equal((e!.parsed as KalturaNotificationPayload).objectStatusName, undefined);
});

test('legacy single and multi samples verify and split', () => {
  const single = buildSampleRequest('kaltura-legacy', { secret: vectors.secret, firstNotificationId: 10 });
  const [s] = classify(single);
  assert.equal(s!.source, 'kaltura-legacy');
  assert.equal(s!.verification.status, 'verified');
  assert.equal(s!.dedupeKey, 'kaltura-legacy:123456:10');
  const multi = buildSampleRequest('kaltura-legacy-multi', { secret: vectors.secret, count: 3, firstNotificationId: 20, types: ['entry_add', 'user_add'] });
  const events = classify(multi);
  assert.equal(events.length, 3);
  assert.ok(events.every((e) => e.verification.status === 'verified'));
  assert.deepEqual(events.map((e) => (e.parsed as KalturaLegacyPayload).notificationId), ['20', '21', '22']);
  assert.deepEqual(events.map((e) => e.type), ['entry_add', 'user_add', 'entry_add']);
  assert.equal((events[1]!.parsed as KalturaLegacyPayload).objectIdKey, 'user_id');
  assert.equal(buildSampleRequest('kaltura-legacy-multi', {}).body.includes('sig='), false, 'no secret → no sig');
});

test('EnableX samples for each type, with and without Basic auth, and doc-style JSON', () => {
  for (const type of ['roomdrop', 'recording', 'transcoded', 'file-transfer', 'room-created']) {
    const [e] = classify(buildSampleRequest('enablex', { type, basicAuth: { username: 'hook', password: 'pw' } }));
    assert.equal(e!.source, 'enablex', type);
    assert.equal(e!.type, type);
    assert.equal((e!.parsed as EnablexPayload).known, type !== 'room-created');
    assert.equal(e!.verification.status, 'verified');
  }
  const [t] = classify(buildSampleRequest('enablex', { type: 'transcoded' }));
  assert.equal(t!.verification.status, 'unsigned');
  assert.deepEqual((t!.parsed as EnablexPayload).recordings?.length, 1);
  assert.equal((t!.parsed as EnablexPayload).fileSize, 48211833);
  const [d] = classify(buildSampleRequest('enablex', { type: 'recording', docStyle: true }));
  assert.equal(d!.source, 'enablex');
  assert.equal((d!.parsed as EnablexPayload).recordings?.length, 2);
  assert.match(d!.problems.join(), /not strict JSON/);
});

test('an unknown kind is a clear error', () => {
  assert.throws(() => buildSampleRequest('stripe' as never), /unknown sample kind "stripe"/);
});
