// `kwh trigger sample KIND --set path=value --to URL`: a sample edited before it is encoded, signed like Kaltura with
// the secret from the named environment variable, and received verified, with the edits, by a real `kwh listen`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SerializedEvent } from '../../../src/core/events/model';
import { runCli } from '../receiver/cliProcess';

const SECRET = 'tr1gg3rtr1gg3rtr1gg3rtr1gg3r0000';

test('kwh trigger sample kaltura --set edits, signs and sends; kwh listen verifies it with the edits', async (t) => {
  const listen = runCli(['listen', '--kaltura-secret-env', 'KWH_TRIGGER_SECRET', '--json'], { KWH_TRIGGER_SECRET: SECRET });
  t.after(() => listen.stop('SIGKILL'));
  const base = (await listen.waitForLine(/^listening /)).line.slice('listening '.length);
  const trigger = runCli(
    ['trigger', 'sample', 'kaltura', '--set', 'object.status=7', '--set', 'templateName=Custom trigger', '--set', 'object.tags="a,b"', '--kaltura-secret-env', 'KWH_TRIGGER_SECRET', '--algo', 'sha512', '--to', `${base}/hooks/kaltura`],
    { KWH_TRIGGER_SECRET: SECRET },
  );
  assert.equal(await trigger.exited, 0, trigger.stderr());
  assert.match(trigger.lines.join('\n'), /^\[200\] POST http:\/\/127\.0\.0\.1:\d+\/hooks\/kaltura \(\d+(\.\d+)? ms\): OK$/m);
  const event = JSON.parse((await listen.waitForLine(/^\{/)).line) as SerializedEvent;
  assert.equal(event.verification.status, 'verified');
  assert.equal(event.verification.algorithm, 'sha512');
  const parsed = event.parsed as { object?: Record<string, unknown>; templateName?: string; objectStatusName?: string };
  assert.equal(parsed.object?.['status'], 7);
  assert.equal(parsed.object?.['tags'], 'a,b');
  assert.equal(parsed.templateName, 'Custom trigger');
  assert.equal(parsed.objectStatusName, 'NO_CONTENT');
});

test('kwh trigger refuses a --set path into a prototype and a malformed --set, naming the fix', async () => {
  for (const [set, message] of [['__proto__.polluted=1', /segment "__proto__" is not allowed/], ['object.status', /--set takes path=value/]] as const) {
    const run = runCli(['trigger', 'sample', 'kaltura', '--set', set, '--to', 'http://127.0.0.1:9/']);
    assert.equal(await run.exited, 2);
    assert.match(run.stderr(), message);
  }
});
