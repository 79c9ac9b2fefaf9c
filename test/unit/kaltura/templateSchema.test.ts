// Issue 15, item 16: an edited template with a bad timeout is told the allowed values, not "Invalid input".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpNotificationTemplateSchema } from '../../../src/core/kaltura/schemas';

const base = { id: 10001, name: 'Entry Status Changed', partnerId: 123 };

test('timeout and connectTimeout take whole seconds and say so when they are not', () => {
  for (const bad of ['abc', -5, 1.5, '10s']) {
    for (const field of ['timeout', 'connectTimeout']) {
      const r = httpNotificationTemplateSchema.safeParse({ ...base, [field]: bad });
      assert.equal(r.success, false, `${field} ${JSON.stringify(bad)} is refused`);
      const messages = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      assert.deepEqual(messages, [`${field}: a whole number of seconds, 0 or more (a number, or digits in a string)`]);
    }
  }
  for (const [good, parsed] of [[30, 30], ['45', 45], [0, 0]] as const) {
    const r = httpNotificationTemplateSchema.safeParse({ ...base, timeout: good });
    assert.equal(r.success && r.data.timeout, parsed);
  }
});
