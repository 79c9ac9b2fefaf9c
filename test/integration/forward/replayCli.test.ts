// `kwh replay EVENT_FILE --set path=value --resign --to URL`: a captured request, edited, re-encoded as Kaltura
// encodes it and re-signed, arrives verified at a real `kwh listen` and is linked to its original as a replay;
// with --keep-signature the same edit fails verification, as a tampered body should.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SerializedEvent } from '../../../src/core/events/model';
import { buildSampleRequest } from '../../../src/core/providers/samples';
import { runCli } from '../receiver/cliProcess';

const SECRET = 'r3playr3playr3playr3playr3play00';

test('kwh replay --set re-signs an edited request; --keep-signature keeps the old one, which then fails', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kwh-replay-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const env = { KWH_REPLAY_SECRET: SECRET };
  const listen = runCli(['listen', '--kaltura-secret-env', 'KWH_REPLAY_SECRET', '--json'], env);
  t.after(() => listen.stop('SIGKILL'));
  const base = (await listen.waitForLine(/^listening /)).line.slice('listening '.length);
  const sample = buildSampleRequest('kaltura', { secret: SECRET, algo: 'sha256', jobId: 4711, entryName: 'Original' });
  const sent = await fetch(`${base}/hooks/kaltura`, { method: 'POST', headers: sample.headers, body: sample.body });
  assert.equal(sent.status, 200);
  const firstLine = await listen.waitForLine(/^\{/);
  const original = JSON.parse(firstLine.line) as SerializedEvent;
  const file = join(dir, 'event.json');
  await writeFile(file, firstLine.line);

  const edited = runCli(['replay', file, '--set', 'object.name=Edited name', '--set', 'eventNotificationJobId=4712', '--kaltura-secret-env', 'KWH_REPLAY_SECRET', '--to', `${base}/hooks/kaltura`], env);
  assert.equal(await edited.exited, 0, edited.stderr());
  assert.match(edited.lines.join('\n'), /^\[200\] POST http:\/\/127\.0\.0\.1:\d+\/hooks\/kaltura/m);
  const replay = JSON.parse((await listen.waitForLine(/^\{/, firstLine.index + 1)).line) as SerializedEvent;
  assert.equal(replay.verification.status, 'verified', replay.verification.reason);
  assert.equal(replay.verification.algorithm, 'sha256', 'the original algorithm');
  assert.equal(replay.origin, 'replay');
  assert.equal(replay.replayOf, original.id, 'linked to the original though its job id changed');
  assert.equal((replay.parsed as { object?: { name?: string } }).object?.name, 'Edited name');
  assert.match(Buffer.from(replay.request.bodyBase64, 'base64').toString(), /"name":"Edited name"/, 'PHP json_encode style');

  const kept = runCli(['replay', file, '--set', 'object.name=Tampered', '--keep-signature', '--to', `${base}/hooks/kaltura`], env);
  assert.equal(await kept.exited, 0, kept.stderr());
  const lines = listen.lines.filter((l) => l.startsWith('{'));
  const tampered = JSON.parse((await listen.waitForLine(/"Tampered"/, listen.lines.indexOf(lines.at(-1)!))).line) as SerializedEvent;
  assert.equal(tampered.verification.status, 'failed');
});
