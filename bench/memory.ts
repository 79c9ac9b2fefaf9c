// Memory after 100,000 events (issue #7, benchmark 3): in-memory bound at its default and at 100,000, each in a
// fresh child process with --expose-gc; then the persisted log of 100,000 events reloaded in another fresh process.
// Baseline: the child's own RSS before the store existed (same run, same process).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventLogPath } from '../src/core/events/eventLog';
import { DEFAULT_STORE_CAPACITY } from '../src/core/events/eventStore';
import { forkBench, nextMessage, waitExit } from './children';
import type { FillReport, ReloadReport } from './memoryChild';
import { envNumber, MiB, round } from './stats';

export interface MemoryResult {
  events: number;
  defaultCapacity: number;
  rssMbDefault: number;
  rssMb100k: number;
  baselineRssMb: number;
  heapMbDefault: number;
  heapMb100k: number;
  /** store.load() of the log at capacity = events: every line becomes an event. */
  reloadMs100k: number;
  /** store.load() of the same log at the default capacity: the newest lines become events, the rest feed dedupe. */
  reloadMsDefault: number;
  reloadRssMb100k: number;
  reloadRssMbDefault: number;
  reloaded: number;
  logMb: number;
  ingestMs100k: number;
}

async function child<T>(args: string[], what: string): Promise<T> {
  const c = forkBench('memoryChild.ts', args, ['--expose-gc', '--max-old-space-size=4096']);
  try {
    return await nextMessage(c, what, (m) => (m as { report?: T }).report, 600_000);
  } finally {
    await waitExit(c);
  }
}

export async function runMemory(log: (line: string) => void = console.log): Promise<MemoryResult> {
  const events = envNumber('KWH_BENCH_EVENTS', 100_000);
  log(`memory: ${events} distinct signed ~3 KB notifications through receiver.ingest into a persisted store`);
  const dirDefault = mkdtempSync(join(tmpdir(), 'kwh-bench-mem-'));
  const dirFull = mkdtempSync(join(tmpdir(), 'kwh-bench-mem-'));
  try {
    const atDefault = await child<FillReport>(['fill', dirDefault, 'default', String(events)], 'memory fill (default capacity)');
    rmSync(dirDefault, { recursive: true, force: true });
    log(`  capacity ${DEFAULT_STORE_CAPACITY} (default): RSS ${(atDefault.rssBytes / MiB).toFixed(0)} MiB (baseline ${(atDefault.baselineRssBytes / MiB).toFixed(0)} MiB), heap ${(atDefault.heapUsedBytes / MiB).toFixed(0)} MiB, ${atDefault.inMemory} in memory`);
    const atFull = await child<FillReport>(['fill', dirFull, String(events), String(events)], 'memory fill (capacity = events)');
    log(`  capacity ${events}: RSS ${(atFull.rssBytes / MiB).toFixed(0)} MiB, heap ${(atFull.heapUsedBytes / MiB).toFixed(0)} MiB, ${atFull.inMemory} in memory, ingest ${(atFull.ingestMs / 1000).toFixed(1)} s`);
    const logBytes = statSync(eventLogPath(dirFull)).size;
    // Each reload in a fresh process, several times, alternating the two capacities; the median is reported (one
    // run moves by ±15% on this shared machine).
    const reloads = envNumber('KWH_BENCH_RELOADS', 3);
    const defaultRuns: ReloadReport[] = [];
    const fullRuns: ReloadReport[] = [];
    for (let i = 0; i < reloads; i++) {
      defaultRuns.push(await child<ReloadReport>(['reload', dirFull, 'default'], 'log reload (default capacity)'));
      fullRuns.push(await child<ReloadReport>(['reload', dirFull, String(events)], 'log reload'));
    }
    const reloadedDefault = medianRun(defaultRuns);
    const reloaded = medianRun(fullRuns);
    const runs = (rs: ReloadReport[]) => rs.map((r) => r.reloadMs.toFixed(0)).join(', ');
    log(`  reload of ${reloadedDefault.loaded} events (${(logBytes / MiB).toFixed(0)} MiB log) at capacity ${DEFAULT_STORE_CAPACITY} (default) in a fresh process: median ${reloadedDefault.reloadMs.toFixed(0)} ms (runs ${runs(defaultRuns)}), ${reloadedDefault.inMemory} in memory, RSS ${(reloadedDefault.rssBytes / MiB).toFixed(0)} MiB, heap ${(reloadedDefault.heapUsedBytes / MiB).toFixed(0)} MiB, ${reloadedDefault.warnings} warnings`);
    log(`  reload of ${reloaded.loaded} events at capacity ${events} in a fresh process: median ${reloaded.reloadMs.toFixed(0)} ms (runs ${runs(fullRuns)}), ${reloaded.inMemory} in memory, RSS ${(reloaded.rssBytes / MiB).toFixed(0)} MiB, heap ${(reloaded.heapUsedBytes / MiB).toFixed(0)} MiB, ${reloaded.warnings} warnings`);
    for (const r of [...defaultRuns, ...fullRuns]) {
      if (r.loaded !== events) throw new Error(`reload found ${r.loaded} events, expected ${events}: the persisted log lost events`);
    }
    if (reloadedDefault.inMemory !== Math.min(events, DEFAULT_STORE_CAPACITY) || reloaded.inMemory !== events) {
      throw new Error(`reload kept ${reloadedDefault.inMemory} / ${reloaded.inMemory} events in memory, expected ${Math.min(events, DEFAULT_STORE_CAPACITY)} / ${events}`);
    }
    return {
      events,
      defaultCapacity: DEFAULT_STORE_CAPACITY,
      rssMbDefault: round(atDefault.rssBytes / MiB, 1),
      rssMb100k: round(atFull.rssBytes / MiB, 1),
      baselineRssMb: round(atDefault.baselineRssBytes / MiB, 1),
      heapMbDefault: round(atDefault.heapUsedBytes / MiB, 1),
      heapMb100k: round(atFull.heapUsedBytes / MiB, 1),
      reloadMs100k: round(reloaded.reloadMs, 0),
      reloadMsDefault: round(reloadedDefault.reloadMs, 0),
      reloadRssMb100k: round(reloaded.rssBytes / MiB, 1),
      reloadRssMbDefault: round(reloadedDefault.rssBytes / MiB, 1),
      reloaded: reloaded.loaded,
      logMb: round(logBytes / MiB, 1),
      ingestMs100k: round(atFull.ingestMs, 0),
    };
  } finally {
    rmSync(dirDefault, { recursive: true, force: true });
    rmSync(dirFull, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runMemory().then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}

function medianRun(runs: ReloadReport[]): ReloadReport {
  return [...runs].sort((a, b) => a.reloadMs - b.reloadMs)[Math.floor((runs.length - 1) / 2)]!;
}
