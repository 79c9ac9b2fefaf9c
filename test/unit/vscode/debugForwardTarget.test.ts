import assert from 'node:assert/strict';
import { test } from 'node:test';
import { debugForwardTarget } from '../../../src/vscode/debugForwardTarget';

test('a launch configuration asks for forwarding with an http(s) URL; anything else is named, not guessed', () => {
  assert.equal(debugForwardTarget(undefined), undefined);
  assert.equal(debugForwardTarget({ type: 'node' }), undefined);
  assert.equal(debugForwardTarget({ kalturaWebhooksForwardTo: '' }), undefined);
  assert.deepEqual(debugForwardTarget({ kalturaWebhooksForwardTo: ' http://localhost:3000/webhooks/kaltura ' }), { url: 'http://localhost:3000/webhooks/kaltura' });
  assert.deepEqual(debugForwardTarget({ kalturaWebhooksForwardTo: 'https://app.test/hook?x=1' }), { url: 'https://app.test/hook?x=1' });
  assert.match((debugForwardTarget({ kalturaWebhooksForwardTo: 3000 }) as { error: string }).error, /must be a URL string, got number/);
  assert.match((debugForwardTarget({ kalturaWebhooksForwardTo: 'localhost:3000' }) as { error: string }).error, /must be http:\/\/ or https:\/\/, got localhost:/);
  assert.match((debugForwardTarget({ kalturaWebhooksForwardTo: 'not a url' }) as { error: string }).error, /is not a URL/);
  assert.match((debugForwardTarget({ kalturaWebhooksForwardTo: 'http://u:p@localhost/h' }) as { error: string }).error, /must not carry credentials/);
});
