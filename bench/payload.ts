// The bench payload: a realistic ~3 KB Kaltura HTTP notification (JSON body, signed with sha1 like a template
// without secureHashingAlgo), built by the providers' sample builder so the bytes and headers match the real sender.
import { buildKalturaSample, sampleMediaEntry, type SampleRequest } from '../src/core/providers/samples';

/** The signing secret the receiver under test is configured with (a throwaway, not a real account's). */
export const BENCH_SECRET = 'b3nchb3nchb3nchb3nchb3nchb3nch00';
export const BENCH_PARTNER_ID = 2_345_678;

/** Real entries carry a paragraph of description, a tag list and categories; those make up most of a 3 KB body. */
const DESCRIPTION =
  'Quarterly all-hands recording. Agenda: product roadmap for the next two quarters, customer stories from the ' +
  'EMEA and APAC teams, a live demo of the new captioning workflow, the engineering productivity report, and an ' +
  'open Q&A session. Slides are attached as a related file; chapters and machine captions (English, German, ' +
  'Spanish, Japanese) were generated automatically after upload. Please do not share outside the company. ' +
  'Recorded in the main auditorium with three cameras and a dedicated audio feed; the stream was delayed by ' +
  'thirty seconds for moderation. Contact the media team for edits, trims or a download of the original master. ' +
  'Timestamps: 00:00 welcome and safety notes; 04:30 financial summary; 17:45 roadmap (platform, analytics, ' +
  'accessibility); 41:10 customer stories; 58:20 captioning demo; 1:12:00 engineering report; 1:25:40 Q&A. ' +
  'Questions that could not be answered live are collected in the follow-up document linked from the intranet.';

export function benchSample(options: { jobId?: number; entryId?: string; now?: number } = {}): SampleRequest {
  const now = options.now ?? 1_763_900_000;
  const entryId = options.entryId ?? '1_b3nch0001';
  const object = {
    ...sampleMediaEntry({ entryId, name: 'All-hands Q3 (recording)', partnerId: BENCH_PARTNER_ID, status: 2, now }),
    description: DESCRIPTION,
    tags: 'all-hands, quarterly, roadmap, captions, internal, recording, q3, company-update, live, auditorium',
    categories: 'MediaSpace>site>channels>Company Updates,MediaSpace>site>galleries>Internal',
    categoriesIds: '123456789,123456790',
    referenceId: 'AH-2026-Q3-MAIN',
    adminTags: 'kms-webcast-event,kms-webcast-event-vod,youtube-sync-off',
  };
  return buildKalturaSample({
    secret: BENCH_SECRET,
    partnerId: BENCH_PARTNER_ID,
    jobId: options.jobId ?? 1_234_567_890,
    entryId,
    object,
    now,
    path: '/kaltura/webhook',
  });
}

/** Headers for a load generator: lower-cased except the order, Content-Length left to the client. */
export function benchHeaders(sample: SampleRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(sample.headers)) if (k.toLowerCase() !== 'content-length') headers[k] = v;
  return headers;
}
