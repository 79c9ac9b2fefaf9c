// `kwh sandbox` as a user runs it: the bundled CLI in a child process. The bundle is built into a temp folder with
// the same esbuild settings as scripts/build.mjs, so parallel builds of dist/ by other suites cannot interfere.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { adminSession, apiCall, waitFor } from './helpers';

describe('kwh sandbox CLI', () => {
  let dir: string;
  let cli: string;
  let child: ChildProcessWithoutNullStreams | undefined;
  const lines: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kwh-sandbox-cli-'));
    cli = join(dir, 'cli.js');
    await build({ entryPoints: ['src/cli/main.ts'], outfile: cli, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error' });
  });
  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  function nextLine(index: number): Promise<string> {
    return waitFor(() => lines[index], 10000, `stdout line ${index + 1}`);
  }

  test('prints "sandbox URL partnerId=ID" first, then the throwaway adminSecret, and serves the API', async () => {
    child = spawn(process.execPath, [cli, 'sandbox', '--port', '0', '--retry-interval-ms', '100', '--max-attempts', '2']);
    createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
    const first = await nextLine(0);
    const m = /^sandbox (http:\/\/127\.0\.0\.1:(\d+)) partnerId=(\d+)$/.exec(first);
    assert.ok(m, `first line: ${first}`);
    const secretLine = await nextLine(1);
    const s = /^adminSecret=([0-9a-f]{32})$/.exec(secretLine);
    assert.ok(s, `second line: ${secretLine}`);
    const [url, partnerId, secret] = [m[1]!, Number(m[3]), s[1]!];
    const ks = await adminSession(url, partnerId, secret);

    // An entry added through `kwh sandbox entry add` fires a template whose delivery attempts are logged.
    const list = await apiCall(url, 'eventnotification_eventnotificationtemplate', 'listTemplates', { ks, filter: { systemNameEqual: 'HTTP_ENTRY_ADDED' } });
    const clone = await apiCall(url, 'eventnotification_eventnotificationtemplate', 'clone', {
      ks,
      id: list.objects[0].id,
      eventNotificationTemplate: { objectType: 'KalturaHttpNotificationTemplate', url: 'http://127.0.0.1:1/nobody-listens', connectTimeout: 1 },
    });
    // System templates ship DISABLED and the clone keeps that status.
    assert.equal((await apiCall(url, 'eventnotification_eventnotificationtemplate', 'updateStatus', { ks, id: clone.id, status: 2 })).status, 2);
    const add = spawnSync(process.execPath, [cli, 'sandbox', 'entry', 'add', '--sandbox-url', url, '--name', 'From CLI', '--status', 'READY', '--tags', 'a,b', '--json'], { encoding: 'utf8' });
    assert.equal(add.status, 0, add.stderr);
    const entry = JSON.parse(add.stdout);
    assert.equal(entry.name, 'From CLI');
    assert.equal(entry.status, 2);
    const logLine = await waitFor(() => lines.find((l) => l.startsWith(`delivery job=`) && l.includes(`template=${clone.id}`) && l.includes('attempt=2/2')), 10000, 'the delivery log lines');
    assert.match(logLine, /giving up/);
    assert.ok(lines.some((l) => l.includes(`template=${clone.id}`) && l.includes('attempt=1/2') && l.includes('will retry')));

    const upd = spawnSync(process.execPath, [cli, 'sandbox', 'entry', 'update', '--sandbox-url', url, '--id', entry.id, '--status', 'pending'], { encoding: 'utf8' });
    assert.equal(upd.status, 0, upd.stderr);
    assert.match(upd.stdout, new RegExp(`entry ${entry.id} updated: .*status=4`));
    const del = spawnSync(process.execPath, [cli, 'sandbox', 'entry', 'delete', '--sandbox-url', url, '--id', entry.id], { encoding: 'utf8' });
    assert.equal(del.status, 0, del.stderr);
    const again = spawnSync(process.execPath, [cli, 'sandbox', 'entry', 'delete', '--sandbox-url', url, '--id', entry.id], { encoding: 'utf8' });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /not found/);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  test('usage errors name the problem; a supplied secret comes from the environment and is not printed', async () => {
    const pair = spawnSync(process.execPath, [cli, 'sandbox', '--partner-id', '123'], { encoding: 'utf8' });
    assert.equal(pair.status, 2);
    assert.match(pair.stderr, /--partner-id and --admin-secret-env go together/);
    const missingEnv = spawnSync(process.execPath, [cli, 'sandbox', '--partner-id', '123', '--admin-secret-env', 'KWH_TEST_UNSET_SECRET'], { encoding: 'utf8', env: { ...process.env, KWH_TEST_UNSET_SECRET: '' } });
    assert.equal(missingEnv.status, 2);
    assert.match(missingEnv.stderr, /KWH_TEST_UNSET_SECRET, but it is not set/);
    const noUrl = spawnSync(process.execPath, [cli, 'sandbox', 'entry', 'add'], { encoding: 'utf8' });
    assert.equal(noUrl.status, 2);
    assert.match(noUrl.stderr, /--sandbox-url is required/);
    const refused = spawnSync(process.execPath, [cli, 'sandbox', 'entry', 'add', '--sandbox-url', 'http://127.0.0.1:1'], { encoding: 'utf8' });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /cannot reach the sandbox/);

    const secret = 'fedcba9876543210fedcba9876543210';
    const own = spawn(process.execPath, [cli, 'sandbox', '--partner-id', '4242', '--admin-secret-env', 'KWH_TEST_SECRET'], { env: { ...process.env, KWH_TEST_SECRET: secret } });
    const ownLines: string[] = [];
    createInterface({ input: own.stdout }).on('line', (l) => ownLines.push(l));
    try {
      const first = await waitFor(() => ownLines[0], 10000, 'first line');
      const m = /^sandbox (http:\/\/127\.0\.0\.1:\d+) partnerId=4242$/.exec(first);
      assert.ok(m, first);
      assert.equal(typeof (await adminSession(m[1]!, 4242, secret)), 'string');
      assert.ok(!ownLines.some((l) => l.includes(secret)));
    } finally {
      const exited = new Promise((resolve) => own.once('exit', resolve));
      own.kill('SIGTERM');
      await exited;
    }
  });
});
