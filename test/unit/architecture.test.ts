import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|js|mjs|cjs)$/.test(name) ? [full] : [];
  });
}

const importsVscode = /(?:from\s+['"]vscode['"]|import\s*\(\s*['"]vscode['"]\s*\)|require\(\s*['"]vscode['"]\s*\)|import\s+['"]vscode['"])/;

test('nothing under src/protocol, src/core or src/sandbox imports vscode', () => {
  const files = [...sourceFiles('src/protocol'), ...sourceFiles('src/core'), ...sourceFiles('src/sandbox')];
  assert.ok(files.length > 0, 'expected core sources to scan');
  const offenders = files.filter((f) => importsVscode.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, [], `these core files import vscode: ${offenders.join(', ')}`);
});

test('the vscode-import detector recognises every import form', () => {
  for (const line of [
    "import * as vscode from 'vscode';",
    'import { window } from "vscode";',
    "const v = require('vscode');",
    "await import('vscode');",
  ]) {
    assert.match(line, importsVscode);
  }
  assert.doesNotMatch("import { z } from 'zod'; // vscode-free", importsVscode);
});

// ---------------------------------------------------------------------------------------------------------
// The direction of imports between folders (style.md, "The house"): protocol is a leaf; core folders, sandbox and
// codegen build on it; the adapters (cli, vscode) sit on top; no folder cycle anywhere.

/** The folder a source file belongs to: protocol, core/<name>, sandbox, cli, vscode, or the entry file itself. */
function folderOf(file: string): string {
  const parts = relative('src', file).split(sep);
  if (parts[0] === 'core') return `core/${parts[1]}`;
  return parts.length === 1 ? parts[0]!.replace(/\.ts$/, '') : parts[0]!;
}

const relativeImport = /(?:from\s+|import\s*\(\s*|export\s+\*\s+from\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles('src')) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const m of readFileSync(file, 'utf8').matchAll(relativeImport)) {
      const target = normalize(join(dirname(file), m[1]!));
      if (!target.startsWith(`src${sep}`)) continue;
      const to = folderOf(target);
      if (to !== from && !edges.has(to)) edges.set(to, `${file} imports ${m[1]}`);
    }
  }
  return graph;
}

test('src/protocol is a leaf: it imports nothing else from src', () => {
  const edges = folderGraph().get('protocol');
  assert.ok(edges, 'src/protocol exists');
  assert.deepEqual([...edges.values()], []);
});

test('no folder imports upward: core never imports the adapters or the sandbox, sandbox and codegen never each other', () => {
  const forbidden: Array<[RegExp, RegExp]> = [
    [/^core\//, /^(cli|vscode|sandbox|extension|extensionCore)$/],
    [/^sandbox$/, /^(cli|vscode|extension|extensionCore|core\/codegen|core\/receiver|core\/tunnel)$/],
    [/^core\/codegen$/, /^(sandbox|core\/receiver|core\/tunnel|core\/kaltura)$/],
    [/^core\/(events|providers)$/, /^core\/(receiver|forward|kaltura|tunnel|codegen)$/],
    // The event log re-derives payloads through an injected codec (events/payloadCodec.ts), never a provider import.
    [/^core\/events$/, /^core\/providers$/],
  ];
  const offenders: string[] = [];
  for (const [from, edges] of folderGraph()) {
    for (const [to, where] of edges) if (forbidden.some(([a, b]) => a.test(from) && b.test(to))) offenders.push(where);
  }
  assert.deepEqual(offenders, []);
});

test('the folders form no import cycle', () => {
  const graph = folderGraph();
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const walk = (node: string, path: string[]): void => {
    state.set(node, 'open');
    for (const [next, where] of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path, node, next].slice(path.indexOf(next) >= 0 ? path.indexOf(next) : 0).join(' -> ') + ` (${where})`);
      else if (!state.has(next)) walk(next, [...path, node]);
    }
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) walk(node, []);
  assert.deepEqual(cycles, []);
});
