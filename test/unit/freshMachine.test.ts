// Issue 17: CI runs exactly what the README tells a new user to run, so a set-up step that only CI knows about
// cannot keep CI green while the README's command fails.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

test('.ci/run is the README test command and nothing of its own', () => {
  const commands = readFileSync('.ci/run', 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && line !== 'set -euo pipefail' && line !== 'cd "$(dirname "$0")/.."');
  assert.deepEqual(commands, ['npm ci && npm test']);
  const readme = readFileSync('README.md', 'utf8');
  assert.match(readme, /^npm ci && npm test\b/m, 'the README gives the same command');
  assert.match(readme, /^npm ci && npm start\b/m);
});

test('package.json runs the prerequisite check before the tests and before start', () => {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  assert.match(scripts['test']!, /scripts\/prerequisites\.mjs test/);
  assert.match(scripts['start']!, /scripts\/prerequisites\.mjs start/);
});

test("engines.node names the Node lines the suites run on: the machine's 20, VS Code's 22 and the LTS 26", async () => {
  const { engines } = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
  const { EXTRA_NODE_MAJORS } = await import('../../scripts/nodeVersions.mjs');
  const majors = engines.node.split('||').map((range) => /^\s*\^(\d+)\./.exec(range)?.[1]);
  assert.ok(majors.every(Boolean), `every range is a caret range of one major: ${engines.node}`);
  assert.deepEqual([...majors].sort(), ['20', ...EXTRA_NODE_MAJORS].sort());
});
