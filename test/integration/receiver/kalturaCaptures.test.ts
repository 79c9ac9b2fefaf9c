// The requests Kaltura's own sender produced, replayed byte for byte (request line, headers in wire order, body) to a
// live receiver over HTTP: each is answered 200, stored, verified, and split into as many events as it carries.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { createEventStore } from '../../../src/core/events/eventStore';
import { startReceiver } from '../../../src/core/receiver/receiverServer';
import { captures } from '../../support/captures';

function replay(port: number, c: (typeof captures)[number]): Promise<string> {
  const body = Buffer.from(c.bodyBase64, 'base64');
  // Kaltura's chunked no-data POST is sent as it came: the captured headers say how the body is framed.
  const chunked = c.rawHeaders.some(([k, v]) => k.toLowerCase() === 'transfer-encoding' && /chunked/i.test(v));
  const head = [`${c.method} ${c.path} HTTP/1.1`, ...c.rawHeaders.map(([k, v]) => `${k}: ${v}`), 'Connection: close', '', ''].join('\r\n');
  const framed = chunked ? Buffer.concat([body.length ? Buffer.from(`${body.length.toString(16)}\r\n`) : Buffer.alloc(0), body, Buffer.from(body.length ? '\r\n0\r\n\r\n' : '0\r\n\r\n')]) : body;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(Buffer.concat([Buffer.from(head, 'latin1'), framed])));
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

test('every captured Kaltura request, replayed over HTTP, is stored verified', async (t) => {
  const store = createEventStore({ flushIntervalMs: 5 });
  const secrets = [...new Set(captures.map((c) => c.secret))].map((secret, i) => ({ label: `secret ${i}`, secret }));
  const receiver = await startReceiver({ store, credentials: () => ({ kalturaSecrets: secrets, basicAuth: [] }) });
  t.after(async () => {
    await receiver.close();
    await store.close();
  });
  for (const c of captures) {
    const before = store.size;
    const answer = await replay(receiver.port, c);
    // Expect: 100-continue (curl on a chunked POST) is answered 100 first, as curl expects.
    assert.match(answer, /^(HTTP\/1\.1 100 Continue\r\n\r\n)?HTTP\/1\.1 200 /, `${c.name}: ${answer.slice(0, 200)}`);
    await store.flush();
    const events = store.all().slice(before);
    assert.equal(events.length, c.kind === 'legacy-notification' ? c.expect.notifications : 1, c.name);
    for (const e of events) assert.equal(e.verification.status, c.expect.verification, `${c.name}: ${e.verification.reason ?? ''}`);
    assert.ok(events.every((e) => e.source === (c.kind === 'legacy-notification' ? 'kaltura-legacy' : 'kaltura')), `${c.name}: ${events[0]?.source}`);
  }
});
