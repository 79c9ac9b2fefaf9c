import type { WebhookEvent } from './model';

/** A batch of changes, delivered at most once per flush interval (default 20 ms) so views never rebuild per event. */
export interface StoreChange {
  added: WebhookEvent[];
  /** Events whose deliveryCount or other fields changed (the first delivery of a duplicate). */
  updated: WebhookEvent[];
  /**
   * Ids dropped from memory by the bound (still in the persisted log). May include ids from this batch's `added`
   * (a burst larger than the bound): apply `added` first, then `evicted`.
   */
  evicted: string[];
  cleared: boolean;
}

export interface EventStoreOptions {
  /** In-memory bound; oldest events are evicted first. Default 5000. */
  capacity?: number;
  /** Folder for the append-only log (events.jsonl). No persistence when absent. */
  logDir?: string;
  /** Batch window for change notifications, ms. Default 20. */
  flushIntervalMs?: number;
}

export interface EventStoreApi {
  /** Adds events (one request may yield several); links duplicates; persists; schedules a change batch. */
  add(events: WebhookEvent[]): WebhookEvent[];
  get(id: string): WebhookEvent | undefined;
  /** Events in arrival order (oldest first). */
  all(): WebhookEvent[];
  readonly size: number;
  /** Events kept in memory at most. */
  readonly capacity: number;
  /**
   * Changes how many events memory keeps, in place: a smaller window evicts the oldest at once (announced as evicted;
   * they stay in the log), a larger one keeps more from now on. The dedupe index keeps its bound.
   */
  setCapacity(capacity: number): void;
  /** All deliveries of the same dedupeKey, first delivery first. */
  deliveriesOf(id: string): WebhookEvent[];
  onChange(listener: (change: StoreChange) => void): { dispose(): void };
  /** Announces that these events changed after they were added (a forward result): they come in the next `updated`. */
  markUpdated(events: readonly WebhookEvent[]): void;
  clear(): Promise<void>;
  /** Reloads the persisted log (skipping a torn last line with a warning). */
  load(): Promise<{ loaded: number; warnings: string[] }>;
  /**
   * Resolves once the line of these events (one request's, as add() took them) was written to the log file (handed
   * to the OS: it survives the process being killed, not a power cut): true, or false when that write failed (full
   * disk, read-only folder). Immediately true for a memory-only store. The receiver waits on this before answering
   * 200, so an acknowledged delivery is never lost: on false it answers 503 and the sender retries. A large body is
   * encoded in slices, so its line may land after lines of later requests.
   */
  whenStored(events: readonly WebhookEvent[]): Promise<boolean>;
  /** Flushes pending writes and change notifications. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
