// The sandbox's template store against the rules of kaltura/server (kaltura-protocol.md §4 and §4.2): what a partner
// admin KS may set, which templates it sees, the ACTIVE-only systemName check, update and enum rules, list order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SandboxApiException } from '../../../src/sandbox/apiErrors';
import { TEMPLATE_STATUS, TemplateTable, type Caller } from '../../../src/sandbox/templateTable';

const P = 123456;
const HTTP = 'KalturaHttpNotificationTemplate';

/** A partner admin KS; `adminConsole` is partner -2 acting for P. */
function caller(adminConsole = false, partnerId = P): Caller {
  return { partnerId, adminConsole, notices: [] };
}
const partner = caller();

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SandboxApiException, String(err));
    return err.code;
  }
  assert.fail('expected a SandboxApiException');
}

function systemId(reg: TemplateTable, systemName: string): number {
  return [...reg.templates.values()].find((t) => t.partnerId === 0 && t.props.systemName === systemName)!.id;
}

test('system templates are partner 0, DISABLED, HTTP, data null, without manual dispatch', () => {
  const reg = new TemplateTable();
  const list = reg.list([0], { typeEqual: 'httpNotification.Http' }, { pageSize: 500 });
  const names = list.objects.map((o) => o.systemName);
  for (const n of ['HTTP_ENTRY_STATUS_CHANGED', 'HTTP_ENTRY_ADDED', 'HTTP_ENTRY_DELETED', 'HTTP_METADATA_FIELD_CHANGED', 'HTTP_ENTRY_ADDED_TO_CATEGORY', 'HTTP_FLAVOR_ASSET_STATUS_CHANGED', 'HTTP_ENTRY_VENDOR_TASK_DONE']) {
    assert.ok(names.includes(n), n);
  }
  for (const o of list.objects) {
    assert.equal(o.partnerId, 0);
    assert.equal(o.status, TEMPLATE_STATUS.DISABLED);
    assert.equal(o.objectType, HTTP);
    assert.equal(o.data, undefined);
    assert.notEqual(o.manualDispatchEnabled, true, `${String(o.systemName)} cannot be dispatched by hand`);
    assert.equal(o.secureHashingAlgo, 1, 'never set reads back as SHA1');
  }
  const metadata = list.objects.find((o) => o.systemName === 'HTTP_METADATA_FIELD_CHANGED')!;
  assert.equal(metadata.eventObjectType, 'metadataEventNotifications.Metadata');
  assert.equal(list.objects.find((o) => o.systemName === 'HTTP_ENTRY_ADDED_TO_CATEGORY')!.eventObjectType, '37');
  const keys = Object.keys(list.objects[0]!);
  assert.equal(keys[0], 'id');
  assert.equal(keys.at(-1), 'objectType');
});

test('a partner clone keeps the source status; the members only the Admin Console may set are dropped and named', () => {
  const reg = new TemplateTable();
  const src = systemId(reg, 'HTTP_ENTRY_STATUS_CHANGED');
  const who = caller();
  const clone = reg.clone(who, src, {
    objectType: HTTP,
    url: 'http://x/hook',
    manualDispatchEnabled: true,
    eventType: '2',
    eventConditions: [],
    userParameters: [{ objectType: 'KalturaEventNotificationParameter', key: 'k', value: { objectType: 'KalturaEvalStringField', code: 'phpinfo()' } }],
  });
  assert.equal(clone.status, TEMPLATE_STATUS.DISABLED);
  assert.equal(clone.partnerId, P);
  assert.equal(clone.props.url, 'http://x/hook');
  assert.equal(clone.props.manualDispatchEnabled, undefined, 'manual dispatch was not applied');
  assert.equal(clone.props.eventType, '3', 'the event type stays the source one');
  assert.equal((clone.props.eventConditions as unknown[]).length, 1, 'the conditions stay the source ones');
  const userValue = (clone.props.userParameters as Array<{ value: Record<string, unknown> }>)[0]!.value;
  assert.equal(userValue.code, undefined, 'eval code is not applied');
  assert.deepEqual(who.notices.map(([name]) => name), [
    'KalturaEventNotificationTemplate-manualDispatchEnabled-error',
    'KalturaEventNotificationTemplate-eventType-error',
    'KalturaEventNotificationTemplate-eventConditions-error',
    'KalturaEvalStringField-code-error',
  ]);
  assert.equal(who.notices[0]![1], `Current user does not have permission to update property "${HTTP}::manualDispatchEnabled"`);

  const console = caller(true);
  const privileged = reg.clone(console, src, { objectType: HTTP, systemName: 'BY_CONSOLE', manualDispatchEnabled: true, eventType: '2' });
  assert.deepEqual([privileged.props.manualDispatchEnabled, privileged.props.eventType], [true, '2']);
  assert.deepEqual(console.notices, []);
});

test('systemName: only ACTIVE templates of the partner count, and activating an ACTIVE one fails', () => {
  const reg = new TemplateTable();
  const src = systemId(reg, 'HTTP_ENTRY_DELETED');
  const first = reg.clone(partner, src);
  const second = reg.clone(partner, src);
  assert.equal(first.props.systemName, second.props.systemName, 'a second DISABLED clone with the same name is allowed');
  reg.updateStatus(partner, first.id, TEMPLATE_STATUS.ACTIVE);
  assert.equal(code(() => reg.clone(partner, src)), 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME');
  assert.equal(code(() => reg.updateStatus(partner, second.id, TEMPLATE_STATUS.ACTIVE)), 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME');
  assert.equal(code(() => reg.updateStatus(partner, first.id, TEMPLATE_STATUS.ACTIVE)), 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME', 'the check does not exclude the template itself');
  assert.equal(reg.clone(caller(false, 777), src).partnerId, 777, 'another partner is not counted');
  reg.delete(P, first.id);
  assert.equal(reg.updateStatus(partner, second.id, TEMPLATE_STATUS.ACTIVE).status, TEMPLATE_STATUS.ACTIVE);
  assert.equal(code(() => reg.updateStatus(partner, second.id, 5)), 'INVALID_ENUM_VALUE');
});

test('update skips unchanged readonly members and type, refuses changed ones, checks name length and enums', () => {
  const reg = new TemplateTable();
  const t = reg.clone(partner, systemId(reg, 'HTTP_ENTRY_ADDED'), { objectType: HTTP, systemName: 'MINE' });
  // Echoing back what get returned is fine.
  const echoed = reg.update(partner, t.id, { ...reg.toApiObject(t), url: 'http://y' });
  assert.equal(echoed.props.url, 'http://y');
  assert.equal(reg.update(partner, t.id, { objectType: HTTP, type: 'emailNotification.Email' }).type, 'httpNotification.Http', 'type is skipped');
  for (const field of ['id', 'partnerId', 'status', 'createdAt', 'updatedAt']) {
    try {
      reg.update(partner, t.id, { objectType: HTTP, [field]: 99 });
      assert.fail(`update with a changed ${field} should fail`);
    } catch (err) {
      assert.ok(err instanceof SandboxApiException);
      assert.equal(err.code, 'PROPERTY_VALIDATION_NOT_UPDATABLE');
      assert.equal(err.args.PROP_NAME, `${HTTP}::${field}`);
    }
  }
  const updated = reg.update(partner, t.id, { objectType: HTTP, url: 'http://z', method: '1', secureHashingAlgo: '2', signSecret: 'ignored' });
  assert.deepEqual([updated.props.url, updated.props.method, updated.props.secureHashingAlgo], ['http://z', 1, 2]);
  assert.equal((updated.props as Record<string, unknown>).signSecret, undefined);
  assert.equal(code(() => reg.update(partner, t.id, { objectType: HTTP, name: 'ab' })), 'PROPERTY_VALIDATION_MIN_LENGTH');
  assert.equal(code(() => reg.update(partner, t.id, { objectType: HTTP, secureHashingAlgo: 99 })), 'INVALID_ENUM_VALUE');
  assert.equal(code(() => reg.update(partner, t.id, { objectType: HTTP, method: 9 })), 'INVALID_ENUM_VALUE');
  assert.equal(code(() => reg.update(partner, t.id, { objectType: HTTP, connectTimeout: 0 })), 'PROPERTY_VALIDATION_MIN_VALUE');
  const who = caller();
  reg.update(who, t.id, { objectType: HTTP, manualDispatchEnabled: true, automaticDispatchEnabled: true });
  assert.equal(reg.templates.get(t.id)!.props.manualDispatchEnabled, undefined);
  assert.deepEqual(who.notices.map(([name]) => name), ['KalturaEventNotificationTemplate-manualDispatchEnabled-error'], 'an unchanged member is skipped before the permission check');
});

test('get, update and dispatch see only the partner\'s own templates; add is the Admin Console\'s', () => {
  const reg = new TemplateTable();
  const system = systemId(reg, 'HTTP_ENTRY_ADDED');
  assert.equal(code(() => reg.getOwn(P, system)), 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND');
  assert.equal(code(() => reg.update(partner, system, { objectType: HTTP, url: 'x' })), 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND');
  const input = { objectType: HTTP, name: 'Added', systemName: 'ADDED', eventType: '2', eventObjectType: '1', manualDispatchEnabled: true };
  assert.equal(code(() => reg.add(partner, input)), 'SERVICE_FORBIDDEN');
  const added = reg.add(caller(true), input);
  assert.deepEqual([added.partnerId, added.status, added.props.manualDispatchEnabled], [P, TEMPLATE_STATUS.ACTIVE, true]);
  assert.equal(code(() => reg.add(caller(true), { ...input, systemName: 'OTHER', name: 'ab' })), 'PROPERTY_VALIDATION_MIN_LENGTH');
});

test('list: own partner only, newest id first, deleted never listed, filters and paging', () => {
  const reg = new TemplateTable();
  const src = systemId(reg, 'HTTP_ENTRY_CHANGED');
  const ids = [1, 2, 3, 4, 5].map((i) => reg.clone(partner, src, { objectType: HTTP, systemName: `T_${i}` }).id);
  reg.clone(caller(false, 777), src);
  for (const id of ids) reg.updateStatus(partner, id, TEMPLATE_STATUS.ACTIVE);
  reg.updateStatus(partner, ids[1]!, TEMPLATE_STATUS.DISABLED);
  reg.delete(P, ids[4]!);
  assert.deepEqual(reg.list([P], {}, {}).objects.map((o) => o.id), [ids[3], ids[2], ids[1], ids[0]]);
  assert.deepEqual(reg.list([P], { statusEqual: 1 }, {}).objects.map((o) => o.id), [ids[1]]);
  assert.deepEqual(reg.list([P], { statusIn: '3' }, {}).objects, [], 'not even statusIn=3 lists a deleted template');
  assert.deepEqual(reg.list([P], { statusEqual: 3 }, {}).objects, []);
  assert.deepEqual(reg.list([P], { systemNameIn: 'T_1,T_3' }, {}).objects.map((o) => o.id), [ids[2], ids[0]]);
  assert.deepEqual(reg.list([P], { idIn: `${ids[0]},${ids[3]}`, orderBy: '+id' }, {}).objects.map((o) => o.id), [ids[0], ids[3]]);
  const page2 = reg.list([P], { orderBy: '+id' }, { pageSize: 3, pageIndex: 2 });
  assert.equal(page2.totalCount, 4);
  assert.deepEqual(page2.objects.map((o) => o.id), [ids[3]]);
  assert.equal(reg.list([P], {}, { pageSize: 0 }).objects.length, 4);
  assert.equal(code(() => reg.list([P], { orderBy: '+name' }, {})), 'INVALID_PARAMETER_VALUE');
  assert.equal(reg.list([0], { typeEqual: 'emailNotification.Email' }, {}).objects[0]!.objectType, 'KalturaEmailNotificationTemplate');
});

test('a state file from an older sandbox gets today\'s system templates back', () => {
  const old = new TemplateTable();
  const id = systemId(old, 'HTTP_ENTRY_STATUS_CHANGED');
  Object.assign(old.templates.get(id)!, { status: TEMPLATE_STATUS.ACTIVE });
  old.templates.get(id)!.props.manualDispatchEnabled = true;
  const mine = old.clone(partner, id);
  const reloaded = new TemplateTable(false);
  reloaded.load(structuredClone([...old.templates.values()]));
  assert.equal(reloaded.templates.get(id)!.status, TEMPLATE_STATUS.DISABLED);
  assert.equal(reloaded.templates.get(id)!.props.manualDispatchEnabled, undefined);
  assert.equal(reloaded.templates.get(mine.id)!.props.manualDispatchEnabled, true, "a partner's own template is kept as it was");
});
