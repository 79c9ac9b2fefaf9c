import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|js|mjs|cjs)$/.test(name) ? [full] : [];
  });
}

const importsVscode = /(?:from\s+['"]vscode['"]|import\s*\(\s*['"]vscode['"]\s*\)|require\(\s*['"]vscode['"]\s*\)|import\s+['"]vscode['"])/;

test('nothing under src/core or src/sandbox imports vscode', () => {
  const files = [...sourceFiles('src/core'), ...sourceFiles('src/sandbox')];
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
