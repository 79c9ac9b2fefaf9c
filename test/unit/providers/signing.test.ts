import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  buildLegacyBody,
  hashAlgoFromHeader,
  kalturaSignature,
  legacySig,
  phpUrlencode,
  secureHashingAlgoToName,
  timingSafeEqualHex,
  timingSafeEqualString,
  type KalturaHashAlgo,
  type LegacyNotificationInput,
} from '../../../src/protocol/signing';
import { vectors } from '../../support/vectors';

test('kalturaSignature reproduces every HTTP-notification vector', () => {
  assert.equal(vectors.httpNotification.length, 7);
  for (const v of vectors.httpNotification) {
    const algo = (v.hashAlgoHeader ?? 'sha1') as KalturaHashAlgo;
    assert.equal(kalturaSignature(vectors.secret, v.body, algo), v.signature, v.name);
    assert.equal(kalturaSignature(vectors.secret, Buffer.from(v.body), algo), v.signature, `${v.name} (Buffer)`);
  }
});

test('kalturaSignature is a plain hash of secret + body, not an HMAC', () => {
  const expected = createHash('sha256').update('s3cretbody').digest('hex');
  assert.equal(kalturaSignature('s3cret', 'body', 'sha256'), expected);
  assert.equal(kalturaSignature('', '', 'sha1'), createHash('sha1').digest('hex'));
});

test('hashAlgoFromHeader: absent → sha1, known names, unknown named in the reason', () => {
  assert.deepEqual(hashAlgoFromHeader(undefined), { ok: true, algo: 'sha1', fromHeader: false });
  assert.deepEqual(hashAlgoFromHeader('sha256'), { ok: true, algo: 'sha256', fromHeader: true });
  assert.deepEqual(hashAlgoFromHeader(' SHA512 '), { ok: true, algo: 'sha512', fromHeader: true });
  const bad = hashAlgoFromHeader('md5');
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? '' : bad.reason, /"md5"/);
});

test('secureHashingAlgoToName follows the engine default branch', () => {
  assert.equal(secureHashingAlgoToName(1), 'sha1');
  assert.equal(secureHashingAlgoToName(2), 'sha256');
  assert.equal(secureHashingAlgoToName('3'), 'sha512');
  assert.equal(secureHashingAlgoToName(4), 'sha1');
  assert.equal(secureHashingAlgoToName(undefined), 'sha1');
});

test('timing-safe compares', () => {
  assert.equal(timingSafeEqualHex('ABCDEF', 'abcdef'), true);
  assert.equal(timingSafeEqualHex('abcdef', 'abcdee'), false);
  assert.equal(timingSafeEqualHex('abc', 'abcdef'), false);
  assert.equal(timingSafeEqualString('pass', 'pass'), true);
  assert.equal(timingSafeEqualString('pass', 'Pass'), false);
  assert.equal(timingSafeEqualString('', 'x'), false);
  assert.equal(timingSafeEqualString('é', 'é'), true);
});

test('phpUrlencode matches PHP urlencode', () => {
  assert.equal(phpUrlencode('My Video'), 'My+Video');
  assert.equal(phpUrlencode('user@example.com'), 'user%40example.com');
  assert.equal(phpUrlencode("a,b~c!*'()"), 'a%2Cb%7Ec%21%2A%27%28%29');
  assert.equal(phpUrlencode('a-b_c.d'), 'a-b_c.d');
});

test('legacySig reproduces the single vector from its params', () => {
  const single = vectors.legacyNotification[0]!;
  const params = [...new URLSearchParams(single.body).entries()];
  assert.equal(legacySig(params, vectors.secret), single.sig);
  assert.equal(legacySig(Object.fromEntries(params), vectors.secret), single.sig);
  assert.notEqual(legacySig(params, 'other'), single.sig);
});

test('buildLegacyBody reproduces both legacy vector bodies byte for byte', () => {
  const single: LegacyNotificationInput = {
    notificationId: 1001,
    notificationType: 'entry_add',
    puserId: 'user@example.com',
    partnerId: 123456,
    objectIdKey: 'entry_id',
    objectId: '0_abcd1234',
    data: [['name', 'My Video'], ['status', 2], ['media_type', 1]],
  };
  assert.equal(buildLegacyBody([single], vectors.secret), vectors.legacyNotification[0]!.body);
  const multi: LegacyNotificationInput[] = [
    { notificationId: 2001, notificationType: 'entry_update', puserId: 'user@example.com', partnerId: 123456, objectIdKey: 'entry_id', objectId: '0_aaaa1111', data: { name: 'A' } },
    { notificationId: 2002, notificationType: 'entry_delete', puserId: 'user@example.com', partnerId: 123456, objectIdKey: 'entry_id', objectId: '0_bbbb2222', data: { name: 'B' } },
  ];
  assert.equal(buildLegacyBody(multi, vectors.secret), vectors.legacyNotification[1]!.body);
});

test('buildLegacyBody trims values and turns null into an empty string', () => {
  const body = buildLegacyBody(
    [{ notificationId: ' 7 ', notificationType: 'entry_add', partnerId: 1, objectIdKey: 'entry_id', objectId: 'x', data: { name: null } }],
    'k',
  );
  assert.match(body, /^notification_id=7&notification_type=entry_add&puser_id=&partner_id=1&entry_id=x&name=&signed_fields=/);
  assert.throws(() => buildLegacyBody([], 'k'), /at least one/);
});
