// Edit and Replay's document, against the requests Kaltura's own sender produced: unedited, every HTTP
// notification re-encodes to the bytes Kaltura sent; edited and re-signed, it still verifies and decodes to the edit;
// "keep" sends the old signature (which now fails), "unsigned" none; credentials never appear in the document.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CapturedRequest, KalturaNotificationPayload } from '../../../src/core/events/model';
import {
  formatRequestDocument,
  KEPT_CREDENTIAL,
  parseRequestDocument,
  requestDocumentFor,
  requestFromDocument,
  type RequestDocument,
} from '../../../src/core/forward/requestDocument';
import { classifyRequest } from '../../../src/core/providers';
import { decodeKalturaBody } from '../../../src/protocol/kalturaBody';
import { buildSampleRequest, sampleToCapturedRequest } from '../../../src/core/providers/samples';
import { captures, captureToRequest } from '../../support/captures';

function reparse(doc: RequestDocument): RequestDocument {
  const parsed = parseRequestDocument(formatRequestDocument(doc));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join('; '));
  return parsed.document;
}

function asCaptured(r: ReturnType<typeof requestFromDocument>): CapturedRequest {
  return { ...r, requestId: 'edited', receivedAt: new Date(0).toISOString(), httpVersion: '1.1', bodySize: r.body.length, bodyTruncated: false };
}

const httpCaptures = captures.filter((c) => c.kind === 'http-notification' && c.expect.verification === 'verified');

test('unedited, every verified Kaltura capture is rebuilt to the bytes Kaltura sent (JSON, form) or the same notification (XML, PHP), and verifies re-signed', () => {
  assert.ok(httpCaptures.length >= 10, `captures to check: ${httpCaptures.length}`);
  for (const c of httpCaptures) {
    const original = captureToRequest(c);
    const doc = reparse(requestDocumentFor(original, { sendTo: 'receiver', replayOf: 'evt-1' }));
    const kept = requestFromDocument({ ...doc, signature: 'keep' }, { original });
    if (doc.bodyFormat === 'xml' || doc.bodyFormat === 'php') {
      // Decoded, XML items re-encode with objectType first (Kaltura writes itemKey first) and PHP objects as arrays
      // (the class names are not in the decoded value). The notification is the same.
      assert.deepEqual(decodeKalturaBody(kept.body).value, decodeKalturaBody(original.body).value, `${c.name} (${doc.bodyFormat}) decodes the same`);
    } else if (doc.bodyFormat !== 'text') {
      assert.equal(kept.body.toString('utf8'), original.body.toString('utf8'), `${c.name} (${doc.bodyFormat}) re-encodes as Kaltura did`);
    }
    const resigned = requestFromDocument(doc, { secret: c.secret, original });
    const [n] = classifyRequest(asCaptured(resigned), { kalturaSecrets: [{ label: 'admin secret', secret: c.secret }], basicAuth: [] });
    assert.equal(n!.verification.status, 'verified', `${c.name}: ${n!.verification.reason ?? ''}`);
    assert.equal(resigned.headers['x-kwh-edited'], '1', 'a copy for the receiver is marked edited');
  }
});

test('an edited body is re-encoded in its format and re-signed; "keep" fails verification, "unsigned" has no signature', () => {
  const formats = new Set<string>();
  for (const c of httpCaptures) {
    const original = captureToRequest(c);
    const doc = reparse(requestDocumentFor(original, { sendTo: 'app' }));
    if (doc.bodyFormat === 'fields') (doc.body as Record<string, unknown>)['edited_field'] = 'edited value';
    else if (doc.bodyFormat === 'json' || doc.bodyFormat === 'json-urlencoded' || doc.bodyFormat === 'xml' || doc.bodyFormat === 'php') {
      const body = doc.body as Record<string, unknown>;
      if (Array.isArray(body) || typeof body !== 'object') continue;
      body['editedField'] = 'edited "value" & <more>';
    } else continue;
    formats.add(doc.bodyFormat);
    const credentials = { kalturaSecrets: [{ label: 'admin secret', secret: c.secret }], basicAuth: [] };
    const resigned = asCaptured(requestFromDocument(doc, { secret: c.secret, original }));
    assert.notEqual(resigned.body.toString('utf8'), original.body.toString('utf8'));
    const [n] = classifyRequest(resigned, credentials);
    assert.equal(n!.verification.status, 'verified', `${c.name} edited`);
    const p = n!.parsed as KalturaNotificationPayload;
    const decoded = (p.bodyFormat === 'fields' ? p.fields : p.decoded) as Record<string, unknown>;
    assert.equal(p.bodyFormat, doc.bodyFormat, `${c.name} keeps its format`);
    if (doc.bodyFormat === 'fields') assert.equal(decoded['edited_field'], 'edited value');
    else assert.equal(decoded['editedField'], 'edited "value" & <more>', `${c.name}: the edit is in the decoded body`);
    assert.equal(resigned.headers['x-kwh-edited'], undefined, 'a request for the app carries no workbench marks');

    const [keptSig] = classifyRequest(asCaptured(requestFromDocument({ ...doc, signature: 'keep' }, { original })), credentials);
    assert.equal(keptSig!.verification.status, 'failed', `${c.name}: the original signature does not match the edited body`);
    const unsigned = requestFromDocument({ ...doc, signature: 'unsigned' }, { original });
    assert.equal(unsigned.headers['x-kaltura-signature'], undefined);
    // With Basic auth on the request and none configured, the classifier fails it for that reason instead.
    if (original.headers['authorization'] === undefined) assert.equal(classifyRequest(asCaptured(unsigned), credentials)[0]!.verification.status, 'unsigned', c.name);
  }
  assert.ok(formats.has('json') && formats.size >= 3, `edited formats: ${[...formats].join(', ')}`);
});

test('credentials are not in the document; sending restores them from the original, or names what is missing', () => {
  const sample = sampleToCapturedRequest(buildSampleRequest('enablex', { type: 'recording', basicAuth: { username: 'user', password: 'pass-word-1' } }), 'r1');
  const doc = requestDocumentFor(sample, { sendTo: 'receiver' });
  const text = formatRequestDocument(doc);
  assert.ok(!text.includes(sample.headers['authorization']!.slice(6)), 'the Basic credentials are not in the document');
  assert.ok(text.includes(KEPT_CREDENTIAL));
  assert.equal(requestFromDocument(doc, { original: sample }).headers['authorization'], sample.headers['authorization']);
  assert.throws(() => requestFromDocument(doc, { original: { headers: {} } }), /headers\.Authorization: the original value is no longer in memory/);
});

test('a document with mistakes names each one', () => {
  const bad = parseRequestDocument(JSON.stringify({ method: 'post', path: 'x', headers: { 'Bad Name': 'v', Ok: 'a\nb' }, bodyFormat: 'json', body: {}, signature: 'maybe', sendTo: 'receiver' }));
  assert.ok(!bad.ok);
  const text = bad.problems.join('\n');
  for (const m of [/^method: an HTTP method/m, /^path: starts with/m, /^headers\.Bad Name/m, /^headers\.Ok: one line/m, /^signature:/m]) assert.match(text, m);
  const wrongBody = parseRequestDocument(JSON.stringify({ method: 'POST', path: '/', headers: {}, bodyFormat: 'json', body: 'text', signature: 'unsigned', sendTo: 'app' }));
  assert.deepEqual(wrongBody.ok ? [] : wrongBody.problems, ['body: a json body is an object or an array (the decoded notification)']);
  assert.deepEqual((parseRequestDocument('{') as { problems: string[] }).problems.length, 1);
  const noSecret = requestDocumentFor(captureToRequest(httpCaptures[0]!), { sendTo: 'app' });
  assert.throws(() => requestFromDocument(noSecret, {}), /"resign" needs a Kaltura secret/);
  const badAlgo = { ...noSecret, headers: { ...noSecret.headers, 'X-KALTURA-HASH-ALGO': 'md5' } };
  assert.throws(() => requestFromDocument(badAlgo, { secret: 's' }), /"md5" is not sha1, sha256 or sha512/);
});
