import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KalturaApiError } from '../../../src/sandbox/apiErrors';
import { TEMPLATE_STATUS, TemplateRegistry } from '../../../src/sandbox/templateRegistry';

const P = 123456;
const HTTP = 'KalturaHttpNotificationTemplate';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof KalturaApiError, String(err));
    return err.code;
  }
  assert.fail('expected a KalturaApiError');
}

function systemId(reg: TemplateRegistry, systemName: string): number {
  return [...reg.templates.values()].find((t) => t.partnerId === 0 && t.props.systemName === systemName)!.id;
}

test('system templates are partner 0, ACTIVE, HTTP, data null, manual dispatch enabled', () => {
  const reg = new TemplateRegistry();
  const list = reg.list([0], { typeEqual: 'httpNotification.Http' }, { pageSize: 500 });
  const names = list.objects.map((o) => o.systemName);
  for (const n of ['HTTP_ENTRY_STATUS_CHANGED', 'HTTP_ENTRY_ADDED', 'HTTP_ENTRY_DELETED', 'HTTP_METADATA_FIELD_CHANGED', 'HTTP_ENTRY_ADDED_TO_CATEGORY', 'HTTP_FLAVOR_ASSET_STATUS_CHANGED', 'HTTP_ENTRY_VENDOR_TASK_DONE']) {
    assert.ok(names.includes(n), n);
  }
  for (const o of list.objects) {
    assert.equal(o.partnerId, 0);
    assert.equal(o.status, 2);
    assert.equal(o.objectType, HTTP);
    assert.equal(o.data, undefined);
    assert.equal(o.manualDispatchEnabled, true);
  }
  const metadata = list.objects.find((o) => o.systemName === 'HTTP_METADATA_FIELD_CHANGED')!;
  assert.equal(metadata.eventObjectType, 'metadataEventNotifications.Metadata');
  assert.equal(list.objects.find((o) => o.systemName === 'HTTP_ENTRY_ADDED_TO_CATEGORY')!.eventObjectType, '37');
  const keys = Object.keys(list.objects[0]!);
  assert.equal(keys[0], 'id');
  assert.equal(keys.at(-1), 'objectType');
});

test('clone keeps the source status, applies overrides and refuses a duplicate systemName', () => {
  const reg = new TemplateRegistry();
  const src = systemId(reg, 'HTTP_ENTRY_STATUS_CHANGED');
  const first = reg.clone(P, src, { objectType: HTTP, url: 'http://x/hook' });
  assert.equal(first.status, TEMPLATE_STATUS.ACTIVE);
  assert.equal(first.partnerId, P);
  assert.equal(first.props.url, 'http://x/hook');
  assert.equal(first.props.systemName, 'HTTP_ENTRY_STATUS_CHANGED');
  assert.equal(code(() => reg.clone(P, src)), 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME');
  const second = reg.clone(P, src, { objectType: HTTP, systemName: 'SECOND' });
  assert.equal(second.props.systemName, 'SECOND');
  assert.equal(code(() => reg.clone(P, src, { objectType: 'KalturaEmailNotificationTemplate' })), 'EVENT_NOTIFICATION_WRONG_TYPE');
  assert.equal(code(() => reg.clone(P, src, { objectType: HTTP, systemName: 'X', status: 1 })), 'PROPERTY_VALIDATION_NOT_UPDATABLE');
  assert.equal(code(() => reg.clone(P, 999999)), 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND');
});

test('update refuses readonly and insert-only members, naming the property', () => {
  const reg = new TemplateRegistry();
  const t = reg.clone(P, systemId(reg, 'HTTP_ENTRY_ADDED'));
  for (const field of ['id', 'partnerId', 'type', 'status', 'createdAt', 'updatedAt']) {
    try {
      reg.update(P, t.id, { objectType: HTTP, [field]: field === 'type' ? 'httpNotification.Http' : 1 });
      assert.fail(`update with ${field} should fail`);
    } catch (err) {
      assert.ok(err instanceof KalturaApiError);
      assert.equal(err.code, 'PROPERTY_VALIDATION_NOT_UPDATABLE');
      assert.equal(err.args.PROP_NAME, `${HTTP}::${field}`);
    }
  }
  const updated = reg.update(P, t.id, { objectType: HTTP, url: 'http://y', method: '1', secureHashingAlgo: '2', signSecret: 'ignored' });
  assert.deepEqual([updated.props.url, updated.props.method, updated.props.secureHashingAlgo], ['http://y', 1, 2]);
  assert.equal((updated.props as Record<string, unknown>).signSecret, undefined);
  assert.equal(code(() => reg.update(P, t.id, { objectType: HTTP, method: 9 })), 'PROPERTY_VALIDATION_WRONG_FORMAT');
  assert.equal(code(() => reg.update(P, t.id, { objectType: HTTP, connectTimeout: 0 })), 'PROPERTY_VALIDATION_MIN_VALUE');
  assert.equal(code(() => reg.update(P, systemId(reg, 'HTTP_ENTRY_ADDED'), { objectType: HTTP, url: 'x' })), 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND');
});

test('updateStatus ACTIVE re-checks systemName uniqueness; delete is soft', () => {
  const reg = new TemplateRegistry();
  const src = systemId(reg, 'HTTP_ENTRY_DELETED');
  const a = reg.clone(P, src);
  reg.updateStatus(P, a.id, TEMPLATE_STATUS.DISABLED);
  const b = reg.clone(P, src, { objectType: HTTP, systemName: 'B' });
  reg.update(P, b.id, { objectType: HTTP, systemName: 'OTHER' });
  reg.updateStatus(P, b.id, TEMPLATE_STATUS.DISABLED);
  // Renaming b back is refused while a holds the name; deleting a frees it.
  assert.equal(code(() => reg.update(P, b.id, { objectType: HTTP, systemName: 'HTTP_ENTRY_DELETED' })), 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME');
  reg.delete(P, a.id);
  assert.equal(reg.templates.get(a.id)!.status, TEMPLATE_STATUS.DELETED);
  assert.equal(code(() => reg.getVisible(P, a.id)), 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND');
  reg.update(P, b.id, { objectType: HTTP, systemName: 'HTTP_ENTRY_DELETED' });
  assert.equal(reg.updateStatus(P, b.id, TEMPLATE_STATUS.ACTIVE).status, TEMPLATE_STATUS.ACTIVE);
  assert.equal(code(() => reg.updateStatus(P, b.id, 7)), 'INVALID_PARAMETER_VALUE');
});

test('list: own partner only, deleted excluded, filters, order and paging', () => {
  const reg = new TemplateRegistry();
  const src = systemId(reg, 'HTTP_ENTRY_CHANGED');
  const ids = [1, 2, 3, 4, 5].map((i) => reg.clone(P, src, { objectType: HTTP, systemName: `T${i}` }).id);
  reg.clone(777, src);
  reg.updateStatus(P, ids[1]!, TEMPLATE_STATUS.DISABLED);
  reg.delete(P, ids[4]!);
  assert.equal(reg.list([P], {}, {}).totalCount, 4);
  assert.deepEqual(reg.list([P], { statusEqual: 1 }, {}).objects.map((o) => o.id), [ids[1]]);
  assert.deepEqual(reg.list([P], { statusIn: '3' }, {}).objects.map((o) => o.id), [ids[4]]);
  assert.deepEqual(reg.list([P], { systemNameIn: 'T1,T3' }, {}).objects.map((o) => o.id), [ids[0], ids[2]]);
  assert.deepEqual(reg.list([P], { idIn: `${ids[0]},${ids[3]}`, orderBy: '-id' }, {}).objects.map((o) => o.id), [ids[3], ids[0]]);
  const page2 = reg.list([P], { orderBy: '+id' }, { pageSize: 3, pageIndex: 2 });
  assert.equal(page2.totalCount, 4);
  assert.deepEqual(page2.objects.map((o) => o.id), [ids[3]]);
  assert.equal(reg.list([P], {}, { pageSize: 0 }).objects.length, 4);
  assert.equal(code(() => reg.list([P], { orderBy: '+name' }, {})), 'INVALID_PARAMETER_VALUE');
  assert.equal(reg.list([0], { typeEqual: 'emailNotification.Email' }, {}).objects[0]!.objectType, 'KalturaEmailNotificationTemplate');
});
