// The idempotency keys the store dedupes on. A batch job id (an HTTP notification's eventNotificationJobId, a legacy
// notification_id) is unique per Kaltura deployment, not across them (every sandbox start counts from the same
// number), so the partner is part of the key.

export function kalturaJobKey(partnerId: number | string | undefined, jobId: number | string): string {
  return `kaltura:${partnerId ?? 'unknown-partner'}:job:${jobId}`;
}

export function legacyNotificationKey(partnerId: number | string | undefined, notificationId: string): string {
  return `kaltura-legacy:${partnerId ?? 'unknown-partner'}:${notificationId}`;
}
