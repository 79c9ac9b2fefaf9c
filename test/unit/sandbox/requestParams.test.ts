import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asArray, parseRequestParams, resolveReferences, splitMultiRequest, unflattenParams } from '../../../src/sandbox/requestParams';

test('form keys with [b][c] and a:b:c flattening build nested objects; __null clears', () => {
  const tree = unflattenParams([
    ['eventNotificationTemplate[objectType]', 'KalturaHttpNotificationTemplate'],
    ['eventNotificationTemplate[customHeaders][0][key]', 'X-A'],
    ['eventNotificationTemplate[customHeaders][0][value]', '{entry_id}'],
    ['eventNotificationTemplate[description__null]', ''],
    ['1:filter:idEqual', '5'],
    ['list[]', 'a'],
    ['list[]', 'b'],
  ]);
  assert.deepEqual(tree, {
    eventNotificationTemplate: {
      objectType: 'KalturaHttpNotificationTemplate',
      customHeaders: { 0: { key: 'X-A', value: '{entry_id}' } },
      description: null,
    },
    1: { filter: { idEqual: '5' } },
    list: { 0: 'a', 1: 'b' },
  });
  assert.deepEqual(asArray((tree.eventNotificationTemplate as Record<string, unknown>).customHeaders), [{ key: 'X-A', value: '{entry_id}' }]);
  assert.equal(asArray({ a: 1 }), undefined);
});

test('JSON and form bodies both parse; query params are merged; bad JSON is a clear error', () => {
  const q = new URLSearchParams('format=1');
  assert.deepEqual(parseRequestParams('application/json', Buffer.from('{"ks":"x","id":3}'), q), { format: '1', ks: 'x', id: 3 });
  assert.deepEqual(parseRequestParams('application/x-www-form-urlencoded', Buffer.from('ks=x&pager[pageSize]=2'), q), {
    format: '1', ks: 'x', pager: { pageSize: '2' },
  });
  assert.throws(() => parseRequestParams('application/json', Buffer.from('{"ks":'), q), /not valid JSON/);
});

test('multirequest splits by index (0- or 1-based), inherits common params, and resolves {N:result:path}', () => {
  const subs = splitMultiRequest({
    ks: 'top',
    format: 1,
    0: { service: 'a', action: 'x', id: 1 },
    1: { service: 'b', action: 'y', ks: 'own', id: '{1:result:objects:0:id}', note: 'id={1:result:objects:0:id}!' },
  });
  assert.deepEqual(subs.map((s) => [s.service, s.action, s.params.ks]), [['a', 'x', 'top'], ['b', 'y', 'own']]);
  const results = [{ objects: [{ id: 42 }] }];
  const resolved = resolveReferences(subs[1]!.params, results) as Record<string, unknown>;
  assert.equal(resolved.id, 42);
  assert.equal(resolved.note, 'id=42!');
  assert.equal(resolveReferences('{3:result:id}', results), '{3:result:id}');
});
