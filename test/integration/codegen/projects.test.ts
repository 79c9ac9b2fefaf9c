// A generated TypeScript folder is a project of its own: in a new folder outside this repository, `npm install &&
// npm test` passes with the newest releases its package.json allows (TypeScript 7, Express 5, current @types/node),
// and again with the oldest versions it allows. The npm registry is the only network these tests use.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateHandler, type CodegenFramework } from '../../../src/core/codegen';
import { vectors } from '../../support/vectors';
import { capturedEvent, run, writeGenerated } from './stubHarness';

const v = vectors.httpNotification[0]!;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npmEnv = { HOME: process.env['HOME'] ?? tmpdir(), npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

function project(framework: CodegenFramework): string {
  const dir = mkdtempSync(join(tmpdir(), `kwh-generated-${framework}-`));
  const event = capturedEvent({
    source: 'kaltura',
    type: 'OBJECT_CHANGED:ENTRY',
    path: '/hooks/kaltura',
    headers: { 'Content-Type': v.contentType, 'X-KALTURA-SIGNATURE': v.signature, 'X-KALTURA-HASH-ALGO': 'sha1' },
    body: v.body,
  });
  writeGenerated(dir, generateHandler({ language: 'typescript', framework, event }));
  return dir;
}

/** `^7.0.0` → `7.0.0`: the oldest version a caret range allows. */
function floor(range: string): string {
  const m = /^\^(\d+\.\d+\.\d+)$/.exec(range);
  assert.ok(m, `a caret range with a full version: ${range}`);
  return m[1]!;
}

for (const framework of ['node-http', 'express'] as const) {
  test(`generated TypeScript ${framework} project: npm install && npm test, newest and oldest allowed versions`, { timeout: 600_000 }, async (t) => {
    const dir = project(framework);
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    assert.match(manifest.devDependencies['typescript']!, /^\^7\./);
    if (framework === 'express') assert.match(manifest.dependencies['express']!, /^\^5\./);

    const install = await run(npm, ['install'], { cwd: dir, env: npmEnv, timeoutMs: 300_000 });
    assert.equal(install.code, 0, `npm install:\n${install.stdout}${install.stderr}`);
    const installed = JSON.parse(readFileSync(join(dir, 'node_modules', 'typescript', 'package.json'), 'utf8')) as { version: string };
    assert.match(installed.version, /^7\./, 'the newest TypeScript the range allows is 7.x');
    const newest = await run(npm, ['test'], { cwd: dir, env: npmEnv, timeoutMs: 200_000 });
    assert.equal(newest.code, 0, `npm test with the newest versions:\n${newest.stdout.slice(-4000)}${newest.stderr.slice(-4000)}`);

    const oldest = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).map(([name, range]) => `${name}@${floor(range)}`);
    const downgrade = await run(npm, ['install', '--no-save', ...oldest], { cwd: dir, env: npmEnv, timeoutMs: 300_000 });
    assert.equal(downgrade.code, 0, `npm install ${oldest.join(' ')}:\n${downgrade.stdout}${downgrade.stderr}`);
    const old = await run(npm, ['test'], { cwd: dir, env: npmEnv, timeoutMs: 200_000 });
    assert.equal(old.code, 0, `npm test with ${oldest.join(' ')}:\n${old.stdout.slice(-4000)}${old.stderr.slice(-4000)}`);
  });
}

test('generated Python projects name their dependencies in requirements.txt; plain PHP needs none', () => {
  const event = capturedEvent({ source: 'kaltura', type: 'OBJECT_CHANGED:ENTRY', path: '/k', headers: { 'Content-Type': v.contentType }, body: v.body });
  const files = (language: 'python' | 'php', framework: CodegenFramework) => generateHandler({ language, framework, event }).files;
  assert.match(files('python', 'flask').find((f) => f.path === 'requirements.txt')!.contents, /^flask>=/m);
  assert.match(files('python', 'fastapi').find((f) => f.path === 'requirements.txt')!.contents, /^fastapi>=.*\nuvicorn>=/m);
  assert.equal(files('python', 'http-server').some((f) => f.path === 'requirements.txt'), false);
  assert.equal(files('php', 'plain').some((f) => f.path === 'composer.json'), false);
});
