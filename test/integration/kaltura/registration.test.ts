// The registration workflow end to end over real HTTP: sandbox (Kaltura, with a partner admin KS) → clone, point,
// activate → dispatch refused as on Kaltura → the trigger causes the real event → the receiver records it verified. Then the persisted registry: re-point, cleanup, orphans after a
// simulated crash (a second registry instance with another session id).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../../src/sandbox';
import { startReceiver } from '../../../src/core/receiver/receiverServer';
import { createEventStore } from '../../../src/core/events/eventStore';
import type { ReceiverApi } from '../../../src/core/receiver/types';
import type { EventStoreApi } from '../../../src/core/events/storeTypes';
import type { WebhookEvent } from '../../../src/core/events/model';
import { createKalturaConnection, type KalturaConnection } from '../../../src/core/kaltura/connection';
import { registerWebhook, TemplateRegistry, WORKBENCH_TOKEN_HEADER, workbenchSystemName } from '../../../src/core/kaltura/registration';
import { TemplateStatus } from '../../../src/core/kaltura/schemas';
import { isKalturaApiError } from '../../../src/core/kaltura/errors';
import { triggerTemplate } from '../../../src/core/kaltura/trigger';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
let connection: KalturaConnection;
let dir: string;
const receivers: Array<{ receiver: ReceiverApi; store: EventStoreApi }> = [];

async function newReceiver() {
  const store = createEventStore({ flushIntervalMs: 10 });
  const receiver = await startReceiver({
    port: 0,
    host: '127.0.0.1',
    store,
    credentials: () => ({ kalturaSecrets: [{ label: 'admin secret', secret: sandbox.adminSecret }], basicAuth: [] }),
  });
  receivers.push({ receiver, store });
  return { receiver, store };
}

async function waitForEvent(store: EventStoreApi, match: (e: WebhookEvent) => boolean, timeoutMs = 5000): Promise<WebhookEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = store.all().find(match);
    if (found) return found;
    if (Date.now() > deadline) assert.fail(`no matching event within ${timeoutMs} ms; got ${store.all().map((e) => e.request.path).join(', ') || 'none'}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

before(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1', retryIntervalMs: 50, importStepMs: 50 });
  connection = createKalturaConnection({
    serviceUrl: sandbox.url,
    retryBaseDelayMs: 5,
    session: { kind: 'localAdminSecret', partnerId: sandbox.partnerId, adminSecret: sandbox.adminSecret },
  });
  dir = mkdtempSync(join(tmpdir(), 'kwh-registration-'));
});

after(async () => {
  for (const { receiver, store } of receivers) {
    await receiver.close();
    await store.close();
  }
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('clone → activate → dispatch → a verified event at the receiver; re-point; cleanup', async () => {
  const { receiver, store } = await newReceiver();
  const registry = new TemplateRegistry({ directory: dir, templates: connection.templates, sessionId: 'session-A' });
  const registered = await registerWebhook({ registry, template: 'HTTP_ENTRY_STATUS_CHANGED', publicBaseUrl: receiver.url, workspaceToken: 'workspace-token-1' });
  const t = registered.template;
  const systemName = registered.record.systemName;
  assert.match(systemName, /^kwh_HTTP_ENTRY_STATUS_CHANGED_[0-9a-f]{6}$/);
  assert.equal(t.status, TemplateStatus.ACTIVE);
  assert.equal(t.url, `${receiver.url}/kaltura/${systemName}`);
  assert.equal(t.method, 2);
  assert.equal(t.secureHashingAlgo, 2);
  assert.notEqual(t.manualDispatchEnabled, true, 'Kaltura does not let an ordinary partner turn on manual dispatch');
  assert.match(registered.notApplied.join('\n'), /manual dispatch is not available for this template on your partner/);
  assert.equal(t.data?.objectType, 'KalturaHttpNotificationObjectData');
  assert.equal(t.data?.format, 1);
  assert.equal(t.data?.apiObjectType, 'KalturaMediaEntry');
  const headers = Object.fromEntries((t.customHeaders ?? []).map((h) => [h.key, h.value]));
  assert.equal(headers['Bypass-Tunnel-Reminder'], '1');
  assert.equal(headers[WORKBENCH_TOKEN_HEADER], 'workspace-token-1');
  assert.deepEqual((await registry.ownRecords()).map((r) => [r.id, r.state]), [[t.id, 'active']]);

  const entry = sandbox.addEntry({ name: 'registration e2e' });
  await assert.rejects(connection.templates.dispatch(t.id, { objectId: entry.id, scopeObjectType: 1 }), (e: unknown) => isKalturaApiError(e, 'EVENT_NOTIFICATION_DISPATCH_DISABLED'));
  // Entry Status Changed needs a status change: the trigger adds an image entry, which goes IMPORT → READY.
  const fired = await triggerTemplate({ templates: connection.templates, media: connection.media, categories: connection.categories, template: t });
  assert.equal(fired.action, 'media.addFromUrl');
  assert.ok(fired.createdEntryId);
  const event = await waitForEvent(store, (e) => e.request.path === `/kaltura/${systemName}`);
  assert.equal(event.source, 'kaltura');
  assert.equal(event.verification.status, 'verified', event.verification.reason);
  assert.equal(event.verification.algorithm, 'sha256');
  assert.equal(event.request.headers[WORKBENCH_TOKEN_HEADER.toLowerCase()], 'workspace-token-1');
  assert.match(event.request.headers['content-type'] ?? '', /application\/json/);
  const payload = JSON.parse(event.request.body.toString('utf8'));
  assert.equal(typeof payload.eventNotificationJobId, 'number');
  assert.equal(payload.templateId, t.id);
  assert.equal(payload.object.id, fired.createdEntryId);
  assert.equal(payload.object.status, 2, 'an image is imported without transcoding: IMPORT → READY');

  // The tunnel URL changed: re-point, and the next trigger reaches the new receiver.
  const second = await newReceiver();
  const outcomes = await registry.rePoint(second.receiver.url);
  assert.deepEqual(outcomes.map((o) => [o.action, o.ok]), [['repointed', true]]);
  assert.equal((await connection.templates.get(t.id)).url, `${second.receiver.url}/kaltura/${systemName}`);
  await triggerTemplate({ templates: connection.templates, media: connection.media, categories: connection.categories, template: t });
  const moved = await waitForEvent(second.store, (e) => e.request.path === `/kaltura/${systemName}`);
  assert.equal(moved.verification.status, 'verified');
  await sandbox.idle();

  // Stop: delete.
  const cleaned = await registry.cleanup('delete');
  assert.deepEqual(cleaned.map((o) => [o.action, o.ok]), [['deleted', true]]);
  assert.deepEqual(await registry.list(), []);
  await assert.rejects(connection.templates.get(t.id), (e: unknown) => isKalturaApiError(e, 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND'));
});

test('after a crash, the next session finds the orphans and cleans them up', async () => {
  const crashed = new TemplateRegistry({ directory: dir, templates: connection.templates, sessionId: 'crashed-session' });
  const kept = await registerWebhook({ registry: crashed, template: 'HTTP_ENTRY_STATUS_CHANGED', publicBaseUrl: 'http://127.0.0.1:9', workspaceToken: 't' });
  const disabled = await registerWebhook({ registry: crashed, template: 'HTTP_ENTRY_STATUS_CHANGED', publicBaseUrl: 'http://127.0.0.1:9', workspaceToken: 't' });
  await connection.templates.updateStatus(disabled.template.id, TemplateStatus.DISABLED);
  // A crash between "recorded" and "cloned" leaves a record without an id; it is resolved by systemName.
  const source = kept.source;
  const pendingName = workbenchSystemName('PENDING');
  const pendingClone = await connection.templates.clone(source.id, { objectType: 'KalturaHttpNotificationTemplate', systemName: pendingName });
  await connection.templates.updateStatus(pendingClone.id, TemplateStatus.ACTIVE);
  await crashed.upsert({ systemName: pendingName, url: 'http://127.0.0.1:9/kaltura/' + pendingName, state: 'pending' });
  // And a record whose template someone else already deleted is dropped.
  const gone = await registerWebhook({ registry: crashed, template: 'HTTP_ENTRY_STATUS_CHANGED', publicBaseUrl: 'http://127.0.0.1:9', workspaceToken: 't' });
  await connection.templates.delete(gone.template.id);

  const next = new TemplateRegistry({ directory: dir, templates: connection.templates, sessionId: 'next-session' });
  assert.deepEqual(await next.ownRecords(), []);
  const orphans = await next.findOrphans();
  assert.deepEqual(orphans.map((o) => o.template.id).sort(), [kept.template.id, pendingClone.id].sort(), 'ACTIVE templates of the crashed session only');
  assert.ok(orphans.every((o) => o.ownerMaybeAlive === false));
  assert.equal((await next.list()).some((r) => r.systemName === gone.record.systemName), false, 'the vanished template is forgotten');
  assert.equal((await next.list()).find((r) => r.systemName === pendingName)?.id, pendingClone.id, 'the pending record got its id');

  const outcomes = await next.cleanup('delete', { records: orphans.map((o) => o.record) });
  assert.ok(outcomes.every((o) => o.ok && o.action === 'deleted'));
  assert.deepEqual(await next.findOrphans(), []);
  // The disabled one is no orphan but still recorded; disable-mode cleanup keeps records, delete-mode removes them.
  const left = await next.list();
  assert.deepEqual(left.map((r) => r.systemName), [disabled.record.systemName]);
  await next.adopt(left);
  // Renamed by the user since it was registered: the outcome (and the log line built from it) names it as it is now.
  await connection.templates.update(disabled.template.id, { objectType: 'KalturaHttpNotificationTemplate', name: 'Renamed by the user' });
  const disabledAgain = await next.cleanup('disable');
  assert.deepEqual(disabledAgain.map((o) => [o.action, o.ok, o.record.state, o.record.name]), [['disabled', true, 'disabled', 'Renamed by the user']]);
  assert.equal((await connection.templates.get(disabled.template.id)).status, TemplateStatus.DISABLED);
  await next.cleanup('delete');
  assert.deepEqual(await next.list(), []);
});

test('an unknown system template gets an error listing the available ones; nothing is recorded', async () => {
  const registry = new TemplateRegistry({ directory: dir, templates: connection.templates, sessionId: 'session-C' });
  await assert.rejects(
    registerWebhook({ registry, template: 'NO_SUCH_TEMPLATE', publicBaseUrl: 'http://127.0.0.1:9', workspaceToken: 't' }),
    /no system template "NO_SUCH_TEMPLATE".*HTTP_ENTRY_STATUS_CHANGED/,
  );
  assert.deepEqual(await registry.list(), []);
});

test('Entry Added to Category, registered as the extension does: the clone sends a KalturaCategoryEntry, and the trigger makes it fire, verified', async () => {
  const { receiver, store } = await newReceiver();
  const registry = new TemplateRegistry({ directory: dir, templates: connection.templates, sessionId: 'session-categories' });
  const registered = await registerWebhook({ registry, template: 'HTTP_ENTRY_ADDED_TO_CATEGORY', publicBaseUrl: receiver.url, workspaceToken: 'workspace-token-3' });
  const t = registered.template;
  assert.equal(t.data?.apiObjectType, 'KalturaCategoryEntry', 'the API object follows the event object type (37)');
  const entry = sandbox.addEntry({ name: 'category registration' });
  const fired = await triggerTemplate({ templates: connection.templates, media: connection.media, categories: connection.categories, template: t, entryId: entry.id });
  assert.equal(fired.action, 'category.add, categoryEntry.add, categoryEntry.delete, category.delete');
  const event = await waitForEvent(store, (e) => e.request.path === `/kaltura/${registered.record.systemName}`);
  assert.equal(event.verification.status, 'verified', event.verification.reason);
  const payload = JSON.parse(event.request.body.toString('utf8'));
  assert.deepEqual([payload.object.objectType, payload.object.entryId, payload.eventObjectType], ['KalturaCategoryEntry', entry.id, 37]);
  await registry.cleanup('delete');
});
