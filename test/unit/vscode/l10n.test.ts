// Issue 18, localization-ready: what the extension says at run time goes through vscode.l10n.t, and the English
// bundle a translator starts from (l10n/bundle.l10n.json, named by the manifest's "l10n") holds every such message,
// so a translation is a file, not a code change.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUNDLE, bundleText, extractMessages } from '../../../scripts/l10nBundle.mjs';

function extensionSources(dir = 'src'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    // The core, the sandbox, the protocol leaf and the CLI run without VS Code: their text is not the editor's.
    if (d.isDirectory()) return /^src\/(core|sandbox|protocol|cli)$/.test(path) ? [] : extensionSources(path);
    return d.name.endsWith('.ts') ? [path] : [];
  });
}

test('every vscode.l10n.t message is a literal, and the English bundle holds exactly those messages', () => {
  const { messages, problems } = extractMessages();
  assert.deepEqual(problems, []);
  assert.ok(messages.length > 100, `the runtime messages are in the bundle (${messages.length})`);
  assert.equal(readFileSync(BUNDLE, 'utf8'), bundleText(messages), 'l10n/bundle.l10n.json is out of date: run node scripts/l10nBundle.mjs');
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { l10n?: string };
  assert.equal(manifest.l10n, './l10n');
});

test('each message numbers its arguments {0}…{n-1} with none skipped', () => {
  for (const message of extractMessages().messages) {
    const used = [...new Set([...message.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
    assert.deepEqual(used, used.map((_, i) => i), message);
  }
});

test('notifications, pickers, input boxes, progress and errors of the extension are never plain text', () => {
  const plain: string[] = [];
  const patterns = [
    /\.show(?:Information|Warning|Error)Message\(\s*['`"]/g,
    /\.show(?:Information|Warning|Error)Message\([^;]*?,\s*['"][A-Z][^'"]*['"]\s*[,)]/g, // a button
    /new \w*Error\(\s*['`"]/g,
    /\b(?:placeHolder|prompt): ['`"]/g,
    /\.report\(\{\s*message: ['`"]/g,
  ];
  for (const file of extensionSources()) {
    const text = readFileSync(file, 'utf8');
    // Modules without `vscode` (unit-tested in Node, like endpointPlan.ts) cannot call vscode.l10n.
    if (!/from 'vscode'/.test(text)) continue;
    for (const pattern of patterns) {
      for (const m of text.matchAll(pattern)) plain.push(`${file}:${text.slice(0, m.index).split('\n').length}: ${m[0].slice(0, 80)}`);
    }
    // A picker's or input box's title (a tree item's command title is never shown, so `command: {…title}` is not).
    for (const m of text.matchAll(/\btitle: ['`"]/g)) {
      const before = text.slice(Math.max(0, m.index - 80), m.index);
      if (!/command: [\w.]+,\s*$/.test(before)) plain.push(`${file}:${text.slice(0, m.index).split('\n').length}: ${m[0]}`);
    }
  }
  assert.deepEqual(plain, []);
});
