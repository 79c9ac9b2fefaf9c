import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { deadlineSignal, whenAborted } from '../../../src/core/timing/deadlineSignal';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function fired(listen: (onAbort: () => void) => void, waitMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), waitMs);
    listen(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

test('the deadline aborts after a collection even when nothing but its own listener holds the signal', async () => {
  const ours = fired((onAbort) => deadlineSignal(150).signal.addEventListener('abort', onAbort), 1000);
  gc();
  assert.equal(await ours, true);
});

test('a parent abort passes through with its reason; dispose stops the timer and the link', async () => {
  const parent = new AbortController();
  const linked = deadlineSignal(10_000, parent.signal);
  parent.abort(new Error('user cancelled'));
  assert.equal(linked.signal.aborted, true);
  assert.equal((linked.signal.reason as Error).message, 'user cancelled');
  await assert.rejects(whenAborted(linked.signal), /user cancelled/);
  linked.dispose();

  const already = deadlineSignal(10_000, AbortSignal.abort(new Error('before')));
  assert.equal(already.signal.aborted, true);
  already.dispose();

  const disposed = deadlineSignal(50, new AbortController().signal);
  disposed.dispose();
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(disposed.signal.aborted, false, 'a disposed deadline never aborts');

  const timed = deadlineSignal(30);
  await assert.rejects(whenAborted(timed.signal), (err: DOMException) => err.name === 'TimeoutError');
});

test('no source uses AbortSignal.any or AbortSignal.timeout, which Node 20 can collect before they fire', () => {
  const uses: string[] = [];
  for (const file of readdirSync('src', { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file === join('core', 'timing', 'deadlineSignal.ts')) continue;
    readFileSync(join('src', file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/AbortSignal\.(any|timeout)\(/.test(line)) uses.push(`src/${file}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(uses, []);
});
