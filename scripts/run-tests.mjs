// Runs the node:test suites under test/<kind>/ through tsx, one kind after another (unit, integration, e2e), then
// the unit and integration suites again on each Node of scripts/nodeVersions.mjs (VS Code's Node 22 and the current
// LTS, 26, from the npm registry), and closes with every failure of all runs and their errors, then one line over all
// runs: "total: N passed, N failed, N skipped".
// The e2e suites run once per code-server release of scripts/codeServer.mjs: the newest, and the engines.vscode floor.
// `node scripts/run-tests.mjs unit integration` limits the kinds; KWH_TEST_FILTER=substring limits the files;
// KWH_TEST_NODES=22,26 (default) names the other Node majors, KWH_TEST_NODES=none runs on this Node only;
// KWH_E2E_RELEASES=newest,floor (default) names the code-server releases.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CODE_SERVER_RELEASES } from './codeServer.mjs';
import { EXTRA_NODE_MAJORS, ensureNode } from './nodeVersions.mjs';

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

/** Each failed test of a TAP report with the first lines of its error, for the closing summary. */
function tapFailures(tap, label) {
  const out = [];
  const lines = tap.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)not ok \d+ - (.*)$/.exec(lines[i]);
    if (!m) continue;
    const indent = m[1].length;
    const detail = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*\.\.\.$/.test(lines[j]); j++) {
      const err = /^\s*error: (.*)$/.exec(lines[j]);
      if (!err) continue;
      if (err[1] !== '|-' && err[1] !== '|') detail.push(err[1]);
      else for (let k = j + 1; k < lines.length && lines[k].startsWith(' '.repeat(indent + 4)); k++) detail.push(lines[k].trim());
      break;
    }
    // A suite that failed because its subtests did is named by them.
    if (detail.length === 1 && /^'?\d+ subtests? failed'?$/.test(detail[0])) continue;
    out.push(`✖ [${label}] ${m[2]}\n    ${detail.slice(0, 8).join('\n    ')}`);
  }
  return out;
}

function tapCount(tap, key) {
  const m = tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : 0;
}

const reportDir = mkdtempSync(join(tmpdir(), 'kwh-tests-'));
const totals = { pass: 0, fail: 0, skipped: 0 };
const failures = [];
let failed = false;
function runKind(kind, node, label, env = {}) {
  const files = findTests(join('test', kind));
  if (files.length === 0) return;
  console.log(`\n=== ${kind} tests (${files.length} files) on ${label} ===`);
  // Integration and e2e suites start servers and browsers: one file at a time keeps timings honest on 2 cores.
  const concurrency = kind === 'unit' ? [] : ['--test-concurrency=1'];
  const tapFile = join(reportDir, `${kind}-${label.replace(/\W+/g, '_')}.tap`);
  const r = spawnSync(
    node,
    ['--import', 'tsx', '--test', ...concurrency,
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
      ...files],
    { stdio: 'inherit', env: { ...process.env, ...env, KWH_TEST_KIND: kind } },
  );
  let tap = '';
  try { tap = readFileSync(tapFile, 'utf8'); } catch { /* the runner died before writing */ }
  failures.push(...tapFailures(tap, `${kind}, ${label}`));
  totals.pass += tapCount(tap, 'pass');
  totals.fail += tapCount(tap, 'fail') + tapCount(tap, 'cancelled');
  totals.skipped += tapCount(tap, 'skipped');
  if (r.status !== 0) {
    failed = true;
    if (!tap) totals.fail += 1;
  }
}

const releases = (process.env.KWH_E2E_RELEASES ?? Object.keys(CODE_SERVER_RELEASES).join(',')).split(',').map((s) => s.trim()).filter(Boolean);
for (const kind of kinds) {
  if (kind !== 'e2e') {
    runKind(kind, process.execPath, `Node ${process.versions.node}`);
    continue;
  }
  for (const name of releases) {
    const release = CODE_SERVER_RELEASES[name];
    if (!release) {
      console.error(`KWH_E2E_RELEASES names "${name}"; the releases are ${Object.keys(CODE_SERVER_RELEASES).join(', ')}`);
      failed = true;
      totals.fail += 1;
      continue;
    }
    runKind(kind, process.execPath, `code-server ${release.version} (VS Code ${release.vscode}, ${name})`, { KWH_CODE_SERVER: name });
  }
}

const extraMajors = (process.env.KWH_TEST_NODES ?? EXTRA_NODE_MAJORS.join(',')).split(',').map((s) => s.trim()).filter((s) => s && s !== 'none');
for (const major of extraMajors) {
  if (process.versions.node.split('.')[0] === major) continue;
  let node;
  try {
    node = ensureNode(major);
  } catch (err) {
    console.error(err.message);
    failed = true;
    totals.fail += 1;
    continue;
  }
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  for (const kind of kinds.filter((k) => k !== 'e2e')) runKind(kind, node, `Node ${version.replace(/^v/, '')}`);
}
rmSync(reportDir, { recursive: true, force: true });
// Repeated last, so that the tail of a long CI log says what failed and why.
if (failures.length) console.log(`\nfailures (${failures.length}):\n${failures.join('\n')}`);
console.log(`\ntotal: ${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(failed || totals.fail > 0 ? 1 : 0);
