import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { capturesPath } from '../support/captures';
import { vectorsPath } from '../support/vectors';

const reference = join(__dirname, '..', '..', '..', 'shared', 'reference');
const shared = join(reference, 'vectors.json');

test('the committed vectors are a byte-for-byte copy of the shared reference', (t) => {
  if (!existsSync(shared)) {
    if (process.env.CI) assert.fail(`shared reference not found at ${shared}`);
    t.skip('shared/reference is not beside this checkout');
    return;
  }
  assert.ok(readFileSync(vectorsPath).equals(readFileSync(shared)), 'test/fixtures/vectors.json differs from shared/reference/vectors.json');
});

test('the committed Kaltura captures are a byte-for-byte copy of the shared reference', (t) => {
  const capturesShared = join(reference, 'kaltura-captures.json');
  if (!existsSync(capturesShared)) {
    if (process.env.CI) assert.fail(`shared reference not found at ${capturesShared}`);
    t.skip('shared/reference is not beside this checkout');
    return;
  }
  assert.ok(readFileSync(capturesPath).equals(readFileSync(capturesShared)), 'test/fixtures/kaltura-captures.json differs from shared/reference/kaltura-captures.json');
});
