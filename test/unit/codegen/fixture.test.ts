import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { prepareCapture, redactHeaders, redactString, redactXml, splitLegacyNotifications } from '../../../src/core/codegen/fixture';
import { decodeKalturaBody, encodeFormPairs, parseFormPairs, parseSimpleXml } from '../../../src/core/codegen/bodyFormats';
import { kalturaSignature, legacySig } from '../../../src/protocol/signing';
import type { CodegenCapture } from '../../../src/core/codegen/captureInput';
import { TEST_SECRET } from '../../../src/core/codegen/types';
import { vectors } from '../../support/vectors';

function capture(source: CodegenCapture['source'], headers: Record<string, string>, body: string): CodegenCapture {
  return { source, eventType: 't', method: 'POST', path: '/hook', headers, body: Buffer.from(body), fromSample: false };
}

test('signing helpers reproduce every protocol vector', () => {
  for (const v of vectors.httpNotification) {
    assert.equal(kalturaSignature(vectors.secret, Buffer.from(v.body), (v.hashAlgoHeader ?? 'sha1') as 'sha1'), v.signature, v.name);
  }
  for (const v of vectors.legacyNotification) assert.equal(legacySig(parseFormPairs(v.body), vectors.secret), v.sig, v.name);
});

test('form parsing and PHP-style encoding round-trip the legacy vectors byte for byte', () => {
  for (const v of vectors.legacyNotification) assert.equal(encodeFormPairs(parseFormPairs(v.body)), v.body);
});

test('every Kaltura vector body decodes to the expected format', () => {
  const formats = vectors.httpNotification.map((v) => decodeKalturaBody(v.body, v.contentType).format);
  assert.deepEqual(formats, ['json', 'json', 'json', 'json', 'xml', 'json', 'fields']);
  const urlEncoded = decodeKalturaBody(vectors.httpNotification[5]!.body, 'application/json');
  assert.equal(urlEncoded.urlEncoded, true);
  assert.deepEqual(urlEncoded.data, JSON.parse(vectors.httpNotification[0]!.body));
  assert.deepEqual(decodeKalturaBody(vectors.httpNotification[4]!.body).data, { objectType: 'KalturaHttpNotification', templateId: '1' });
  assert.deepEqual(decodeKalturaBody('entry_id=0_abcd1234&status=2').data, { entry_id: '0_abcd1234', status: '2' });
  assert.equal(decodeKalturaBody('').format, 'empty');
  assert.equal(decodeKalturaBody('data=a:1:{i:0;s:1:"x";}').format, 'text');
});

test('the XML reader handles nesting, repeats, entities, CDATA, self-closing tags and reports broken nesting', () => {
  const xml = '<?xml version="1.0"?><n><a>1 &amp; 2</a><b/><r>x</r><r>y</r><c><![CDATA[<raw>]]></c><o k="v"><i>1</i></o></n>';
  assert.deepEqual(parseSimpleXml(xml), { a: '1 & 2', b: '', r: ['x', 'y'], c: '<raw>', o: { i: '1' } });
  assert.throws(() => parseSimpleXml('<a><b></a>'), /does not match/);
  assert.throws(() => parseSimpleXml('<a>'), /never closed/);
});

test('fixture headers drop credentials, cookies, tokens, client addresses and hop-by-hop headers', () => {
  const out = redactHeaders(
    {
      authorization: 'Basic x', cookie: 'c', 'x-kwh-token': 't', 'x-forwarded-for': '203.0.113.1', host: 'h', 'content-length': '3',
      'x-api-key': 'k', 'x-custom-secret': 's', 'x-kaltura-signature': 'sig', 'content-type': 'application/json', 'user-agent': 'curl', 'x-mine': 'm',
    },
    ['X-Mine'],
  );
  assert.deepEqual(out, { 'content-type': 'application/json', 'user-agent': 'curl' });
});

test('string redaction keeps structural values and replaces personal ones by type', () => {
  assert.equal(redactString('objectType', 'KalturaMediaEntry'), 'KalturaMediaEntry');
  assert.equal(redactString('notification_type', 'entry_add'), 'entry_add');
  assert.equal(redactString('puser_id', 'jane@corp.example'), 'user@example.com');
  assert.equal(redactString('thumbnail', 'https://cdn/x.jpg'), 'https://example.com/redacted');
  assert.equal(redactString('id', '1_zzzz9999'), '0_xxxxxxxx');
  assert.equal(redactString('name', 'Jane Doe interview'), 'redacted-name');
  assert.equal(redactString('partner_id', '123456'), '123456');
  assert.equal(redactXml('<n><name>Jane &amp; Co</name><objectType>KalturaX</objectType></n>'), '<n><name>redacted-name</name><objectType>KalturaX</objectType></n>');
});

test('a Kaltura fixture is redacted and re-signed with the dummy secret, keeping the algorithm', () => {
  const v = vectors.httpNotification[1]!; // sha256
  const prepared = prepareCapture(
    capture('kaltura', { 'content-type': v.contentType, 'x-kaltura-signature': v.signature, 'x-kaltura-hash-algo': 'sha256', authorization: 'Bearer z' }, v.body),
    { keepExampleValues: false, redactHeaders: [] },
  );
  const { request } = prepared.fixture;
  assert.ok(!request.body.includes('"Test"'), 'captured name replaced');
  assert.ok(request.body.includes('"KalturaMediaEntry"'));
  assert.ok(request.body.includes('123456789'), 'numbers kept');
  assert.equal(request.headers['x-kaltura-hash-algo'], 'sha256');
  const expected = createHash('sha256').update(TEST_SECRET + request.body).digest('hex');
  assert.equal(request.headers['x-kaltura-signature'], expected);
  assert.equal(request.headers['authorization'], undefined);
  assert.deepEqual(prepared.fixture.testEnv, { KALTURA_ADMIN_SECRET: TEST_SECRET });
  assert.equal(prepared.fixture.expect.notifications, 1);
  assert.equal(prepared.format, 'json');
});

test('url-encoded and XML Kaltura bodies stay in their format after redaction', () => {
  for (const index of [4, 5]) {
    const v = vectors.httpNotification[index]!;
    const prepared = prepareCapture(capture('kaltura', { 'content-type': v.contentType, 'x-kaltura-signature': v.signature }, v.body), { keepExampleValues: false, redactHeaders: [] });
    const decoded = decodeKalturaBody(prepared.fixture.request.body, v.contentType);
    const original = decodeKalturaBody(v.body, v.contentType);
    assert.deepEqual([decoded.format, decoded.dataPrefix, decoded.urlEncoded], [original.format, original.dataPrefix, original.urlEncoded], v.name);
    // Gen-2 style: no algorithm header captured, none added; the signature is sha1.
    assert.equal(prepared.fixture.request.headers['x-kaltura-hash-algo'], undefined);
    assert.equal(prepared.fixture.request.headers['x-kaltura-signature'], kalturaSignature(TEST_SECRET, Buffer.from(prepared.fixture.request.body), 'sha1'));
  }
});

test('a legacy multi-notification fixture keeps its split and gets a valid sig', () => {
  const v = vectors.legacyNotification[1]!;
  const prepared = prepareCapture(capture('kaltura-legacy', { 'content-type': 'application/x-www-form-urlencoded' }, v.body), { keepExampleValues: false, redactHeaders: [] });
  const pairs = parseFormPairs(prepared.fixture.request.body);
  assert.equal(pairs.find(([k]) => k === 'sig')?.[1], legacySig(pairs, TEST_SECRET));
  assert.equal(prepared.fixture.expect.notifications, 2);
  assert.deepEqual(prepared.payloads.map((p) => (p as Record<string, string>)['notification_id']), ['2001', '2002']);
  assert.equal(pairs.find(([k]) => k === 'not1_name')?.[1], 'redacted-name');
  assert.deepEqual(splitLegacyNotifications(parseFormPairs(vectors.legacyNotification[0]!.body)).length, 1);
});

test('keepExampleValues keeps the body bytes (still re-signed)', () => {
  const v = vectors.httpNotification[0]!;
  const prepared = prepareCapture(capture('kaltura', { 'x-kaltura-signature': v.signature }, v.body), { keepExampleValues: true, redactHeaders: [] });
  assert.equal(prepared.fixture.request.body, v.body);
  assert.notEqual(prepared.fixture.request.headers['x-kaltura-signature'], v.signature);
});

test('an unsigned Kaltura capture gets a sha1 signature and a note saying so', () => {
  const prepared = prepareCapture(capture('kaltura', { 'content-type': 'application/json' }, '{"a":1}'), { keepExampleValues: false, redactHeaders: [] });
  assert.match(prepared.fixture.note, /was unsigned/);
  assert.equal(prepared.fixture.request.headers['x-kaltura-signature'], kalturaSignature(TEST_SECRET, Buffer.from('{"a":1}'), 'sha1'));
});

test('an EnableX fixture has no Authorization and carries dummy Basic credentials for the test', () => {
  const prepared = prepareCapture(
    capture('enablex', { authorization: 'Basic cmVhbDpzZWNyZXQ=', 'content-type': 'application/json' }, '{"type":"roomdrop","app_id":"abc","trans_date":1}'),
    { keepExampleValues: false, redactHeaders: [] },
  );
  assert.equal(prepared.fixture.request.headers['authorization'], undefined);
  assert.deepEqual(Object.keys(prepared.fixture.testEnv).sort(), ['ENABLEX_WEBHOOK_PASSWORD', 'ENABLEX_WEBHOOK_USER']);
  assert.deepEqual(JSON.parse(prepared.fixture.request.body), { type: 'roomdrop', app_id: 'redacted-app_id', trans_date: 1 });
});

test('bodies that cannot be decoded give an error naming the cause', () => {
  assert.throws(() => prepareCapture(capture('kaltura', {}, '{"broken":'), { keepExampleValues: false, redactHeaders: [] }), /looks like JSON but does not parse/);
  assert.throws(() => prepareCapture(capture('enablex', {}, 'not json'), { keepExampleValues: false, redactHeaders: [] }), /not JSON/);
  const binary: CodegenCapture = { ...capture('kaltura', {}, ''), body: Buffer.from([0xff, 0xfe, 0x00]) };
  assert.throws(() => prepareCapture(binary, { keepExampleValues: false, redactHeaders: [] }), /not valid UTF-8/);
});
