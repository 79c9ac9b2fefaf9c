// The commands' house rules (Error Lens's src/commands/ layout): one file per command named after its id's key,
// every id of the registry (commandIds.ts) defined exactly once and registered by commands/index.ts, and no command
// id or context key written as a literal anywhere else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, CONTEXT_KEYS } from '../../../src/vscode/commandIds';

const DIR = 'src/vscode/commands';
const HELPERS = new Set(['command.ts', 'deps.ts', 'index.ts', 'accountRestart.ts', 'customSamples.ts', 'eventAction.ts', 'eventsViewMode.ts', 'templatePick.ts', 'templateStatus.ts', 'tunnelAlternatives.ts']);
const definition = /export const (\w+) = (?:defineCommand|eventActionCommand)\(COMMANDS\.(\w+)\b/g;

test('each command has its own file, named after its key in COMMANDS, and every key has one', () => {
  const defined = new Map<string, string>();
  for (const name of readdirSync(DIR)) {
    const source = readFileSync(join(DIR, name), 'utf8');
    const found = [...source.matchAll(definition)];
    if (HELPERS.has(name)) {
      assert.deepEqual(found.map((m) => m[2]), [], `${name} is a helper and defines no command`);
      continue;
    }
    assert.equal(found.length, 1, `${name} defines exactly one command`);
    const [, exported, key] = found[0]!;
    assert.equal(`${key}.ts`, name, `${name} defines COMMANDS.${key}`);
    assert.equal(exported, key, `${name} exports it as ${key}`);
    assert.ok(!defined.has(key!), `COMMANDS.${key} is defined once`);
    defined.set(key!, name);
  }
  assert.deepEqual([...defined.keys()].sort(), Object.keys(COMMANDS).sort());
});

test('commands/index.ts registers every command once, in the registry\'s order', () => {
  const index = readFileSync(join(DIR, 'index.ts'), 'utf8');
  const list = /WORKBENCH_COMMANDS: readonly WorkbenchCommand\[\] = \[([^\]]*)\]/.exec(index)?.[1] ?? '';
  assert.deepEqual(list.split(',').map((s) => s.trim()).filter(Boolean), Object.keys(COMMANDS));
  for (const key of Object.keys(COMMANDS)) assert.match(index, new RegExp(`import \\{ ${key} \\} from './${key}';`));
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : /\.ts$/.test(name) ? [full] : [];
  });
}

test('no command id or context key is written as a literal outside the registry', () => {
  const literals = [...Object.values(COMMANDS), ...Object.values(CONTEXT_KEYS)];
  const offenders: string[] = [];
  for (const file of [...sources('src'), ...sources('media')]) {
    if (file === join('src', 'vscode', 'commandIds.ts')) continue;
    const source = readFileSync(file, 'utf8');
    for (const id of literals) if (source.includes(`'${id}'`) || source.includes(`"${id}"`) || source.includes(`\`${id}\``)) offenders.push(`${file}: ${id}`);
  }
  assert.deepEqual(offenders, []);
});
