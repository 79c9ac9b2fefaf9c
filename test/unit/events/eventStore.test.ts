import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore } from '../../../src/core/events/eventStore';
import { eventLogPath } from '../../../src/core/events/eventLog';
import type { StoreChange } from '../../../src/core/events/storeTypes';
import { eventWithKey } from './storeFixtures';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kwh-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('memory is bounded: oldest events are evicted first and reported', async () => {
  const store = createEventStore({ capacity: 10, flushIntervalMs: 5 });
  const changes: StoreChange[] = [];
  store.onChange((c) => changes.push(c));
  const first = Array.from({ length: 10 }, (_, i) => eventWithKey(`a${i}`));
  store.add(first);
  await store.flush();
  const more = Array.from({ length: 15 }, (_, i) => eventWithKey(`b${i}`));
  store.add(more);
  await store.flush();
  assert.equal(store.size, 10);
  assert.deepEqual(store.all().map((e) => e.id), more.slice(5).map((e) => e.id));
  assert.equal(store.get(first[0]!.id), undefined);
  const last = changes.at(-1)!;
  assert.equal(last.added.length, 15, 'every added event is announced, even one evicted in the same batch');
  assert.deepEqual(
    last.evicted,
    [...first, ...more.slice(0, 5)].map((e) => e.id),
    'evicted lists the ten earlier events, then the five added and evicted in this batch (apply added, then evicted)',
  );
  await store.close();
});

test('eviction stays oldest-first over many thousands of evictions and after a clear', async () => {
  const store = createEventStore({ capacity: 100, flushIntervalMs: 5 });
  const evicted: string[] = [];
  store.onChange((c) => evicted.push(...c.evicted));
  const events = Array.from({ length: 12_000 }, (_, i) => eventWithKey(`k${i}`));
  for (let i = 0; i < events.length; i += 7) store.add(events.slice(i, i + 7));
  await store.flush();
  assert.deepEqual(store.all().map((e) => e.id), events.slice(-100).map((e) => e.id));
  assert.deepEqual(evicted, events.slice(0, -100).map((e) => e.id));
  await store.clear();
  const after = Array.from({ length: 150 }, (_, i) => eventWithKey(`c${i}`));
  store.add(after);
  await store.flush();
  assert.deepEqual(store.all().map((e) => e.id), after.slice(50).map((e) => e.id));
  await store.close();
});

test('duplicates link to the first delivery and count deliveries', async () => {
  const store = createEventStore({ flushIntervalMs: 5 });
  const changes: StoreChange[] = [];
  store.onChange((c) => changes.push(c));
  const a = eventWithKey('job:123');
  store.add([a]);
  await store.flush();
  const b = eventWithKey('job:123');
  const other = eventWithKey('job:999');
  const c = eventWithKey('job:123');
  store.add([b, other]);
  store.add([c]);
  await store.flush();
  assert.equal(a.duplicateOf, null);
  assert.equal(a.deliveryCount, 3);
  assert.equal(b.duplicateOf, a.id);
  assert.equal(b.deliveryCount, 2);
  assert.equal(c.duplicateOf, a.id);
  assert.equal(c.deliveryCount, 3);
  assert.equal(other.duplicateOf, null);
  assert.equal(other.deliveryCount, 1);
  assert.deepEqual(store.deliveriesOf(c.id).map((e) => e.id), [a.id, b.id, c.id]);
  assert.deepEqual(changes[1]!.updated.map((e) => e.id), [a.id], 'the first delivery is announced as updated');
  const noKey1 = eventWithKey(undefined, 'same body');
  const noKey2 = eventWithKey(undefined, 'same body');
  store.add([noKey1, noKey2]);
  assert.equal(noKey2.duplicateOf, null, 'events without a dedupeKey are never linked');
  await store.close();
});

test('the dedupe index survives eviction from memory', async () => {
  const store = createEventStore({ capacity: 2, flushIntervalMs: 5 });
  const first = eventWithKey('job:1');
  store.add([first, eventWithKey('x'), eventWithKey('y')]);
  assert.equal(store.get(first.id), undefined);
  const retry = eventWithKey('job:1');
  store.add([retry]);
  assert.equal(retry.duplicateOf, first.id);
  assert.equal(retry.deliveryCount, 2);
  await store.close();
});

test('1000 adds produce a few batched change notifications, not 1000', async () => {
  const store = createEventStore({ flushIntervalMs: 20 });
  const changes: StoreChange[] = [];
  store.onChange((c) => changes.push(c));
  for (let i = 0; i < 1000; i++) store.add([eventWithKey(`k${i}`)]);
  await new Promise((r) => setTimeout(r, 60));
  assert.ok(changes.length >= 1 && changes.length <= 3, `expected 1-3 notifications, got ${changes.length}`);
  assert.equal(changes.reduce((n, c) => n + c.added.length, 0), 1000);
  await store.close();
});

test('events persist across store instances, with duplicate counts recomputed on load', async (t) => {
  const dir = await tempDir(t);
  const store = createEventStore({ logDir: dir, flushIntervalMs: 5 });
  const a = eventWithKey('job:7');
  const binary = eventWithKey('bin', 'x');
  binary.request.body = Buffer.from([0xff, 0xfe, 0x00, 0x80]);
  store.add([a, binary]);
  await store.flush();
  const retry = eventWithKey('job:7');
  store.add([retry]);
  await store.close();

  const reopened = createEventStore({ logDir: dir });
  const changes: StoreChange[] = [];
  reopened.onChange((c) => changes.push(c));
  const { loaded, warnings } = await reopened.load();
  assert.equal(loaded, 3);
  assert.deepEqual(warnings, []);
  assert.deepEqual(reopened.all().map((e) => e.id), [a.id, binary.id, retry.id]);
  assert.equal(reopened.get(a.id)!.deliveryCount, 2, 'the first delivery line said 1; load recomputes it');
  assert.equal(reopened.get(retry.id)!.duplicateOf, a.id);
  assert.deepEqual(reopened.get(binary.id)!.request.body, Buffer.from([0xff, 0xfe, 0x00, 0x80]));
  assert.equal(changes.length, 1);
  assert.equal(changes[0]!.cleared, true);
  assert.equal(changes[0]!.added.length, 3);

  const again = eventWithKey('job:7');
  reopened.add([again]);
  assert.equal(again.duplicateOf, a.id, 'the rebuilt dedupe index links new retries');
  assert.equal(again.deliveryCount, 3);
  await reopened.close();
});

test('load keeps only the newest `capacity` events in memory', async (t) => {
  const dir = await tempDir(t);
  const store = createEventStore({ logDir: dir });
  const events = Array.from({ length: 20 }, (_, i) => eventWithKey(`k${i}`));
  store.add(events);
  await store.close();
  const small = createEventStore({ logDir: dir, capacity: 5 });
  const { loaded } = await small.load();
  assert.equal(loaded, 20);
  assert.deepEqual(small.all().map((e) => e.id), events.slice(15).map((e) => e.id));
  await small.close();
});

test('a torn last line is skipped with a warning naming its line, and later writes start on a new line', async (t) => {
  const dir = await tempDir(t);
  const store = createEventStore({ logDir: dir });
  const a = eventWithKey('one');
  const b = eventWithKey('two');
  store.add([a, b]);
  await store.close();
  await appendFile(eventLogPath(dir), '{"id":"evt_torn","requestId":"req_x","indexIn');

  const reopened = createEventStore({ logDir: dir });
  const first = await reopened.load();
  assert.equal(first.loaded, 2);
  assert.equal(first.warnings.length, 1);
  assert.match(first.warnings[0]!, /line 3: not valid JSON/);
  const c = eventWithKey('three');
  reopened.add([c]);
  await reopened.close();

  const third = createEventStore({ logDir: dir });
  const second = await third.load();
  assert.deepEqual(third.all().map((e) => e.id), [a.id, b.id, c.id]);
  assert.equal(second.warnings.length, 1);
  assert.match(second.warnings[0]!, /line 3/);
  await third.close();
});

test('a line that is JSON but not an event is skipped with a reason', async (t) => {
  const dir = await tempDir(t);
  await writeFile(eventLogPath(dir), '{"hello":"world"}\n\n');
  const store = createEventStore({ logDir: dir });
  const { loaded, warnings } = await store.load();
  assert.equal(loaded, 0);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /line 1: not a workbench event \(id: /);
  await store.close();
});

test('clear empties memory, the dedupe index and the log file', async (t) => {
  const dir = await tempDir(t);
  const store = createEventStore({ logDir: dir, flushIntervalMs: 5 });
  const changes: StoreChange[] = [];
  store.onChange((c) => changes.push(c));
  const a = eventWithKey('job:1');
  store.add([a, eventWithKey('job:2')]);
  await store.flush();
  await store.clear();
  assert.equal(store.size, 0);
  assert.equal(changes.at(-1)!.cleared, true);
  assert.equal(await readFile(eventLogPath(dir), 'utf8'), '');
  const retry = eventWithKey('job:1');
  store.add([retry]);
  assert.equal(retry.duplicateOf, null, 'cleared keys start over');
  await store.close();
  const reopened = createEventStore({ logDir: dir });
  assert.equal((await reopened.load()).loaded, 1);
  await reopened.close();
});

test('a listener that throws does not break the store or other listeners', async () => {
  const warnings: string[] = [];
  const store = createEventStore({ flushIntervalMs: 1, onWarning: (m) => warnings.push(m) });
  let seen = 0;
  store.onChange(() => {
    throw new Error('boom');
  });
  const sub = store.onChange((c) => (seen += c.added.length));
  store.add([eventWithKey('a')]);
  await store.flush();
  sub.dispose();
  store.add([eventWithKey('b')]);
  await store.flush();
  assert.equal(seen, 1);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0]!, /listener threw: boom/);
  await store.close();
});

test('a log folder that cannot be used is refused when the store is made, with the reason and the fix', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'not-a-folder');
  await writeFile(file, 'x');
  assert.throws(() => createEventStore({ logDir: file }), /cannot use .*not-a-folder as the event store \((EEXIST|ENOTDIR)\): give a writable folder, or run without a store folder/);
});

test('a replay is linked to what it replays and is not counted as a delivery by the sender', () => {
  const store = createEventStore();
  const first = eventWithKey('kaltura:1:job:7');
  const retry = eventWithKey('kaltura:1:job:7');
  const replay = { ...eventWithKey('kaltura:1:job:7'), origin: 'replay' as const };
  store.add([first]);
  store.add([replay]);
  store.add([retry]);
  assert.equal(replay.replayOf, first.id);
  assert.equal(replay.duplicateOf, null);
  assert.equal(retry.duplicateOf, first.id);
  assert.equal(retry.deliveryCount, 2, 'two deliveries by the sender, whatever was replayed in between');
  assert.equal(first.deliveryCount, 2);
});
