// Fidelity check: the official Kaltura Node client (kaltura-client, test dependency only) drives the sandbox
// unchanged: session.start, listTemplates, clone, updateStatus, dispatch; the notification then arrives at the real
// receiver and verifies with the partner's admin secret.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createEventStore, type EventStore } from '../../../src/core/events/eventStore';
import type { KalturaNotificationPayload } from '../../../src/core/events/model';
import { startReceiver } from '../../../src/core/receiver/receiverServer';
import type { ReceiverApi } from '../../../src/core/receiver/types';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index';
import { waitFor } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const kaltura = require('kaltura-client');

describe('official kaltura-client against the sandbox', () => {
  let sb: Sandbox;
  let store: EventStore;
  let receiver: ReceiverApi;
  let client: any;

  before(async () => {
    sb = await startSandbox({ retryIntervalMs: 100 });
    store = createEventStore({ flushIntervalMs: 10 });
    receiver = await startReceiver({
      store,
      credentials: () => ({ kalturaSecrets: [{ label: 'admin secret', secret: sb.adminSecret }], basicAuth: [] }),
    });
    const config = new kaltura.Configuration();
    config.serviceUrl = sb.url;
    config.setLogger({ log() {}, error() {}, debug() {} });
    client = new kaltura.Client(config);
  });
  after(async () => {
    await sb.close();
    await receiver.close();
    await store.close();
  });

  test('session.start → listTemplates → clone → activate → dispatch refused → an entry update fires → verified delivery', async () => {
    const ks = await kaltura.services.session.start(sb.adminSecret, 'admin@example.com', kaltura.enums.SessionType.ADMIN, sb.partnerId).execute(client);
    assert.equal(typeof ks, 'string');
    client.setKs(ks);

    const filter = new kaltura.objects.EventNotificationTemplateFilter({ typeEqual: 'httpNotification.Http', systemNameEqual: 'HTTP_ENTRY_CHANGED' });
    const list = await kaltura.services.eventNotificationTemplate.listTemplates(filter, new kaltura.objects.FilterPager({ pageSize: 10 })).execute(client);
    assert.equal(list.totalCount, 1);
    const source = list.objects[0];
    assert.equal(source.objectType, 'KalturaHttpNotificationTemplate');
    assert.equal(source.status, kaltura.enums.EventNotificationTemplateStatus.DISABLED, 'system templates ship DISABLED');

    const override = new kaltura.objects.HttpNotificationTemplate({
      systemName: 'KWH_FIDELITY',
      url: `${receiver.url}/kaltura`,
      secureHashingAlgo: 3,
      manualDispatchEnabled: true,
      data: new kaltura.objects.HttpNotificationObjectData({ format: 1, apiObjectType: 'KalturaMediaEntry', code: '$scope->getObject()' }),
    });
    const clone = await kaltura.services.eventNotificationTemplate.cloneAction(source.id, override).execute(client);
    assert.equal(clone.partnerId, sb.partnerId);
    assert.equal(clone.status, source.status, 'clone keeps the source status');
    assert.notEqual(clone.manualDispatchEnabled, true, 'a partner admin KS cannot turn on manual dispatch');

    const active = await kaltura.services.eventNotificationTemplate.updateStatus(clone.id, kaltura.enums.EventNotificationTemplateStatus.ACTIVE).execute(client);
    assert.equal(active.status, 2);
    await assert.rejects(
      kaltura.services.eventNotificationTemplate.updateStatus(clone.id, kaltura.enums.EventNotificationTemplateStatus.ACTIVE).execute(client),
      (err: { code?: string }) => err.code === 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME',
      'activating an ACTIVE template fails on Kaltura',
    );

    // A second clone with the same systemName is refused while the first is ACTIVE.
    await assert.rejects(
      kaltura.services.eventNotificationTemplate.cloneAction(source.id, override).execute(client),
      (err: { code?: string }) => err.code === 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME',
    );

    const entry = await kaltura.services.media.add(new kaltura.objects.MediaEntry({ name: 'Fidelity clip', mediaType: kaltura.enums.MediaType.VIDEO })).execute(client);
    assert.match(entry.id, /^0_[a-z0-9]{8}$/);

    const scope = new kaltura.objects.EventNotificationScope({ objectId: entry.id, scopeObjectType: kaltura.enums.EventNotificationEventObjectType.ENTRY });
    await assert.rejects(
      kaltura.services.eventNotificationTemplate.dispatch(clone.id, scope).execute(client),
      (err: { code?: string }) => err.code === 'EVENT_NOTIFICATION_DISPATCH_DISABLED',
    );

    // What a partner can do instead: change the entry, which fires OBJECT_CHANGED.
    await kaltura.services.media.update(entry.id, new kaltura.objects.MediaEntry({ tags: 'kwh-fidelity' })).execute(client);
    const event = await waitFor(() => store.all().find((e) => (e.parsed as KalturaNotificationPayload).templateId === clone.id), 5000, 'the notification for the entry update');
    assert.equal(event.verification.status, 'verified', JSON.stringify(event.verification));
    assert.equal(event.verification.algorithm, 'sha512');
    const payload = event.parsed as KalturaNotificationPayload;
    assert.equal(payload.templateSystemName, 'KWH_FIDELITY');
    assert.equal((payload.object as { id: string }).id, entry.id);
    assert.equal((payload.object as { tags?: string }).tags, 'kwh-fidelity');
  });

  test('a multirequest built by the official client resolves and reports per-item errors', async () => {
    const ks = await kaltura.services.session.start(sb.adminSecret, '', kaltura.enums.SessionType.ADMIN, sb.partnerId).execute(client);
    client.setKs(ks);
    const multi = kaltura.services.eventNotificationTemplate
      .listTemplates(new kaltura.objects.EventNotificationTemplateFilter({ systemNameEqual: 'HTTP_ENTRY_DELETED' }))
      .add(kaltura.services.eventNotificationTemplate.get(424242));
    const results = await multi.execute(client);
    assert.equal(results.length, 2);
    assert.equal(results[0].objects[0].systemName, 'HTTP_ENTRY_DELETED');
    assert.equal(results[1].code, 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND');
  });

  test("categories follow Kaltura's rules, and assigning an entry fires Entry Added to Category, verified", async () => {
    const ks = await kaltura.services.session.start(sb.adminSecret, 'admin@example.com', kaltura.enums.SessionType.ADMIN, sb.partnerId).execute(client);
    client.setKs(ks);
    const code = (expected: string) => (err: { code?: string }) => err.code === expected;
    const filter = new kaltura.objects.EventNotificationTemplateFilter({ systemNameEqual: 'HTTP_ENTRY_ADDED_TO_CATEGORY' });
    const [source] = (await kaltura.services.eventNotificationTemplate.listTemplates(filter).execute(client)).objects;
    const override = new kaltura.objects.HttpNotificationTemplate({
      systemName: 'KWH_FIDELITY_CATEGORY',
      url: `${receiver.url}/kaltura/category`,
      secureHashingAlgo: 2,
      data: new kaltura.objects.HttpNotificationObjectData({ format: 1, apiObjectType: 'KalturaCategoryEntry', code: '$scope->getObject()' }),
    });
    const clone = await kaltura.services.eventNotificationTemplate.cloneAction(source.id, override).execute(client);
    await kaltura.services.eventNotificationTemplate.updateStatus(clone.id, kaltura.enums.EventNotificationTemplateStatus.ACTIVE).execute(client);

    const parent = await kaltura.services.category.add(new kaltura.objects.Category({ name: 'Fidelity' })).execute(client);
    assert.equal(parent.objectType, 'KalturaCategory');
    assert.equal(parent.fullName, 'Fidelity');
    const child = await kaltura.services.category.add(new kaltura.objects.Category({ name: 'News', parentId: parent.id })).execute(client);
    assert.deepEqual([child.fullName, child.fullIds, child.depth], ['Fidelity>News', `${parent.id}>${child.id}`, 1]);
    await assert.rejects(kaltura.services.category.add(new kaltura.objects.Category({ name: 'News', parentId: parent.id })).execute(client), code('DUPLICATE_CATEGORY'));
    await assert.rejects(kaltura.services.category.add(new kaltura.objects.Category({ name: '' })).execute(client), code('PROPERTY_VALIDATION_MIN_LENGTH'));
    await assert.rejects(kaltura.services.category.add(new kaltura.objects.Category({ name: 'Orphan', parentId: 999999999 })).execute(client), code('PARENT_CATEGORY_NOT_FOUND'));

    const entry = await kaltura.services.media.add(new kaltura.objects.MediaEntry({ name: 'Categorised', mediaType: kaltura.enums.MediaType.VIDEO })).execute(client);
    const assign = (entryId: string, categoryId: number) => kaltura.services.categoryEntry.add(new kaltura.objects.CategoryEntry({ entryId, categoryId })).execute(client);
    const link = await assign(entry.id, child.id);
    assert.deepEqual([link.objectType, link.entryId, link.categoryId, link.status, link.categoryFullIds], ['KalturaCategoryEntry', entry.id, child.id, 2, child.fullIds]);
    await assert.rejects(assign(entry.id, child.id), code('CATEGORY_ENTRY_ALREADY_EXISTS'));
    await assert.rejects(assign('0_nosuchen', child.id), code('INVALID_ENTRY_ID'));
    await assert.rejects(assign(entry.id, 999999999), code('CATEGORY_NOT_FOUND'));
    await assert.rejects(kaltura.services.categoryEntry.listAction().execute(client), code('MUST_FILTER_ON_ENTRY_OR_CATEGORY'));
    const listed = await kaltura.services.categoryEntry.listAction(new kaltura.objects.CategoryEntryFilter({ entryIdEqual: entry.id })).execute(client);
    assert.deepEqual(listed.objects.map((l: { categoryId: number }) => l.categoryId), [child.id]);
    assert.equal((await kaltura.services.media.get(entry.id).execute(client)).categories, 'Fidelity>News', "the entry's categories column follows");
    assert.equal((await kaltura.services.category.get(child.id).execute(client)).entriesCount, 1);

    const event = await waitFor(() => store.all().find((e) => (e.parsed as KalturaNotificationPayload).templateId === clone.id), 5000, 'the notification for the assignment');
    assert.equal(event.verification.status, 'verified', JSON.stringify(event.verification));
    const object = (event.parsed as KalturaNotificationPayload).object as { objectType: string; entryId: string; categoryId: number };
    assert.deepEqual([object.objectType, object.entryId, object.categoryId], ['KalturaCategoryEntry', entry.id, child.id]);

    await kaltura.services.categoryEntry.deleteAction(entry.id, child.id).execute(client);
    await assert.rejects(kaltura.services.categoryEntry.deleteAction(entry.id, child.id).execute(client), code('ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY'));
    assert.equal((await kaltura.services.media.get(entry.id).execute(client)).categories, '', 'the column is emptied, not removed');
    await kaltura.services.category.deleteAction(child.id).execute(client);
    await kaltura.services.category.deleteAction(parent.id).execute(client);
    await assert.rejects(kaltura.services.category.get(parent.id).execute(client), code('CATEGORY_NOT_FOUND'));
    assert.equal((await kaltura.services.category.listAction().execute(client)).totalCount, 0);
    await sb.idle();
    assert.equal(store.all().filter((e) => (e.parsed as KalturaNotificationPayload).templateId === clone.id).length, 1, 'removing the entry is not an addition');
  });

  test('a wrong secret rejects with START_SESSION_ERROR', async () => {
    await assert.rejects(
      kaltura.services.session.start('not-the-secret', '', kaltura.enums.SessionType.ADMIN, sb.partnerId).execute(client),
      (err: { code?: string }) => err.code === 'START_SESSION_ERROR',
    );
  });
});
