// Real events for the extension's pure modules: built by the real sample builders, providers and event builder.
import { buildEvents } from '../../../src/core/events/buildEvents';
import type { WebhookEvent } from '../../../src/core/events/model';
import { classifyRequest } from '../../../src/core/providers';
import { buildSampleRequest, sampleToCapturedRequest, type SampleKind, type SampleOptions } from '../../../src/core/providers/samples';
import type { VerificationCredentials } from '../../../src/core/providers/types';

export const SECRET = '0123456789abcdef0123456789abcdef';
export const CREDENTIALS: VerificationCredentials = {
  kalturaSecrets: [{ label: 'test admin secret', secret: SECRET }],
  basicAuth: [{ label: 'enablex test', username: 'user', password: 'pass-word-1' }],
};

let counter = 0;
export function sampleEvents(kind: SampleKind, options: SampleOptions = {}, credentials = CREDENTIALS): WebhookEvent[] {
  const sample = buildSampleRequest(kind, options);
  const request = sampleToCapturedRequest(sample, `req-${++counter}`);
  return buildEvents(request, classifyRequest(request, credentials));
}
