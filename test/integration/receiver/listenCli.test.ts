import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { SerializedEvent } from '../../../src/core/events/model';
import { vectors } from '../../support/vectors';
import { runCli, type CliRun } from './cliProcess';

const SECRET_ENV = 'KWH_LISTEN_TEST_SECRET';
const env = { [SECRET_ENV]: vectors.secret };
const jsonVector = vectors.httpNotification.find((v) => v.hashAlgoHeader === 'sha256')!;
const multiVector = vectors.legacyNotification.find((v) => v.notifications === 2)!;

before(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: join(__dirname, '..', '..', '..'), stdio: 'inherit' });
});

async function startListening(args: string[], t: { after(fn: () => Promise<unknown>): void }): Promise<{ cli: CliRun; url: string }> {
  const cli = runCli(['listen', ...args], env);
  t.after(() => cli.stop('SIGKILL'));
  const { line, index } = await cli.waitForLine(/./);
  assert.equal(index, 0);
  const m = /^listening (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
  assert.ok(m, `first line is "listening http://127.0.0.1:PORT", got "${line}"`);
  assert.notEqual(m[2], '0');
  return { cli, url: m[1]! };
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  const res = await request(url, { method: 'POST', body, headers });
  await res.body.text();
  return res.statusCode;
}

const signed = (signature = jsonVector.signature) => ({
  'content-type': jsonVector.contentType,
  'x-kaltura-signature': signature,
  'x-kaltura-hash-algo': 'sha256',
});

test('kwh listen --json: verified, failed and unsigned requests are one JSON line each with the documented fields', async (t) => {
  const { cli, url } = await startListening(['--port', '0', '--kaltura-secret-env', SECRET_ENV, '--json'], t);
  assert.equal(await post(`${url}/kaltura`, jsonVector.body, signed()), 200);
  assert.equal(await post(`${url}/kaltura`, jsonVector.body.replace('Test', 'Tampered'), signed()), 200);
  assert.equal(await post(`${url}/kaltura`, jsonVector.body.replace('123456789', '5'), { 'content-type': 'application/json' }), 200);
  await cli.waitForLine(/^\{/, 3);
  const events = cli.lines.slice(1).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as SerializedEvent);
  assert.equal(events.length, 3);
  for (const e of events) {
    for (const key of ['id', 'receivedAt', 'source', 'type', 'verification', 'duplicateOf', 'deliveryCount', 'request', 'parsed'] as const) {
      assert.ok(key in e, `event line has ${key}`);
    }
    assert.equal(e.request.method, 'POST');
    assert.equal(e.request.path, '/kaltura');
    assert.equal(typeof e.request.headers, 'object');
    assert.equal(e.source, 'kaltura');
  }
  const [verified, failed, unsigned] = events;
  assert.equal(Buffer.from(verified!.request.bodyBase64, 'base64').toString(), jsonVector.body);
  assert.deepEqual(
    { status: verified!.verification.status, algorithm: verified!.verification.algorithm, secretLabel: verified!.verification.secretLabel },
    { status: 'verified', algorithm: 'sha256', secretLabel: SECRET_ENV },
  );
  assert.equal(failed!.verification.status, 'failed');
  assert.ok(failed!.verification.reason, 'a failed verification says why');
  assert.equal(failed!.duplicateOf, verified!.id, 'same job id: linked to the first delivery');
  assert.equal(failed!.deliveryCount, 2);
  assert.equal(unsigned!.verification.status, 'unsigned');
  assert.equal(unsigned!.duplicateOf, null);
  assert.ok(!cli.lines.join('\n').includes(vectors.secret) && !cli.stderr().includes(vectors.secret), 'the secret is never printed');
  assert.equal(await cli.stop('SIGINT'), 0);
});

test('kwh listen --json: a legacy multi-notification prints one line per notification sharing the requestId', async (t) => {
  const { cli, url } = await startListening(['--kaltura-secret-env', SECRET_ENV, '--json'], t);
  assert.equal(await post(`${url}/legacy`, multiVector.body, { 'content-type': 'application/x-www-form-urlencoded' }), 200);
  await cli.waitForLine(/^\{/, 2);
  const events = cli.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as SerializedEvent);
  assert.equal(events.length, 2);
  assert.equal(events[0]!.requestId, events[1]!.requestId);
  assert.deepEqual(events.map((e) => [e.source, e.indexInRequest, e.countInRequest]), [
    ['kaltura-legacy', 0, 2],
    ['kaltura-legacy', 1, 2],
  ]);
  assert.notEqual(events[0]!.id, events[1]!.id);
  assert.equal(await cli.stop('SIGTERM'), 0);
});

test('kwh listen without --json prints one readable line per event; --respond fail-500 answers 500', async (t) => {
  const { cli, url } = await startListening(['--kaltura-secret-env', SECRET_ENV, '--respond', 'fail-500'], t);
  await cli.waitForLine(/fail-500 mode/);
  assert.equal(await post(`${url}/kaltura`, jsonVector.body, signed()), 500);
  const { line } = await cli.waitForLine(/kaltura /, 1);
  assert.match(line, /^\d\d:\d\d:\d\d\.\d{3}  kaltura  \S+  verified\(sha256, KWH_LISTEN_TEST_SECRET\)  .+\[answered 500\]/);
  assert.equal(await cli.stop(), 0);
});

test('kwh listen --store keeps events across a restart', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kwh-listen-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const first = await startListening(['--kaltura-secret-env', SECRET_ENV, '--store', dir, '--json'], t);
  await first.cli.waitForLine(/^loaded 0 events from /);
  await post(`${first.url}/a`, jsonVector.body, signed());
  await post(`${first.url}/b`, '{"hello":1}', { 'content-type': 'application/json' });
  await first.cli.waitForLine(/^\{/, 3);
  const firstEvent = JSON.parse(first.cli.lines.find((l) => l.startsWith('{'))!) as SerializedEvent;
  assert.equal(await first.cli.stop('SIGINT'), 0);
  const logLines = (await readFile(join(dir, 'events.jsonl'), 'utf8')).trim().split('\n');
  assert.equal(logLines.length, 2, 'both events were flushed to the log on Ctrl-C');

  const second = await startListening(['--kaltura-secret-env', SECRET_ENV, '--store', dir, '--json'], t);
  await second.cli.waitForLine(new RegExp(`^loaded 2 events from ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  await post(`${second.url}/a`, jsonVector.body, signed());
  const { line } = await second.cli.waitForLine(/^\{/);
  const retry = JSON.parse(line) as SerializedEvent;
  assert.equal(retry.duplicateOf, firstEvent.id, 'a retry after the restart links to the delivery from the first run');
  assert.equal(retry.deliveryCount, 2);
  assert.equal(await second.cli.stop('SIGTERM'), 0);
});

test('kwh listen usage errors name the cause and the fix', async () => {
  const missing = runCli(['listen', '--kaltura-secret-env', 'KWH_DEFINITELY_UNSET_VAR']);
  assert.equal(await missing.exited, 2);
  assert.match(missing.stderr(), /KWH_DEFINITELY_UNSET_VAR, but it is not set; export it first/);
  const badMode = runCli(['listen', '--respond', 'sometimes']);
  assert.equal(await badMode.exited, 2);
  assert.match(badMode.stderr(), /--respond must be one of ok, fail-500, timeout, got "sometimes"/);
  const halfEnablex = runCli(['listen', '--enablex-user', 'u']);
  assert.equal(await halfEnablex.exited, 2);
  assert.match(halfEnablex.stderr(), /--enablex-user and --enablex-pass-env go together/);
});
