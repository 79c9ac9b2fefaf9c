// Done-when for the tunnel: a signed Kaltura notification sent to the (loopback) public side arrives through the
// real localtunnel client as a VERIFIED event in the store; after the tunnel server drops the tunnel, the
// workbench reconnects by itself and events flow again.
import { KALTURA_BATCH_USER_AGENT } from '../../../src/protocol/kalturaHeaders';
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { createEventStore } from '../../../src/core/events/eventStore';
import type { WebhookEvent } from '../../../src/core/events/model';
import { startReceiver } from '../../../src/core/receiver/receiverServer';
import type { ReceiverApi } from '../../../src/core/receiver/types';
import {
  createTunnelManager,
  TUNNEL_BYPASS_HEADERS,
  type TunnelManager,
} from '../../../src/core/tunnel';
import { FakeLocaltunnelServer } from '../../support/fakeLocaltunnelServer';
import { vectors, type HttpNotificationVector } from '../../support/vectors';

/** The headers Kaltura's engine sends for a template registered by the workbench (protocol §1.2 order). */
function kalturaHeaders(v: HttpNotificationVector): Record<string, string> {
  return {
    'X-KALTURA-SIGNATURE': v.signature,
    ...(v.hashAlgoHeader ? { 'X-KALTURA-HASH-ALGO': v.hashAlgoHeader } : {}),
    ...Object.fromEntries(TUNNEL_BYPASS_HEADERS.map((h) => [h.key, h.value])),
    'Content-Type': v.contentType,
    'User-Agent': KALTURA_BATCH_USER_AGENT,
  };
}

function vector(name: string): HttpNotificationVector {
  const v = vectors.httpNotification.find((x) => x.name === name);
  if (!v) throw new Error(`no vector "${name}" in test/fixtures/vectors.json`);
  return v;
}

describe('Kaltura notification through the loopback tunnel into the receiver', () => {
  let server: FakeLocaltunnelServer;
  let receiver: ReceiverApi;
  let store: ReturnType<typeof createEventStore>;
  let manager: TunnelManager;

  before(async () => {
    // Reminder mode on: Kaltura's browser-like User-Agent only passes because of the bypass header.
    server = await FakeLocaltunnelServer.start({ maxConnCount: 3, reminder: true });
    store = createEventStore({ flushIntervalMs: 10 });
    receiver = await startReceiver({
      store,
      credentials: () => ({ kalturaSecrets: [{ label: 'vectors secret', secret: vectors.secret }], basicAuth: [] }),
    });
    manager = createTunnelManager({
      kind: 'localtunnel',
      host: server.controlUrl,
      localPort: receiver.port,
      localHost: receiver.host,
      probeVia: server.publicOrigin,
      connectTimeoutMs: 3000,
      controlRetryIntervalMs: 100,
      probeIntervalMs: 0,
      probeTimeoutMs: 2000,
    });
  });
  after(async () => {
    await manager.stop();
    await server.close();
    await receiver.close();
    await store.close();
  });

  async function deliver(id: string, v: HttpNotificationVector): Promise<WebhookEvent> {
    const before = store.size;
    const res = await server.publicRequest(id, { path: '/kaltura/entry-ready', headers: kalturaHeaders(v), body: v.body });
    assert.equal(res.status, 200, `public side answered ${res.status}: ${res.body.toString().slice(0, 200)}`);
    await server.waitFor(() => store.size > before, 'the event in the store');
    return store.all().at(-1)!;
  }

  test('a signed notification arrives as a verified Kaltura event; the self-probe passes through the receiver', async () => {
    const probed = new Promise<{ ok: boolean; failure?: unknown }>((resolve) => manager.once('probe', resolve));
    const url = await manager.start();
    const id = new URL(url).hostname.split('.')[0]!;
    const probe = await probed;
    assert.equal(probe.ok, true, JSON.stringify(probe.failure));
    assert.equal(store.size, 0, 'the probe is not recorded as an event');

    const event = await deliver(id, vector('json sha256'));
    assert.equal(event.source, 'kaltura');
    assert.equal(event.verification.status, 'verified', JSON.stringify(event.verification));
    assert.equal(event.verification.algorithm, 'sha256');
    assert.equal(event.request.body.toString(), vector('json sha256').body);

    // Without the bypass header the same sender hits the reminder page and never reaches the receiver.
    const blocked = await server.publicRequest(id, {
      headers: { 'User-Agent': KALTURA_BATCH_USER_AGENT, 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(blocked.status, 401);
    assert.equal(store.size, 1);
  });

  test('after the server drops the tunnel, it comes back by itself and events are verified again', async () => {
    const id = manager.status.clientId!;
    const up = new Promise<[string, { reconnected: boolean; downtimeMs?: number }]>((resolve) =>
      manager.once('up', (url, info) => resolve([url, info])),
    );
    const t0 = Date.now();
    server.dropClient(id);
    const [url, info] = await up;
    assert.equal(info.reconnected, true);
    console.log(`# reconnect after drop (default backoff base 500 ms, full jitter): ${info.downtimeMs} ms down, ${Date.now() - t0} ms from drop`);
    const newId = new URL(url).hostname.split('.')[0]!;
    await server.waitForSockets(newId, 3);
    const event = await deliver(newId, vector('json sha512'));
    assert.equal(event.verification.status, 'verified', JSON.stringify(event.verification));
    assert.equal(event.verification.algorithm, 'sha512');
  });
});
