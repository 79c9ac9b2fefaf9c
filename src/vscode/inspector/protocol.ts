// The one message protocol between the inspector panel (host) and its webview (media/inspector/main.ts).
// Discriminated by `type`; the webview starts with `ready`; the host validates every inbound message with zod.
// No vscode import: the webview imports the types from here.
import { z } from 'zod';

export const INSPECTOR_ACTIONS = [
  'copyCurl',
  'openRaw',
  'replay',
  'forward',
  'generateHandler',
  'exportJson',
  'exportHttp',
] as const;
export type InspectorAction = (typeof INSPECTOR_ACTIONS)[number];

const eventId = z.string().min(1).max(200);

export const webviewToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('action'), action: z.enum(INSPECTOR_ACTIONS), eventId }),
  z.object({ type: z.literal('openEvent'), eventId }),
]);
export type WebviewToHost = z.infer<typeof webviewToHostSchema>;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type DecodedFormat = 'json' | 'form' | 'xml' | 'php' | 'text' | 'none';

export interface InspectorModel {
  eventId: string;
  summary: string;
  source: string;
  sourceLabel: string;
  type: string;
  origin: string;
  receivedAtIso: string;
  receivedAtLocal: string;
  requestLine: string;
  remoteAddress?: string;
  headers: Array<[string, string]>;
  rawBody: { text: string; size: number; shownBytes: number; truncatedForDisplay: boolean; truncatedByReceiver: boolean; binary: boolean };
  decoded: { format: DecodedFormat; label: string; value: JsonValue | undefined };
  verification: {
    status: 'verified' | 'failed' | 'unsigned';
    method?: string;
    algorithm?: string;
    secretLabel?: string;
    expected?: string;
    received?: string;
    reason?: string;
  };
  /** Labelled facts about the payload: Kaltura names (event type, object type, entry status), ids, local times. */
  details: Array<[string, string]>;
  duplicates: Array<{ id: string; receivedAtLocal: string; current: boolean; label: string }>;
  problems: string[];
  response?: { status: number; mode: string; kalturaWouldRetry: boolean };
  /** The forwarded request and the app's answer, shown side by side (like ngrok's inspector). */
  appExchange?: {
    url: string;
    requestHeaders: Array<[string, string]>;
    /** "HTTP 502 in 403 ms", or "no answer: …". */
    statusLine: string;
    answered: boolean;
    headers: Array<[string, string]>;
    body: string;
    bodyTruncated: boolean;
  };
}

export type HostToWebview =
  | { type: 'show'; model: InspectorModel }
  | { type: 'missing'; eventId: string; message: string }
  | { type: 'actionResult'; action: InspectorAction; ok: boolean; message: string };

export function parseWebviewMessage(raw: unknown): { ok: true; message: WebviewToHost } | { ok: false; error: string } {
  const result = webviewToHostSchema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  return { ok: false, error: z.prettifyError(result.error) };
}
