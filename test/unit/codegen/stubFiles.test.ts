// The handler stubs are real source files (src/core/codegen/stubs/<language>/): the TypeScript ones are type-checked
// with the project (npm run typecheck), the Python ones compile, the PHP ones pass `php -l`; every file is used by a
// generation, and fillStub() fills each hole once, from values that are never scanned again.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateHandler } from '../../../src/core/codegen/generateHandler';
import { fillStub } from '../../../src/core/codegen/stubFill';
import { frameworksByLanguage, type CodegenLanguage } from '../../../src/core/codegen/types';
import { buildEvents } from '../../../src/core/events/buildEvents';
import { classifySafely } from '../../../src/core/receiver/classify';
import { buildSampleRequest } from '../../../src/core/providers/samples';
import { capturedRequest } from '../../support/capturedRequest';

const root = join(__dirname, '..', '..', '..', 'src', 'core', 'codegen');
const stubs = join(root, 'stubs');
const languages: CodegenLanguage[] = ['typescript', 'python', 'php'];
const filesOf = (language: CodegenLanguage) => readdirSync(join(stubs, language)).filter((f) => /\.(ts|py|php)$/.test(f));

test('the Python stubs compile', () => {
  const files = filesOf('python').map((f) => join(stubs, 'python', f));
  assert.ok(files.length >= 10);
  const script = 'import sys\nfor path in sys.argv[1:]:\n    compile(open(path, encoding="utf-8").read(), path, "exec")\n';
  const r = spawnSync('python3', ['-c', script, ...files], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr || r.error?.message);
});

test('the PHP stubs pass php -l', () => {
  for (const f of filesOf('php')) {
    const r = spawnSync('php', ['-l', join(stubs, 'php', f)], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${f}: ${r.stdout}${r.stderr}${r.error?.message ?? ''}`);
  }
});

test('the TypeScript stubs are part of the type-checked project', () => {
  const tsconfig = JSON.parse(readFileSync(join(root, '..', '..', '..', 'tsconfig.json'), 'utf8')) as { include: string[]; exclude?: string[] };
  assert.ok(tsconfig.include.includes('src'));
  assert.ok(!(tsconfig.exclude ?? []).some((e) => e.includes('stubs')), 'the stubs are not excluded from type-checking');
});

test('every stub file is generated, included by one, or a stand-in that says it is not generated', () => {
  const templates = readdirSync(join(root, 'templates')).map((f) => readFileSync(join(root, 'templates', f), 'utf8')).join('\n');
  for (const language of languages) {
    const texts = filesOf(language).map((f) => readFileSync(join(stubs, language, f), 'utf8')).join('\n');
    for (const f of filesOf(language)) {
      const text = readFileSync(join(stubs, language, f), 'utf8');
      // A stand-in has the name of a generated file (so the others' imports resolve here) and is never read.
      if (/stub:drop Not generated/.test(text)) continue;
      // Named whole ('server_flask.py') or with the language's extension left to fill (`shape_object.${ext}`).
      const named = templates.includes(`'${f}'`) || templates.includes(`${f.replace(/\.\w+$/, '')}.\${ext}`);
      assert.ok(named || texts.includes(`stub:include ${f}`), `${language}/${f} is not used by any generation`);
    }
  }
});

test('a hole without a value, or an include slot without a file, stops generation', () => {
  assert.throws(() => fillStub('typescript', 'serverNodeHttp.ts', { holes: {} }), /no value for the hole HOLE_DESCRIPTION/);
  assert.throws(() => fillStub('python', 'test_webhook_handler.py', { holes: {} }), /no file for the include slot "tamper"/);
});

test('no hole and no stub marker is left in any generated file, and captured text that looks like a hole stays as it was', () => {
  const sample = buildSampleRequest('kaltura', { secret: 'stub-files-secret' });
  const headers = Object.fromEntries(Object.entries(sample.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const request = capturedRequest({ method: sample.method, path: sample.path, body: Buffer.from(sample.body), headers });
  const event = buildEvents(request, classifySafely(request, { kalturaSecrets: [{ label: 's', secret: 'stub-files-secret' }], basicAuth: [] }), {})[0]!;
  const lookalike = "HOLE_PATH HoleRoot hole_user_function 'HOLE_FORMAT' stub:drop";
  const hostile = { ...event, type: lookalike };
  for (const language of languages) {
    for (const framework of frameworksByLanguage[language]) {
      for (const source of ['kaltura', 'kaltura-legacy', 'enablex'] as const) {
        for (const file of generateHandler({ language, framework, source }).files) {
          assert.doesNotMatch(file.contents, /\bHOLE_[A-Z_]+\b|\bHole[A-Z]\w*|\bhole(?:[A-Z]|_)\w*|stub:(?:drop|include)/, `${language} ${framework} ${source} ${file.path}`);
        }
      }
      const files = generateHandler({ language, framework, event: hostile }).files;
      const handler = files.find((f) => f.role === 'handler')!;
      // The description in the header comment names the event type as captured (commentText escapes only quotes).
      assert.ok(handler.contents.includes(lookalike), `${language} ${framework}: the event type is kept as text`);
    }
  }
});

test('a built-in sample gives the same files every time', () => {
  for (const source of ['kaltura', 'kaltura-legacy', 'enablex'] as const) {
    const once = generateHandler({ language: 'python', source, keepExampleValues: true }).files;
    const again = generateHandler({ language: 'python', source, keepExampleValues: true }).files;
    assert.deepEqual(again, once, source);
  }
});

test("the stub's XML reader, which codegen also reads captures with, keeps element names that are Object's own as data", async () => {
  const { parseXml } = await import('../../../src/core/codegen/stubs/typescript/verifyXml');
  const { parseSimpleXml } = await import('../../../src/core/codegen/bodyFormats');
  assert.equal(parseSimpleXml, parseXml, 'one XML reader');
  const parsed = parseXml('<n><constructor>1</constructor><__proto__>2</__proto__><constructor>3</constructor><toString>4</toString></n>');
  assert.deepEqual(Object.keys(parsed), ['constructor', '__proto__', 'toString']);
  assert.deepEqual(parsed['constructor'], ['1', '3']);
  assert.equal(parsed['__proto__'], '2');
  assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  assert.equal(parsed['toString'], '4');
});
