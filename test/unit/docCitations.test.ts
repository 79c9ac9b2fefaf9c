// Comments cite the protocol notes by file and section ("kaltura-protocol.md §4.2"); the notes live in docs/, so a
// citation of a file or section that is not there fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const NOTES = ['kaltura-protocol.md', 'tunnels.md', 'enablex.md'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'fixtures' ? [] : files(full);
    return /\.(ts|mts|js|mjs|py|php)$/.test(name) ? [full] : [];
  });
}

/** Section labels of a notes file: "1.2", "4", "c.2", "A3" from its headings. */
function sections(file: string): Set<string> {
  const labels = new Set<string>();
  for (const m of readFileSync(join('docs', file), 'utf8').matchAll(/^#{2,4}\s+([A-Za-z]?\d+(?:\.\d+)*|[a-z](?:\.\d+)?)[.\s]/gm)) labels.add(m[1]!);
  return labels;
}

const citation = /\b([\w-]+\.md)\s*(?:§\s*)?((?:[A-Za-z]?\d+|[a-z])(?:\.\d+)*(?:[–-](?:[a-z]\.)?\d+(?:\.\d+)*)?)?/g;

test('every protocol note the code cites exists in docs/, with the cited section', () => {
  for (const note of NOTES) assert.ok(existsSync(join('docs', note)), `docs/${note} exists`);
  const known = new Map(NOTES.map((n) => [n, sections(n)]));
  const missing: string[] = [];
  let cited = 0;
  for (const file of [...files('src'), ...files('test'), ...files('scripts'), ...files('bench')]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(citation)) {
      const [, name, section] = m;
      if (!name || !/kaltura-protocol|tunnels|enablex|peers-and-tunnels/.test(name)) continue;
      cited++;
      const labels = known.get(name);
      if (!labels) {
        missing.push(`${file}: ${m[0]} (no docs/${name})`);
        continue;
      }
      if (!section || !/[§A-Za-z\d]/.test(m[0].slice(name.length))) continue;
      const [first, last] = section.split(/[–-]/);
      const prefix = first!.includes('.') ? first!.split('.')[0]! + '.' : '';
      for (const label of [first!, ...(last ? [last.includes('.') || !prefix ? last : prefix + last] : [])]) {
        if (!labels.has(label)) missing.push(`${file}: ${m[0]} (no section ${label} in docs/${name})`);
      }
    }
  }
  assert.ok(cited > 20, `the code cites the notes (${cited} citations)`);
  assert.deepEqual(missing, []);
});

test('the section reader sees the headings the citations use', () => {
  const labels = sections('kaltura-protocol.md');
  for (const label of ['1', '1.2', '1.6', '2.4', '3.5', '4', '4.1', '4.2', '5', '7']) assert.ok(labels.has(label), label);
  assert.ok(sections('tunnels.md').has('c.2'));
  assert.ok(sections('enablex.md').has('A3'));
  assert.ok(!labels.has('9.9'));
});
