// Typed slice of autocannon (it ships no declarations): one fixed request, closed-loop, N connections.
import { createRequire } from 'node:module';

export interface LoadResult {
  /** Mean requests per second over the run. */
  rps: number;
  total: number;
  p50: number;
  p99: number;
  /** Non-2xx answers, socket errors and timeouts together. */
  bad: number;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  method: string;
  headers: Record<string, string>;
  body: string | Buffer;
  timeout?: number;
}) => Promise<AutocannonResult>;

const autocannon = createRequire(__filename)('autocannon') as Autocannon;

export async function load(opts: {
  url: string;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
  body: Buffer;
}): Promise<LoadResult> {
  const r = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    method: 'POST',
    headers: opts.headers,
    body: opts.body,
    timeout: 10,
  });
  return {
    rps: r.requests.average,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
  };
}
