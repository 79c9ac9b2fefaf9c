// Runs the node:test suites under test/<kind>/ through tsx, one kind after another (unit, integration, e2e),
// then prints one closing line over all kinds: "total: N passed, N failed, N skipped".
// `node scripts/run-tests.mjs unit integration` limits the kinds; KWH_TEST_FILTER=substring limits the files.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const allKinds = ['unit', 'integration', 'e2e'];
const kinds = process.argv.slice(2).length ? process.argv.slice(2) : allKinds;
const filter = process.env.KWH_TEST_FILTER;

function findTests(dir) {
  let out = [];
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries.sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(findTests(full));
    else if (/\.test\.ts$/.test(name) && (!filter || full.includes(filter))) out.push(full);
  }
  return out;
}

function tapCount(tap, key) {
  const m = tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : 0;
}

const reportDir = mkdtempSync(join(tmpdir(), 'kwh-tests-'));
const totals = { pass: 0, fail: 0, skipped: 0 };
let failed = false;
for (const kind of kinds) {
  const files = findTests(join('test', kind));
  if (files.length === 0) continue;
  console.log(`\n=== ${kind} tests (${files.length} files) ===`);
  // Integration and e2e suites start servers and browsers: one file at a time keeps timings honest on 2 cores.
  const concurrency = kind === 'unit' ? [] : ['--test-concurrency=1'];
  const tapFile = join(reportDir, `${kind}.tap`);
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', ...concurrency,
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
      ...files],
    { stdio: 'inherit', env: { ...process.env, KWH_TEST_KIND: kind } },
  );
  let tap = '';
  try { tap = readFileSync(tapFile, 'utf8'); } catch { /* the runner died before writing */ }
  totals.pass += tapCount(tap, 'pass');
  totals.fail += tapCount(tap, 'fail') + tapCount(tap, 'cancelled');
  totals.skipped += tapCount(tap, 'skipped');
  if (r.status !== 0) {
    failed = true;
    if (!tap) totals.fail += 1;
  }
}
rmSync(reportDir, { recursive: true, force: true });
console.log(`\ntotal: ${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(failed || totals.fail > 0 ? 1 : 0);
