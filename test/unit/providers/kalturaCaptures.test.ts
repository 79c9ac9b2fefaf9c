// Every request Kaltura's own sender code produced (kaltura-captures.json) verifies and decodes to what the sender
// serialized, through the receiver's one entry into the providers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KalturaNotificationPayload } from '../../../src/core/events/model';
import { classifyRequest } from '../../../src/core/providers';
import { captures, captureToRequest } from '../../support/captures';

/** What a capture's `expect.payload` is compared with: the decoded body in the shape its format has. */
function decodedOf(p: KalturaNotificationPayload): unknown {
  if (p.bodyFormat === 'fields') return p.fields;
  if (p.bodyFormat === 'text' || p.bodyFormat === 'empty') return p.text ?? '';
  return p.decoded;
}

for (const c of captures) {
  test(`Kaltura capture ${c.name}: ${c.expect.verification}, decoded as sent`, () => {
    const notifications = classifyRequest(captureToRequest(c), { kalturaSecrets: [{ label: 'admin secret', secret: c.secret }], basicAuth: [] });
    for (const n of notifications) assert.equal(n.verification.status, c.expect.verification, `${c.name}: ${n.verification.reason ?? ''}`);
    if (c.kind === 'legacy-notification') {
      assert.equal(notifications.length, c.expect.notifications);
      assert.ok(notifications.every((n) => n.source === 'kaltura-legacy'));
      return;
    }
    assert.equal(notifications.length, 1);
    const n = notifications[0]!;
    assert.equal(n.source, 'kaltura', `${c.name} is recognised as a Kaltura notification`);
    assert.deepEqual(n.problems, [], `${c.name}: no problems`);
    if (c.method === 'GET') assert.equal((n.parsed as KalturaNotificationPayload).fields?.['entry_status'], '2', 'a GET notification decodes its query data');
    const decoded = decodedOf(n.parsed as KalturaNotificationPayload);
    if (typeof c.expect.payload === 'string' && typeof decoded !== 'string') {
      // DataText whose text is JSON: shown decoded, and it is exactly the text the sender evaluated.
      assert.deepEqual(decoded, JSON.parse(c.expect.payload), `${c.name}: decoded text`);
    } else if (c.expect.payload !== null && c.expect.payload !== undefined) {
      assert.deepEqual(decoded, c.expect.payload, `${c.name}: decoded payload`);
    }
  });
}
