// Sends many prepared requests to a receiver with bounded concurrency over keep-alive connections (undici Pool)
// and reports progress and latencies, so a suite can act while the load is still running.
import { Pool } from 'undici';
import type { SampleRequest } from '../../../src/core/providers/samples';

export interface LoadProgress {
  sent: number;
  done: number;
  failed: number;
}

export interface LoadResult extends LoadProgress {
  durationMs: number;
  /** Requests per second over the whole run. */
  rate: number;
  statuses: Record<string, number>;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  errors: string[];
}

export interface LoadRun {
  progress: LoadProgress;
  finished: Promise<LoadResult>;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Starts sending `requests` to `baseUrl` with at most `concurrency` in flight; never rejects. */
export function startLoad(baseUrl: string, requests: SampleRequest[], concurrency = 50): LoadRun {
  const pool = new Pool(baseUrl, { connections: concurrency, pipelining: 1 });
  const progress: LoadProgress = { sent: 0, done: 0, failed: 0 };
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const errors: string[] = [];
  const started = Date.now();
  let next = 0;

  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const r = requests[next++]!;
      progress.sent++;
      const t0 = performance.now();
      try {
        const res = await pool.request({
          method: r.method as 'POST',
          path: r.path,
          // The sample's own Content-Length is right for its body; undici sets it again from the body.
          headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => k.toLowerCase() !== 'content-length')),
          body: r.body,
          headersTimeout: 30_000,
          bodyTimeout: 30_000,
        });
        await res.body.dump();
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        if (res.statusCode !== 200) progress.failed++;
      } catch (err) {
        progress.failed++;
        statuses['error'] = (statuses['error'] ?? 0) + 1;
        if (errors.length < 5) errors.push(err instanceof Error ? err.message : String(err));
      }
      latencies.push(performance.now() - t0);
      progress.done++;
    }
  };

  const finished = Promise.all(Array.from({ length: concurrency }, worker)).then(async () => {
    const durationMs = Date.now() - started;
    await pool.close().catch(() => undefined);
    const sorted = latencies.sort((a, b) => a - b);
    return {
      ...progress,
      durationMs,
      rate: Math.round((progress.done / durationMs) * 1000),
      statuses,
      latencyMs: {
        p50: Math.round(percentile(sorted, 50)),
        p95: Math.round(percentile(sorted, 95)),
        p99: Math.round(percentile(sorted, 99)),
        max: Math.round(sorted[sorted.length - 1] ?? 0),
      },
      errors,
    };
  });
  return { progress, finished };
}
