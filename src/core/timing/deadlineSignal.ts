// Node 20's AbortSignal.any() result is held only weakly by its sources: when nothing else references it (undici
// waiting on a name lookup is such a case), it is collected and never aborts, and AbortSignal.timeout() used through
// it goes with it. A controller and a timer held by the caller cannot be collected while the caller waits.

export interface DeadlineSignal {
  readonly signal: AbortSignal;
  /** Clears the timer and the link to the parent; call it when the guarded work is over. */
  dispose(): void;
}

/** A signal that aborts after `ms`, or when `parent` aborts, whichever comes first. */
export function deadlineSignal(ms: number, parent?: AbortSignal): DeadlineSignal {
  const controller = new AbortController();
  const onParent = () => controller.abort(parent?.reason);
  const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')), ms);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}

/**
 * An undici response, or the signal's reason once it aborts first. undici does not stop a connect that still waits
 * for its name lookup, so the abort alone does not end the wait; a response that arrives late is released.
 */
export function responseBefore<T extends { body: { destroy(): unknown } }>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  pending.then((late) => (signal.aborted ? late.body.destroy() : undefined), () => undefined);
  return Promise.race([pending, whenAborted(signal)]);
}

/** Rejects with the signal's reason once it aborts: to race work that does not itself stop on abort. */
export function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
