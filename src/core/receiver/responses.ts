// What the receiver answers. Kaltura counts a 200 or a 204 as delivered, whatever the body (an empty one included),
// and retries anything else (kaltura-protocol.md §5).
import type { ResponseMode, ResponseRecord } from '../events/model';

export const RESPONSE_MODES: readonly ResponseMode[] = ['ok', 'fail-500', 'timeout'];

export const OK_BODY = 'OK';

export const FAIL_500_BODY =
  'kwh: the Kaltura Webhook Workbench is in fail-500 mode and answers 500 on purpose so you can watch the sender retry. ' +
  'The request was recorded. Switch back to "ok" to acknowledge deliveries.\n';

export const NOT_STORED_BODY =
  'kwh: the event could not be written to the event log (full disk or read-only folder), so it is not acknowledged; ' +
  'retry later. The workbench shows it as "not persisted".\n';

/** Kaltura's success rule (§5): 200 or 204 is delivered, body or not; everything else is retried. */
export function kalturaWouldRetry(status: number): boolean {
  return status !== 200 && status !== 204;
}

export function responseRecord(status: number, mode: ResponseMode): ResponseRecord {
  return { status, mode, kalturaWouldRetry: kalturaWouldRetry(status) };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

export function tooLargeBody(limit: number): string {
  return (
    `kwh: request body is larger than the receiver limit of ${formatBytes(limit)} (${limit} bytes). ` +
    'The headers and the first bytes were recorded. Raise the limit with `kwh listen --max-body-bytes N` ' +
    'or the receiver maxBodyBytes setting.\n'
  );
}

export function parseResponseMode(value: string): ResponseMode | undefined {
  return (RESPONSE_MODES as readonly string[]).includes(value) ? (value as ResponseMode) : undefined;
}
