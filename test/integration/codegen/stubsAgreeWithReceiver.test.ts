// Stubs generated from events that went through the receiver's own pipeline (provider sample → classifyRequest →
// buildEvents → serializeEvent) must accept what the receiver verifies: every Kaltura body format (JSON, url-encoded
// JSON, XML, PHP serialize, fields, text, empty), all hash algorithms, Gen-2 senders, GET, legacy multi-notifications
// and every EnableX type. One stub per language (node:http via tsx, http.server, PHP) keeps this quick; the full
// framework matrix is in stubsRunForReal.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generateHandler, type CodegenFramework, type CodegenLanguage, type CodegenSource } from '../../../src/core/codegen';
import { buildEvents } from '../../../src/core/events/buildEvents';
import { serializeEvent, type KalturaBodyFormat } from '../../../src/core/events/model';
import { classifyRequest } from '../../../src/core/providers';
import { buildSampleRequest, sampleToCapturedRequest, type SampleRequest } from '../../../src/core/providers/samples';
import type { VerificationCredentials } from '../../../src/core/providers/types';
import { makeWorkDir, python, removeDir, startStub, writeGenerated, type RunningStub } from './stubHarness';
import { captures, type KalturaCapture } from '../../support/captures';

const secret = 'receiver-agreement-secret-0001';
const user = 'hook-user';
const password = 'hook-password-0002';
const credentials: VerificationCredentials = {
  kalturaSecrets: [{ label: 'test admin secret', secret }],
  basicAuth: [{ label: 'enablex', username: user, password }],
};

function classify(sample: SampleRequest) {
  const request = sampleToCapturedRequest(sample, `req-${Math.random()}`);
  return buildEvents(request, classifyRequest(request, credentials));
}

let nextJobId = 500_000_000;
const kalturaRequests: Array<{ name: string; sample: SampleRequest }> = [];
for (const format of ['json', 'json-urlencoded', 'xml', 'php', 'fields', 'text', 'empty'] as KalturaBodyFormat[]) {
  kalturaRequests.push({ name: `${format} body`, sample: buildSampleRequest('kaltura', { format, secret, jobId: nextJobId++ }) });
}
for (const algo of ['sha256', 'sha512'] as const) {
  kalturaRequests.push({ name: `${algo} signature`, sample: buildSampleRequest('kaltura', { algo, secret, jobId: nextJobId++ }) });
}
kalturaRequests.push({ name: 'gen-2 sender (no algorithm header)', sample: buildSampleRequest('kaltura', { secret, sendAlgoHeader: false, jobId: nextJobId++ }) });
kalturaRequests.push({ name: 'GET notification', sample: buildSampleRequest('kaltura', { secret, method: 'GET', format: 'fields', fields: { entry_id: '0_getget01', status: '2' } }) });

const legacyRequests = [1, 3].map((count) => ({ name: `${count} notification(s)`, count, sample: buildSampleRequest('kaltura-legacy', { secret, count }) }));
const enablexRequests = (['roomdrop', 'recording', 'transcoded', 'file-transfer'] as const).map((type) => ({
  name: type,
  sample: buildSampleRequest('enablex', { type, basicAuth: { username: user, password } }),
}));

const stubs: Array<{ language: CodegenLanguage; framework: CodegenFramework; command: string; args: string[]; portPattern: RegExp }> = [
  { language: 'typescript', framework: 'node-http', command: process.execPath, args: ['--import', 'tsx', 'webhookHandler.ts'], portPattern: /listening on http:\/\/127\.0\.0\.1:(\d+)/ },
  { language: 'python', framework: 'http-server', command: python, args: ['webhook_handler.py'], portPattern: /listening on http:\/\/127\.0\.0\.1:(\d+)/ },
  { language: 'php', framework: 'plain', command: 'php', args: ['-S', '127.0.0.1:0', 'webhook_handler.php'], portPattern: /Development Server \(http:\/\/127\.0\.0\.1:(\d+)\) started/ },
];

/** Sends a sample as the sender would (fetch sets Host and Content-Length itself). */
async function send(base: string, sample: SampleRequest): Promise<{ status: number; handled: string | null; duplicates: string | null; text: string }> {
  const headers = Object.fromEntries(Object.entries(sample.headers).filter(([k]) => !/^(host|content-length)$/i.test(k)));
  const query = sample.path.includes('?') ? sample.path.slice(sample.path.indexOf('?')) : '';
  const res = await fetch(base + query, {
    method: sample.method,
    headers,
    body: sample.method === 'GET' ? undefined : sample.body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, handled: res.headers.get('x-handled-count'), duplicates: res.headers.get('x-duplicate-count'), text: await res.text() };
}

describe('stubs generated from classified events agree with the receiver', () => {
  let work = '';
  before(() => {
    work = makeWorkDir('codegen-agree');
  });
  after(() => removeDir(work));

  test('the receiver verifies every sample used below (so a stub rejecting one would be the stub\'s fault)', () => {
    for (const { name, sample } of kalturaRequests) {
      const [event] = classify(sample);
      assert.deepEqual([event!.source, event!.verification.status], ['kaltura', 'verified'], name);
    }
    for (const { name, count, sample } of legacyRequests) {
      const events = classify(sample);
      assert.equal(events.length, count, name);
      assert.ok(events.every((e) => e.source === 'kaltura-legacy' && e.verification.status === 'verified'), name);
    }
    for (const { name, sample } of enablexRequests) {
      const [event] = classify(sample);
      assert.deepEqual([event!.source, event!.verification.status], ['enablex', 'verified'], name);
    }
  });

  for (const stub of stubs) {
    for (const source of ['kaltura', 'kaltura-legacy', 'enablex'] as CodegenSource[]) {
      test(`${stub.language}/${stub.framework} ${source} stub accepts every realistic sample and rejects it re-signed with another secret`, { timeout: 60_000 }, async () => {
        const seed = source === 'kaltura' ? kalturaRequests[0]!.sample : source === 'kaltura-legacy' ? legacyRequests[1]!.sample : enablexRequests[1]!.sample;
        const [event] = classify(seed);
        assert.equal(event!.source, source);
        const dir = join(work, `${stub.framework}-${source}`);
        writeGenerated(dir, generateHandler({ language: stub.language, framework: stub.framework, event: serializeEvent(event!), knownSecrets: [secret, password] }));
        const env: Record<string, string> = source === 'enablex'
          ? { ENABLEX_WEBHOOK_USER: user, ENABLEX_WEBHOOK_PASSWORD: password }
          : { KALTURA_ADMIN_SECRET: 'some-other-candidate', KALTURA_SECRETS: ` ${secret} ,unused` };
        let running: RunningStub | undefined;
        try {
          running = await startStub(stub.command, stub.args, {
            cwd: dir,
            env: { ...env, PORT: '0', HOST: '127.0.0.1', WEBHOOK_SEEN_DIR: join(dir, '.seen'), PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
            portPattern: stub.portPattern,
            path: '/webhook',
            timeoutMs: 20_000,
          });
          const requests = source === 'kaltura'
            ? kalturaRequests.map((r) => ({ ...r, count: 1 }))
            : source === 'kaltura-legacy'
              ? legacyRequests
              : enablexRequests.map((r) => ({ ...r, count: 1 }));
          for (const { name, sample, count } of requests) {
            const answer = await send(running.url, sample);
            assert.equal(answer.status, 200, `${name}: ${answer.text}`);
            assert.deepEqual([answer.handled, answer.duplicates], [String(count), '0'], `${name} handled/duplicates`);
          }
          // The same kinds of request signed with a secret the stub does not know.
          const forged = source === 'kaltura'
            ? buildSampleRequest('kaltura', { secret: 'not-the-secret', jobId: nextJobId++ })
            : source === 'kaltura-legacy'
              ? buildSampleRequest('kaltura-legacy', { secret: 'not-the-secret', count: 2 })
              : buildSampleRequest('enablex', { basicAuth: { username: user, password: 'not-the-password' } });
          assert.equal((await send(running.url, forged)).status, 401);
        } catch (err) {
          if (running) (err as Error).message += `\n--- stub output ---\n${running.output()}`;
          throw err;
        } finally {
          await running?.stop();
        }
      });
    }
  }
});

// Issue 12: the stubs accept every request Kaltura's own sender produced (kaltura-captures.json), exact bytes and
// headers, not only the workbench's samples. Framing headers are left to fetch, which sends the same body.
async function sendCapture(base: string, capture: KalturaCapture): Promise<{ status: number; handled: string | null; duplicates: string | null; text: string }> {
  const headers = capture.rawHeaders.filter(([k]) => !/^(host|content-length|transfer-encoding|expect|connection)$/i.test(k));
  const query = capture.path.includes('?') ? capture.path.slice(capture.path.indexOf('?')) : '';
  const body = Buffer.from(capture.bodyBase64, 'base64');
  const res = await fetch(base + query, {
    method: capture.method,
    headers,
    body: capture.method === 'GET' ? undefined : body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, handled: res.headers.get('x-handled-count'), duplicates: res.headers.get('x-duplicate-count'), text: await res.text() };
}

describe("stubs accept every request from Kaltura's own sender", () => {
  let work = '';
  before(() => {
    work = makeWorkDir('codegen-captures');
  });
  after(() => removeDir(work));

  for (const stub of stubs) {
    for (const [source, kind] of [['kaltura', 'http-notification'], ['kaltura-legacy', 'legacy-notification']] as const) {
      test(`${stub.language}/${stub.framework} ${source} stub: every ${kind} capture is answered 200 and handled`, { timeout: 60_000 }, async () => {
        const seed = source === 'kaltura' ? kalturaRequests[0]!.sample : legacyRequests[1]!.sample;
        const [event] = classify(seed);
        const dir = join(work, `${stub.framework}-${source}`);
        writeGenerated(dir, generateHandler({ language: stub.language, framework: stub.framework, event: serializeEvent(event!), knownSecrets: [secret] }));
        const bySecret = new Map<string, KalturaCapture[]>();
        // Not the capture signed with an empty admin secret: a stub that accepted it would accept anyone's forgery, so
        // the stubs refuse to run without a secret (the receiver verifies it, as it verifies with any secret it has).
        for (const c of captures.filter((c) => c.kind === kind && c.secret !== '')) bySecret.set(c.secret, [...(bySecret.get(c.secret) ?? []), c]);
        for (const [captureSecret, list] of bySecret) {
          let running: RunningStub | undefined;
          try {
            running = await startStub(stub.command, stub.args, {
              cwd: dir,
              env: { KALTURA_ADMIN_SECRET: captureSecret, PORT: '0', HOST: '127.0.0.1', WEBHOOK_SEEN_DIR: join(dir, `.seen-${bySecret.size}-${list.length}`), PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
              portPattern: stub.portPattern,
              path: '/webhook',
              timeoutMs: 20_000,
            });
            for (const capture of list) {
              const answer = await sendCapture(running.url, capture);
              assert.equal(answer.status, 200, `${capture.name}: ${answer.text}`);
              // Bodies without a job id are deduplicated by their bytes: two captures send the same fields.
              const expected = capture.kind === 'legacy-notification' ? (capture.expect.notifications ?? 1) : 1;
              assert.equal(Number(answer.handled) + Number(answer.duplicates), expected, `${capture.name} handled or seen`);
            }
          } catch (err) {
            if (running) (err as Error).message += `\n--- stub output ---\n${running.output()}`;
            throw err;
          } finally {
            await running?.stop();
          }
        }
      });
    }
  }
});
