// Fuzzing a live receiver (issue #7, hardening 1) with fast-check: thousands of requests with mutated signed
// Kaltura bodies, random bytes, random header names/values, methods, paths and content types over a real HTTP
// client, plus hand-broken HTTP over raw sockets. The receiver must never crash; every well-formed request is
// answered 200 and recorded (the answer names the stored event); every broken one is answered 4xx with a reason
// or recorded with one; the store keeps to its capacity and the heap stays bounded.
// The seed is printed; rerun a failure with KWH_FUZZ_SEED=<seed>.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import type { StoreChange } from '../../../src/core/events/storeTypes';
import { rawExchange, send, signedSample, startLiveReceiver, type LiveReceiver } from './hardeningSupport';

const SEED = process.env.KWH_FUZZ_SEED ? Number(process.env.KWH_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const HTTP_RUNS = Number(process.env.KWH_FUZZ_RUNS ?? 2000);
const RAW_RUNS = Math.ceil(HTTP_RUNS / 4);
const CAPACITY = 300;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let live: LiveReceiver;
const added: string[] = [];
let sub: { dispose(): void };

before(async () => {
  live = await startLiveReceiver({ maxBodyBytes: 256 * 1024, headersTimeoutMs: 2000, bodyTimeoutMs: 2000 }, { capacity: CAPACITY });
  sub = live.store.onChange((c: StoreChange) => {
    for (const e of c.added) added.push(e.requestId);
  });
  console.log(`fuzz seed ${SEED} (KWH_FUZZ_SEED=${SEED} reproduces)`);
});
after(async () => {
  sub?.dispose();
  await live?.close();
});

// Names Node's client accepts and that do not change the framing (those are exercised over raw sockets).
const FRAMING = new Set(['content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade', 'keep-alive', 'te', 'trailer']);
const tokenChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&\'*+-.^_`|~'.split(''));
const headerName = fc.string({ unit: tokenChar, minLength: 1, maxLength: 40 }).filter((n) => !FRAMING.has(n.toLowerCase()));
const headerValueChar = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\t', '<script>alert(1)</script>', '"', "'", '%00', '\u00e9'),
);
const headerValue = fc.string({ unit: headerValueChar, maxLength: 200 });
const interestingHeaders = fc.oneof(
  fc.tuple(fc.constantFrom('X-KALTURA-SIGNATURE', 'x-kaltura-signature', 'X-Kaltura-Hash-Algo', 'Authorization', 'Content-Type'), headerValue),
  fc.tuple(headerName, headerValue),
);
const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/xml',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '',
  ';;;',
  'application/json; charset=ebcdic',
);
const method = fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'PATCH', 'GET', 'DELETE', 'OPTIONS', 'HEAD');
const pathArb = fc.oneof(
  fc.constant('/kaltura/webhook'),
  fc.string({ maxLength: 60 }).map((s) => '/' + encodeURIComponent(s)),
  fc.string({ maxLength: 30 }).map((s) => `/cb?data=${encodeURIComponent(s)}&sig=${encodeURIComponent(s.slice(0, 8))}`),
);

type Mutation = { kind: 'flip'; at: number; byte: number } | { kind: 'cut'; at: number } | { kind: 'insert'; at: number; bytes: number[] } | { kind: 'drop'; at: number; len: number };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 20 }) }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 50 }) }),
);

function mutate(body: Buffer, mutations: Mutation[]): Buffer {
  let b = Buffer.from(body);
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === 'flip' && b.length > 0) b[at] = m.byte;
    else if (m.kind === 'cut') b = b.subarray(0, at);
    else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
    else if (m.kind === 'drop') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
  }
  return b;
}

const bodyArb = fc.oneof(
  fc.record({ jobId: fc.integer({ min: 1, max: 2_000_000_000 }), mutations: fc.array(mutation, { maxLength: 5 }), keepSignature: fc.boolean() }).map(
    ({ jobId, mutations, keepSignature }) => {
      const s = signedSample(jobId);
      return { body: mutate(s.body, mutations), signature: keepSignature ? s.headers['X-KALTURA-SIGNATURE'] : undefined };
    },
  ),
  fc.uint8Array({ maxLength: 4096 }).map((a) => ({ body: Buffer.from(a), signature: undefined })),
  fc.jsonValue({ maxDepth: 6 }).map((v) => ({ body: Buffer.from(JSON.stringify(v) ?? 'null'), signature: undefined })),
  fc.constant({ body: Buffer.from('['.repeat(5000) + ']'.repeat(5000)), signature: undefined }),
  fc.constant({ body: Buffer.from('data=' + '%'.repeat(300)), signature: undefined }),
);

const requestArb = fc.record({
  method,
  path: pathArb,
  contentType,
  headers: fc.array(interestingHeaders, { maxLength: 8 }),
  body: bodyArb,
});
type FuzzRequest = fc.Arbitrary<typeof requestArb extends fc.Arbitrary<infer T> ? T : never>;
void (null as unknown as FuzzRequest);

test(`${HTTP_RUNS} random and mutated well-formed requests: each answered 200 naming a recorded event`, { timeout: 120_000 }, async () => {
  const specs = fc.sample(requestArb, { numRuns: HTTP_RUNS, seed: SEED });
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const answeredIds: string[] = [];
  const startAdded = added.length;
  let heapAfterWarmup = 0;
  try {
    for (let i = 0; i < specs.length; i += 16) {
      await Promise.all(
        specs.slice(i, i + 16).map(async (spec, j) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of spec.headers) headers[k] = v;
          if (spec.contentType !== undefined) headers['Content-Type'] = spec.contentType;
          if (spec.body.signature) headers['X-KALTURA-SIGNATURE'] = spec.body.signature;
          const hasBody = spec.method !== 'GET' && spec.method !== 'HEAD';
          if (hasBody) headers['Content-Length'] = String(spec.body.body.length);
          let answer;
          try {
            answer = await send(live.receiver.port, { method: spec.method, path: spec.path, headers, body: hasBody ? spec.body.body : undefined, agent, timeoutMs: 10_000 });
          } catch (err) {
            assert.fail(`request #${i + j} (seed ${SEED}) got no answer: ${(err as Error).message}; ${JSON.stringify({ ...spec, body: spec.body.body.toString('base64').slice(0, 200) })}`);
          }
          assert.equal(answer.status, 200, `request #${i + j} (seed ${SEED}): ${answer.status} ${answer.body.slice(0, 200)}`);
          const id = answer.headers['x-kwh-event-id'];
          assert.equal(typeof id, 'string', `request #${i + j} names its event`);
          answeredIds.push(id as string);
        }),
      );
      if (i === 480) {
        gc();
        heapAfterWarmup = process.memoryUsage().heapUsed;
      }
    }
  } finally {
    agent.destroy();
  }
  await live.store.flush();
  const requestIds = new Set(added.slice(startAdded));
  assert.equal(requestIds.size, HTTP_RUNS, 'every request was recorded (one request id per request)');
  const recent = answeredIds.slice(-50).filter((id) => live.store.get(id));
  assert.ok(recent.length >= 45, `the last answers name events that are in the store (${recent.length}/50)`);
  assert.ok(live.store.size <= CAPACITY, `the store keeps to its capacity (${live.store.size} ≤ ${CAPACITY})`);
  gc();
  const heapGrowth = process.memoryUsage().heapUsed - heapAfterWarmup;
  assert.ok(heapGrowth < 64 * 1024 * 1024, `heap stays bounded: grew ${(heapGrowth / 1048576).toFixed(1)} MiB after warm-up over ${HTTP_RUNS - 496} more requests`);
});

// Broken HTTP a client library will not send.
const brokenArb = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 600 }).map((a) => Buffer.from(a)),
  fc.string({ maxLength: 200 }).map((s) => `${s}\r\n\r\n`),
  fc.constantFrom(
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello!!',
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n',
    'POST / HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n',
    'POST / HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\n\r\n',
    'POST / HTTP/9.9\r\nHost: x\r\n\r\n',
    'FROBNICATE / HTTP/1.1\r\nHost: x\r\n\r\n',
    'POST /a b c HTTP/1.1\r\nHost: x\r\n\r\n',
    `POST / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
    '\r\n\r\n\r\n',
  ),
  fc.record({ name: fc.string({ maxLength: 20 }), value: fc.string({ maxLength: 50 }) }).map(({ name, value }) => `POST /raw HTTP/1.1\r\nHost: x\r\n${name}: ${value}\r\nContent-Length: 0\r\n\r\n`),
);

test(`${RAW_RUNS} broken requests over raw sockets: each answered with a reason or recorded, and the receiver keeps serving`, { timeout: 120_000 }, async () => {
  const specs = fc.sample(brokenArb, { numRuns: RAW_RUNS, seed: SEED + 1 });
  let silent = 0;
  const startAdded = added.length;
  let answeredBad = 0;
  for (let i = 0; i < specs.length; i += 10) {
    const batch = specs.slice(i, i + 10);
    const answers = await Promise.all(batch.map((b) => rawExchange(live.receiver.port, b, 5000)));
    answers.forEach((text, j) => {
      const spec = batch[j]!;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      if (status === undefined) {
        // Nothing came back: acceptable only for a connection that sent no request line at all (HTTP lets a
        // server ignore empty lines before one, and Node's parser does).
        silent++;
        assert.match(spec.toString('latin1'), /^[\r\n]*$/, `broken request #${i + j} (seed ${SEED + 1}) got no answer: ${JSON.stringify(spec.toString('latin1').slice(0, 120))}`);
        return;
      }
      if (status === '200') return; // the random bytes happened to be a valid request
      answeredBad++;
      assert.match(status, /^4\d\d$/, `broken request #${i + j} (seed ${SEED + 1}) got ${status}: ${JSON.stringify(spec.toString('latin1').slice(0, 120))}`);
      assert.match(text, /\r\n\r\nkwh: .{10,}/, `the ${status} names the reason: ${JSON.stringify(text.slice(0, 300))}`);
    });
    const s = signedSample(900_000_000 + i);
    const ok = await send(live.receiver.port, { path: s.path, headers: s.headers, body: s.body, timeoutMs: 5000 });
    assert.equal(ok.status, 200, 'a normal request still gets through between broken ones');
  }
  await live.store.flush();
  const recorded = added.length - startAdded;
  assert.ok(recorded >= answeredBad, `every 4xx is recorded too (${recorded} events for ${answeredBad} 4xx answers)`);
  assert.ok(silent < RAW_RUNS, `some broken requests were answered (${RAW_RUNS - silent}/${RAW_RUNS})`);
});
