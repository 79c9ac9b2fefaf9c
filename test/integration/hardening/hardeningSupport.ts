// Shared pieces of the hardening suites: a live receiver over a real store, raw sockets for what a well-behaved
// client cannot send, a signed sample body, and bounded waiting.
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { createEventStore, type EventStore, type EventStoreCreateOptions } from '../../../src/core/events/eventStore';
import { startReceiver } from '../../../src/core/receiver/receiverServer';
import type { ReceiverApi, ReceiverOptions } from '../../../src/core/receiver/types';
import { buildSampleRequest, type SampleRequest } from '../../../src/core/providers/samples';

export const HARDENING_SECRET = 'h4rd3n1ngh4rd3n1ngh4rd3n1ng00000';

export interface LiveReceiver {
  receiver: ReceiverApi;
  store: EventStore;
  warnings: string[];
  close(): Promise<void>;
}

export async function startLiveReceiver(
  options: Partial<Omit<ReceiverOptions, 'store'>> = {},
  storeOptions: EventStoreCreateOptions = {},
): Promise<LiveReceiver> {
  const warnings: string[] = [];
  const store = createEventStore({ flushIntervalMs: 5, onWarning: (m) => warnings.push(m), ...storeOptions });
  const receiver = await startReceiver({
    credentials: () => ({ kalturaSecrets: [{ label: 'hardening', secret: HARDENING_SECRET }], basicAuth: [] }),
    ...options,
    store,
  });
  return {
    receiver,
    store,
    warnings,
    async close() {
      await receiver.close();
      await store.close();
    },
  };
}

export function signedSample(jobId: number): SampleRequest {
  return buildSampleRequest('kaltura', { secret: HARDENING_SECRET, jobId, entryId: `1_${jobId.toString(36).padStart(8, '0')}`, now: 1_763_900_000 });
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request; resolves with the answer or rejects on a socket error/timeout (never hangs past timeoutMs). */
export function send(
  port: number,
  init: { method?: string; path?: string; headers?: Record<string, string | string[]>; body?: Buffer | string; agent?: Agent | false; timeoutMs?: number },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: init.method ?? 'POST', path: init.path ?? '/', headers: init.headers ?? {}, agent: init.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(init.timeoutMs ?? 10_000, () => req.destroy(new Error(`no answer within ${init.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

export interface RawConnection {
  socket: Socket;
  received(): string;
  closed: Promise<void>;
}

export function rawConnect(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () => {
      socket.on('error', () => undefined);
      resolve({ socket, received: () => Buffer.concat(chunks).toString('latin1'), closed });
    });
    socket.once('error', reject);
  });
}

/** Writes raw bytes, half-closes, and resolves with everything the server sent before closing (bounded). */
export async function rawExchange(port: number, bytes: Buffer | string, timeoutMs = 5000): Promise<string> {
  const conn = await rawConnect(port);
  conn.socket.write(bytes);
  conn.socket.end();
  const timer = setTimeout(() => conn.socket.destroy(), timeoutMs);
  await conn.closed;
  clearTimeout(timer);
  return conn.received();
}

export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
