// What the receiver answers. Kaltura counts anything but a 200 with a non-empty body as a failed delivery and
// retries it (kaltura-protocol.md §5), so the default answer is a 200 with a short body.
import type { ResponseMode, ResponseRecord } from '../events/model';

export const RESPONSE_MODES: readonly ResponseMode[] = ['ok', 'fail-500', 'timeout'];

export const OK_BODY = 'OK';

export const FAIL_500_BODY =
  'kwh: the Kaltura Webhook Workbench is in fail-500 mode and answers 500 on purpose so you can watch the sender retry. ' +
  'The request was recorded. Switch back to "ok" to acknowledge deliveries.\n';

export function responseRecord(status: number, mode: ResponseMode, bodyLength: number): ResponseRecord {
  return { status, mode, kalturaWouldRetry: status !== 200 || bodyLength === 0 };
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
