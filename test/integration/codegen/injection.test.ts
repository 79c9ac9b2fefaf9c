// Captured text never becomes code. Hostile strings (the injections of the codegen issue, and fast-check's strings
// over every code point) go into every captured field a stub is built from: the Kaltura event type, template name,
// object keys and values, the path; the EnableX type and keys; the legacy notification_type and field values. For
// every language and framework the generated files must compile (tsc --strict, py_compile, php -l), the generated
// tests must pass, and the canary file an injected statement would create must never appear.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { generateHandler, type CodegenLanguage, type CodegenSource } from '../../../src/core/codegen';
import { commentText, phpLiteral, pyLiteral, safeIdentifier, tsLiteral } from '../../../src/core/codegen/literals';
import { buildLegacyBody, kalturaSignature } from '../../../src/protocol/signing';
import { allStubs, capturedEvent, makeWorkDir, python, removeDir, repoRoot, run, writeGenerated } from './stubHarness';

const SECRET = '0123456789abcdef0123456789abcdef';
const CANARY = 'pwned.txt';

/** The injections that worked, or would work, against a splice into code or comments. */
const INJECTIONS = [
  `OBJECT\u2028;(globalThis as any).process.getBuiltinModule('fs').writeFileSync('${CANARY}', 'ts');//X`,
  `OBJECT\u2029;process.getBuiltinModule('fs').writeFileSync('${CANARY}', 'js');//`,
  `x\n;require('fs').writeFileSync('${CANARY}','nl');//`,
  `*/ require('fs').writeFileSync('${CANARY}', 'c'); /*`,
  `\${require('fs').writeFileSync('${CANARY}','tpl')}\``,
  `"""\nimport os; open('${CANARY}','w').write('py')\n"""`,
  `'''+open('${CANARY}','w').write('py2')+'''`,
  `\\N{oops} \\x \\u12 \\`,
  `'); touch('${CANARY}'); //`,
  `?><?php touch('${CANARY}'); ?>`,
  `<?php touch('${CANARY}');`,
  '\u0000NUL\u0085NEL\r\nCRLF\t',
  'class',
  '__proto__',
  'constructor',
  'None',
  'x'.repeat(10_000),
];

const stubs = allStubs;

interface Hostile {
  eventType: string;
  templateName: string;
  key: string;
  value: string;
  pathPart: string;
}

function events(h: Hostile) {
  const object: Record<string, unknown> = { id: '0_abc', objectType: 'KalturaMediaEntry', name: h.value };
  Object.defineProperty(object, h.key, { value: h.value, enumerable: true, configurable: true, writable: true });
  const kalturaBody = JSON.stringify({ object, eventNotificationJobId: 77, templateName: h.templateName, eventType: h.eventType, objectType: 'KalturaHttpNotification' });
  const legacyBody = buildLegacyBody(
    [{ notificationId: 501, notificationType: h.eventType, partnerId: 1, objectIdKey: 'entry_id', objectId: '0_abc', data: [['name', h.value]] }],
    SECRET,
  );
  const enablex: Record<string, unknown> = { type: h.eventType, app_id: 'app', room_id: 'room', trans_date: 1700000000 };
  Object.defineProperty(enablex, h.key, { value: h.value, enumerable: true, configurable: true, writable: true });
  const path = `/hooks/${encodeURIComponent(h.pathPart).slice(0, 200)}`;
  return {
    kaltura: capturedEvent({
      source: 'kaltura',
      type: h.eventType,
      path,
      headers: { 'Content-Type': 'application/json', 'X-KALTURA-SIGNATURE': kalturaSignature(SECRET, kalturaBody, 'sha1'), 'X-KALTURA-HASH-ALGO': 'sha1' },
      body: kalturaBody,
    }),
    'kaltura-legacy': capturedEvent({ source: 'kaltura-legacy', type: h.eventType, path, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: legacyBody }),
    enablex: capturedEvent({ source: 'enablex', type: h.eventType, path, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(enablex) }),
  } satisfies Record<CodegenSource, unknown>;
}

const hostileText = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('"', "'", '`', '\\', '$', '{', '}', '*', '/', '?', '>', '<', '\n', '\u2028', '\u2029', '#', ';', 'a'), maxLength: 30 }),
);
const hostileRecord = fc.record({ eventType: hostileText, templateName: hostileText, key: hostileText, value: hostileText, pathPart: hostileText });

// The code injections together in every field, each name-like one alone in every field (they matter as whole
// names), then random hostile records (seeded, so a failure names its case).
const SEED = 20261201;
const NAME_LIKE = new Set(['class', '__proto__', 'constructor', 'None']);
const everywhere = (s: string): Hostile => ({ eventType: s, templateName: s, key: s, value: s, pathPart: s });
const cases: Hostile[] = [
  everywhere(INJECTIONS.filter((s) => !NAME_LIKE.has(s) && s.length < 1000).join(' ')),
  ...INJECTIONS.filter((s) => NAME_LIKE.has(s) || s.length >= 1000).map(everywhere),
  ...fc.sample(hostileRecord, { numRuns: 5, seed: SEED }),
];

test('the literal encoders are correct for every code point and every target', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
      // JSON is JS: the TS literal evaluates back to the string, and holds no raw line terminator.
      assert.equal(JSON.parse(tsLiteral(s)), s);
      assert.doesNotMatch(tsLiteral(s), /[\n\r\u2028\u2029]/);
      assert.match(pyLiteral(s), /^"[\x20-\x7e]*"$/);
      assert.doesNotMatch(commentText(s, 1000), /[^\x20-\x7e]|\*\/|\?>/);
      assert.ok(phpLiteral(s).startsWith("'") && phpLiteral(s).endsWith("'"));
    }),
    { numRuns: 500, seed: SEED },
  );
  assert.equal(safeIdentifier('class', 'T'), 'class_');
  assert.equal(safeIdentifier('a-b', 'T'), 'T');
  assert.equal(safeIdentifier('KalturaMediaEntry', 'T'), 'KalturaMediaEntry');
});

describe('hostile captures give stubs that compile, pass their tests and run nothing', () => {
  let work = '';
  const dirs: Array<{ language: CodegenLanguage; dir: string; name: string }> = [];

  before(() => {
    work = makeWorkDir('codegen-injection');
    cases.forEach((h, i) => {
      const bySource = events(h);
      for (const { language, framework } of stubs) {
        for (const source of ['kaltura', 'kaltura-legacy', 'enablex'] as const) {
          const generated = generateHandler({ language, framework, event: bySource[source] });
          const name = `case${i}-${framework}-${source}`;
          const dir = join(work, language, name);
          writeGenerated(dir, generated);
          dirs.push({ language, dir, name });
        }
      }
    });
    writeFileSync(
      join(work, 'typescript', 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'], module: 'node16', moduleResolution: 'node16', esModuleInterop: true, skipLibCheck: true, types: ['node'] },
        include: ['**/*.ts'],
      }),
    );
  });

  after(() => removeDir(work));

  test('TypeScript: tsc --strict compiles every stub', { timeout: 300_000 }, async () => {
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: join(work, 'typescript'), timeoutMs: 290_000 });
    assert.equal(result.code, 0, `tsc failed:\n${result.stdout.slice(0, 4000)}${result.stderr}`);
  });

  test('Python: py_compile accepts every file', { timeout: 120_000 }, async () => {
    const files = dirs.filter((d) => d.language === 'python').flatMap((d) => readdirSync(d.dir).filter((f) => f.endsWith('.py')).map((f) => join(d.dir, f)));
    const result = await run(python, ['-m', 'py_compile', ...files], { cwd: work, env: { PYTHONDONTWRITEBYTECODE: '1' }, timeoutMs: 110_000 });
    assert.equal(result.code, 0, `py_compile failed:\n${result.stdout}${result.stderr}`);
  });

  test('PHP: php -l accepts every file', { timeout: 120_000 }, async () => {
    for (const d of dirs.filter((x) => x.language === 'php')) {
      for (const file of readdirSync(d.dir).filter((f) => f.endsWith('.php'))) {
        const result = await run('php', ['-l', file], { cwd: d.dir, timeoutMs: 20_000 });
        assert.equal(result.code, 0, `${d.name}/${file}: ${result.stdout}${result.stderr}`);
      }
    }
  });

  test('the generated tests pass, and no canary file appears anywhere', { timeout: 600_000 }, async () => {
    // Two at a time: the machine has two cores.
    const queue = [...dirs];
    const failures: string[] = [];
    const worker = async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        const [command, args] =
          d.language === 'typescript' ? [process.execPath, ['--test', 'webhookHandler.test.js']] : d.language === 'python' ? [python, ['-m', 'unittest']] : ['php', ['webhook_handler_test.php']];
        const result = await run(command as string, args as string[], { cwd: d.dir, env: { PYTHONDONTWRITEBYTECODE: '1' }, timeoutMs: 60_000 });
        if (result.code !== 0) failures.push(`${d.language}/${d.name}: generated test failed:\n${result.stdout.slice(-3000)}${result.stderr.slice(-3000)}`);
        if (existsSync(join(d.dir, CANARY))) failures.push(`${d.language}/${d.name}: injected code ran`);
      }
    };
    await Promise.all([worker(), worker()]);
    assert.deepEqual(failures, []);
    assert.ok(!existsSync(join(repoRoot, CANARY)));
  });
});
