// Turns the generator's input (a captured event, a serialized event from a file, or a source + type) into one
// normalized capture: source, type, method, path, headers and the exact body bytes.
import { z } from 'zod';
import type { SerializedEvent, WebhookEvent } from '../events/model';
import { buildSampleCapture } from './sampleCaptures';
import { CodegenError, type CodegenInput, type CodegenSource } from './types';

export interface CodegenCapture {
  source: CodegenSource;
  eventType: string;
  method: string;
  /** Path without the query string (a query may carry tokens). */
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
  /** True when built from a sample rather than a captured request. */
  fromSample: boolean;
}

const serializedEventSchema = z.object({
  source: z.enum(['kaltura', 'kaltura-legacy', 'enablex', 'unknown']),
  type: z.string(),
  request: z.object({
    method: z.string().min(1),
    path: z.string(),
    headers: z.record(z.string(), z.string()),
    bodyBase64: z.string(),
    bodyTruncated: z.boolean().optional(),
  }),
});

/** Validates JSON read from a file (`kwh listen --json` line or an export) as a SerializedEvent. */
export function parseSerializedEvent(value: unknown, origin = 'the event'): SerializedEvent {
  // An export may hold a list or an {events: [...]} wrapper; codegen takes the first event.
  let candidate = value;
  if (Array.isArray(candidate)) candidate = candidate[0];
  else if (candidate && typeof candidate === 'object' && Array.isArray((candidate as { events?: unknown }).events)) {
    candidate = (candidate as { events: unknown[] }).events[0];
  }
  const result = serializedEventSchema.safeParse(candidate);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'top level';
    throw new CodegenError(
      `${origin} is not a captured event (${where}: ${issue?.message ?? 'invalid'}). ` +
        'Use one line of `kwh listen --json` output or an exported event.',
    );
  }
  return candidate as SerializedEvent;
}

function isSerialized(event: WebhookEvent | SerializedEvent): event is SerializedEvent {
  return typeof (event.request as { bodyBase64?: unknown }).bodyBase64 === 'string';
}

export function captureFromInput(input: CodegenInput): CodegenCapture {
  if (input.event) return captureFromEvent(input.event);
  if (input.source) return buildSampleCapture(input.source, input.eventType);
  throw new CodegenError('nothing to generate from: pass a captured event, or a source (kaltura, kaltura-legacy, enablex) and a type');
}

export function captureFromEvent(event: WebhookEvent | SerializedEvent): CodegenCapture {
  if (event.source === 'unknown') {
    throw new CodegenError(
      'this event was not recognised as Kaltura, legacy Kaltura or EnableX, so there is no verification scheme to generate; ' +
        'pick a source explicitly (--source kaltura|kaltura-legacy|enablex --type TYPE)',
    );
  }
  const body = isSerialized(event) ? Buffer.from(event.request.bodyBase64, 'base64') : event.request.body;
  if (event.request.bodyTruncated) {
    throw new CodegenError(
      'the captured body was cut at the receiver size limit, so types and fixture would be wrong; raise the limit and capture it again',
    );
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.request.headers)) headers[name.toLowerCase()] = value;
  const path = event.request.path.split('?')[0] || '/';
  return { source: event.source, eventType: event.type, method: event.request.method.toUpperCase(), path, headers, body, fromSample: false };
}
