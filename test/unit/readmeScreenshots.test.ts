// Issue 18: the README's pictures exist, are real screenshots, and each is one the end-to-end suite takes (a shot
// with `readme: NAME` writes media/screenshots/NAME.png), so they can always be taken again as the product changes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

test('every README screenshot exists, is a full-window PNG and is taken by an e2e step', () => {
  const readme = readFileSync('README.md', 'utf8');
  const pictures = [...readme.matchAll(/\]\((media\/screenshots\/([\w-]+)\.png)\)/g)].map((m) => ({ path: m[1]!, name: m[2]! }));
  assert.ok(pictures.length >= 4, 'the README shows the views, the inspector, registration and a generated handler');
  const e2eSources = readdirSync('test/e2e').filter((f) => f.endsWith('.test.ts')).map((f) => readFileSync(join('test/e2e', f), 'utf8')).join('\n');
  for (const { path, name } of pictures) {
    const png = readFileSync(path);
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${path} is a PNG`);
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    assert.ok(width >= 1200 && height >= 700, `${path} is a whole-window screenshot (${width}x${height})`);
    assert.ok(e2eSources.includes(`readme: '${name}'`), `an e2e step takes ${path} (shot(…, { readme: '${name}' }))`);
  }
});
