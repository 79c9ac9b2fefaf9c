// "Trigger Sample Event": every menu entry is built by the core sample builders, sent over real HTTP to a real
// receiver on 127.0.0.1:0, and classified and verified as the menu promises.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventStore } from '../../../src/core/events/eventStore';
import type { VerificationCredentials } from '../../../src/core/providers/types';
import { startReceiver } from '../../../src/core/receiver/receiverServer';
import { loadSamples } from '../../../src/vscode/coreAdapter';

const credentials: VerificationCredentials = {
  kalturaSecrets: [{ label: 'test admin secret', secret: '0123456789abcdef0123456789abcdef' }],
  basicAuth: [{ label: 'enablex', username: 'kaltura-workbench', password: 'generated-password-123' }],
};

const expected: Record<string, { source: string; verification: string; count?: number }> = {
  'kaltura-json': { source: 'kaltura', verification: 'verified' },
  'kaltura-json-sha1': { source: 'kaltura', verification: 'verified' },
  'kaltura-xml': { source: 'kaltura', verification: 'verified' },
  'kaltura-php': { source: 'kaltura', verification: 'verified' },
  'kaltura-fields': { source: 'kaltura', verification: 'verified' },
  'kaltura-unsigned': { source: 'kaltura', verification: 'unsigned' },
  'kaltura-bad-signature': { source: 'kaltura', verification: 'failed' },
  'kaltura-legacy': { source: 'kaltura-legacy', verification: 'verified' },
  'kaltura-legacy-multi': { source: 'kaltura-legacy', verification: 'verified', count: 3 },
  'enablex-recording': { source: 'enablex', verification: 'verified' },
  'enablex-roomdrop': { source: 'enablex', verification: 'verified' },
  'enablex-transcoded': { source: 'enablex', verification: 'verified' },
  'enablex-file-transfer': { source: 'enablex', verification: 'verified' },
};

test('every sample kind reaches the receiver and verifies (or fails) as labelled', async () => {
  const store = new EventStore({ flushIntervalMs: 0 });
  const receiver = await startReceiver({ store, credentials: () => credentials });
  try {
    const samples = await loadSamples();
    assert.deepEqual(samples.kinds.map((k) => k.kind).sort(), Object.keys(expected).sort(), 'the menu and this table list the same kinds');
    for (const { kind } of samples.kinds) {
      const before = store.size;
      const { status } = await samples.send(kind, receiver, credentials, 123456);
      assert.equal(status, 200, `${kind}: the receiver answered 200`);
      const events = store.all().slice(before);
      const want = expected[kind]!;
      assert.equal(events.length, want.count ?? 1, `${kind}: number of events`);
      for (const e of events) {
        assert.equal(e.source, want.source, `${kind}: source`);
        assert.equal(e.verification.status, want.verification, `${kind}: verification (${e.verification.reason ?? ''})`);
        assert.equal(e.origin, 'sample', `${kind}: recorded as the workbench's sample, not a delivery`);
      }
    }
    await assert.rejects(samples.send('nope', receiver, credentials), /unknown sample kind "nope"/);
    // From the network, a request cannot pass itself off as a sample: the token is random for each receiver run.
    const before = store.size;
    await samples.send('kaltura-json', { url: receiver.url, sampleToken: 'f'.repeat(32) }, credentials, 123456);
    assert.equal(store.all().slice(before)[0]?.origin, 'network', 'a wrong token is a delivery like any other');
    const other = await startReceiver({ store: new EventStore({ flushIntervalMs: 0 }), credentials: () => credentials });
    assert.notEqual(other.sampleToken, receiver.sampleToken);
    assert.match(receiver.sampleToken, /^[0-9a-f]{32}$/);
    await other.close();
  } finally {
    await receiver.close();
    await store.close();
  }
});
