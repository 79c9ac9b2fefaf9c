import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEventId, newRequestId } from '../../../src/core/events/eventIds';

test('event and request ids are unique, prefixed and URL-safe', () => {
  const ids = Array.from({ length: 20_000 }, () => newEventId());
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => /^evt_[0-9a-z]{11}[A-Za-z0-9_-]{8}$/.test(id)), ids[0]);
  assert.match(newRequestId(), /^req_/);
});

test('ids from different milliseconds sort by time', async () => {
  const a = newEventId();
  await new Promise((r) => setTimeout(r, 5));
  const b = newEventId();
  assert.ok(a.slice(4, 13) < b.slice(4, 13));
});
