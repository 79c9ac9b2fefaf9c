import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEventStore, type EventStore } from '../../../src/core/events/eventStore';
import type { KalturaNotificationPayload } from '../../../src/core/events/model';
import { kalturaSignature } from '../../../src/protocol/signing';
import { startReceiver } from '../../../src/core/receiver/receiverServer';
import type { ReceiverApi } from '../../../src/core/receiver/types';
import { ENTRY_STATUS, startSandbox, type Sandbox } from '../../../src/sandbox/index';
import { enableManualDispatch } from '../../support/adminConsole';
import { adminSession, apiCall, systemTemplateId, TEMPLATE_SERVICE, waitFor } from './helpers';

const HTTP = 'KalturaHttpNotificationTemplate';
const JSON_DATA = { objectType: 'KalturaHttpNotificationObjectData', format: 1, apiObjectType: 'KalturaMediaEntry', code: '$scope->getObject()' };
const RETRY_MS = 200;

describe('sandbox notification delivery', () => {
  let sb: Sandbox;
  let ks: string;
  let store: EventStore;
  let receiver: ReceiverApi;

  before(async () => {
    sb = await startSandbox({ retryIntervalMs: RETRY_MS, maxAttempts: 3 });
    ks = await adminSession(sb.url, sb.partnerId, sb.adminSecret);
    store = createEventStore({ flushIntervalMs: 10 });
    receiver = await startReceiver({
      store,
      credentials: () => ({ kalturaSecrets: [{ label: 'sandbox admin secret', secret: sb.adminSecret }], basicAuth: [] }),
    });
  });
  after(async () => {
    await sb.close();
    await receiver.close();
    await store.close();
  });

  async function cloneActive(systemName: string, overrides: Record<string, unknown>): Promise<any> {
    const clone = await apiCall(sb.url, TEMPLATE_SERVICE, 'clone', {
      ks,
      id: await systemTemplateId(sb.url, ks, systemName),
      eventNotificationTemplate: { objectType: HTTP, ...overrides },
    });
    assert.equal(clone.objectType, HTTP, JSON.stringify(clone));
    const active = await apiCall(sb.url, TEMPLATE_SERVICE, 'updateStatus', { ks, id: clone.id, status: 2 });
    assert.equal(active.status, 2);
    return clone;
  }

  async function disable(id: number): Promise<void> {
    await apiCall(sb.url, TEMPLATE_SERVICE, 'updateStatus', { ks, id, status: 1 });
  }

  test('an entry update fires the active cloned template; the receiver verifies the signature', async () => {
    receiver.responseMode = 'ok';
    const tpl = await cloneActive('HTTP_ENTRY_STATUS_CHANGED', { url: `${receiver.url}/kaltura`, data: JSON_DATA, secureHashingAlgo: 2 });
    const entry = sb.addEntry({ name: 'Fires on status', status: 4 });
    sb.updateEntry(entry.id, { name: 'renamed only' });
    await sb.idle();
    assert.equal(sb.deliveries().filter((d) => d.templateId === tpl.id).length, 0, 'a name change must not match the status condition');

    sb.updateEntry(entry.id, { status: 2 });
    await sb.idle();
    const event = await waitFor(() => store.all().find((e) => (e.parsed as KalturaNotificationPayload).templateId === tpl.id), 5000, 'the notification');
    assert.equal(event.verification.status, 'verified', JSON.stringify(event.verification));
    assert.equal(event.verification.algorithm, 'sha256');
    const payload = event.parsed as KalturaNotificationPayload;
    assert.equal(payload.objectId ?? (payload.object as { id?: string }).id, entry.id);
    assert.equal(String(payload.eventType), '3');
    const body = JSON.parse(event.request.body.toString('utf8'));
    assert.equal(body.object.status, 2);
    assert.equal(event.request.headers['content-type'], 'application/json');
    assert.equal(event.request.headers['x-kaltura-hash-algo'], 'sha256');
    const attempt = sb.deliveries().find((d) => d.templateId === tpl.id)!;
    assert.equal(attempt.status, 200);
    assert.equal(attempt.ok, true);
    assert.equal(attempt.jobId, body.eventNotificationJobId);
    await disable(tpl.id);
  });

  test('a receiver answering 500 sees maxAttempts retries with one job id, spaced by retryIntervalMs', async () => {
    receiver.responseMode = 'fail-500';
    const tpl = await cloneActive('HTTP_ENTRY_ADDED', { systemName: 'RETRY_500', url: `${receiver.url}/retry`, data: JSON_DATA });
    const before = store.all().length;
    sb.addEntry({ name: 'retry me' });
    await sb.idle();
    const attempts = sb.deliveries().filter((d) => d.templateId === tpl.id);
    assert.deepEqual(attempts.map((a) => a.attempt), [1, 2, 3]);
    assert.equal(new Set(attempts.map((a) => a.jobId)).size, 1);
    assert.deepEqual(attempts.map((a) => a.status), [500, 500, 500]);
    assert.deepEqual(attempts.map((a) => a.willRetry), [true, true, false]);
    const starts = attempts.map((a) => Date.parse(a.at));
    for (let i = 1; i < starts.length; i++) {
      const gap = starts[i]! - starts[i - 1]!;
      assert.ok(gap >= RETRY_MS - 20 && gap < RETRY_MS + 1000, `gap ${gap} ms`);
    }
    const received = await waitFor(() => {
      const list = store.all().slice(before).filter((e) => e.request.path === '/retry');
      return list.length === 3 ? list : undefined;
    }, 5000, 'three deliveries');
    const jobIds = received.map((e) => (e.parsed as KalturaNotificationPayload).jobId);
    assert.deepEqual(jobIds, [attempts[0]!.jobId, attempts[0]!.jobId, attempts[0]!.jobId]);
    assert.equal(received[2]!.deliveryCount, 3);
    receiver.responseMode = 'ok';
    await disable(tpl.id);
  });

  test('eventDelayedCondition PENDING_ENTRY_READY holds the job until the entry is READY', async () => {
    const tpl = await cloneActive('HTTP_ENTRY_READY', { url: `${receiver.url}/ready`, data: JSON_DATA });
    const entry = sb.addEntry({ name: 'not ready yet', status: 4 });
    await sb.idle();
    assert.equal(sb.deliveries().filter((d) => d.templateId === tpl.id).length, 0);
    sb.updateEntry(entry.id, { status: ENTRY_STATUS.READY });
    await sb.idle();
    const sent = sb.deliveries().filter((d) => d.templateId === tpl.id);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.eventType, '2');
    assert.equal(sent[0]!.objectId, entry.id);
    await disable(tpl.id);
  });

  test('custom headers with {param}, Basic auth, DataFields body, GET method and the engine header order on the wire', async () => {
    const seen: Array<{ req: IncomingMessage; body: string }> = [];
    const raw = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ req, body: Buffer.concat(chunks).toString('utf8') });
        res.end('OK');
      });
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', () => r()));
    const rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
    try {
      const tpl = await cloneActive('HTTP_ENTRY_DELETED', {
        url: `${rawUrl}/fields`,
        data: { objectType: 'KalturaHttpNotificationDataFields' },
        customHeaders: [{ objectType: 'KalturaKeyValue', key: 'X-Entry-{entry_id}', value: 'id={entry_id}' }],
        username: 'hook',
        password: 's3cret',
      });
      const entry = sb.addEntry({ name: 'to delete' });
      sb.deleteEntry(entry.id);
      await sb.idle();
      const hit = seen.find((s) => s.req.url === '/fields')!;
      assert.ok(hit, 'the DataFields notification arrived');
      assert.equal(hit.body, `entry_id=${entry.id}`);
      const names = hit.req.rawHeaders.filter((_, i) => i % 2 === 0);
      const order = ['Authorization', 'User-Agent', 'Accept', 'X-KALTURA-SIGNATURE', 'X-KALTURA-HASH-ALGO', `X-Entry-${entry.id}`, 'Content-Type'].map((n) => names.indexOf(n));
      assert.ok(order.every((v, i) => v >= 0 && (i === 0 || v > order[i - 1]!)), `header order ${names.join(',')}`);
      assert.equal(hit.req.headers[`x-entry-${entry.id}`.toLowerCase()], `id=${entry.id}`);
      assert.equal(hit.req.headers.authorization, 'Basic ' + Buffer.from('hook:s3cret').toString('base64'));
      assert.equal(hit.req.headers['x-kaltura-signature'], kalturaSignature(sb.adminSecret, hit.body, 'sha1'));
      assert.equal(hit.req.headers['content-type'], 'application/x-www-form-urlencoded');
      await disable(tpl.id);

      const get = await cloneActive('HTTP_ENTRY_CHANGED', { url: `${rawUrl}/get?x=1`, method: 1, data: { objectType: 'KalturaHttpNotificationDataFields' } });
      const e2 = sb.addEntry({ name: 'get me' });
      sb.updateEntry(e2.id, { tags: 'a,b' });
      await sb.idle();
      const getHit = seen.find((s) => s.req.method === 'GET')!;
      assert.ok(getHit.req.url!.startsWith(`/get?x=1?entry_id=${e2.id}`), getHit.req.url);
      assert.equal(getHit.body, '');
      await disable(get.id);
    } finally {
      await new Promise<void>((r) => raw.close(() => r()));
    }
  });

  test('dispatch sends a new job for the scope entry; template timeout bounds a hanging receiver', async () => {
    receiver.responseMode = 'ok';
    const tpl = await cloneActive('HTTP_ENTRY_CHANGED', { systemName: 'DISPATCHED', url: `${receiver.url}/dispatch`, data: JSON_DATA });
    // Only the Admin Console may allow manual dispatch (kaltura-protocol.md §4.2).
    await enableManualDispatch(sb, tpl.id);
    const entry = sb.addEntry({ name: 'dispatch target' });
    await sb.idle();
    const jobId = await apiCall(sb.url, TEMPLATE_SERVICE, 'dispatch', { ks, id: tpl.id, scope: { objectType: 'KalturaEventNotificationScope', objectId: entry.id, scopeObjectType: '1' } });
    assert.equal(typeof jobId, 'number');
    await sb.idle();
    const attempt = sb.deliveries().find((d) => d.jobId === jobId)!;
    assert.equal(attempt.trigger, 'manual');
    assert.equal(attempt.ok, true);
    const missing = await apiCall(sb.url, TEMPLATE_SERVICE, 'dispatch', { ks, id: tpl.id, scope: { objectType: 'KalturaEventNotificationScope', objectId: '0_nothere', scopeObjectType: '1' } });
    assert.equal(missing.code, 'INVALID_OBJECT_ID');

    receiver.responseMode = 'timeout';
    await apiCall(sb.url, TEMPLATE_SERVICE, 'update', { ks, id: tpl.id, eventNotificationTemplate: { objectType: HTTP, timeout: 1 } });
    const slowJob = await apiCall(sb.url, TEMPLATE_SERVICE, 'dispatch', { ks, id: tpl.id, scope: { objectType: 'KalturaEventNotificationScope', objectId: entry.id, scopeObjectType: '1' } });
    const first = await waitFor(() => sb.deliveries().find((d) => d.jobId === slowJob), 4000, 'the timed-out attempt');
    assert.equal(first.status, 0);
    assert.match(first.error ?? '', /1 s/);
    assert.ok(first.durationMs >= 900 && first.durationMs < 3000, `duration ${first.durationMs}`);
    receiver.responseMode = 'ok';
    await sb.idle();
    await disable(tpl.id);
  });
});
