import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../../src/sandbox/index';
import { enableManualDispatch } from '../../support/adminConsole';
import { adminSession, apiCall, systemTemplateId, TEMPLATE_SERVICE } from './helpers';

test('dataDir keeps partner, templates, entries, categories and job ids across restarts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kwh-sandbox-data-'));
  try {
    const first = await startSandbox({ dataDir: dir });
    const ks = await adminSession(first.url, first.partnerId, first.adminSecret);
    const clone = await apiCall(first.url, TEMPLATE_SERVICE, 'clone', { ks, id: await systemTemplateId(first.url, ks, 'HTTP_ENTRY_ADDED') });
    await enableManualDispatch(first, clone.id);
    const entry = first.addEntry({ name: 'kept' });
    const category = await apiCall(first.url, 'category', 'add', { ks, category: { objectType: 'KalturaCategory', name: 'Kept' } });
    await apiCall(first.url, 'categoryEntry', 'add', { ks, categoryEntry: { objectType: 'KalturaCategoryEntry', entryId: entry.id, categoryId: category.id } });
    const job = await apiCall(first.url, TEMPLATE_SERVICE, 'dispatch', { ks, id: clone.id, scope: { objectType: 'KalturaEventNotificationScope', objectId: entry.id, scopeObjectType: '1' } });
    await first.close();
    assert.equal(statSync(join(dir, 'sandbox.json')).mode & 0o777, 0o600);

    const second = await startSandbox({ dataDir: dir });
    try {
      assert.equal(second.partnerId, first.partnerId);
      assert.equal(second.adminSecret, first.adminSecret);
      assert.equal(second.getEntry(entry.id)?.name, 'kept');
      const ks2 = await adminSession(second.url, second.partnerId, second.adminSecret);
      const got = await apiCall(second.url, TEMPLATE_SERVICE, 'get', { ks: ks2, id: clone.id });
      assert.equal(got.id, clone.id);
      assert.equal(got.manualDispatchEnabled, true, 'what the Admin Console set is kept');
      const job2 = await apiCall(second.url, TEMPLATE_SERVICE, 'dispatch', { ks: ks2, id: clone.id, scope: { objectType: 'KalturaEventNotificationScope', objectId: entry.id, scopeObjectType: '1' } });
      assert.ok(job2 > job, `job ids keep counting (${job2} > ${job})`);
      const kept = await apiCall(second.url, 'categoryEntry', 'list', { ks: ks2, filter: { objectType: 'KalturaCategoryEntryFilter', entryIdEqual: entry.id } });
      assert.deepEqual(kept.objects.map((l: { categoryId: number }) => l.categoryId), [category.id], 'categories and assignments are kept');
      const next = await apiCall(second.url, 'category', 'add', { ks: ks2, category: { objectType: 'KalturaCategory', name: 'Next' } });
      assert.ok(next.id > category.id, 'category ids keep counting');
      assert.equal((await apiCall(second.url, 'category', 'add', { ks: ks2, category: { objectType: 'KalturaCategory', name: 'Kept' } })).code, 'DUPLICATE_CATEGORY');
    } finally {
      await second.close();
    }

    writeFileSync(join(dir, 'sandbox.json'), '{"broken":');
    await assert.rejects(startSandbox({ dataDir: dir }), /not valid JSON.*delete it to start fresh/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
