// Receiver throughput vs a bare node:http server answering 200 (issue #7, benchmark 1). Same payload (a ~3 KB
// signed Kaltura JSON notification), same connections, same load generator (autocannon, in this process); each
// server in its own process. The two are measured in alternating rounds and the ratio is the median of the
// per-round ratios, so a burst of load from other work on the machine hits both sides alike.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { forkBench, nextMessage, waitExit } from './children';
import { load, type LoadResult } from './autocannon';
import type { ServerKind, ServerStats } from './benchServer';
import { benchHeaders, benchSample } from './payload';
import { buildReceiverBundle, RECEIVER_BUNDLE_ENV } from './receiverBundle';
import { envNumber, median, round } from './stats';

export interface ThroughputResult {
  baselineRps: number;
  receiverRps: number;
  /** Median over rounds of receiver/bare. */
  receiverRatio: number;
  /** The hand-written Kaltura receiver (verify, parse, append a line, 200 in the write callback). */
  handwrittenRps: number;
  /** Median over rounds of receiver/handwritten: the goal is ≥ 0.8. */
  receiverVsHandwritten: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  receiverP50Ms: number;
  receiverP99Ms: number;
  rounds: Array<{ bare: LoadResult; handwritten: LoadResult; receiver: LoadResult; ratio: number; vsHandwritten: number }>;
  connections: number;
  seconds: number;
  bodyBytes: number;
  receiverStats: ServerStats;
  bareStats: ServerStats;
}

async function startServer(kind: ServerKind, receiverBundle: string) {
  const child = forkBench('benchServer.ts', [kind], [], { [RECEIVER_BUNDLE_ENV]: receiverBundle });
  const port = await nextMessage(child, `${kind} server start`, (m) => (m as { port?: number }).port, 30_000);
  return {
    url: `http://127.0.0.1:${port}/kaltura/webhook`,
    async stop(): Promise<ServerStats> {
      const stats = nextMessage(child, `${kind} server stats`, (m) => (m as { stats?: ServerStats }).stats, 60_000);
      child.send('stats');
      const s = await stats;
      await waitExit(child);
      return s;
    },
    kill: () => child.kill('SIGKILL'),
  };
}

export async function runThroughput(log: (line: string) => void = console.log): Promise<ThroughputResult> {
  const seconds = envNumber('KWH_BENCH_SECONDS', 5);
  const connections = envNumber('KWH_BENCH_CONNECTIONS', 50);
  const roundsWanted = envNumber('KWH_BENCH_ROUNDS', 3);
  const sample = benchSample();
  const headers = benchHeaders(sample);
  log(`receiver throughput: ${sample.body.length}-byte signed Kaltura JSON body, ${connections} connections, ${roundsWanted} alternating rounds of ${seconds} s`);

  const bundle = await buildReceiverBundle();
  log(`  the receiver runs as shipped: a production esbuild bundle of bench/receiverEntry.ts (${bundle})`);
  const bare = await startServer('bare', bundle);
  const handwritten = await startServer('handwritten', bundle);
  const receiver = await startServer('receiver', bundle);
  const urls: Record<string, string> = { bare: bare.url, handwritten: handwritten.url, receiver: receiver.url };
  try {
    const warm = { connections, seconds: 1, headers, body: sample.body };
    for (const url of Object.values(urls)) await load({ ...warm, url });
    const rounds: ThroughputResult['rounds'] = [];
    const kinds = ['bare', 'handwritten', 'receiver'] as const;
    for (let i = 0; i < roundsWanted; i++) {
      // Rotate which side goes first, so none always gets the quieter part of a round.
      const order = kinds.map((_, k) => kinds[(k + i) % kinds.length]!);
      const results: Partial<Record<ServerKind, LoadResult>> = {};
      for (const kind of order) results[kind] = await load({ connections, seconds, headers, body: sample.body, url: urls[kind]! });
      const ratio = results.receiver!.rps / results.bare!.rps;
      const vsHandwritten = results.receiver!.rps / results.handwritten!.rps;
      rounds.push({ bare: results.bare!, handwritten: results.handwritten!, receiver: results.receiver!, ratio, vsHandwritten });
      log(
        `  round ${i + 1}: bare ${results.bare!.rps.toFixed(0)} req/s, hand-written ${results.handwritten!.rps.toFixed(0)} req/s, ` +
          `receiver ${results.receiver!.rps.toFixed(0)} req/s, receiver/bare ${ratio.toFixed(2)}, receiver/hand-written ${vsHandwritten.toFixed(2)}`,
      );
    }
    const bareStats = await bare.stop();
    await handwritten.stop();
    const receiverStats = await receiver.stop();
    const bad = rounds.reduce((n, r) => n + r.bare.bad + r.handwritten.bad + r.receiver.bad, 0);
    if (bad > 0) log(`  WARNING: ${bad} non-2xx answers, errors or timeouts during the runs`);
    if (receiverStats.lastVerification !== 'verified') {
      throw new Error(`the bench payload did not verify in the receiver (status ${receiverStats.lastVerification}); the figures would not measure verification`);
    }
    return {
      baselineRps: round(median(rounds.map((r) => r.bare.rps)), 0),
      receiverRps: round(median(rounds.map((r) => r.receiver.rps)), 0),
      receiverRatio: round(median(rounds.map((r) => r.ratio)), 3),
      handwrittenRps: round(median(rounds.map((r) => r.handwritten.rps)), 0),
      receiverVsHandwritten: round(median(rounds.map((r) => r.vsHandwritten)), 3),
      baselineP50Ms: median(rounds.map((r) => r.bare.p50)),
      baselineP99Ms: median(rounds.map((r) => r.bare.p99)),
      receiverP50Ms: median(rounds.map((r) => r.receiver.p50)),
      receiverP99Ms: median(rounds.map((r) => r.receiver.p99)),
      rounds,
      connections,
      seconds,
      bodyBytes: sample.body.length,
      receiverStats,
      bareStats,
    };
  } finally {
    bare.kill();
    handwritten.kill();
    receiver.kill();
    rmSync(dirname(bundle), { recursive: true, force: true });
  }
}

if (require.main === module) {
  runThroughput().then(
    (r) => console.log(JSON.stringify({ receiverRatio: r.receiverRatio, receiverVsHandwritten: r.receiverVsHandwritten, receiverRps: r.receiverRps, handwrittenRps: r.handwrittenRps, baselineRps: r.baselineRps, persisted: r.receiverStats.handled })),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
