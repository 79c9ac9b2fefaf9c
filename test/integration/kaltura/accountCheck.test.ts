// Connect Kaltura Account checks the settings with one API call before anything is saved: against the sandbox, the
// right admin secret passes; a wrong one, an unknown partner and an unreachable URL each get a reason an editor user
// can act on, and which answer to give again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAccount } from '../../../src/core/kaltura/accountCheck';
import { startSandbox } from '../../../src/sandbox';

test('checkAccount: the right secret passes; a wrong secret, partner or URL says what to enter again', async (t) => {
  const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
  t.after(() => sandbox.close());
  const ok = await checkAccount(sandbox.url, { kind: 'localAdminSecret', partnerId: sandbox.partnerId, adminSecret: sandbox.adminSecret });
  assert.equal(ok.ok, true);

  const wrong = await checkAccount(sandbox.url, { kind: 'localAdminSecret', partnerId: sandbox.partnerId, adminSecret: 'not-the-secret-0000000000000000' });
  assert.ok(!wrong.ok);
  assert.equal(wrong.retry, 'secret');
  assert.match(wrong.reason, new RegExp(`the secret does not belong to partner ${sandbox.partnerId} \\(INVALID_KS\\)`));
  assert.doesNotMatch(wrong.reason, /--partner-id|--admin-secret/, 'no CLI flags in an editor message');

  const nowhere = await checkAccount('http://127.0.0.1:9', { kind: 'localAdminSecret', partnerId: sandbox.partnerId, adminSecret: sandbox.adminSecret }, { timeoutMs: 3000 });
  assert.ok(!nowhere.ok);
  assert.equal(nowhere.retry, 'url');
  assert.match(nowhere.reason, /^Could not reach http:\/\/127\.0\.0\.1:9/);
});
