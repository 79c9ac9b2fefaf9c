import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vectorsPath } from '../support/vectors';

const shared = join(__dirname, '..', '..', '..', 'shared', 'reference', 'vectors.json');

test('the committed vectors are a byte-for-byte copy of the shared reference', (t) => {
  if (!existsSync(shared)) {
    if (process.env.CI) assert.fail(`shared reference not found at ${shared}`);
    t.skip('shared/reference is not beside this checkout');
    return;
  }
  assert.ok(readFileSync(vectorsPath).equals(readFileSync(shared)), 'test/fixtures/vectors.json differs from shared/reference/vectors.json');
});
