// Proof that generated stubs work: for every language and framework, generate the Kaltura, legacy and EnableX stubs
// from captured events, compile (TypeScript: tsc --strict), start each as a real server on a free port, and send it
// every protocol vector: each must be answered 200 with the right handled/duplicate counts, and forged requests 401.
// The generated unit tests must pass too, and no generated file may contain a secret from the capture.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generateHandler, type CodegenLanguage, type CodegenSource } from '../../../src/core/codegen';
import { vectors } from '../../support/vectors';
import { allStubs, capturedEvent, makeWorkDir, python, removeDir, repoRoot, run, startStub, writeGenerated, type RunningStub } from './stubHarness';
import { writeFileSync } from 'node:fs';

const stubs = allStubs;
const sources: CodegenSource[] = ['kaltura', 'kaltura-legacy', 'enablex'];

const enablexUser = 'real-enablex-user';
const enablexPassword = 'real-enablex-password-42';
const capturedSecrets = [vectors.secret, enablexPassword, 'real-bearer-token-xyz', 'real-session-cookie', 'real-kwh-token-123'];
const leakHeaders = {
  Authorization: 'Bearer real-bearer-token-xyz',
  Cookie: 'session=real-session-cookie',
  'X-Kwh-Token': 'real-kwh-token-123',
  'X-Forwarded-For': '203.0.113.9',
};

const jsonVector = vectors.httpNotification[0]!;
const multiVector = vectors.legacyNotification.find((v) => v.notifications > 1)!;
const enablexBody = JSON.stringify({
  type: 'recording', trans_date: 1700000000, app_id: 'app-123', room_id: 'room-456', conf_num: 'conf-789',
  recording: ['https://files.example.com/rec/1.mp4'],
});
const basic = (user: string, password: string): string => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

const events = {
  kaltura: capturedEvent({
    source: 'kaltura',
    type: 'OBJECT_CHANGED:ENTRY',
    path: '/hooks/kaltura?token=abc',
    headers: { 'Content-Type': jsonVector.contentType, 'X-KALTURA-SIGNATURE': jsonVector.signature, 'X-KALTURA-HASH-ALGO': 'sha1', ...leakHeaders },
    body: jsonVector.body,
  }),
  'kaltura-legacy': capturedEvent({
    source: 'kaltura-legacy',
    type: 'entry_update',
    path: '/hooks/legacy',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...leakHeaders },
    body: multiVector.body,
  }),
  enablex: capturedEvent({
    source: 'enablex',
    type: 'recording',
    path: '/hooks/enablex',
    headers: { 'Content-Type': 'application/json', ...leakHeaders, Authorization: basic(enablexUser, enablexPassword) },
    body: enablexBody,
  }),
};

function stubEnv(source: CodegenSource, seenDir: string): Record<string, string> {
  const secrets: Record<string, string> = source === 'enablex'
    ? { ENABLEX_WEBHOOK_USER: enablexUser, ENABLEX_WEBHOOK_PASSWORD: enablexPassword }
    : { KALTURA_ADMIN_SECRET: vectors.secret };
  return { ...secrets, PORT: '0', HOST: '127.0.0.1', WEBHOOK_SEEN_DIR: seenDir, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };
}

interface Answer { status: number; body: string; handled: number; duplicates: number }

async function post(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  return {
    status: res.status,
    body: await res.text(),
    handled: Number(res.headers.get('x-handled-count') ?? NaN),
    duplicates: Number(res.headers.get('x-duplicate-count') ?? NaN),
  };
}

/** The id a correct stub dedupes a Kaltura vector on: eventNotificationJobId when the body has one, else the body. */
function kalturaKey(body: string): string {
  const text = body.startsWith('data=') ? body.slice(5) : body;
  for (const candidate of [text, decodeURIComponent(text.replace(/\+/g, ' '))]) {
    try {
      const id = (JSON.parse(candidate) as { eventNotificationJobId?: unknown }).eventNotificationJobId;
      if (id !== undefined) return `job:${String(id)}`;
    } catch {
      // not JSON: keyed by the body
    }
  }
  return `body:${body}`;
}

async function checkKalturaStub(url: string): Promise<void> {
  const seen = new Set<string>();
  for (const v of vectors.httpNotification) {
    const headers: Record<string, string> = { 'content-type': v.contentType, 'x-kaltura-signature': v.signature };
    if (v.hashAlgoHeader !== null) headers['x-kaltura-hash-algo'] = v.hashAlgoHeader;
    const answer = await post(url, headers, v.body);
    assert.equal(answer.status, 200, `vector "${v.name}": ${answer.body}`);
    assert.notEqual(answer.body, '', `vector "${v.name}" got an empty 200`);
    const key = kalturaKey(v.body);
    const fresh = !seen.has(key);
    seen.add(key);
    assert.deepEqual([answer.handled, answer.duplicates], fresh ? [1, 0] : [0, 1], `vector "${v.name}" handled/duplicate counts`);
  }
  const sha256 = vectors.httpNotification.find((v) => v.hashAlgoHeader === 'sha256')!;
  const forged: Array<{ what: string; headers: Record<string, string>; body: string }> = [
    { what: 'tampered body', headers: { 'content-type': 'application/json', 'x-kaltura-signature': jsonVector.signature }, body: jsonVector.body.replace('"Test"', '"Tost"') },
    { what: 'wrong signature', headers: { 'content-type': 'application/json', 'x-kaltura-signature': '0'.repeat(64), 'x-kaltura-hash-algo': 'sha256' }, body: sha256.body },
    { what: 'algorithm swapped', headers: { 'content-type': 'application/json', 'x-kaltura-signature': sha256.signature, 'x-kaltura-hash-algo': 'sha1' }, body: sha256.body },
    { what: 'missing signature', headers: { 'content-type': 'application/json' }, body: jsonVector.body },
    { what: 'legacy body', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: vectors.legacyNotification[0]!.body },
  ];
  for (const f of forged) {
    const answer = await post(url, f.headers, f.body);
    assert.equal(answer.status, 401, `${f.what} must be rejected, got ${answer.status} ${answer.body}`);
  }
}

async function checkLegacyStub(url: string): Promise<void> {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  for (const v of vectors.legacyNotification) {
    const answer = await post(url, form, v.body);
    assert.equal(answer.status, 200, `vector "${v.name}": ${answer.body}`);
    assert.notEqual(answer.body, '');
    assert.deepEqual([answer.handled, answer.duplicates], [v.notifications, 0], `vector "${v.name}" must be split into ${v.notifications}`);
  }
  const retry = await post(url, form, multiVector.body);
  assert.deepEqual([retry.status, retry.handled, retry.duplicates], [200, 0, multiVector.notifications], 'a re-sent multi-notification is all duplicates');
  const single = vectors.legacyNotification.find((v) => v.notifications === 1)!;
  for (const [what, body] of [
    ['tampered value', single.body.replace('name=My+Video', 'name=Your+Video')],
    ['tampered multi value', multiVector.body.replace('not2_name=B', 'not2_name=C')],
    ['missing sig', single.body.replace(/&sig=[0-9a-f]+/, '')],
  ] as const) {
    const answer = await post(url, form, body);
    assert.equal(answer.status, 401, `${what} must be rejected, got ${answer.status} ${answer.body}`);
  }
}

async function checkEnablexStub(url: string): Promise<void> {
  const json = { 'content-type': 'application/json' };
  const ok = await post(url, { ...json, authorization: basic(enablexUser, enablexPassword) }, enablexBody);
  assert.deepEqual([ok.status, ok.handled, ok.duplicates], [200, 1, 0], ok.body);
  assert.notEqual(ok.body, '');
  const retry = await post(url, { ...json, authorization: basic(enablexUser, enablexPassword) }, enablexBody);
  assert.deepEqual([retry.status, retry.handled, retry.duplicates], [200, 0, 1]);
  for (const [what, headers] of [
    ['wrong password', { ...json, authorization: basic(enablexUser, 'guess') }],
    ['wrong user', { ...json, authorization: basic('someone', enablexPassword) }],
    ['no credentials', json],
  ] as const) {
    const answer = await post(url, headers, enablexBody);
    assert.equal(answer.status, 401, `${what} must be rejected, got ${answer.status}`);
  }
}

const checks: Record<CodegenSource, (url: string) => Promise<void>> = {
  kaltura: checkKalturaStub,
  'kaltura-legacy': checkLegacyStub,
  enablex: checkEnablexStub,
};

function startCommand(language: CodegenLanguage): { command: string; args: string[]; portPattern: RegExp } {
  switch (language) {
    case 'typescript':
      return { command: process.execPath, args: ['webhookHandler.js'], portPattern: /listening on http:\/\/127\.0\.0\.1:(\d+)/ };
    case 'python':
      return { command: python, args: ['webhook_handler.py'], portPattern: /listening on http:\/\/127\.0\.0\.1:(\d+)/ };
    case 'php':
      return { command: 'php', args: ['-S', '127.0.0.1:0', 'webhook_handler.php'], portPattern: /Development Server \(http:\/\/127\.0\.0\.1:(\d+)\) started/ };
  }
}

function testCommand(language: CodegenLanguage): { command: string; args: string[] } {
  switch (language) {
    case 'typescript':
      return { command: process.execPath, args: ['--test', 'webhookHandler.test.js'] };
    case 'python':
      return { command: python, args: ['-m', 'unittest', '-v'] };
    case 'php':
      return { command: 'php', args: ['webhook_handler_test.php'] };
  }
}

describe('generated handler stubs, run for real', () => {
  let work = '';
  const dirs = new Map<string, string>();
  const paths: Record<CodegenSource, string> = { kaltura: '/hooks/kaltura', 'kaltura-legacy': '/hooks/legacy', enablex: '/hooks/enablex' };

  before(() => {
    work = makeWorkDir('codegen-run');
    for (const { language, framework } of stubs) {
      for (const source of sources) {
        const generated = generateHandler({ language, framework, event: events[source], knownSecrets: capturedSecrets });
        const dir = join(work, language, `${framework}-${source}`);
        writeGenerated(dir, generated);
        dirs.set(`${framework}/${source}`, dir);
      }
    }
    writeFileSync(
      join(work, 'typescript', 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true, target: 'ES2022', lib: ['ES2022'], module: 'node16', moduleResolution: 'node16',
          esModuleInterop: true, skipLibCheck: true, types: ['node'],
        },
        include: ['**/*.ts'],
      }),
    );
  });

  after(() => removeDir(work));

  test('no generated file contains a captured secret, token, cookie or client address', () => {
    for (const { language, framework } of stubs) {
      for (const source of sources) {
        const generated = generateHandler({ language, framework, event: events[source] });
        for (const file of generated.files) {
          for (const secret of [...capturedSecrets, '203.0.113.9', 'real-enablex-user']) {
            assert.ok(!file.contents.includes(secret), `${language}/${framework}/${source}: ${file.path} contains "${secret}"`);
          }
        }
      }
    }
  });

  test('TypeScript stubs compile with tsc --strict', { timeout: 240_000 }, async () => {
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: join(work, 'typescript'), timeoutMs: 230_000 });
    assert.equal(result.code, 0, `tsc failed:\n${result.stdout}${result.stderr}`);
  });

  for (const { language, framework } of stubs) {
    for (const source of sources) {
      test(`${language}/${framework} ${source} stub: every vector 200, retries deduplicated, forgeries 401`, { timeout: 60_000 }, async () => {
        const dir = dirs.get(`${framework}/${source}`)!;
        const { command, args, portPattern } = startCommand(language);
        let stub: RunningStub | undefined;
        try {
          stub = await startStub(command, args, {
            cwd: dir, env: stubEnv(source, join(dir, '.seen')), portPattern, path: paths[source], timeoutMs: 20_000,
          });
          await checks[source](stub.url);
        } catch (err) {
          if (stub) (err as Error).message += `\n--- stub output ---\n${stub.output()}`;
          throw err;
        } finally {
          await stub?.stop();
        }
      });

      test(`${language}/${framework} ${source}: the generated unit test passes`, { timeout: 60_000 }, async () => {
        const dir = dirs.get(`${framework}/${source}`)!;
        const { command, args } = testCommand(language);
        const result = await run(command, args, { cwd: dir, env: { PYTHONDONTWRITEBYTECODE: '1' }, timeoutMs: 50_000 });
        assert.equal(result.code, 0, `generated test failed:\n${result.stdout}${result.stderr}`);
      });
    }
  }
});
