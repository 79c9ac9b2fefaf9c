// dedupeKey → first delivery, bounded LRU. It outlives the in-memory event bound (default 10× capacity) so a retry
// arriving after its first delivery was evicted from memory is still linked to it.

export interface DedupeEntry {
  firstId: string;
  count: number;
}

export class DedupeIndex {
  private readonly entries = new Map<string, DedupeEntry>();

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The first delivery of `key`, without counting anything. */
  peek(key: string): string | undefined {
    return this.entries.get(key)?.firstId;
  }

  /** Records one delivery of `key` by event `id`; returns the entry after counting it. */
  recordDelivery(key: string, id: string): DedupeEntry {
    const existing = this.entries.get(key);
    if (existing) {
      existing.count++;
      // Re-insert so Map order doubles as recency order for the LRU.
      this.entries.delete(key);
      this.entries.set(key, existing);
      return existing;
    }
    const entry: DedupeEntry = { firstId: id, count: 1 };
    this.entries.set(key, entry);
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry;
  }

  get(key: string): DedupeEntry | undefined {
    return this.entries.get(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
