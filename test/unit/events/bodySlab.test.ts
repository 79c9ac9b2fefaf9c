import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BODY_SLAB_BYTES, bodyBytes, bodyFromText } from '../../../src/core/events/bodySlab';

test('bodies rebuilt from text hold exactly their bytes and never overlap', () => {
  const originals = Array.from({ length: 2000 }, (_, i) => randomBytes((i * 37) % 3000));
  originals.push(randomBytes(200 * 1024)); // a body of its own, not on a slab
  const rebuilt = originals.map((b, i) => (i % 2 ? bodyFromText(b.toString('base64'), 'base64') : bodyFromText(b.toString('latin1'), 'utf8')));
  for (let i = 0; i < originals.length; i++) {
    const expected = i % 2 ? originals[i]! : Buffer.from(originals[i]!.toString('latin1'), 'utf8');
    assert.ok(rebuilt[i]!.equals(expected), `body ${i}`);
  }
  // Overwrite every body; if two shared bytes, a neighbour would change.
  rebuilt.forEach((b, i) => b.fill(i % 251));
  rebuilt.forEach((b, i) => assert.ok(b.every((x) => x === i % 251), `body ${i} kept its own bytes`));
});

test('UTF-8 text with multi-byte characters and empty bodies', () => {
  const text = '{"name":"Ünïcödé · 日本語 · 🎬"}';
  assert.equal(bodyFromText(text, 'utf8').toString('utf8'), text);
  assert.equal(bodyFromText('', 'utf8').length, 0);
  assert.equal(bodyFromText('', 'base64').length, 0);
});

test('a small body lives on a large shared slab, not on Node\'s 8 KiB pool', () => {
  const body = bodyFromText('x'.repeat(2800), 'utf8');
  assert.ok(body.buffer.byteLength >= 1024 * 1024, `backing store ${body.buffer.byteLength} bytes`);
  assert.notEqual(body.buffer, Buffer.from('y').buffer, 'not the pool Buffer.from uses');
});

test('bodyBytes: small bodies share a slab without overlapping, large ones get a buffer of their own', () => {
  assert.equal(bodyBytes(0).length, 0);
  const small = Array.from({ length: 500 }, (_, i) => bodyBytes(1 + ((i * 97) % 4000)));
  small.forEach((b, i) => b.fill(i % 251));
  small.forEach((b, i) => assert.ok(b.every((x) => x === i % 251), `body ${i} kept its own bytes`));
  assert.ok(small.every((b) => b.buffer.byteLength === BODY_SLAB_BYTES), 'small bodies live on slabs');
  const large = bodyBytes(64 * 1024);
  assert.equal(large.buffer.byteLength, 64 * 1024, 'a 64 KiB body pins only itself');
});
