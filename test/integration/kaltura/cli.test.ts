// `kwh templates …` and `kwh register` as a user runs them: the built dist/cli.js against the sandbox, with
// `kwh listen` as the receiver. Secrets travel only in environment variables.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startSandbox } from '../../../src/sandbox';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
let sandbox: Sandbox;
let dir: string;
const children: ChildProcessWithoutNullStreams[] = [];

before(async () => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8' });
  assert.equal(build.status, 0, `build failed: ${build.stderr}`);
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1', retryIntervalMs: 50, importStepMs: 50 });
  dir = mkdtempSync(join(tmpdir(), 'kwh-cli-'));
});

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ ...process.env, KWH_TEST_ADMIN_SECRET: sandbox.adminSecret, KWH_TEST_TOKEN: 'cli-workspace-token' });
const conn = () => ['--service-url', sandbox.url, '--partner-id', String(sandbox.partnerId), '--admin-secret-env', 'KWH_TEST_ADMIN_SECRET'];

function kwh(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: env() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts a long-running kwh command; `next()` waits for the next stdout line. */
function start(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { env: env() });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const lines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  child.stdout.on('data', (c) => process.env.KWH_CLI_TEST_DEBUG && process.stderr.write(`[${new Date().toISOString().slice(11, 23)} ${args[0]} stdout] ${c}`));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    exited,
    stderr: () => stderr,
    next(timeoutMs = 30_000): Promise<string> {
      const queued = lines.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no output line from "${args.slice(0, 2).join(" ")}" within ${timeoutMs} ms (at ${new Date().toISOString().slice(11, 23)}); stderr: ${stderr}`)), timeoutMs);
        waiters.push((line) => {
          clearTimeout(timer);
          resolve(line);
        });
      });
    },
  };
}

test('kwh templates system/list/get and typed errors with hints', async () => {
  const system = await kwh(['templates', 'system', '--json', '--page-size', '2', ...conn()]);
  assert.equal(system.code, 0, system.stderr);
  const templates = JSON.parse(system.stdout) as Array<{ systemName?: string; type?: string }>;
  assert.ok(templates.some((t) => t.systemName === 'HTTP_ENTRY_STATUS_CHANGED'));
  assert.ok(templates.every((t) => t.type === 'httpNotification.Http'));

  const text = await kwh(['templates', 'system', ...conn()]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /HTTP_ENTRY_STATUS_CHANGED\s+OBJECT_CHANGED\/ENTRY/);

  const missing = await kwh(['templates', 'get', '99999999', ...conn()]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND/);
  assert.match(missing.stderr, /Hint: .*kwh templates list/);

  const noCreds = await kwh(['templates', 'list', '--partner-id', '5']);
  assert.equal(noCreds.code, 2);
  assert.match(noCreds.stderr, /--admin-secret-env/);

  const badAction = await kwh(['templates', 'frobnicate']);
  assert.equal(badAction.code, 2);
  assert.match(badAction.stderr, /unknown action "frobnicate"/);

  const wrongSecret = await kwh(['templates', 'list', '--service-url', sandbox.url, '--partner-id', String(sandbox.partnerId), '--admin-secret-env', 'KWH_TEST_TOKEN']);
  assert.equal(wrongSecret.code, 1);
  assert.match(wrongSecret.stderr, /INVALID_KS[\s\S]*Hint:/);
  assert.doesNotMatch(wrongSecret.stderr, /cli-workspace-token/, 'the secret is never printed');
});

test('kwh register → kwh templates dispatch refused → kwh trigger fires the real event → verified in kwh listen; Ctrl-C deletes the template', async () => {
  const listen = start(['listen', '--json', '--kaltura-secret-env', 'KWH_TEST_ADMIN_SECRET']);
  const listening = await listen.next();
  const listenUrl = /listening (http:\/\/\S+)/.exec(listening)?.[1];
  assert.ok(listenUrl, `unexpected first line: ${listening}`);

  const register = start(['register', '--template', 'HTTP_ENTRY_STATUS_CHANGED', '--public-url', listenUrl, '--token-env', 'KWH_TEST_TOKEN', '--registry-dir', dir, '--json', ...conn()]);
  const summary = JSON.parse(await register.next()) as { id: number; systemName: string; url: string; status: number; notApplied: string[] };
  assert.equal(summary.status, 2);
  assert.equal(summary.url, `${listenUrl}/kaltura/${summary.systemName}`);
  assert.match(summary.notApplied.join(' '), /manual dispatch is not available/);

  const entry = sandbox.addEntry({ name: 'cli e2e' });
  const dispatched = await kwh(['templates', 'dispatch', String(summary.id), '--object-id', entry.id, '--object-type', 'ENTRY', '--json', ...conn()]);
  assert.equal(dispatched.code, 1);
  assert.match(dispatched.stderr, /EVENT_NOTIFICATION_DISPATCH_DISABLED[\s\S]*kwh trigger --template ID/);
  // Entry Status Changed needs a status change: kwh trigger adds an entry, and deletes it once Kaltura has processed it.
  const triggered = await kwh(['trigger', '--template', String(summary.id), '--delete-entry', ...conn()]);
  assert.equal(triggered.code, 0, triggered.stderr);
  assert.match(triggered.stdout, /^media\.addFromUrl: created entry (0_\w+) from a small image, because its conditions need an entry's status to change/m);
  const created = /created entry (0_\w+)/.exec(triggered.stdout)![1]!;
  assert.match(triggered.stdout, new RegExp(`deleted the trigger entry ${created}`));
  assert.equal(sandbox.getEntry(created)?.status, 3, 'the trigger entry is deleted');

  const eventLine = await listen.next();
  const event = JSON.parse(eventLine) as { source: string; verification: { status: string; algorithm?: string }; request: { path: string }; parsed: { jobId?: number } };
  assert.equal(event.source, 'kaltura');
  assert.equal(event.request.path, `/kaltura/${summary.systemName}`);
  assert.equal(event.verification.status, 'verified');
  assert.equal(event.verification.algorithm, 'sha256');
  assert.equal(typeof event.parsed.jobId, 'number');
  const touched = await kwh(['trigger', '--template', String(summary.id), '--entry', entry.id, ...conn()]);
  assert.equal(touched.code, 0, touched.stderr);
  const bad = await kwh(['trigger', '--template', 'x12', ...conn()]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--template takes a template id/);

  const got = await kwh(['templates', 'get', String(summary.id), ...conn()]);
  assert.equal(got.code, 0, got.stderr);
  assert.match(got.stdout, /X-Kwh-Token: cli-workspace-token/);

  register.child.kill('SIGINT');
  const cleanup = JSON.parse(await register.next()) as { cleanup: Array<{ id: number; action: string; ok: boolean }> };
  assert.deepEqual(cleanup.cleanup, [{ id: summary.id, action: 'deleted', ok: true }]);
  assert.equal(await register.exited, 0, register.stderr());
  const after = await kwh(['templates', 'get', String(summary.id), ...conn()]);
  assert.equal(after.code, 1);
  assert.match(after.stderr, /EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND/);

  listen.child.kill('SIGINT');
  await listen.exited;
});

test('kwh register --no-wait leaves an orphan that the next run reports and cleans up', async () => {
  const first = await kwh(['register', '--template', 'HTTP_ENTRY_STATUS_CHANGED', '--public-url', 'http://127.0.0.1:9', '--registry-dir', dir, '--no-wait', '--json', ...conn()]);
  assert.equal(first.code, 0, first.stderr);
  const orphan = JSON.parse(first.stdout) as { id: number };
  const second = start(['register', '--template', 'HTTP_ENTRY_STATUS_CHANGED', '--public-url', 'http://127.0.0.1:9', '--registry-dir', dir, '--orphans', 'delete', '--on-exit', 'disable', '--json', '--verbose', ...conn()]);
  const summary = JSON.parse(await second.next()) as { id: number };
  assert.match(second.stderr(), /cleaned up templates from an earlier run:/);
  assert.match(second.stderr(), new RegExp(`\\b${orphan.id} kwh_\\S+: deleted`));
  second.child.kill('SIGTERM');
  const cleanup = JSON.parse(await second.next()) as { cleanup: Array<{ id: number; action: string }> };
  assert.deepEqual(cleanup.cleanup.map((c) => [c.id, c.action]), [[summary.id, 'disabled']]);
  assert.equal(await second.exited, 0);
  const gone = await kwh(['templates', 'get', String(orphan.id), ...conn()]);
  assert.match(gone.stderr, /EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND/);
  const disabled = await kwh(['templates', 'get', String(summary.id), '--json', ...conn()]);
  assert.equal((JSON.parse(disabled.stdout) as { status: number }).status, 1);
  // A disabled template is not an orphan: a third run reports nothing.
  const third = await kwh(['register', '--template', 'HTTP_ENTRY_STATUS_CHANGED', '--public-url', 'http://127.0.0.1:9', '--registry-dir', dir, '--no-wait', '--json', ...conn()]);
  assert.doesNotMatch(third.stderr, /earlier run/);
  const id = (JSON.parse(third.stdout) as { id: number }).id;
  const del = await kwh(['templates', 'delete', String(id), ...conn()]);
  assert.equal(del.code, 0, del.stderr);
});
