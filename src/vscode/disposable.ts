// Ownership of what a class subscribes to, as vscode-pull-request-github's common/lifecycle.ts does it: a class
// registers each listener, timer or child once, and disposing the class disposes them all, newest first. No
// `vscode` import: anything with dispose() can be registered.

export interface DisposableLike {
  dispose(): void;
}

export abstract class Disposable implements DisposableLike {
  private readonly owned: DisposableLike[] = [];
  private disposed = false;

  /** Owns `value` from now on; registering after dispose() disposes it at once. */
  protected register<T extends DisposableLike>(value: T): T {
    if (this.disposed) value.dispose();
    else this.owned.push(value);
    return value;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const value of this.owned.splice(0).reverse()) {
      try {
        value.dispose();
      } catch {
        // One failing disposal must not keep the rest alive.
      }
    }
  }
}

/** A slot for one disposable that is replaced over time (the subscription to the current event store). */
export class MutableDisposable<T extends DisposableLike = DisposableLike> implements DisposableLike {
  private current: T | undefined;

  get value(): T | undefined {
    return this.current;
  }

  /** Disposes the previous value and keeps this one. */
  set value(value: T | undefined) {
    if (this.current === value) return;
    this.current?.dispose();
    this.current = value;
  }

  dispose(): void {
    this.value = undefined;
  }
}
