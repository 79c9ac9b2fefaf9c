// stub:drop The tamper test of a signed source (Kaltura, legacy): one more byte fails the signature.
import { test } from 'node:test'; // stub:drop the test file imports these
import assert from 'node:assert/strict'; // stub:drop
import { authHeaders, body, send, withServer } from './webhookHandler.test'; // stub:drop

test('rejects a tampered body', async () => {
  await withServer(async (url) => {
    const tampered = Buffer.concat([body, Buffer.from('HOLE_TAMPER_SUFFIX', 'utf8')]);
    const res = await send(url, authHeaders(), tampered);
    assert.equal(res.status, 401);
  });
});
