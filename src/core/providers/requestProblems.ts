// Transport problems every provider reports the same way.
import type { CapturedRequest } from '../events/model';

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** "body cut at the 5 MiB limit; not parsed" (the receiver may keep the first bytes or none at all). */
export function truncatedBodyProblem(request: CapturedRequest): string {
  const announced = request.bodySize > request.body.length ? ` of ${formatBytes(request.bodySize)}` : '';
  if (request.body.length === 0) return `body${announced} exceeded the receiver's size limit and was not kept; not parsed (raise the limit to inspect it)`;
  return `body cut at the ${formatBytes(request.body.length)} limit${announced ? ` (${formatBytes(request.bodySize)} sent)` : ''}; not parsed`;
}
