// The shared redraw window and the ownership base class the views use (both vscode-free).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Disposable, MutableDisposable } from '../../../src/vscode/disposable';
import { RefreshScheduler } from '../../../src/vscode/views/refreshScheduler';

test('a burst of refresh requests redraws each view once, all on one timer tick', async () => {
  const scheduler = new RefreshScheduler(30);
  const runs: string[] = [];
  const tree = () => runs.push(`tree@${Date.now()}`);
  const bar = () => runs.push(`bar@${Date.now()}`);
  for (let i = 0; i < 1000; i++) {
    scheduler.schedule(tree);
    scheduler.schedule(bar);
  }
  assert.equal(runs.length, 0, 'nothing before the window ends');
  await sleep(60);
  assert.equal(runs.length, 2);
  assert.equal(runs[0]!.split('@')[1], runs[1]!.split('@')[1], 'same tick');
  scheduler.schedule(tree);
  scheduler.now(tree);
  assert.equal(runs.length, 3, 'now() runs at once');
  await sleep(60);
  assert.equal(runs.length, 3, 'and drops the pending run');
  scheduler.schedule(bar);
  scheduler.dispose();
  await sleep(60);
  assert.equal(runs.length, 3, 'disposed: nothing pending runs');
});

test('one view that throws does not stop the others redrawing', async () => {
  const scheduler = new RefreshScheduler(5);
  let ran = false;
  scheduler.schedule(() => {
    throw new Error('boom');
  });
  scheduler.schedule(() => (ran = true));
  await sleep(30);
  assert.equal(ran, true);
});

class Owner extends Disposable {
  readonly slot = this.register(new MutableDisposable());
  own(d: { dispose(): void }) {
    return this.register(d);
  }
}

test('Disposable disposes what it registered, newest first, once; later registrations are disposed at once', () => {
  const order: string[] = [];
  const owner = new Owner();
  owner.own({ dispose: () => order.push('first') });
  owner.own({
    dispose: () => {
      order.push('second');
      throw new Error('a failing dispose');
    },
  });
  owner.slot.value = { dispose: () => order.push('slot A') };
  owner.slot.value = { dispose: () => order.push('slot B') };
  assert.deepEqual(order, ['slot A'], 'replacing the slot disposes the previous value');
  owner.dispose();
  owner.dispose();
  assert.deepEqual(order, ['slot A', 'second', 'first', 'slot B']);
  owner.own({ dispose: () => order.push('late') });
  assert.equal(order.at(-1), 'late');
});
