import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vectors } from '../../support/vectors';
import {
  appTokenHash,
  decodeKs,
  generateKsV1,
  generateKsV2,
  isKsError,
  isKsExpired,
  ksV2FieldsString,
  type DecodedKs,
  type KsError,
} from '../../../src/core/kaltura/ks';

const secret = vectors.secret;
const secretFor = (partnerId: number) => (partnerId === 123456 ? secret : undefined);

function expectDecoded(result: DecodedKs | KsError): DecodedKs {
  if (isKsError(result)) assert.fail(`expected a valid KS, got ${result.reason}: ${result.message}`);
  return result;
}

function expectError(result: DecodedKs | KsError, reason: KsError['reason']): KsError {
  assert.equal(result.ok, false, 'expected the KS to be rejected');
  assert.equal((result as KsError).reason, reason, (result as KsError).message);
  return result as KsError;
}

test('KS v1 reproduces the vector', () => {
  const v = vectors.ksV1;
  assert.equal(generateKsV1({ secret, ...v }), v.ks);
});

test('KS v2 reproduces the vector byte for byte with the fixed random bytes', () => {
  const v = vectors.ksV2;
  assert.equal(ksV2FieldsString(v), v.fieldsString);
  assert.equal(generateKsV2({ secret, ...v, randomBytes: Buffer.from(v.randomHex, 'hex') }), v.ks);
});

test('KS v2 with random bytes differs each time but decodes the same', () => {
  const v = vectors.ksV2;
  const a = generateKsV2({ secret, ...v });
  const b = generateKsV2({ secret, ...v });
  assert.notEqual(a, b);
  assert.deepEqual(expectDecoded(decodeKs(a, secretFor)), expectDecoded(decodeKs(b, secretFor)));
});

test('app token hash reproduces md5, sha1 and sha256 vectors', () => {
  const v = vectors.appTokenHash;
  assert.equal(appTokenHash(v.ks, v.token, 'MD5'), v.md5);
  assert.equal(appTokenHash(v.ks, v.token, 'SHA1'), v.sha1);
  assert.equal(appTokenHash(v.ks, v.token, 'SHA256'), v.sha256);
  assert.match(appTokenHash(v.ks, v.token, 'SHA512'), /^[0-9a-f]{128}$/);
  assert.throws(() => appTokenHash(v.ks, v.token, 'SHA384' as never), /SHA384/);
});

test('decodes the v1 vector', () => {
  const v = vectors.ksV1;
  const d = expectDecoded(decodeKs(v.ks, secretFor));
  assert.deepEqual(
    { version: d.version, partnerId: d.partnerId, expiry: d.expiry, type: d.type, userId: d.userId, privileges: d.privileges },
    { version: 1, partnerId: v.partnerId, expiry: v.expiryAbs, type: v.type, userId: v.userId, privileges: v.privileges },
  );
});

test('decodes the v2 vector', () => {
  const v = vectors.ksV2;
  const d = expectDecoded(decodeKs(v.ks, secretFor));
  assert.deepEqual(
    { version: d.version, partnerId: d.partnerId, expiry: d.expiry, type: d.type, userId: d.userId, privileges: d.privileges },
    { version: 2, partnerId: v.partnerId, expiry: v.expiryAbs, type: v.type, userId: v.userId, privileges: v.privileges },
  );
  assert.deepEqual(d.privilegeMap, { disableentitlement: '', sview: '0_abcd1234' });
});

test('round-trips awkward user ids and privileges in both versions', () => {
  const cases = [
    { userId: '', privileges: '' },
    { userId: 'a b+c&d=e/f~g*h(i)!\'é', privileges: 'sview:0_a b,edit:*' },
    { userId: 'user@example.com', privileges: '*' },
  ];
  for (const c of cases) {
    const base = { secret, partnerId: 42, expiryAbs: 2_000_000_000, type: 0, ...c };
    const dec = (ks: string) => expectDecoded(decodeKs(ks, (p) => (p === 42 ? secret : undefined)));
    const d1 = dec(generateKsV1({ ...base, rand: 7 }));
    assert.equal(d1.userId, c.userId);
    assert.equal(d1.privileges, c.privileges);
    const d2 = dec(generateKsV2(base));
    assert.equal(d2.userId, c.userId);
    assert.equal(d2.partnerId, 42);
    assert.equal(d2.type, 0);
    assert.equal(d2.expiry, 2_000_000_000);
    if (c.privileges === '*') assert.equal(d2.privileges, 'all:*');
    else if (c.privileges) assert.equal(d2.privileges, c.privileges);
  }
});

test('rejects a tampered v1 KS', () => {
  const raw = Buffer.from(vectors.ksV1.ks, 'base64').toString('utf8').replace(';2;', ';0;');
  expectError(decodeKs(Buffer.from(raw).toString('base64'), secretFor), 'invalid_signature');
});

test('rejects a tampered v2 KS (flipped ciphertext byte)', () => {
  const raw = Buffer.from(vectors.ksV2.ks, 'base64url');
  raw[raw.length - 20]! ^= 0x01;
  expectError(decodeKs(raw.toString('base64url'), secretFor), 'invalid_signature');
});

test('rejects a KS signed with another secret and a KS of an unknown partner', () => {
  const v = vectors.ksV2;
  const forged = generateKsV2({ ...v, secret: 'not-the-secret' });
  expectError(decodeKs(forged, secretFor), 'invalid_signature');
  const e = expectError(decodeKs(generateKsV2({ ...v, secret, partnerId: 99 }), secretFor), 'unknown_partner');
  assert.equal(e.partnerId, 99);
  expectError(decodeKs(generateKsV1({ ...vectors.ksV1, secret: 'nope' }), secretFor), 'invalid_signature');
});

test('accepts any of several secrets for a partner', () => {
  const ks = generateKsV2({ ...vectors.ksV2, secret: 'second' });
  expectDecoded(decodeKs(ks, () => [secret, 'second']));
});

test('rejects malformed input without throwing', () => {
  for (const bad of ['', '   ', '%%%%', 'aGVsbG8=', Buffer.from('v2|abc|xxxx').toString('base64'), Buffer.from('v2|1|short').toString('base64')]) {
    const r = decodeKs(bad, secretFor);
    assert.equal(r.ok, false, `"${bad}" should be rejected`);
  }
  // Truncated v2: drop a block.
  const trimmed = Buffer.from(vectors.ksV2.ks, 'base64url');
  expectError(decodeKs(trimmed.subarray(0, trimmed.length - 5).toString('base64url'), secretFor), 'malformed');
});

test('expiry is reported, and isKsExpired compares it with a clock', () => {
  const d = expectDecoded(decodeKs(vectors.ksV2.ks, secretFor));
  assert.equal(isKsExpired(d, 1700086399), false);
  assert.equal(isKsExpired(d, 1700086400), true);
  assert.equal(isKsExpired(d), true);
});
