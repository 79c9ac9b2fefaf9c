// Issue 14: a template fires on demand under Kaltura's rules. The sandbox refuses `dispatch` of a partner's clone as
// Kaltura does, so the trigger causes the event the template listens to; each plan is run against the sandbox with a
// partner admin KS, and the notification must arrive verified at a real receiver.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { createKalturaConnection, type KalturaConnection } from '../../../src/core/kaltura/connection';
import { planTrigger, triggerTemplate, waitForEntryProcessed } from '../../../src/core/kaltura/trigger';
import { TemplateStatus, type AnyTemplate } from '../../../src/core/kaltura/schemas';
import { createEventStore, type EventStore } from '../../../src/core/events/eventStore';
import { startReceiver } from '../../../src/core/receiver/receiverServer';
import type { ReceiverApi } from '../../../src/core/receiver/types';
import { adminConsole, enableManualDispatch } from '../../support/adminConsole';

let sandbox: Sandbox;
let kaltura: KalturaConnection;
let store: EventStore;
let receiver: ReceiverApi;

before(async () => {
  sandbox = await startSandbox({ retryIntervalMs: 50, importStepMs: 40 });
  kaltura = createKalturaConnection({ serviceUrl: sandbox.url, session: { kind: 'localAdminSecret', partnerId: sandbox.partnerId, adminSecret: sandbox.adminSecret } });
  store = createEventStore({ flushIntervalMs: 10 });
  receiver = await startReceiver({ store, credentials: () => ({ kalturaSecrets: [{ label: 'sandbox', secret: sandbox.adminSecret }], basicAuth: [] }) });
});
after(async () => {
  await sandbox.close();
  await receiver.close();
  await store.close();
});

async function clone(systemName: string, apiObjectType = 'KalturaMediaEntry'): Promise<AnyTemplate> {
  const [source] = await kaltura.templates.listAllTemplates({ systemNameEqual: systemName });
  const made = await kaltura.templates.clone(source!.id, {
    objectType: 'KalturaHttpNotificationTemplate',
    systemName: `kwh_trigger_${systemName}`,
    url: `${receiver.url}/kaltura/${systemName}`,
    data: { objectType: 'KalturaHttpNotificationObjectData', apiObjectType, format: 1, code: '$scope->getObject()' },
    secureHashingAlgo: 2,
    manualDispatchEnabled: true,
  });
  assert.notEqual(made.manualDispatchEnabled, true, 'the partner cannot turn on manual dispatch');
  return kaltura.templates.activate(made.id);
}

async function eventsAt(path: string, count: number): Promise<Array<{ status: string; object: Record<string, unknown> }>> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = store.all().filter((e) => e.request.path === path);
    if (found.length >= count) {
      await new Promise((r) => setTimeout(r, 150));
      return store
        .all()
        .filter((e) => e.request.path === path)
        .map((e) => ({ status: e.verification.status, object: JSON.parse(e.request.body.toString('utf8')).object }));
    }
    if (Date.now() > deadline) assert.fail(`${found.length} of ${count} notifications at ${path}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('Entry Changed: a tag is added to the chosen entry and removed again; two verified notifications; the tags are as before', async () => {
  const template = await clone('HTTP_ENTRY_CHANGED');
  assert.deepEqual(planTrigger(template), { kind: 'touch-entry' });
  const entry = sandbox.addEntry({ name: 'touched', tags: 'news, sport' });
  const result = await triggerTemplate({ templates: kaltura.templates, media: kaltura.media, categories: kaltura.categories, template, entryId: entry.id });
  assert.equal(result.action, 'media.update ×2');
  assert.equal(result.expected, 2);
  const events = await eventsAt('/kaltura/HTTP_ENTRY_CHANGED', 2);
  assert.equal(events.length, 2);
  assert.ok(events.every((e) => e.status === 'verified' && e.object.id === entry.id));
  assert.equal(sandbox.getEntry(entry.id)?.tags, 'news, sport');
  await assert.rejects(triggerTemplate({ templates: kaltura.templates, media: kaltura.media, categories: kaltura.categories, template }), /needs an entry to change/);
});

test('Entry Status Changed: a new entry whose status changes while it is processed; one verified notification; deleted when processed', async () => {
  const template = await clone('HTTP_ENTRY_STATUS_CHANGED');
  assert.equal(planTrigger(template).kind, 'new-entry');
  const result = await triggerTemplate({ templates: kaltura.templates, media: kaltura.media, categories: kaltura.categories, template, mediaUrl: 'https://example.com/tiny.png' });
  assert.equal(result.action, 'media.addFromUrl');
  const created = result.createdEntryId!;
  assert.equal(sandbox.getEntry(created)?.status, 0, 'the new entry starts in IMPORT');
  const [event] = await eventsAt('/kaltura/HTTP_ENTRY_STATUS_CHANGED', 1);
  assert.equal(event!.status, 'verified');
  assert.deepEqual([event!.object.id, event!.object.status], [created, 2]);
  assert.equal((await waitForEntryProcessed(kaltura.media, created, { pollMs: 20 })).status, 2);
  await kaltura.media.delete(created);
  assert.equal(sandbox.getEntry(created)?.status, 3);
});

test('Entry Added and Entry Deleted: a new entry, and a new entry deleted again', async () => {
  const added = await clone('HTTP_ENTRY_ADDED');
  assert.equal((await triggerTemplate({ templates: kaltura.templates, media: kaltura.media, categories: kaltura.categories, template: added })).action, 'media.addFromUrl');
  assert.equal((await eventsAt('/kaltura/HTTP_ENTRY_ADDED', 1))[0]!.status, 'verified');
  const deleted = await clone('HTTP_ENTRY_DELETED');
  const result = await triggerTemplate({ templates: kaltura.templates, media: kaltura.media, categories: kaltura.categories, template: deleted });
  assert.equal(result.action, 'media.addFromUrl, media.delete');
  assert.equal((await eventsAt('/kaltura/HTTP_ENTRY_DELETED', 1))[0]!.object.id, result.entryId);
});

test('a template the Admin Console allows to be dispatched is dispatched; other objects are refused with what to do', async () => {
  const template = await clone('HTTP_ENTRY_VENDOR_TASK_DONE');
  const plan = planTrigger(template);
  assert.equal(plan.kind, 'unsupported');
  await assert.rejects(
    triggerTemplate({ templates: kaltura.templates, media: kaltura.media, categories: kaltura.categories, template }),
    /can cause entry, category and category-entry events only. Cause the event in the KMC/,
  );

  const changed = await kaltura.templates.get((await clone('HTTP_ENTRY_STATUS_EQUAL')).id);
  await enableManualDispatch(sandbox, changed.id);
  const allowed = await kaltura.templates.get(changed.id);
  assert.equal(allowed.status, TemplateStatus.ACTIVE);
  assert.deepEqual(planTrigger(allowed), { kind: 'dispatch' });
  const entry = sandbox.addEntry({ name: 'dispatched' });
  const result = await triggerTemplate({ templates: kaltura.templates, media: kaltura.media, categories: kaltura.categories, template: allowed, entryId: entry.id });
  assert.equal(result.action, 'dispatch');
  assert.equal(typeof result.jobId, 'number');
  const [event] = await eventsAt('/kaltura/HTTP_ENTRY_STATUS_EQUAL', 1);
  assert.equal(event!.object.id, entry.id);

  // Read before the Admin Console turned it off again: the dispatch is refused, and the real event is caused instead.
  await (await adminConsole(sandbox)).update(changed.id, { manualDispatchEnabled: false });
  const fallback = await triggerTemplate({ templates: kaltura.templates, media: kaltura.media, categories: kaltura.categories, template: allowed, entryId: entry.id });
  assert.match(fallback.summary, /^Kaltura refused the dispatch \(manual dispatch is off\); created entry/);
});

test('Entry Added to Category: the chosen entry is assigned to a new category and removed; the category is deleted; one verified notification', async () => {
  const template = await clone('HTTP_ENTRY_ADDED_TO_CATEGORY', 'KalturaCategoryEntry');
  assert.deepEqual(planTrigger(template), { kind: 'category-entry', expected: 1 });
  const entry = sandbox.addEntry({ name: 'categorised' });
  await assert.rejects(triggerTemplate({ templates: kaltura.templates, media: kaltura.media, categories: kaltura.categories, template }), /needs an entry to assign to a category/);
  await assert.rejects(
    triggerTemplate({ templates: kaltura.templates, media: kaltura.media, categories: kaltura.categories, template, entryId: '0_nosuchen' }),
    (err: { code?: string }) => err.code === 'ENTRY_ID_NOT_FOUND',
    'an unknown entry is refused before a category is made',
  );
  const result = await triggerTemplate({ templates: kaltura.templates, media: kaltura.media, categories: kaltura.categories, template, entryId: entry.id });
  assert.equal(result.action, 'category.add, categoryEntry.add, categoryEntry.delete, category.delete');
  assert.match(result.summary, new RegExp(`assigned entry ${entry.id} to a new category "Webhook Workbench trigger ${template.id} \\w+" \\(#\\d+\\), removed it again and deleted the category; this fires the template once`));
  const [event] = await eventsAt('/kaltura/HTTP_ENTRY_ADDED_TO_CATEGORY', 1);
  assert.equal(event!.status, 'verified');
  assert.deepEqual([event!.object.objectType, event!.object.entryId], ['KalturaCategoryEntry', entry.id]);
  assert.equal((await kaltura.session.call('category', 'list', {}) as { totalCount: number }).totalCount, 0, 'the category is gone');
  assert.equal(sandbox.getEntry(entry.id)?.categories, '', 'the entry is in no category again');
});

test('a category-entry template without a status condition fires on the removal; one that needs moderation is refused naming the KMC', async () => {
  const template = await clone('HTTP_Entry_Approved_In_Category', 'KalturaCategoryEntry');
  assert.deepEqual(planTrigger(template), { kind: 'category-entry', expected: 1 }, 'OBJECT_CHANGED: the assignment becomes DELETED');
  const entry = sandbox.addEntry({ name: 'approved' });
  await triggerTemplate({ templates: kaltura.templates, media: kaltura.media, categories: kaltura.categories, template, entryId: entry.id });
  const [event] = await eventsAt('/kaltura/HTTP_Entry_Approved_In_Category', 1);
  assert.deepEqual([event!.status, event!.object.status], ['verified', 3]);

  const moderated = {
    ...template,
    eventConditions: [{ objectType: 'KalturaEventFieldCondition', field: { objectType: 'KalturaEvalBooleanField', code: 'in_array(categoryEntryPeer::STATUS, $scope->getEvent()->getModifiedColumns())' } }],
  } as AnyTemplate;
  const plan = planTrigger(moderated);
  assert.equal(plan.kind, 'unsupported');
  assert.match((plan as { message: string }).message, /approve an entry in a moderated category in the KMC/);
});

test('a category template (made by the Admin Console) gets a new category, deleted again: OBJECT_SAVED fires twice', async () => {
  const made = (await (await adminConsole(sandbox)).add({
    name: 'Category saved',
    systemName: 'KWH_CATEGORY_SAVED',
    eventType: 10,
    eventObjectType: 2,
    automaticDispatchEnabled: true,
    url: `${receiver.url}/kaltura/category-saved`,
    method: 2,
    secureHashingAlgo: 2,
    data: { objectType: 'KalturaHttpNotificationObjectData', apiObjectType: 'KalturaCategory', format: 1, code: '$scope->getObject()' },
  })) as unknown as AnyTemplate;
  const template = await kaltura.templates.activate(made.id);
  assert.deepEqual(planTrigger(template), { kind: 'category', expected: 2 });
  const result = await triggerTemplate({ templates: kaltura.templates, media: kaltura.media, categories: kaltura.categories, template });
  assert.equal(result.action, 'category.add, category.delete');
  assert.equal(result.expected, 2);
  const events = await eventsAt('/kaltura/category-saved', 2);
  assert.ok(events.every((e) => e.status === 'verified' && e.object.objectType === 'KalturaCategory'));
  assert.deepEqual(events.map((e) => e.object.status), [2, 3], 'added ACTIVE, then saved DELETED');
});
