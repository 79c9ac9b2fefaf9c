// An answer sent while the client is still sending (413 over the limit, 503 over the in-flight budget, 400 for a
// broken chunked body, 431 for oversized headers) must reach the client. Destroying the socket right after writing
// it makes the kernel reset the connection over the unread upload, and the reset can discard the answer before the
// client reads it: on Node 20 a third of such 413s were lost. The receiver lingers instead (lingeringClose.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { LINGER_MS } from '../../../src/core/receiver/lingeringClose';
import { connect } from 'node:net';
import { rawConnect, send, signedSample, sleep, startLiveReceiver, type LiveReceiver } from './hardeningSupport';

const ROUNDS = 42;
const PACES = [undefined, 0, 5];
const chunk = Buffer.alloc(16 * 1024, 0x62);
const framedChunk = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);

let live: LiveReceiver;
let busy: LiveReceiver;
before(async () => {
  live = await startLiveReceiver({ headersTimeoutMs: 1500, bodyTimeoutMs: 1500, maxBodyBytes: 64 * 1024 }, { capacity: 5000 });
  busy = await startLiveReceiver({ bodyTimeoutMs: 1500, maxInFlightBytes: 32 * 1024 }, { capacity: 5000 });
});
after(async () => {
  await live?.close();
  await busy?.close();
});

/**
 * Sends the head, then keeps uploading a group of writes at a time until the server closes or all are sent; between
 * groups it waits `pauseMs` (0: one timer tick; undefined: not at all, so everything is queued at once).
 */
async function uploadAfterHead(port: number, head: string, next: (i: number) => (Buffer | string)[], groups: number, pauseMs: number | undefined): Promise<string> {
  const raw = await rawConnect(port);
  raw.socket.write(head);
  for (let i = 0; i < groups && !raw.socket.destroyed; i++) {
    for (const piece of next(i)) raw.socket.write(piece);
    if (pauseMs !== undefined) await sleep(pauseMs);
  }
  await Promise.race([raw.closed, sleep(LINGER_MS + 2000)]);
  raw.socket.destroy();
  return raw.received();
}

async function lostAnswers(
  receiver: LiveReceiver,
  head: string,
  next: (i: number) => (Buffer | string)[],
  groups: number,
  status: number,
  alsoHas = /\r\n\r\nkwh: /,
): Promise<string[]> {
  const lost: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const answer = await uploadAfterHead(receiver.receiver.port, head, next, groups, PACES[round % PACES.length]);
    if (!answer.startsWith(`HTTP/1.1 ${status} `) || !alsoHas.test(answer)) lost.push(`round ${round}: ${JSON.stringify(answer.slice(0, 80))}`);
  }
  return lost;
}

async function recordedSince(receiver: LiveReceiver, before: number): Promise<number[]> {
  await receiver.store.flush();
  return receiver.store.all().slice(before).map((e) => e.response?.status ?? 0);
}

test(`413: a chunked upload past the limit gets its 413 in each of ${ROUNDS} rounds, one record each`, async () => {
  const before = live.store.size;
  const head = 'POST /big-chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
  // Size line, data and CRLF as three writes, as the CI run that lost its 413 sent them.
  const pieces = [`${chunk.length.toString(16)}\r\n`, chunk, '\r\n'];
  assert.deepEqual(await lostAnswers(live, head, () => pieces, 8, 413), []);
  assert.deepEqual(await recordedSince(live, before), Array(ROUNDS).fill(413));
});

test(`503: an upload over the in-flight budget gets its 503 with Retry-After in each of ${ROUNDS} rounds`, async () => {
  const before = busy.store.size;
  const head = 'POST /busy HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
  assert.deepEqual(await lostAnswers(busy, head, () => [framedChunk], 12, 503, /\r\nretry-after: 5\r\n/i), []);
  assert.deepEqual(await recordedSince(busy, before), Array(ROUNDS).fill(503));
});

test(`400 and 431: a broken chunk and oversized headers are answered in each of ${ROUNDS} rounds; what follows is not recorded again`, async () => {
  const before = live.store.size;
  const broken = 'POST /bad HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n';
  assert.deepEqual(await lostAnswers(live, broken, () => [chunk], 12, 400), []);
  const manyHeaders = 'POST /h HTTP/1.1\r\nHost: x\r\n';
  assert.deepEqual(await lostAnswers(live, manyHeaders, (i) => [`X-Pad-${i}: ${'p'.repeat(8000)}\r\n`], 12, 431), []);
  // The parser stays in its error state, so each later write would be "another" malformed request: it is not.
  assert.deepEqual(await recordedSince(live, before), [...Array(ROUNDS).fill(400), ...Array(ROUNDS).fill(431)]);
});

test('a client that ignores the answer and keeps uploading is cut off after the linger time', async () => {
  // allowHalfOpen: the receiver's FIN does not close this client's side, so only the receiver can end it.
  const socket = connect({ port: live.receiver.port, host: '127.0.0.1', allowHalfOpen: true });
  socket.on('error', () => undefined);
  const received: Buffer[] = [];
  socket.on('data', (c: Buffer) => received.push(c));
  let answeredAt = 0;
  socket.once('end', () => (answeredAt = Date.now()));
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  await new Promise<void>((r) => socket.once('connect', () => r()));
  socket.write('POST /endless HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
  const pump = setInterval(() => {
    if (!socket.destroyed) socket.write(framedChunk);
  }, 20);
  try {
    await Promise.race([closed, sleep(LINGER_MS * 3)]);
  } finally {
    clearInterval(pump);
    socket.destroy();
  }
  assert.match(Buffer.concat(received).toString('latin1'), /^HTTP\/1\.1 413 /);
  assert.ok(answeredAt > 0, 'the answer was followed by the end of what the receiver sends');
  const closedAt = Date.now();
  assert.ok(closedAt - answeredAt >= LINGER_MS - 100, `the receiver read on for the linger time (${closedAt - answeredAt} ms)`);
  assert.ok(closedAt - answeredAt < LINGER_MS + 1000, `and then closed the socket (${closedAt - answeredAt} ms after its answer)`);
  const s = signedSample(710_000_000);
  assert.equal((await send(live.receiver.port, { path: s.path, headers: s.headers, body: s.body })).status, 200);
});
