// The event store: a bounded in-memory window over an append-only log, with dedupe linking and batched change
// notifications. Log writes are group-committed on the next tick (one append for everything added meanwhile), so the
// receiver can acknowledge a request only once it reached the file; view notifications keep their own, slower window.
import { DedupeIndex } from './dedupeIndex';
import { deferred, EventLogWriter, eventLogPath, readEventLog, type Deferred, type WriteResult } from './eventLog';
import { encodeLogLineParts } from './logRecord';
import { WHOLE_PAYLOADS, type PayloadCodec } from './payloadCodec';
import { lockStoreFolder, type StoreLock } from './storeLock';
import type { WebhookEvent } from './model';
import type { EventStoreApi, EventStoreOptions, StoreChange } from './storeTypes';

export const DEFAULT_STORE_CAPACITY = 5000;
export const DEFAULT_FLUSH_INTERVAL_MS = 20;
/** Body bytes the in-memory window may hold; older events leave memory first (they stay in the log). */
export const DEFAULT_MEMORY_BYTES = 128 * 1024 * 1024;

export interface EventStoreCreateOptions extends EventStoreOptions {
  /** Bound of the dedupe index (it outlives memory eviction). Default 10 × capacity. */
  dedupeLimit?: number;
  /** Log write failures and listener errors. Default: process.emitWarning. */
  onWarning?: (message: string) => void;
  /** The event log cannot be written (once per outage, naming the file and the error). Default: onWarning. */
  onLogFailure?: (message: string) => void;
  /** The log is writable again after a failure. Default: onWarning. */
  onRecovered?: (message: string) => void;
  /** Request body bytes kept in memory at most. Default 128 MiB. */
  memoryBytes?: number;
  /** Who holds the store folder's lock, as a second process is told ("kwh listen", "VS Code window"). */
  lockOwner?: string;
  /**
   * What the log may leave out of a payload and re-derive on load (the providers' codec, injected by whoever opens a
   * persisted store). Default: payloads are written whole.
   */
  payloadCodec?: PayloadCodec;
}

export class EventStore implements EventStoreApi {
  private maxEvents: number;
  private readonly flushIntervalMs: number;
  private readonly events = new Map<string, WebhookEvent>();
  // Insertion order of `events`, for eviction: taking a Map's first key walks over every entry deleted since its
  // last rehash (~4 µs per eviction at 5,000 events, measured), a queue with a head index does not.
  private order: string[] = [];
  private orderHead = 0;
  private readonly dedupe: DedupeIndex;
  private readonly log: EventLogWriter | undefined;
  private readonly warn: (message: string) => void;
  private readonly listeners = new Set<(change: StoreChange) => void>();
  // Events waiting for the log, one group per request (a request's events share one line).
  private pendingLog: WebhookEvent[][] = [];
  private readonly lock: StoreLock | undefined;
  private readonly memoryBytes: number;
  private bodyBytes = 0;
  /** Body bytes counted for an event (the first event of each request that arrived in this process). */
  private readonly counted = new Map<string, number>();
  private pendingAdded = new Map<string, WebhookEvent>();
  private pendingUpdated = new Map<string, WebhookEvent>();
  private pendingEvicted: string[] = [];
  private pendingCleared = false;
  private timer: NodeJS.Timeout | undefined;
  private logWriteScheduled = false;
  /** Per request (keyed by its first event): resolves with whether its line reached the log. */
  private readonly stored = new WeakMap<WebhookEvent, Deferred<boolean>>();
  private closed = false;
  private readonly codec: PayloadCodec;

  constructor(options: EventStoreCreateOptions = {}) {
    this.maxEvents = positiveInt(options.capacity, DEFAULT_STORE_CAPACITY, 'capacity');
    this.flushIntervalMs = Math.max(0, options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
    this.dedupe = new DedupeIndex(positiveInt(options.dedupeLimit, this.maxEvents * 10, 'dedupeLimit'));
    this.warn = options.onWarning ?? ((message) => process.emitWarning(message, 'KwhEventStore'));
    this.codec = options.payloadCodec ?? WHOLE_PAYLOADS;
    this.memoryBytes = positiveInt(options.memoryBytes, DEFAULT_MEMORY_BYTES, 'memoryBytes');
    // Taken before anything is read or written, so two writers never share a log (throws StoreLockedError).
    this.lock = options.logDir ? lockStoreFolder(options.logDir, options.lockOwner ?? 'another Kaltura Webhook Workbench') : undefined;
    this.log = options.logDir ? new EventLogWriter(eventLogPath(options.logDir), options.onLogFailure ?? this.warn, options.onRecovered ?? this.warn) : undefined;
  }

  /** Path of the persisted log, or undefined for a memory-only store. */
  get logPath(): string | undefined {
    return this.log?.path;
  }

  get size(): number {
    return this.events.size;
  }

  get capacity(): number {
    return this.maxEvents;
  }

  setCapacity(capacity: number): void {
    this.maxEvents = positiveInt(capacity, this.maxEvents, 'capacity');
    const before = this.pendingEvicted.length;
    this.evictOverflow();
    if (this.pendingEvicted.length > before) this.schedule();
  }

  add(events: WebhookEvent[]): WebhookEvent[] {
    let group: WebhookEvent[] | undefined;
    for (const event of events) {
      this.linkDelivery(event);
      this.remember(event);
      if (event.indexInRequest === 0) this.countBody(event);
      if (this.log && !this.closed) {
        // Consecutive events of one request go to one line, so its bytes are written once.
        if (group && event.indexInRequest > 0 && group[0]!.request === event.request) group.push(event);
        else {
          this.pendingLog.push((group = [event]));
          this.stored.set(event, deferred());
        }
      }
      this.pendingAdded.set(event.id, event);
      this.evictOverflow();
    }
    if (events.length > 0) {
      if (this.pendingLog.length > 0) this.scheduleLogWrite();
      this.schedule();
    }
    return events;
  }

  whenStored(events: readonly WebhookEvent[]): Promise<boolean> {
    const first = events[0];
    const entry = first ? this.stored.get(first) : undefined;
    if (!entry) return Promise.resolve(true);
    if (this.pendingLog.length > 0) this.scheduleLogWrite();
    return entry.promise;
  }

  get(id: string): WebhookEvent | undefined {
    return this.events.get(id);
  }

  all(): WebhookEvent[] {
    return [...this.events.values()];
  }

  deliveriesOf(id: string): WebhookEvent[] {
    const event = this.events.get(id);
    if (!event) return [];
    const key = event.dedupeKey;
    if (key === undefined) return [event];
    const deliveries: WebhookEvent[] = [];
    for (const e of this.events.values()) if (e.dedupeKey === key) deliveries.push(e);
    return deliveries;
  }

  markUpdated(events: readonly WebhookEvent[]): void {
    for (const event of events) {
      if (this.events.get(event.id) === event && !this.pendingAdded.has(event.id)) this.pendingUpdated.set(event.id, event);
    }
    this.schedule();
  }

  onChange(listener: (change: StoreChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Empties memory, the dedupe index and the log (the file is truncated in place, not renamed). */
  async clear(): Promise<void> {
    this.forgetAll();
    this.dedupe.clear();
    for (const group of this.pendingLog) this.stored.get(group[0]!)?.resolve(false);
    this.pendingLog = [];
    this.pendingAdded.clear();
    this.pendingUpdated.clear();
    this.pendingEvicted = [];
    this.pendingCleared = true;
    await this.log?.truncate();
    await this.flush();
  }

  async load(): Promise<{ loaded: number; warnings: string[] }> {
    if (!this.log) return { loaded: 0, warnings: [] };
    await this.flush();
    this.forgetAll();
    this.dedupe.clear();
    // Only the newest `capacity` lines become events; older ones just replay their dedupe keys, in file order.
    const result = await readEventLog(
      this.log.path,
      (event) => {
        this.linkDelivery(event);
        this.remember(event);
        while (this.events.size > this.maxEvents) this.dropOldest();
      },
      {
        newest: this.maxEvents,
        codec: this.codec,
        onOlder: (head) => {
          if (head.dedupeKey !== undefined) this.dedupe.recordDelivery(head.dedupeKey, head.id);
        },
      },
    );
    this.emit({ added: this.all(), updated: [], evicted: [], cleared: true });
    return { loaded: result.events, warnings: result.warnings };
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.writePending();
    this.emitPending();
    await this.log?.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.log?.close();
    this.lock?.release();
  }

  // Persisted lines carry duplicateOf/deliveryCount as of arrival; load() recomputes them by replaying this.
  private linkDelivery(event: WebhookEvent): void {
    event.duplicateOf = null;
    event.deliveryCount = 1;
    if (event.dedupeKey === undefined) return;
    // A replay (the workbench re-sending a captured request) is linked to what it replays, but it is not a delivery
    // by the sender: Kaltura's retry count stays what Kaltura did.
    if (event.origin === 'replay') {
      const first = this.dedupe.peek(event.dedupeKey);
      if (first !== undefined && event.replayOf === undefined) event.replayOf = first;
      return;
    }
    const entry = this.dedupe.recordDelivery(event.dedupeKey, event.id);
    if (entry.firstId === event.id) return;
    event.duplicateOf = entry.firstId;
    event.deliveryCount = entry.count;
    const first = this.events.get(entry.firstId);
    if (first) {
      first.deliveryCount = entry.count;
      if (!this.pendingAdded.has(first.id)) this.pendingUpdated.set(first.id, first);
    }
  }

  private countBody(event: WebhookEvent): void {
    const bytes = event.request.body.length;
    if (bytes === 0) return;
    this.counted.set(event.id, bytes);
    this.bodyBytes += bytes;
  }

  private evictOverflow(): void {
    while (this.events.size > this.maxEvents || (this.bodyBytes > this.memoryBytes && this.events.size > 1)) {
      const id = this.dropOldest();
      if (id === undefined) break;
      this.pendingUpdated.delete(id);
      // Announced even when added in this same batch (apply `added`, then `evicted`): the CLI prints every event.
      this.pendingEvicted.push(id);
    }
  }

  private remember(event: WebhookEvent): void {
    if (!this.events.has(event.id)) this.order.push(event.id);
    this.events.set(event.id, event);
  }

  private forgetAll(): void {
    this.events.clear();
    this.counted.clear();
    this.bodyBytes = 0;
    this.order = [];
    this.orderHead = 0;
  }

  private dropOldest(): string | undefined {
    while (this.orderHead < this.order.length) {
      const oldest = this.order[this.orderHead++]!;
      if (this.orderHead > 4096 && this.orderHead * 2 > this.order.length) {
        this.order = this.order.slice(this.orderHead);
        this.orderHead = 0;
      }
      if (this.events.delete(oldest)) {
        const bytes = this.counted.get(oldest);
        if (bytes !== undefined) {
          this.counted.delete(oldest);
          this.bodyBytes -= bytes;
        }
        return oldest;
      }
    }
    return undefined;
  }

  // One append per tick for everything added meanwhile: under load many requests share one write.
  private scheduleLogWrite(): void {
    if (this.logWriteScheduled) return;
    this.logWriteScheduled = true;
    setImmediate(() => {
      this.logWriteScheduled = false;
      this.writePending();
    });
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writePending();
      this.emitPending();
      void this.log?.flush();
    }, this.flushIntervalMs);
  }

  private writePending(): void {
    if (!this.log || this.pendingLog.length === 0) return;
    const groups = this.pendingLog;
    this.pendingLog = [];
    for (const group of groups) {
      const written = this.log.append(encodeLogLineParts(group, this.codec));
      void written.then((result) => {
        this.afterWrite(group, result);
        this.stored.get(group[0]!)?.resolve(result.ok);
      });
    }
    void this.log.flush();
  }

  /** A batch that could not be written stays visible, marked, and its requests were answered 503 (Kaltura retries). */
  private afterWrite(group: WebhookEvent[], result: WriteResult): void {
    if (result.ok) return;
    const note = `not persisted: the event log could not be written (${result.error}); the sender was answered 503 so it retries`;
    for (const event of group) {
      event.persisted = false;
      if (!event.problems.includes(note)) event.problems.push(note);
    }
    this.markUpdated(group);
  }

  private emitPending(): void {
    if (!this.pendingCleared && this.pendingAdded.size === 0 && this.pendingUpdated.size === 0 && this.pendingEvicted.length === 0) {
      return;
    }
    const change: StoreChange = {
      added: [...this.pendingAdded.values()],
      updated: [...this.pendingUpdated.values()],
      evicted: this.pendingEvicted,
      cleared: this.pendingCleared,
    };
    this.pendingAdded = new Map();
    this.pendingUpdated = new Map();
    this.pendingEvicted = [];
    this.pendingCleared = false;
    this.emit(change);
  }

  private emit(change: StoreChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (err) {
        this.warn(`an event store listener threw: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

export function createEventStore(options: EventStoreCreateOptions = {}): EventStore {
  return new EventStore(options);
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`event store ${name} must be a positive integer, got ${value}`);
  }
  return value;
}
