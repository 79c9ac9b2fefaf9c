import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EndpointPlanError, judgeForwardedUrl, planEndpoint, webhookUrlFor } from '../../../src/core/session/endpointPlan';

test('sandbox mode starts the sandbox, no tunnel, and points templates at the loopback receiver', () => {
  const plan = planEndpoint({ accountMode: 'sandbox', tunnelProvider: 'localtunnel', publicUrl: 'https://example.com' });
  assert.deepEqual(plan, { startSandbox: true, tunnel: 'none', warnings: [] });
  assert.equal(webhookUrlFor(plan, 'http://127.0.0.1:4321', 'https://ignored.loca.lt'), 'http://127.0.0.1:4321');
  assert.equal(webhookUrlFor(plan, 'http://127.0.0.1:4321/', undefined, 'enablex'), 'http://127.0.0.1:4321/enablex');
});

test('live mode with localtunnel uses the tunnel URL once it is up, and nothing before', () => {
  const plan = planEndpoint({ accountMode: 'live', tunnelProvider: 'localtunnel', publicUrl: '' });
  assert.equal(plan.tunnel, 'localtunnel');
  assert.equal(plan.startSandbox, false);
  assert.equal(webhookUrlFor(plan, 'http://127.0.0.1:4321', undefined), undefined);
  assert.equal(webhookUrlFor(plan, 'http://127.0.0.1:4321', 'https://abc.loca.lt'), 'https://abc.loca.lt');
});

test('live mode with an external URL normalises it and uses it', () => {
  const plan = planEndpoint({ accountMode: 'live', tunnelProvider: 'external', publicUrl: 'https://hooks.example.com/' });
  assert.equal(plan.externalUrl, 'https://hooks.example.com');
  assert.equal(webhookUrlFor(plan, 'http://127.0.0.1:1', undefined), 'https://hooks.example.com');
});

test('external provider without a URL, or with a bad one, fails with the setting to fix', () => {
  assert.throws(
    () => planEndpoint({ accountMode: 'live', tunnelProvider: 'external', publicUrl: '' }),
    (err: unknown) => err instanceof EndpointPlanError && /kalturaWebhooks\.tunnel\.publicUrl/.test(err.message),
  );
  assert.throws(() => planEndpoint({ accountMode: 'live', tunnelProvider: 'external', publicUrl: 'not a url' }), /is not a URL/);
  assert.throws(() => planEndpoint({ accountMode: 'live', tunnelProvider: 'external', publicUrl: 'ftp://x.example' }), /https:\/\//);
});

test('live mode without a tunnel warns that Kaltura cannot reach the loopback receiver', () => {
  const plan = planEndpoint({ accountMode: 'live', tunnelProvider: 'none', publicUrl: '' });
  assert.equal(plan.tunnel, 'none');
  assert.equal(plan.warnings.length, 1);
  assert.match(plan.warnings[0]!, /cannot reach 127\.0\.0\.1/);
  assert.equal(webhookUrlFor(plan, 'http://127.0.0.1:4321', undefined), undefined);
});

test('portForwarding plans VS Code port forwarding and judges the URL it gives', () => {
  const plan = planEndpoint({ accountMode: 'live', tunnelProvider: 'portForwarding', publicUrl: '' });
  assert.equal(plan.tunnel, 'portForwarding');
  assert.equal(plan.startSandbox, false);
  // In the sandbox nothing is forwarded: the sender is local.
  assert.equal(planEndpoint({ accountMode: 'sandbox', tunnelProvider: 'portForwarding', publicUrl: '' }).tunnel, 'none');

  const codespace = judgeForwardedUrl('https://fuzzy-space-x7-41237.app.github.dev/', 41237);
  assert.equal(codespace.url, 'https://fuzzy-space-x7-41237.app.github.dev');
  assert.match(codespace.warnings.join(' '), /port 41237 as private.*Port Visibility, Public/);

  const codeServer = judgeForwardedUrl('https://code.example.com/proxy/41237/', 41237);
  assert.deepEqual(codeServer, { url: 'https://code.example.com/proxy/41237', warnings: [] });

  for (const local of ['http://localhost:41237/', 'http://127.0.0.1:8080/proxy/41237/', 'http://[::1]:41237/']) {
    const judged = judgeForwardedUrl(local, 41237);
    assert.match(judged.warnings.join(' '), /an address on this machine.*Kaltura's servers do not/, local);
  }
});
