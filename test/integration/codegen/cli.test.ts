// `kwh codegen` end to end: from an event file written like `kwh listen --json` output to a stub whose own test passes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vectors } from '../../support/vectors';
import { capturedEvent, python, repoRoot, run } from './stubHarness';

const work = mkdtempSync(join(tmpdir(), 'kwh-codegen-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

function kwh(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), 'codegen', ...args], { cwd: repoRoot, env, timeoutMs: 30_000 });
}

test('kwh codegen --event writes a Python stub whose generated test passes, and never the secret', { timeout: 60_000 }, async () => {
  const v = vectors.httpNotification.find((x) => x.hashAlgoHeader === 'sha512')!;
  const event = capturedEvent({
    source: 'kaltura', type: 'OBJECT_CHANGED:ENTRY', path: '/kaltura',
    headers: { 'Content-Type': v.contentType, 'X-KALTURA-SIGNATURE': v.signature, 'X-KALTURA-HASH-ALGO': 'sha512' },
    body: v.body,
  });
  const eventFile = join(work, 'event.jsonl');
  writeFileSync(eventFile, JSON.stringify(event) + '\n' + JSON.stringify(event) + '\n');
  const out = join(work, 'py');
  const result = await kwh(['--lang', 'python', '--framework', 'http-server', '--event', eventFile, '--out', out, '--json'], { KALTURA_ADMIN_SECRET: vectors.secret });
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { entry: string; files: string[] };
  assert.equal(report.entry, join(out, 'webhook_handler.py'));
  for (const file of report.files) assert.ok(!readFileSync(file, 'utf8').includes(vectors.secret), `${file} contains the secret`);
  const fixture = JSON.parse(readFileSync(join(out, 'fixtures', 'captured_request.json'), 'utf8')) as { request: { headers: Record<string, string> } };
  assert.equal(fixture.request.headers['x-kaltura-hash-algo'], 'sha512');
  const tested = await run(python, ['-m', 'unittest'], { cwd: out, env: { PYTHONDONTWRITEBYTECODE: '1' }, timeoutMs: 30_000 });
  assert.equal(tested.code, 0, tested.stderr);

  const again = await kwh(['--lang', 'python', '--framework', 'http-server', '--event', eventFile, '--out', out]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already exist.*--force/);
  assert.equal((await kwh(['--lang', 'python', '--framework', 'http-server', '--event', eventFile, '--out', out, '--force'])).code, 0);
});

test('kwh codegen --source writes a PHP stub from a built-in sample', { timeout: 60_000 }, async () => {
  const out = join(work, 'php');
  const result = await kwh(['--lang', 'php', '--source', 'kaltura-legacy', '--type', 'entry_delete', '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /wrote 6 files/);
  const tested = await run('php', ['webhook_handler_test.php'], { cwd: out, timeoutMs: 20_000 });
  assert.equal(tested.code, 0, tested.stdout + tested.stderr);
});

test('kwh codegen explains bad usage with exit code 2', { timeout: 60_000 }, async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--source', 'kaltura', '--out', work], /--lang is required/],
    [['--lang', 'php', '--out', work], /give --event FILE\.json/],
    [['--lang', 'php', '--source', 'kaltura'], /--out DIR is required/],
    [['--lang', 'php', '--source', 'nope', '--out', work], /--source must be one of/],
    [['--lang', 'php', '--event', join(work, 'missing.json'), '--out', work], /cannot read --event/],
    [['--lang', 'typescript', '--framework', 'flask', '--source', 'kaltura', '--out', work], /--framework must be one of node-http, express/],
  ];
  for (const [args, message] of cases) {
    const result = await kwh(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  assert.ok(!existsSync(join(work, 'webhook_handler.php')));
});
