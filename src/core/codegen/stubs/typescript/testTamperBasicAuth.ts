// stub:drop The tamper test of EnableX: wrong Basic credentials.
import { test } from 'node:test'; // stub:drop the test file imports these
import assert from 'node:assert/strict'; // stub:drop
import { body, fixture, send, withServer } from './webhookHandler.test'; // stub:drop

test('rejects wrong Basic credentials', async () => {
  await withServer(async (url) => {
    const headers = { ...fixture.request.headers, authorization: 'Basic ' + Buffer.from('intruder:wrong').toString('base64') };
    const res = await send(url, headers, body);
    assert.equal(res.status, 401);
  });
});
