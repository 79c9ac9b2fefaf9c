// One timer for every view that redraws on store changes (events tree, connection view, status bar): a burst of
// events redraws each of them once per window, on the same tick, instead of each view keeping its own window.
import type { DisposableLike } from '../disposable';

export const REFRESH_WINDOW_MS = 200;

export class RefreshScheduler implements DisposableLike {
  private readonly pending = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly windowMs = REFRESH_WINDOW_MS) {}

  /** Runs `refresh` at the end of the current window, once however often it was asked for. */
  schedule(refresh: () => void): void {
    this.pending.add(refresh);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  /** Runs `refresh` now (a filter the user just typed), dropping its pending run. */
  now(refresh: () => void): void {
    this.pending.delete(refresh);
    refresh();
  }

  private flush(): void {
    this.timer = undefined;
    const due = [...this.pending];
    this.pending.clear();
    for (const refresh of due) {
      try {
        refresh();
      } catch {
        // A view that fails to redraw must not stop the others.
      }
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
