import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { detectEnablex, enablexProvider, parseEnablexBody } from '../../../src/core/providers/enablex';
import { repairLenientJson } from '../../../src/core/providers/lenientJson';
import type { EnablexPayload } from '../../../src/core/events/model';
import type { VerificationCredentials } from '../../../src/core/providers/types';
import { capturedRequest } from '../../support/capturedRequest';

const noCreds: VerificationCredentials = { kalturaSecrets: [], basicAuth: [] };
const withBasic: VerificationCredentials = { kalturaSecrets: [], basicAuth: [{ label: 'EnableX webhook', username: 'hook', password: 's3cr3t:x' }] };
const basic = (u: string, p: string) => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');

function parse(body: string | Buffer, headers: Record<string, string> = { 'Content-Type': 'application/json' }, creds = noCreds) {
  const [n] = enablexProvider.parse(capturedRequest({ headers, body }), creds);
  return { n: n!, p: n!.parsed as EnablexPayload };
}

test('roomdrop', () => {
  const { n, p } = parse('{"type":"roomdrop","trans_date":1700000000,"app_id":"app1","room_id":"room1","conf_num":"c1"}');
  assert.deepEqual([p.type, p.known, p.appId, p.roomId, p.confNum, p.transDate], ['roomdrop', true, 'app1', 'room1', 'c1', 1700000000]);
  assert.equal(n.type, 'roomdrop');
  assert.equal(n.summary, 'Room session ended · room room1 · conference c1');
  assert.deepEqual(n.problems, []);
});

test('recording: array of URLs; transcoded: single string → always string[]; string numbers', () => {
  const rec = parse('{"type":"recording","trans_date":"1700000000","app_id":"a","room_id":"r","conf_num":"c","recording":["http://h/1.mp4","http://h/2.mp4"]}');
  assert.deepEqual(rec.p.recordings, ['http://h/1.mp4', 'http://h/2.mp4']);
  assert.equal(rec.p.transDate, 1700000000, 'trans_date as a string becomes a number');
  assert.equal(rec.n.summary, 'Recording ready · room r · 2 files');
  const tr = parse('{"type":"transcoded","trans_date":1700000000,"app_id":"a","room_id":"r","conf_num":"c","recording":"http://h/t.mp4","stage":"2","file_size":"1048576"}');
  assert.deepEqual(tr.p.recordings, ['http://h/t.mp4']);
  assert.equal(tr.p.stage, '2');
  assert.equal(tr.p.fileSize, 1048576);
  assert.equal(tr.n.summary, 'Transcoded recording ready · room r · stage 2 · 1 MiB');
  assert.deepEqual(tr.n.problems, []);
});

test('file-transfer: destination and files[].url', () => {
  const { p, n } = parse('{"type":"file-transfer","trans_date":1,"app_id":"a","room_id":"r","conf_num":"c","destination":{"name":"awss3","account":"acct"},"files":[{"url":"s3://b/1"},{"url":"s3://b/2"}]}');
  assert.deepEqual(p.destination, { name: 'awss3', host: undefined, account: 'acct' });
  assert.deepEqual(p.files, ['s3://b/1', 's3://b/2']);
  assert.equal(n.summary, 'Files transferred to awss3 · room r · 2 files');
});

test('the doc-style trailing comma and curly quotes are tolerated, and reported', () => {
  const trailing = parse('{"type":"transcoded","app_id":"a","room_id":"r","recording":"http://h/t.mp4","file_size":"10",}');
  assert.equal(trailing.p.type, 'transcoded');
  assert.match(trailing.n.problems.join(), /not strict JSON \(1 trailing comma\)/);
  const curly = parse('{\u201ctype\u201d: \u201crecording\u201d, \u201capp_id\u201d: \u201ca\u201d, \u201croom_id\u201d: \u201cr\u201d, \u201crecording\u201d: [\u201chttp://h/1.mp4\u201d,]}');
  assert.equal(curly.p.type, 'recording');
  assert.deepEqual(curly.p.recordings, ['http://h/1.mp4']);
  assert.match(curly.n.problems.join(), /1 trailing comma, 8 curly-quoted strings/);
  assert.equal(detectEnablex(capturedRequest({ body: '{\u201ctype\u201d: \u201croomdrop\u201d, \u201croom_id\u201d: \u201cr\u201d}' })), true);
});

test('curly quotes inside a normal string are left alone', () => {
  const { p, n } = parse('{"type":"roomdrop","app_id":"a","room_id":"He said \u201chi\u201d"}');
  assert.equal(p.roomId, 'He said \u201chi\u201d');
  assert.deepEqual(n.problems, []);
  assert.equal(repairLenientJson('{"a":"x, ]"}').text, '{"a":"x, ]"}');
});

test('unknown types are kept with known:false', () => {
  const { p, n } = parse('{"type":"room-created","app_id":"a","room_id":"r","extra":{"x":1}}');
  assert.equal(p.known, false);
  assert.equal(p.type, 'room-created');
  assert.deepEqual(p.body['extra'], { x: 1 });
  assert.equal(n.type, 'room-created');
  assert.match(n.problems.join(), /not one of the documented types/);
});

test('bad field values become problems naming the field', () => {
  const { p, n } = parse('{"type":"transcoded","app_id":"a","room_id":"r","file_size":"big","trans_date":"yesterday","recording":[1,2]}');
  assert.equal(p.fileSize, undefined);
  const all = n.problems.join('\n');
  assert.match(all, /field "file_size" has an unexpected value "big"/);
  assert.match(all, /field "trans_date" has an unexpected value "yesterday"/);
  assert.match(all, /field "recording"/);
});

test('malformed JSON, non-objects, invalid UTF-8 and deep nesting never throw', () => {
  assert.match(parseEnablexBody(Buffer.from('{"type":"roomdrop","app_id":')).problems.join(), /malformed JSON/);
  assert.match(parseEnablexBody(Buffer.from('["type","app_id"]')).problems.join(), /expected an EnableX event object/);
  assert.match(parseEnablexBody(Buffer.concat([Buffer.from('{"type":"roomdrop","room_id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])).problems.join(), /not valid UTF-8/);
  assert.match(parseEnablexBody(Buffer.from('{"type":"x","app_id":' + '['.repeat(5000) + ']'.repeat(5000) + '}')).problems.join(), /nested deeper/);
});

test('Basic auth: right, wrong, missing, unconfigured', () => {
  const body = '{"type":"roomdrop","app_id":"a","room_id":"r"}';
  const ok = parse(body, { Authorization: basic('hook', 's3cr3t:x') }, withBasic).n.verification;
  assert.deepEqual([ok.status, ok.method, ok.secretLabel, ok.received], ['verified', 'basic-auth', 'EnableX webhook', 'hook']);
  const wrong = parse(body, { Authorization: basic('hook', 'guess') }, withBasic).n.verification;
  assert.equal(wrong.status, 'failed');
  assert.match(wrong.reason!, /matches none of 1 configured credential/);
  assert.doesNotMatch(JSON.stringify(wrong), /guess|s3cr3t/);
  const missing = parse(body, {}, withBasic).n.verification;
  assert.equal(missing.status, 'unsigned');
  assert.equal(missing.reason, 'EnableX sends no signature; enable HTTP Authentication in the portal (Setup Webhook) and add the same user name and password here');
  const unconfigured = parse(body, { Authorization: basic('hook', 'x') }, noCreds).n.verification;
  assert.equal(unconfigured.status, 'failed');
  assert.match(unconfigured.reason!, /no Basic-auth credentials are configured/);
  const garbage = parse(body, { Authorization: 'Basic %%%' }, withBasic).n.verification;
  assert.equal(garbage.status, 'failed');
  assert.match(garbage.reason!, /not valid base64/);
});

test('dedupe key is the sha256 of the raw body', () => {
  const body = '{"type":"roomdrop","app_id":"a","room_id":"r"}';
  assert.equal(parse(body).n.dedupeKey, `enablex:${createHash('sha256').update(body).digest('hex')}`);
});

test('detection', () => {
  assert.equal(detectEnablex(capturedRequest({ body: '{"type":"roomdrop","app_id":"a"}' })), true);
  assert.equal(detectEnablex(capturedRequest({ body: '{"type":"roomdrop"}' })), false);
  assert.equal(detectEnablex(capturedRequest({ body: 'type=roomdrop&app_id=a' })), false);
});
