// Runs the node:test suites under test/<kind>/ through tsx, one kind after another (unit, integration, e2e).
// `node scripts/run-tests.mjs unit integration` limits the kinds; KWH_TEST_FILTER=substring limits the files.
import { readdirSync, statSync } from 'node:fs';
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

let failed = false;
for (const kind of kinds) {
  const files = findTests(join('test', kind));
  if (files.length === 0) continue;
  console.log(`\n=== ${kind} tests (${files.length} files) ===`);
  const concurrency = kind === 'unit' ? [] : ['--test-concurrency=1'];
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...concurrency, '--test-reporter=spec', ...files], {
    stdio: 'inherit',
    env: { ...process.env, KWH_TEST_KIND: kind },
  });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
