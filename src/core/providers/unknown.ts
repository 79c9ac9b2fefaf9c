// The fallback provider: any request no known source claims. Decoded best-effort for display
// (JSON, form fields or text); the raw bytes stay in the captured request.
import type { CapturedRequest, UnknownPayload } from '../events/model';
import { decodeForm, formPairsToRecord, looksLikeForm } from '../../protocol/formDecode';
import { parseJsonBounded } from '../../protocol/kalturaBody';
import { truncatedBodyProblem } from './requestProblems';
import type { ParsedNotification } from './types';
import { decodeUtf8, invalidUtf8Problem } from '../../protocol/utf8Text';

/** An unknown sender's body is decoded for display up to this size (JSON, form); larger ones are shown raw. */
const MAX_DISPLAY_DECODE_BYTES = 1024 * 1024;
/** Plain text is the raw body again: kept as `decoded` only when small. */
const MAX_DISPLAY_TEXT_CHARS = 64 * 1024;

export function parseUnknownRequest(request: CapturedRequest, extraProblems: string[] = []): ParsedNotification {
  const contentType = request.headers['content-type'];
  const payload: UnknownPayload = { kind: 'unknown', contentType };
  const problems = [...extraProblems];
  if (request.bodyTruncated) problems.push(truncatedBodyProblem(request));
  else if (request.body.length > MAX_DISPLAY_DECODE_BYTES) {
    problems.push(`body of ${request.body.length} bytes is not decoded for display (more than ${MAX_DISPLAY_DECODE_BYTES} bytes from an unknown sender); the raw bytes are kept`);
  } else if (request.body.length > 0) {
    const { text, invalidAt } = decodeUtf8(request.body);
    const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const trimmed = text.trim();
    if (invalidAt !== undefined) {
      problems.push(invalidUtf8Problem(invalidAt));
      payload.decoded = text;
    } else if (trimmed.startsWith('{') || trimmed.startsWith('[') || mime.includes('json')) {
      const parsed = parseJsonBounded(trimmed);
      if (parsed.ok) payload.decoded = parsed.value;
      else {
        payload.decoded = text;
        if (mime.includes('json') || trimmed.startsWith('{')) problems.push(parsed.problem);
      }
    } else if (mime === 'application/x-www-form-urlencoded' || looksLikeForm(trimmed)) {
      const form = decodeForm(trimmed);
      payload.decoded = formPairsToRecord(form.pairs);
      for (const p of form.problems) problems.push(p);
    } else if (text.length <= MAX_DISPLAY_TEXT_CHARS) payload.decoded = text;
  }
  const path = request.path.split('?')[0] || '/';
  const size = request.bodySize === 0 ? 'no body' : `${request.bodySize} bytes`;
  return {
    source: 'unknown',
    type: 'unknown',
    summary: `${request.method.toUpperCase()} ${path} · ${contentType ? contentType.split(';')[0] : 'no content type'} · ${size}`,
    parsed: payload,
    verification: { status: 'unsigned', reason: 'not recognised as a Kaltura or EnableX notification, so there is nothing to verify' },
    problems,
  };
}
