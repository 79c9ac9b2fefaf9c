import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clockTime } from '../../../src/vscode/clockTime';

test('log times read as en-US toLocaleTimeString() does, around midnight and noon too', () => {
  for (const [h, m, s] of [[0, 0, 0], [0, 5, 9], [9, 30, 1], [11, 59, 59], [12, 0, 0], [12, 30, 7], [13, 1, 2], [23, 59, 59]] as const) {
    const date = new Date(2026, 11, 2, h, m, s);
    assert.equal(clockTime(date), date.toLocaleTimeString('en-US').replace(/\u202f/g, ' '), `${h}:${m}:${s}`);
  }
});
