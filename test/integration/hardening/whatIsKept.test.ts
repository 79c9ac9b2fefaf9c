// Rows 10–12 and 14 of the open-internet table: nothing the receiver keeps or prints is a forgery kit, a credential
// or a terminal escape, and the sandbox's admin routes answer only local JSON.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exportEventsJson } from '../../../src/core/forward/exports';
import { startSandbox } from '../../../src/sandbox';
import { runCli } from '../receiver/cliProcess';
import { HARDENING_SECRET, send, startLiveReceiver } from './hardeningSupport';

const BODY = '{"objectType":"KalturaHttpNotification","eventNotificationJobId":4242,"templateName":"T","object":{"id":"0_x"}}';

test('row 10: a wrong signature keeps only a prefix of the expected one, in memory, in the log and in exports', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kwh-expected-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const live = await startLiveReceiver({}, { logDir: dir });
  t.after(() => live.close());
  const forged = '0'.repeat(40);
  const answer = await send(live.receiver.port, { path: '/k', headers: { 'content-type': 'application/json', 'x-kaltura-signature': forged }, body: BODY });
  assert.equal(answer.status, 200);
  await live.store.flush();
  const event = live.store.all()[0]!;
  const valid = createHash('sha1').update(HARDENING_SECRET + BODY).digest('hex');
  assert.equal(event.verification.status, 'failed');
  assert.equal(event.verification.expected, `${valid.slice(0, 8)}…`);
  const log = readFileSync(join(dir, 'events.jsonl'), 'utf8');
  assert.ok(!log.includes(valid), 'the log does not hold the valid signature');
  assert.ok(!exportEventsJson([event]).includes(valid), 'the JSON export does not hold it');
});

test('row 11: Authorization values and ks/secret query parameters are redacted in the log and in --json output', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kwh-redact-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const cli = runCli(['listen', '--store', dir, '--json']);
  t.after(() => cli.stop('SIGKILL'));
  const { line } = await cli.waitForLine(/^listening /);
  const port = Number(new URL(line.slice('listening '.length)).port);
  const auth = `Basic ${Buffer.from('enablex:hunter2-password').toString('base64')}`;
  const ks = 'djJ8MTIzNDU2fSECRETKSVALUE';
  await send(port, { path: `/hook?ks=${ks}&entry=0_a&admin_secret=topsecret`, headers: { authorization: auth, 'content-type': 'application/json' }, body: '{"type":"recording","app_id":"a"}' });
  const json = (await cli.waitForLine(/^\{/)).line;
  assert.equal(await cli.stop('SIGINT'), 0);
  const log = readFileSync(join(dir, 'events.jsonl'), 'utf8');
  for (const [where, text] of [['log', log], ['--json', json]] as const) {
    assert.ok(!text.includes('hunter2'), `${where}: no Basic-auth password`);
    assert.ok(!text.includes(auth.slice(6)), `${where}: no Authorization value`);
    assert.ok(!text.includes(ks), `${where}: no KS`);
    assert.ok(!text.includes('topsecret'), `${where}: no secret query parameter`);
    assert.match(text, /Basic <redacted>/, `${where}: that an Authorization header was sent is kept`);
    assert.match(text, /ks=%3Credacted%3E&entry=0_a/, `${where}: the query keeps its shape`);
  }
});

test('row 12: kwh listen prints escape sequences from a payload as visible text', async (t) => {
  const cli = runCli(['listen']);
  t.after(() => cli.stop('SIGKILL'));
  const { line } = await cli.waitForLine(/^listening /);
  const port = Number(new URL(line.slice('listening '.length)).port);
  // OSC 52 (write the clipboard), a CSI colour, a C1 CSI and a fake second line.
  const evil = 'Evil\u001b]52;c;cHduZWQ=\u0007\u001b[31mred\u009b2J\nverified fake line';
  const body = JSON.stringify({ objectType: 'KalturaHttpNotification', eventNotificationJobId: 77, templateName: evil, object: { id: '0_e' } });
  await send(port, { path: '/k', headers: { 'content-type': 'application/json', 'x-kaltura-hash-algo': 'sha1' }, body });
  const printed = (await cli.waitForLine(/Evil/)).line;
  assert.doesNotMatch(printed, /[\u0000-\u001f\u007f-\u009f]/, 'no control character reaches the terminal');
  assert.match(printed, /Evil\\x1b\]52;c;cHduZWQ=\\x07\\x1b\[31mred\\x9b2J\\nverified fake line/);
  const json = runCli(['listen', '--json']);
  t.after(() => json.stop('SIGKILL'));
  const jport = Number(new URL((await json.waitForLine(/^listening /)).line.slice('listening '.length)).port);
  await send(jport, { path: '/k', headers: { 'content-type': 'application/json' }, body });
  const jline = (await json.waitForLine(/^\{/)).line;
  assert.doesNotMatch(jline, /[\u0000-\u001f\u007f-\u009f]/);
  assert.equal((JSON.parse(jline) as { summary: string }).summary.startsWith(evil), true, 'the JSON still decodes to the exact text');
});

test('row 14: the sandbox admin routes refuse cross-origin, non-JSON and foreign-Host requests', async (t) => {
  const sandbox = await startSandbox({ port: 0 });
  t.after(() => sandbox.close());
  const port = Number(new URL(sandbox.url).port);
  const entries = () => send(port, { method: 'GET', path: '/__sandbox/entries' }).then((a) => (JSON.parse(a.body) as unknown[]).length);
  const before = await entries();
  // What any web page can make a browser send without a preflight.
  const simple = await send(port, { path: '/__sandbox/entries', headers: { 'content-type': 'text/plain', origin: 'https://evil.example' }, body: '{"name":"pwned"}' });
  assert.equal(simple.status, 403);
  const textPlain = await send(port, { path: '/__sandbox/entries', headers: { 'content-type': 'text/plain' }, body: '{"name":"pwned"}' });
  assert.equal(textPlain.status, 415);
  const rebound = await send(port, { path: '/__sandbox/faults', headers: { host: `rebind.attacker.example:${port}`, 'content-type': 'application/json', origin: `http://rebind.attacker.example:${port}` }, body: '{"mode":"http-500"}' });
  assert.equal(rebound.status, 403);
  assert.equal(await entries(), before, 'nothing was created');
  const ok = await send(port, { path: '/__sandbox/entries', headers: { 'content-type': 'application/json' }, body: '{"name":"local"}' });
  assert.equal(ok.status, 201);
  assert.equal(await entries(), before + 1);
});
