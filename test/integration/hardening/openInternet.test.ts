// The attacks of the open internet, each against a real `kwh listen --store DIR` process (the built CLI; the
// extension runs the same receiver): the process lives, a good client beside the attacker keeps a p99 under 250 ms,
// the peak RSS stays under 512 MiB, and the hostile request is recorded with the reason it was cut or refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { readEventLog } from '../../../src/core/events/eventLog';
import type { WebhookEvent } from '../../../src/core/events/model';
import { distinctMalformedKeysBody, malformedEscapesBody, manyAttributesXmlBody, multiNotificationBody, multiWithoutIdsBody, runFlood, startBareServer } from '../../support/hostileRequests';
import { runCli, type CliRun } from '../receiver/cliProcess';
import { HARDENING_SECRET, signedSample } from './hardeningSupport';

const SECRET_ENV = 'KWH_OPEN_INTERNET_SECRET';
const P99_LIMIT_MS = 250;
const RSS_LIMIT_BYTES = 512 * 1024 * 1024;

interface Listener {
  cli: CliRun;
  port: number;
  dir: string;
  pid: number;
}

async function listen(t: { after(fn: () => unknown): void }): Promise<Listener> {
  const dir = await mkdtemp(join(tmpdir(), 'kwh-open-internet-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return listenAt(t, dir);
}

async function listenAt(t: { after(fn: () => unknown): void }, dir: string): Promise<Listener> {
  const cli = runCli(['listen', '--store', dir, '--kaltura-secret-env', SECRET_ENV], { [SECRET_ENV]: HARDENING_SECRET });
  t.after(() => cli.stop('SIGKILL'));
  const { line } = await cli.waitForLine(/^listening /, 0, 15_000);
  return { cli, port: Number(new URL(line.slice('listening '.length)).port), dir, pid: cli.child.pid! };
}

/** Peak resident memory of a process so far (VmHWM). */
function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status);
  assert.ok(kb, 'VmHWM in /proc/PID/status');
  return Number(kb[1]) * 1024;
}

function post(port: number, path: string, headers: Record<string, string>, body: Buffer | string, method = 'POST', agent: Agent | false = false): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** A well-behaved Kaltura sender beside the attack: one signed notification every 20 ms, each timed. */
function goodClient(port: number, agent: Agent | false = false): { stop(): Promise<{ p99: number; count: number; failures: string[] }> } {
  let running = true;
  const latencies: number[] = [];
  const failures: string[] = [];
  let job = 7_000_000 + Math.floor(Math.random() * 1_000_000);
  const loop = (async () => {
    while (running) {
      const sample = signedSample(job++);
      const started = performance.now();
      try {
        const answer = await post(port, '/good', sample.headers as Record<string, string>, sample.body, 'POST', agent);
        latencies.push(performance.now() - started);
        if (answer.status !== 200) failures.push(`HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
      } catch (err) {
        failures.push(String(err));
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const sorted = [...latencies].sort((a, b) => a - b);
      return { p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? Infinity, count: sorted.length, failures };
    },
  };
}

async function storedEvents(dir: string): Promise<WebhookEvent[]> {
  const events: WebhookEvent[] = [];
  await readEventLog(join(dir, 'events.jsonl'), (e) => events.push(e));
  return events;
}

/** Runs `attack` with the good client beside it, then checks life and memory; `measured` gets the good client's p99; returns the stored events. */
async function survive(l: Listener, attack: () => Promise<unknown>, agent: Agent | false, measured: (p99: number) => void): Promise<WebhookEvent[]> {
  const good = goodClient(l.port, agent);
  await new Promise((r) => setTimeout(r, 100));
  await attack();
  await new Promise((r) => setTimeout(r, 200));
  const { p99, count, failures } = await good.stop();
  assert.equal(l.cli.child.exitCode, null, `kwh listen is still running (stderr: ${l.cli.stderr().slice(-2000)})`);
  assert.deepEqual(failures, [], 'every good request was answered 200');
  assert.ok(count >= 5, `the good client got answers during the attack (${count})`);
  measured(p99);
  const rss = peakRss(l.pid);
  assert.ok(rss < RSS_LIMIT_BYTES, `peak RSS ${(rss / 2 ** 20).toFixed(0)} MiB < 512 MiB`);
  const after = await post(l.port, '/after', { 'content-type': 'application/json' }, '{"after":true}');
  assert.equal(after.status, 200, 'the receiver answers after the attack');
  return storedEvents(l.dir);
}

/**
 * survive() on a fresh `kwh listen` per round, up to three rounds: the p99 of ~12 timed requests is their slowest,
 * so one scheduler stall on a shared CI machine fails a round; a receiver that blocks its event loop fails all three.
 * Everything else (life, 200s, memory, what was stored) is asserted in every round. The rounds' figures are reported.
 */
async function surviveInRounds(t: TestContext, attack: (l: Listener) => Promise<unknown>): Promise<{ events: WebhookEvent[]; l: Listener }> {
  const rounds: string[] = [];
  for (let round = 1; ; round++) {
    const l = await listen(t);
    let p99 = Infinity;
    const events = await survive(l, () => attack(l), false, (measured) => (p99 = measured));
    rounds.push(`round ${round}: good client p99 ${p99.toFixed(0)} ms`);
    if (p99 < P99_LIMIT_MS) {
      t.diagnostic(rounds.join('; '));
      return { events, l };
    }
    assert.ok(round < 3, `good client p99 ${P99_LIMIT_MS} ms or more in every round: ${rounds.join('; ')}`);
    await l.cli.stop('SIGKILL');
  }
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const ROW3_ROUNDS = 5;


test('row 1: a 5,000-part legacy multi-notification is stored once, split into at most 1,000 events', async (t) => {
  const body = multiNotificationBody();
  let status = 0;
  const { events, l } = await surviveInRounds(t, async (l) => {
    status = (await post(l.port, '/legacy', FORM, body)).status;
  });
  assert.equal(status, 200);
  const split = events.filter((e) => e.source === 'kaltura-legacy');
  assert.equal(split.length, 1000);
  assert.match(split[0]!.problems.join('\n'), /5000 notifications in one request: the first 1000 are shown as events/);
  // The request's bytes are in the log once, not once per event.
  const logBytes = statSync(join(l.dir, 'events.jsonl')).size;
  assert.ok(logBytes < body.length + 1000 * 1200, `log is ${logBytes} bytes for a ${body.length}-byte request`);
  assert.equal(split[999]!.request.body.length, body.length);
});

test('row 2: a multi-notification without notification ids costs linear time and memory', async (t) => {
  const body = multiWithoutIdsBody();
  let took = 0;
  const { events } = await surviveInRounds(t, async (l) => {
    const started = performance.now();
    await post(l.port, '/legacy', FORM, body);
    took = performance.now() - started;
  });
  assert.ok(took < 10_000, `the request took ${took.toFixed(0)} ms`);
  const split = events.filter((e) => e.source === 'kaltura-legacy');
  assert.equal(split.length, 1000);
  const problems = split[0]!.problems.join('\n');
  assert.match(problems, /notifications 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 … \(1000 in all\) have no notification_id/);
  assert.ok(split[0]!.problems.length <= 22, 'the problem list is bounded');
});

test('row 3: 200 connections sending 4.5 MB bodies and closing are refused past the in-flight bound', async (t) => {
  // 900 MB pushed through loopback on a 2-core machine stalls even a bare node:http server's other clients (a new
  // connection's SYN dropped while the loopback queue is full waits a 1 s retransmit), so here the good client keeps
  // its connection open, and its p99 is compared with what a bare node:http server gets under the same flood.
  // The figure is machine-bound and noisy (one stalled sample is the p99 of ~40), so it is taken as the best of up to
  // five rounds, each beside its own bare baseline, and held to max(250 ms, 2 x bare); life, memory and the refusals
  // are asserted in every round. (Measured: ours 137-376 ms, bare 43-400 ms, across runs and Node versions; three rounds
  // all over the limit happened once in a CI rehearsal on Node 26.)
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => agent.destroy());
  const bare = await startBareServer();
  t.after(() => bare.kill());
  const rounds: string[] = [];
  for (let round = 1; round <= ROW3_ROUNDS; round++) {
    const good = goodClient(bare.port, agent);
    await new Promise((r) => setTimeout(r, 100));
    await runFlood(bare.port);
    const baseline = await good.stop();
    const limit = Math.max(P99_LIMIT_MS, baseline.p99 * 2);
    const l = await listen(t);
    let ours = Infinity;
    // The flood comes from its own process, as it would from the internet: the good client's timings are then the
    // receiver's, not this test process's event loop busy writing 900 MB.
    const events = await survive(l, () => runFlood(l.port), agent, (p99) => (ours = p99));
    const refused = events.filter((e) => e.response?.status === 503);
    assert.ok(refused.length > 0, 'some requests were refused with 503');
    assert.match(refused[0]!.problems.join('\n'), /refused: 64 MiB of request bodies are being received already; answered 503 with Retry-After/);
    await l.cli.stop('SIGKILL');
    rounds.push(`round ${round}: ours ${ours.toFixed(0)} ms, bare ${baseline.p99.toFixed(0)} ms, limit ${limit.toFixed(0)} ms`);
    if (ours < limit) break;
    assert.ok(round < ROW3_ROUNDS, `good client p99 over the limit in every round: ${rounds.join('; ')}`);
  }
  t.diagnostic(rounds.join('; '));
});


test('row 4: 5 MB of malformed %-escapes do not block other clients (three at once)', async (t) => {
  const body = malformedEscapesBody();
  const { events } = await surviveInRounds(t, (l) => Promise.all([1, 2, 3].map(() => post(l.port, '/form', FORM, body))));
  const forms = events.filter((e) => e.request.path === '/form');
  assert.equal(forms.length, 3);
  assert.match(forms[0]!.problems.join('\n'), /is not decoded for display \(more than 1048576 bytes from an unknown sender\)/);
  assert.equal(forms[0]!.request.body.length, body.length, 'the raw bytes are kept');
});

test('row 4b: a form body just under the display limit is decoded up to the field budget', async (t) => {
  const body = malformedEscapesBody(1_020_000);
  const { events } = await surviveInRounds(t, (l) => post(l.port, '/form', FORM, body));
  const form = events.find((e) => e.request.path === '/form')!;
  assert.match(form.problems.join('\n'), /more than 10000 form fields: decoded the first 10000, the rest \(from character 60000 of the body text\) is kept in the raw body only/);
});

test('row 5: 200,000 distinct malformed keys give a bounded, meaningful problem list', async (t) => {
  const many = distinctMalformedKeysBody(200_000);
  const fewer = distinctMalformedKeysBody(60_000);
  const { events } = await surviveInRounds(t, async (l) => {
    await post(l.port, '/keys', FORM, many);
    await post(l.port, '/fewer', FORM, fewer);
  });
  for (const path of ['/keys', '/fewer']) {
    const event = events.find((e) => e.request.path === path)!;
    assert.doesNotMatch(event.problems.join('\n'), /Maximum call stack/);
    assert.ok(event.problems.length <= 22, `${path}: bounded problem list (${event.problems.length})`);
  }
  const decoded = events.find((e) => e.request.path === '/fewer')!.problems.join('\n');
  assert.match(decoded, /form field "k0%zz" has a malformed %-escape; kept literally/);
  assert.match(decoded, /… and \d+ more problems of the same kinds, not listed/);
  assert.match(decoded, /more than 10000 form fields/);
});

test('row 6: a GET with 16,000 "?" and a fake signature is checked at bounded cost', async (t) => {
  const path = '/get' + '?'.repeat(16_000);
  const headers = { 'x-kaltura-signature': 'ab'.repeat(20) };
  const { events } = await surviveInRounds(t, async (l) => {
    for (let i = 0; i < 20; i++) await post(l.port, path, headers, '', 'GET');
  });
  const gets = events.filter((e) => e.request.path.startsWith('/get'));
  assert.equal(gets.length, 20);
  assert.equal(gets[0]!.verification.status, 'failed');
  assert.match(gets[0]!.verification.reason ?? '', /only the query after each of the first 8 '\?' of the URL was tried/);
});

test('row 7: an XML body with 420,000 attributes is cut at the node budget', async (t) => {
  const body = manyAttributesXmlBody();
  const { events } = await surviveInRounds(t, (l) => post(l.port, '/xml', { 'content-type': 'application/xml' }, body));
  const event = events.find((e) => e.request.path === '/xml')!;
  assert.match(event.problems.join('\n'), /more than 10000 XML nodes and attributes/);
});

// ---------------------------------------------------------------------------------------------------------
// Rows 8 and 9: 200 means stored.

/** Runs mount/umount as root, or through sudo without a password; returns why not when neither works. */
function asRoot(args: string[]): string | undefined {
  const direct = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
  if (direct.status === 0) return undefined;
  const sudo = spawnSync('sudo', ['-n', ...args], { encoding: 'utf8' });
  if (sudo.status === 0) return undefined;
  return `${args.join(' ')} needs root or passwordless sudo: ${direct.stderr || direct.error?.message} / ${sudo.stderr || sudo.error?.message}`;
}

async function tmpfs(t: { after(fn: () => unknown): void; skip(message: string): void }, sizeKiB: number): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'kwh-full-disk-'));
  const why = asRoot(['mount', '-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir]);
  if (why) {
    t.skip(why);
    return undefined;
  }
  t.after(async () => {
    asRoot(['umount', '-l', dir]);
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

function paddedSample(job: number, padBytes: number) {
  const sample = signedSample(job);
  const body = JSON.parse(sample.body.toString()) as Record<string, unknown>;
  body['padding'] = 'p'.repeat(padBytes);
  const text = JSON.stringify(body);
  const signature = createHash('sha1').update(HARDENING_SECRET + text).digest('hex');
  return { body: text, headers: { 'content-type': 'application/json', 'x-kaltura-signature': signature, 'x-kaltura-hash-algo': 'sha1' } };
}

async function jobIdsIn(dir: string): Promise<{ ids: Set<string>; warnings: string[] }> {
  const ids = new Set<string>();
  const { warnings } = await readEventLog(join(dir, 'events.jsonl'), (e) => {
    const job = /:(job:\d+)$/.exec(e.dedupeKey ?? '');
    if (job) ids.add(job[1]!);
  });
  return { ids, warnings };
}

test('row 8: on a full disk no request is answered 200 unless stored, and writing resumes on a clean line', async (t) => {
  const mount = await tmpfs(t, 2048);
  if (!mount) return;
  writeFileSync(join(mount, 'filler'), Buffer.alloc(1536 * 1024));
  const store = join(mount, 'store');
  const l1 = await listenAt(t, store);
  const acknowledged: string[] = [];
  const refused: number[] = [];
  for (let job = 1; job <= 70; job++) {
    const s = paddedSample(80_000 + job, 20_000);
    const answer = await post(l1.port, '/full', s.headers, s.body);
    if (answer.status === 200) acknowledged.push(`job:${80_000 + job}`);
    else {
      assert.equal(answer.status, 503, answer.body);
      assert.equal(answer.headers['retry-after'], '5');
      refused.push(job);
    }
  }
  assert.ok(refused.length > 0, 'the full disk refused some requests');
  assert.match(l1.cli.stderr(), /could not write to the event log .*events\.jsonl: .*ENOSPC/);
  // Room again: the next requests are stored without a restart.
  unlinkSync(join(mount, 'filler'));
  for (let job = 71; job <= 80; job++) {
    const s = paddedSample(80_000 + job, 20_000);
    const answer = await post(l1.port, '/full', s.headers, s.body);
    assert.equal(answer.status, 200, `stored again after the disk has room (${answer.body})`);
    acknowledged.push(`job:${80_000 + job}`);
  }
  assert.match(l1.cli.stderr(), /is writable again/);
  assert.equal(await l1.cli.stop('SIGINT'), 0);
  const { ids, warnings } = await jobIdsIn(store);
  assert.deepEqual(warnings, [], 'no torn or glued lines');
  assert.deepEqual(acknowledged.filter((id) => !ids.has(id)), [], 'every request answered 200 is in the log');
});

test('row 8b: a store folder on a read-only file system is refused at start with the reason', async (t) => {
  const mount = await tmpfs(t, 1024);
  if (!mount) return;
  // A folder that cannot take the lock or the log (remounting with the log open is refused by Linux itself).
  mkdirSync(join(mount, 'store'));
  assert.equal(asRoot(['mount', '-o', 'remount,ro', mount]), undefined);
  const cli = runCli(['listen', '--store', join(mount, 'store'), '--kaltura-secret-env', SECRET_ENV], { [SECRET_ENV]: HARDENING_SECRET });
  assert.equal(await cli.exited, 1);
  assert.match(cli.stderr(), /cannot use .*store as the event store \(EROFS\): the folder is on a read-only file system/);
  assert.equal(asRoot(['mount', '-o', 'remount,rw', mount]), undefined);
});

test('row 9: a second kwh listen on the same store is refused, naming the holder', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kwh-lock-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const first = await listenAt(t, dir);
  const second = runCli(['listen', '--store', dir, '--kaltura-secret-env', SECRET_ENV], { [SECRET_ENV]: HARDENING_SECRET });
  assert.notEqual(await second.exited, 0);
  assert.match(second.stderr(), new RegExp(`the event store .* is in use by kwh listen \\(pid ${first.pid} on `));
  // The first keeps storing, and after it stops the folder is free again.
  const s = paddedSample(95_001, 10);
  assert.equal((await post(first.port, '/lock', s.headers, s.body)).status, 200);
  assert.equal(await first.cli.stop('SIGINT'), 0);
  const third = await listenAt(t, dir);
  assert.equal(third.cli.child.exitCode, null);
});
