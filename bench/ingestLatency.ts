// Ingest-to-view latency (issue #7, benchmark 2): the time from a request's arrival (the receiver's receivedAt) to
// the store's batched change notification that carries it, at 1,000 events/s from an open-loop generator in a
// child process. Same-run baseline: the lateness of a bare timer with the store's flush interval in this process
// (the floor any batched notification pays), so the ratio shows what the pipeline adds on top of batching.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FLUSH_INTERVAL_MS } from '../src/core/events/eventStore';
import { openSessionStore } from '../src/core/session/sessionStore';
import { startReceiver } from '../src/core/receiver/receiverServer';
import { forkBench, nextMessage, waitExit } from './children';
import { BENCH_SECRET } from './payload';
import { envNumber, percentile, round } from './stats';

export interface IngestRun {
  flushIntervalMs: number;
  events: number;
  sent: number;
  ok: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface IngestResult {
  rate: number;
  seconds: number;
  atDefault: IngestRun;
  /** Diagnostic: the same load with a shorter flush interval. */
  atShort: IngestRun;
  timerP99Ms: number;
}

async function measure(flushIntervalMs: number | undefined, rate: number, seconds: number): Promise<IngestRun> {
  const dir = mkdtempSync(join(tmpdir(), 'kwh-bench-ingest-'));
  const store = openSessionStore({ logDir: dir, capacity: 100_000, ...(flushIntervalMs !== undefined && { flushIntervalMs }) });
  const receiver = await startReceiver({
    store,
    credentials: () => ({ kalturaSecrets: [{ label: 'bench', secret: BENCH_SECRET }], basicAuth: [] }),
  });
  const latencies: number[] = [];
  const sub = store.onChange((change) => {
    const now = Date.now();
    for (const e of change.added) latencies.push(now - Date.parse(e.receivedAt));
  });
  const gen = forkBench('pacedLoad.ts', [`${receiver.url}/kaltura/webhook`, String(rate), String(seconds)]);
  try {
    const done = await nextMessage(gen, 'paced load generator', (m) => (m as { done?: { sent: number; ok: number } }).done, (seconds + 60) * 1000);
    await store.flush();
    return {
      flushIntervalMs: flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS,
      events: latencies.length,
      sent: done.sent,
      ok: done.ok,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: Math.max(...latencies),
    };
  } finally {
    gen.kill('SIGKILL');
    await waitExit(gen);
    sub.dispose();
    await receiver.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** p99 of how late a setTimeout(interval) fires while the process is otherwise idle: the floor of batching. */
async function timerFloor(intervalMs: number, samples: number): Promise<number> {
  const late: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await new Promise((r) => setTimeout(r, intervalMs));
    late.push(performance.now() - t);
  }
  return percentile(late, 99);
}

export async function runIngestLatency(log: (line: string) => void = console.log): Promise<IngestResult> {
  const rate = envNumber('KWH_BENCH_RATE', 1000);
  const seconds = envNumber('KWH_BENCH_INGEST_SECONDS', 5);
  const shortInterval = envNumber('KWH_BENCH_SHORT_FLUSH_MS', 16);
  log(`ingest-to-view latency: ${rate} signed requests/s for ${seconds} s, receivedAt → store change notification`);
  const timerP99Ms = await timerFloor(DEFAULT_FLUSH_INTERVAL_MS, 40);
  const atDefault = await measure(undefined, rate, seconds);
  const atShort = await measure(shortInterval, rate, seconds);
  for (const r of [atDefault, atShort]) {
    log(`  flush every ${r.flushIntervalMs} ms: ${r.events} events (${r.ok}/${r.sent} answered 200), p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms`);
  }
  log(`  baseline: a bare ${DEFAULT_FLUSH_INTERVAL_MS} ms timer in this process fires after ${round(timerP99Ms, 1)} ms at p99`);
  for (const r of [atDefault, atShort]) {
    if (r.events < r.ok) throw new Error(`only ${r.events} of ${r.ok} answered requests reached a change notification`);
  }
  return { rate, seconds, atDefault, atShort, timerP99Ms: round(timerP99Ms, 1) };
}

if (require.main === module) {
  runIngestLatency().then(
    (r) => console.log(JSON.stringify({ ingestP99Ms: r.atDefault.p99Ms, short: r.atShort.p99Ms })),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
