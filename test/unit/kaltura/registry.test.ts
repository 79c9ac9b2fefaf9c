import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKalturaConnection } from '../../../src/core/kaltura/connection';
import { TemplateRegistry } from '../../../src/core/kaltura/registration';

function registryIn(dir: string, sessionId: string, partnerId = 123, serviceUrl = 'http://127.0.0.1:9') {
  const { templates } = createKalturaConnection({ serviceUrl, session: { kind: 'localAdminSecret', partnerId, adminSecret: 'x'.repeat(32) } });
  return new TemplateRegistry({ directory: dir, templates, sessionId });
}

test('records persist across instances, per partner and service URL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kwh-registry-'));
  try {
    const a = registryIn(join(dir, 'nested'), '1@a');
    await a.upsert({ systemName: 'kwh_A_1', id: 11, url: 'https://x/kaltura/kwh_A_1', state: 'active' });
    await a.upsert({ systemName: 'kwh_A_2', url: 'https://x/kaltura/kwh_A_2', state: 'pending' });
    await a.upsert({ systemName: 'kwh_A_2', id: 12, url: 'https://x/kaltura/kwh_A_2', state: 'active' });
    const b = registryIn(join(dir, 'nested'), '2@b');
    assert.equal(b.filePath, a.filePath);
    const records = await b.list();
    assert.deepEqual(records.map((r) => [r.systemName, r.id, r.state, r.sessionId]), [['kwh_A_1', 11, 'active', '1@a'], ['kwh_A_2', 12, 'active', '1@a']]);
    assert.deepEqual(await b.ownRecords(), []);
    await b.adopt([records[0]!]);
    assert.deepEqual((await b.ownRecords()).map((r) => r.systemName), ['kwh_A_1']);
    await b.forget('kwh_A_2');
    assert.deepEqual((await a.list()).map((r) => r.systemName), ['kwh_A_1']);
    assert.notEqual(registryIn(join(dir, 'nested'), '3@c', 124).filePath, a.filePath, 'another partner, another file');
    assert.notEqual(registryIn(join(dir, 'nested'), '3@c', 123, 'https://www.kaltura.com').filePath, a.filePath, 'another server, another file');
    assert.equal(statSync(a.filePath).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(dir, 'nested')).filter((n) => n.endsWith('.tmp')), [], 'no temp files left');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('concurrent updates within a process are not lost', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kwh-registry-'));
  try {
    const r = registryIn(dir, '1@a');
    await Promise.all(Array.from({ length: 20 }, (_, i) => r.upsert({ systemName: `kwh_${i}`, id: i + 1, url: 'https://x', state: 'active' })));
    assert.equal((await r.list()).length, 20);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a corrupt registry file is moved aside with a warning, not fatal', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kwh-registry-'));
  try {
    const r = registryIn(dir, '1@a');
    writeFileSync(r.filePath, '{ not json');
    assert.deepEqual(await r.list(), []);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /unreadable.*moved it to/);
    await r.upsert({ systemName: 'kwh_x', id: 1, url: 'https://x', state: 'active' });
    assert.equal(JSON.parse(readFileSync(r.filePath, 'utf8')).records.length, 1);
    assert.equal(readdirSync(dir).filter((n) => n.includes('.corrupt-')).length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
