// The global bound on body bytes in memory: those of requests being read and of requests whose line is not written
// yet. Small bodies (what Kaltura and EnableX send) draw from a pool of their own, so a flood of large bodies that
// fills the main pool cannot starve ordinary deliveries; a body that outgrows the small size moves to the main pool.

/** A body up to this size is "small". */
export const SMALL_BODY_BYTES = 64 * 1024;
/** The small bodies' own pool, on top of the main bound. */
export const SMALL_POOL_BYTES = 16 * 1024 * 1024;

export interface Reservation {
  /** Counts `bytes` more for this request; false (and nothing counted) when neither pool has room. */
  take(bytes: number): boolean;
  release(): void;
}

export class InFlightBudget {
  private main = 0;
  private small = 0;

  constructor(
    private readonly mainBytes: number,
    private readonly smallPoolBytes = SMALL_POOL_BYTES,
  ) {}

  /** Whether a body of this announced size could be taken now (checked before reading it). */
  couldTake(bytes: number): boolean {
    if (bytes <= SMALL_BODY_BYTES && this.small + bytes <= this.smallPoolBytes) return true;
    return this.main + bytes <= this.mainBytes;
  }

  open(): Reservation {
    let inSmall = 0;
    let inMain = 0;
    return {
      take: (bytes: number): boolean => {
        if (bytes <= 0) return true;
        if (inMain === 0 && inSmall + bytes <= SMALL_BODY_BYTES && this.small + bytes <= this.smallPoolBytes) {
          inSmall += bytes;
          this.small += bytes;
          return true;
        }
        // Outgrew the small size (or the small pool is full): the whole body moves to the main pool.
        const total = inSmall + inMain + bytes;
        if (this.main - inMain + total > this.mainBytes) return false;
        this.small -= inSmall;
        this.main += total - inMain;
        inMain = total;
        inSmall = 0;
        return true;
      },
      release: () => {
        this.small -= inSmall;
        this.main -= inMain;
        inSmall = 0;
        inMain = 0;
      },
    };
  }
}
