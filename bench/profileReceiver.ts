// Where the receiver's time goes under the throughput bench's load: the shipped bundle (unminified, so the names are
// the sources') in a child with --cpu-prof, autocannon from this process, then the functions with the most time of
// their own and the most time under them, as µs per request answered.
//   node --import tsx bench/profileReceiver.ts [seconds]
// The profile file is kept (its path is printed) for Chrome DevTools or VS Code's profile viewer.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from './autocannon';
import { forkBench, nextMessage, waitExit } from './children';
import type { ServerStats } from './benchServer';
import { benchHeaders, benchSample } from './payload';
import { buildReceiverBundle, RECEIVER_BUNDLE_ENV } from './receiverBundle';
import { envNumber } from './stats';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self and inclusive microseconds per function name and file, from a V8 .cpuprofile. */
export function summarise(profile: CpuProfile): { totalUs: number; self: Map<string, number>; inclusive: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const perNode = new Map<number, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    perNode.set(id, (perNode.get(id) ?? 0) + dt);
    totalUs += dt;
  });
  const name = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop() ?? ''}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of perNode) {
    const key = name(byId.get(id)!);
    self.set(key, (self.get(key) ?? 0) + us);
    // A recursive function counts once per sample in its inclusive time.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = name(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  return { totalUs, self, inclusive };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? envNumber('KWH_BENCH_SECONDS', 8));
  const profileDir = mkdtempSync(join(tmpdir(), 'kwh-receiver-profile-'));
  process.env['KWH_BENCH_READABLE'] = '1';
  const bundle = await buildReceiverBundle();
  const child = forkBench('benchServer.ts', ['receiver'], ['--cpu-prof', `--cpu-prof-dir=${profileDir}`], { [RECEIVER_BUNDLE_ENV]: bundle });
  const port = await nextMessage(child, 'receiver start', (m) => (m as { port?: number }).port, 30_000);
  const sample = benchSample();
  const result = await load({ url: `http://127.0.0.1:${port}/kaltura/webhook`, connections: 50, seconds, headers: benchHeaders(sample), body: sample.body });
  const stats = nextMessage(child, 'receiver stats', (m) => (m as { stats?: ServerStats }).stats, 60_000);
  child.send('stats');
  const { handled } = await stats;
  await waitExit(child);
  // The main thread's profile is the largest file (workers write their own, small ones).
  const files = readdirSync(profileDir).map((f) => join(profileDir, f));
  const main = files.sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0];
  if (!main) throw new Error(`no profile was written to ${profileDir}`);
  const { totalUs, self, inclusive } = summarise(JSON.parse(readFileSync(main, 'utf8')) as CpuProfile);
  const perRequest = (us: number) => (us / Math.max(1, handled)).toFixed(1).padStart(7);
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${perRequest(us)} µs ${((us / totalUs) * 100).toFixed(1).padStart(5)}%  ${k}`);
  console.log(`${result.rps.toFixed(0)} req/s under the profiler, ${handled} lines persisted, ${(totalUs / 1000).toFixed(0)} ms sampled (startup included)`);
  console.log(`profile: ${main}`);
  console.log('\nself time, per request persisted:');
  for (const line of top(self, 30)) console.log(line);
  console.log('\ninclusive time, per request persisted:');
  for (const line of top(inclusive, 45)) console.log(line);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
