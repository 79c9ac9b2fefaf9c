import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvents } from '../../../src/core/events/buildEvents';
import { eventLogPath, joinLines, readEventLog } from '../../../src/core/events/eventLog';
import * as logRecord from '../../../src/core/events/logRecord';
import { providerPayloadCodec } from '../../../src/core/providers/payloadCodec';
import { createEventStore } from '../../../src/core/events/eventStore';
import { serializeEvent, type KalturaNotificationPayload, type WebhookEvent } from '../../../src/core/events/model';
import { classifyRequest } from '../../../src/core/providers';
import { buildKalturaSample, buildLegacySample, sampleToCapturedRequest, type SampleRequest } from '../../../src/core/providers/samples';
import { capturedRequest } from '../../support/capturedRequest';
import { eventWithKey } from './storeFixtures';

const SECRET = 'event-log-test-secret';
// The log as the session's store writes and reads it: with the providers' codec injected.
const encodeLogRecord = (event: WebhookEvent): string => logRecord.encodeLogRecord(event, providerPayloadCodec);
const decodeLogLine = (line: Buffer): logRecord.DecodedRecord => logRecord.decodeLogLine(line, providerPayloadCodec);
const decodeLogRecord = (json: unknown): logRecord.DecodedRecord => logRecord.decodeLogRecord(json, providerPayloadCodec);

const credentials = { kalturaSecrets: [{ label: 'test', secret: SECRET }], basicAuth: [] };

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kwh-log-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function eventFrom(sample: SampleRequest, requestId = 'req_log'): WebhookEvent {
  const request = sampleToCapturedRequest(sample, requestId);
  const events = buildEvents(request, classifyRequest(request, credentials), { origin: 'network', response: { status: 200, mode: 'ok', kalturaWouldRetry: false } });
  return events[0]!;
}

/** Encodes, then decodes the way a reload does (request read lazily); the eager decoder must agree byte for byte. */
function roundTrip(event: WebhookEvent): { line: string; back: WebhookEvent } {
  const line = encodeLogRecord(event);
  const lazy = decodeLogLine(Buffer.from(line));
  assert.ok(lazy.ok, lazy.ok ? '' : lazy.problem);
  const eager = decodeLogRecord(JSON.parse(line));
  assert.ok(eager.ok, eager.ok ? '' : eager.problem);
  assert.equal(JSON.stringify(serializeEvent(eager.event)), JSON.stringify(serializeEvent(lazy.event)), 'eager and lazy decoding agree');
  const again = decodeLogLine(Buffer.from(line));
  assert.ok(again.ok);
  return { line, back: again.event };
}

/** The same event as a version-2 line (request before parsed, no `r`), as the previous release wrote it. */
function v2Line(event: WebhookEvent): string {
  const { v: _v, n: _n, r: _r, c: _c, request, parsed, derived, ...head } = JSON.parse(encodeLogRecord(event)) as Record<string, unknown>;
  const json = JSON.stringify({ v: 2, ...head, request, parsed, ...(derived ? { derived } : {}) });
  const rest = json.slice(7);
  const restBytes = Buffer.byteLength(rest);
  let total = 12 + restBytes + 1;
  while (12 + String(total).length + restBytes !== total) total = 12 + String(total).length + restBytes;
  return `{"v":2,"n":${total},${rest}`;
}

function v1Line(event: WebhookEvent): string {
  return JSON.stringify(serializeEvent(event));
}

test('a Kaltura JSON event round-trips through one compact line that holds the body once', () => {
  const event = eventFrom(buildKalturaSample({ secret: SECRET, jobId: 111, entryId: '0_round', now: 1_763_900_000 }));
  const payload = event.parsed as KalturaNotificationPayload;
  assert.equal(event.verification.status, 'verified');
  assert.ok(payload.decoded && payload.object, 'the provider decoded the body');

  const { line, back } = roundTrip(event);
  const requestAt = line.indexOf(',"request":{') + ',"request":'.length;
  assert.match(event.dedupeKey ?? "", /^kaltura:\d+:job:111$/);
  assert.ok(line.startsWith(`{"v":4,"n":${Buffer.byteLength(line)},"r":${Buffer.byteLength(line.slice(0, requestAt))},"c":1,"id":"${event.id}","dedupeKey":"${event.dedupeKey}",`), line.slice(0, 80));
  assert.ok(line.endsWith('}}'), 'the request is the last member');
  assert.ok(line.length < v1Line(event).length / 2, 'at least half the size of the serializeEvent() line');
  const count = (text: string) => text.split('0_round').length - 1;
  assert.equal(count(line), count(event.request.body.toString('utf8')) + 2, 'the entry id appears in the body text, objectId and summary only');

  // Same export after the round trip, byte for byte (key order included), so reloaded events export the same.
  assert.equal(JSON.stringify(serializeEvent(back)), JSON.stringify(serializeEvent(event)));
  assert.deepEqual(back.request.body, event.request.body);
  assert.deepEqual(back.request.headers, event.request.headers);
  const backPayload = back.parsed as KalturaNotificationPayload;
  assert.deepEqual(backPayload.decoded, payload.decoded, 'decoded is recomputed from the body');
  assert.equal(backPayload.object, (backPayload.decoded as { object: unknown }).object, 'object is decoded.object, as the provider builds it');
  backPayload.decoded = 'replaced';
  assert.equal(backPayload.decoded, 'replaced', 'a re-derived field can still be assigned');
});

test('a reloaded event reads its request only when asked, with shared accessors, and every field can be assigned', () => {
  const event = eventFrom(buildKalturaSample({ secret: SECRET, jobId: 121, entryId: '0_lazy' }));
  const other = eventFrom(buildKalturaSample({ secret: SECRET, jobId: 122 }));
  const decode = (e: WebhookEvent) => {
    const d = decodeLogLine(Buffer.from(encodeLogRecord(e)));
    assert.ok(d.ok, d.ok ? '' : d.problem);
    return d.event;
  };
  const [a, b] = [decode(event), decode(other)];
  const requestOf = (e: WebhookEvent) => Object.getOwnPropertyDescriptor(e, 'request')!;
  const decodedOf = (e: WebhookEvent) => Object.getOwnPropertyDescriptor(e.parsed, 'decoded')!;
  assert.equal(typeof requestOf(a).get, 'function', 'the request is an accessor until read');
  assert.equal(requestOf(a).get, requestOf(b).get, 'one getter for every event: no closure per event');
  assert.equal(decodedOf(a).get, decodedOf(b).get);
  assert.deepEqual(Object.keys(a), Object.keys(event), 'members in the order the receiver creates them');
  assert.deepEqual(Object.keys(a.parsed), Object.keys(event.parsed));

  assert.equal(JSON.stringify(serializeEvent(a)), JSON.stringify(serializeEvent(event)));
  assert.equal(a.request, a.request, 'read once, then the same object');
  assert.deepEqual(a.request.body, event.request.body);
  const copy = { ...a };
  assert.equal(copy.request, a.request, 'a spread copies the request');
  assert.deepEqual(Object.getOwnPropertySymbols(copy), [], 'and not the bookkeeping');

  b.request = a.request;
  assert.equal(b.request, a.request, 'request can be replaced');
  const payload = a.parsed as KalturaNotificationPayload;
  assert.equal(payload.object, (payload.decoded as { object: unknown }).object);
  payload.decoded = 'replaced';
  payload.object = { id: 'replaced' };
  assert.equal(payload.decoded, 'replaced');
  assert.deepEqual(payload.object, { id: 'replaced' });
});

test('a request that cannot be read back is shown empty with a problem; the rest of the event loads', () => {
  const event = eventFrom(buildKalturaSample({ secret: SECRET, jobId: 131 }));
  const line = encodeLogRecord(event);
  assert.match(line, /"method":"POST"/);
  const broken = line.replace('"method":"POST"', '"method":123456'); // same length, so the line is still whole
  const decoded = decodeLogLine(Buffer.from(broken));
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.problem);
  const back = decoded.event;
  assert.equal(back.id, event.id);
  assert.equal(back.verification.status, 'verified');
  assert.equal(back.request.method, '');
  assert.equal(back.request.body.length, 0);
  assert.match(back.problems.at(-1)!, /request of this event could not be read back from the event log \(method: /);
});

test('version-2 lines (the previous release) still load, also mixed with new lines, and export the same', async (t) => {
  const dir = await tempDir(t);
  const old = [eventFrom(buildKalturaSample({ secret: SECRET, jobId: 141 }), 'req_v2'), eventWithKey('v2-x')];
  const fresh = [eventWithKey('v2-x'), eventFrom(buildKalturaSample({ secret: SECRET, jobId: 141 }), 'req_v3')];
  await writeFile(eventLogPath(dir), [...old.map(v2Line), ...fresh.map(encodeLogRecord)].join('\n') + '\n');
  for (const capacity of [100, 1]) {
    const store = createEventStore({ logDir: dir, payloadCodec: providerPayloadCodec, capacity });
    const { loaded, warnings } = await store.load();
    assert.equal(loaded, 4);
    assert.deepEqual(warnings, []);
    const retry = store.get(fresh[1]!.id)!;
    assert.equal(retry.duplicateOf, old[0]!.id, `capacity ${capacity}: the v3 retry links to the v2 first delivery`);
    if (capacity === 100) {
      assert.equal(JSON.stringify(serializeEvent(store.get(old[0]!.id)!)), JSON.stringify(serializeEvent({ ...old[0]!, deliveryCount: 2 })));
      assert.equal(store.get(fresh[0]!.id)!.duplicateOf, old[1]!.id);
    }
    await store.close();
  }
});

test('every body format round-trips; what cannot be re-derived is stored as it is', () => {
  const cases: Array<[string, WebhookEvent]> = [
    ['json-urlencoded', eventFrom(buildKalturaSample({ secret: SECRET, format: 'json-urlencoded', jobId: 2 }))],
    ['xml', eventFrom(buildKalturaSample({ secret: SECRET, format: 'xml', jobId: 3 }))],
    ['php', eventFrom(buildKalturaSample({ secret: SECRET, format: 'php', jobId: 4 }))],
    ['fields', eventFrom(buildKalturaSample({ secret: SECRET, format: 'fields' }))],
    ['legacy', eventFrom(buildLegacySample({ secret: SECRET }))],
  ];
  for (const [name, event] of cases) {
    const { back } = roundTrip(event);
    assert.equal(JSON.stringify(serializeEvent(back)), JSON.stringify(serializeEvent(event)), name);
  }
});

test('the codec decides what a line leaves out: whole payloads without it, the body alone for what it re-derives', () => {
  const json = eventFrom(buildKalturaSample({ secret: SECRET, jobId: 131, entryId: '0_codec' }));
  const whole = logRecord.encodeLogRecord(json);
  const compact = encodeLogRecord(json);
  assert.ok(!whole.includes('"derived"') && compact.includes('"derived":["decoded","object"]'), compact.slice(0, 200));
  const count = (text: string) => text.split('0_codec').length - 1;
  assert.ok(count(whole) > count(compact), 'without the codec decoded and object are written out');
  const back = logRecord.decodeLogLine(Buffer.from(whole));
  assert.ok(back.ok);
  assert.equal(JSON.stringify(serializeEvent(back.event)), JSON.stringify(serializeEvent(json)), 'a whole line needs no codec to read');

  // A GET template's data is its query, not its body: re-decoding the (empty) body would lose it, so it is kept.
  const get = eventFrom(buildKalturaSample({ secret: SECRET, jobId: 132, method: 'GET', format: 'json-urlencoded' }));
  assert.ok((get.parsed as KalturaNotificationPayload).decoded, 'the provider decoded the query');
  assert.deepEqual(providerPayloadCodec.derivedMembers(get), []);
  assert.equal(JSON.stringify(serializeEvent(roundTrip(get).back)), JSON.stringify(serializeEvent(get)));

  // What the codec left out comes back through the codec it is read with.
  const calls: string[] = [];
  const counting = { ...providerPayloadCodec, decode: (p: Parameters<typeof providerPayloadCodec.decode>[0], r: Parameters<typeof providerPayloadCodec.decode>[1]) => (calls.push(p.kind), providerPayloadCodec.decode(p, r)) };
  const lazy = logRecord.decodeLogLine(Buffer.from(compact), counting);
  assert.ok(lazy.ok);
  assert.deepEqual(calls, [], 'nothing decoded until read');
  assert.deepEqual((lazy.event.parsed as KalturaNotificationPayload).decoded, (json.parsed as KalturaNotificationPayload).decoded);
  assert.deepEqual(calls, ['kaltura']);
});

test('binary bodies, cut bodies and header records that are not derivable from the pairs survive', () => {
  const binary = buildEvents(capturedRequest({ body: Buffer.from([0xff, 0x00, 0xc3, 0x28, 0x7b]), headers: { 'Content-Type': 'application/octet-stream' } }), [
    { source: 'unknown', type: 'unknown', summary: 'bytes', parsed: { kind: 'unknown', decoded: 'whatever' }, verification: { status: 'unsigned' }, problems: ['p'] },
  ])[0]!;
  const bin = roundTrip(binary);
  assert.match(bin.line, /"bodyBase64":/);
  assert.deepEqual(bin.back.request.body, binary.request.body);
  assert.equal(JSON.stringify(serializeEvent(bin.back)), JSON.stringify(serializeEvent(binary)));

  const repeated = buildEvents(capturedRequest({ body: '{"a":1}', headers: [['X-A', '1'], ['x-a', '2'], ['Content-Type', 'application/json']], bodySize: 99, bodyTruncated: true }), [
    { source: 'unknown', type: 'unknown', summary: 's', parsed: { kind: 'unknown' }, verification: { status: 'unsigned' }, problems: [] },
  ])[0]!;
  const rep = roundTrip(repeated);
  assert.doesNotMatch(rep.line, /"headers":/, 'joined repeats are rebuilt from the pairs');
  assert.equal(rep.back.request.headers['x-a'], '1, 2');
  assert.equal(rep.back.request.bodyTruncated, true);
  assert.equal(rep.back.request.bodySize, 99);

  const odd = eventWithKey('odd');
  odd.request.headers = { 'x-only-here': 'yes' };
  const oddBack = roundTrip(odd);
  assert.match(oddBack.line, /"headers":\{"x-only-here":"yes"\}/);
  assert.deepEqual(oddBack.back.request.headers, { 'x-only-here': 'yes' });

  // A payload that is not a provider's conclusion about this body (here: kind unknown) is written in full.
  assert.deepEqual(providerPayloadCodec.derivedMembers(binary), []);
  assert.match(bin.line, /"decoded":"whatever"/);
});

test('ids and dedupe keys with quotes, backslashes and non-ASCII characters are read from old lines correctly', async (t) => {
  const dir = await tempDir(t);
  const keys = ['k"quote', 'k\\back', 'ключ ✓', 'plain'];
  const events = keys.map((k) => eventWithKey(k));
  events[1]!.id = 'evt_"odd\\id';
  const retries = keys.map((k) => eventWithKey(k));
  const lines = [...events, ...retries].map(encodeLogRecord);
  await writeFile(eventLogPath(dir), lines.join('\n') + '\n');

  const store = createEventStore({ logDir: dir, payloadCodec: providerPayloadCodec, capacity: 1 });
  const { loaded, warnings } = await store.load();
  assert.equal(loaded, 8);
  assert.deepEqual(warnings, []);
  const [last] = store.all();
  assert.equal(last!.id, retries[3]!.id);
  assert.equal(last!.duplicateOf, events[3]!.id);
  assert.equal(last!.deliveryCount, 2);
  // Old lines only fed the dedupe index: a further retry of each key links to its first delivery.
  for (const [i, k] of keys.entries()) {
    const again = eventWithKey(k);
    store.add([again]);
    assert.equal(again.duplicateOf, events[i]!.id, k);
    assert.equal(again.deliveryCount, 3, k);
  }
  await store.close();
});

test('a log written in the previous format (one serializeEvent() per line) still loads, also mixed with new lines', async (t) => {
  const dir = await tempDir(t);
  const old = [eventFrom(buildKalturaSample({ secret: SECRET, jobId: 7 }), 'req_a'), eventWithKey('x'), eventWithKey('y')];
  const fresh = [eventWithKey('x'), eventFrom(buildKalturaSample({ secret: SECRET, jobId: 7 }), 'req_b')];
  await writeFile(eventLogPath(dir), old.map(v1Line).join('\n') + '\n' + fresh.map(encodeLogRecord).join('\n') + '\n');

  for (const capacity of [100, 2]) {
    const store = createEventStore({ logDir: dir, payloadCodec: providerPayloadCodec, capacity });
    const { loaded, warnings } = await store.load();
    assert.equal(loaded, 5, `capacity ${capacity}`);
    assert.deepEqual(warnings, []);
    const all = store.all();
    assert.deepEqual(all.map((e) => e.id), [...old, ...fresh].slice(-Math.min(capacity, 5)).map((e) => e.id));
    const retryX = store.get(fresh[0]!.id)!;
    assert.equal(retryX.duplicateOf, old[1]!.id);
    const retryJob = store.get(fresh[1]!.id)!;
    assert.equal(retryJob.duplicateOf, old[0]!.id);
    assert.equal(retryJob.deliveryCount, 2);
    if (capacity === 100) {
      // Byte for byte, key order included: exports of a reloaded old event read as they did before.
      assert.equal(JSON.stringify(serializeEvent(store.get(old[0]!.id)!)), v1Line({ ...old[0]!, duplicateOf: null, deliveryCount: 2 }));
    }
    await store.close();
  }
});

test('torn or foreign lines are skipped with their line number, in the kept window and before it', async (t) => {
  const dir = await tempDir(t);
  const events = Array.from({ length: 6 }, (_, i) => eventWithKey(`torn-${i % 3}`));
  const lines = events.map(encodeLogRecord);
  const torn = lines[1]!.slice(0, Math.floor(lines[1]!.length / 2));
  // line 2 is a fragment (a crash mid-append), line 4 is blank, line 5 is JSON but no event.
  const foreign = '{"v":2,"id":"evt_x"}';
  const text = [lines[0], torn, '', foreign, lines[2], lines[3], lines[4], lines[5]].join('\n');
  await writeFile(eventLogPath(dir), text + '\n');
  await appendFile(eventLogPath(dir), lines[5]!.slice(0, 40));

  for (const capacity of [2, 100]) {
    const store = createEventStore({ logDir: dir, payloadCodec: providerPayloadCodec, capacity });
    const { loaded, warnings } = await store.load();
    assert.equal(loaded, 5, `capacity ${capacity}: events 0, 2, 3, 4, 5`);
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.match(warnings[0]!, /line 2: not valid JSON .*torn/);
    assert.match(warnings[1]!, /line 4: not a workbench event \(requestId: /);
    assert.match(warnings[2]!, /line 9: not valid JSON/);
    const last = store.get(events[5]!.id)!;
    assert.equal(last.duplicateOf, events[2]!.id, 'torn-2: first delivery is event 2');
    assert.equal(last.deliveryCount, 2);
    // torn-1's first delivery (event 1) is the torn line, so event 4 is the first one that counts.
    const four = store.get(events[4]!.id)!;
    assert.equal(four.duplicateOf, null);
    assert.equal(four.deliveryCount, 1);
    await store.close();
  }
});

test('reloading many events keeps the newest `capacity` with the same links and counts as a full reload', async (t) => {
  const dir = await tempDir(t);
  const writer = createEventStore({ logDir: dir, payloadCodec: providerPayloadCodec, capacity: 10_000 });
  // 600 events over 150 keys (four deliveries each, spread out) plus events without a key.
  const events: WebhookEvent[] = [];
  for (let i = 0; i < 600; i++) events.push(eventWithKey(i % 7 === 0 ? undefined : `job:${(i * 37) % 150}`));
  for (let i = 0; i < events.length; i += 50) writer.add(events.slice(i, i + 50));
  await writer.close();

  const full = createEventStore({ logDir: dir, payloadCodec: providerPayloadCodec, capacity: 10_000 });
  assert.equal((await full.load()).loaded, 600);
  const truth = new Map(full.all().map((e) => [e.id, { duplicateOf: e.duplicateOf, deliveryCount: e.deliveryCount }]));
  await full.close();

  const capacity = 40;
  const windowed = createEventStore({ logDir: dir, payloadCodec: providerPayloadCodec, capacity });
  const { loaded, warnings } = await windowed.load();
  assert.equal(loaded, 600, 'every valid line counts, materialized or not');
  assert.deepEqual(warnings, []);
  assert.deepEqual(windowed.all().map((e) => e.id), events.slice(-capacity).map((e) => e.id));
  let duplicates = 0;
  for (const e of windowed.all()) {
    const expected = truth.get(e.id)!;
    if (e.duplicateOf !== null) duplicates++;
    assert.equal(e.duplicateOf, expected.duplicateOf, `duplicateOf of ${e.id}`);
    // A first delivery in the window counts every delivery of its key, as in the full reload.
    if (e.duplicateOf === null) assert.equal(e.deliveryCount, expected.deliveryCount, `deliveryCount of ${e.id}`);
    else assert.equal(e.deliveryCount, expected.deliveryCount, `deliveryCount of ${e.id}`);
  }
  assert.ok(duplicates > 20, 'the window holds retries whose first delivery is outside it');
  await windowed.close();

  // readEventLog on its own hands older lines over as heads, in file order, then the events.
  const heads: string[] = [];
  const materialized: string[] = [];
  const result = await readEventLog(eventLogPath(dir), (e) => materialized.push(e.id), { newest: 5, onOlder: (h) => heads.push(h.id), codec: providerPayloadCodec });
  assert.equal(result.events, 600);
  assert.deepEqual([...heads, ...materialized], events.map((e) => e.id));
  assert.equal(materialized.length, 5);
  const raw = await readFile(eventLogPath(dir), 'utf8');
  assert.equal(raw.split('\n').filter(Boolean).every((l) => l.startsWith('{"v":4,"n":')), true);
});

test('lines across read boundaries, CRLF endings and a torn tail read the same with any read size', async (t) => {
  const dir = await tempDir(t);
  const events: WebhookEvent[] = [];
  for (let i = 0; i < 120; i++) {
    events.push(i % 3 === 0 ? eventFrom(buildKalturaSample({ secret: SECRET, jobId: 900 + (i % 40) }), `req_${i}`) : eventWithKey(`b-${i % 30}`));
  }
  const lines = events.map(encodeLogRecord);
  // Some lines end in CRLF (a log copied through Windows), then a torn last line.
  const text = lines.map((l, i) => (i % 10 === 0 ? `${l}\r\n` : `${l}\n`)).join('') + lines[5]!.slice(0, 100);
  await writeFile(eventLogPath(dir), text);

  const read = async (chunkBytes: number | undefined, newest: number | undefined) => {
    const seen: string[] = [];
    const heads: string[] = [];
    const result = await readEventLog(eventLogPath(dir), (e) => seen.push(JSON.stringify(serializeEvent(e))), {
      codec: providerPayloadCodec,
      ...(chunkBytes ? { chunkBytes } : {}),
      ...(newest !== undefined ? { newest, onOlder: (h) => heads.push(h.id) } : {}),
    });
    return { seen, heads, result };
  };
  const reference = await read(undefined, undefined);
  assert.equal(reference.result.events, 120);
  assert.equal(reference.result.warnings.length, 1, reference.result.warnings.join('\n'));
  assert.match(reference.result.warnings[0]!, /line 121: not valid JSON/);
  assert.deepEqual(reference.seen, events.map((e) => JSON.stringify(serializeEvent(e))));
  for (const chunkBytes of [64, 1000, 4093]) {
    const all = await read(chunkBytes, undefined);
    assert.deepEqual(all.seen, reference.seen, `read size ${chunkBytes}`);
    assert.deepEqual(all.result.warnings, reference.result.warnings, `read size ${chunkBytes}`);
    const newest = await read(chunkBytes, 17);
    assert.deepEqual(newest.seen, reference.seen.slice(-17), `read size ${chunkBytes}, newest 17`);
    assert.deepEqual(newest.heads, events.slice(0, -17).map((e) => e.id));
  }
});


test('joinLines writes each line as UTF-8 plus a newline, for any characters, at the cost of encoding each line', () => {
  const lines = ['plain', 'Latin-1 · café', '日本語のタイトル…', 'astral 🎬 and a lone surrogate \ud800 end', ''];
  assert.deepEqual(joinLines(lines), Buffer.from(lines.join('\n') + '\n'));
  assert.deepEqual(joinLines([]), Buffer.alloc(0));

  // Joining seventeen 13 KB lines with characters beyond Latin-1 into one string before encoding takes 5-7x as long
  // as encoding each line on Node 20 and 22. The baseline is each line encoded on its
  // own, in the same run.
  const batch = Array.from({ length: 17 }, (_, i) => JSON.stringify({ i, s: '日本語のタイトル…'.repeat(500) }));
  // Rounds alternate between the two so that a busy machine slows both alike; the fastest round of each counts.
  const time = (run: () => unknown) => {
    const t = process.hrtime.bigint();
    for (let k = 0; k < 50; k++) run();
    return Number(process.hrtime.bigint() - t);
  };
  let perLine = Infinity;
  let joined = Infinity;
  for (let round = 0; round < 15; round++) {
    perLine = Math.min(perLine, time(() => batch.map((line) => Buffer.from(`${line}\n`))));
    joined = Math.min(joined, time(() => joinLines(batch)));
  }
  assert.ok(joined < perLine * 4, `joinLines took ${(joined / perLine).toFixed(1)}x as long as encoding each line on its own`);
});
