// Starts a real receiver on 127.0.0.1:0 over a real store, plus raw-socket helpers for the cases a well-behaved
// HTTP client cannot produce (trickled headers, stalled or cut bodies, broken HTTP).
import { connect, type Socket } from 'node:net';
import { createEventStore, type EventStore } from '../../../src/core/events/eventStore';
import type { WebhookEvent } from '../../../src/core/events/model';
import { startReceiver } from '../../../src/core/receiver/receiverServer';
import type { ReceiverApi, ReceiverOptions } from '../../../src/core/receiver/types';
import { vectors } from '../../support/vectors';

export interface Harness {
  receiver: ReceiverApi;
  store: EventStore;
  close(): Promise<void>;
  /** Resolves once the store holds at least `count` events. */
  waitForEvents(count: number, timeoutMs?: number): Promise<WebhookEvent[]>;
}

export const SECRET_LABEL = 'KWH_TEST_SECRET';

export async function startHarness(options: Partial<Omit<ReceiverOptions, 'store'>> = {}): Promise<Harness> {
  const store = createEventStore({ flushIntervalMs: 5 });
  const receiver = await startReceiver({
    credentials: () => ({ kalturaSecrets: [{ label: SECRET_LABEL, secret: vectors.secret }], basicAuth: [] }),
    ...options,
    store,
  });
  return {
    receiver,
    store,
    async close() {
      await receiver.close();
      await store.close();
    },
    async waitForEvents(count, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (store.size < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} events, store has ${store.size}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return store.all();
    },
  };
}

export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  closed: Promise<void>;
}

export function rawConnect(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () => resolve({ socket, received: () => Buffer.concat(chunks).toString('latin1'), closed }));
    socket.once('error', reject);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
