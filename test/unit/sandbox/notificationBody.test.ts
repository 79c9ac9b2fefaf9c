import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { kalturaSignature } from '../../../src/protocol/signing';
import { buildNotificationBody, notificationEnvelope } from '../../../src/sandbox/notificationBody';
import { buildHttpRequest, KCURL_USER_AGENT, type NotificationJob } from '../../../src/sandbox/notificationSender';
import { kalturaXml, phpJsonEncode, phpSerialize } from '../../../src/protocol/phpEncoding';
import { vectors } from '../../support/vectors';
import { captures } from '../../support/captures';

const vectorObject = { id: '0_abcd1234', name: 'Test', status: 2, objectType: 'KalturaMediaEntry' };
const vectorEnvelope = {
  object: vectorObject,
  eventObjectType: '1',
  jobId: 123456789,
  templateId: 987654,
  templateName: 'Entry Status Changed',
  templateSystemName: 'HTTP_ENTRY_STATUS_CHANGED',
  eventType: '3',
};
const scope = { object: vectorObject, partnerId: 123456, modifiedColumns: ['entry.STATUS'] };
const jsonVector = vectors.httpNotification.find((v) => v.name.startsWith('json sha1'))!;

function job(body: string, contentType: string, secureHashingAlgo?: number): NotificationJob {
  return {
    jobId: 123456789, partnerId: 123456, templateId: 987654, trigger: 'manual', url: 'http://127.0.0.1:1/hook', method: 2,
    body, contentType, signSecret: vectors.secret, customHeaders: [], ...(secureHashingAlgo !== undefined && { secureHashingAlgo }),
  };
}

function php(code: string, stdin: string): string {
  const r = spawnSync('php', ['-r', code], { input: stdin, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('JSON ObjectData body reproduces the vector body byte for byte', () => {
  const body = buildNotificationBody({ objectType: 'KalturaHttpNotificationObjectData', format: 1 }, vectorEnvelope, {}, scope);
  assert.equal(body.body, jsonVector.body);
  assert.equal(body.contentType, 'application/json');
  assert.equal(body.format, 'json');
});

test('signature headers match the vectors for every secureHashingAlgo', () => {
  for (const [algo, name] of [[1, 'sha1'], [2, 'sha256'], [3, 'sha512'], [undefined, 'sha1'], [7, 'sha1']] as const) {
    const vector = vectors.httpNotification.find((v) => v.body === jsonVector.body && v.hashAlgoHeader === name)!;
    const req = buildHttpRequest(job(jsonVector.body, 'application/json', algo));
    const headers = new Map(req.headers);
    assert.equal(headers.get('X-KALTURA-SIGNATURE'), vector.signature, `algo ${algo}`);
    assert.equal(headers.get('X-KALTURA-HASH-ALGO'), name);
  }
});

test('headers go out in engine order and the body is untouched', () => {
  const req = buildHttpRequest({
    ...job(jsonVector.body, 'application/json'),
    customHeaders: [['X-Entry', '0_abcd1234'], ['X-Other', 'v']],
    username: 'user',
    password: 'p:w',
  });
  assert.deepEqual(req.headers.map(([k]) => k), [
    'Authorization', 'User-Agent', 'Accept', 'X-KALTURA-SIGNATURE', 'X-KALTURA-HASH-ALGO', 'X-Entry', 'X-Other', 'Content-Type',
  ]);
  assert.equal(new Map(req.headers).get('Authorization'), 'Basic ' + Buffer.from('user:p:w').toString('base64'));
  assert.equal(new Map(req.headers).get('User-Agent'), KCURL_USER_AGENT);
  // Kaltura's KCurlWrapper sends it bare since 2021 (kaltura-protocol.md §7), as the captured requests show.
  assert.equal(KCURL_USER_AGENT, 'Mozilla/5.0 (Windows; U; Windows NT 5.1; en-US; rv:1.9.0.6) Gecko/2009011913 Firefox/3.0.6');
  assert.equal(req.body, jsonVector.body);
  assert.equal(req.method, 'POST');
});

test('GET appends the body after an unconditional "?"; no signing secret means no signature headers', () => {
  const req = buildHttpRequest({ ...job('a=1', ''), method: 1, url: 'http://h/p?x=1', signSecret: null });
  assert.equal(req.url, 'http://h/p?x=1?a=1');
  assert.equal(req.body, undefined);
  assert.ok(!req.headers.some(([k]) => k.startsWith('X-KALTURA')));
  assert.ok(!req.headers.some(([k]) => k === 'Content-Type'));
});

test('urlEncode JSON body matches the urlEncode vector', () => {
  const vector = vectors.httpNotification.find((v) => v.name === 'json urlEncode=true')!;
  const body = buildNotificationBody({ objectType: 'KalturaHttpNotificationObjectData', format: 1, urlEncode: true }, vectorEnvelope, {}, scope);
  assert.equal(body.body, vector.body);
  assert.equal(kalturaSignature(vectors.secret, body.body, 'sha256'), vector.signature);
});

test('XML serializer puts objectType first and reproduces the XML vector', () => {
  const vector = vectors.httpNotification.find((v) => v.name === 'xml with data= prefix')!;
  const body = `data=<notification>${kalturaXml({ templateId: 1, objectType: 'KalturaHttpNotification' })}</notification>`;
  assert.equal(body, vector.body);
  assert.equal(kalturaSignature(vectors.secret, body, 'sha1'), vector.signature);
});

test('XML ObjectData body is well-formed and carries the envelope (checked with Python ElementTree)', () => {
  const body = buildNotificationBody({ objectType: 'KalturaHttpNotificationObjectData', format: 2 }, { ...vectorEnvelope, templateName: 'A & <B>' }, {}, scope);
  assert.equal(body.contentType, 'application/xml');
  // ignoreNull unset is false (kHttpNotificationObjectData): null members, relatedObjects among them, stay as empty tags.
  assert.ok(body.body.startsWith('data=<notification><objectType>KalturaHttpNotification</objectType><relatedObjects></relatedObjects><object><objectType>KalturaMediaEntry</objectType><relatedObjects></relatedObjects>'), body.body.slice(0, 200));
  const py = spawnSync(
    '/usr/bin/python3',
    ['-c', 'import sys, xml.etree.ElementTree as E; x = E.fromstring(sys.stdin.read()[5:]); print(x.findtext("templateName") + "|" + x.findtext("object/id") + "|" + x.findtext("eventNotificationJobId"), end="")'],
    { input: body.body, encoding: 'utf8' },
  );
  assert.equal(py.status, 0, py.stderr);
  const out = py.stdout;
  assert.equal(out, 'A & <B>|0_abcd1234|123456789');
});

test('PHP ObjectData body unserializes in real PHP with the right byte lengths', () => {
  const envelope = { ...vectorEnvelope, object: { ...vectorObject, name: 'Ünïcødé 😀 "q"' } };
  const body = buildNotificationBody({ objectType: 'KalturaHttpNotificationObjectData', format: 3 }, envelope, {}, scope);
  assert.ok(body.body.startsWith('data=O:23:"KalturaHttpNotification":'));
  const out = php(
    '#[AllowDynamicProperties] class KalturaHttpNotification {} #[AllowDynamicProperties] class KalturaMediaEntry {}' +
      ' $o = unserialize(substr(stream_get_contents(STDIN), 5)); echo json_encode([$o->object->name ?? null, $o->eventNotificationJobId ?? null]);',
    body.body,
  );
  assert.deepEqual(JSON.parse(out), ['Ünïcødé 😀 "q"', 123456789]);
});

test('phpJsonEncode and phpSerialize agree with PHP itself', () => {
  const value = { url: 'https://x/y', text: 'é 😀 \u2028 <tag> & \' "', n: -3, f: 1.5, b: true, nil: null, list: [1, 'two'] };
  const expectedJson = php('echo json_encode(json_decode(stream_get_contents(STDIN), true));', JSON.stringify(value));
  assert.equal(phpJsonEncode(value), expectedJson);
  const expectedSer = php('echo serialize(json_decode(stream_get_contents(STDIN), true));', JSON.stringify(value));
  assert.equal(phpSerialize(value), expectedSer);
});

test('DataFields body is http_build_query of the content parameters and matches the fields vector', () => {
  const vector = vectors.httpNotification.find((v) => v.name === 'dataFields form')!;
  const template = {
    contentParameters: [
      { key: 'entry_id', value: { objectType: 'KalturaEvalStringField', code: '$scope->getObject()->getId()' } },
      { key: 'status', value: { objectType: 'KalturaEvalStringField', code: '$scope->getObject()->getStatus()' } },
    ],
  };
  const body = buildNotificationBody({ objectType: 'KalturaHttpNotificationDataFields' }, vectorEnvelope, template, scope);
  assert.equal(body.body, vector.body);
  assert.equal(body.contentType, '');
  assert.equal(kalturaSignature(vectors.secret, body.body, 'sha1'), vector.signature);
  const req = buildHttpRequest(job(body.body, body.contentType));
  assert.equal(new Map(req.headers).get('Content-Type'), 'application/x-www-form-urlencoded');
});

test('DataText substitutes parameters and keeps its own content type; no data means an empty body', () => {
  const template = { contentParameters: [{ key: 'entry_id', value: { code: '$scope->getObject()->getId()' } }] };
  const text = buildNotificationBody(
    { objectType: 'KalturaHttpNotificationDataText', content: { objectType: 'KalturaStringValue', value: 'entry {entry_id} changed' }, contentType: 'text/plain' },
    vectorEnvelope, template, scope,
  );
  assert.deepEqual(text, { body: 'entry 0_abcd1234 changed', contentType: 'text/plain', format: 'text' });
  assert.deepEqual(buildNotificationBody(null, vectorEnvelope, {}, scope), { body: '', contentType: '', format: 'empty' });
  const empty = buildHttpRequest(job('', ''));
  assert.equal(empty.body, undefined);
  assert.equal(new Map(empty.headers).get('X-KALTURA-SIGNATURE'), kalturaSignature(vectors.secret, '', 'sha1'));
});

test('dataStringReplacements run on the JSON before signing', () => {
  const body = buildNotificationBody(
    { objectType: 'KalturaHttpNotificationObjectData', format: 1, dataStringReplacements: [{ key: '"Test"', value: '"Replaced"' }] },
    vectorEnvelope, {}, scope,
  );
  assert.equal(body.body, jsonVector.body.replace('"Test"', '"Replaced"'));
});

test('envelope keeps plugin enum strings as strings and drops empty names', () => {
  const env = notificationEnvelope({ ...vectorEnvelope, eventObjectType: 'metadataEventNotifications.Metadata', templateSystemName: '' });
  assert.deepEqual(Object.keys(env), ['object', 'eventObjectType', 'eventNotificationJobId', 'templateId', 'templateName', 'eventType', 'objectType']);
  assert.equal(env.eventObjectType, 'metadataEventNotifications.Metadata');
});

test("XML as Kaltura's sender writes it: ignoreNull false keeps null members as empty tags, ' is &apos; (capture xml-ignoreNull-false)", () => {
  const capture = captures.find((c) => c.name === 'xml-ignoreNull-false')!;
  const sent = Buffer.from(capture.bodyBase64, 'base64').toString('utf8');
  const object = {
    objectType: 'KalturaMediaEntry',
    id: '0_uni/é日本',
    name: 'Café 日本 😀 "quoted" <tag> & amp = eq + plus % pct \'apos\'',
    description: 'line1\nline2\ttab / slash \\ backslash',
    partnerId: 123456,
    userId: '007',
    tags: '123,456',
    status: 2,
    referenceId: null,
    categories: null,
    partnerData: '{"a":"b/c","n":1}',
    createdAt: 1700000000,
    rank: 4.5,
    blockAutoTranscript: true,
    operationAttributes: [
      { objectType: 'KalturaClipAttributes', offset: 0, duration: 1000 },
      { objectType: 'KalturaClipAttributes', offset: 5000, duration: 2500 },
    ],
    emptyList: [],
  };
  const xml = kalturaXml({ objectType: 'KalturaHttpNotification', object }, { ignoreNull: false });
  const objectPart = sent.slice(sent.indexOf('<object>') + '<object>'.length, sent.indexOf('<stringMap>'));
  assert.equal(xml.slice(xml.indexOf('<object>') + '<object>'.length, xml.indexOf('</object>')), objectPart);
  assert.ok(sent.startsWith(`data=<notification>${xml.slice(0, xml.indexOf('<object>'))}<object>`), 'the envelope starts the same way');
  // With ignoreNull the nulls and relatedObjects go; empty strings and false stay (capture xml-ignoreNull-true).
  const trimmed = kalturaXml({ objectType: 'KalturaMediaEntry', name: '0', description: '', referenceId: null, blockAutoTranscript: false });
  assert.equal(trimmed, '<objectType>KalturaMediaEntry</objectType><name>0</name><description></description><blockAutoTranscript>0</blockAutoTranscript>');
  const lenient = Buffer.from(captures.find((c) => c.name === 'xml-ignoreNull-true')!.bodyBase64, 'base64').toString('utf8');
  assert.ok(lenient.includes('<name>0</name><description></description>') && !lenient.includes('relatedObjects'));
});
