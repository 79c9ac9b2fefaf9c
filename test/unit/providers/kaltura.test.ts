import { expectedPrefix } from '../../../src/core/events/model';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectKaltura, KALTURA_BATCH_USER_AGENT, kalturaProvider, parseKalturaNotification, verifyKalturaRequest } from '../../../src/core/providers/kaltura';
import { kalturaSignature } from '../../../src/protocol/signing';
import { phpSerialize } from '../../../src/protocol/phpUnserialize';
import type { VerificationCredentials } from '../../../src/core/providers/types';
import type { KalturaNotificationPayload } from '../../../src/core/events/model';
import { capturedRequest } from '../../support/capturedRequest';
import { vectors } from '../../support/vectors';

const creds = (...secrets: Array<[string, string]>): VerificationCredentials => ({
  kalturaSecrets: secrets.map(([label, secret]) => ({ label, secret })),
  basicAuth: [],
});
const adminOnly = creds(['admin secret', vectors.secret]);

function vectorRequest(v: (typeof vectors.httpNotification)[number], signature = v.signature, body: string | Buffer = v.body) {
  const headers: Array<[string, string]> = [['X-KALTURA-SIGNATURE', signature]];
  if (v.hashAlgoHeader !== null) headers.push(['X-KALTURA-HASH-ALGO', v.hashAlgoHeader]);
  headers.push(['Content-Type', v.contentType]);
  return capturedRequest({ headers, body });
}

test('every HTTP-notification vector verifies (header algo, or sha1 when absent)', () => {
  for (const v of vectors.httpNotification) {
    const [n] = kalturaProvider.parse(vectorRequest(v), adminOnly);
    assert.equal(n!.verification.status, 'verified', `${v.name}: ${n!.verification.reason}`);
    assert.equal(n!.verification.method, 'kaltura-signature');
    assert.equal(n!.verification.algorithm, v.hashAlgoHeader ?? 'sha1');
    assert.equal(n!.verification.secretLabel, 'admin secret');
    assert.equal(n!.verification.received, v.signature);
  }
});

test('every vector also verifies with an upper-case hex signature', () => {
  for (const v of vectors.httpNotification) {
    const [n] = kalturaProvider.parse(vectorRequest(v, v.signature.toUpperCase()), adminOnly);
    assert.equal(n!.verification.status, 'verified', v.name);
  }
});

test('every vector fails with a tampered body, reporting expected and received', () => {
  for (const v of vectors.httpNotification) {
    const tampered = v.body.replace('0_abcd1234', '0_abcd1235').replace('1', '2');
    assert.notEqual(tampered, v.body);
    const [n] = kalturaProvider.parse(vectorRequest(v, v.signature, tampered), adminOnly);
    assert.equal(n!.verification.status, 'failed', v.name);
    assert.equal(n!.verification.received, v.signature);
    assert.equal(n!.verification.expected, expectedPrefix(kalturaSignature(vectors.secret, tampered, (v.hashAlgoHeader ?? 'sha1') as 'sha1')));
    assert.match(n!.verification.reason!, /matches none of 1 configured secret \(admin secret\)/);
  }
});

test('every vector is detected as Kaltura', () => {
  for (const v of vectors.httpNotification) assert.equal(detectKaltura(vectorRequest(v)), true, v.name);
});

test('the matching second candidate secret is reported by its label', () => {
  const v = vectors.httpNotification[1]!;
  const [n] = kalturaProvider.parse(vectorRequest(v), creds(['old admin secret', 'ffff'], ['KALTURA_SECRET', vectors.secret]));
  assert.equal(n!.verification.status, 'verified');
  assert.equal(n!.verification.secretLabel, 'KALTURA_SECRET');
});

test('no candidate matches: the reason lists the labels and expected is the first candidate', () => {
  const v = vectors.httpNotification[0]!;
  const [n] = kalturaProvider.parse(vectorRequest(v), creds(['admin secret', 'aaa'], ['KALTURA_SECRET', 'bbb']));
  assert.equal(n!.verification.status, 'failed');
  assert.equal(n!.verification.expected, expectedPrefix(kalturaSignature('aaa', v.body, 'sha1')));
  assert.match(n!.verification.reason!, /matches none of 2 configured secrets \(admin secret, KALTURA_SECRET\)/);
  assert.match(n!.verification.reason!, /partner admin secret/);
  assert.doesNotMatch(JSON.stringify(n), /"aaa"|"bbb"/, 'secrets never appear in the result');
});

test('a dropped X-KALTURA-HASH-ALGO header is diagnosed', () => {
  const v = vectors.httpNotification[1]!; // sha256
  const request = capturedRequest({ headers: [['X-KALTURA-SIGNATURE', v.signature]], body: v.body });
  const [n] = kalturaProvider.parse(request, adminOnly);
  assert.equal(n!.verification.status, 'failed');
  assert.equal(n!.verification.algorithm, 'sha1');
  assert.match(n!.verification.reason!, /does match sha256 with admin secret/);
});

test('an unknown algorithm fails with a reason naming it', () => {
  const v = vectors.httpNotification[0]!;
  const request = capturedRequest({ headers: { 'X-KALTURA-SIGNATURE': v.signature, 'X-KALTURA-HASH-ALGO': 'md5' }, body: v.body });
  const [n] = kalturaProvider.parse(request, adminOnly);
  assert.equal(n!.verification.status, 'failed');
  assert.equal(n!.verification.algorithm, 'md5');
  assert.match(n!.verification.reason!, /unknown X-KALTURA-HASH-ALGO "md5"/);
});

test('a signature with no configured secret is failed, not unsigned', () => {
  const v = vectors.httpNotification[1]!;
  const [n] = kalturaProvider.parse(vectorRequest(v), creds());
  assert.equal(n!.verification.status, 'failed');
  assert.equal(
    n!.verification.reason,
    'signed with sha256, but no secret is configured to check it: connect the Kaltura account or add the partner admin secret',
  );
});

test('no signature header → unsigned, and the reason explains why Kaltura sends none', () => {
  const v = vectors.httpNotification[0]!;
  const [n] = kalturaProvider.parse(capturedRequest({ headers: { 'Content-Type': 'application/json' }, body: v.body }), adminOnly);
  assert.equal(n!.source, 'kaltura');
  assert.equal(n!.verification.status, 'unsigned');
  assert.match(n!.verification.reason!, /no signSecret/);
});

test('an empty secret still signs (PHP !is_null)', () => {
  const body = '{"objectType":"KalturaHttpNotification"}';
  const request = capturedRequest({ headers: { 'X-KALTURA-SIGNATURE': kalturaSignature('', body, 'sha1') }, body });
  const [n] = kalturaProvider.parse(request, creds(['blank', '']));
  assert.equal(n!.verification.status, 'verified');
});

test('a truncated body cannot be verified', () => {
  const v = vectors.httpNotification[0]!;
  const request = capturedRequest({ headers: { 'X-KALTURA-SIGNATURE': v.signature }, body: v.body.slice(0, 50), bodySize: 6_000_000, bodyTruncated: true });
  const [n] = kalturaProvider.parse(request, adminOnly);
  assert.equal(n!.verification.status, 'failed');
  assert.match(n!.verification.reason!, /cut at the size limit/);
  assert.match(n!.problems.join('\n'), /body cut at the 50 bytes limit .*not parsed/);
});

test('GET notifications are verified over the query string the engine appended', () => {
  const data = 'entry_id=0_abcd1234&status=2';
  const sig = kalturaSignature(vectors.secret, data, 'sha1');
  const request = capturedRequest({ method: 'GET', path: `/hook?token=x?${data}`, headers: { 'X-KALTURA-SIGNATURE': sig, 'X-KALTURA-HASH-ALGO': 'sha1' } });
  const [n] = kalturaProvider.parse(request, adminOnly);
  assert.equal(n!.verification.status, 'verified');
});

test('Basic auth on a template: verified, wrong, and combined with a signature', () => {
  const basic = (user: string, pass: string) => 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');
  const credentials: VerificationCredentials = { kalturaSecrets: [{ label: 'admin secret', secret: vectors.secret }], basicAuth: [{ label: 'template user', username: 'kaltura', password: 'p@ss' }] };
  const body = vectors.httpNotification[0]!.body;
  const ok = verifyKalturaRequest(capturedRequest({ headers: { Authorization: basic('kaltura', 'p@ss') }, body }), credentials);
  assert.deepEqual([ok.status, ok.method, ok.secretLabel, ok.received], ['verified', 'basic-auth', 'template user', 'kaltura']);
  const wrong = verifyKalturaRequest(capturedRequest({ headers: { Authorization: basic('kaltura', 'nope') }, body }), credentials);
  assert.equal(wrong.status, 'failed');
  assert.doesNotMatch(JSON.stringify(wrong), /nope|p@ss/);
  const both = verifyKalturaRequest(
    capturedRequest({ headers: { 'X-KALTURA-SIGNATURE': vectors.httpNotification[0]!.signature, Authorization: basic('kaltura', 'nope') }, body }),
    credentials,
  );
  assert.equal(both.status, 'verified', 'the signature takes precedence');
  assert.equal(both.method, 'kaltura-signature');
  assert.match(both.reason!, /Basic auth not verified/);
});

// ---- body formats ----------------------------------------------------------------------------------

const entry = {
  id: '0_abcd1234',
  name: 'Test',
  partnerId: 123456,
  status: 2,
  objectType: 'KalturaMediaEntry',
};
const envelope = {
  object: entry,
  eventObjectType: 1,
  eventNotificationJobId: 123456789,
  templateId: 987654,
  templateName: 'Entry Status Changed',
  templateSystemName: 'HTTP_ENTRY_STATUS_CHANGED',
  eventType: 3,
  objectType: 'KalturaHttpNotification',
};

function assertEnvelope(p: KalturaNotificationPayload, format: string) {
  assert.equal(p.bodyFormat, format);
  assert.equal(p.templateId, 987654);
  assert.equal(p.templateName, 'Entry Status Changed');
  assert.equal(p.templateSystemName, 'HTTP_ENTRY_STATUS_CHANGED');
  assert.equal(p.eventType, '3');
  assert.equal(p.eventTypeName, 'OBJECT_CHANGED');
  assert.equal(p.eventObjectType, '1');
  assert.equal(p.eventObjectTypeName, 'ENTRY');
  assert.equal(p.jobId, 123456789);
  assert.equal(p.partnerId, 123456);
  assert.equal(p.objectType, 'KalturaMediaEntry');
  assert.equal(p.objectId, '0_abcd1234');
  assert.equal(p.objectStatusName, 'READY');
  assert.equal(p.object?.['name'], 'Test');
}

test('raw JSON body', () => {
  const r = parseKalturaNotification(Buffer.from(JSON.stringify(envelope)), 'application/json');
  assert.deepEqual(r.problems, []);
  assertEnvelope(r.payload, 'json');
});

test('data= + urlencoded JSON body', () => {
  const body = 'data=' + encodeURIComponent(JSON.stringify(envelope)).replace(/%20/g, '+');
  const r = parseKalturaNotification(Buffer.from(body), 'application/json');
  assert.deepEqual(r.problems, []);
  assertEnvelope(r.payload, 'json-urlencoded');
});

test('data=<notification> XML body (values as strings, entities decoded)', () => {
  const xml =
    'data=<notification><objectType>KalturaHttpNotification</objectType><object><objectType>KalturaMediaEntry</objectType>' +
    '<id>0_abcd1234</id><name>Test</name><partnerId>123456</partnerId><status>2</status><tags><item>a &amp; b</item><item>c</item></tags></object>' +
    '<eventObjectType>1</eventObjectType><eventNotificationJobId>123456789</eventNotificationJobId><templateId>987654</templateId>' +
    '<templateName>Entry Status Changed</templateName><templateSystemName>HTTP_ENTRY_STATUS_CHANGED</templateSystemName><eventType>3</eventType></notification>';
  const r = parseKalturaNotification(Buffer.from(xml), 'application/xml');
  assert.deepEqual(r.problems, []);
  assertEnvelope(r.payload, 'xml');
  assert.deepEqual(r.payload.object?.['tags'], ['a & b', 'c']);
});

test('data= + PHP serialize() body, with multi-byte strings counted in bytes', () => {
  const php = 'data=' + phpSerialize({ ...envelope, object: { ...entry, name: 'Tést ✓' } });
  const r = parseKalturaNotification(Buffer.from(php), 'application/xml');
  assert.deepEqual(r.problems, []);
  assert.equal(r.payload.object?.['name'], 'Tést ✓');
  assertEnvelope({ ...r.payload, object: { ...r.payload.object, name: 'Test' } }, 'php');
});

test('real PHP serialize() output from php-cli parses', { skip: false }, async () => {
  const { spawnSync } = await import('node:child_process');
  const script =
    'class KalturaMediaEntry { public $id = "0_abcd1234"; public $name = "Ünïcode"; public $partnerId = 123456; public $status = 2; protected $hidden = 1.5; public $tags = null; public $flag = true; }' +
    'class KalturaHttpNotification { public $object; public $eventObjectType = "1"; public $eventNotificationJobId = 123456789; public $templateId = 987654; public $templateName = "Entry Status Changed"; public $templateSystemName = "HTTP_ENTRY_STATUS_CHANGED"; public $eventType = "3"; }' +
    '$n = new KalturaHttpNotification(); $n->object = new KalturaMediaEntry(); echo "data=" . serialize($n);';
  const out = spawnSync('php', ['-r', script], { encoding: 'buffer', timeout: 10_000 });
  if (out.error) {
    assert.fail(`php-cli is not runnable here: ${out.error.message}`);
  }
  const r = parseKalturaNotification(out.stdout, 'application/xml');
  assert.deepEqual(r.problems, []);
  assert.equal(r.payload.object?.['objectType'], 'KalturaMediaEntry');
  assert.equal(r.payload.object?.['name'], 'Ünïcode');
  assert.equal(r.payload.object?.['hidden'], 1.5);
  assert.equal(r.payload.object?.['flag'], true);
  assertEnvelope({ ...r.payload, object: { ...r.payload.object, name: 'Test' } }, 'php');
});

test('DataFields form body', () => {
  const r = parseKalturaNotification(Buffer.from('entry_id=0_abcd1234&status=2&partner_id=123456&name=My+Video'), 'application/x-www-form-urlencoded');
  assert.equal(r.payload.bodyFormat, 'fields');
  assert.deepEqual(r.payload.fields, { entry_id: '0_abcd1234', status: '2', partner_id: '123456', name: 'My Video' });
  assert.equal(r.payload.objectId, '0_abcd1234');
  assert.equal(r.payload.partnerId, 123456);
  assert.equal(r.payload.objectStatusName, 'READY');
});

test('DataText and empty bodies', () => {
  const t = parseKalturaNotification(Buffer.from('Entry 0_abcd1234 is ready!'), 'text/plain');
  assert.equal(t.payload.bodyFormat, 'text');
  assert.equal(t.payload.text, 'Entry 0_abcd1234 is ready!');
  const e = parseKalturaNotification(Buffer.alloc(0));
  assert.equal(e.payload.bodyFormat, 'empty');
  assert.deepEqual(e.problems, []);
});

test('summary and type', () => {
  const [n] = kalturaProvider.parse(capturedRequest({ body: JSON.stringify(envelope) }), adminOnly);
  assert.equal(n!.type, 'OBJECT_CHANGED:ENTRY');
  assert.equal(n!.summary, 'Entry Status Changed · 0_abcd1234 READY');
  assert.equal(n!.dedupeKey, 'kaltura:123456:job:123456789');
  const { templateName: _n, templateSystemName: _s, ...anonymous } = envelope;
  const [m] = kalturaProvider.parse(capturedRequest({ body: JSON.stringify(anonymous) }), adminOnly);
  assert.equal(m!.summary, 'Entry: object changed · 0_abcd1234 READY');
  const [f] = kalturaProvider.parse(capturedRequest({ body: 'entry_id=0_x', headers: { 'X-KALTURA-SIGNATURE': 'ab' } }), adminOnly);
  assert.equal(f!.type, 'notification:fields');
  assert.equal(f!.dedupeKey, undefined);
});

test('malformed bodies become problems, never exceptions', () => {
  const cases: Array<[string, RegExp]> = [
    ['{"objectType":"KalturaHttpNotification",', /malformed JSON/],
    ['data=%7B%22a%22%3A', /malformed JSON/],
    ['data=<notification><a>1</b></notification>', /malformed XML: closing tag <\/b> does not match <a>/],
    ['data=<notification><a>&foo;</a></notification>', /unknown entity "&foo;"/],
    ['data=<!DOCTYPE x [<!ENTITY a "b">]><notification/>', /DOCTYPE declarations are refused/],
    ['data=<notification><a>1</a>', /unclosed element <notification>/],
    ['data=O:23:"KalturaHttpNotification":1:{s:2:"id";s:99:"short";}', /malformed PHP serialize\(\) data: string of 99 bytes runs past the end/],
    ['data=a:999999:{}', /malformed PHP serialize\(\) data: declares 999999 elements/],
    ['{"templateId":"abc","objectType":"KalturaHttpNotification"}', /field "templateId" has an unexpected value "abc"/],
    ['["not","an","object"]', /expected a KalturaHttpNotification object/],
  ];
  for (const [body, problem] of cases) {
    const r = parseKalturaNotification(Buffer.from(body));
    assert.match(r.problems.join('\n'), problem, body);
  }
});

test('huge nesting is refused with a reason, not a stack overflow', () => {
  const deepJson = '['.repeat(100_000) + ']'.repeat(100_000);
  assert.match(parseKalturaNotification(Buffer.from(deepJson)).problems.join(), /nested deeper than 64 levels/);
  const deepXml = 'data=' + '<a>'.repeat(10_000) + '</a>'.repeat(10_000);
  assert.match(parseKalturaNotification(Buffer.from(deepXml)).problems.join(), /nested deeper than 64 levels/);
  const deepPhp = 'data=' + 'a:1:{i:0;'.repeat(10_000) + 'N;' + '}'.repeat(10_000);
  assert.match(parseKalturaNotification(Buffer.from(deepPhp)).problems.join(), /nested deeper than 64 levels/);
});

test('invalid UTF-8 is reported, and the signature still covers the raw bytes', () => {
  const body = Buffer.concat([Buffer.from('{"objectType":"KalturaHttpNotification","templateName":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  const request = capturedRequest({ headers: { 'X-KALTURA-SIGNATURE': kalturaSignature(vectors.secret, body, 'sha1') }, body });
  const [n] = kalturaProvider.parse(request, adminOnly);
  assert.match(n!.problems.join(), /not valid UTF-8 \(first bad byte at offset 56\)/);
  assert.equal(n!.verification.status, 'verified');
});

test('a Kaltura batch User-Agent (bare as today, or quoted as before 2021) marks unsigned DataFields bodies as Kaltura', () => {
  assert.equal(KALTURA_BATCH_USER_AGENT.startsWith('Mozilla/5.0 (Windows; U;'), true, 'the real value has no quotes');
  assert.equal(detectKaltura(capturedRequest({ headers: { 'User-Agent': KALTURA_BATCH_USER_AGENT }, body: 'entry_id=1' })), true);
  assert.equal(detectKaltura(capturedRequest({ headers: { 'User-Agent': `"${KALTURA_BATCH_USER_AGENT}"` }, body: 'entry_id=1' })), true);
  assert.equal(detectKaltura(capturedRequest({ headers: { 'User-Agent': 'curl/8' }, body: 'entry_id=1' })), false);
  assert.equal(detectKaltura(capturedRequest({ body: '{"type":"roomdrop","app_id":"x"}' })), false);
});

test('the same job id from two partners (or two sandbox instances) is not a duplicate', () => {
  const body = (partnerId: number) =>
    JSON.stringify({ objectType: 'KalturaHttpNotification', eventNotificationJobId: 100000001, templateId: 1, object: { id: '0_a', partnerId, objectType: 'KalturaMediaEntry' } });
  const keyOf = (partnerId: number) => kalturaProvider.parse(capturedRequest({ headers: { 'Content-Type': 'application/json' }, body: body(partnerId) }), { kalturaSecrets: [], basicAuth: [] })[0]!.dedupeKey;
  assert.equal(keyOf(111111), 'kaltura:111111:job:100000001');
  assert.notEqual(keyOf(111111), keyOf(222222));
});
