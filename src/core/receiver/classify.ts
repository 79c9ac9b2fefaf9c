// The receiver's single entry into the providers. classifyRequest() promises never to throw and to return at least one
// notification; this wrapper keeps the receiver alive and the request recorded if that promise is ever broken.
import { unclassifiedNotification } from '../events/buildEvents';
import type { CapturedRequest } from '../events/model';
import { classifyRequest } from '../providers';
import type { ParsedNotification, VerificationCredentials } from '../providers/types';

export function classifySafely(request: CapturedRequest, credentials: VerificationCredentials): ParsedNotification[] {
  try {
    const notifications = classifyRequest(request, credentials);
    if (Array.isArray(notifications) && notifications.length > 0) return notifications;
    return [unclassifiedNotification(request, 'no provider returned a notification for this request')];
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return [
      unclassifiedNotification(
        request,
        `internal error while parsing this request (${message}); the raw request is kept, please report this`,
      ),
    ];
  }
}
