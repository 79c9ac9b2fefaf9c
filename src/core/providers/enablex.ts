// EnableX video-service webhooks (enablex.md): roomdrop, recording, transcoded, file-transfer, plus any
// undocumented type kept as known:false. EnableX signs nothing; the only check is optional Basic auth.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CapturedRequest, EnablexPayload, Verification } from '../events/model';
import { verifyBasicAuth } from './basicAuth';
import { parseJsonBounded } from '../../protocol/kalturaBody';
import { parseLenientJson } from './lenientJson';
import { formatBytes, truncatedBodyProblem } from './requestProblems';
import type { ParsedNotification, VerificationCredentials, WebhookProvider } from './types';
import { decodeUtf8, invalidUtf8Problem } from '../../protocol/utf8Text';
import { readFields } from './zodFields';

export const ENABLEX_TYPES = ['roomdrop', 'recording', 'transcoded', 'file-transfer'] as const;
export type EnablexType = (typeof ENABLEX_TYPES)[number];

const blank = (v: unknown) => (v === '' || v === null ? undefined : v);
const idLike = z.preprocess(blank, z.union([z.string(), z.number().transform(String)]).optional());
/** Unix seconds as a number or numeric string (the doc does not say which). */
const unixSeconds = z.preprocess(
  blank,
  z.union([z.number().finite(), z.string().trim().regex(/^\d+(?:\.\d+)?$/, 'expected Unix seconds').transform(Number)]).optional(),
);
/** `recording` is an array for type=recording and a single string for type=transcoded: always string[]. */
const urlList = z.preprocess(
  blank,
  z.union([z.string().transform((s) => [s]), z.array(z.string())]).optional(),
);
/** file_size is documented as a string of bytes. */
const byteCount = z.preprocess(
  blank,
  z.union([z.number().nonnegative(), z.string().trim().regex(/^\d+$/, 'expected a byte count').transform(Number)]).optional(),
);
const destination = z.preprocess(
  blank,
  z.looseObject({ name: idLike, host: idLike, account: idLike }).optional(),
);
/** files: [{url}] (documented); plain URL strings accepted too. */
const files = z.preprocess(
  blank,
  z.array(z.union([z.string(), z.looseObject({ url: z.string() }).transform((f) => f.url)])).optional(),
);

export const enablexWebhookSchema = z.looseObject({
  type: z.string().trim().min(1, 'expected the event type'),
  trans_date: unixSeconds,
  app_id: idLike,
  room_id: idLike,
  conf_num: idLike,
  recording: urlList,
  stage: idLike,
  file_size: byteCount,
  destination,
  files,
});
type EnablexBody = z.infer<typeof enablexWebhookSchema>;

function isKnown(type: string): type is EnablexType {
  return (ENABLEX_TYPES as readonly string[]).includes(type);
}

export interface EnablexParseResult {
  payload?: EnablexPayload;
  problems: string[];
}

/** Parses an EnableX body leniently (trailing commas, curly quotes) and normalises the documented traps. */
export function parseEnablexBody(body: Buffer): EnablexParseResult {
  const problems: string[] = [];
  const { text, invalidAt } = decodeUtf8(body);
  if (invalidAt !== undefined) problems.push(invalidUtf8Problem(invalidAt));
  const parsed = parseLenientJson(text.trim(), (t) => parseJsonBounded(t));
  if (!parsed.ok) return { problems: [...problems, parsed.problem] };
  if (parsed.repaired.length) {
    problems.push(`body is not strict JSON (${parsed.repaired.join(', ')}); parsed leniently, but the sender should be fixed`);
  }
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: [...problems, `body is ${Array.isArray(value) ? 'an array' : typeof value}, expected an EnableX event object`] };
  }
  const raw = value as Record<string, unknown>;
  const fields = readFields<Partial<EnablexBody>>(raw, enablexWebhookSchema.shape, problems);
  const type = typeof fields.type === 'string' ? fields.type : typeof raw['type'] === 'string' ? raw['type'] : 'unknown';
  const known = isKnown(type);
  if (!known) problems.push(`EnableX event type "${type}" is not one of the documented types (${ENABLEX_TYPES.join(', ')}); kept as is`);
  if (type === 'recording' && typeof raw['recording'] === 'string') problems.push('type recording normally carries an array of URLs; got a single string');
  const payload: EnablexPayload = {
    kind: 'enablex',
    type,
    known,
    appId: fields.app_id,
    roomId: fields.room_id,
    confNum: fields.conf_num,
    transDate: fields.trans_date,
    recordings: fields.recording,
    stage: fields.stage,
    fileSize: fields.file_size,
    destination: fields.destination ? { name: fields.destination.name, host: fields.destination.host, account: fields.destination.account } : undefined,
    files: fields.files,
    body: raw,
  };
  return { payload, problems };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function enablexSummary(p: EnablexPayload): string {
  const room = p.roomId ? `room ${p.roomId}` : undefined;
  const parts: Array<string | undefined> = [];
  switch (p.type) {
    case 'roomdrop':
      parts.push('Room session ended', room, p.confNum ? `conference ${p.confNum}` : undefined);
      break;
    case 'recording':
      parts.push('Recording ready', room, p.recordings ? plural(p.recordings.length, 'file') : undefined);
      break;
    case 'transcoded':
      parts.push('Transcoded recording ready', room, p.stage ? `stage ${p.stage}` : undefined, p.fileSize !== undefined ? formatBytes(p.fileSize) : undefined);
      break;
    case 'file-transfer':
      parts.push(`Files transferred${p.destination?.name ? ` to ${p.destination.name}` : ''}`, room, p.files ? plural(p.files.length, 'file') : undefined);
      break;
    default:
      parts.push(`EnableX ${p.type}`, room);
  }
  return parts.filter(Boolean).join(' · ');
}

export function verifyEnablexRequest(request: CapturedRequest, credentials: VerificationCredentials): Verification {
  return (
    verifyBasicAuth(request.headers['authorization'], credentials.basicAuth) ?? {
      status: 'unsigned',
      reason: 'EnableX sends no signature; enable HTTP Authentication in the portal (Setup Webhook) and add the same user name and password here',
    }
  );
}

const KEY = (name: string) => new RegExp(`["\u201c\u201d\u2018\u2019']${name}["\u201c\u201d\u2018\u2019']\\s*:`);
const TYPE_KEY = KEY('type');
const ROOM_OR_APP_KEY = KEY('(?:app_id|room_id)');

/** A JSON (or doc-style lenient JSON) object with `type` and `app_id` or `room_id`. */
export function detectEnablex(request: CapturedRequest): boolean {
  const head = request.body.subarray(0, 64 * 1024).toString('utf8').trimStart();
  if (!head.startsWith('{')) return false;
  return TYPE_KEY.test(head) && ROOM_OR_APP_KEY.test(head);
}

export function parseEnablexRequest(request: CapturedRequest, credentials: VerificationCredentials): ParsedNotification[] {
  const verification = verifyEnablexRequest(request, credentials);
  const dedupeKey = `enablex:${createHash('sha256').update(request.body).digest('hex')}`;
  if (request.bodyTruncated) {
    return [
      {
        source: 'enablex',
        type: 'unknown',
        summary: 'EnableX event (body cut at the size limit)',
        parsed: { kind: 'enablex', type: 'unknown', known: false, body: {} },
        verification,
        problems: [truncatedBodyProblem(request)],
      },
    ];
  }
  const { payload, problems } = parseEnablexBody(request.body);
  const mime = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime && !mime.includes('json')) problems.push(`Content-Type is "${mime}"; EnableX posts application/json`);
  const p: EnablexPayload = payload ?? { kind: 'enablex', type: 'unknown', known: false, body: {} };
  return [{ source: 'enablex', type: p.type, summary: enablexSummary(p), dedupeKey, parsed: p, verification, problems }];
}

export const enablexProvider: WebhookProvider = {
  source: 'enablex',
  detect: detectEnablex,
  parse: parseEnablexRequest,
};
