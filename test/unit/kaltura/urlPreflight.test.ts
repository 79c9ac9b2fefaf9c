import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostReach, webhookUrlRefusal } from '../../../src/core/kaltura/urlPreflight';
import { registerWebhook, TemplateRegistry } from '../../../src/core/kaltura/registration';
import { createKalturaConnection } from '../../../src/core/kaltura/connection';

test('hostReach tells loopback, private and public hosts apart', () => {
  for (const host of ['localhost', 'app.localhost', '127.0.0.1', '127.9.9.9', '::1', '[::1]', '::ffff:127.0.0.1']) assert.equal(hostReach(host), 'loopback', host);
  for (const host of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.10', '169.254.1.1', '100.64.0.1', 'fd12::1', 'fe80::1', 'printer.local', 'intranet']) {
    assert.equal(hostReach(host), 'private', host);
  }
  for (const host of ['172.32.0.1', '8.8.8.8', '2606:4700::1111', 'abc.loca.lt', 'example.com', '192.169.0.1']) assert.equal(hostReach(host), 'public', host);
});

test('a loopback or private webhook URL is refused for hosted Kaltura, with the fix; a local service URL is not judged', () => {
  const refusal = webhookUrlRefusal('https://www.kaltura.com', 'http://127.0.0.1:8080');
  assert.match(refusal ?? '', /^Kaltura at www\.kaltura\.com cannot deliver to http:\/\/127\.0\.0\.1:8080: it is an address on this machine/);
  assert.match(refusal ?? '', /Start the tunnel .*kalturaWebhooks\.tunnel\.publicUrl.*--public-url/);
  assert.match(webhookUrlRefusal('https://ny.kaltura.com', 'http://192.168.0.5:3000/hook') ?? '', /a private network/);
  assert.equal(webhookUrlRefusal('https://www.kaltura.com', 'https://abc.loca.lt'), undefined);
  assert.equal(webhookUrlRefusal('http://127.0.0.1:4000', 'http://127.0.0.1:8080'), undefined, 'the sandbox reaches loopback');
  assert.equal(webhookUrlRefusal('http://10.0.0.2', 'http://10.0.0.3:8080'), undefined, 'an on-prem server reaches its network');
});

test('registerWebhook refuses a loopback URL for hosted Kaltura before any API call', async () => {
  // No network here: a request to www.kaltura.com would fail with a transport error, not this RangeError.
  const connection = createKalturaConnection({ serviceUrl: 'https://www.kaltura.com', session: { kind: 'localAdminSecret', partnerId: 123, adminSecret: 'a'.repeat(32) }, retries: 0 });
  const registry = new TemplateRegistry({ directory: '/nonexistent/kwh-preflight', templates: connection.templates });
  await assert.rejects(
    registerWebhook({ registry, template: 'HTTP_ENTRY_STATUS_CHANGED', publicBaseUrl: 'http://localhost:41234', workspaceToken: 'token' }),
    (err: Error) => err instanceof RangeError && /cannot deliver to http:\/\/localhost:41234/.test(err.message),
  );
});
